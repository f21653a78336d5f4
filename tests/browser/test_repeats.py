"""Repeats in Chromium: a fact-checker records a repeat from Incoming, another reviewer approves it on the claim's
repeats page (swapped in place), and the public claim page then shows it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import Repeat, ReviewState
from tests.factories import PASSWORD, ActorFactory, ArticleMatchFactory
from tests.publishing import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


def test_a_repeat_is_recorded_approved_by_another_reviewer_and_shown_publicly(
    browser, live_server, page, factchecker, reviewer
):
    claim = publish().claim
    match = ArticleMatchFactory(claim=claim, source__title="Minister repeats the denial")
    ActorFactory(name="Hossein Amir Abdollahian")

    sign_in(page, factchecker)
    page.goto(reverse("staff:incoming-article", args=[match.source_id]))
    page.keyboard.press("j")
    page.keyboard.press("r")
    expect(page.get_by_role("heading", name="Record as a repeat")).to_be_visible()
    expect(page.get_by_label("In these words")).to_have_value(re.compile("He said Iran has never supplied drones"))
    page.get_by_label("Who repeated it").select_option(label="Hossein Amir Abdollahian")
    page.get_by_role("button", name="Record as a repeat").click()
    expect(page).to_have_url(re.compile(rf"/staff/claims/{claim.pk}/repeats/#repeat-\d+$"))
    card = page.locator(".repeat-card")
    expect(card).to_contain_text("Waiting for review")
    expect(card.get_by_role("button", name=re.compile("Approve"))).to_have_count(0)  # not their own, nor their role
    assert page.console_errors == []

    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto(reverse("claim", args=[claim.slug]))
    expect(public.get_by_role("heading", name="Repeated since we checked it")).to_have_count(0)

    review = browser.new_context(base_url=live_server.url).new_page()
    review.console_errors = []
    review.on("pageerror", lambda error: review.console_errors.append(str(error)))
    sign_in(review, reviewer)
    review.goto(reverse("staff:repeats"))
    review.get_by_role("button", name="Approve: add to the published record").click()
    expect(review.locator(".repeat-card")).to_contain_text("Approved")
    expect(review.locator(".repeat-card")).to_contain_text(f"approved by {reviewer.username}")
    assert Repeat.objects.get().state == ReviewState.APPROVED
    assert review.console_errors == []

    public.reload()
    expect(public.get_by_role("heading", name="Repeated since we checked it")).to_be_visible()
    expect(public.locator("ol.repeats blockquote")).to_contain_text("He said Iran has never supplied drones")
    expect(public.locator("ol.repeats")).to_contain_text("Minister repeats the denial")
