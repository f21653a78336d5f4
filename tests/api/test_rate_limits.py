"""Rate limits per token and per address: 429 with Retry-After, set by settings."""

import pytest
from django.urls import reverse

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_an_address_over_its_limit_is_told_when_to_come_back(api_client, settings):
    settings.API_RATE_PER_ADDRESS = "2/m"
    url = reverse("api:topic_list")
    assert [api_client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = api_client.get(url)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    other_address = api_client.get(url, REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200


def test_each_token_has_its_own_limit(api_client, settings, token_for):
    settings.API_RATE_PER_TOKEN = "1/h"
    settings.API_RATE_PER_ADDRESS = "100/m"
    first, second = bearer(token_for("factchecker")), bearer(token_for("reviewer"))
    url = reverse("api:me")
    assert api_client.get(url, **first).status_code == 200
    refused = api_client.get(url, **first)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 60
    assert api_client.get(url, **second).status_code == 200
    assert api_client.get(reverse("api:topic_list")).status_code == 200  # the address, without a token, is not held up
