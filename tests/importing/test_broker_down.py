"""A web request never waits on a broker that is down; the work it saved is enqueued once the broker is back.

The broker here is a throwaway Redis of the test's own, on a port of its own,
stopped and started by the test (the shared Redis is never touched).
"""

import datetime
import json
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.urls import reverse
from django.utils import timezone

from claims import jobs
from claims.importing import pipeline
from claims.models import FetchStatus, PendingJob, Source
from factcheck import celery_app
from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server to start a broker of its own"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayRedis:
    def __init__(self, tmp_path):
        self.port = free_port()
        self.folder = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        for _attempt in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the throwaway Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queued_tasks(self, queue: str = "celery") -> list[tuple[str, list]]:
        messages = redis.Redis(port=self.port).lrange(queue, 0, -1)
        return [
            (json.loads(message)["headers"]["task"], json.loads(message)["headers"]["argsrepr"]) for message in messages
        ]


@pytest.fixture
def throwaway_broker(tmp_path):
    """Celery publishes to a Redis of this test's own, stopped to begin with."""
    broker = ThrowawayRedis(tmp_path)
    previous = celery_app.conf.get("broker_write_url")

    def publish_to(url):
        # broker_write_url: CELERY_BROKER_URL in the environment would win over broker_url.
        celery_app.conf.broker_write_url = url
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    publish_to(broker.url)
    yield broker
    broker.stop()
    publish_to(previous)


def test_pasting_a_url_while_the_broker_is_down_returns_at_once_and_the_relay_enqueues_it_later(
    throwaway_broker, client_for, django_capture_on_commit_callbacks, settings
):
    claim = ClaimFactory()
    client = client_for("factchecker")

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff:claim-source-url", args=[claim.pk]), {"url": "https://news.invalid/a"})
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < settings.CELERY_BROKER_CONNECTION_TIMEOUT + 5, f"the request waited {elapsed:.1f} s"
    source = Source.objects.get(url="https://news.invalid/a")
    assert source.fetch_status == FetchStatus.PENDING
    assert list(PendingJob.objects.values_list("task", "args")) == [("claims.tasks.fetch_source", [source.pk])]

    assert jobs.send_pending_jobs() == 0  # still down: the job keeps waiting
    throwaway_broker.start()
    assert jobs.send_pending_jobs() == 1

    assert throwaway_broker.queued_tasks("import") == [("claims.tasks.fetch_source", f"({source.pk},)")]
    assert not PendingJob.objects.exists()


def test_what_the_outbox_lost_with_the_database_the_scheduler_enqueues_later(throwaway_broker):
    """The second net: a source left waiting with no job anywhere (the database was down too) is found by its row."""
    source = Source.objects.create(url="https://news.invalid/b", fetch_status=FetchStatus.PENDING)
    Source.objects.filter(pk=source.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=5))
    throwaway_broker.start()

    scheduled = pipeline.schedule_due_feeds()

    assert scheduled.sources_requeued == 1
    # Fetches go to the import queue (docs/deploy.md, "Queues").
    assert throwaway_broker.queued_tasks("import") == [("claims.tasks.fetch_source", f"({source.pk},)")]
