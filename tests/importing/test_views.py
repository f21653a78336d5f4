"""The feed pages and "paste a URL" on the workspace, as each role sees them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import ClaimSource, Feed, FetchStatus, ImportRun, Source
from tests.factories import ClaimFactory, ClaimSourceFactory, FeedFactory, ImportRunFactory, SourceFactory
from tests.importing.conftest import rss

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


# --- Feeds ------------------------------------------------------------------------------------


def test_fact_checkers_see_each_feed_with_its_status_and_last_error(client_for, django_assert_num_queries):
    FeedFactory(name="Wire A", consecutive_failures=2, last_error="The server answered HTTP 503.")
    ImportRunFactory(feed=FeedFactory(name="Wire B"), status=ImportRun.Status.SUCCEEDED)
    client = client_for("factchecker")
    client.get(reverse("staff:feeds"))  # warm: the site's settings are then kept by the process

    with django_assert_num_queries(2):  # the user with their roles (the session is cached), the feeds and runs
        response = client.get(reverse("staff:feeds"))

    page = response.content.decode()
    assert "Wire A" in page and "Wire B" in page
    assert "2 failures in a row" in page
    assert "The server answered HTTP 503." in page
    assert "succeeded" in page
    assert reverse("staff:feed-add") not in page


def test_admins_are_offered_to_add_a_feed(client_for):
    assert reverse("staff:feed-add") in client_for("admin").get(reverse("staff:feeds")).content.decode()


def test_adding_a_feed_shows_a_preview_first_and_saves_only_what_was_previewed(client_for, local_site, enqueued):
    items = [{"guid": "1", "link": "/a", "title": "Minister denies drone sales"}]
    url = local_site.add("/feed.xml", rss(items, title="Example Wire"), content_type="application/rss+xml")
    client = client_for("admin")

    preview = client.post(reverse("staff:feed-add"), {"url": url, "poll_interval": 30, "active": "on"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Minister denies drone sales" in page
    assert 'value="Example Wire"' in page  # the name, filled in from the feed's title
    assert f'name="previewed" value="{url}"' in page
    assert not Feed.objects.exists()

    saved = client.post(
        reverse("staff:feed-add"),
        {"url": url, "name": "Example Wire", "language": "en", "poll_interval": 30, "active": "on", "previewed": url},
    )
    feed = Feed.objects.get()
    assert saved["Location"] == reverse("staff:feed", args=[feed.pk])
    assert (feed.name, feed.active, feed.poll_interval) == ("Example Wire", True, 30)
    assert feed.next_poll_at <= timezone.now()
    assert feed.history.first().history_user.username == "admin"


def test_saving_a_feed_from_htmx_sends_the_browser_to_its_page(client_for, local_site):
    url = local_site.add("/feed.xml", rss([{"guid": "1", "link": "/a"}]), content_type="application/rss+xml")
    response = client_for("admin").post(
        reverse("staff:feed-add"), {"url": url, "name": "Wire", "poll_interval": 30, "previewed": url}, **HTMX
    )

    assert response["HX-Redirect"] == reverse("staff:feed", args=[Feed.objects.get().pk])


def test_a_feed_address_the_fetcher_refuses_is_not_saved(client_for, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    response = client_for("admin").post(
        reverse("staff:feed-add"), {"url": "http://127.0.0.1:9/feed.xml", "poll_interval": 30}, **HTMX
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Refused: 127.0.0.1 is not a public address." in page
    assert "<html" not in page
    assert not Feed.objects.exists()


def test_a_page_that_is_not_a_feed_is_explained(client_for, local_site):
    url = local_site.add("/page", "<html><body><p>Hello</p></body></html>")
    response = client_for("admin").post(reverse("staff:feed-add"), {"url": url, "poll_interval": 30})

    assert response.status_code == 422
    assert "This is not an RSS or Atom feed." in response.content.decode()


def test_poll_now_starts_a_run_whose_status_polls_until_it_ends(
    client_for, enqueued, django_capture_on_commit_callbacks
):
    feed = FeedFactory()
    client = client_for("admin")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff:feed-poll", args=[feed.pk]), **HTMX)

    run = ImportRun.objects.get(feed=feed)
    assert enqueued.polls == [(feed.pk, run.pk)]
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment
    assert f'hx-get="{reverse("staff:import-run", args=[run.pk])}"' in fragment

    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.SUCCEEDED, items_new=4)
    finished = client.get(reverse("staff:import-run", args=[run.pk]), **HTMX).content.decode()
    assert "hx-trigger" not in finished
    assert "succeeded" in finished
    assert 'id="poll-history" class="region" aria-labelledby="runs-title" hx-swap-oob="true"' in finished


def test_a_run_page_without_javascript_is_the_feed_page(client_for):
    run = ImportRunFactory(status=ImportRun.Status.FAILED, error="The feed is empty.")
    page = client_for("factchecker").get(reverse("staff:import-run", args=[run.pk])).content.decode()

    assert "<html" in page
    assert run.feed.name in page
    assert "The feed is empty." in page


def test_admins_disable_and_enable_a_feed_on_record(client_for, admin_user):
    feed = FeedFactory(consecutive_failures=3)
    client = client_for("admin")

    client.post(reverse("staff:feed-active", args=[feed.pk]), {"active": "0"})
    feed.refresh_from_db()
    assert not feed.active
    fragment = client.post(reverse("staff:feed-active", args=[feed.pk]), {"active": "1"}, **HTMX).content.decode()
    feed.refresh_from_db()
    assert feed.active and feed.consecutive_failures == 0
    assert "<html" not in fragment and "Disable" in fragment
    assert [row.history_change_reason for row in feed.history.all()[:2]] == ["Enabled", "Disabled"]


def test_fact_checkers_cannot_manage_feeds(client_for):
    feed = FeedFactory()
    client = client_for("factchecker")

    assert client.post(reverse("staff:feed-poll", args=[feed.pk])).status_code == 403
    assert client.post(reverse("staff:feed-active", args=[feed.pk]), {"active": "0"}).status_code == 403
    assert "Poll now" not in client.get(reverse("staff:feed", args=[feed.pk])).content.decode()


# --- Paste a URL on the workspace ---------------------------------------------------------------


def test_a_pasted_url_is_cited_at_once_and_fetched_after_commit(
    client_for, enqueued, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("factchecker").post(
            reverse("staff:claim-source-url", args=[claim.pk]),
            {"url": "https://news.example/story?utm_source=x#top"},
            **HTMX,
        )

    source = Source.objects.get(url="https://news.example/story")
    assert (source.fetch_status, source.origin, source.title) == ("pending", "manual", source.url)
    assert ClaimSource.objects.filter(claim=claim, source=source).exists()
    assert enqueued.fetches == [source.pk]
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "fetching…" in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_a_pasted_url_already_on_file_is_cited_without_fetching_again(client_for, enqueued):
    claim = ClaimFactory()
    existing = SourceFactory(url="https://news.example/story", fetch_status=FetchStatus.DONE)
    client_for("factchecker").post(reverse("staff:claim-source-url", args=[claim.pk]), {"url": existing.url})

    assert ClaimSource.objects.get(claim=claim).source == existing
    assert enqueued.fetches == []


def test_a_pasted_address_that_is_not_http_is_refused_with_a_message(client_for):
    claim = ClaimFactory()
    response = client_for("factchecker").post(
        reverse("staff:claim-source-url", args=[claim.pk]), {"url": "ftp://files.example/a"}, **HTMX
    )

    assert response.status_code == 422
    assert "Enter an http or https address." in response.content.decode()
    assert not Source.objects.exists()


def test_the_fetching_badge_polls_while_pending_then_gives_way_to_the_region(client_for):
    cited = ClaimSourceFactory(source=SourceFactory(fetch_status=FetchStatus.PENDING))
    url = reverse("staff:claim-source-fetch-status", args=[cited.claim_id, cited.pk])
    client = client_for("factchecker")

    pending = client.get(url, **HTMX)
    assert 'hx-trigger="every 2s"' in pending.content.decode()
    assert "HX-Retarget" not in pending

    Source.objects.filter(pk=cited.source_id).update(
        fetch_status=FetchStatus.FAILED, fetch_error="Refused: 10.0.0.1 is not a public address."
    )
    done = client.get(url, **HTMX)
    region = done.content.decode()
    assert (done["HX-Retarget"], done["HX-Reswap"]) == ("#sources", "outerHTML")
    assert 'id="sources"' in region and "hx-trigger" not in region
    assert "Refused: 10.0.0.1 is not a public address." in region

    assert client.get(url)["Location"].endswith("#sources")


def test_the_workspace_offers_to_paste_a_url(client_for):
    claim = ClaimFactory()
    page = client_for("factchecker").get(reverse("staff:claim", args=[claim.pk])).content.decode()

    assert f'action="{reverse("staff:claim-source-url", args=[claim.pk])}"' in page
    assert "Paste a URL" in page
