"""The outbox (claims.jobs): a job the broker refuses waits in the database, and the relay sends it, once."""

import pytest

from claims import jobs
from claims.models import PendingJob
from factcheck import celery_app

pytestmark = pytest.mark.django_db


class Broker:
    """Stands for the broker's side of `send_task`: down, or up and recording what it was given."""

    def __init__(self):
        self.down = True
        self.sent: list[tuple[str, tuple]] = []

    def send_task(self, name, args=None, **options):
        if self.down:
            raise ConnectionRefusedError("Connection refused")
        self.sent.append((name, tuple(args)))


@pytest.fixture
def broker(monkeypatch):
    stand_in = Broker()
    monkeypatch.setattr(celery_app, "send_task", stand_in.send_task)
    return stand_in


def test_every_kind_of_job_the_broker_refuses_waits_in_the_outbox(broker):
    jobs.enqueue_matching(7)  # an article to match: before the outbox, lost until fetched again
    jobs.enqueue_fetches([1, 2])
    jobs.enqueue_tip_matching(3)

    waiting = list(PendingJob.objects.values_list("task", "args"))
    assert waiting == [
        ("claims.tasks.match_source", [7]),
        ("claims.tasks.fetch_source", [1]),
        ("claims.tasks.fetch_source", [2]),
        ("claims.tasks.match_tip", [3]),
    ]
    assert "Connection refused" in PendingJob.objects.first().error


def test_the_relay_keeps_the_jobs_while_the_broker_is_down_and_sends_each_once_when_it_is_back(broker):
    jobs.enqueue_fetches([1, 2])

    assert jobs.send_pending_jobs() == 0
    assert PendingJob.objects.count() == 2

    broker.down = False
    assert jobs.send_pending_jobs() == 2
    assert jobs.send_pending_jobs() == 0

    assert broker.sent == [("claims.tasks.fetch_source", (1,)), ("claims.tasks.fetch_source", (2,))]
    assert not PendingJob.objects.exists()


def test_a_job_the_broker_takes_never_touches_the_outbox(broker):
    broker.down = False
    jobs.enqueue_export(5)

    assert broker.sent == [("claims.tasks.build_export", (5,))]
    assert not PendingJob.objects.exists()


def test_beat_runs_the_relay(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-pending-jobs"]
    assert entry["task"] == "claims.tasks.send_pending_jobs"
    assert entry["schedule"] == settings.PENDING_JOBS_SECONDS
