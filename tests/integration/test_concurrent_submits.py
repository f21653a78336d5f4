"""The same form sent several times at the same moment (a double click, an impatient user), each send
on its own PostgreSQL connection: one is saved, the others are told so; nothing answers 500."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimLink, ClaimSource, Feed, Source
from tests.claims.test_sent_once import ALREADY_SAVED, HTMX, add_url, region_forms
from tests.factories import ClaimFactory, SourceFactory, UserFactory
from tests.integration.test_concurrent_review import run_at_once

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]

TOKEN = "one-form-sent-several-times"


def send_at_once(user, url: str, data: dict, times: int, **headers) -> list:
    """POST `data` to `url` `times` times at once, each from its own signed-in client (own connection)."""
    clients = [Client() for _ in range(times)]
    for client in clients:
        client.force_login(user)
    outcomes = run_at_once(*[lambda client=client: client.post(url, data, **headers) for client in clients])
    assert all(kind == "done" for kind, _response in outcomes), outcomes
    return [response for _kind, response in outcomes]


@pytest.fixture
def fact_checker():
    assert connection.vendor == "postgresql"
    return UserFactory(groups=["fact-checkers"])


def test_four_sends_of_one_new_claim_form_log_one_claim_and_all_lead_to_it(fact_checker):
    data = {"text": "Drones were shipped.", "language": "en", "submission_token": TOKEN}

    responses = send_at_once(fact_checker, reverse("staff:claim-new"), data, 4)

    claim = Claim.objects.get()
    assert [response.status_code for response in responses] == [302] * 4
    assert {response["Location"] for response in responses} == {reverse("staff:claim", args=[claim.pk])}


def test_four_new_claims_with_the_same_words_at_once_each_get_their_own_address(fact_checker):
    """Four forms (no shared token), the same words: four claims, none refused for its slug."""
    data = {"text": "Drones were shipped.", "language": "en"}

    responses = send_at_once(fact_checker, reverse("staff:claim-new"), data, 4)

    assert [response.status_code for response in responses] == [302] * 4
    slugs = sorted(Claim.objects.values_list("slug", flat=True))
    assert slugs == ["drones-were-shipped", "drones-were-shipped-2", "drones-were-shipped-3", "drones-were-shipped-4"]


@pytest.mark.parametrize("region", ["sources", "statements", "evidence", "links", "outreach"])
def test_two_sends_of_one_add_form_add_one_item(fact_checker, region):
    claim = ClaimFactory()
    data, model = next((data, model) for name, data, model in region_forms(claim) if name == region)

    responses = send_at_once(fact_checker, add_url(claim, region), {**data, "submission_token": TOKEN}, 2, **HTMX)

    assert [response.status_code for response in responses] == [200, 200]
    assert sum(ALREADY_SAVED in response.content.decode() for response in responses) == 1
    owner = "from_claim" if model is ClaimLink else "claim"
    assert model.objects.filter(**{owner: claim}).count() == 1


def test_two_sends_of_one_paste_a_url_form_cite_the_page_once(fact_checker, enqueued):
    claim = ClaimFactory()
    data = {"url": "https://news.example.org/drones", "submission_token": TOKEN}

    responses = send_at_once(fact_checker, reverse("staff:claim-source-url", args=[claim.pk]), data, 2, **HTMX)

    assert [response.status_code for response in responses] == [200, 200]
    assert ClaimSource.objects.filter(claim=claim).count() == 1
    assert Source.objects.count() == 1


def test_two_people_citing_the_same_source_at_once_cite_it_once_and_the_other_is_told(fact_checker):
    claim, source = ClaimFactory(), SourceFactory(title="Speech in Tehran")
    data = {"role": "appearance", "source_query": "Speech in Tehran", "source_pick": str(source.pk)}
    other = UserFactory(groups=["fact-checkers"])
    clients = []
    for user in (fact_checker, other):
        client = Client()
        client.force_login(user)
        clients.append(client)

    outcomes = run_at_once(
        *[lambda client=client: client.post(add_url(claim, "sources"), data, **HTMX) for client in clients]
    )

    statuses = sorted(response.status_code for _kind, response in outcomes)
    assert statuses == [200, 422]
    refused = next(response for _kind, response in outcomes if response.status_code == 422).content.decode()
    assert "already cited" in refused or "saved at the same moment" in refused
    assert ClaimSource.objects.filter(claim=claim).count() == 1


def test_two_sends_of_one_add_feed_form_add_one_feed():
    admin = UserFactory(groups=["admins"], is_superuser=True, is_staff=True)
    url = "https://wire.example.org/feed.xml"
    data = {
        "url": url,
        "name": "Wire",
        "poll_interval": "30",
        "active": "on",
        "previewed": url,
        "submission_token": TOKEN,
    }

    responses = send_at_once(admin, reverse("staff:feed-add"), data, 2)

    feed = Feed.objects.get()
    assert {response["Location"] for response in responses} == {reverse("staff:feed", args=[feed.pk])}
