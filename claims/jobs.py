"""The one module that sends work to the Celery worker.

Tasks are sent by name, never imported: `claims.tasks` imports the pipeline and the
notifications, which enqueue work, so importing it from them would close an import cycle.
Nothing but the worker's autodiscovery imports `claims.tasks` (docs/architecture.md, "Guard
rails"). Callers enqueue from `transaction.on_commit`; a broker that is down is logged, not
raised: the periodic sweeps enqueue what is still waiting.
"""

import logging

from factcheck.celery import app

logger = logging.getLogger(__name__)


def enqueue_poll(feed_id: int, run_id: int) -> None:
    try:
        app.send_task("claims.tasks.poll_feed", (feed_id, run_id))
    except Exception:  # the broker is down: schedule_due_feeds enqueues the pending run later
        logger.warning("Broker unavailable; import run %s waits for the scheduler", run_id)


def enqueue_fetches(source_ids: list[int]) -> None:
    """Enqueue a fetch per source, over one broker connection (a feed may bring thousands at once)."""
    try:
        with app.producer_or_acquire() as producer:
            for source_id in source_ids:
                app.send_task("claims.tasks.fetch_source", (source_id,), producer=producer)
    except Exception:  # the broker is down: schedule_due_feeds enqueues the pending sources later
        logger.warning("Broker unavailable; %d source(s) wait for the scheduler", len(source_ids))


def enqueue_fetch(source_id: int) -> None:
    enqueue_fetches([source_id])


def enqueue_sending(notification_id: int) -> None:
    try:
        app.send_task("claims.tasks.send_notification", (notification_id,))
    except Exception:  # the broker is down: the periodic sweep sends it later
        logger.warning("Broker unavailable; notification %s waits for the periodic sweep", notification_id)


def enqueue_matching(source_id: int) -> None:
    """Match a fetched article against the claims on file (claims.inbox), in the worker."""
    try:
        app.send_task("claims.tasks.match_source", (source_id,))
    except Exception:  # the broker is down: the article is listed in Incoming, unmatched until fetched again
        logger.warning("Broker unavailable; source %s is not matched now", source_id)


def enqueue_tip_matching(tip_id: int) -> None:
    """Match a tip against the claims on file and group it with the open tips (claims.tips), in the worker."""
    try:
        app.send_task("claims.tasks.match_tip", (tip_id,))
    except Exception:  # the broker is down: the periodic tips sweep matches it later
        logger.warning("Broker unavailable; tip %s waits for the tips sweep", tip_id)


def enqueue_telling_tip_senders(claim_id: int) -> None:
    """Tell the senders of the claim's tips who asked to be told that its verdict is published."""
    try:
        app.send_task("claims.tasks.tell_tip_senders", (claim_id,))
    except Exception:  # the broker is down: the periodic tips sweep tells them later
        logger.warning("Broker unavailable; the senders of tips on claim %s wait for the tips sweep", claim_id)


def enqueue_event_alerts(event_id: int) -> None:
    """Tell the people who must act on a workflow event (claims.alerts), in the worker."""
    try:
        app.send_task("claims.tasks.alert_event", (event_id,))
    except Exception:  # the broker is down: the alerts catch-up sweep tells them later
        logger.warning("Broker unavailable; the alerts of workflow event %s wait for the catch-up sweep", event_id)


def enqueue_webhook_deliveries(delivery_ids: list[int]) -> None:
    """Send each webhook delivery's next attempt (claims.webhooks), over one broker connection."""
    try:
        with app.producer_or_acquire() as producer:
            for delivery_id in delivery_ids:
                app.send_task("claims.tasks.deliver_webhook", (delivery_id,), producer=producer)
    except Exception:  # the broker is down: the deliver-due-webhooks sweep sends them later
        logger.warning("Broker unavailable; %d webhook delivery(ies) wait for the sweep", len(delivery_ids))


def enqueue_export(export_id: int) -> None:
    """Build an export of the claims (claims.exports), in the worker."""
    try:
        app.send_task("claims.tasks.build_export", (export_id,))
    except Exception:  # the broker is down: the exports sweep builds it later
        logger.warning("Broker unavailable; export %s waits for the exports sweep", export_id)


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
    try:
        app.send_task("claims.tasks.read_claimreview_source", (source_id,))
    except Exception:  # the broker is down: the source stays due, and the beat sweep enqueues it again
        logger.warning("Broker unavailable; ClaimReview source %s waits for the sweep", source_id)
