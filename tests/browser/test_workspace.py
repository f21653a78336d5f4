"""A fact-checker logs a claim and works it in the browser, without full page reloads."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim, ClaimSource, Evidence, Statement
from tests.browser.conftest import log_in
from tests.factories import ActorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_fact_checker_logs_a_claim_with_source_denial_and_evidence(page, factchecker):
    ActorFactory(name="Hossein Amir Abdollahian", title="Foreign Minister of Iran")
    log_in(page, factchecker)

    page.get_by_role("link", name="New claim").click()
    page.get_by_label("Text").fill("Iran has supplied drones to Russia for use in the war in Ukraine.")
    page.get_by_role("button", name="Log the claim").click()
    expect(page).to_have_url(re.compile(r"/staff/claims/\d+/$"))
    claim = Claim.objects.get()

    # Everything below happens in place: the marker survives only if the page is never reloaded.
    page.evaluate("window.stillTheSamePage = true")

    sources = page.locator("#sources")
    sources.get_by_role("link", name="Cite a source").click()
    sources.get_by_label("Title").fill("Speech at the OANA meeting in Tehran")
    page.locator("#id_new_source-date_note").fill("July, year not stated")
    sources.get_by_role("button", name="Save").click()
    expect(sources).to_contain_text("Speech at the OANA meeting in Tehran")
    expect(sources).to_contain_text("no URL")

    statements = page.locator("#statements")
    statements.get_by_role("link", name="Add a statement").click()
    # Typed key by key, as a person does: the suggestions come from the server as you type.
    page.locator("#id_actor_query").press_sequentially("Abdollahian", delay=50)
    statements.get_by_label(re.compile("Hossein Amir Abdollahian")).check()
    page.locator("#id_stance").select_option("denies")
    page.locator("#id_quote").fill("We have not sold and will not sell any weapons and drones.")
    page.locator("#id_translated").check()
    page.locator("#id_original_language").fill("fa")
    page.locator("#id_original_quote").fill("ما هیچ سلاح و پهپادی نفروخته‌ایم")
    statements.get_by_role("button", name="Save").click()
    expect(statements.locator(".statements-denials")).to_contain_text("We have not sold")
    expect(statements).to_contain_text("translated from Persian")

    evidence = page.locator("#evidence")
    evidence.get_by_role("link", name="Add evidence").click()
    page.locator("#id_stance").select_option("context")
    page.locator("#id_summary").fill("The article gives no date for the U.S. statement.")
    evidence.get_by_role("button", name="Save").click()
    expect(evidence.locator(".evidence-context")).to_contain_text("no date for the U.S. statement")

    assert page.evaluate("window.stillTheSamePage") is True

    page.reload()
    expect(page.locator("#sources")).to_contain_text("Speech at the OANA meeting in Tehran")
    expect(page.locator("#statements")).to_contain_text("We have not sold")
    expect(page.locator("#evidence")).to_contain_text("no date for the U.S. statement")
    assert ClaimSource.objects.get(claim=claim).source.url == ""
    assert Statement.objects.get(claim=claim).translated

    evidence = page.locator("#evidence")
    evidence.get_by_role("button", name="Remove").click()
    expect(evidence.locator(".undo-bar")).to_be_visible()
    expect(evidence.locator(".evidence-context")).not_to_contain_text("no date for the U.S. statement")
    assert not Evidence.objects.filter(claim=claim).exists()
    evidence.get_by_role("button", name="Undo").click()
    expect(evidence.locator(".evidence-context")).to_contain_text("no date for the U.S. statement")
    assert Evidence.objects.filter(claim=claim).exists()
    assert page.console_errors == [] or all("422" in error for error in page.console_errors)
