"""A fact-checker merges a duplicate claim from its workspace: pick, read what moves, merge — with
JavaScript (the picker suggests as you type) and without it (the server offers the matches)."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from tests.browser.test_workspace import log_in
from tests.factories import ClaimFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def duplicates():
    retired = ClaimFactory(text="Tehran sent drones to Moscow.")
    survivor = ClaimFactory(text="Iran has supplied drones to Russia for the war in Ukraine.")
    StatementFactory(claim=retired, quote="We have not sold any drones.")
    return retired, survivor


def test_a_fact_checker_merges_a_duplicate_from_the_workspace(page, factchecker, duplicates):
    retired, survivor = duplicates
    log_in(page, factchecker)
    page.goto(f"/staff/claims/{retired.pk}/")

    page.get_by_role("link", name="Merge into another claim…").click()
    expect(page).to_have_url(re.compile(rf"/staff/claims/{retired.pk}/merge/$"))
    page.locator("#id_into_query").press_sequentially("supplied drones", delay=50)
    page.get_by_label(re.compile("Iran has supplied drones")).check()
    page.get_by_role("button", name="Continue").click()

    merge = page.locator("#merge")
    expect(merge).to_contain_text(f"Merge into claim #{survivor.pk}?")
    expect(merge).to_contain_text("1 statement")
    expect(merge).to_contain_text("never been published")
    assert Claim.objects.get(pk=retired.pk).state == Claim.State.NEW

    merge.get_by_role("button", name="Merge").click()
    expect(page).to_have_url(re.compile(rf"/staff/claims/{survivor.pk}/$"))
    expect(page.locator("#statements")).to_contain_text("We have not sold any drones.")

    page.goto(f"/staff/claims/{retired.pk}/")
    notice = page.locator(".merged-notice")
    expect(notice).to_contain_text(f"merged into claim #{survivor.pk}")
    notice.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/staff/claims/{survivor.pk}/$"))
    assert page.console_errors == []


def test_the_merge_works_without_javascript_and_a_refusal_is_said_beside_the_picker(
    browser, live_server, factchecker, duplicates
):
    retired, survivor = duplicates
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, factchecker)
    page.goto(f"/staff/claims/{retired.pk}/merge/")

    page.locator("#id_into_query").fill("drones")  # both claims match: the server offers them
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".field-errors")).to_contain_text("Pick one of the matches below")
    page.get_by_label(re.compile("Iran has supplied drones")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#merge")).to_contain_text(f"Merge into claim #{survivor.pk}?")

    survivor.state = Claim.State.DISMISSED  # meanwhile, a reviewer dismisses it
    survivor.save()
    page.get_by_role("button", name="Merge").click()
    expect(page.locator(".field-errors")).to_contain_text("was dismissed")
    assert Claim.objects.get(pk=retired.pk).state == Claim.State.NEW
    context.close()
