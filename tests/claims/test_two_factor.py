"""Two-factor authentication: setting up an authenticator, the second step at login, recovery codes."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims import accounts
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this secret (as typed from the set-up page)."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time += steps_ahead * 30
    return f"{totp.token():06d}"


def log_in(client: Client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def set_up_authenticator(client: Client, *, name: str = "Work phone") -> tuple[str, list[str]]:
    """Go through the set-up page; returns the secret and the recovery codes shown."""
    page = client.get(reverse("two-factor-setup")).content.decode()
    secret = re.search(r'<code class="secret" translate="no">([A-Z2-7 ]+)</code>', page).group(1)
    response = client.post(reverse("two-factor-setup"), {"name": name, "code": code_for(secret)}, follow=True)
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    return secret, codes


@pytest.fixture
def no_code_throttle(settings):
    """django-otp makes each device wait 1, 2, 4… s after each wrong code; these tests type one, then the right one."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def reviewer_with_authenticator(reviewer, two_factor_required):
    client = Client()
    client.force_login(reviewer)
    secret, codes = set_up_authenticator(client)
    return reviewer, secret, codes


def test_a_reviewer_without_an_authenticator_must_set_one_up_before_any_page(reviewer, two_factor_required):
    client = Client()
    response = log_in(client, "reviewer")
    assert response["Location"] == reverse("staff:home")
    for url in (reverse("staff:home"), reverse("admin:index"), reverse("home"), reverse("staff:account")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two-factor-setup")), url
    page = client.get(reverse("two-factor-setup")).content.decode()
    assert "Reviewers and admins sign in with a code" in page
    assert '<img class="qr-code" src="data:image/svg+xml' in page


def test_a_fact_checker_is_not_required_to_set_up_two_factor(factchecker, two_factor_required):
    client = Client()
    log_in(client, "factchecker")
    assert client.get(reverse("staff:home")).status_code == 200


def test_setting_up_shows_recovery_codes_once_and_turns_two_factor_on(reviewer, two_factor_required):
    client = Client()
    log_in(client, "reviewer")
    page = client.get(reverse("two-factor-setup")).content.decode()
    secret = re.search(r'<code class="secret" translate="no">([A-Z2-7 ]+)</code>', page).group(1)
    wrong = client.post(reverse("two-factor-setup"), {"name": "Phone", "code": "000000"})
    assert wrong.status_code == 422
    assert "That code is not right" in wrong.content.decode()
    response = client.post(reverse("two-factor-setup"), {"name": "Phone", "code": code_for(secret)})
    assert response["Location"].startswith(reverse("staff:account-recovery-codes"))
    shown = client.get(response["Location"]).content.decode()
    assert len(re.findall(r"<li><code>[a-z2-7]+</code></li>", shown)) == accounts.RECOVERY_CODE_COUNT
    assert client.get(reverse("staff:account-recovery-codes"))["Location"] == reverse("staff:account")  # only once
    assert client.get(reverse("staff:home")).status_code == 200
    assert TOTPDevice.objects.get(user=reviewer).name == "Phone"


def test_after_the_password_a_code_is_asked_before_any_page(reviewer_with_authenticator, no_code_throttle):
    _reviewer, secret, _codes = reviewer_with_authenticator
    client = Client()
    log_in(client, "reviewer")
    response = client.get(reverse("staff:claim-new"))
    assert response["Location"] == f"{reverse('two-factor-verify')}?next=%2Fstaff%2Fclaims%2Fnew%2F"
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("two-factor-verify"))
    # Adding an authenticator is not a way round the code.
    assert client.get(reverse("two-factor-setup"))["Location"].startswith(reverse("two-factor-verify"))
    wrong = client.post(reverse("two-factor-verify"), {"code": "123456", "next": "/staff/claims/new/"})
    assert wrong.status_code == 422
    response = client.post(
        reverse("two-factor-verify"), {"code": code_for(secret, steps_ahead=1), "next": "/staff/claims/new/"}
    )
    assert response["Location"] == "/staff/claims/new/"
    assert client.get(reverse("staff:claim-new")).status_code == 200


def test_htmx_requests_before_the_code_send_the_whole_page_to_the_second_step(reviewer_with_authenticator):
    client = Client()
    log_in(client, "reviewer")
    response = client.get(reverse("staff:home"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/staff/")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('two-factor-verify')}?next=%2Fstaff%2F"


def test_wrong_codes_in_a_row_make_the_next_try_wait(reviewer_with_authenticator):
    _reviewer, secret, _codes = reviewer_with_authenticator
    client = Client()
    log_in(client, "reviewer")
    client.post(reverse("two-factor-verify"), {"code": "000000"})
    response = client.post(reverse("two-factor-verify"), {"code": code_for(secret, steps_ahead=1)})
    assert response.status_code == 422
    assert "Too many wrong codes in a row" in response.content.decode()


def test_a_recovery_code_works_once(reviewer_with_authenticator):
    _reviewer, _secret, codes = reviewer_with_authenticator
    first = Client()
    log_in(first, "reviewer")
    assert first.post(reverse("two-factor-verify"), {"code": codes[0].upper()}).status_code == 302
    assert first.get(reverse("staff:home")).status_code == 200
    second = Client()
    log_in(second, "reviewer")
    assert second.post(reverse("two-factor-verify"), {"code": codes[0]}).status_code == 422
    page = second.get(reverse("staff:account"))
    assert page["Location"].startswith(reverse("two-factor-verify"))


def test_new_recovery_codes_replace_the_old_ones(reviewer_with_authenticator, no_code_throttle):
    _reviewer, _secret, old_codes = reviewer_with_authenticator
    client = Client()
    log_in(client, "reviewer")
    client.post(reverse("two-factor-verify"), {"code": old_codes[0]})
    response = client.post(reverse("staff:account-recovery-codes-new"), follow=True)
    new_codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(new_codes) == accounts.RECOVERY_CODE_COUNT
    other = Client()
    log_in(other, "reviewer")
    assert other.post(reverse("two-factor-verify"), {"code": old_codes[1]}).status_code == 422
    assert other.post(reverse("two-factor-verify"), {"code": new_codes[0]}).status_code == 302


def test_a_reviewer_cannot_remove_their_last_authenticator_while_it_is_required(reviewer_with_authenticator):
    reviewer, secret, _codes = reviewer_with_authenticator
    client = Client()
    log_in(client, "reviewer")
    client.post(reverse("two-factor-verify"), {"code": code_for(secret, steps_ahead=1)})
    device = TOTPDevice.objects.get(user=reviewer)
    response = client.post(reverse("staff:account-authenticator-remove", args=[device.pk]), follow=True)
    assert "must keep an authenticator" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_fact_checker_may_remove_their_authenticator_and_its_recovery_codes(factchecker, two_factor_required):
    client = Client()
    client.force_login(factchecker)
    set_up_authenticator(client)
    device = TOTPDevice.objects.get(user=factchecker)
    response = client.post(reverse("staff:account-authenticator-remove", args=[device.pk]), follow=True)
    assert "The authenticator was removed" in response.content.decode()
    assert accounts.recovery_codes_left(factchecker) == 0
    again = Client()
    log_in(again, "factchecker")
    assert again.get(reverse("staff:home")).status_code == 200  # a password alone again


def test_adding_an_authenticator_signs_out_the_other_sessions(factchecker):
    older, client = Client(), Client()
    older.force_login(factchecker)
    client.force_login(factchecker)
    set_up_authenticator(client)
    assert client.get(reverse("staff:home")).status_code == 200
    assert older.get(reverse("staff:home"))["Location"].startswith(reverse("login"))
