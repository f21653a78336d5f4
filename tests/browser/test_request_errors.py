"""A failed htmx request on a staff page says so, and keeps what the user typed."""

import pytest
from playwright.sync_api import expect

from claims import services
from claims.models import ClaimSource
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTED = "https://news.example.org/drones-report"


def open_sources_form(page, factchecker):
    claim = ClaimFactory()
    log_in(page, factchecker)
    page.goto(f"/staff/claims/{claim.pk}/")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Paste a URL").fill(PASTED)
    return claim


def test_a_server_error_is_shown_and_the_input_kept(page, factchecker, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    # The live server runs in this process: its view calls the broken service.
    monkeypatch.setattr(services, "claim_source_add_by_url", broken)
    open_sources_form(page, factchecker)

    page.get_by_role("button", name="Cite this page").click()

    alert = page.locator("#request-errors [role=alert]")
    expect(alert).to_contain_text("Something went wrong on the server (error 500)")
    expect(alert).to_be_visible()
    expect(page.get_by_label("Paste a URL")).to_have_value(PASTED)
    expect(page.get_by_role("button", name="Cite this page")).to_be_enabled()
    assert page.evaluate("window.stillTheSamePage") is True

    alert.get_by_role("button", name="Dismiss").click()
    expect(alert).to_have_count(0)
    assert not ClaimSource.objects.exists()


def test_the_server_out_of_reach_is_shown_and_the_input_kept(page, factchecker):
    open_sources_form(page, factchecker)
    page.route("**/sources/by-url/", lambda route: route.abort())

    page.get_by_role("button", name="Cite this page").click()

    alert = page.locator("#request-errors [role=alert]")
    expect(alert).to_contain_text("The server could not be reached")
    expect(page.get_by_label("Paste a URL")).to_have_value(PASTED)
    assert page.evaluate("window.stillTheSamePage") is True

    # Back on line, the same form goes through and the message goes.
    page.unroute("**/sources/by-url/")
    page.get_by_role("button", name="Cite this page").click()
    expect(page.locator("#sources")).to_contain_text(PASTED)
    expect(alert).to_have_count(0)


def test_a_refusal_is_shown(page, factchecker):
    claim = open_sources_form(page, factchecker)
    claim.delete()  # gone meanwhile: the form now posts to a claim that is not there

    page.get_by_role("button", name="Cite this page").click()

    expect(page.locator("#request-errors [role=alert]")).to_contain_text("This is no longer there")
    expect(page.get_by_label("Paste a URL")).to_have_value(PASTED)
