"""A real Celery worker on Redis, against PostgreSQL, groups two tips that ask the same thing and, once the claim
they led to is published, tells the sender who asked (through the outbox)."""

from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection, transaction

from claims import services
from claims.matching import store
from claims.models import Notification, Tip
from factcheck import celery_app
from tests.factories import ClaimFactory
from tests.integration.test_celery_worker import wait_for
from tests.publishing import publish

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TASKS = ("match_tip", "tell_tip_senders", "send_notification")


@contextmanager
def tip_tasks_routed_to_a_queue_of_our_own():
    """The tips' tasks go to a queue named after this run's test database, emptied first."""
    queue = f"tests-tips-{connection.settings_dict['NAME']}"
    with celery_app.connection_for_write() as broker:
        broker.default_channel.queue_purge(queue)
    routes = celery_app.conf.task_routes  # the settings' routes (import, matching, email), put back after
    celery_app.conf.update(task_routes={f"claims.tasks.{name}": {"queue": queue} for name in TASKS})
    try:
        yield queue
    finally:
        celery_app.conf.update(task_routes=routes)


def test_a_worker_groups_tips_and_tells_the_sender_when_the_verdict_is_published(factchecker):
    assert celery_app.conf.broker_url.startswith(("redis://", "rediss://")), "run the suite with a Redis broker"
    store.reset_process_index()
    claim = ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")

    with (
        tip_tasks_routed_to_a_queue_of_our_own() as queue,
        start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30),
    ):
        with transaction.atomic():  # each tip is sent to the worker when its transaction commits
            first = services.tip_create(
                text="Is it true that Iran has sent drones to Russia for the war in Ukraine?",
                contact="reader@example.invalid",
                wants_answer=True,
            )
        assert wait_for(lambda: Tip.objects.get(pk=first.pk).matched_at is not None)
        with transaction.atomic():
            again = services.tip_create(
                text="My feed is full of posts saying Iran sent drones to Russia for the war in Ukraine. Is it true?"
            )
        grouped = wait_for(lambda: Tip.objects.get(pk=again.pk).group_id == first.group_id)
        assert grouped, "the worker did not group the two tips"
        assert Tip.objects.get(pk=first.pk).claim_matches.filter(claim=claim).exists()

        services.tip_group_accept(group=Tip.objects.get(pk=first.pk).group, by=factchecker, claim=claim)
        publish(claim)  # the publish transition sends the telling to the worker on commit
        told = wait_for(
            lambda: Notification.objects.filter(to="reader@example.invalid", sent_at__isnull=False).exists()
        )

    assert told, "the sender was not told"
    assert Tip.objects.get(pk=first.pk).told_at is not None
    assert Tip.objects.get(pk=again.pk).told_at is None  # did not ask
    assert [message.to for message in mail.outbox] == [["reader@example.invalid"]]
    store.reset_process_index()
