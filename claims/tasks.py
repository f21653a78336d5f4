"""Celery tasks: thin wrappers over importable functions, taking ids only."""

from celery import shared_task

from claims import alerts, exports, inbox, jobs, maintenance, notifications, tips, webhooks
from claims.importing import external, pipeline

# Only errors that may pass are retried (time-outs, connection errors, 5xx): with exponential
# back-off and jitter, each wait shorter than the broker's visibility timeout. On the last try
# the pipeline records the error instead of raising it.
RETRY_TRANSIENT = {
    "autoretry_for": (pipeline.TransientImportError,),
    "retry_backoff": 15,
    "retry_backoff_max": 240,
    "retry_jitter": True,
    "max_retries": 3,
}


@shared_task
def record_worker_heartbeat():
    maintenance.record_heartbeat(name="worker")


@shared_task
def delete_expired_contacts():
    maintenance.delete_expired_contacts()


@shared_task
def delete_expired_article_text():
    inbox.delete_expired_article_text()


@shared_task
def delete_unused_vectors():
    from claims.matching import store  # the matcher's import is paid only by a worker that runs it

    store.delete_unused_vectors()


@shared_task
def send_pending_jobs():
    jobs.send_pending_jobs()


@shared_task
def send_notification(notification_id: int):
    notifications.send_notification_now(notification_id)


@shared_task
def send_pending_notifications():
    notifications.send_pending_notifications()


@shared_task(bind=True, **RETRY_TRANSIENT)
def poll_feed(self, feed_id: int, run_id: int):
    pipeline.poll_feed(feed_id, run_id, retry_transient=self.request.retries < self.max_retries)


@shared_task(bind=True, **RETRY_TRANSIENT)
def fetch_source(self, source_id: int):
    pipeline.fetch_source(source_id, retry_transient=self.request.retries < self.max_retries)


@shared_task
def match_source(source_id: int):
    inbox.match_source_by_id(source_id)


@shared_task
def schedule_due_feeds():
    pipeline.schedule_due_feeds()


@shared_task
def match_tip(tip_id: int):
    tips.tip_match_by_id(tip_id)


@shared_task
def tell_tip_senders(claim_id: int):
    tips.tell_senders(claim_id)


@shared_task
def tips_catch_up():
    tips.tips_catch_up()


@shared_task
def alert_event(event_id: int):
    alerts.alert_event(event_id)


@shared_task
def alerts_catch_up():
    alerts.alerts_catch_up()


@shared_task
def send_triage_digest():
    alerts.send_triage_digest()


# --- Webhooks out and exports (claims/webhooks.py, claims/exports.py) ---
# Retries are the database's (each delivery's next attempt, swept by beat), never Celery countdowns.


@shared_task
def deliver_webhook(delivery_id: int):
    webhooks.deliver(delivery_id)


@shared_task
def deliver_due_webhooks():
    webhooks.deliver_due()


# A large export may take longer than the default limits; a second delivery of the message finds it building.
@shared_task(soft_time_limit=600, time_limit=660)
def build_export(export_id: int):
    exports.build_export(export_id)


@shared_task
def exports_sweep():
    exports.exports_sweep()


# --- Other fact-checkers' ClaimReview (claims/importing/external.py) ---


@shared_task
def read_claimreview_source(source_id: int):
    external.read_source(source_id)


@shared_task
def read_due_claimreview_sources():
    external.read_due_sources()
