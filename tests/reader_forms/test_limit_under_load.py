"""Twenty tips sent at the same moment from one address: the limit holds exactly.

Each sending runs in its own thread (its own database connection, its own test
client), all released together, against a cache shared by every thread: the
in-process cache the tests use, and Redis as production uses.
"""

import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from claims.models import Tip
from tests.integration.test_concurrent_review import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

SENDINGS = 20


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    if request.param == "locmem":
        settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    else:
        assert settings.CELERY_BROKER_URL.startswith("redis://"), "run the suite with a Redis broker"
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "factcheck.redis_cache.ReusedClientRedisCache",
                "LOCATION": settings.CELERY_BROKER_URL,
                "KEY_PREFIX": f"limit-test-{uuid.uuid4().hex}",  # leaves the broker's keys alone
            },
        }
    # Every test starts with an empty cache (tests/conftest.py); Redis keys expire with their hour.
    return caches["default"]


def send_tip(number: int):
    def send():
        return Client().post(
            reverse("tip"), {"text": f"Tip number {number}, typed with care.", "url": "", "contact": ""}
        )

    return send


def test_twenty_tips_at_once_from_one_address_save_exactly_the_limit(shared_cache):
    assert settings.PUBLIC_FORM_RATE == "5/h"
    outcomes = run_at_once(*(send_tip(number) for number in range(SENDINGS)))

    assert all(kind == "done" for kind, _ in outcomes), outcomes
    responses = [response for _, response in outcomes]
    assert Tip.objects.count() == 5
    assert sorted(response.status_code for response in responses) == [302] * 5 + [429] * 15
    for number, response in enumerate(responses):
        if response.status_code == 429:
            page = response.content.decode()
            assert "You have sent us several in a short time" in page
            assert f"Tip number {number}, typed with care." in page  # what was typed is kept
    saved = set(Tip.objects.values_list("text", flat=True))
    thanked = {f"Tip number {n}, typed with care." for n, r in enumerate(responses) if r.status_code == 302}
    assert saved == thanked
