"""Celery tasks: thin wrappers over importable functions, taking ids only."""

from celery import shared_task

from claims import maintenance


@shared_task
def record_worker_heartbeat():
    maintenance.record_heartbeat(name="worker")
