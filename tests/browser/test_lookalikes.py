"""Claims that look alike, in Chromium: while a claim is logged, and "possibly related" on its workspace."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import Claim
from tests.factories import PASSWORD, ArticleFactory, ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRONE_CLAIM = "Iran has supplied drones to Russia for use in the war in Ukraine."
ARTICLE = (
    "Minister denies drone sales\n"
    "By Demo desk\n"
    "TEHRAN — The foreign minister said on Monday that his country had not supplied drones to Russia "
    "for the war in Ukraine.\n"
    "The ministry later published a transcript of the meeting and photographs of the guests."
)


@pytest.fixture
def signed_in(page, factchecker):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(factchecker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    return page


def test_a_claim_being_logged_shows_the_claim_on_file_it_looks_like(signed_in):
    page = signed_in
    on_file = ClaimFactory(text=DRONE_CLAIM)
    ClaimFactory(text="The mayor raised taxes on small shops.")
    typed = "Iran supplied Russia with drones for the war in Ukraine"

    page.goto(reverse("staff:claim-new"))
    page.get_by_label("Text").press_sequentially(typed, delay=20)
    lookalikes = page.locator("#similar-claims")
    # The first match loads the matcher in the server's process: a few seconds.
    expect(lookalikes).to_contain_text("Looks like a claim on file", timeout=30_000)
    expect(lookalikes.get_by_role("link", name=DRONE_CLAIM)).to_have_attribute(
        "href", reverse("staff:claim", args=[on_file.pk])
    )
    expect(lookalikes).not_to_contain_text("mayor")

    page.get_by_role("button", name="Log the claim").click()
    expect(page.get_by_role("alert")).to_contain_text("This looks like a claim already on file")
    expect(page.get_by_label("Text")).to_have_value(typed)
    assert not Claim.objects.filter(text=typed).exists()

    page.get_by_role("button", name="Save as a new claim anyway").click()
    expect(page).to_have_url(re.compile(r"/staff/claims/\d+/$"))
    assert Claim.objects.filter(text=typed).exists()
    assert [error for error in page.console_errors if "422 (Unprocessable Entity)" not in error] == []


def test_possibly_related_reloads_when_the_claim_is_edited(signed_in):
    page = signed_in
    claim = ClaimFactory(text="The price of petrol rose by 40 percent in January.")
    ArticleFactory(title="Minister denies drone sales", text=ARTICLE)

    page.goto(reverse("staff:claim", args=[claim.pk]))
    related = page.locator("#related")
    expect(related).to_contain_text("No recent article in Incoming matches this claim.", timeout=30_000)

    page.locator("#summary").get_by_role("link", name="Edit").click()
    page.locator("#summary").get_by_label("Text").fill(DRONE_CLAIM)
    page.locator("#summary").get_by_role("button", name="Save").click()
    expect(page.locator("#summary h1")).to_have_text(DRONE_CLAIM)

    expect(related.get_by_role("link", name="Minister denies drone sales")).to_be_visible()
    expect(related.locator("blockquote")).to_contain_text("his country had not supplied drones to Russia")
    assert page.console_errors == []
