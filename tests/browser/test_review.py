"""The review walk-through with two people in two browsers: draft, outreach, submit, changes, publish."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims import services
from claims.models import Verdict
from tests.factories import ClaimFactory
from tests.publishing import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_submit_request_changes_revise_and_publish(open_as, factchecker, reviewer):
    claim = ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")
    workspace = reverse("staff:claim", args=[claim.pk])

    author = open_as(factchecker)
    author.goto(workspace)
    author.locator("#status").get_by_role("button", name="Draft the verdict").click()
    verdict_region = author.locator("#verdict")
    expect(verdict_region).to_contain_text("First verdict")
    verdict_region.get_by_role("link", name="Edit the draft").click()
    author.locator("#id_rating").select_option(label="Unproven")
    author.locator("#id_headline").fill("The article reports denials but no evidence either way")
    author.locator("#id_explanation").fill("The U.S. statement is reported *second-hand*.")
    verdict_region.get_by_role("button", name="Save").click()
    expect(verdict_region).to_contain_text("no evidence either way")

    outreach = author.locator("#outreach")
    outreach.get_by_role("link", name="Record outreach").click()
    author.locator("#id_method").select_option("email")
    author.locator("#id_contacted").fill("Ministry of Foreign Affairs of Iran, press office")
    author.locator("#id_contacted_on").fill("2022-10-20")
    outreach.get_by_role("button", name="Save").click()
    expect(outreach).to_contain_text("press office")

    status = author.locator("#status")
    status.get_by_role("button", name="Submit for review").click()
    expect(status).to_contain_text("In review")
    # The author is offered no publish button...
    expect(status.get_by_role("link", name="Publish")).to_have_count(0)
    # ...and a forged publish from the author's session is refused by the server.
    verdict = Verdict.objects.get(claim=claim)
    forged = author.request.post(
        reverse("staff:transition", args=[claim.pk, "publish"]),
        form={"seen_state": "in_review", "verdict": str(verdict.pk)},
        headers={"X-CSRFToken": _csrf(author)},
    )
    assert forged.status == 403

    critic = open_as(reviewer)
    critic.goto(reverse("staff:claim-review", args=[claim.pk]))
    critic.locator("#status").get_by_role("link", name="Request changes").click()
    critic.get_by_label("What needs to change").fill("Name the primary source of the July statement.")
    critic.locator("#status").get_by_role("button", name="Request changes").click()
    expect(critic.locator("#status")).to_contain_text("Researching")

    author.reload()
    expect(author.locator("#status")).to_contain_text("Name the primary source of the July statement.")
    author.locator("#verdict").get_by_role("link", name="Edit the draft").click()
    author.locator("#id_headline").fill("Revised: the article reports denials but no evidence either way")
    author.locator("#verdict").get_by_role("button", name="Save").click()
    expect(author.locator("#verdict")).to_contain_text("Revised:")
    author.locator("#status").get_by_role("button", name="Submit for review").click()
    expect(author.locator("#status")).to_contain_text("In review")

    critic.goto(reverse("staff:claim-review", args=[claim.pk]))
    critic.locator("#status").get_by_role("link", name="Publish").click()
    expect(critic.locator("#status")).to_contain_text("cannot be changed afterwards")
    critic.locator("#status").get_by_role("button", name="Publish").click()
    expect(critic.locator("#status")).to_contain_text("approved by reviewer")

    verdict.refresh_from_db()
    assert verdict.state == "published"
    assert verdict.published_record["verdict"]["headline"].startswith("Revised:")


def test_publish_is_refused_when_the_claim_changed_after_the_reviewer_loaded_it(
    open_as, factchecker, reviewer, tmp_path
):
    claim = ClaimFactory(text="The dam was finished in 2019.")
    verdict = submitted(claim, author=factchecker)
    critic = open_as(reviewer)
    critic.goto(reverse("staff:claim-review", args=[claim.pk]))
    status = critic.locator("#status")
    status.get_by_role("link", name="Publish").click()
    expect(status).to_contain_text("cannot be changed afterwards")

    # While the reviewer reads the confirmation, the fact-checker rewords the claim.
    services.claim_update(claim=claim, by=factchecker, text="The dam was finished in 2021.")
    status.get_by_role("button", name="Publish").click()
    expect(status.get_by_role("alert")).to_contain_text("the claim (text) edited by factchecker")
    expect(status).to_contain_text("Nothing was published")
    critic.screenshot(path=str(tmp_path / "content-moved.png"), full_page=True)
    verdict.refresh_from_db()
    assert verdict.state == "in_review"

    critic.reload()
    expect(critic.locator("h1")).to_contain_text("2021")
    critic.locator("#status").get_by_role("link", name="Publish").click()
    critic.locator("#status").get_by_role("button", name="Publish").click()
    expect(critic.locator("#status")).to_contain_text("approved by reviewer")
    verdict.refresh_from_db()
    assert verdict.published_record["claim"]["text"] == "The dam was finished in 2021."


def _csrf(page) -> str:
    return next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
