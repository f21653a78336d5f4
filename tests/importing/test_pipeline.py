"""The pipeline against a local web site: polls, upserts, fetches, the scheduler and back-off."""

import datetime
import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.utils import timezone

from claims.importing import pipeline
from claims.models import Feed, FeedEntry, FetchStatus, ImportRun, Source
from claims.services import record_remove
from tests.factories import FeedFactory, SourceFactory
from tests.importing.conftest import ARTICLE_PARAGRAPHS, article_page, rss

pytestmark = pytest.mark.django_db

ITEMS = [
    {
        "guid": f"urn:wire:{number}",
        "link": f"/articles/{number}?utm_source=feed",
        "title": f"Minister denies drone sales, part {number}",
        "author": "Staff reporter",
        "date": datetime.date(2022, 7, 18),
        "summary": f"<p>Summary <b>number</b> {number} &amp; more.</p><script>alert(1)</script>",
    }
    for number in range(1, 4)
]


@pytest.fixture
def feed(local_site):
    local_site.add("/feed.xml", rss(ITEMS), content_type="application/rss+xml", etag='"v1"')
    return FeedFactory(url=local_site.url("/feed.xml"), name="Example Wire", poll_interval=30)


def poll(feed) -> ImportRun:
    return pipeline.poll_feed(feed.pk)


def test_a_feed_polled_twice_creates_each_source_once(feed, enqueued, local_site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = poll(feed)
    local_site.pages["/feed.xml"].etag = ""  # the server forgets its validators: the feed is sent again in full
    second = poll(feed)

    assert (first.status, first.items_seen, first.items_new, first.items_duplicate) == ("succeeded", 3, 3, 0)
    assert (second.status, second.items_seen, second.items_new, second.items_duplicate) == ("succeeded", 3, 0, 3)
    sources = Source.objects.filter(feed=feed).order_by("url")
    assert [source.url for source in sources] == [local_site.url(f"/articles/{n}") for n in (1, 2, 3)]
    assert FeedEntry.objects.filter(feed=feed).count() == 3
    assert sorted(enqueued.fetches) == sorted(source.pk for source in sources)


def test_items_are_stored_as_plain_text_with_their_date(feed, enqueued):
    poll(feed)

    source = Source.objects.get(url=feed.url.replace("/feed.xml", "/articles/1"))
    assert source.title == "Minister denies drone sales, part 1"
    assert source.text == "Summary number 1 & more."
    assert (source.date, source.date_precision) == (datetime.date(2022, 7, 18), "day")
    assert (source.origin, source.fetch_status, source.publisher, source.language) == (
        "feed",
        "pending",
        "Example Wire",
        "en",
    )
    assert source.history.first().history_change_reason == "Imported from feed “Example Wire”"


def test_a_second_poll_sends_the_validators_and_a_304_stores_nothing(feed, enqueued, local_site):
    local_site.pages["/feed.xml"].last_modified = "Mon, 18 Jul 2022 09:00:00 GMT"
    poll(feed)
    second = poll(feed)

    headers = local_site.requests_for("/feed.xml")
    assert "If-None-Match" not in headers[0]
    assert headers[1]["If-None-Match"] == '"v1"'
    assert headers[1]["If-Modified-Since"] == "Mon, 18 Jul 2022 09:00:00 GMT"
    assert headers[1]["User-Agent"].startswith("ClaimTracker/0.1 (+http")
    assert second.status == ImportRun.Status.NOT_MODIFIED
    feed.refresh_from_db()
    assert (feed.etag, feed.consecutive_failures) == ('"v1"', 0)
    assert feed.next_poll_at > timezone.now() + datetime.timedelta(minutes=29)


def test_one_article_under_two_guids_is_one_source(local_site, enqueued):
    items = [{"guid": "a", "link": "/same"}, {"guid": "b", "link": "/same#comments"}]
    local_site.add("/feed.xml", rss(items), content_type="application/rss+xml")
    run = poll(FeedFactory(url=local_site.url("/feed.xml")))

    assert (run.items_new, run.items_duplicate) == (1, 1)
    assert Source.objects.filter(url=local_site.url("/same")).count() == 1
    assert FeedEntry.objects.filter(source__url=local_site.url("/same")).count() == 2


def test_an_item_already_on_file_from_elsewhere_is_linked_not_copied(feed, enqueued, local_site):
    existing = SourceFactory(url=local_site.url("/articles/2"))
    run = poll(feed)

    assert (run.items_new, run.items_duplicate) == (2, 1)
    assert FeedEntry.objects.get(guid="urn:wire:2").source == existing


def test_a_removed_source_listed_again_is_restored_on_record(feed, enqueued, local_site, factchecker):
    removed = record_remove(record=SourceFactory(url=local_site.url("/articles/3")), by=factchecker)
    poll(feed)

    removed.refresh_from_db()
    assert removed.removed_at is None
    assert removed.history.first().history_change_reason == "Restored: listed again by feed “Example Wire”"
    assert Source.all_objects.filter(url=local_site.url("/articles/3")).count() == 1


def test_unusable_items_make_a_partial_run_that_keeps_the_good_ones(local_site, enqueued):
    items = [{"guid": "ok", "link": "/fine"}, {"guid": "js", "link": "javascript:alert(1)"}, {"guid": "x", "link": ""}]
    local_site.add("/feed.xml", rss(items), content_type="application/rss+xml")
    run = poll(FeedFactory(url=local_site.url("/feed.xml")))

    assert (run.status, run.items_seen, run.items_new, run.items_failed) == ("partial", 3, 1, 2)
    assert "2 item(s) left out" in run.error


@contextmanager
def held_by_another_worker(run):
    """The run's lock, held by another session, as a worker that is still polling it holds it."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [pipeline.RUN_LOCK_SPACE, run.pk])
        yield
    finally:
        other.close()


class ProcessKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the pipeline catches it."""


def test_a_worker_killed_mid_import_leaves_nothing_half_done_and_the_redelivery_completes(feed, enqueued, monkeypatch):
    run = ImportRun.objects.create(feed=feed)
    real_bulk_create = pipeline.bulk_create_with_history

    def dies_after_writing_the_sources(objs, model, **options):
        real_bulk_create(objs, model, **options)
        assert Source.objects.filter(feed=feed).count() == 3  # written, not yet committed
        raise ProcessKilled

    monkeypatch.setattr(pipeline, "bulk_create_with_history", dies_after_writing_the_sources)
    with pytest.raises(ProcessKilled):
        pipeline.poll_feed(feed.pk, run.pk)
    monkeypatch.setattr(pipeline, "bulk_create_with_history", real_bulk_create)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING  # as a killed worker leaves it
    assert not Source.objects.filter(feed=feed).exists()
    if connection.vendor == "postgresql":  # the run's advisory lock tells a live worker from a dead one
        with held_by_another_worker(run):
            assert pipeline.poll_feed(feed.pk, run.pk) is None, "a live worker is on it: hands off"
        # Its worker gone (PostgreSQL drops the lock with the connection), the redelivered poll takes it at once.
    else:  # elsewhere, only time tells: once it is older than the time limit, no live worker is on it
        assert pipeline.poll_feed(feed.pk, run.pk) is None, "a live worker may still be on it: hands off"
        ImportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - pipeline.run_stale_after())
    redelivered = pipeline.poll_feed(feed.pk, run.pk)

    assert (redelivered.status, redelivered.items_new, redelivered.items_duplicate) == ("succeeded", 3, 0)
    assert Source.objects.filter(feed=feed).count() == 3
    assert FeedEntry.objects.filter(feed=feed).count() == 3


