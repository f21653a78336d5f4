"""Signing in: login throttling, password reset, the client address, idle sessions, signing out elsewhere."""

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, RequestFactory
from django.urls import reverse

from claims.client_ip import client_ip
from claims.middleware import LAST_ACTIVITY_KEY
from tests.factories import PASSWORD, ClaimSourceFactory

pytestmark = pytest.mark.django_db


def wrong_login(client: Client, username: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": "not-the-password"}, **extra)


# --- Login throttling --------------------------------------------------------------------


def test_wrong_passwords_lock_the_username_from_that_address_with_a_page_that_says_for_how_long(reviewer, settings):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert wrong_login(client, "reviewer").status_code == 200
    response = wrong_login(client, "reviewer")
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()
    assert response["Retry-After"] == "900"
    # The right password is refused too while the lock lasts.
    response = client.post(reverse("login"), {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_from_one_address_does_not_keep_the_reviewer_out_elsewhere(reviewer, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 3):
        wrong_login(attacker, "reviewer")
    newsroom = Client(REMOTE_ADDR="198.51.100.7")
    response = newsroom.post(reverse("login"), {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 302
    assert newsroom.session["_auth_user_id"] == str(reviewer.pk)


def test_the_lock_follows_the_proxy_header_when_one_is_configured(reviewer, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        wrong_login(proxy, "reviewer", HTTP_X_REAL_IP="203.0.113.9")
    assert wrong_login(proxy, "reviewer", HTTP_X_REAL_IP="203.0.113.9").status_code == 429
    response = proxy.post(reverse("login"), {"username": "reviewer", "password": PASSWORD}, HTTP_X_REAL_IP="192.0.2.1")
    assert response.status_code == 302


def test_the_client_address_is_the_socket_or_the_last_entry_of_the_configured_header(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(request) == "10.0.0.2"
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_ip(request) == "203.0.113.5"  # what our proxy appended, not what the visitor sent
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(request) == "10.0.0.2"  # header missing: the socket


# --- Password reset ---------------------------------------------------------------------


def ask_reset(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def reset_link() -> str:
    return re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)


def reset_path() -> str:
    return urlsplit(reset_link()).path


def test_the_login_page_links_to_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_a_reset_answers_the_same_whether_or_not_the_address_is_on_file(client, reviewer):
    known = ask_reset(client, reviewer.email)
    unknown = ask_reset(Client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [reviewer.email]


def test_a_reset_link_is_built_on_site_url_and_works_once(client, reviewer, settings):
    settings.SITE_URL = "http://claims.test"
    ask_reset(client, reviewer.email)
    link = reset_link()
    assert link.startswith("http://claims.test/accounts/password/reset/")
    path = reset_path()
    form_url = client.get(path)["Location"]  # Django moves the token into the session first
    response = client.post(
        form_url, {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"}
    )
    assert response["Location"] == reverse("password_reset_complete")
    reviewer.refresh_from_db()
    assert reviewer.check_password("a new long passphrase")
    again = Client().get(path, follow=True)
    assert "This link does not work any more" in again.content.decode()


def test_a_reset_link_expires(client, reviewer, settings):
    ask_reset(client, reviewer.email)
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = client.get(reset_path(), follow=True)
    assert "This link does not work any more" in response.content.decode()


def test_reset_emails_are_limited_per_address_and_per_email(reviewer, settings):
    settings.PASSWORD_RESET_RATE = "2/h"
    one_visitor = Client(REMOTE_ADDR="203.0.113.9")
    assert ask_reset(one_visitor, "a@example.org").status_code == 302
    assert ask_reset(one_visitor, "b@example.org").status_code == 302
    refused = ask_reset(one_visitor, "c@example.org")
    assert refused.status_code == 429
    assert "Too many reset emails were asked for" in refused.content.decode()
    assert 'value="c@example.org"' in refused.content.decode()  # what was typed is kept
    for address in ("198.51.100.1", "198.51.100.2"):
        assert ask_reset(Client(REMOTE_ADDR=address), reviewer.email).status_code == 302
    assert ask_reset(Client(REMOTE_ADDR="198.51.100.3"), reviewer.email.upper()).status_code == 429
    assert len(mail.outbox) == 2


def test_a_successful_reset_lifts_the_login_lock(reviewer, settings):
    locked = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        wrong_login(locked, "reviewer")
    ask_reset(locked, reviewer.email)
    form_url = locked.get(reset_path())["Location"]
    locked.post(form_url, {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"})
    response = locked.post(reverse("login"), {"username": "reviewer", "password": "a new long passphrase"})
    assert response.status_code == 302


# --- Idle sessions -----------------------------------------------------------------------


def age_activity(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - seconds
    session.save()


def test_an_idle_session_is_signed_out_and_sent_to_log_in(client_for, settings):
    client = client_for("factchecker")
    age_activity(client, settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Fstaff%2F"
    assert "_auth_user_id" not in client.session


def test_a_page_visit_keeps_the_session_alive(client_for, settings):
    client = client_for("factchecker")
    age_activity(client, settings.SESSION_IDLE_TIMEOUT - 120)
    assert client.get(reverse("staff:home")).status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 60


def test_background_polling_does_not_keep_the_session_alive(client_for, settings):
    client = client_for("factchecker")
    cited = ClaimSourceFactory()
    poll_url = reverse("staff:claim-source-fetch-status", kwargs={"pk": cited.claim_id, "item_pk": cited.pk})
    age_activity(client, settings.SESSION_IDLE_TIMEOUT - 120)
    poll = {
        "HTTP_HX_REQUEST": "true",
        "HTTP_X_BACKGROUND_POLL": "true",
        "HTTP_HX_CURRENT_URL": "http://testserver/staff/",
    }
    assert client.get(poll_url, **poll).status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_KEY] > settings.SESSION_IDLE_TIMEOUT - 130
    age_activity(client, settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get(poll_url, **poll)
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('login')}?next=%2Fstaff%2F"  # the whole page goes to log in


def test_the_polling_elements_mark_their_requests_as_background():
    for template in ("claims/staff/workspace.html", "claims/staff/feed_detail.html"):
        text = (Path(__file__).resolve().parents[2] / "templates" / template).read_text()
        for element in re.findall(r"<[^>]*hx-trigger=\"every [^>]*>", text):
            assert '"X-Background-Poll": "true"' in element, element


# --- Sign out everywhere else -------------------------------------------------------------


def test_signing_out_everywhere_else_keeps_this_session_and_ends_the_others(reviewer):
    here, elsewhere = Client(), Client()
    here.force_login(reviewer)
    elsewhere.force_login(reviewer)
    response = here.post(reverse("staff:account-sessions-end-others"), follow=True)
    assert "You are signed out everywhere else" in response.content.decode()
    assert here.get(reverse("staff:home")).status_code == 200
    assert elsewhere.get(reverse("staff:home")).status_code == 302


def test_the_account_page_offers_password_two_factor_and_sessions(client_for):
    page = client_for("factchecker").get(reverse("staff:account")).content.decode()
    for section in ("Password", "Two-factor authentication", "Sessions"):
        assert f">{section}</h2>" in page
    assert reverse("password_change") in page
    assert reverse("two-factor-setup") in page
    assert reverse("staff:account") in client_for("factchecker").get(reverse("staff:home")).content.decode()


# --- The deploy check ---------------------------------------------------------------------


def test_the_deploy_check_warns_when_two_factor_is_not_required(settings):
    settings.DEBUG = False
    settings.TWO_FACTOR_REQUIRED = False
    with pytest.raises(SystemCheckError, match=r"claims\.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
    settings.TWO_FACTOR_REQUIRED = True
    try:
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
    except SystemCheckError as error:
        assert "claims.W001" not in str(error)
