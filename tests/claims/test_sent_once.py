"""A staff create form sent twice saves once, and a service's refusal always reaches the user as a message.

Every create form carries a one-time token (claims.forms.SentOnceMixin); the
second send of the same form is told that it was saved already and shown what
was saved. Two sends at the same moment are in tests/integration/test_concurrent_submits.py.
"""

import re
from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.form_errors import add_service_errors
from claims.forms import ClaimForm, ClaimSourceAddForm
from claims.models import Claim, ClaimLink, ClaimSource, Evidence, Feed, FormSubmission, Outreach, Source, Statement
from tests.factories import ActorFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ALREADY_SAVED = "This form was sent twice; it was saved once, and here it is."


@pytest.fixture
def staff(client_for):
    return client_for("factchecker")


@pytest.fixture
def claim():
    return ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")


def token_from(page: str) -> str:
    match = re.search(r'name="submission_token" value="([^"]+)"', page)
    assert match, "the form carries no submission token"
    return match[1]


def add_url(claim, region):
    return reverse("staff:region-add", args=[claim.pk, region])


def region_forms(claim):
    """(region, what a filled-in add form sends, the model it adds to) for every region."""
    actor, other_claim = ActorFactory(), ClaimFactory(text="Iran has not sold drones.")
    source = SourceFactory(title="Speech in Tehran")
    return [
        ("sources", {"role": "appearance", "source_query": "", "source_pick": str(source.pk)}, ClaimSource),
        (
            "statements",
            {
                "actor_query": actor.name,
                "actor_pick": str(actor.pk),
                "stance": "denies",
                "quote": "No.",
                "quote_language": "en",
            },
            Statement,
        ),
        ("evidence", {"stance": "refutes", "summary": "Shipping records show nothing."}, Evidence),
        ("links", {"kind": "counter_claim", "to_claim_query": "", "to_claim_pick": str(other_claim.pk)}, ClaimLink),
        (
            "outreach",
            {"method": "email", "contacted": "Press office", "contacted_on": "2022-07-18", "request": "Comment?"},
            Outreach,
        ),
    ]


# --- Sent twice -------------------------------------------------------------------------------


def test_a_new_claim_sent_twice_is_logged_once_and_the_second_send_is_shown_it(staff):
    form_page = staff.get(reverse("staff:claim-new")).content.decode()
    data = {"text": "Drones were shipped.", "language": "en", "submission_token": token_from(form_page)}

    first = staff.post(reverse("staff:claim-new"), data)
    second = staff.post(reverse("staff:claim-new"), data, follow=True)

    claim = Claim.objects.get()
    assert first["Location"] == reverse("staff:claim", args=[claim.pk])
    assert second.redirect_chain == [(reverse("staff:claim", args=[claim.pk]), 302)]
    assert "This claim was already logged: the form was sent twice. Here it is." in second.content.decode()


def test_each_new_claim_form_has_its_own_token(staff):
    first = token_from(staff.get(reverse("staff:claim-new")).content.decode())
    second = token_from(staff.get(reverse("staff:claim-new")).content.decode())
    assert first != second


def test_a_refused_claim_keeps_its_token_free_so_the_corrected_form_saves(staff, monkeypatch):
    token = token_from(staff.get(reverse("staff:claim-new")).content.decode())
    data = {"text": "Drones were shipped.", "language": "en", "submission_token": token}

    def refuse(**kwargs):
        raise ValidationError({"text": "Not today."})

    with monkeypatch.context() as patch:
        patch.setattr(services, "claim_create", refuse)
        refused = staff.post(reverse("staff:claim-new"), data)
    assert refused.status_code == 422
    assert "Not today." in refused.content.decode()

    assert staff.post(reverse("staff:claim-new"), data).status_code == 302
    assert Claim.objects.count() == 1


@pytest.mark.parametrize("region", ["sources", "statements", "evidence", "links", "outreach"])
def test_a_region_item_sent_twice_is_added_once_and_the_second_send_says_so(staff, claim, region):
    token = token_from(staff.get(add_url(claim, region), **HTMX).content.decode())
    data, model = next((data, model) for name, data, model in region_forms(claim) if name == region)
    data = {**data, "submission_token": token}

    first = staff.post(add_url(claim, region), data, **HTMX)
    second = staff.post(add_url(claim, region), data, **HTMX)

    assert first.status_code == 200, first.content.decode()
    assert second.status_code == 200
    assert ALREADY_SAVED in second.content.decode()
    assert "<html" not in second.content.decode()
    owner = "from_claim" if model is ClaimLink else "claim"
    assert model.objects.filter(**{owner: claim}).count() == 1


def test_without_javascript_the_second_send_is_redirected_to_the_region_with_the_message(staff, claim):
    token = token_from(staff.get(add_url(claim, "evidence")).content.decode())
    data = {"stance": "refutes", "summary": "Shipping records show nothing.", "submission_token": token}
    staff.post(add_url(claim, "evidence"), data)
    second = staff.post(add_url(claim, "evidence"), data, follow=True)
    assert second.redirect_chain[-1][0].endswith("#evidence")
    assert ALREADY_SAVED in second.content.decode()
    assert Evidence.objects.count() == 1


