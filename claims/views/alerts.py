"""The bell in the staff navigation: each person's alerts (claims/alerts.py), marked read one by one or all at once.

The list is one region (`alert-list`): marking read posts with htmx and gets the region back, with the
bell's count swapped out of band; without JavaScript the same forms post and redirect back to the page.
"""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from claims import accounts, alerts
from claims.decorators import staff_view
from claims.permissions import Action
from claims.views.htmx import HtmxHttpRequest, wants_region

ALERTS_TEMPLATE = "claims/staff/alerts.html"


def _list(request: HtmxHttpRequest, *, partial: str | None = None):
    context = {"alerts": alerts.alerts_for(request.user), "unread": alerts.unread_count(request.user)}
    template = f"{ALERTS_TEMPLATE}#{partial}" if partial else ALERTS_TEMPLATE
    return render(request, template, context)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def alert_list(request: HtmxHttpRequest):
    return _list(request, partial="alert-list" if wants_region(request) else None)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def alert_count(request: HtmxHttpRequest):
    """The number of unread alerts, for the bell in the staff navigation."""
    return render(request, f"{ALERTS_TEMPLATE}#alert-count", {"unread": alerts.unread_count(request.user)})


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@require_POST
def alerts_read(request: HtmxHttpRequest):
    """Mark the alerts named (`alert`) or all of them (`all`) read: only one's own (the service filters by `by`)."""
    named = [int(value) for value in request.POST.getlist("alert") if value.isdigit()]
    accounts.alerts_mark_read(by=request.user, alert_ids=None if request.POST.get("all") else named)
    if wants_region(request):
        return _list(request, partial="alert-list-answer")
    return redirect("staff:alerts")
