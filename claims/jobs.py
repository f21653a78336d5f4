"""The one module that sends work to the Celery worker.

Tasks are sent by name, never imported: `claims.tasks` imports the pipeline and the
notifications, which enqueue work, so importing it from them would close an import cycle.
Nothing but the worker's autodiscovery imports `claims.tasks` (docs/architecture.md, "Guard
rails"). Callers enqueue from `transaction.on_commit`.

A broker that is down or restarting never fails the request that enqueues (docs/operations.md,
"What happens when …"): each send is tried once (CELERY_BROKER_CONNECTION_TIMEOUT, 2 s, at most;
redis-py itself reconnects a pooled connection that a restarted Redis closed), then the job waits
in the outbox (`PendingJob`), written in the database that just committed the work it is about,
and beat's relay (`send_pending_jobs`) sends it once the broker answers again. Should the
database be down too, the periodic sweeps of each kind of work (pending polls and fetches, the
notifications outbox, the tips and alerts catch-ups, due webhooks, exports) still find it from
its own rows.
"""

import logging
from collections.abc import Iterable, Sequence

from django.db import transaction

from claims.models import PendingJob
from factcheck.celery import app

logger = logging.getLogger(__name__)

RELAY_BATCH = 500


def _send(task: str, calls: Sequence[tuple]) -> None:
    """Send `claims.tasks.<task>` once per argument tuple, over one connection; park what the broker refuses."""
    if not calls:
        return
    name = f"claims.tasks.{task}"
    sent = 0
    try:
        with app.producer_or_acquire() as producer:
            for args in calls:
                app.send_task(name, args, producer=producer)
                sent += 1
    except Exception as error:
        _park(name, calls[sent:], error)


def _park(name: str, calls: Sequence[tuple], error: Exception) -> None:
    try:
        PendingJob.objects.bulk_create(
            [PendingJob(task=name, args=list(args), error=f"{type(error).__name__}: {error}"[:1000]) for args in calls]
        )
    except Exception:  # the database is down too: each kind of work's own sweep finds it from its rows
        logger.exception("Broker and database unavailable; %d %s job(s) wait for their sweep", len(calls), name)
        return
    logger.warning("Broker unavailable (%s); %d %s job(s) wait in the outbox", error, len(calls), name)


def send_pending_jobs(limit: int = RELAY_BATCH) -> int:
    """The relay (beat, every PENDING_JOBS_SECONDS): send the jobs the broker did not take, oldest first.

    Rows are locked (SKIP LOCKED) while they are sent, so two relays never send the same job; a row is
    deleted once the broker took it. Returns how many were sent.
    """
    with transaction.atomic():
        waiting = list(PendingJob.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        if not waiting:
            return 0
        sent: list[int] = []
        try:
            with app.producer_or_acquire() as producer:
                for job in waiting:
                    app.send_task(job.task, tuple(job.args), producer=producer)
                    sent.append(job.pk)
        except Exception:
            logger.warning("Broker unavailable; %d job(s) still wait in the outbox", len(waiting) - len(sent))
        PendingJob.objects.filter(pk__in=sent).delete()
    if sent:
        logger.info("Sent %d job(s) that waited in the outbox", len(sent))
    return len(sent)


def enqueue_poll(feed_id: int, run_id: int) -> None:
    _send("poll_feed", [(feed_id, run_id)])


def enqueue_fetches(source_ids: Iterable[int]) -> None:
    """Enqueue a fetch per source, over one broker connection (a feed may bring thousands at once)."""
    _send("fetch_source", [(source_id,) for source_id in source_ids])


def enqueue_fetch(source_id: int) -> None:
    enqueue_fetches([source_id])


def enqueue_sending(notification_id: int) -> None:
    _send("send_notification", [(notification_id,)])


def enqueue_matching(source_id: int) -> None:
    """Match a fetched article against the claims on file (claims.inbox), in the worker."""
    _send("match_source", [(source_id,)])


def enqueue_tip_matching(tip_id: int) -> None:
    """Match a tip against the claims on file and group it with the open tips (claims.tips), in the worker."""
    _send("match_tip", [(tip_id,)])


def enqueue_telling_tip_senders(claim_id: int) -> None:
    """Tell the senders of the claim's tips who asked to be told that its verdict is published."""
    _send("tell_tip_senders", [(claim_id,)])


def enqueue_event_alerts(event_id: int) -> None:
    """Tell the people who must act on a workflow event (claims.alerts), in the worker."""
    _send("alert_event", [(event_id,)])


def enqueue_webhook_deliveries(delivery_ids: Iterable[int]) -> None:
    """Send each webhook delivery's next attempt (claims.webhooks), over one broker connection."""
    _send("deliver_webhook", [(delivery_id,) for delivery_id in delivery_ids])


def enqueue_export(export_id: int) -> None:
    """Build an export of the claims (claims.exports), in the worker."""
    _send("build_export", [(export_id,)])


def broker_reachable() -> bool:
    """Whether the broker takes a connection now (for /healthz): one try, no retries."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0, timeout=1)
    except Exception:
        logger.warning("Health check: the broker does not answer", exc_info=True)
        return False
    return True


# --- Other fact-checkers' ClaimReview (claims/importing/external.py) ---


def enqueue_claimreview_read(source_id: int) -> None:
    """Read a ClaimReview source (an address or an uploaded file) into external fact-checks, in the worker."""
    _send("read_claimreview_source", [(source_id,)])
