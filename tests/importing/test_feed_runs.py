"""What an admin meets adding feeds: a new feed polled at once, one history of polls, and duplicates said."""

import pytest
from django.urls import reverse

from claims import services
from claims.importing import pipeline
from claims.models import Feed, ImportRun, Source
from tests.factories import ImportRunFactory
from tests.importing.conftest import ARTICLE_PARAGRAPHS, article_page, rss

pytestmark = pytest.mark.django_db


def test_a_new_feed_is_polled_at_once_once_it_is_saved(admin_user, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feed = services.feed_create(by=admin_user, url="https://wire.example/rss.xml", name="Wire")
        assert enqueued.polls == []  # not before the feed is committed

    run = ImportRun.objects.get(feed=feed)
    assert enqueued.polls == [(feed.pk, run.pk)]
    assert pipeline.schedule_due_feeds().feeds == 0  # the scheduler does not poll it a second time


def test_a_feed_added_disabled_waits(admin_user, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.feed_create(by=admin_user, url="https://wire.example/rss.xml", name="Wire", active=False)

    assert enqueued.polls == []
    assert not ImportRun.objects.exists()


def test_the_run_page_shows_the_history_of_polls_once(client_for):
    run = ImportRunFactory(status=ImportRun.Status.SUCCEEDED)
    page = client_for("admin").get(reverse("staff:import-run", args=[run.pk])).content.decode()

    assert page.count("History of polls") == 1
    assert page.count('id="poll-history"') == 1


def test_a_second_feed_of_the_same_articles_says_they_were_merged_and_links_them(
    client_for, local_site, enqueued, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    titles = ["Minister denies sales", "Drones seen over Kyiv", "Talks resume"]
    for number, title in enumerate(titles):
        paragraphs = [f"{title}. {paragraph}" for paragraph in ARTICLE_PARAGRAPHS]
        local_site.add(f"/news/{number}", article_page(title, paragraphs))
        local_site.add(f"/amp/{number}", article_page(title, paragraphs))
    first = Feed.objects.create(url=local_site.url("/first.xml"), name="First")
    second = Feed.objects.create(url=local_site.url("/second.xml"), name="Second")
    for feed, folder in ((first, "news"), (second, "amp")):
        items = [{"guid": f"{folder}-{number}", "link": f"/{folder}/{number}"} for number in range(3)]
        local_site.add(f"/{'first' if feed == first else 'second'}.xml", rss(items), content_type="application/rss+xml")
        run = pipeline.poll_feed(feed.pk)
        for source in Source.objects.filter(feed=feed):
            pipeline.fetch_source(source.pk)

    assert run.items_new == 3
    assert not Source.objects.filter(feed=second).exists()  # all three merged into the first feed's copies
    page = client_for("admin").get(reverse("staff:import-run", args=[run.pk])).content.decode()

    assert "3 of the new sources were the same articles as ones already on file" in page
    assert "merged into them as duplicates" in page
    for kept in Source.objects.filter(feed=first):
        assert f'href="{reverse("staff:source", args=[kept.pk])}"' in page
        assert kept.title in page
