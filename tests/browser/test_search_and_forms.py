"""A reader searches the fact-checks and sends a tip; a fact-checker answers an error report: in a real browser,
with nothing blocked by the CSP."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import ErrorReport, Tip
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory, ErrorReportFactory
from tests.publishing import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_results_change_in_place_as_the_reader_types_and_the_address_follows(page):
    publish(ClaimFactory(text="Iran has supplied drones to Russia."))
    publish(ClaimFactory(text="The new bridge cost nothing."))
    page.goto("/search/")
    results = page.locator("#search-results")
    expect(results).to_contain_text("2 fact-checks")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("searchbox", name="Search").fill("drones")

    expect(results).to_contain_text("1 fact-check matches “drones”")
    expect(results).to_contain_text("Iran has supplied drones to Russia.")
    expect(results).not_to_contain_text("The new bridge cost nothing.")
    expect(page).to_have_url(re.compile(r"/search/\?q=drones"))
    assert page.evaluate("window.stillTheSamePage") is True, "the page was reloaded"
    assert page.console_errors == []


def test_a_reader_sends_a_tip_and_is_thanked(page):
    page.goto("/tips/new/")
    expect(page.locator(".hp-field input")).not_to_be_in_viewport()
    page.get_by_label("What was claimed, and by whom?").fill("The mayor said the bridge cost nothing.")
    page.get_by_label("Where did you see or hear it? (a link, optional)").fill("video.example/clip")
    page.get_by_label("How can we reach you? (optional)").fill("reader@example.invalid")
    page.get_by_role("button", name="Send the tip").click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    tip = Tip.objects.get()
    assert (tip.url, tip.contact) == ("https://video.example/clip", "reader@example.invalid")
    assert page.console_errors == []


def test_a_fact_checker_answers_an_error_report_in_place(page, factchecker):
    report = ErrorReportFactory(text="The date of the second statement is wrong.", contact="reader@example.invalid")
    log_in(page, factchecker)
    page.get_by_role("link", name="Error reports").click()
    row = page.locator(f"#row-{report.pk}")
    expect(row).to_contain_text("reader@example.invalid")
    page.evaluate("window.stillTheSamePage = true")

    row.get_by_label("Answer to the reader").fill("Thank you: we checked, and the date is right.")
    row.get_by_role("button", name="Record the answer").click()

    expect(row).to_contain_text("Answered")
    expect(row).to_contain_text("Thank you: we checked, and the date is right.")
    assert page.evaluate("window.stillTheSamePage") is True, "the page was reloaded"
    report.refresh_from_db()
    assert report.state == ErrorReport.State.ANSWERED
    assert page.console_errors == []
