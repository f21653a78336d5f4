"""A real Celery worker on Redis, against PostgreSQL, sends webhooks to a partner's receiver on 127.0.0.1 that checks
their signatures, tries again after a 500, refuses a redirect, stops at a 410 Gone; and builds an export that staff
then download."""

import csv
import io
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.urls import reverse

from claims import exports, webhooks
from claims.models import Export, WebhookDelivery, WebhookEvent
from factcheck import celery_app
from tests.factories import ClaimFactory, EvidenceFactory
from tests.integration.test_celery_worker import wait_for
from tests.publishing import publish

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TASKS = ("deliver_webhook", "deliver_due_webhooks", "build_export")


class PartnerReceiver:
    """A partner's endpoint: verifies each delivery with the secret it was given, answers the statuses queued."""

    def __init__(self):
        self.secret = ""
        self.answers: list[int] = []  # statuses to answer, in order; 200 once they run out
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    webhooks.verify(receiver.secret, headers=dict(self.headers), body=body)
                    verified = True
                except webhooks.SignatureError:
                    verified = False
                receiver.received.append({"path": self.path, "headers": dict(self.headers), "verified": verified})
                if self.path == "/moved":
                    status, extra = 302, {"Location": "/elsewhere"}
                else:
                    status, extra = (receiver.answers.pop(0) if receiver.answers else 200), {}
                    status = status if verified else 401
                answer = b"thanks" if status == 200 else b"try later"
                self.send_response(status)
                for name, value in {"Content-Length": str(len(answer)), **extra}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"


@pytest.fixture
def receiver(settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    partner = PartnerReceiver()
    partner.thread.start()
    yield partner
    partner.server.shutdown()
    partner.server.server_close()


@contextmanager
def worker_on_a_queue_of_our_own():
    """The tasks go to a queue named after this run's test database, emptied first (as in test_import_worker)."""
    assert celery_app.conf.broker_url.startswith(("redis://", "rediss://")), "run the suite with a Redis broker"
    queue = f"tests-webhooks-{connection.settings_dict['NAME']}"
    with celery_app.connection_for_write() as broker:
        broker.default_channel.queue_purge(queue)
    routes = celery_app.conf.task_routes  # the settings' routes (import, matching, email), put back after
    celery_app.conf.update(task_routes={f"claims.tasks.{name}": {"queue": queue} for name in TASKS})
    try:
        with start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
            yield queue
    finally:
        celery_app.conf.update(task_routes=routes)


def beat_until(condition, *, seconds: float = 30) -> bool:
    """Stand in for Celery beat: send the sweep of due deliveries every half second until `condition` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        celery_app.send_task("claims.tasks.deliver_due_webhooks")
        time.sleep(0.5)
    return condition()


def test_a_partner_receives_a_signed_webhook_when_a_claim_is_published_retried_after_a_500(
    receiver, settings, admin_user
):
    assert connection.vendor == "postgresql"
    settings.WEBHOOK_RETRY_DELAYS = [1, 1, 1]
    subscription, secret = webhooks.webhook_subscription_create(
        name="Partner", url=receiver.url("/hooks"), events=[WebhookEvent.PUBLISHED], by=admin_user
    )
    receiver.secret = secret
    receiver.answers = [500]  # the partner's first answer: down for a moment
    claim = ClaimFactory(text="The minister says no drones were sold.")

    with worker_on_a_queue_of_our_own():
        verdict = publish(claim)  # the delivery is enqueued when the publication commits
        delivered = beat_until(lambda: WebhookDelivery.objects.filter(status="delivered").exists())

    assert delivered, "the worker did not deliver the webhook after the 500"
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert (delivery.attempts, delivery.response_status, delivery.response_body) == (2, 200, "thanks")
    assert [attempt["status"] for attempt in delivery.log] == [500, 200]
    assert [request["verified"] for request in receiver.received] == [True, True]
    ids = {request["headers"]["webhook-id"] for request in receiver.received}
    assert ids == {f"msg_verdict_{verdict.pk}"}, "every retry carries the same id: the partner's idempotency key"


def test_a_redirect_is_refused_and_logged_not_followed(receiver, settings, admin_user):
    settings.WEBHOOK_RETRY_DELAYS = [3600]
    subscription, secret = webhooks.webhook_subscription_create(
        name="Partner", url=receiver.url("/moved"), events=[WebhookEvent.PUBLISHED], by=admin_user
    )
    receiver.secret = secret

    with worker_on_a_queue_of_our_own():
        webhooks.webhook_test_send(subscription=subscription, by=admin_user)
        tried = wait_for(lambda: WebhookDelivery.objects.filter(attempts=1, response_status=302).exists())

    assert tried, "the worker did not try the delivery"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "do not follow redirects" in delivery.error
    assert [request["path"] for request in receiver.received] == ["/moved"], "the redirect was not followed"


def test_a_receiver_that_answers_410_gone_pauses_its_subscription_and_is_not_retried(receiver, settings, admin_user):
    settings.WEBHOOK_RETRY_DELAYS = [1, 1, 1]
    subscription, secret = webhooks.webhook_subscription_create(
        name="Partner", url=receiver.url("/hooks"), events=[WebhookEvent.PUBLISHED], by=admin_user
    )
    receiver.secret = secret
    receiver.answers = [410]

    with worker_on_a_queue_of_our_own():
        webhooks.webhook_test_send(subscription=subscription, by=admin_user)
        failed = wait_for(lambda: WebhookDelivery.objects.filter(status="failed").exists())
        beat_until(lambda: False, seconds=3)  # the sweep runs meanwhile: it must send nothing more

    assert failed, "the worker did not record the 410"
    subscription.refresh_from_db()
    assert subscription.active is False and "410 Gone" in subscription.paused_reason
    assert WebhookDelivery.objects.get().attempts == 1
    assert len(receiver.received) == 1, "a gone address is not tried again"


def test_the_worker_builds_an_export_that_its_requester_downloads(client_for, reviewer, settings):
    claim = ClaimFactory(text='=HYPERLINK("http://evil.invalid","Click")')
    EvidenceFactory(claim=claim, summary="Customs records.", internal_note="Sam's source")
    client = client_for("reviewer")

    with worker_on_a_queue_of_our_own():
        response = client.post(reverse("staff:exports"), {"format": "csv"})
        export = Export.objects.get()
        assert response["Location"] == reverse("staff:export", args=[export.pk])
        built = wait_for(lambda: Export.objects.filter(status=Export.Status.READY).exists())

    assert built, "the worker did not build the export"
    page = client.get(reverse("staff:export", args=[export.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' not in page.content.decode(), "a ready export stops polling"
    download = client.get(reverse("staff:export-download", args=[export.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [row["claim"] for row in rows] == ["'" + claim.text]  # neutralised: shown as text, never run
    assert rows[0]["evidence_internal_notes"] == "Sam's source"  # a reviewer's export holds the internal fields
    assert client_for("factchecker").get(reverse("staff:export-download", args=[export.pk])).status_code == 404
    assert exports.neutralise("@SUM(A1)") == "'@SUM(A1)"
