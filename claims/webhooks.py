"""Webhooks out: partners subscribe an address to events and are sent a signed POST for each one.

Signed as the Standard Webhooks specification says (docs/architecture.md, "Webhooks"): each delivery
carries `webhook-id` (the event's id, the same on every retry: the receiver's idempotency key),
`webhook-timestamp` (this attempt, in Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>` of
`{id}.{timestamp}.{body}`, keyed with the subscription's secret (`whsec_` and the key in base64).

* The events are queued by the publish transition, in its transaction (`queue_publication_events`): one
  `WebhookDelivery` row per active subscription to the event, unique per subscription and event id, so the
  event is on file even if the broker is down, and never twice.
* The worker sends them (`deliver`): it claims the row with a conditional update that also moves its next
  attempt a lease ahead (so a worker killed mid-attempt leaves it to be tried again later, never twice at
  once), posts through the safe fetcher (`claims.importing.fetch.post`: the same address checks,
  redirects refused, the answer cut to an excerpt), and logs the answer. A 2xx is delivered; anything
  else is tried again after `WEBHOOK_RETRY_DELAYS` (1 min, 5 min, 30 min, 2 h, 6 h), then failed.
* A receiver that answers 410 Gone has removed the address for good: the delivery fails at once (no retry)
  and the subscription is paused, with the reason recorded for the admins, until one of them resumes it.
* The retries are driven by the database, not by Celery countdowns: the `deliver-due-webhooks` beat task
  enqueues every delivery whose next attempt is due, so a restart of the worker or of Redis loses none.

The subscriptions are the admins' (`Action.MANAGE_WEBHOOKS`): each service below checks it itself.
"""

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import jobs
from claims.importing import fetch
from claims.links import absolute_url, claim_url
from claims.models import SiteSettings, User, Verdict, WebhookDelivery, WebhookEvent, WebhookSubscription
from claims.permissions import Action, require
from claims.publishing import claimreview
from claims.publishing.record import read_record

# Who acts: services take the request's user as it comes and `require` refuses anyone who may not.
Someone = User | AnonymousUser | None
SECRET_PREFIX = "whsec_"  # noqa: S105 - the secret's prefix, as Standard Webhooks writes it
SECRET_BYTES = 32
SIGNATURE_VERSION = "v1"
# How far a receiver should accept a timestamp from its own clock (the reference `verify` uses it).
TIMESTAMP_TOLERANCE = timedelta(minutes=5)
# A claimed attempt's row waits this long before another worker may try it (longer than any attempt).
ATTEMPT_LEASE = timedelta(minutes=5)
RESPONSE_EXCERPT_BYTES = 2048
DUE_BATCH = 200
TEST_EVENT = "webhook.test"
GONE = 410  # the receiver says the address is gone for good: pause the subscription, retry nothing

EVENT_OF_KIND = {
    Verdict.Kind.FIRST: WebhookEvent.PUBLISHED,
    Verdict.Kind.CORRECTION: WebhookEvent.CORRECTED,
    Verdict.Kind.UPDATE: WebhookEvent.CORRECTED,
    Verdict.Kind.RETRACTION: WebhookEvent.RETRACTED,
}


