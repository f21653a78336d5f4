"""Other fact-checkers' verdicts: everyone on staff sees the ClaimReview sources, what each read came to and
the fact-checks on file; reviewers and admins add sources, upload a data feed and read a source now
(claims/claimreviews.py holds the rules, claims/importing/external.py the reading)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from claims import claimreviews, selectors
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import ClaimReviewFileForm, ClaimReviewSourceForm
from claims.importing.claimreview import MAX_BYTES
from claims.models import ClaimReviewSource
from claims.permissions import Action, may
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest, page_or_region, query_without_page

TEMPLATE = "claims/staff/claimreviews.html"
PER_PAGE = 50


def _page(request: HtmxHttpRequest, *, source_form=None, file_form=None, status: int = 200):
    fact_checks = Paginator(selectors.external_fact_checks(), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "sources": selectors.claimreview_sources(),
        "fact_checks": fact_checks,
        "query_without_page": query_without_page(request),
        "can_manage": may(request.user, Action.MANAGE_CLAIMREVIEW_SOURCES),
        "source_form": source_form or ClaimReviewSourceForm(),
        "file_form": file_form or ClaimReviewFileForm(),
    }
    return render(request, page_or_region(request, TEMPLATE, "fact-check-list"), context, status=status)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def overview(request: HtmxHttpRequest):
    return _page(request)


@staff_view(Action.MANAGE_CLAIMREVIEW_SOURCES)
@require_POST
def source_add(request: HtmxHttpRequest):
    form = ClaimReviewSourceForm(request.POST)
    if form.is_valid():
        try:
            claimreviews.claimreview_source_add(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Source added. A worker reads it now, then on the schedule."))
            return redirect("staff:claimreviews")
    return _page(request, source_form=form, status=FORM_INVALID)


@staff_view(Action.MANAGE_CLAIMREVIEW_SOURCES)
@require_POST
def file_import(request: HtmxHttpRequest):
    form = ClaimReviewFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
        else:
            try:
                source = claimreviews.claimreview_file_import(
                    by=request.user, content=upload.read(), filename=upload.name, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("File read: its result is listed under the sources."))
                return redirect(reverse("staff:claimreviews") + f"#source-{source.pk}")
    return _page(request, file_form=form, status=FORM_INVALID)


@staff_view(Action.MANAGE_CLAIMREVIEW_SOURCES)
@require_POST
def source_read(request: HtmxHttpRequest, pk):
    source = get_object_or_404(ClaimReviewSource, pk=pk)
    claimreviews.claimreview_source_read_now(source=source, by=request.user)
    if source.url:
        messages.success(request, _("A worker reads the source as soon as one is free."))
    return redirect("staff:claimreviews")


@staff_view(Action.MANAGE_CLAIMREVIEW_SOURCES)
@require_POST
def source_active(request: HtmxHttpRequest, pk):
    source = get_object_or_404(ClaimReviewSource, pk=pk)
    try:
        claimreviews.claimreview_source_set_active(
            source=source, by=request.user, active=request.POST.get("active") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("staff:claimreviews")
