"""The public side in Chromium: a correction published through the newsroom's screens shows on the claim page
and in the corrections log; axe-core finds no serious or critical accessibility problem on the public pages."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from claims.demo import CLAIM_B
from tests.factories import ClaimFactory, ClaimLinkFactory
from tests.publishing import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def test_a_correction_published_in_the_newsroom_shows_with_its_note_on_the_page_and_in_the_log(
    page, open_as, factchecker, reviewer
):
    claim = publish(headline="The ministry denied it").claim
    claim_page = reverse("claim", args=[claim.slug])
    page.goto(claim_page)
    expect(page.locator(".verdict-headline")).to_have_text("The ministry denied it")

    author = open_as(factchecker)
    author.goto(reverse("staff:claim", args=[claim.pk]))
    status = author.locator("#status")
    status.get_by_role("link", name="Draft a correction, update or retraction").click()
    status.get_by_label("Correction").check()
    status.get_by_role("button", name="Draft a correction, update or retraction").click()
    expect(author.locator("#verdict")).to_contain_text("Correction")
    author.locator("#verdict").get_by_role("link", name="Edit the draft").click()
    author.locator("#id_headline").fill("The foreign ministry denied it")
    author.locator("#id_public_note").fill("We had named the wrong ministry.")
    author.locator("#verdict").get_by_role("button", name="Save").click()
    expect(author.locator("#verdict")).to_contain_text("The foreign ministry denied it")
    status.get_by_role("button", name="Submit for review").click()
    expect(status).to_contain_text("Correction in review")

    # While the correction is in review, the public still sees the published verdict.
    page.goto(claim_page)
    expect(page.locator(".verdict-headline")).to_have_text("The ministry denied it")

    critic = open_as(reviewer)
    critic.goto(reverse("staff:claim-review", args=[claim.pk]))
    critic.locator("#status").get_by_role("link", name="Publish").click()
    expect(critic.locator("#status")).to_contain_text("cannot be changed afterwards")
    critic.locator("#status").get_by_role("button", name="Publish").click()
    expect(critic.locator("#status")).to_contain_text("approved by reviewer")

    page.goto(claim_page)
    expect(page.locator(".verdict-headline")).to_have_text("The foreign ministry denied it")
    history = page.locator(".correction-history li")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("Correction")
    expect(history.nth(1)).to_contain_text("We had named the wrong ministry.")
    expect(page.locator(".byline")).to_contain_text("Updated")
    # The latest correction is said at the top, before the claim, and links to the history.
    notice = page.locator(".correction-notice")
    expect(notice).to_contain_text("Correction")
    expect(notice).to_contain_text("We had named the wrong ministry.")
    notice.get_by_role("link", name="All corrections and updates").click()
    expect(page).to_have_url(f"{page.url.split('#')[0].rstrip('#')}#history")
    expect(page.locator("#history")).to_be_in_viewport()

    page.get_by_role("link", name="Corrections", exact=True).click()
    expect(page.get_by_role("heading", name="Corrections log")).to_be_visible()
    entry = page.locator(".verdict-item").first
    expect(entry).to_contain_text(claim.text)
    expect(entry).to_contain_text("We had named the wrong ministry.")
    assert page.console_errors == []


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses to run without it
    call_command("seed_demo", stdout=StringIO())


def public_pages() -> dict[str, str]:
    """The public pages axe-core checks."""
    return {
        "home": reverse("home"),
        "claim page": reverse("claim", args=[CLAIM_B.slug]),
        "search": reverse("search"),
        "search results": reverse("search") + "?q=drones",
        "tip form": reverse("tip"),
        "error report form": reverse("report-error", args=[CLAIM_B.slug]),
        "corrections log": reverse("corrections"),
        "ratings": reverse("ratings"),
        "about": reverse("about"),
    }


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_problem_on_the_public_pages(browser, live_server, demo, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    axe = Axe()
    try:
        problems = {}
        for name, url in public_pages().items():
            response = page.goto(url)
            assert response.status == 200, f"{name}: {response.status}"
            results = axe.run(page)
            blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
            if blocking:
                problems[name] = results.generate_report()
        assert not problems, "\n\n".join(f"{name}:\n{report}" for name, report in problems.items())
        csp = [text for text in errors if "content security policy" in text.lower()]
        assert csp == []
    finally:
        context.close()


def test_the_claim_page_fits_a_phone_screen(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(reverse("claim", args=[CLAIM_B.slug]))
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM_B.text)
    finally:
        context.close()


def test_a_reader_follows_a_related_claim_and_the_page_shares_a_card(page, live_server):
    denial = publish(ClaimFactory(text="Iran has sold no drones.", slug="no-drones")).claim
    claim = ClaimFactory(text="Iran sold drones.", slug="drones")
    ClaimLinkFactory(from_claim=denial, to_claim=claim, kind="counter_claim")
    publish(claim)

    page.goto(reverse("claim", args=["drones"]))
    related = page.locator(".related-claim")
    expect(related).to_contain_text("Counter-claim")
    card_address = page.locator("meta[property='og:image']").get_attribute("content")
    card = page.request.get(live_server.url + urlsplit(card_address).path)
    assert card.ok and card.headers["content-type"] == "image/png" and card.body()[:8] == b"\x89PNG\r\n\x1a\n"

    related.get_by_role("link", name="Iran has sold no drones.").click()
    expect(page.locator("#claim-title")).to_have_text("Iran has sold no drones.")
