"""The Redis cache keeps one client per connection pool (factcheck.redis_cache): Django's builds one per call."""

import uuid

import pytest
from django.conf import settings

from factcheck.redis_cache import ReusedClientRedisCache


@pytest.fixture
def redis_cache():
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "run the suite with a Redis broker"
    backend = ReusedClientRedisCache(settings.CELERY_BROKER_URL, {"KEY_PREFIX": f"client-test-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()


def test_every_cache_operation_of_a_process_shares_one_client(redis_cache):
    redis_cache.set("greeting", "salaam", 60)
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache.get("greeting") == "salaam"
    assert redis_cache.get_many(["greeting", "missing"]) == {"greeting": "salaam"}
    assert redis_cache._cache.get_client("greeting") is client
    assert redis_cache._cache.get_client(write=True) is client
