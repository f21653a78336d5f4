"""`make run`'s embedded filesystem broker: beat skips periodic work while a backlog drains (factcheck/beat.py)."""

import pytest
from celery.beat import ScheduleEntry, Scheduler
from kombu import Connection

from factcheck import celery_app
from factcheck.beat import BacklogAwareScheduler, filesystem_backlog


@pytest.fixture
def filesystem_broker(settings, tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(tmp_path / "control"),
    }
    (tmp_path / "control").mkdir()
    settings.BEAT_SKIP_BACKLOG = 3

    def enqueue(count: int) -> None:
        with Connection("filesystem://", transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS) as broker:
            # A queue of its own per test: kombu remembers the bindings it declared in this process.
            queue = broker.SimpleQueue(f"celery-{tmp_path.name}")
            for number in range(count):
                queue.put({"number": number})
            queue.close()

    return enqueue


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """What beat really sends, recorded instead of published."""
    record: list[str] = []
    monkeypatch.setattr(Scheduler, "apply_async", lambda self, entry, *args, **kwargs: record.append(entry.task))
    return record


def due(task: str) -> ScheduleEntry:
    return ScheduleEntry(name=task, task=task, schedule=60.0, app=celery_app)


def test_beat_sends_its_work_while_the_backlog_is_small(filesystem_broker, sent, tmp_path):
    filesystem_broker(3)
    assert filesystem_backlog() == 3
    scheduler = BacklogAwareScheduler(celery_app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    scheduler.apply_async(due("claims.tasks.schedule_due_feeds"))
    assert sent == ["claims.tasks.schedule_due_feeds"]


def test_beat_skips_its_work_while_more_than_the_limit_waits_and_sends_it_again_once_drained(
    filesystem_broker, sent, tmp_path, settings
):
    filesystem_broker(4)
    assert filesystem_backlog() == 4
    scheduler = BacklogAwareScheduler(celery_app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    scheduler.apply_async(due("claims.tasks.schedule_due_feeds"))
    assert sent == []  # skipped: the sweep would only add to what the worker has to drain
    for message in (tmp_path / "queue").iterdir():
        message.unlink()  # the worker drained the backlog
    scheduler.apply_async(due("claims.tasks.schedule_due_feeds"))
    assert sent == ["claims.tasks.schedule_due_feeds"]


def test_with_redis_beat_never_counts_a_backlog(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert filesystem_backlog() is None
