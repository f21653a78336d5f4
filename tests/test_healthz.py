"""/healthz: what load balancers and monitors read."""

import datetime
import socket

import pytest
from django.db import OperationalError
from django.utils import timezone

from claims import health
from claims.maintenance import record_heartbeat
from claims.models import Heartbeat
from factcheck import celery_app

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    """A loopback port nothing listens on (bound and let go): a service there is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report_of(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.json()


def test_healthz_names_the_state_of_the_database_cache_broker_and_worker(client):
    assert report_of(client) == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "worker": "unknown",  # before any heartbeat
        "worker_seen_seconds_ago": None,
    }


def test_a_broker_that_is_down_is_named_but_keeps_the_node_in_the_load_balancer(client, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_write_url", f"redis://127.0.0.1:{unused_port()}/0")
    report = report_of(client)  # 200: pages are served without the broker
    assert (report["status"], report["database"], report["cache"], report["broker"]) == ("degraded", "ok", "ok", "down")


def test_a_cache_that_is_down_is_named_but_keeps_the_node_in_the_load_balancer(client, settings):
    port = unused_port()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "factcheck.redis_cache.ReusedClientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    report = report_of(client)
    assert (report["status"], report["database"], report["cache"], report["broker"]) == ("degraded", "ok", "down", "ok")


def test_a_database_that_is_down_takes_the_node_out_with_a_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "no-cache" in response["Cache-Control"]
    report = response.json()
    assert (report["status"], report["database"], report["cache"], report["broker"]) == ("error", "down", "ok", "ok")


def test_healthz_reports_the_worker_ok_after_a_heartbeat(client):
    record_heartbeat(name="worker")
    report = report_of(client)
    assert report["worker"] == "ok"
    assert 0 <= report["worker_seen_seconds_ago"] < 60


def test_healthz_reports_a_worker_silent_for_long_as_stale_but_stays_up(client):
    Heartbeat.objects.create(name="worker", seen_at=timezone.now() - datetime.timedelta(hours=1))
    report = report_of(client)
    assert (report["status"], report["worker"]) == ("ok", "stale")


def test_a_heartbeat_is_one_row_per_process_name():
    record_heartbeat(name="worker")
    record_heartbeat(name="worker")
    assert Heartbeat.objects.filter(name="worker").count() == 1


def test_healthz_answers_only_reads(client):
    assert client.post("/healthz").status_code == 405
