"""A real Celery worker on Redis, against PostgreSQL, reads another organisation's ClaimReview from a local
site; an article that then arrives by a feed is matched to it: the fact-checker sees their verdict."""

from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction

from claims import claimreviews, services
from claims.models import ClaimReviewSource, ExternalFactCheck, ExternalMatch, FetchStatus, Source
from factcheck import celery_app
from tests.factories import FeedFactory
from tests.importing.conftest import article_page, rss
from tests.integration.test_celery_worker import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TASKS = ("read_claimreview_source", "poll_feed", "fetch_source", "match_source")
REVIEW_PAGE = """<!doctype html><html><head><title>Iran and the drones</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "ClaimReview",
 "url": "https://checkdesk.invalid/iran-drones", "datePublished": "2022-10-20",
 "author": {"@type": "Organization", "name": "Check Desk"},
 "claimReviewed": "Iran has supplied drones to Russia for use in the war in Ukraine.",
 "reviewRating": {"@type": "Rating", "alternateName": "True"}}</script></head><body>Checked.</body></html>"""
PARAGRAPHS = (
    "Iran's foreign minister met about sixty journalists at a meeting of news agencies in the capital on Monday.",
    "Officials in Kyiv said again that Iran has supplied drones to Russia for use in the war in Ukraine.",
    "The ministry later published a transcript of the meeting and photographs of the guests who attended it.",
)


@contextmanager
def tasks_on_a_queue_of_our_own():
    queue = f"tests-claimreview-{connection.settings_dict['NAME']}"
    with celery_app.connection_for_write() as broker:
        broker.default_channel.queue_purge(queue)
    routes = celery_app.conf.task_routes  # the settings' routes (import, matching, email), put back after
    celery_app.conf.update(task_routes={f"claims.tasks.{name}": {"queue": queue} for name in TASKS})
    try:
        yield queue
    finally:
        celery_app.conf.update(task_routes=routes)


def test_a_worker_reads_claimreview_and_an_article_arriving_later_is_shown_their_verdict(
    local_site, settings, tmp_path, reviewer, admin_user
):
    assert celery_app.conf.broker_url.startswith(("redis://", "rediss://")), "run the suite with a Redis broker"
    assert connection.vendor == "postgresql"
    settings.MEDIA_ROOT = tmp_path
    local_site.add("/checks/iran-drones", REVIEW_PAGE)
    local_site.add("/feed.xml", rss([{"guid": "a1", "link": "/story/1", "title": "Minister meets agencies"}]))
    local_site.add("/story/1", article_page("Minister meets agencies", PARAGRAPHS))
    feed = FeedFactory(url=local_site.url("/feed.xml"))

    with (
        tasks_on_a_queue_of_our_own() as queue,
        start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30),
    ):
        with transaction.atomic():
            source = claimreviews.claimreview_source_add(
                by=reviewer, url=local_site.url("/checks/iran-drones"), name="Check Desk"
            )  # read by the worker when this commits
        read = wait_for(lambda: ClaimReviewSource.objects.get(pk=source.pk).last_read_at is not None)
        with transaction.atomic():
            services.feed_poll_now(feed=feed, by=admin_user)
        fetched = wait_for(lambda: Source.objects.filter(feed=feed, fetch_status=FetchStatus.DONE).exists())
        matched = wait_for(lambda: ExternalMatch.objects.exists())

    assert read, "the worker did not read the ClaimReview source"
    source.refresh_from_db()
    assert (source.last_status, source.last_result["created"]) == (ClaimReviewSource.Status.SUCCEEDED, 1)
    assert fetched, "the worker did not fetch the article"
    assert matched, "the article was not matched to the other organisation's fact-check"
    match = ExternalMatch.objects.select_related("fact_check", "source").get()
    assert match.fact_check == ExternalFactCheck.objects.get(review_url="https://checkdesk.invalid/iran-drones")
    assert match.source.url == local_site.url("/story/1")
    assert "Iran has supplied drones" in match.sentence
