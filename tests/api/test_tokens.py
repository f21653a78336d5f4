"""API tokens on My account: made, shown once, stored hashed, revoked; made only after two-factor where it is asked."""

import hashlib

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.models import ApiToken
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_stored_hashed_and_acts_as_its_holder(client, factchecker, api_client):
    client.force_login(factchecker)
    response = client.post(reverse("staff:account-api-token-create"), {"name": "Tipline bot"})
    assert response.status_code == 302 and response["Location"] == reverse("staff:account-api-token-created")
    page = client.get(response["Location"]).content.decode()
    token = ApiToken.objects.get(user=factchecker)
    secret = page.split('<code class="secret" translate="no">')[1].split("</code>")[0]
    assert secret.startswith(token.prefix) and token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())  # only its hash is on file
    assert client.get(reverse("staff:account-api-token-created")).status_code == 302  # never shown again
    assert "Tipline bot" in client.get(reverse("staff:account")).content.decode()
    me = api_client.get(reverse("api:me"), **bearer(secret)).json()
    assert me == {"username": "factchecker", "role": "fact-checkers"}


def test_a_revoked_token_stops_working_and_nobody_revokes_anothers(
    client, factchecker, reviewer, api_client, token_for
):
    secret = token_for("factchecker")
    token = ApiToken.objects.get(user=factchecker)
    client.force_login(reviewer)
    assert client.post(reverse("staff:account-api-token-revoke", args=[token.pk])).status_code == 404
    client.force_login(factchecker)
    assert client.post(reverse("staff:account-api-token-revoke", args=[token.pk])).status_code == 302
    assert api_client.get(reverse("api:me"), **bearer(secret)).status_code == 401


def test_a_token_needs_a_name(client, factchecker):
    client.force_login(factchecker)
    response = client.post(reverse("staff:account-api-token-create"), {"name": ""})
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()


def test_while_two_factor_is_required_only_a_session_that_gave_a_code_makes_a_token(
    client, factchecker, two_factor_required
):
    client.force_login(factchecker)  # a fact-checker without an authenticator: a password alone signed them in
    page = client.get(reverse("staff:account")).content.decode()
    assert "made only in a session that gave one" in page
    response = client.post(reverse("staff:account-api-token-create"), {"name": "Bot"})
    assert response.status_code == 422 and not ApiToken.objects.exists()


def test_a_session_that_gave_a_code_makes_one(client, reviewer, two_factor_required):
    device = TOTPDevice.objects.create(user=reviewer, name="Phone", confirmed=True)
    client.force_login(reviewer)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # as django_otp.login leaves it after a right code
    session.save()
    response = client.post(reverse("staff:account-api-token-create"), {"name": "Bot"})
    assert response.status_code == 302 and ApiToken.objects.filter(user=reviewer).exists()
