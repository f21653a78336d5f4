"""The workspace served from its kept page works as a freshly rendered one: its forms carry this browser's
CSRF token, with and without htmx, and a change shows at the next view."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim, Statement
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_kept_workspace_page_sends_its_forms_and_shows_a_change_made_elsewhere(page, factchecker):
    claim = ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")
    StatementFactory(claim=claim, quote="We have not sold any drones.")
    log_in(page, factchecker)
    page.goto(f"/staff/claims/{claim.pk}/")
    page.reload()  # the kept page this time
    expect(page.locator("#related-items .group-title").first).to_be_visible()  # the matcher has answered

    page.locator("#summary").get_by_role("button", name="Assign to me").click()  # htmx, its CSRF header
    expect(page.locator("#summary").get_by_role("button", name="Assign to me")).to_have_count(0)
    claim.refresh_from_db()
    assert claim.assignee == factchecker

    # A change made outside the page (a bulk update, the admin): the next view shows it.
    Statement.objects.filter(claim=claim).update(quote="We sent no drones at all.")
    page.reload()
    expect(page.locator("#statements")).to_contain_text("We sent no drones at all.")
    expect(page.locator("#related-items .group-title").first).to_be_visible()
    expect(page.locator("#request-errors")).to_be_empty()
    assert Claim.objects.get(pk=claim.pk).assignee == factchecker
    assert page.console_errors == []
