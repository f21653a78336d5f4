"""A fact-checker logs in with a real browser and reaches the newsroom, with nothing blocked by the CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import submit_login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_violations(page) -> list[str]:
    return [text for text in page.console_errors if "content security policy" in text.lower()]


def test_a_fact_checker_logs_in_and_sees_the_newsroom_dashboard(page, factchecker):
    page.goto("/")
    page.get_by_role("link", name="Staff login").click()
    expect(page.get_by_role("heading", name="Staff login")).to_be_visible()

    page.get_by_label("Username").fill(factchecker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("heading", name="Newsroom dashboard")).to_be_visible()
    # The heading can show before the deferred scripts have run (on a busy machine it did): wait for them.
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load"
    assert csp_violations(page) == []
    assert page.console_errors == []


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(page, factchecker):
    submit_login(page, factchecker.username, "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    assert csp_violations(page) == []
