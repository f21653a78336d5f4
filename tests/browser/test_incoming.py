"""Incoming in Chromium: filter, open an article, decide with the keyboard, switch the shortcuts off."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import ArticleMatch, ClaimSource, MatchState, Statement
from tests.browser.conftest import log_in
from tests.factories import ActorFactory, ArticleFactory, ArticleMatchFactory

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


def test_accept_a_match_as_a_statement_with_the_actor_named_in_the_sentence(signed_in):
    page = signed_in
    named = ActorFactory(name="Hossein Amir Abdollahian", title="Foreign Minister of Iran")
    ActorFactory(name="Nasser Kanaani")
    text = (
        "Minister denies the drone sales\n"
        "TEHRAN — Amir Abdollahian said Iran has never supplied drones to Russia for the war in Ukraine.\n"
        "Other matters were discussed as well."
    )
    sentence = text.splitlines()[1]
    match = ArticleMatchFactory(
        source__title="Minister denies the drone sales",
        source__text=text,
        source__dated=True,
        sentence=sentence,
        sentence_start=text.index(sentence),
        sentence_end=text.index(sentence) + len(sentence),
    )

    page.goto(reverse("staff:incoming-article", args=[match.source_id]))
    expect(page.locator("mark.matched-sentence")).to_have_text(re.compile(r"^TEHRAN — Amir Abdollahian said"))
    page.locator(f"#match-{match.pk}").get_by_role("link", name="Add as a statement").click()

    expect(page.locator("#id_quote")).to_have_value(sentence)
    expect(page.locator("#id_date_text")).to_have_value("2022-07-13")
    suggested = page.locator(".picker-suggested")
    expect(suggested).to_contain_text("Named in the sentence")
    expect(suggested.get_by_role("radio")).to_have_count(1)
    expect(suggested.get_by_role("radio")).not_to_be_checked()
    suggested.get_by_label(re.compile("Hossein Amir Abdollahian")).check()
    page.locator("#id_stance").select_option("denies")
    page.get_by_role("button", name="Add as a statement").click()

    expect(page).to_have_url(re.compile(rf"/staff/claims/{match.claim_id}/#statements$"))
    expect(page.locator("#statements .statements-denials")).to_contain_text("Amir Abdollahian said Iran has never")
    expect(page.locator("#statements .statements-denials")).to_contain_text("Hossein Amir Abdollahian")
    expect(page.locator("#sources")).to_contain_text("Minister denies the drone sales")
    statement = Statement.objects.get()
    assert (statement.actor, statement.source_id) == (named, match.source_id)
    assert ClaimSource.objects.filter(claim=match.claim, source=match.source).exists()

    page.goto(reverse("staff:incoming-article", args=[match.source_id]))
    expect(page.locator(f"#match-{match.pk}")).to_contain_text("Added as a statement")
    expect(page.locator(f"#match-{match.pk}").get_by_role("link", name="Add as a statement")).to_have_count(0)
    expect(page.locator(".main-nav .nav-count .badge")).to_have_count(0)
    assert page.console_errors == []


def test_accept_as_a_statement_by_an_actor_found_by_search(signed_in):
    page = signed_in
    match = ArticleMatchFactory()
    ActorFactory(name="Nasser Kanaani", title="Spokesperson")

    page.goto(reverse("staff:match-statement", args=[match.pk]))
    expect(page.locator(".picker-suggested")).to_have_count(0)  # nobody on file is named in the sentence
    page.locator("#id_actor_query").press_sequentially("Kanaani", delay=30)
    page.get_by_label(re.compile("Nasser Kanaani")).check()
    page.locator("#id_stance").select_option("asserts")
    page.get_by_role("button", name="Add as a statement").click()

    expect(page.locator("#statements .statements-assertions")).to_contain_text("Nasser Kanaani")
    assert ArticleMatch.objects.get().state == MatchState.STATEMENT
