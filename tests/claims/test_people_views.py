"""The People page, the invitee's page, and the Django admin's user pages."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import people
from claims.models import Claim, User
from claims.permissions import ADMINS, FACT_CHECKERS, REVIEWERS
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NEW_PASSWORD = "a-long-and-unusual-passphrase"
LINK = re.compile(r"https?://\S+/accounts/invitation/[^/\s]+/[^/\s]+/")


def test_the_people_page_lists_staff_with_role_and_status(client_for, admin_user, factchecker, reviewer):
    people.person_invite(email="invited@example.invalid", role=REVIEWERS, by=admin_user)
    UserFactory(username="gone", groups=[FACT_CHECKERS], is_active=False)
    page = client_for("admin").get(reverse("staff:people")).content.decode()
    for text in ("factchecker", "reviewer", "invited@example.invalid", "gone", "deactivated", "invited", "active"):
        assert text in page
    assert 'href="/staff/people/"' in client_for("admin").get(reverse("staff:home")).content.decode()
    assert 'href="/staff/people/"' not in client_for("reviewer").get(reverse("staff:home")).content.decode()


def test_the_people_page_costs_the_same_queries_for_few_and_many(client_for):
    client = client_for("admin")
    for _ in range(2):
        UserFactory(groups=[FACT_CHECKERS])
    client.get(reverse("staff:people"))  # warm: the site's language and settings are then kept by the process
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("staff:people"))
    for _ in range(10):
        UserFactory(groups=[REVIEWERS])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("staff:people"))
    assert len(many) == len(few)


def test_inviting_without_javascript_shows_the_link_once(client_for):
    client = client_for("admin")
    response = client.post(reverse("staff:person-invite"), {"email": "new@example.invalid", "role": REVIEWERS})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "new@example.invalid" in page and LINK.search(page)
    assert not LINK.search(client.get(reverse("staff:people")).content.decode())  # once


def test_inviting_with_htmx_returns_the_region_with_the_link(client_for):
    response = client_for("admin").post(
        reverse("staff:person-invite"), {"email": "new@example.invalid", "role": FACT_CHECKERS}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="people"' in body
    assert LINK.search(body)


def test_with_a_real_mail_server_the_link_is_not_shown(client_for, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    response = client_for("admin").post(
        reverse("staff:person-invite"), {"email": "new@example.invalid", "role": FACT_CHECKERS}, **HTMX
    )
    body = response.content.decode()
    assert "Invitation sent to new@example.invalid" in body and not LINK.search(body)


def test_a_duplicate_address_comes_back_with_the_reason_and_what_was_typed(client_for, factchecker):
    response = client_for("admin").post(
        reverse("staff:person-invite"), {"email": factchecker.email, "role": REVIEWERS}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 422 and "already on file" in body and f'value="{factchecker.email}"' in body


def test_too_many_invitations_are_refused_with_a_clear_message(client_for, settings):
    settings.INVITATIONS_PER_HOUR = 1
    client = client_for("admin")
    client.post(reverse("staff:person-invite"), {"email": "one@example.invalid", "role": REVIEWERS})
    response = client.post(reverse("staff:person-invite"), {"email": "two@example.invalid", "role": REVIEWERS})
    assert response.status_code == 429
    body = response.content.decode()
    assert "the most allowed" in body and 'value="two@example.invalid"' in body
    htmx = client.post(reverse("staff:person-invite"), {"email": "two@example.invalid", "role": REVIEWERS}, **HTMX)
    assert htmx.status_code == 422 and "the most allowed" in htmx.content.decode()


def test_demoting_the_last_admin_is_refused_on_the_page(client_for, admin_user):
    response = client_for("admin").post(reverse("staff:person-role", args=[admin_user.pk]), {"role": REVIEWERS}, **HTMX)
    assert response.status_code == 422 and "last admin" in response.content.decode()
    assert Group.objects.get(name=ADMINS).user_set.filter(pk=admin_user.pk).exists()


def test_changing_a_role_on_the_page(client_for, factchecker):
    response = client_for("admin").post(reverse("staff:person-role", args=[factchecker.pk]), {"role": REVIEWERS})
    assert response.status_code == 302
    assert people.role_of(User.objects.get(pk=factchecker.pk)) == REVIEWERS


def test_the_deactivation_page_asks_who_takes_over(client_for, factchecker, reviewer):
    claim = ClaimFactory(assignee=factchecker, state="researching")
    client = client_for("admin")
    url = reverse("staff:person-deactivate", args=[factchecker.pk])
    page = client.get(url).content.decode()
    assert "Who takes over their claims" in page and claim.text[:40] in page
    assert f'<option value="{reviewer.pk}">' in page and f'<option value="{factchecker.pk}">' not in page

    refused = client.post(url, {})
    assert refused.status_code == 422 and "Choose who takes over" in refused.content.decode()
    assert User.objects.get(pk=factchecker.pk).is_active

    assert client.post(url, {"successor": reviewer.pk}).status_code == 302
    assert not User.objects.get(pk=factchecker.pk).is_active
    assert Claim.objects.get(pk=claim.pk).assignee == reviewer


def test_someone_with_no_open_claims_is_deactivated_without_a_question(client_for, factchecker):
    client = client_for("admin")
    url = reverse("staff:person-deactivate", args=[factchecker.pk])
    assert "Who takes over" not in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not User.objects.get(pk=factchecker.pk).is_active


# --- The invitee's page --------------------------------------------------------------------------


@pytest.fixture
def invitation(admin_user):
    user, link = people.person_invite(email="newcomer@example.invalid", role=REVIEWERS, by=admin_user)
    return user, link.removeprefix(people.settings.SITE_URL)


def test_the_invitee_chooses_username_and_password_and_lands_signed_in(client, invitation):
    user, path = invitation
    page = client.get(path).content.decode()
    assert f'value="{user.username}"' in page
    response = client.post(path, {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("staff:home")
    assert client.get(reverse("staff:home")).status_code == 200
    assert User.objects.get(pk=user.pk).username == "newcomer"

    again = client.get(path).content.decode()
    assert "already been used" in again and "Ask an admin" in again


def test_a_weak_or_mistyped_password_keeps_the_invitation(client, invitation):
    user, path = invitation
    weak = client.post(path, {"username": "newcomer", "password1": "password", "password2": "password"})
    assert weak.status_code == 422 and "too common" in weak.content.decode()
    typo = client.post(path, {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert typo.status_code == 422 and "differ" in typo.content.decode()
    assert people.status_of(User.objects.select_related("invitation").get(pk=user.pk)) == "invited"


def test_an_expired_link_says_so_and_to_ask_an_admin(client, invitation, settings):
    _user, path = invitation
    later = datetime.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS + 1)
    people.invitation_tokens._now = lambda: later
    try:
        page = client.get(path).content.decode()
    finally:
        del people.invitation_tokens._now
    assert "has expired" in page and "Ask an admin" in page


def test_a_taken_username_is_refused(client, invitation, factchecker):
    _user, path = invitation
    response = client.post(path, {"username": "FactChecker", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 422 and "taken" in response.content.decode()


# --- The Django admin's user pages ------------------------------------------------------------------


def test_the_admin_user_form_offers_no_password_groups_or_flags(client_for, factchecker):
    page = client_for("admin").get(reverse("admin:claims_user_change", args=[factchecker.pk])).content.decode()
    for name in ("password", "password1", "groups", "is_superuser", "is_active", "is_staff", "user_permissions"):
        assert f'name="{name}"' not in page
    assert reverse("staff:people") in page


def test_a_post_to_the_admin_user_form_cannot_set_them(client_for, factchecker):
    admins = Group.objects.get(name=ADMINS)
    response = client_for("admin").post(
        reverse("admin:claims_user_change", args=[factchecker.pk]),
        {
            "username": "factchecker",
            "email": "renamed@example.invalid",
            "first_name": "Farah",
            "last_name": "",
            "password": "md5$x$y",
            "groups": [admins.pk],
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "",
        },
    )
    assert response.status_code == 302
    fresh = User.objects.get(pk=factchecker.pk)
    assert fresh.email == "renamed@example.invalid"  # what the form is for
    assert fresh.password == factchecker.password and fresh.is_active and not fresh.is_superuser
    assert people.role_of(fresh) == FACT_CHECKERS


def test_the_admin_sets_no_passwords(client_for, factchecker):
    client = client_for("admin")
    url = reverse("admin:auth_user_password_change", args=[factchecker.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 403
    assert client.get(reverse("admin:claims_user_add")).status_code == 403
