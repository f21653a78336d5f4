"""What /healthz reports: the state of the database, the shared cache, the broker and the worker.

Each check answers "ok" or "down" and never raises. Only the database decides whether this web
node can serve pages; the others are reported so monitors see them, without taking every node
out of the load balancer when a service they all share is down (docs/deploy.md).
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from claims import jobs
from claims.models import Heartbeat

logger = logging.getLogger(__name__)

OK = "ok"
DOWN = "down"
WORKER_STALE_AFTER_SECONDS = 300


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("Health check: the database does not answer")
        return DOWN
    return OK


def cache_state() -> str:
    """A value written to the shared cache reads back (a key of its own, so checks never race)."""
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.warning("Health check: the cache does not answer", exc_info=True)
        return DOWN
    return OK if answered == value else DOWN


def worker_state() -> tuple[str, float | None]:
    """The worker's last heartbeat: "ok", "stale" (older than 300 s) or "unknown" (none yet), and its age."""
    beat = Heartbeat.objects.filter(name="worker").first()
    if beat is None:
        return "unknown", None
    age = (timezone.now() - beat.seen_at).total_seconds()
    return ("ok" if age < WORKER_STALE_AFTER_SECONDS else "stale"), age


def report() -> tuple[int, dict]:
    """The HTTP status and the body of /healthz: 503 only when the database is down."""
    database = database_state()
    states = {"database": database, "cache": cache_state(), "broker": OK if jobs.broker_reachable() else DOWN}
    worker, age = worker_state() if database == OK else ("unknown", None)
    if database != OK:
        status = "error"
    elif DOWN in states.values():
        status = "degraded"
    else:
        status = "ok"
    return (503 if database != OK else 200), {
        "status": status,
        **states,
        "worker": worker,
        "worker_seen_seconds_ago": age,
    }
