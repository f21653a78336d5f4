"""Other fact-checkers' verdicts in Chromium: a reviewer uploads a ClaimReview data feed, sees what each item
came to, and an article that matches one of them shows "Checked by …" on Incoming, linking to theirs."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.inbox import source_match
from tests.browser.conftest import log_in
from tests.claimreview.test_matching_and_screens import ARTICLE, FEED
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_a_data_feed_and_see_their_verdict_beside_a_matching_article(page, reviewer, tmp_path):
    log_in(page, reviewer)
    feed = tmp_path / "checkdesk.json"
    feed.write_bytes(FEED.replace(b'"claimReviewed": "The Eiffel', b'"claimReviewed": 7, "x": "The Eiffel'))

    page.goto(reverse("staff:claimreviews"))
    page.get_by_label("ClaimReview file").set_input_files(str(feed))
    page.get_by_role("button", name="Read the file").click()

    row = page.locator("table.claimreview-sources tbody tr")
    expect(row).to_contain_text("checkdesk.json")
    expect(row).to_contain_text("1 new, 0 updated, 0 unchanged, 1 skipped")
    expect(row).to_contain_text("Item 2: claimReviewed is not text (it is a number).")
    expect(page.locator("table.external-fact-checks")).to_contain_text("Iran has supplied drones to Russia")

    article = ArticleFactory(text=ARTICLE, title="Minister meets the agencies")
    source_match(source=article)  # what the worker does once the article's text is extracted
    page.goto(reverse("staff:incoming"))
    item = page.locator(f"#article-{article.pk}")
    expect(item.locator(".checked-by")).to_have_text("Checked by Check Desk: True")
    link = item.get_by_role("link", name="Read Check Desk's fact-check")
    expect(link).to_have_attribute("href", "https://checkdesk.invalid/iran-drones")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")

    item.get_by_role("link", name="Minister meets the agencies").click()
    expect(page.locator(".incoming-matches-region .checked-by")).to_have_text("Checked by Check Desk: True")
    expect(page.locator(".incoming-matches-region .match-sentence")).to_contain_text("Officials in Kyiv said again")
    assert page.console_errors == []
