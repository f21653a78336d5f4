"""A fact-checker writes the explanation in Markdown beside its preview, and does not lose it by leaving."""

import importlib
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims import workflow
from claims.models import Rating, Verdict
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory, OutreachFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = (
    "The figures do not add up.\n\nThe ministry gave **no source** for them:\n\n- not in its report\n- not on request"
)


@pytest.fixture(autouse=True)
def matcher_imported():
    """The workspace shows look-alike claims, which imports the matcher in the live server's thread: imported
    here first, a short test's end never finds it half-imported."""
    importlib.import_module("claims.matching.store")


def open_the_verdict_editor(page, factchecker, *, ready_for_review=False):
    claim = ClaimFactory()
    verdict = workflow.verdict_draft(claim=claim, by=factchecker)
    if ready_for_review:
        OutreachFactory(claim=claim)
        rating = Rating.objects.get(scale__slug="default", label="Unproven")
        workflow.verdict_edit(verdict=verdict, by=factchecker, rating=rating, headline="Unproven", explanation="Why.")
    log_in(page, factchecker)
    page.goto(reverse("staff:claim", args=[claim.pk]))
    page.locator("#verdict").get_by_role("link", name="Edit the draft").click()
    expect(page.locator("#id_explanation")).to_be_visible()
    return claim


def dialogs_answered(page, answer: str) -> list[tuple[str, str]]:
    """Every dialog the page opens, as (type, message), answered "accept" or "dismiss"."""
    seen = []

    def handle(dialog):
        seen.append((dialog.type, dialog.message))
        dialog.accept() if answer == "accept" else dialog.dismiss()

    page.on("dialog", handle)
    return seen


def test_the_preview_beside_the_editor_shows_the_markdown_as_readers_will_see_it(page, factchecker):
    open_the_verdict_editor(page, factchecker)
    preview = page.locator("#id_explanation_preview")
    expect(preview).to_contain_text("Nothing to preview yet.")

    page.locator("#id_explanation").fill(TYPED)

    expect(preview.locator("strong")).to_have_text("no source")
    expect(preview.locator("p")).to_have_count(2)  # paragraphs typed with a blank line stay apart
    expect(preview.locator("li")).to_have_text(["not in its report", "not on request"])
    editor, beside = page.locator("#id_explanation").bounding_box(), preview.bounding_box()
    assert beside["x"] > editor["x"] + editor["width"] - 1  # beside it, not under it
    assert page.console_errors == []  # nothing refused by the Content-Security-Policy


def test_saving_the_markdown_keeps_it_and_shows_it_rendered(page, factchecker):
    claim = open_the_verdict_editor(page, factchecker)
    seen = dialogs_answered(page, "dismiss")
    page.locator("#id_explanation").fill(TYPED)
    page.locator("#verdict").get_by_role("button", name="Save").click()

    card = page.locator("#verdict .explanation")
    expect(card.locator("strong")).to_have_text("no source")
    assert seen == []  # sending the form is not leaving it
    assert Verdict.objects.get(claim=claim).explanation == TYPED


def test_cancelling_a_changed_form_asks_first_and_keeps_the_input_when_told_to(page, factchecker):
    open_the_verdict_editor(page, factchecker)
    seen = dialogs_answered(page, "dismiss")
    page.locator("#id_explanation").fill("Half a thought")

    page.locator("#verdict").get_by_role("link", name="Cancel").click()

    expect(page.locator("#id_explanation")).to_have_value("Half a thought")
    assert seen == [("confirm", "What you typed here is not saved. Leave it and lose it?")]


def test_cancelling_after_saying_yes_closes_the_form(page, factchecker):
    open_the_verdict_editor(page, factchecker)
    seen = dialogs_answered(page, "accept")
    page.locator("#id_explanation").fill("Half a thought")

    page.locator("#verdict").get_by_role("link", name="Cancel").click()

    expect(page.locator("#id_explanation")).to_have_count(0)
    expect(page.locator("#verdict").get_by_role("link", name="Edit the draft")).to_be_visible()
    assert [kind for kind, _message in seen] == ["confirm"]


def test_typing_as_soon_as_the_form_appears_still_counts_as_unsaved(page, factchecker):
    """htmx announces new content (htmx:load) only after its settle delay: what is typed before then is input,
    not the form's first state. The delay is lengthened here so the typing surely falls inside it."""
    claim = ClaimFactory()
    workflow.verdict_draft(claim=claim, by=factchecker)
    log_in(page, factchecker)
    page.goto(reverse("staff:claim", args=[claim.pk]))
    page.evaluate("htmx.config.defaultSettleDelay = 3000")
    seen = dialogs_answered(page, "dismiss")

    page.locator("#verdict").get_by_role("link", name="Edit the draft").click()
    page.locator("#id_explanation").fill("Typed at once")
    expect(page.locator("#verdict.htmx-settling")).to_have_count(0, timeout=10_000)  # Cancel now wired to htmx
    page.locator("#verdict").get_by_role("link", name="Cancel").click()

    expect(page.locator("#id_explanation")).to_have_value("Typed at once")
    assert [kind for kind, _message in seen] == ["confirm"]


def test_leaving_the_page_with_unsaved_input_asks_the_browsers_question(page, factchecker):
    open_the_verdict_editor(page, factchecker)
    seen = dialogs_answered(page, "dismiss")
    page.locator("#id_headline").fill("A headline not saved")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()

    expect(page.locator("#id_headline")).to_have_value("A headline not saved")
    assert [kind for kind, _message in seen] == ["beforeunload"]


def test_an_untouched_form_or_one_typed_back_to_what_it_was_lets_one_leave(page, factchecker):
    open_the_verdict_editor(page, factchecker)
    seen = dialogs_answered(page, "dismiss")
    page.locator("#id_headline").fill("changed")
    page.locator("#id_headline").fill("")  # as it was

    page.locator("#verdict").get_by_role("link", name="Cancel").click()
    expect(page.locator("#id_explanation")).to_have_count(0)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    assert seen == []


def test_a_form_that_came_back_with_errors_holds_unsaved_input(page, factchecker):
    open_the_verdict_editor(page, factchecker)
    outreach = page.locator("#outreach")
    outreach.get_by_role("link", name="Record outreach").click()
    page.locator("#id_contacted").fill("Ministry press office")
    outreach.get_by_role("button", name="Save").click()  # no method chosen: refused, 422
    expect(outreach.locator(".field-errors").first).to_be_visible()
    seen = dialogs_answered(page, "dismiss")

    outreach.get_by_role("link", name="Cancel").click()

    expect(page.locator("#id_contacted")).to_have_value("Ministry press office")
    assert [kind for kind, _message in seen] == ["confirm"]


def test_a_region_refreshed_by_another_answer_keeps_the_form_being_typed_in(page, factchecker):
    open_the_verdict_editor(page, factchecker, ready_for_review=True)
    page.locator("#id_explanation").fill("Typed while submitting")

    page.locator("#status").get_by_role("button", name="Submit for review").click()

    expect(page.locator("#status")).to_contain_text("In review")
    expect(page.locator("#id_explanation")).to_have_value("Typed while submitting")
