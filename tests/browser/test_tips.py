"""Tips in a real browser, with nothing blocked by the CSP: a reader asks to be told when their tip is checked;
a fact-checker sees the tips grouped by what they ask, takes one out, moves it back and dismisses the group."""

import pytest
from playwright.sync_api import expect

from claims import jobs
from claims.models import Tip, TipMatch
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
