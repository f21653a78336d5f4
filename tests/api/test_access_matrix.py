"""Every operation of the API's own schema, asked anonymously, with a token of each role and with a bad token.

The operations come from /api/openapi.json, so an operation added without a row in EXPECTED fails here, and
every answer must be one the schema documents for its operation (a client written from the schema is never
surprised); Fact Check Tools' operations answer their errors in Google's shape.
Public reads answer anyone (a bad token is told so, 401); the newsroom's operations take a token, and the
services decide by the holder's role, as on the screens.
"""

import pytest
from django.urls import reverse

from claims.permissions import FACT_CHECKERS
from tests.api.conftest import bearer, make_token
from tests.factories import ActorFactory, ClaimFactory, UserFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

WHO = ("anonymous", "bad token", "no role", "factchecker", "reviewer", "admin")
BAD_TOKEN = "fct_" + "x" * 43


def _everyone(status: int) -> dict[str, int]:
    return {who: (401 if who == "bad token" else status) for who in WHO}


def _staff(status: int) -> dict[str, int]:
    return {
        "anonymous": 401,
        "bad token": 401,
        "no role": 403,
        "factchecker": status,
        "reviewer": status,
        "admin": status,
    }


READ = _everyone(200)
# (method, path as the schema names it) -> what each one gets
EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("get", "/api/v1/claims"): READ,
    ("get", "/api/v1/claims/{slug}"): READ,
    ("get", "/api/v1/topics"): READ,
    ("get", "/api/v1/claimants"): READ,
    ("get", "/api/v1/ratings"): READ,
    ("get", "/api/v1/corrections"): READ,
    ("get", "/api/v1alpha1/claims:search"): READ,
    ("get", "/api/v1/staff/me"): {**_staff(200), "no role": 200},  # anyone with a token may ask who they are
    ("post", "/api/v1/staff/claims"): _staff(201),
    ("post", "/api/v1/staff/claims/{claim_id}/sources"): _staff(201),
    ("post", "/api/v1/staff/claims/{claim_id}/statements"): _staff(201),
    ("post", "/api/v1/staff/claims/{claim_id}/evidence"): _staff(201),
    ("post", "/api/v1/staff/tips"): _staff(201),
}


def _request(path: str) -> tuple[str, dict | None]:
    """The URL and JSON body that make a valid request of the operation (fresh rows each time)."""
    if path == "/api/v1/claims/{slug}":
        return path.format(slug=publish().claim.slug), None
    if path == "/api/v1alpha1/claims:search":
        return f"{path}?query=drones", None
    if "{claim_id}" in path:
        claim = ClaimFactory()
        url = path.format(claim_id=claim.pk)
        if path.endswith("/sources"):
            return url, {"url": f"https://news.example/{UserFactory().username}"}
        if path.endswith("/statements"):
            return url, {"actor": ActorFactory().pk, "stance": "asserts", "quote": "We did not."}
        return url, {"stance": "refutes", "summary": "Customs records show no delivery."}
    if path == "/api/v1/staff/claims":
        return path, {"text": "Drones were delivered in August."}
    if path == "/api/v1/staff/tips":
        return path, {"text": "Is it true that drones were delivered?"}
    return path, None


@pytest.fixture
def schema(client):
    return client.get(reverse("api:openapi-json")).json()


@pytest.fixture
def schema_operations(schema):
    return {(method, path) for path, operations in schema["paths"].items() for method in operations}


def test_every_operation_of_the_schema_is_in_the_matrix(schema_operations):
    assert schema_operations == set(EXPECTED), "add the new operations to EXPECTED, saying what each one gets"


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED))
def test_each_caller_gets_what_the_matrix_says(method, path, who, api_client, user_for, monkeypatch, schema):
    monkeypatch.setattr("claims.jobs.enqueue_fetches", lambda source_ids: None)  # no broker: the job is not run
    headers = {}
    if who == "bad token":
        headers = bearer(BAD_TOKEN)
    elif who == "no role":  # a token made while its holder had a role they no longer have
        holder = UserFactory(groups=[FACT_CHECKERS])
        headers = bearer(make_token(holder))
        holder.groups.clear()
    elif who != "anonymous":
        headers = bearer(make_token(user_for(who)))
    url, body = _request(path)
    if method == "post":
        response = api_client.post(url, body, content_type="application/json", **headers)
    else:
        response = api_client.get(url, **headers)
    assert response.status_code == EXPECTED[(method, path)][who], response.content.decode()[:500]
    documented = schema["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, f"the schema documents only {sorted(documented)}"
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == "Bearer"
    if path.startswith("/api/v1alpha1/") and response.status_code >= 400:  # Fact Check Tools' error shape
        assert response.json()["error"]["code"] == response.status_code


def test_a_token_of_a_deactivated_person_stops_working(api_client):
    person = UserFactory(groups=[FACT_CHECKERS])
    secret = make_token(person)
    assert api_client.get(reverse("api:me"), **bearer(secret)).status_code == 200
    person.is_active = False
    person.save()
    assert api_client.get(reverse("api:me"), **bearer(secret)).status_code == 401
