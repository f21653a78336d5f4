"""The demo feed in Incoming, and how long imported articles' text is kept."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from claims import inbox
from claims.importing import pipeline
from claims.models import ArticleMatch, Feed, Source, User
from tests.factories import ArticleFactory, ArticleMatchFactory, ClaimSourceFactory
from tests.importing.conftest import enqueued, local_site  # noqa: F401 - the import tests' local site

pytestmark = pytest.mark.django_db

DEMO_FEED_FOLDER = Path(settings.BASE_DIR) / "static" / "demo-feed"
QUOTED_DENIAL = "We have not sold and will not sell any weapons and drones to be used in the war against Ukraine"


def test_the_demo_feed_shows_a_suggestion_against_a_demo_claim_with_its_sentence(
    local_site,  # noqa: F811
    enqueued,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    call_command("seed_demo", force=True, stdout=StringIO())
    Feed.objects.all().delete()  # the seeded feed points at `make run`'s port; serve the same files here
    for path in DEMO_FEED_FOLDER.iterdir():
        content_type = "application/rss+xml" if path.suffix == ".xml" else "text/html; charset=utf-8"
        local_site.add(f"/static/demo-feed/{path.name}", path.read_bytes(), content_type=content_type)
    feed = Feed.objects.create(url=local_site.url("/static/demo-feed/feed.xml"), name="Demo wire")
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.poll_feed(feed.pk)
    with django_capture_on_commit_callbacks(execute=True):
        for source_id in enqueued.fetches:
            pipeline.fetch_source(source_id)
    for source_id in enqueued.matchings:  # what the worker's match_source task does
        inbox.match_source_by_id(source_id)

    first = Source.objects.get(url=local_site.url("/static/demo-feed/article-1.html"))
    # With the demo's two claims on file, each is matched on the sentence most alike it, the quoted denial
    # (not on the paragraph before it, which only paraphrases it), and the denial claim comes first.
    matches = ArticleMatch.objects.filter(source=first).select_related("claim").order_by("-similarity")
    assert [m.claim.text[:30] for m in matches] == ["Iran has not sold and will not", "Iran has supplied drones to Ru"]
    for match in matches:
        assert match.sentence.startswith(f'"{QUOTED_DENIAL}')  # the paragraph before it is not part of it
        assert match.sentence.endswith("for use against Ukraine.")
        assert match.strength == ArticleMatch.Strength.STRONG
        assert match.similarity >= settings.MATCH_STRONG_THRESHOLD

    client.force_login(User.objects.get(username="factchecker"))  # the demo's fact-checker
    page = client.get(reverse("staff:incoming-article", args=[first.pk])).content.decode()
    assert '<mark id="sentence-1" class="matched-sentence">' in page
    marked = page.split('class="matched-sentence">', 1)[1].split("<sup", 1)[0]
    assert QUOTED_DENIAL in marked
    assert "TEHRAN" not in marked and marked.endswith("for use against Ukraine.")


def test_old_unmatched_and_dismissed_articles_lose_their_text_and_snapshot(settings):
    settings.IMPORTED_TEXT_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    unmatched = ArticleFactory(created_at=old)
    unmatched.snapshot.save("page.html", ContentFile(b"<p>page</p>"))
    snapshot_name = unmatched.snapshot.name
    dismissed = ArticleMatchFactory(source__created_at=old, state="dismissed").source
    suggested = ArticleMatchFactory(source__created_at=old).source
    cited = ArticleFactory(created_at=old)
    ClaimSourceFactory(source=cited)
    recent = ArticleFactory()

    assert inbox.delete_expired_article_text() == 2

    unmatched.refresh_from_db()
    assert (unmatched.text, unmatched.snapshot.name) == ("", "")
    assert not unmatched.snapshot.storage.exists(snapshot_name)
    assert not any(row.text for row in unmatched.history.all())
    dismissed.refresh_from_db()
    assert dismissed.text == ""
    for kept in (suggested, cited, recent):
        kept.refresh_from_db()
        assert kept.text
