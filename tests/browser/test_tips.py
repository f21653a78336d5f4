"""Tips in a real browser, with nothing blocked by the CSP: a reader asks to be told when their tip is checked;
a fact-checker sees the tips grouped by what they ask, takes one out, moves it back and dismisses the group; a tip
that asks about another organisation's fact-check shows their verdict and a link to it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from claims import claimreviews, jobs
from claims.models import Tip, TipMatch
from claims.tips import tip_match
from tests.browser.conftest import log_in
from tests.browser.test_public import BLOCKING_IMPACTS
from tests.claimreview.test_matching_and_screens import FEED
from tests.factories import PASSWORD, ClaimFactory, TipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_worker(monkeypatch):
    """No broker: the tip the reader sends is not sent on to a worker."""
    monkeypatch.setattr(jobs, "enqueue_tip_matching", lambda tip_id: None)


def test_a_reader_asks_to_be_told_and_must_give_an_email_address(page):
    page.goto("/tips/new/")
    page.get_by_label("What was claimed, and by whom?").fill("The mayor said the bridge cost nothing.")
    page.get_by_label("How can we reach you? (optional)").fill("+44 20 7946 0000")
    page.get_by_label("Tell me when this is checked").check()
    expect(page.get_by_text("Your contact details are never published")).to_contain_text("days")
    page.get_by_role("button", name="Send the tip").click()

    expect(page.locator(".field.has-error")).to_contain_text("give an email address")
    expect(page.get_by_label("Tell me when this is checked")).to_be_checked()
    page.get_by_label("How can we reach you? (optional)").fill("reader@example.invalid")
    page.get_by_role("button", name="Send the tip").click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    tip = Tip.objects.get()
    assert (tip.contact, tip.wants_answer) == ("reader@example.invalid", True)
    assert all("422" in error for error in page.console_errors)  # the form sent back: nothing else failed


def test_a_fact_checker_ungroups_moves_and_dismisses_tips_in_place(page, factchecker):
    first = TipFactory(text="Is it true that Iran has sent drones to Russia?")
    second = TipFactory(text="Did Iran really give Russia drones?", group=first.group)
    TipFactory(text="Did the council spend a million on its logo?")
    claim = ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")
    TipMatch.objects.create(tip=second, claim=claim, similarity=0.61, strong=True, sentence=second.text)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(factchecker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Tips").first.click()
    items = page.locator(".triage-item")
    expect(items.first).to_contain_text("Asked by 2 readers")
    expect(items.first).to_contain_text("Closest claims on file")
    expect(items.first).to_contain_text(claim.text)
    page.evaluate("window.stillTheSamePage = true")

    page.locator(f"#tip-{second.pk}").get_by_role("button", name="Not the same question: take it out").click()
    expect(items).to_have_count(3)
    expect(page.locator("#triage-list")).not_to_contain_text("Asked by 2 readers")

    tip = page.locator(f"#tip-{second.pk}")
    tip.get_by_label("Same question as item").fill(str(first.group_id))
    tip.get_by_role("button", name="Move").click()
    expect(items).to_have_count(2)
    expect(page.locator(f"#row-{first.group_id}")).to_contain_text("Asked by 2 readers")

    page.locator(f"#row-{first.group_id}").get_by_role("button", name="Dismiss all 2").click()
    expect(page.locator(f"#row-{first.group_id}")).to_contain_text("Dismissed")
    assert page.evaluate("window.stillTheSamePage") is True, "the page was reloaded"
    assert set(Tip.objects.filter(group_id=first.group_id).values_list("state", flat=True)) == {"dismissed"}
    assert page.console_errors == []


def test_a_tip_about_another_organisations_fact_check_shows_their_verdict_and_links_to_it(page, factchecker, reviewer):
    claimreviews.claimreview_file_import(by=reviewer, content=FEED, filename="checkdesk.json")
    tip = TipFactory(text="Is it true that Iran has supplied drones to Russia for the war in Ukraine?")
    tip_match(tip=tip)  # what the worker does when the tip arrives
    log_in(page, factchecker)

    page.goto("/staff/tips/")
    found = page.locator(f"#tip-{tip.pk}")
    expect(found.get_by_role("heading", name="Checked by other fact-checkers")).to_be_visible()
    expect(found.locator(".checked-by")).to_have_text("Checked by Check Desk: True")
    expect(found.locator(".checked-elsewhere-item")).to_contain_text(
        "Iran has supplied drones to Russia for use in the war in Ukraine."
    )
    link = found.get_by_role("link", name="Read Check Desk's fact-check")
    expect(link).to_have_attribute("href", "https://checkdesk.invalid/iran-drones")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    expect(link).to_have_attribute("target", "_blank")
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, results.generate_report()
    assert page.console_errors == []
