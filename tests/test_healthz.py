"""/healthz: what load balancers and monitors read."""

import datetime

import pytest
from django.utils import timezone

from claims.maintenance import record_heartbeat
from claims.models import Heartbeat

pytestmark = pytest.mark.django_db


def health(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.json()


def test_healthz_reports_the_database_ok_and_the_worker_unknown_before_any_heartbeat(client):
    assert health(client) == {"status": "ok", "database": "ok", "worker": "unknown", "worker_seen_seconds_ago": None}


def test_healthz_reports_the_worker_ok_after_a_heartbeat(client):
    record_heartbeat(name="worker")
    report = health(client)
    assert report["worker"] == "ok"
    assert 0 <= report["worker_seen_seconds_ago"] < 60


def test_healthz_reports_a_worker_silent_for_long_as_stale_but_stays_up(client):
    Heartbeat.objects.create(name="worker", seen_at=timezone.now() - datetime.timedelta(hours=1))
    report = health(client)
    assert (report["status"], report["worker"]) == ("ok", "stale")


def test_a_heartbeat_is_one_row_per_process_name():
    record_heartbeat(name="worker")
    record_heartbeat(name="worker")
    assert Heartbeat.objects.filter(name="worker").count() == 1


def test_healthz_answers_only_reads(client):
    assert client.post("/healthz").status_code == 405
