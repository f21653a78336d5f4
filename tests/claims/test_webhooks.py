"""Webhooks out (claims/webhooks.py): signatures a Standard Webhooks receiver accepts, events queued on publication,
attempts retried on the schedule, and the admins' pages. The real worker's deliveries: tests/integration."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import webhooks
from claims.importing import fetch
from claims.models import Verdict, WebhookDelivery, WebhookEvent, WebhookSubscription
from tests.factories import ClaimFactory, EvidenceFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

# The Standard Webhooks reference libraries' own test vector (their test_sign_function).
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signatures_match_the_standard_webhooks_reference_vector():
    assert webhooks.sign(VECTOR_SECRET, msg_id=VECTOR_ID, timestamp=VECTOR_TIMESTAMP, body=VECTOR_BODY) == (
        VECTOR_SIGNATURE
    )


def test_a_receiver_accepts_a_signed_delivery_and_refuses_a_changed_body_a_wrong_secret_and_a_replay():
    secret, body = webhooks.new_secret(), b'{"type":"claim.published"}'
    now = timezone.now()
    headers = webhooks.signed_headers(secret, msg_id="msg_verdict_1", timestamp=int(now.timestamp()), body=body)
    webhooks.verify(secret, headers=headers, body=body, now=now)  # no error
    # Headers as a server hands them over (any case), several signatures while a secret is rotated.
    rotated = {"Webhook-Id": headers["webhook-id"], "Webhook-Timestamp": headers["webhook-timestamp"]}
    rotated["Webhook-Signature"] = "v1,bm90IGl0 " + headers["webhook-signature"]
    webhooks.verify(secret, headers=rotated, body=body, now=now)
    with pytest.raises(webhooks.SignatureError):
        webhooks.verify(secret, headers=headers, body=body + b" ", now=now)
    with pytest.raises(webhooks.SignatureError):
        webhooks.verify(webhooks.new_secret(), headers=headers, body=body, now=now)
    with pytest.raises(webhooks.SignatureError, match="too far"):
        webhooks.verify(secret, headers=headers, body=body, now=now + timedelta(minutes=6))
    with pytest.raises(webhooks.SignatureError, match="Missing"):
        webhooks.verify(secret, headers={"webhook-id": "msg_1"}, body=body, now=now)


def test_a_secret_is_a_whsec_key_of_at_least_24_random_bytes():
    secret = webhooks.new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24
    assert secret != webhooks.new_secret()


def _subscription(admin_user, *, events=tuple(WebhookEvent.values), url="https://partner.invalid/hook"):
    subscription, _secret = webhooks.webhook_subscription_create(
        name="Partner", url=url, events=list(events), by=admin_user
    )
    return subscription


def test_publishing_queues_one_delivery_per_subscriber_to_the_event_with_what_the_public_page_shows(
    admin_user, django_capture_on_commit_callbacks
):
    subscribed = _subscription(admin_user)
    _subscription(admin_user, events=[WebhookEvent.RETRACTED])  # not to this event
    paused = _subscription(admin_user)
    webhooks.webhook_subscription_set_active(subscription=paused, active=False, by=admin_user)
    claim = ClaimFactory(text="The minister says no drones were sold.")
    EvidenceFactory(claim=claim, summary="The customs records.", internal_note="Ask Sam about the leak")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        verdict = publish(claim)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.subscription, delivery.event, delivery.event_id) == (
        subscribed,
        "claim.published",
        f"msg_verdict_{verdict.pk}",
    )
    data = delivery.payload["data"]
    assert delivery.payload["type"] == "claim.published"
    assert data["url"].endswith(f"/claims/{claim.slug}/") or claim.slug in data["url"]
    assert data["claim_review"]["@type"] == "ClaimReview" and data["headline"] == verdict.headline
    sent = json.dumps(delivery.payload)
    assert "Ask Sam" not in sent  # an internal note is no more in the webhook than on the page
    assert verdict.author.username not in sent and verdict.reviewer.username not in sent
    assert callbacks, "the delivery is enqueued once the publication commits"


def test_a_retraction_is_its_own_event_and_carries_no_claim_review(admin_user):
    _subscription(admin_user, events=[WebhookEvent.RETRACTED, WebhookEvent.CORRECTED])
    first = publish()
    assert not WebhookDelivery.objects.exists()  # not subscribed to first publications
    publish(first.claim, kind=Verdict.Kind.CORRECTION, public_note="The date was wrong.")
    publish(first.claim, kind=Verdict.Kind.RETRACTION, public_note="The check relied on a forged document.")
    corrected, retracted = WebhookDelivery.objects.order_by("pk")
    assert corrected.event == "claim.corrected" and corrected.payload["data"]["kind"] == "correction"
    assert retracted.event == "claim.retracted" and retracted.payload["data"]["claim_review"] is None


def test_sample_claims_are_sent_to_nobody(admin_user):
    _subscription(admin_user)
    publish(ClaimFactory(is_sample=True))
    assert not WebhookDelivery.objects.exists()


def test_only_https_addresses_are_subscribed_outside_development(admin_user, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(Exception, match="https"):
        _subscription(admin_user, url="http://partner.invalid/hook")
    with pytest.raises(Exception, match="password"):
        _subscription(admin_user, url="https://user:pw@partner.invalid/hook")


def _due_delivery(admin_user) -> WebhookDelivery:
    subscription = _subscription(admin_user)
    return webhooks.webhook_test_send(subscription=subscription, by=admin_user)


class Receiver:
    """Stands in for fetch.post: answers `status` and keeps what was sent (the real one: tests/integration)."""

    def __init__(self, status: int, answer: bytes = b"ok"):
        self.status, self.answer, self.sent = status, answer, []

    def __call__(self, url, *, body: bytes, headers, **options):
        self.sent.append((url, body, headers))
        return fetch.FetchResult(url=url, status=self.status, headers={}, body=self.answer)


def test_a_failed_attempt_is_logged_and_tried_again_on_the_schedule_then_failed(admin_user, monkeypatch, settings):
    settings.WEBHOOK_RETRY_DELAYS = [60, 300]
    delivery = _due_delivery(admin_user)
    monkeypatch.setattr(fetch, "post", Receiver(500, b"Internal error"))

    delivery = webhooks.deliver(delivery.pk)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    assert delivery.response_body == "Internal error" and "HTTP 500" in delivery.error
    assert timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    assert webhooks.deliver(delivery.pk) is None, "not due yet: a second message does nothing"

    for expected_attempts in (2, 3):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        delivery = webhooks.deliver(delivery.pk)
        assert delivery.attempts == expected_attempts
    assert delivery.status == "failed" and len(delivery.log) == 3


def test_a_2xx_answer_delivers_it_signed_and_a_redirect_is_refused(admin_user, monkeypatch):
    delivery = _due_delivery(admin_user)
    monkeypatch.setattr(fetch, "post", receiver := Receiver(204, b""))
    delivered = webhooks.deliver(delivery.pk)
    assert delivered.status == "delivered" and delivered.delivered_at is not None
    _url, body, headers = receiver.sent[0]
    webhooks.verify(delivered.subscription.secret, headers=headers, body=body)
    assert headers["webhook-id"] == delivery.event_id

    other = _due_delivery(admin_user)

    def redirected(url, **options):
        raise fetch.FetchRedirectRefused(302, url, "http://169.254.169.254/")

    monkeypatch.setattr(fetch, "post", redirected)
    refused = webhooks.deliver(other.pk)
    assert (refused.status, refused.response_status) == ("pending", 302)
    assert "do not follow redirects" in refused.error


def test_a_paused_subscription_is_sent_nothing_and_the_sweep_skips_it(admin_user, monkeypatch):
    delivery = _due_delivery(admin_user)
    webhooks.webhook_subscription_set_active(subscription=delivery.subscription, active=False, by=admin_user)
    monkeypatch.setattr(fetch, "post", receiver := Receiver(200))
    assert webhooks.deliver(delivery.pk) is None and receiver.sent == []
    assert webhooks.deliver_due() == 0


def test_a_410_gone_pauses_the_subscription_with_the_reason_and_is_not_tried_again(admin_user, monkeypatch):
    delivery = _due_delivery(admin_user)
    waiting = webhooks.webhook_test_send(subscription=delivery.subscription, by=admin_user)
    monkeypatch.setattr(fetch, "post", receiver := Receiver(410, b"This endpoint was removed"))

    gone = webhooks.deliver(delivery.pk)

    assert (gone.status, gone.attempts, gone.response_status) == ("failed", 1, 410), "no retry is scheduled"
    subscription = WebhookSubscription.objects.get()
    assert subscription.active is False and subscription.paused_at is not None
    assert "410 Gone" in subscription.paused_reason and delivery.event_id in subscription.paused_reason
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhooks.deliver(delivery.pk) is None and webhooks.deliver(waiting.pk) is None
    assert webhooks.deliver_due() == 0 and len(receiver.sent) == 1, "nothing more is sent to a gone address"

    webhooks.webhook_subscription_set_active(subscription=subscription, active=True, by=admin_user)
    subscription.refresh_from_db()
    assert (subscription.active, subscription.paused_at, subscription.paused_reason) == (True, None, "")
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "failed", "the gone delivery stays failed"


def test_admins_see_why_a_subscription_was_paused(client_for, admin_user, monkeypatch):
    gone = _subscription(admin_user)
    gone.name = "Gone partner"
    gone.save()
    paused_by_hand = _subscription(admin_user)
    delivery = webhooks.webhook_test_send(subscription=gone, by=admin_user)
    monkeypatch.setattr(fetch, "post", Receiver(410, b"Gone"))
    webhooks.deliver(delivery.pk)
    client = client_for("admin")
    client.post(reverse("staff:webhook-active", args=[paused_by_hand.pk]), {"active": "0"})

    listing = client.get(reverse("staff:webhooks")).content.decode()
    detail = client.get(reverse("staff:webhook", args=[gone.pk])).content.decode()
    by_hand = client.get(reverse("staff:webhook", args=[paused_by_hand.pk])).content.decode()

    assert "The receiver answered 410 Gone to msg_test_" in listing
    assert "paused: nothing is sent" in detail and "The receiver answered 410 Gone" in detail
    admin_name = WebhookSubscription.objects.get(pk=paused_by_hand.pk).paused_reason
    assert admin_name.startswith("Paused by ") and admin_name in by_hand
    client.post(reverse("staff:webhook-active", args=[gone.pk]), {"active": "1"})
    assert "410 Gone" not in client.get(reverse("staff:webhook", args=[gone.pk])).content.decode()


def test_the_sweep_enqueues_what_is_due(admin_user, monkeypatch):
    from claims import jobs

    enqueued = []
    monkeypatch.setattr(jobs, "enqueue_webhook_deliveries", enqueued.extend)
    due = _due_delivery(admin_user)
    later = _due_delivery(admin_user)
    WebhookDelivery.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert webhooks.deliver_due() == 1 and enqueued == [due.pk]


# --- The admins' pages ----------------------------------------------------------------------------


def test_an_admin_adds_a_subscription_and_sees_its_secret_once(client_for):
    client = client_for("admin")
    response = client.post(
        reverse("staff:webhooks"),
        {"name": "Partner", "url": "https://partner.invalid/hook", "events": ["claim.published"]},
    )
    assert response.status_code == 302 and response["Location"] == reverse("staff:webhook-created")
    page = client.get(response["Location"])
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in page.content.decode()
    again = client.get(reverse("staff:webhook-created"))
    assert again.status_code == 302 and subscription.secret not in client.get(again["Location"]).content.decode()
    assert subscription.secret not in client.get(reverse("staff:webhook", args=[subscription.pk])).content.decode()


def test_adding_one_from_the_htmx_form_opens_the_secret_as_a_page_of_its_own(client_for):
    client = client_for("admin")
    data = {"name": "Partner", "url": "https://partner.invalid/hook", "events": ["claim.published"]}
    response = client.post(reverse("staff:webhooks"), data, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("staff:webhook-created"), "not swapped into the form's region"
    assert WebhookSubscription.objects.get().secret in client.get(response["HX-Redirect"]).content.decode()


def test_the_form_says_what_is_wrong_beside_the_field(client_for):
    response = client_for("admin").post(reverse("staff:webhooks"), {"name": "Partner", "url": "ftp://x.invalid/"})
    assert response.status_code == 422
    assert not WebhookSubscription.objects.exists()


def test_a_test_event_is_listed_with_the_receivers_answer(client_for, admin_user, monkeypatch):
    subscription = _subscription(admin_user)
    client = client_for("admin")
    client.post(reverse("staff:webhook-test", args=[subscription.pk]))
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    monkeypatch.setattr(fetch, "post", Receiver(410, b"Gone for good"))
    webhooks.deliver(delivery.pk)
    page = client.get(reverse("staff:webhook", args=[subscription.pk])).content.decode()
    assert "webhook.test" in page and "HTTP 410" in page and "Gone for good" in page


def test_timestamps_are_unix_seconds_of_the_attempt(admin_user, monkeypatch):
    delivery = _due_delivery(admin_user)
    monkeypatch.setattr(fetch, "post", receiver := Receiver(200))
    before = datetime.now(tz=UTC).timestamp()
    webhooks.deliver(delivery.pk)
    stamp = int(receiver.sent[0][2]["webhook-timestamp"])
    assert before - 1 <= stamp <= before + 5
