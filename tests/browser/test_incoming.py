"""Incoming in Chromium: filter, open an article, decide with the keyboard, switch the shortcuts off."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import ArticleMatch, MatchState
from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, ArticleMatchFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(page, factchecker):
    log_in(page, factchecker)
    return page


def test_filter_open_and_dismiss_with_the_keyboard(signed_in):
    page = signed_in
    match = ArticleMatchFactory(source__title="Minister denies the drone sales")
    ArticleFactory(title="Weather report")

    page.goto(reverse("staff:incoming"))
    expect(page.locator(".main-nav .nav-count .badge")).to_have_text(re.compile(r"^1"))
    page.locator("#id_matched").select_option("yes")
    expect(page.get_by_text("Weather report")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"matched=yes"))

    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page).to_have_url(re.compile(rf"/staff/incoming/{match.source_id}/$"))
    expect(page.locator("mark.matched-sentence")).to_contain_text("He said Iran has never supplied drones")

    page.keyboard.press("d")
    expect(page.locator(f"#match-{match.pk}")).to_contain_text("Dismissed")
    assert ArticleMatch.objects.get().state == MatchState.DISMISSED
    assert page.console_errors == []


def test_single_key_shortcuts_can_be_switched_off(signed_in):
    page = signed_in
    match = ArticleMatchFactory()
    page.goto(reverse("staff:incoming-article", args=[match.source_id]))

    page.get_by_text("Keyboard shortcuts").click()
    page.get_by_label("Use single-key shortcuts").uncheck()
    page.reload()
    expect(page.get_by_label("Use single-key shortcuts")).not_to_be_checked()
    page.keyboard.press("d")
    page.keyboard.press("c")

    expect(page.locator(f"#match-{match.pk} [data-key='d']")).to_be_visible()
    assert ArticleMatch.objects.get().state == MatchState.UNDECIDED
