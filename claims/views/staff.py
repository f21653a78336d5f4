"""Pages for the newsroom's staff. Each starts with the guard from claims.decorators."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims import permissions, selectors
from claims.decorators import staff_view
from claims.forms import ClaimFilterForm
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
    return render(request, page_or_region(request, "claims/staff/home.html", "claim-table"), context)
