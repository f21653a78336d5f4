"""Celery tasks: thin wrappers over importable functions, taking ids only."""

from celery import shared_task

from claims import maintenance, notifications


@shared_task
def record_worker_heartbeat():
    maintenance.record_heartbeat(name="worker")


@shared_task
def send_notification(notification_id: int):
    notifications.send_notification_now(notification_id)


@shared_task
def send_pending_notifications():
    notifications.send_pending_notifications()
