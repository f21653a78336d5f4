"""The load benchmark's yardstick (bench/load.py): no address on a real site, nothing read when it is on."""

import pytest
from django.test import RequestFactory

from claims.views.bench import trivial


@pytest.mark.django_db
def test_a_real_site_has_no_benchmark_address(client, settings):
    assert settings.BENCH is False
    assert client.get("/bench/trivial").status_code == 404


def test_the_yardstick_reads_neither_the_database_nor_the_cache(monkeypatch):
    # No django_db mark: pytest-django fails any database access here.
    monkeypatch.setattr("django.core.cache.cache.get", lambda *args, **kwargs: pytest.fail("the cache was read"))
    response = trivial(RequestFactory().get("/bench/trivial"))
    assert response.status_code == 200 and response.content == b"ok\n"
