"""The demo feed that `make run` polls: seed_demo adds it, and its sample articles import and extract."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.importing import pipeline
from claims.models import Feed, Source

pytestmark = pytest.mark.django_db

DEMO_FEED_FOLDER = Path(settings.BASE_DIR) / "static" / "demo-feed"


def test_seed_demo_adds_the_demo_feed_once_pointing_at_the_app_itself(settings):
    settings.SITE_URL = "http://127.0.0.1:8131"
    call_command("seed_demo", force=True, stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)

    feed = Feed.objects.get()
    assert feed.url == "http://127.0.0.1:8131/static/demo-feed/feed.xml"
    assert (feed.active, feed.name) == (True, "Demo wire (sample articles)")
    assert "Kept demo feed" in out.getvalue()


def test_the_demo_feed_imports_its_sample_articles_and_their_text(
    local_site, enqueued, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    for path in DEMO_FEED_FOLDER.iterdir():
        content_type = "application/rss+xml" if path.suffix == ".xml" else "text/html; charset=utf-8"
        local_site.add(f"/static/demo-feed/{path.name}", path.read_bytes(), content_type=content_type)
    feed = Feed.objects.create(url=local_site.url("/static/demo-feed/feed.xml"), name="Demo wire")

    with django_capture_on_commit_callbacks(execute=True):
        run = pipeline.poll_feed(feed.pk)
    assert (run.status, run.items_new) == ("succeeded", 3)
    for source_id in enqueued.fetches:
        pipeline.fetch_source(source_id)

    first = Source.objects.get(url=local_site.url("/static/demo-feed/article-1.html"))
    assert first.title.startswith("Sample:")
    assert first.fetch_status == "done"
    assert "We have not sold and will not sell any weapons and drones" in first.text
    assert first.publisher == "Demo wire (sample articles)"
    assert Source.objects.filter(feed=feed, fetch_status="done").count() == 3
