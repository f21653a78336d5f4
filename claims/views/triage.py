"""Triage of what the public sends in: tips become claims or are dismissed; error reports are
answered, lead to a correction, or are dismissed.

Only staff who may triage see these lists, and with them the senders' contact
details. Each row's buttons post to their own URL: an htmx request gets the row
back (swapped in place), any other request is redirected to the list it came
from, with its filter and page (post/redirect/get).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from claims import selectors, services
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import AnswerForm
from claims.models import ErrorReport, Tip
from claims.permissions import Action
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest, page_or_region, query_without_page

PER_PAGE = 25
ALL = "all"


@dataclass(frozen=True)
class Queue:
    """One triage list: its model, its page and the partial of one row."""

    model: type
    template: str
    row: str
    list_url: str
    select: Callable[[str], QuerySet]

    def state_filter(self, request) -> str:
        """The state asked for: "new" unless another state or "all" is asked."""
        state = request.GET.get("state", self.model.State.NEW)
        return state if state == ALL or state in self.model.State.values else self.model.State.NEW

    def back_to_list(self, request, pk: int):
        """The list the row was in (its filter and page kept), at the row."""
        query = request.GET.urlencode()
        return redirect(f"{reverse(self.list_url)}{'?' + query if query else ''}#row-{pk}")


TIPS = Queue(Tip, "claims/staff/tips.html", "tip-row", "staff:tips", selectors.tips_for_triage)
ERROR_REPORTS = Queue(
    ErrorReport,
    "claims/staff/error_reports.html",
    "error-report-row",
    "staff:error-reports",
    selectors.error_reports_for_triage,
)


def _render_list(request: HtmxHttpRequest, queue: Queue, *, status: int = 200, **row_context):
    state = queue.state_filter(request)
    page = Paginator(queue.select("" if state == ALL else state), PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.count_by_state(queue.model)
    tabs = [(value, label, counts.get(value, 0)) for value, label in queue.model.State.choices]
    context = {
        "page": page,
        "state": state,
        "tabs": [*tabs, (ALL, _("All"), sum(counts.values()))],
        "query_without_page": query_without_page(request),
        "query": request.GET.urlencode(),
        "answer_form": AnswerForm(),
        **row_context,
    }
    return render(request, page_or_region(request, queue.template, "triage-list"), context, status=status)


def _after(request: HtmxHttpRequest, queue: Queue, pk: int, *, problem: str = "", form=None, status: int = 200):
    """htmx: the row as it is now (with the problem, if any). Otherwise back to the list."""
    if request.htmx:
        context = {
            "item": queue.select().get(pk=pk),
            "problem": problem,
            "answer_form": form or AnswerForm(),
            "query": request.GET.urlencode(),
        }
        return render(request, f"{queue.template}#{queue.row}", context, status=status)
    if problem:
        messages.error(request, problem)
    return queue.back_to_list(request, pk)


# --- Tips ----------------------------------------------------------------------------------


@staff_view(Action.TRIAGE_TIPS)
@require_safe
def tips(request: HtmxHttpRequest):
    return _render_list(request, TIPS)


@staff_view(Action.TRIAGE_TIPS)
@require_POST
def tip_accept(request: HtmxHttpRequest, pk):
    """The tip becomes a new claim; its workspace opens."""
    tip = get_object_or_404(Tip, pk=pk)
    try:
        claim = services.tip_accept(tip=tip, by=request.user)
    except ValidationError as error:
        return _after(request, TIPS, tip.pk, problem=" ".join(error.messages), status=FORM_INVALID)
    messages.success(request, _("The tip is now a claim. Check its wording and who made it, then research it."))
    return redirect("staff:claim", pk=claim.pk)


@staff_view(Action.TRIAGE_TIPS)
@require_POST
def tip_dismiss(request: HtmxHttpRequest, pk):
    tip = get_object_or_404(Tip, pk=pk)
    try:
        services.tip_dismiss(tip=tip, by=request.user)
    except ValidationError as error:
        return _after(request, TIPS, tip.pk, problem=" ".join(error.messages), status=FORM_INVALID)
    return _after(request, TIPS, tip.pk)


# --- Error reports ---------------------------------------------------------------------------------


@staff_view(Action.TRIAGE_ERROR_REPORTS)
@require_safe
def error_reports(request: HtmxHttpRequest):
    return _render_list(request, ERROR_REPORTS)


def _report_action(request: HtmxHttpRequest, pk, act):
    """Run `act(report, answer)`. A refused answer comes back beside its report, as typed; a report
    someone else handled meanwhile comes back as it now is, with the reason."""
    report = get_object_or_404(ErrorReport, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            act(report, form.cleaned_data["answer"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # not about the answer: the report moved on
                return _after(request, ERROR_REPORTS, report.pk, problem=" ".join(error.messages), status=FORM_INVALID)
            add_service_errors(form, error)
        else:
            return _after(request, ERROR_REPORTS, report.pk)
    if request.htmx:
        return _after(request, ERROR_REPORTS, report.pk, form=form, status=FORM_INVALID)
    return _render_list(request, ERROR_REPORTS, status=FORM_INVALID, editing=report.pk, editing_form=form)


@staff_view(Action.TRIAGE_ERROR_REPORTS)
@require_POST
def error_report_answer(request: HtmxHttpRequest, pk):
    return _report_action(
        request, pk, lambda report, answer: services.error_report_answer(report=report, by=request.user, answer=answer)
    )


@staff_view(Action.TRIAGE_ERROR_REPORTS)
@require_POST
def error_report_corrected(request: HtmxHttpRequest, pk):
    """The report led to a correction: the row then links to the claim's workspace to draft it."""
    return _report_action(
        request,
        pk,
        lambda report, answer: services.error_report_mark_corrected(report=report, by=request.user, answer=answer),
    )


@staff_view(Action.TRIAGE_ERROR_REPORTS)
@require_POST
def error_report_dismiss(request: HtmxHttpRequest, pk):
    return _report_action(
        request, pk, lambda report, answer: services.error_report_dismiss(report=report, by=request.user)
    )
