"""Triage of what the public sends in: tips, grouped by what they ask, lead to a claim or are dismissed;
error reports are answered, lead to a correction, or are dismissed.

Only staff who may triage see these lists, and with them the senders' contact
details. Each row's buttons post to their own URL: an htmx request gets the row
back (swapped in place), any other request is redirected to the list it came
from, with its filter and page (post/redirect/get). Taking a tip out of its group
or moving it changes two rows and the order, so htmx gets the whole list back.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from claims import selectors, services
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import AnswerForm
from claims.models import Claim, ErrorReport, Tip, TipGroup
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


TIPS = Queue(TipGroup, "claims/staff/tips.html", "tip-row", "staff:tips", selectors.tip_groups_for_triage)
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
def tip_group_accept(request: HtmxHttpRequest, pk):
    """The group's tips lead to a claim: the one on file chosen (`claim`), else a new one whose workspace opens."""
    group = get_object_or_404(TipGroup, pk=pk)
    claim_id = request.POST.get("claim", "")
    claim = get_object_or_404(Claim, pk=int(claim_id)) if claim_id.isdecimal() else None
    if claim_id and claim is None:
        raise Http404
    try:
        claim = services.tip_group_accept(group=group, by=request.user, claim=claim)
    except ValidationError as error:
        return _after(request, TIPS, group.pk, problem=" ".join(error.messages), status=FORM_INVALID)
    if request.POST.get("claim"):
        messages.success(request, _("The tips are linked to this claim: their senders will hear of its verdict."))
    else:
        messages.success(request, _("The tips are now a claim. Check its wording and who made it, then research it."))
    return redirect("staff:claim", pk=claim.pk)


@staff_view(Action.TRIAGE_TIPS)
@require_POST
def tip_group_dismiss(request: HtmxHttpRequest, pk):
    group = get_object_or_404(TipGroup, pk=pk)
    try:
        services.tip_group_dismiss(group=group, by=request.user)
    except ValidationError as error:
        return _after(request, TIPS, group.pk, problem=" ".join(error.messages), status=FORM_INVALID)
    return _after(request, TIPS, group.pk)


def _placed(request: HtmxHttpRequest, tip: Tip, place):
    """Run `place()`, which moves the tip to another group, and show the list as it now is (htmx), or go
    back to it at the tip's new group; a refusal is shown beside the tip's group."""
    try:
        group = place()
    except ValidationError as error:
        problem = " ".join(error.messages)
        if request.htmx:
            return _render_list(request, TIPS, status=FORM_INVALID, problem=problem, problem_row=tip.group_id)
        messages.error(request, problem)
        return TIPS.back_to_list(request, tip.group_id)
    if request.htmx:
        return _render_list(request, TIPS)
    return TIPS.back_to_list(request, group.pk)


@staff_view(Action.TRIAGE_TIPS)
@require_POST
def tip_ungroup(request: HtmxHttpRequest, pk):
    """Not the same question as the rest of its group: the tip becomes an item of its own (and stays one)."""
    tip = get_object_or_404(Tip, pk=pk)
    return _placed(request, tip, lambda: services.tip_ungroup(tip=tip, by=request.user))


@staff_view(Action.TRIAGE_TIPS)
@require_POST
def tip_move(request: HtmxHttpRequest, pk):
    """The tip asks the same thing as another item: it joins that item's tips (and stays there)."""
    tip = get_object_or_404(Tip, pk=pk)
    try:
        into = TipGroup.objects.get(pk=int(request.POST.get("into", "")))
    except (ValueError, TipGroup.DoesNotExist):
        return _placed(request, tip, _no_such_item)
    return _placed(request, tip, lambda: services.tip_move(tip=tip, into=into, by=request.user))


def _no_such_item():
    raise ValidationError(_("There is no such item of tips: give the number shown on the item."))


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
