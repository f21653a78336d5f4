"""What reviewers see: their dashboard lists leading to the review screen, why Publish is missing when they
contributed, a correction's changes against the published version, and the dashboard's charts."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims import services
from claims.models import Verdict
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory, StatementFactory, UserFactory
from tests.publishing import publish, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_who_contributed_is_sent_to_the_review_screen_and_told_why(open_as, reviewer):
    claim = ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")
    statement = StatementFactory(claim=claim, quote="We have not sold any drones.")
    statement.quote = "We have not sold any weapons or drones."
    services.claim_item_update(item=statement, by=reviewer)
    submitted(claim)

    page = open_as(reviewer)
    contributed = page.locator(".my-work section", has_text="You contributed: another reviewer must publish")
    expect(contributed).to_contain_text("Iran has supplied drones")
    expect(page.locator(".my-work section", has_text="Awaiting my review")).to_contain_text(
        "No verdict awaits your review."
    )
    contributed.get_by_role("link", name="Iran has supplied drones").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("staff:claim-review", args=[claim.pk])) + "$"))
    note = page.locator("#status .two-person-note")
    expect(note).to_contain_text("Another reviewer must publish this verdict.")
    expect(note).to_contain_text("(quote) edited at")
    expect(page.locator("#status").get_by_role("link", name="Publish")).to_have_count(0)


def test_a_correction_shows_its_changes_to_the_reviewer(open_as, reviewer):
    first = publish(headline="Nothing settles it", explanation="<p>The ministry said so.</p>")
    claim = first.claim
    submitted(
        claim,
        kind=Verdict.Kind.CORRECTION,
        headline="Nothing settles it yet",
        explanation="<p>The foreign ministry said so.</p>",
        public_note="We named the wrong ministry.",
    )

    page = open_as(reviewer)
    page.locator(".my-work section", has_text="Awaiting my review").get_by_role("link").first.click()
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Changes against the published version")
    expect(changes.locator("ins", has_text="yet")).to_be_visible()
    expect(changes.locator("ins", has_text="foreign")).to_be_visible()
    expect(changes.locator(".diff-added")).to_contain_text("Public note: We named the wrong ministry.")
    expect(page.locator("#status").get_by_role("link", name="Publish")).to_be_visible()
    page.screenshot(path="/tmp/i13-review-correction.png", full_page=True)  # noqa: S108


def test_the_dashboard_draws_the_work_with_tables_for_screen_readers(page, factchecker):
    colleague = UserFactory(username="colleague", groups=["fact-checkers"])
    ClaimFactory.create_batch(3, assignee=factchecker)
    ClaimFactory(assignee=colleague)
    publish()

    log_in(page, factchecker)
    picture = page.locator(".work-picture")
    expect(picture.locator("svg")).to_have_count(4)
    for svg in picture.locator("svg").all():
        expect(svg).to_be_visible()
    by_state = page.get_by_role("table", name="Claims by state")
    expect(by_state.get_by_role("row", name="New 4")).to_have_count(1)
    expect(by_state.get_by_role("row", name="Published 1")).to_have_count(1)
    people = page.get_by_role("table", name="Open work per person")
    expect(people.get_by_role("row").nth(1)).to_contain_text("factchecker")
    expect(page.get_by_role("table", name="Claims published per week").get_by_role("row").last).to_contain_text("1")
    assert page.console_errors == []  # nothing refused by the CSP
    page.screenshot(path="/tmp/i13-review-dashboard.png", full_page=True)  # noqa: S108
