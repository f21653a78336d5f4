"""The tip form and the report-an-error form: their own uncached pages, the honeypot, the limit per address."""

import re

import pytest
from django.urls import reverse

from claims import workflow
from claims.models import Claim, ErrorReport, Tip, TipGroup
from tests.claims.test_workflow import in_review
from tests.factories import ClaimFactory, UserFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

TIP = {"text": "The mayor said the new bridge cost nothing.", "url": "https://video.example/clip", "contact": "a@b.c"}
REPORT = {"text": "The date of the second statement is wrong.", "contact": "+98 21 5555 0000"}


@pytest.fixture
def public_claim():
    return publish(ClaimFactory(text="Iran has supplied drones to Russia for the war in Ukraine.")).claim


def test_the_tip_form_has_its_own_token_a_hidden_honeypot_and_is_never_cached(client):
    response = client.get(reverse("tip"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<div class="hp-field">' in page and 'name="website"' in page
    assert "Leave this field empty" in page
    assert "style=" not in page
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_tip_is_saved_and_the_sender_thanked(client):
    response = client.post(reverse("tip"), TIP)
    assert response.status_code == 302
    assert response["Location"] == reverse("tip-thanks")
    tip = Tip.objects.get()
    assert (tip.text, tip.url, tip.contact, tip.state) == (TIP["text"], TIP["url"], TIP["contact"], "new")
    assert client.get(response["Location"]).status_code == 200


def test_a_tip_form_sent_twice_makes_one_tip_and_both_sendings_are_thanked(client):
    page = client.get(reverse("tip")).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page)
    assert token, "the tip form carries a one-time token"

    sendings = [client.post(reverse("tip"), {**TIP, "submission_token": token.group(1)}) for _ in range(2)]

    assert [response["Location"] for response in sendings] == [reverse("tip-thanks")] * 2
    assert Tip.objects.count() == 1
    assert TipGroup.objects.count() == 1


def test_two_tip_forms_with_the_same_words_make_two_tips(client):
    """Two forms (two tokens): two readers, or one who came back later; the worker groups them."""
    for _ in range(2):
        page = client.get(reverse("tip")).content.decode()
        token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
        client.post(reverse("tip"), {**TIP, "submission_token": token})

    assert Tip.objects.count() == 2


def test_a_robot_that_fills_the_honeypot_is_thanked_the_same_and_nothing_is_saved(client):
    response = client.post(reverse("tip"), {**TIP, "website": "https://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("tip-thanks")
    assert not Tip.objects.exists()


def test_a_robot_is_thanked_even_when_the_rest_of_its_form_is_nonsense(client):
    response = client.post(reverse("tip"), {"text": "", "url": "not a link", "website": "x"})
    assert response["Location"] == reverse("tip-thanks")
    assert not Tip.objects.exists()


def test_what_was_typed_survives_a_validation_error(client):
    response = client.post(reverse("tip"), {**TIP, "url": "not a link at all"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "The mayor said the new bridge cost nothing." in page
    assert 'value="not a link at all"' in page
    assert 'value="a@b.c"' in page
    assert not Tip.objects.exists()


def test_past_the_limit_the_form_comes_back_with_what_was_typed_and_429(client, settings):
    settings.PUBLIC_FORM_RATE = "3/h"
    for _ in range(3):
        assert client.post(reverse("tip"), TIP).status_code == 302
    response = client.post(reverse("tip"), {**TIP, "text": "A fourth tip, typed with care."})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "A fourth tip, typed with care." in page
    assert "You have sent us several in a short time" in page
    assert Tip.objects.count() == 3


def test_the_limit_is_per_address(client, settings):
    settings.PUBLIC_FORM_RATE = "1/h"
    assert client.post(reverse("tip"), TIP).status_code == 302
    assert client.post(reverse("tip"), TIP).status_code == 429
    assert client.post(reverse("tip"), TIP, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_robots_count_against_the_limit_and_mistakes_do_not(client, settings):
    settings.PUBLIC_FORM_RATE = "2/h"
    assert client.post(reverse("tip"), {**TIP, "url": "bad"}).status_code == 422
    assert client.post(reverse("tip"), {**TIP, "website": "spam"}).status_code == 302
    assert client.post(reverse("tip"), TIP).status_code == 302
    assert client.post(reverse("tip"), TIP).status_code == 429


def test_tips_and_error_reports_have_separate_limits(client, settings, public_claim):
    settings.PUBLIC_FORM_RATE = "1/h"
    assert client.post(reverse("tip"), TIP).status_code == 302
    assert client.post(reverse("report-error", args=[public_claim.slug]), REPORT).status_code == 302


def test_an_error_report_is_saved_against_its_claim(client, public_claim):
    url = reverse("report-error", args=[public_claim.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "Iran has supplied drones to Russia" in page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    response = client.post(url, REPORT)
    assert response.status_code == 302
    assert response["Location"] == reverse("report-error-thanks", args=[public_claim.slug])
    report = ErrorReport.objects.get()
    assert (report.claim, report.text, report.contact, report.state) == (
        public_claim, REPORT["text"], REPORT["contact"], "new"
    )  # fmt: skip
    assert reverse("claim", args=[public_claim.slug]) in client.get(response["Location"]).content.decode()


def test_an_error_report_robot_is_thanked_and_nothing_saved(client, public_claim):
    response = client.post(reverse("report-error", args=[public_claim.slug]), {**REPORT, "website": "spam"})
    assert response["Location"] == reverse("report-error-thanks", args=[public_claim.slug])
    assert not ErrorReport.objects.exists()


def test_an_error_report_past_the_limit_keeps_what_was_typed(client, settings, public_claim):
    settings.PUBLIC_FORM_RATE = "1/h"
    url = reverse("report-error", args=[public_claim.slug])
    assert client.post(url, REPORT).status_code == 302
    response = client.post(url, {**REPORT, "text": "Another error, carefully described."})
    assert response.status_code == 429
    assert "Another error, carefully described." in response.content.decode()


@pytest.mark.parametrize("situation", ["new", "in_review", "dismissed", "removed", "missing"])
def test_only_a_public_claim_can_be_reported(client, factchecker, situation):
    claim = ClaimFactory()
    if situation == "in_review":
        in_review(claim, factchecker)
    elif situation == "dismissed":
        workflow.claim_dismiss(claim=claim, by=UserFactory(groups=["reviewers"]), reason="Out of scope")
    elif situation == "removed":
        claim = publish(claim).claim
        Claim.objects.filter(pk=claim.pk).update(removed_at="2024-01-01T00:00:00Z")
    slug = "no-such-claim" if situation == "missing" else claim.slug
    for name in ("report-error", "report-error-thanks"):
        assert client.get(reverse(name, args=[slug])).status_code == 404
    assert client.post(reverse("report-error", args=[slug]), REPORT).status_code == 404
    assert not ErrorReport.objects.exists()


def test_an_old_address_of_a_public_claim_leads_to_its_form(client, public_claim):
    public_claim.old_slugs.create(slug="an-older-slug")
    response = client.get(reverse("report-error", args=["an-older-slug"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("report-error", args=[public_claim.slug])


@pytest.mark.parametrize("name", ["tip", "tip-thanks"])
def test_the_tip_pages_answer_405_to_other_methods(client, name):
    assert client.put(reverse(name)).status_code == 405


def test_contacts_appear_on_no_public_page(client, public_claim):
    client.post(reverse("tip"), {**TIP, "contact": "secret-tipster@example.invalid"})
    report = {**REPORT, "contact": "secret-reader@example.invalid"}
    client.post(reverse("report-error", args=[public_claim.slug]), report)
    pages = [
        reverse("home"),
        reverse("claim", args=[public_claim.slug]),
        reverse("search") + "?q=drones",
        reverse("feed"),
        reverse("sitemap"),
        reverse("claimreview-export"),
        reverse("tip-thanks"),
        reverse("report-error-thanks", args=[public_claim.slug]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "secret-tipster" not in body, url
        assert "secret-reader" not in body, url
