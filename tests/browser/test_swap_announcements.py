"""What someone using a screen reader gets when htmx swaps part of a page (static/js/announce-swaps.js):
the focus moves to what changed (a form just opened, the item just saved, a form's error, the undo bar),
and lists a filter updates say their count in the page's polite live region."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import ActorFactory, ClaimFactory, EvidenceFactory, TipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "document.activeElement"


def focused_text(page) -> str:
    return page.evaluate(f"{FOCUSED} ? {FOCUSED}.textContent.replace(/\\s+/g, ' ').trim() : ''")


def focused_is(page, selector: str) -> bool:
    """Whether the focus is on `selector`, waiting for it (focus moves once the swap has settled)."""
    try:
        page.wait_for_function(f"s => {FOCUSED} && {FOCUSED}.matches(s)", arg=selector, timeout=5000)
    except PlaywrightTimeoutError:
        return False
    return True


@pytest.fixture
def workspace(page, factchecker):
    claim = ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")
    ActorFactory(name="Hossein Amir Abdollahian", title="Foreign Minister of Iran")
    log_in(page, factchecker)
    page.goto(reverse("staff:claim", args=[claim.pk]))
    return claim


def test_a_statement_saved_in_place_takes_the_focus_and_a_refused_one_puts_it_on_the_error(page, workspace):
    statements = page.locator("#statements")
    statements.get_by_role("link", name="Add a statement").click()
    # The form just opened: the focus is in its first field, the search for who said it.
    expect(page.locator("#id_actor_query")).to_be_focused()

    # Sent without a quote: the form comes back with its errors and the focus on the first field in error.
    page.locator("#id_actor_query").press_sequentially("Abdollahian", delay=50)
    statements.get_by_label(re.compile("Hossein Amir Abdollahian")).check()
    page.locator("#id_stance").select_option("denies")
    statements.get_by_role("button", name="Save").click()
    expect(statements.locator(".field-errors")).to_be_visible()
    expect(page.locator("#id_quote")).to_be_focused()
    expect(page.locator("#id_quote")).to_have_attribute("aria-invalid", "true")

    # The form's errors swapped in pass axe too.
    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"] if v["impact"] in {"serious", "critical"}] == []

    # Saved: the new statement has the focus, so a screen reader reads it out.
    page.locator("#id_quote").fill("We have not sold and will not sell any weapons and drones.")
    statements.get_by_role("button", name="Save").click()
    saved = statements.locator("li.statement", has_text="We have not sold")
    expect(saved).to_be_focused()
    assert "Hossein Amir Abdollahian" in focused_text(page)


def test_removing_focuses_the_undo_bar_and_undo_focuses_the_item_again(page, factchecker):
    evidence = EvidenceFactory(summary="The article gives no date for the U.S. statement.")
    log_in(page, factchecker)
    page.goto(reverse("staff:claim", args=[evidence.claim_id]))
    region = page.locator("#evidence")

    region.get_by_role("button", name="Remove").click()
    expect(region.locator(".undo-bar")).to_be_focused()
    assert focused_text(page).startswith("Removed")

    region.get_by_role("button", name="Undo").click()
    expect(region.locator("li.item", has_text="no date for the U.S. statement")).to_be_focused()

    # Cancel closes the form and leaves the focus on the region's heading, not lost on the page.
    region.get_by_role("link", name="Edit").click()
    expect(page.locator("#evidence .inline-editor")).to_be_visible()
    assert focused_is(page, "#evidence .inline-editor :is(input, select, textarea)")
    region.get_by_role("link", name="Cancel").click()
    expect(page.locator("#evidence-title")).to_be_focused()
    assert page.console_errors == []


def test_the_dashboard_filter_says_how_many_claims_and_leaves_the_focus_in_the_search_box(page, factchecker):
    ClaimFactory(text="Iran sold drones to Russia.")
    ClaimFactory(text="Iran sold tanks to Russia.")
    ClaimFactory(text="The city spent a million euros on its logo.")
    log_in(page, factchecker)
    announcer = page.locator("#swap-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text("")

    search = page.locator("#id_q")
    search.press_sequentially("Iran", delay=30)
    expect(announcer).to_have_text("2 claims")
    expect(page.locator("#claim-table tbody tr")).to_have_count(2)
    expect(search).to_be_focused()

    search.fill("")
    search.press_sequentially("logo", delay=30)
    expect(announcer).to_have_text("1 claim")
    expect(page.locator("#claim-table tbody tr")).to_have_count(1)
    expect(search).to_be_focused()
    assert page.console_errors == []


def test_a_transition_focuses_the_status_heading_and_a_question_focuses_its_form(page, reviewer):
    claim = ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")
    log_in(page, reviewer)
    page.goto(reverse("staff:claim", args=[claim.pk]))
    status = page.locator("#status")
    status.get_by_role("button", name="Start research").click()
    expect(page.locator("#status-title")).to_be_focused()
    expect(page.locator("#status-title")).to_contain_text("Researching")

    status.get_by_role("link", name="Dismiss the claim").click()
    # The question asked before dismissing: the focus is in its form (its first field, or the form itself).
    expect(status.locator("form.inline-editor")).to_be_visible()
    assert focused_is(page, "#status form.inline-editor, #status form.inline-editor *")
    status.get_by_role("link", name="Cancel").click()
    expect(page.locator("#status-title")).to_be_focused()


def test_a_triage_tab_keeps_the_focus_on_the_tab_now_shown(page, factchecker):
    TipFactory(text="Is it true that the bridge cost nothing?")
    TipFactory(text="Did the mayor really say that?", state="dismissed")
    log_in(page, factchecker)
    page.goto(reverse("staff:tips"))
    tabs = page.get_by_role("navigation", name="Show")
    tabs.get_by_role("link", name=re.compile("Dismissed")).click()
    current = tabs.locator("[aria-current='page']")
    expect(current).to_contain_text("Dismissed")
    expect(current).to_be_focused()
    expect(page.locator("#triage-list")).to_contain_text("Did the mayor really say that?")
