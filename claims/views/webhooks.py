"""Webhooks out (admins): the subscriptions, a new one's secret shown once, and each one's deliveries.

Everything is written by claims/webhooks.py, which checks `MANAGE_WEBHOOKS` itself; the deliveries are
sent by the worker, and a subscription's page lists them with the receiver's answers.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from claims import selectors, webhooks
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import WebhookSubscriptionForm
from claims.models import WebhookSubscription
from claims.permissions import Action
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest, page_or_region

WEBHOOKS_TEMPLATE = "claims/staff/webhooks.html"
SUBSCRIPTION_TEMPLATE = "claims/staff/webhook.html"
SECRET_TO_SHOW_KEY = "webhook_secret_to_show"  # noqa: S105 - a session key


def _list_page(request: HtmxHttpRequest, form: WebhookSubscriptionForm | None = None, *, status: int = 200):
    context = {"subscriptions": selectors.webhook_subscriptions(), "form": form or WebhookSubscriptionForm()}
    return render(request, page_or_region(request, WEBHOOKS_TEMPLATE, "subscription-form"), context, status=status)


@staff_view(Action.MANAGE_WEBHOOKS)
@require_http_methods(["GET", "POST"])
def webhooks_page(request: HtmxHttpRequest):
    """The subscriptions, and the form that adds one; its secret is shown once, on the next page."""
    if request.method != "POST":
        return _list_page(request)
    form = WebhookSubscriptionForm(request.POST)
    if form.is_valid():
        try:
            subscription, secret = webhooks.webhook_subscription_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[SECRET_TO_SHOW_KEY] = [subscription.pk, secret]
            if request.htmx:  # a whole new page, not a swap into the form (which would spend the secret)
                return HttpResponseClientRedirect(reverse("staff:webhook-created"))
            return redirect("staff:webhook-created")
    return _list_page(request, form, status=FORM_INVALID)


@staff_view(Action.MANAGE_WEBHOOKS)
@never_cache
@require_safe
def webhook_created(request: HtmxHttpRequest):
    """The new subscription's secret, shown once: reloading the page does not show it again."""
    shown = request.session.pop(SECRET_TO_SHOW_KEY, None)
    if not shown:
        messages.info(
            request, _("A subscription's secret is shown only once. Delete it and add it again if it is lost.")
        )
        return redirect("staff:webhooks")
    subscription = get_object_or_404(WebhookSubscription, pk=shown[0])
    return render(request, "claims/staff/webhook_created.html", {"subscription": subscription, "secret": shown[1]})


@staff_view(Action.MANAGE_WEBHOOKS)
@require_safe
def webhook_detail(request: HtmxHttpRequest, pk: int):
    """A subscription and its latest deliveries, with the receiver's answers (to htmx: the deliveries only)."""
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    context = {"subscription": subscription, "deliveries": selectors.webhook_deliveries(subscription)}
    return render(request, page_or_region(request, SUBSCRIPTION_TEMPLATE, "deliveries"), context)


@staff_view(Action.MANAGE_WEBHOOKS)
@require_POST
def webhook_active(request: HtmxHttpRequest, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    active = request.POST.get("active") == "1"
    webhooks.webhook_subscription_set_active(subscription=subscription, active=active, by=request.user)
    messages.success(request, _("Resumed: events are sent to it again.") if active else _("Paused: nothing is sent."))
    return redirect("staff:webhook", pk=pk)


@staff_view(Action.MANAGE_WEBHOOKS)
@require_POST
def webhook_delete(request: HtmxHttpRequest, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    webhooks.webhook_subscription_delete(subscription=subscription, by=request.user)
    messages.success(request, _("Subscription deleted: nothing more is sent to %(url)s.") % {"url": subscription.url})
    return redirect("staff:webhooks")


@staff_view(Action.MANAGE_WEBHOOKS)
@require_POST
def webhook_test(request: HtmxHttpRequest, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    try:
        webhooks.webhook_test_send(subscription=subscription, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A test event is on its way; its delivery is listed below."))
    return redirect("staff:webhook", pk=pk)