def test_a_second_delivery_of_a_finished_run_does_nothing(feed, enqueued, local_site):
    run = ImportRun.objects.create(feed=feed)
    pipeline.poll_feed(feed.pk, run.pk)

    assert pipeline.poll_feed(feed.pk, run.pk) is None
    assert len(local_site.requests_for("/feed.xml")) == 1


def test_a_failing_feed_backs_off_and_keeps_what_it_had(feed, enqueued, local_site):
    poll(feed)
    local_site.pages["/feed.xml"].status, local_site.pages["/feed.xml"].etag = 404, ""
    for expected_failures in (1, 2, 3):
        run = poll(feed)
        feed.refresh_from_db()
        assert run.status == "failed"
        assert feed.consecutive_failures == expected_failures
    assert "HTTP 404" in feed.last_error
    wait = feed.next_poll_at - timezone.now()
    assert datetime.timedelta(minutes=30 * 8 - 1) < wait <= datetime.timedelta(minutes=30 * 8)
    assert Source.objects.filter(feed=feed).count() == 3


def test_a_transient_error_is_raised_for_a_retry_and_leaves_the_run_waiting(feed, enqueued, local_site):
    local_site.pages["/feed.xml"].status = 503
    run = ImportRun.objects.create(feed=feed)

    with pytest.raises(pipeline.TransientImportError):
        pipeline.poll_feed(feed.pk, run.pk, retry_transient=True)
    run.refresh_from_db()
    assert run.status == "pending"
    assert "HTTP 503" in run.error and "Trying again" in run.error

    final = pipeline.poll_feed(feed.pk, run.pk, retry_transient=False)
    assert final.status == "failed"


def test_backoff_doubles_and_stops_at_a_day():
    assert pipeline.backoff(30, 1) == datetime.timedelta(minutes=60)
    assert pipeline.backoff(30, 3) == datetime.timedelta(minutes=240)
    assert pipeline.backoff(30, 40) == datetime.timedelta(hours=24)


# --- Articles ---------------------------------------------------------------------------


def pending_source(url: str, **fields) -> Source:
    return SourceFactory(url=url, title=url, publisher="", fetch_status=FetchStatus.PENDING, **fields)


