"""schemathesis against the API's own OpenAPI schema: no server error, and every answer as the schema says.

Bounded so CI stays within minutes: a few dozen examples per operation, derandomised (the same examples
on every run). The newsroom's operations are asked with a fact-checker's token, over a few published claims.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from claims.models import SITE_LANGUAGE_CACHE_KEY
from factcheck.wsgi import application
from tests.api.conftest import bearer
from tests.factories import ClaimFactory, ClaimSourceFactory, TopicFactory
from tests.publishing import publish

# The schema is loaded at collection, through the whole middleware stack, which reads the site's language:
# give it from the cache, so collection touches no database (pytest-django allows none there).
cache.set(SITE_LANGUAGE_CACHE_KEY, django_settings.LANGUAGE_CODE)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def connection_kept_open():
    """Requests go through the whole WSGI handler, which closes the database connection as each starts and
    ends: keep the test's connection (and its transaction) open, as Django's own test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def published_claims(db, settings, connection_kept_open):
    settings.API_RATE_PER_ADDRESS = settings.API_RATE_PER_TOKEN = "100000/m"
    for text in ("Drones were delivered in August.", "Los drones llegaron en agosto."):
        claim = ClaimFactory(text=text)
        claim.topics.add(TopicFactory())
        ClaimSourceFactory(claim=claim)
        publish(claim)


@pytest.fixture
def token_headers(published_claims, token_for):
    return {"Authorization": bearer(token_for("factchecker"))["HTTP_AUTHORIZATION"]}


@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_answers_as_its_schema_says(case, token_headers, monkeypatch):
    monkeypatch.setattr("claims.jobs.enqueue_fetches", lambda source_ids: None)
    monkeypatch.setattr("claims.jobs.enqueue_tip_matching", lambda tip_id: None)
    case.call_and_validate(headers=token_headers, checks=CHECKS)
