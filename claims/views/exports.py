"""Exports of the claims (everyone on staff): ask for one, watch it being built, download it.

claims/exports.py writes the row and the worker builds the file into private storage; the page polls
the export's status region (htmx, every 2 s, with a plain link too) until it is ready. Each person sees
and downloads only their own exports.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from claims import exports, selectors
from claims.decorators import staff_view
from claims.fetched_files import inert
from claims.form_errors import add_service_errors
from claims.forms import ExportForm
from claims.models import Export
from claims.permissions import Action, may
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest, page_or_region

EXPORTS_TEMPLATE = "claims/staff/exports.html"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _page(request: HtmxHttpRequest, *, form: ExportForm | None = None, watched: Export | None = None, status=200):
    context = {
        "form": form or ExportForm(),
        "exports": selectors.exports_of(request.user),
        "watched": watched,
        "with_internal": may(request.user, Action.EXPORT_INTERNAL_FIELDS),
    }
    partial = "export-status" if watched is not None else "export-form"
    return render(request, page_or_region(request, EXPORTS_TEMPLATE, partial), context, status=status)


@staff_view(Action.EXPORT_CLAIMS)
@require_http_methods(["GET", "POST"])
def exports_page(request: HtmxHttpRequest):
    """The form and one's own exports; sending the form asks the worker for a new one."""
    if request.method != "POST":
        return _page(request)
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            export = exports.export_request(format=form.cleaned_data["format"], filters=form.filters(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("staff:export", pk=export.pk)
    return _page(request, form=form, status=FORM_INVALID)


def _own(request: HtmxHttpRequest, pk: int) -> Export:
    return get_object_or_404(Export, pk=pk, requested_by=request.user)


@staff_view(Action.EXPORT_CLAIMS)
@require_safe
def export_detail(request: HtmxHttpRequest, pk: int):
    """The exports page watching one export; to htmx, just its status (which stops polling once it is done)."""
    return _page(request, watched=_own(request, pk))


@staff_view(Action.EXPORT_CLAIMS)
@require_safe
def export_download(request: HtmxHttpRequest, pk: int):
    """The file, as a download only, to the person who asked for it, while it is kept."""
    export = _own(request, pk)
    if export.status != Export.Status.READY or not export.file:
        raise Http404
    handle = export.file.storage.open(export.file.name, "rb")
    filename = f"claims-export-{export.pk}-{export.created_at:%Y-%m-%d}.{export.format}"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[export.format])
    response["Cache-Control"] = "private, no-store"
    return inert(response)
