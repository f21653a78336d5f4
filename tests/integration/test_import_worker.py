"""A real Celery worker on Redis, against PostgreSQL, polls a feed served by a local site and fetches its article."""

import re
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction

from claims import services
from claims.models import ArticleMatch, FetchStatus, ImportRun, Source
from factcheck import celery_app
from tests.factories import FeedFactory
from tests.importing.conftest import ARTICLE_PARAGRAPHS, article_page, rss
from tests.integration.test_celery_worker import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@contextmanager
def import_tasks_routed_to_a_queue_of_our_own():
    """The import tasks go to a queue named after this run's test database, emptied first, so that no
    other worker on the same Redis takes them and no message left by an earlier run is taken here."""
    queue = f"tests-imports-{connection.settings_dict['NAME']}"
    with celery_app.connection_for_write() as broker:
        broker.default_channel.queue_purge(queue)
    # conf.update (not assignment) makes Celery rebuild its router from the new routes.
    routes = celery_app.conf.task_routes  # the settings' routes (import, matching, email), put back after
    celery_app.conf.update(
        task_routes={f"claims.tasks.{name}": {"queue": queue} for name in ("poll_feed", "fetch_source", "match_source")}
    )
    try:
        yield queue
    finally:
        celery_app.conf.update(task_routes=routes)


def test_a_worker_polls_a_feed_fetches_its_articles_and_matches_them_to_a_claim(
    local_site, settings, tmp_path, factchecker, admin_user
):
    assert celery_app.conf.broker_url.startswith(("redis://", "rediss://")), "run the suite with a Redis broker"
    assert connection.vendor == "postgresql"
    settings.MEDIA_ROOT = tmp_path
    items = [{"guid": f"w{n}", "link": f"/story/{n}", "title": f"Story {n}"} for n in range(2)]
    local_site.add("/feed.xml", rss(items), content_type="application/rss+xml")
    for number in range(2):
        local_site.add(f"/story/{number}", article_page(f"Minister denies sales, part {number}", ARTICLE_PARAGRAPHS))
    feed = FeedFactory(url=local_site.url("/feed.xml"))
    claim = services.claim_create(
        by=factchecker, text="The foreign minister says his country did not sell drones for use in the war."
    )

    with (
        import_tasks_routed_to_a_queue_of_our_own() as queue,
        start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30),
    ):
        with transaction.atomic():
            run = services.feed_poll_now(feed=feed, by=admin_user)  # enqueued when this commits
        fetched = wait_for(lambda: Source.objects.filter(feed=feed, fetch_status=FetchStatus.DONE).count() == 2)
        # Each fetched article is then matched, by the worker, against the claim logged in this process.
        matched = wait_for(lambda: ArticleMatch.objects.filter(claim=claim).count() == 2)

    run.refresh_from_db()
    assert (run.status, run.items_new) == (ImportRun.Status.SUCCEEDED, 2)
    assert fetched, "the worker did not fetch both articles"
    story = Source.objects.get(url=local_site.url("/story/0"))
    assert "had not sold weapons" in story.text
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{40}\.html", story.snapshot.name)  # random, nothing to guess
    assert matched, "the worker did not match both articles to the claim"
    match = ArticleMatch.objects.get(claim=claim, source=story)
    assert "had not sold weapons" in match.sentence


def test_a_failed_fetch_tried_again_is_fetched_by_the_worker_keeping_what_staff_typed(
    local_site, settings, tmp_path, factchecker
):
    assert celery_app.conf.broker_url.startswith(("redis://", "rediss://")), "run the suite with a Redis broker"
    settings.MEDIA_ROOT = tmp_path
    url = local_site.url("/story/late")  # not served yet: the first fetch fails (404)
    claim = services.claim_create(by=factchecker, text="The foreign minister says no drones were sold for the war.")

    with (
        import_tasks_routed_to_a_queue_of_our_own() as queue,
        start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30),
    ):
        with transaction.atomic():
            services.claim_source_add_by_url(claim=claim, url=url, by=factchecker)  # fetched when this commits
        failed = wait_for(lambda: Source.objects.get(url=url).fetch_status == FetchStatus.FAILED)
        source = services.source_update(source=Source.objects.get(url=url), by=factchecker, title="Minister: no sales")
        local_site.add("/story/late", article_page("Minister denies sales", ARTICLE_PARAGRAPHS, author="Anna Writer"))
        with transaction.atomic():
            services.source_fetch_retry(source=source, by=factchecker)  # the same fetch job, when this commits
        fetched = wait_for(lambda: Source.objects.get(url=url).fetch_status == FetchStatus.DONE)

    assert failed, "the first fetch did not fail"
    assert fetched, "the worker did not fetch the page again"
    source.refresh_from_db()
    assert "had not sold weapons" in source.text
    assert (source.title, source.author, source.fetch_error) == ("Minister: no sales", "Anna Writer", "")
