"""Staff accounts (claims.people): invitations, roles, deactivation, and who may do them."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from claims import people, permissions
from claims.models import Claim, Invitation, Notification, StaffChange, User
from claims.notifications import send_pending_notifications
from claims.permissions import ADMINS, FACT_CHECKERS, REVIEWERS
from tests.factories import PASSWORD, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def link_parts(link: str) -> tuple[str, str]:
    """(uidb64, token) from an invitation link."""
    uidb64, token = link.rstrip("/").split("/")[-2:]
    return uidb64, token


def invite(admin, email="new.person@example.invalid", role=REVIEWERS):
    return people.person_invite(email=email, role=role, by=admin)


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["factchecker", "reviewer"])
def test_only_admins_may_manage_people(role, user_for, admin_user):
    someone = user_for(role)
    target = UserFactory(groups=[FACT_CHECKERS])
    invited, _link = invite(admin_user)
    calls = [
        lambda: people.person_invite(email="x@example.invalid", role=FACT_CHECKERS, by=someone),
        lambda: people.person_change_role(user=target, role=REVIEWERS, by=someone),
        lambda: people.person_deactivate(user=target, by=someone),
        lambda: people.person_reactivate(user=target, by=someone),
        lambda: people.invitation_resend(user=invited, by=someone),
        lambda: people.invitation_revoke(user=invited, by=someone),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    target.refresh_from_db()
    assert target.is_active and people.role_of(target) == FACT_CHECKERS
    assert User.objects.filter(pk=invited.pk).exists()
    assert not User.objects.filter(email="x@example.invalid").exists()


# --- Invitations --------------------------------------------------------------------------------


def test_an_invitation_makes_an_inactive_user_in_the_role_and_mails_the_link(admin_user):
    user, link = invite(admin_user, email="Reza.New@Example.invalid", role=REVIEWERS)
    assert not user.is_active and not user.has_usable_password()
    assert people.role_of(user) == REVIEWERS and people.status_of(user) == "invited"
    assert user.username == "Reza.New"
    notification = Notification.objects.get(to=user.email)
    assert link in notification.body
    assert StaffChange.objects.filter(kind="invited", person=user, by=admin_user).exists()
    send_pending_notifications()
    assert mail.outbox[-1].to == [user.email] and link in mail.outbox[-1].body


def test_inviting_an_address_on_file_says_who_has_it(admin_user, factchecker):
    with pytest.raises(ValidationError) as error:
        invite(admin_user, email=factchecker.email.upper())
    assert "already on file" in str(error.value) and "factchecker" in str(error.value)
    assert User.objects.filter(email__iexact=factchecker.email).count() == 1


def test_the_invitee_sets_their_password_once_and_is_active(admin_user):
    user, link = invite(admin_user)
    uidb64, token = link_parts(link)
    found, problem = people.invitation_for_link(uidb64, token)
    assert found == user and problem is None

    joined = people.invitation_accept(user=found, token=token, username="reza2", password=NEW_PASSWORD)
    assert joined.is_active and joined.check_password(NEW_PASSWORD) and joined.username == "reza2"
    assert people.status_of(User.objects.select_related("invitation").get(pk=user.pk)) == "active"
    assert people.invitation_for_link(uidb64, token) == (None, people.LinkProblem.USED)
    with pytest.raises(ValidationError):
        people.invitation_accept(user=found, token=token, username="someone-else", password="another-passphrase-1")
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_an_expired_link_says_so(admin_user, settings):
    user, link = invite(admin_user)
    uidb64, token = link_parts(link)
    later = datetime.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS, hours=1)
    people.invitation_tokens._now = lambda: later
    try:
        assert people.invitation_for_link(uidb64, token) == (None, people.LinkProblem.EXPIRED)
    finally:
        del people.invitation_tokens._now
    assert people.invitation_for_link(uidb64, token) == (user, None)


def test_a_forged_or_garbled_link_is_invalid(admin_user):
    _user, link = invite(admin_user)
    uidb64, token = link_parts(link)
    assert people.invitation_for_link(uidb64, token[:-1] + "x")[1] == people.LinkProblem.INVALID
    assert people.invitation_for_link("!!", token)[1] == people.LinkProblem.INVALID
    other = urlsafe_base64_encode(force_bytes(admin_user.pk))
    assert people.invitation_for_link(other, token)[1] == people.LinkProblem.INVALID


def test_sending_again_replaces_the_link(admin_user):
    user, first = invite(admin_user)
    second = people.invitation_resend(user=user, by=admin_user)
    assert first != second
    assert people.invitation_for_link(*link_parts(first))[1] == people.LinkProblem.INVALID
    assert people.invitation_for_link(*link_parts(second)) == (User.objects.get(pk=user.pk), None)


def test_a_revoked_invitation_is_gone_and_the_address_may_be_invited_again(admin_user):
    user, link = invite(admin_user)
    people.invitation_revoke(user=user, by=admin_user)
    assert not User.objects.filter(pk=user.pk).exists()
    assert people.invitation_for_link(*link_parts(link))[1] == people.LinkProblem.INVALID
    assert StaffChange.objects.filter(kind="invitation_revoked", person_name=user.email).exists()
    invite(admin_user)  # the same address again


def test_invitations_are_rate_limited_per_admin(admin_user, settings):
    settings.INVITATIONS_PER_HOUR = 2
    first, _ = invite(admin_user, email="one@example.invalid")
    people.invitation_resend(user=first, by=admin_user)
    with pytest.raises(people.InvitationsRateLimited):
        invite(admin_user, email="three@example.invalid")
    with pytest.raises(people.InvitationsRateLimited):
        people.invitation_resend(user=first, by=admin_user)
    assert not User.objects.filter(email="three@example.invalid").exists()
    other_admin = UserFactory(groups=[ADMINS])
    invite(other_admin, email="three@example.invalid")  # counted per admin
    StaffChange.objects.filter(by=admin_user).update(at=timezone.now() - timedelta(hours=1, minutes=1))
    invite(admin_user, email="four@example.invalid")  # an hour later


# --- Roles --------------------------------------------------------------------------------------


def test_an_admin_changes_a_role(admin_user, factchecker):
    people.person_change_role(user=factchecker, role=REVIEWERS, by=admin_user)
    fresh = User.objects.get(pk=factchecker.pk)
    assert people.role_of(fresh) == REVIEWERS and permissions.is_reviewer(fresh)
    change = StaffChange.objects.get(kind="role_changed", person=factchecker)
    assert change.by == admin_user and "Fact-checker" in change.detail and "Reviewer" in change.detail


def test_a_role_change_signs_the_person_out_so_the_new_roles_rules_apply_at_sign_in(admin_user, factchecker, client):
    client.force_login(factchecker)
    assert client.get("/staff/").status_code == 200
    people.person_change_role(user=factchecker, role=REVIEWERS, by=admin_user)
    assert client.get("/staff/").status_code == 302  # back to the sign-in page, where two-factor is asked for


def test_the_last_admin_cannot_be_demoted(admin_user):
    with pytest.raises(ValidationError, match="last admin"):
        people.person_change_role(user=admin_user, role=REVIEWERS, by=admin_user)
    assert permissions.is_admin(User.objects.get(pk=admin_user.pk))


def test_an_admin_with_another_beside_them_may_step_down_even_as_superuser(admin_user):
    UserFactory(groups=[ADMINS])
    people.person_change_role(user=admin_user, role=REVIEWERS, by=admin_user)
    fresh = User.objects.get(pk=admin_user.pk)
    assert not fresh.is_superuser and not permissions.is_admin(fresh) and permissions.is_reviewer(fresh)


def test_an_inactive_admin_does_not_count_as_another_admin(admin_user):
    UserFactory(groups=[ADMINS], is_active=False)
    with pytest.raises(ValidationError, match="last admin"):
        people.person_change_role(user=admin_user, role=FACT_CHECKERS, by=admin_user)


# --- Deactivation -----------------------------------------------------------------------------


def test_deactivating_hands_open_claims_to_the_successor_on_record(admin_user, reviewer):
    leaving = UserFactory(groups=[REVIEWERS])
    assigned = ClaimFactory(assignee=leaving, state="researching")
    reviewing = ClaimFactory(reviewer=leaving, state="in_review")
    finished = ClaimFactory(assignee=leaving, state="dismissed")

    with pytest.raises(ValidationError, match="Choose who takes over"):
        people.person_deactivate(user=leaving, by=admin_user)
    assert User.objects.get(pk=leaving.pk).is_active

    people.person_deactivate(user=leaving, successor=reviewer, by=admin_user)
    assert not User.objects.get(pk=leaving.pk).is_active
    assert Claim.objects.get(pk=assigned.pk).assignee == reviewer
    assert Claim.objects.get(pk=reviewing.pk).reviewer == reviewer
    assert Claim.objects.get(pk=finished.pk).assignee == leaving  # closed work keeps its history as it was
    assert assigned.history.filter(history_change_reason="Assigned to reviewer", history_user=admin_user).exists()
    assert Notification.objects.filter(to=reviewer.email).count() == 2
    assert "2 open claims handed to reviewer" in StaffChange.objects.get(kind="deactivated").detail


def test_the_successor_must_be_able_to_do_the_work(admin_user):
    leaving = UserFactory(groups=[FACT_CHECKERS])
    ClaimFactory(reviewer=None, assignee=leaving)
    other_admin = UserFactory(groups=[ADMINS])  # an admin is not a fact-checker
    with pytest.raises(ValidationError, match="cannot take over"):
        people.person_deactivate(user=leaving, successor=other_admin, by=admin_user)
    assert User.objects.get(pk=leaving.pk).is_active


def test_an_admin_cannot_deactivate_themselves(admin_user):
    UserFactory(groups=[ADMINS])
    with pytest.raises(ValidationError, match="your own account"):
        people.person_deactivate(user=admin_user, by=admin_user)


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in(admin_user, client):
    leaving = UserFactory(groups=[FACT_CHECKERS])
    client.force_login(leaving)
    assert client.get("/staff/").status_code == 200
    people.person_deactivate(user=leaving, by=admin_user)
    assert client.get("/staff/").status_code == 302  # the open session ends

    def sign_in():
        return client.post("/accounts/login/", {"username": leaving.username, "password": PASSWORD})

    assert sign_in().status_code == 200  # the form again: refused
    people.person_reactivate(user=leaving, by=admin_user)
    assert sign_in().status_code == 302
    assert [change.kind for change in StaffChange.objects.order_by("at", "pk")] == ["deactivated", "reactivated"]


def test_once_the_other_admin_is_deactivated_the_remaining_one_cannot_step_down(admin_user):
    superuser = UserFactory(is_superuser=True)
    people.person_deactivate(user=admin_user, by=superuser)  # superuser is still an admin
    with pytest.raises(ValidationError):
        people.person_change_role(user=superuser, role=REVIEWERS, by=superuser)


def test_an_invitee_is_revoked_not_deactivated(admin_user):
    user, _link = invite(admin_user)
    with pytest.raises(ValidationError, match="revoke"):
        people.person_deactivate(user=user, by=admin_user)
    with pytest.raises(ValidationError, match="send the invitation again"):
        people.person_reactivate(user=user, by=admin_user)
    assert Invitation.objects.get(user=user).is_pending
