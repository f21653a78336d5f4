"""Pages for the newsroom's staff. Each starts with the guard from claims.decorators."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from claims import charts, permissions, selectors
from claims.decorators import staff_view
from claims.forms import ClaimFilterForm
from claims.models import OPEN_CLAIM_STATES
from claims.permissions import Action
from claims.views.htmx import HtmxHttpRequest, page_or_region, query_without_page, wants_region

CLAIMS_PER_PAGE = 25


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def home(request: HtmxHttpRequest):
    """The dashboard: claims with state, claimant, assignee and last change; filters and search."""
    form = ClaimFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    assignee = filters.get("assignee", "")
    if assignee == "me":
        assignee_user = request.user
    elif assignee.isdigit():
        assignee_user = permissions.fact_checker_users().filter(pk=assignee).first()
    else:
        assignee_user = None
    claims = selectors.claims_for_dashboard(
        query=filters.get("q", ""),
        state=filters.get("state", ""),
        topic=filters.get("topic"),
        assignee=assignee_user,
        unassigned=assignee == "none",
    )
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_without_page": query_without_page(request)}
    if not wants_region(request):
        context["my_work"] = selectors.my_work(request.user)
        context["charts"] = _charts(selectors.work_in_numbers())
    return render(request, page_or_region(request, "claims/staff/home.html", "claim-table"), context)


def _charts(numbers: selectors.WorkInNumbers) -> dict:
    """The dashboard's picture of the work, laid out for the templates to draw (claims/charts.py)."""
    open_states = [(state, label) for state, label, _total in numbers.by_state if state in OPEN_CLAIM_STATES]
    people = [
        (
            "person",
            person.name or _("unassigned"),
            [*(person.assigned.get(state, 0) for state, _label in open_states), person.reviewing],
        )
        for person in numbers.people
    ]
    rtl = get_language_bidi()  # the charts mirror with the page
    return {
        "by_state": charts.rows(
            [(state, label, [total]) for state, label, total in numbers.by_state], [("claims", _("Claims"))], rtl=rtl
        ),
        "published": charts.columns(
            [(date_format(week.starts, "j M"), week.published) for week in numbers.weeks], rtl=rtl
        ),
        "median_days": charts.columns(
            [(date_format(week.starts, "j M"), week.median_days) for week in numbers.weeks], shown=_days, rtl=rtl
        ),
        "overall_median": None if numbers.median_days is None else _days(numbers.median_days),
        "people": charts.rows(people, [*open_states, ("reviewing", _("Reviewing"))], rtl=rtl),
    }


def _days(days: float) -> str:
    return f"{days:.1f}"
