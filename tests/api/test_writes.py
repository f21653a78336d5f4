"""The newsroom's writes through the API: the same services as the screens, as the token's holder."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from claims.models import Claim, Evidence, FetchStatus, Source, Statement, Tip
from tests.api.conftest import bearer
from tests.factories import ActorFactory, ClaimFactory, ClaimSourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_factchecker(token_for):
    return bearer(token_for("factchecker"))


def post(client, url: str, body: dict, headers: dict):
    return client.post(url, body, content_type="application/json", **headers)


def test_a_claim_logged_through_the_api_is_on_record_as_its_holders(api_client, as_factchecker, factchecker):
    topic = TopicFactory(slug="drones")
    response = post(
        api_client, reverse("api:claim_create"), {"text": "Drones came.", "topics": ["drones"]}, as_factchecker
    )
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    assert claim.created_by == factchecker and list(claim.topics.all()) == [topic]
    assert claim.history.latest().history_user == factchecker
    assert response.json()["workspace"].endswith(reverse("staff:claim", args=[claim.pk]))


def test_a_page_cited_by_address_is_fetched_in_the_background_as_on_the_workspace(
    api_client, as_factchecker, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued = []
    monkeypatch.setattr("claims.jobs.enqueue_fetches", enqueued.append)
    claim = ClaimFactory()
    url = reverse("api:claim_source_add", kwargs={"claim_id": claim.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, url, {"url": "https://news.example/article?utm_source=x"}, as_factchecker)
    assert response.status_code == 201, response.content
    source = Source.objects.get(pk=response.json()["source"]["id"])
    assert source.url == "https://news.example/article" and source.fetch_status == FetchStatus.PENDING
    assert enqueued == [[source.pk]]  # the safe fetcher reads it in the worker (claims/importing/fetch.py)
    again = post(api_client, url, {"url": "https://news.example/article"}, as_factchecker)
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "source"]


def test_statements_and_evidence_go_through_the_services_rules(api_client, as_factchecker):
    claim = ClaimFactory()
    cited = ClaimSourceFactory(claim=claim)
    statement = {"actor": ActorFactory().pk, "stance": "denies", "quote": "We did not.", "source": cited.source_id}
    url = reverse("api:statement_create", kwargs={"claim_id": claim.pk})
    assert post(api_client, url, statement, as_factchecker).status_code == 201
    assert Statement.objects.get(claim=claim).source == cited.source
    uncited = post(api_client, url, {**statement, "source": Source.objects.create(title="x").pk}, as_factchecker)
    assert uncited.status_code == 422 and uncited.json()["detail"][0]["loc"] == ["body", "source"]
    translated = post(api_client, url, {**statement, "translated": True}, as_factchecker)
    assert translated.status_code == 422 and "original language" in translated.content.decode()
    evidence = {"stance": "refutes", "summary": "No record.", "internal_note": "Ask customs again."}
    response = post(api_client, reverse("api:evidence_create", kwargs={"claim_id": claim.pk}), evidence, as_factchecker)
    assert response.status_code == 201
    assert Evidence.objects.get(pk=response.json()["id"]).internal_note == "Ask customs again."


def test_a_tip_is_passed_on_as_from_the_public_form(api_client, as_factchecker, monkeypatch):
    monkeypatch.setattr("claims.jobs.enqueue_tip_matching", lambda tip_id: None)
    url = reverse("api:tip_create")
    no_address = post(api_client, url, {"text": "Is it true?", "wants_answer": True}, as_factchecker)
    assert no_address.status_code == 422 and no_address.json()["detail"][0]["loc"] == ["body", "contact"]
    response = post(api_client, url, {"text": "Is it true?", "contact": "reader@example.org"}, as_factchecker)
    assert response.status_code == 201
    assert Tip.objects.get(pk=response.json()["id"]).contact == "reader@example.org"


def test_a_merged_claim_takes_no_writes(api_client, as_factchecker):
    survivor = ClaimFactory()
    merged = ClaimFactory(state=Claim.State.MERGED, merged_into=survivor)
    url = reverse("api:evidence_create", kwargs={"claim_id": merged.pk})
    response = post(api_client, url, {"stance": "context", "summary": "x"}, as_factchecker)
    assert response.status_code == 409 and f"#{survivor.pk}" in response.json()["detail"]


def test_a_signed_in_browser_cannot_write_through_the_api(factchecker):
    """A session is no API credential: with or without its CSRF token, a write is refused and nothing is saved."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(factchecker)
    browser.get(reverse("staff:home"))
    csrf = browser.cookies[settings.CSRF_COOKIE_NAME].value if settings.CSRF_COOKIE_NAME in browser.cookies else ""
    response = browser.post(
        reverse("api:claim_create"), {"text": "Sneaky"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 401
    assert not Claim.objects.filter(text="Sneaky").exists()


def test_a_token_request_needs_no_csrf_token(as_factchecker):
    response = Client(enforce_csrf_checks=True).post(
        reverse("api:claim_create"), {"text": "Fine"}, content_type="application/json", **as_factchecker
    )
    assert response.status_code == 201