# --- Signing (and the reference verification a receiver does) ---------------------------------


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "{msg_id}.{timestamp}.{body}">`, keyed with the secret's bytes."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signed_headers(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id=msg_id, timestamp=timestamp, body=body),
    }


class SignatureError(Exception):
    """The request is not a delivery signed with this secret, or it is too old or too new."""


def verify(secret: str, *, headers: Mapping[str, str], body: bytes, now: datetime | None = None) -> None:
    """What a receiver does (docs/architecture.md, "Verifying a delivery"): raises SignatureError unless one
    of the signatures matches the raw body and the timestamp is within TIMESTAMP_TOLERANCE of `now`."""
    lower = {name.lower(): value for name, value in headers.items()}
    msg_id, stamp, signatures = (
        lower.get(name, "") for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
    )
    if not (msg_id and stamp and signatures):
        raise SignatureError("Missing webhook-id, webhook-timestamp or webhook-signature.")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise SignatureError("webhook-timestamp is not a whole number of seconds.") from None
    current = (now or timezone.now()).timestamp()
    if abs(current - timestamp) > TIMESTAMP_TOLERANCE.total_seconds():
        raise SignatureError("webhook-timestamp is too far from now: a replay, or a clock that is wrong.")
    expected = sign(secret, msg_id=msg_id, timestamp=timestamp, body=body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures.split(" ")):
        raise SignatureError("No signature matches.")


def body_of(payload: Mapping[str, Any]) -> bytes:
    """The bytes sent (and signed): compact JSON, UTF-8."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


# --- The subscriptions (admins) -----------------------------------------------------------------


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        target = fetch.parse_target(url)
    except fetch.FetchRefused as refused:
        raise ValidationError({"url": str(refused)}) from None
    if target.scheme != "https" and not settings.FETCH_ALLOW_LOOPBACK:
        raise ValidationError({"url": _("Use an https:// address: deliveries carry the claims' content.")})
    return url


def _check_events(events: list[str]) -> list[str]:
    chosen = [event for event in WebhookEvent.values if event in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise ValidationError({"events": _("Choose at least one of the events.")})
    return chosen


@transaction.atomic
def webhook_subscription_create(
    *, name: str, url: str, events: list[str], by: Someone
) -> tuple[WebhookSubscription, str]:
    """A new subscription; returns it and its secret, which is shown only now."""
    require(by, Action.MANAGE_WEBHOOKS)
    assert isinstance(by, User)  # `require` let only an active admin through
    secret = new_secret()
    subscription = WebhookSubscription(
        name=name.strip(), url=_check_url(url), events=_check_events(events), secret=secret, created_by=by
    )
    subscription.full_clean()
    subscription.save()
    return subscription, secret


@transaction.atomic
def webhook_subscription_set_active(
    *, subscription: WebhookSubscription, active: bool, by: Someone
) -> WebhookSubscription:
    """Pause (nothing is sent; events meanwhile are not queued for it) or resume a subscription.

    Pausing records who paused it; resuming clears the reason (an admin's, or the receiver's 410 Gone), and
    the deliveries still waiting are sent again by the sweep."""
    require(by, Action.MANAGE_WEBHOOKS)
    assert isinstance(by, User)  # `require` let only an active admin through
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if active:
        subscription.active, subscription.paused_at, subscription.paused_reason = True, None, ""
    elif subscription.active:
        subscription.active, subscription.paused_at = False, timezone.now()
        subscription.paused_reason = _("Paused by %(who)s.") % {"who": by.get_username()}
    subscription.save(update_fields=["active", "paused_at", "paused_reason"])
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, subscription: WebhookSubscription, by: Someone) -> None:
    """Delete a subscription and its deliveries' log."""
    require(by, Action.MANAGE_WEBHOOKS)
    WebhookSubscription.objects.filter(pk=subscription.pk).delete()


@transaction.atomic
def webhook_test_send(*, subscription: WebhookSubscription, by: Someone) -> WebhookDelivery:
    """Send the subscription a `webhook.test` event (signed like any other), so the partner can check their side."""
    require(by, Action.MANAGE_WEBHOOKS)
    if not subscription.active:
        raise ValidationError(_("This subscription is paused: resume it to send it a test event."))
    now = timezone.now()
    payload = {
        "type": TEST_EVENT,
        "timestamp": now.isoformat(),
        "data": {"message": "A test event: your endpoint receives and verifies our webhooks."},
    }
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event_id=f"msg_test_{secrets.token_hex(12)}", event=TEST_EVENT, payload=payload
    )
    transaction.on_commit(lambda: jobs.enqueue_webhook_deliveries([delivery.pk]))
    return delivery


# --- Events (queued by the publish transition) -----------------------------------------------------


def publication_payload(verdict: Verdict, *, event: str) -> dict[str, Any]:
    """What the public page shows of a verdict just published: its address, the verdict's public fields and
    the ClaimReview (none for a retraction, which no longer stands). Built from the published record."""
    record = read_record(verdict.published_record or {})
    assert verdict.published_at is not None  # published
    first = verdict.claim.verdicts.filter(published_at__isnull=False).order_by("published_at", "pk").first()
    first_published_at = first.published_at if first is not None and first.published_at else verdict.published_at
    review = None
    if verdict.kind != Verdict.Kind.RETRACTION:
        review = claimreview.claim_review(
            claim=record.claim,
            verdict=record.verdict,
            sources=record.sources,
            repeats=record.repeats,
            first_published_at=first_published_at,
            published_at=verdict.published_at,
            site=SiteSettings.load(),
        )
    rating = record.verdict.rating
    return {
        "type": event,
        "timestamp": verdict.published_at.isoformat(),
        "data": {
            "url": claim_url(record.claim.slug),
            "api_url": absolute_url(reverse("api:claim_detail", kwargs={"slug": record.claim.slug})),
            "claim": record.claim.text,
            "language": record.claim.language,
            "kind": verdict.kind,
            "headline": record.verdict.headline,
            "rating": rating.label if rating is not None else None,
            "public_note": record.verdict.public_note,
            "published_at": verdict.published_at.isoformat(),
            "first_published_at": first_published_at.isoformat(),
            "claim_review": review,
        },
    }


def queue_publication_events(verdict: Verdict) -> list[int]:
    """In the publish transaction: a delivery of the verdict's event to every active subscription to it.

    Sample (demo) claims are sent to nobody. The event id is the verdict's, so the event is queued once
    whatever happens; the deliveries are enqueued when the transaction commits (and by the beat sweep if
    the broker is down then).
    """
    if verdict.claim.is_sample:
        return []
    event = EVENT_OF_KIND[Verdict.Kind(verdict.kind)]
    subscriptions = [sub for sub in WebhookSubscription.objects.filter(active=True) if event in sub.events]
    if not subscriptions:
        return []
    payload = publication_payload(verdict, event=event)
    ids = []
    for subscription in subscriptions:
        delivery, _created = WebhookDelivery.objects.get_or_create(
            subscription=subscription,
            event_id=f"msg_verdict_{verdict.pk}",
            defaults={"event": event, "payload": payload, "claim": verdict.claim},
        )
        ids.append(delivery.pk)
    transaction.on_commit(lambda: jobs.enqueue_webhook_deliveries(ids))
    return ids


# --- Delivering (the worker) -----------------------------------------------------------------------


def retry_delays() -> list[timedelta]:
    return [timedelta(seconds=seconds) for seconds in settings.WEBHOOK_RETRY_DELAYS]


def _claim_attempt(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Take the delivery's next attempt if it is due and nobody holds it: one conditional update."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=now,
        subscription__active=True,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + ATTEMPT_LEASE, last_attempt_at=now)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)


def deliver(delivery_id: int) -> WebhookDelivery | None:
    """One attempt at a due delivery: sign, POST through the safe fetcher, log the answer, schedule the next.

    None when there was nothing to do (delivered, failed, not yet due, being tried by another worker, or
    its subscription paused or deleted): a second message for the same delivery does nothing.
    """
    now = timezone.now()
    delivery = _claim_attempt(delivery_id, now)
    if delivery is None:
        return None
    subscription = delivery.subscription
    body = body_of(delivery.payload)
    timestamp = int(now.timestamp())
    headers = signed_headers(subscription.secret, msg_id=delivery.event_id, timestamp=timestamp, body=body)
    status: int | None = None
    excerpt, error = "", ""
    try:
        answer = fetch.post(subscription.url, body=body, headers=headers, max_bytes=RESPONSE_EXCERPT_BYTES)
    except fetch.FetchRedirectRefused as refused:
        status, error = refused.status, str(refused)
    except fetch.FetchError as failed:
        error = str(failed)
    else:
        status, excerpt = answer.status, answer.body.decode("utf-8", "replace")
        if not 200 <= status < 300:
            error = f"The receiver answered HTTP {status}."
    return _record_attempt(delivery, at=now, status=status, excerpt=excerpt, error=error)


@transaction.atomic
def _record_attempt(
    delivery: WebhookDelivery, *, at: datetime, status: int | None, excerpt: str, error: str
) -> WebhookDelivery:
    delivery.response_status, delivery.response_body, delivery.error = status, excerpt, error
    delivery.log = [*delivery.log, {"at": at.isoformat(), "status": status, "error": error}]
    delays = retry_delays()
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at, delivery.error = WebhookDelivery.Status.DELIVERED, timezone.now(), ""
    elif status == GONE:
        delivery.status = WebhookDelivery.Status.FAILED
        _pause_gone(delivery, at=at)
    elif delivery.attempts > len(delays):
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.next_attempt_at = timezone.now() + delays[delivery.attempts - 1]
    delivery.save(
        update_fields=[
            "status", "delivered_at", "next_attempt_at", "response_status", "response_body", "error", "log",
        ]
    )  # fmt: skip
    return delivery


def _pause_gone(delivery: WebhookDelivery, *, at: datetime) -> None:
    """The receiver answered 410 Gone: pause its subscription (if nobody did meanwhile) and say why."""
    reason = _(
        "The receiver answered 410 Gone to %(event)s: the partner has removed this address. Nothing is sent to "
        "it until an admin resumes it (after checking the address with the partner)."
    ) % {"event": delivery.event_id}
    WebhookSubscription.objects.filter(pk=delivery.subscription_id, active=True).update(
        active=False, paused_at=at, paused_reason=reason
    )


def deliver_due() -> int:
    """The beat sweep: enqueue every delivery whose next attempt is due (retries, and any the broker lost)."""
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now(), subscription__active=True
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    if due:
        jobs.enqueue_webhook_deliveries(due)
    return len(due)
