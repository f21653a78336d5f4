"""A real Celery worker on the Redis broker runs a task against PostgreSQL (no eager mode)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from claims.models import Heartbeat
from claims.tasks import record_worker_heartbeat
from factcheck import celery_app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 30


def wait_for(condition, *, seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_a_worker_on_redis_records_its_heartbeat_in_postgresql():
    assert celery_app.conf.broker_url.startswith(("redis://", "rediss://")), "run the suite with a Redis broker"
    assert connection.vendor == "postgresql"
    assert not celery_app.conf.task_always_eager
    # A queue named after this run's test database, so no other worker on the same Redis takes the message.
    queue = f"tests-{connection.settings_dict['NAME']}"

    with start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        record_worker_heartbeat.apply_async(queue=queue)
        arrived = wait_for(lambda: Heartbeat.objects.filter(name="worker").exists())

    assert arrived, f"the worker recorded no heartbeat within {WAIT_SECONDS} s"
