"""Background import in the browser: an admin adds a feed after its preview and watches a poll end;
a fact-checker pastes a URL and sees "fetching…" give way to the article's details, without reloading."""

import re

import pytest
from playwright.sync_api import expect

from claims.importing import pipeline
from claims.models import Feed, ImportRun, Source
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory
from tests.importing import conftest as importing
from tests.importing.conftest import ARTICLE_PARAGRAPHS, article_page, rss

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The import tests' fixtures: the local web site, and the broker stand-in.
local_site = importing.local_site
enqueued = importing.enqueued


def test_an_admin_previews_adds_and_polls_a_feed(page, admin_user, local_site, enqueued):
    items = [{"guid": "1", "link": "/a", "title": "Minister denies drone sales"}]
    feed_url = local_site.add("/feed.xml", rss(items, title="Example Wire"), content_type="application/rss+xml")
    log_in(page, admin_user)

    page.get_by_role("link", name="Feeds").first.click()
    page.get_by_role("link", name="Add a feed").click()
    page.get_by_label("Feed address").fill(feed_url)
    page.get_by_role("button", name="Check the feed").click()
    expect(page.locator("#feed-form")).to_contain_text("Minister denies drone sales")
    expect(page.locator("#preview-title")).to_be_focused()  # what the check found is read out first
    expect(page.get_by_label("Name")).to_have_value("Example Wire")
    page.get_by_role("button", name="Save the feed").click()
    expect(page).to_have_url(re.compile(r"/staff/feeds/\d+/$"))

    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Poll now").click()
    status = page.locator("#run-status")
    expect(status).to_contain_text("waiting")
    feed = Feed.objects.get()
    run = ImportRun.objects.get(feed=feed)
    pipeline.poll_feed(feed.pk, run.pk)  # what the worker would do
    expect(status).to_contain_text("succeeded", timeout=10_000)
    expect(status.locator("dl")).to_contain_text(re.compile(r"New sources\s*1"))
    expect(status).not_to_have_attribute("hx-trigger", re.compile("every"))
    expect(page.locator("#poll-history")).to_contain_text("succeeded")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.console_errors == []


def test_a_pasted_url_shows_fetching_until_the_worker_has_read_it(
    page,
    factchecker,
    local_site,
    enqueued,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    article_url = local_site.add("/story", article_page("Minister denies drone sales", ARTICLE_PARAGRAPHS))
    claim = ClaimFactory()
    log_in(page, factchecker)
    page.goto(f"/staff/claims/{claim.pk}/")

    page.evaluate("window.stillTheSamePage = true")
    sources = page.locator("#sources")
    sources.get_by_label("Paste a URL").fill(article_url)
    sources.get_by_role("button", name="Cite this page").click()
    expect(sources.get_by_text("fetching…")).to_be_visible()

    pipeline.fetch_source(Source.objects.get(url=article_url).pk)  # what the worker would do
    expect(sources).to_contain_text("Minister denies drone sales", timeout=10_000)
    expect(sources.get_by_text("fetching…")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.console_errors == []