def test_fetching_a_source_extracts_its_text_and_metadata_and_keeps_a_snapshot(local_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = local_site.add(
        "/story", article_page("Minister denies sales", ARTICLE_PARAGRAPHS, author="Jane Roe", published="2022-07-18")
    )
    source = pipeline.fetch_source(pending_source(url).pk)

    assert source.fetch_status == FetchStatus.DONE
    assert "had not sold weapons" in source.text
    assert "Copyright" not in source.text
    assert (source.title, source.author, source.publisher) == ("Minister denies sales", "Jane Roe", "Example Wire")
    assert (source.date, source.date_precision) == (datetime.date(2022, 7, 18), "day")
    assert len(source.content_hash) == 64
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{40}\.html", source.snapshot.name)  # nothing to guess
    assert source.snapshot.read().startswith(b"<!DOCTYPE html>")
    assert source.history.first().history_change_reason == "Fetched"


def test_a_fetch_that_fails_says_why(local_site):
    url = local_site.add("/gone", "gone", status=410)
    source = pipeline.fetch_source(pending_source(url).pk)

    assert source.fetch_status == FetchStatus.FAILED
    assert "HTTP 410" in source.fetch_error


def test_a_refused_address_is_a_failure_with_a_clear_message(settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    source = pipeline.fetch_source(pending_source("http://127.0.0.1:9/").pk)

    assert source.fetch_status == FetchStatus.FAILED
    assert source.fetch_error == "Refused: 127.0.0.1 is not a public address."


def test_a_page_without_article_text_keeps_its_snapshot(local_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = local_site.add("/report.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    source = pipeline.fetch_source(pending_source(url).pk)

    assert source.fetch_status == FetchStatus.FAILED
    assert "No article text" in source.fetch_error
    assert source.snapshot.name.endswith(".pdf")


def test_a_source_that_is_not_pending_is_not_fetched_again(local_site):
    url = local_site.add("/story", article_page("A story", ARTICLE_PARAGRAPHS))
    source = SourceFactory(url=url, fetch_status=FetchStatus.DONE)

    assert pipeline.fetch_source(source.pk) is None
    assert local_site.requests == []


def test_the_same_article_under_a_second_url_is_recognised_by_its_text(local_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = article_page("Minister denies sales", ARTICLE_PARAGRAPHS)
    first = pipeline.fetch_source(pending_source(local_site.add("/story", page)).pk)
    feed = FeedFactory()
    second = pending_source(local_site.add("/amp/story", page), origin=Source.Origin.FEED, feed=feed)
    entry = FeedEntry.objects.create(feed=feed, guid="amp", source=second)

    second = pipeline.fetch_source(second.pk)

    assert second.content_hash == first.content_hash
    assert second.removed_at is not None
    entry.refresh_from_db()
    assert entry.source == first


# --- The scheduler ---------------------------------------------------------------------------


def test_the_scheduler_starts_one_run_per_due_feed(enqueued, django_capture_on_commit_callbacks):
    due = FeedFactory(next_poll_at=timezone.now() - datetime.timedelta(minutes=1))
    FeedFactory(next_poll_at=timezone.now() + datetime.timedelta(minutes=5))  # not yet
    FeedFactory(active=False, next_poll_at=timezone.now() - datetime.timedelta(minutes=1))  # disabled

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.schedule_due_feeds()
        pipeline.schedule_due_feeds()  # the run is open: no second one

    run = ImportRun.objects.get()
    assert run.feed == due
    assert enqueued.polls == [(due.pk, run.pk)]


def test_the_scheduler_enqueues_again_what_waited_for_the_broker(enqueued):
    long_ago = timezone.now() - pipeline.REQUEUE_AFTER - datetime.timedelta(seconds=1)
    waiting = pending_source("https://news.example/waiting")
    fresh = pending_source("https://news.example/fresh")
    Source.objects.filter(pk=waiting.pk).update(updated_at=long_ago)
    run = ImportRun.objects.create(feed=FeedFactory(next_poll_at=timezone.now() + datetime.timedelta(hours=1)))
    ImportRun.objects.filter(pk=run.pk).update(created_at=long_ago)

    pipeline.schedule_due_feeds()
    pipeline.schedule_due_feeds()  # the source's clock was reset: not enqueued twice in a row

    assert enqueued.fetches == [waiting.pk]
    assert fresh.pk not in enqueued.fetches
    assert enqueued.polls == [(run.feed_id, run.pk), (run.feed_id, run.pk)]


def test_poll_now_uses_the_run_already_waiting(enqueued, admin_user):
    feed = FeedFactory()
    from claims.services import feed_poll_now

    first = feed_poll_now(feed=feed, by=admin_user)
    assert feed_poll_now(feed=feed, by=admin_user) == first
    assert Feed.objects.get(pk=feed.pk).runs.count() == 1
