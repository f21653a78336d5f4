"""`claims:search` answers a client written for Google's Fact Check Tools API.

The client below follows Google's documentation of `claims.search` only (the parameters, the response's
`claims[].text/claimant/claimDate/claimReview[].publisher.name/site, url, title, reviewDate, textualRating,
languageCode`, `nextPageToken`, and fields left out when they have no value): pointed at this tracker
instead of factchecktools.googleapis.com, it works unchanged.
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.dates import DatePrecision
from claims.models import Verdict
from tests.factories import ActorFactory, ClaimFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db


class FactCheckToolsClient:
    """A client for https://factchecktools.googleapis.com/v1alpha1/claims:search, with a base URL to change."""

    def __init__(self, http, base_url: str, key: str = "API-KEY"):
        self.http, self.base_url, self.key = http, base_url, key

    def search(self, query: str = "", **parameters) -> list[dict]:
        """Every claim found, page after page (pageToken), flattened to one row per review."""
        rows, token = [], None
        while True:
            asked = {"key": self.key, **({"query": query} if query else {}), **parameters}
            if token:
                asked["pageToken"] = token
            response = self.http.get(f"{self.base_url}/v1alpha1/claims:search?{urlencode(asked)}")
            assert response.status_code == 200, response.content
            body = response.json()
            for claim in body.get("claims", []):
                for review in claim.get("claimReview", []):
                    rows.append(
                        {
                            "claim": claim["text"],
                            "claimant": claim.get("claimant"),
                            "claim_date": claim.get("claimDate"),
                            "publisher": review["publisher"].get("name"),
                            "site": review["publisher"].get("site"),
                            "url": review["url"],
                            "title": review.get("title"),
                            "rating": review.get("textualRating"),
                            "reviewed": review.get("reviewDate"),
                            "language": review.get("languageCode"),
                        }
                    )
            token = body.get("nextPageToken")
            if not token:
                return rows


@pytest.fixture
def client_for_google_api(api_client):
    return FactCheckToolsClient(api_client, reverse("api:api-root").rstrip("/"))


def test_a_client_written_for_googles_api_reads_this_newsrooms_fact_checks(client_for_google_api):
    claim = ClaimFactory(
        text="Drones were delivered in August.",
        claimant=ActorFactory(name="A minister"),
        date=datetime.date(2022, 8, 1),
        date_precision=DatePrecision.MONTH,
    )
    verdict = publish(claim)
    [row] = client_for_google_api.search("drones", languageCode="en-US")
    assert row == {
        "claim": "Drones were delivered in August.",
        "claimant": "A minister",
        "claim_date": "2022-08-01T00:00:00Z",
        "publisher": "Claim Tracker",
        "site": "127.0.0.1",
        "url": f"http://127.0.0.1:8000/claims/{claim.slug}/",
        "title": "The evidence does not settle it",
        "rating": "Unproven",
        "reviewed": verdict.published_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "language": "en",
    }


def test_pages_follow_next_page_token_and_filters_narrow_the_search(client_for_google_api):
    for _ in range(3):
        publish(ClaimFactory(text="Drones were delivered in August."))
    assert len(client_for_google_api.search("drones", pageSize=2)) == 3
    assert len(client_for_google_api.search(reviewPublisherSiteFilter="127.0.0.1", pageSize=1)) == 3
    assert client_for_google_api.search("drones", reviewPublisherSiteFilter="other.example") == []
    assert client_for_google_api.search("drones", languageCode="fa") == []
    old = Verdict.objects.filter(state="published").first()
    Verdict.objects.filter(claim=old.claim).update(published_at=timezone.now() - datetime.timedelta(days=40))
    assert len(client_for_google_api.search("drones", maxAgeDays=30)) == 2


def test_retracted_and_sample_fact_checks_are_not_offered_as_reviews(client_for_google_api):
    retracted = publish(ClaimFactory(text="Drones were delivered in August."))
    publish(retracted.claim, kind="retraction", public_note="Withdrawn.")
    publish(ClaimFactory(text="Drones were delivered in May.", is_sample=True))
    assert client_for_google_api.search("drones") == []


def test_errors_come_in_googles_shape(api_client):
    response = api_client.get(reverse("api:claims_search"))
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": 400,
            "message": "Request must have either query or reviewPublisherSiteFilter.",
            "status": "INVALID_ARGUMENT",
        }
    }
    bad = api_client.get(f"{reverse('api:claims_search')}?query=x&pageSize=0").json()
    assert bad["error"]["code"] == 400 and "pageSize" in bad["error"]["message"]