def test_a_page_cited_by_its_url_twice_is_cited_once(staff, claim):
    token = token_from(staff.get(reverse("staff:claim", args=[claim.pk])).content.decode())
    data = {"url": "https://news.example.org/drones", "submission_token": token}
    url = reverse("staff:claim-source-url", args=[claim.pk])

    staff.post(url, data, **HTMX)
    second = staff.post(url, data, **HTMX)

    assert second.status_code == 200
    assert ALREADY_SAVED in second.content.decode()
    assert ClaimSource.objects.filter(claim=claim).count() == 1
    assert Source.objects.count() == 1


def test_a_feed_added_twice_is_added_once(client_for):
    admin = client_for("admin")
    token = token_from(admin.get(reverse("staff:feed-add")).content.decode())
    url = "https://wire.example.org/feed.xml"
    data = {"url": url, "name": "Wire", "poll_interval": "30", "active": "on", "previewed": url}
    data["submission_token"] = token

    first = admin.post(reverse("staff:feed-add"), data)
    second = admin.post(reverse("staff:feed-add"), data, follow=True)

    feed = Feed.objects.get()
    assert first["Location"] == reverse("staff:feed", args=[feed.pk])
    assert second.redirect_chain == [(reverse("staff:feed", args=[feed.pk]), 302)]
    assert "This feed was already added: the form was sent twice. Here it is." in second.content.decode()


def test_an_edit_form_carries_no_token(staff, claim):
    region = staff.get(reverse("staff:claim-edit", args=[claim.pk]), **HTMX).content.decode()
    assert "<textarea" in region
    assert 'name="submission_token"' not in region


def test_tokens_older_than_a_day_are_pruned_when_the_user_sends_another_form(staff, claim, factchecker):
    FormSubmission.objects.create(user=factchecker, token="old", created_at=timezone.now() - timedelta(days=2))
    token = token_from(staff.get(add_url(claim, "evidence"), **HTMX).content.decode())
    data = {"stance": "refutes", "summary": "Shipping records show nothing.", "submission_token": token}
    staff.post(add_url(claim, "evidence"), data, **HTMX)
    assert list(FormSubmission.objects.values_list("token", flat=True)) == [token]


# --- A refusal is a message, never a 500 -----------------------------------------------------


def test_citing_a_source_the_claim_already_cites_says_so_beside_the_search_box(staff, claim, factchecker):
    source = SourceFactory(title="Speech in Tehran")
    services.claim_source_add(claim=claim, source=source, by=factchecker)
    data = {"role": "appearance", "source_query": "Speech in Tehran", "source_pick": str(source.pk)}

    response = staff.post(add_url(claim, "sources"), data, **HTMX)

    page = response.content.decode()
    assert response.status_code == 422
    assert "This source is already cited by the claim." in page
    assert 'value="Speech in Tehran"' in page  # what was typed is kept
    assert ClaimSource.objects.filter(claim=claim).count() == 1


def test_citing_by_url_a_page_the_claim_already_cites_says_so(staff, claim, factchecker):
    services.claim_source_add(claim=claim, source=SourceFactory(url="https://news.example.org/a"), by=factchecker)
    url = reverse("staff:claim-source-url", args=[claim.pk])
    response = staff.post(url, {"url": "https://news.example.org/a"}, **HTMX)
    assert response.status_code == 422
    assert "This source is already cited by the claim." in response.content.decode()


def test_linking_the_same_claim_twice_says_so(staff, claim):
    other = ClaimFactory(text="Iran has not sold drones.")
    data = {"kind": "counter_claim", "to_claim_query": "", "to_claim_pick": str(other.pk)}
    staff.post(add_url(claim, "links"), data, **HTMX)
    response = staff.post(add_url(claim, "links"), data, **HTMX)
    assert response.status_code == 422
    assert "already" in response.content.decode()
    assert claim.links_out.count() == 1


def test_a_service_error_about_a_picked_record_goes_beside_its_search_box():
    source = SourceFactory(title="Speech in Tehran")
    data = {"role": "appearance", "source_query": "Speech", "source_pick": str(source.pk)}
    form = ClaimSourceAddForm(data, instance=ClaimSource())
    assert form.is_valid(), form.errors
    add_service_errors(form, ValidationError({"source": "This source is already cited by the claim."}))
    assert form.errors["source_query"] == ["This source is already cited by the claim."]


def test_a_service_error_about_a_new_sources_field_goes_beside_it():
    data = {"role": "appearance", "new_source-title": "A page", "new_source-url": "https://news.example.org/a"}
    form = ClaimSourceAddForm(data, instance=ClaimSource())
    assert form.is_valid(), form.errors
    add_service_errors(form, ValidationError({"url": "A source with this address is already on file."}))
    assert form.source_form.errors["url"] == ["A source with this address is already on file."]


def test_a_service_error_about_a_field_the_form_lacks_goes_above_it_named():
    form = ClaimForm({"text": "Drones.", "language": "en"}, instance=Claim())
    assert form.is_valid(), form.errors
    add_service_errors(form, ValidationError({"slug": "Claim with this Slug already exists.", "text": "Too vague."}))
    assert form.non_field_errors() == ["Slug: Claim with this Slug already exists."]
    assert form.errors["text"] == ["Too vague."]


def test_a_service_error_about_no_field_goes_above_the_form():
    form = forms.Form({})
    form.is_valid()
    add_service_errors(form, ValidationError("This conflicts with a change saved at the same moment."))
    assert form.non_field_errors() == ["This conflicts with a change saved at the same moment."]
