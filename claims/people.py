"""Staff accounts: invitations, roles, deactivation. The People page (claims.views.people) calls these.

Each service takes the acting user (`by`), checks `Action.MANAGE_PEOPLE` itself
and runs in one transaction; each change is on record as a StaffChange row,
which the People page lists. (Users keep no django-simple-history table: it
would copy password hashes into the history.)

An invited person is an inactive user with an unusable password and a pending
Invitation, in the role group they were invited to. Their link carries a token
signed over the password hash and the invitation's `sent_at`: it stops working
once used (the password is then set), when the invitation is sent again, and
INVITATION_MAX_AGE_DAYS after it was sent. Nobody else ever knows the password.
"""

import re
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims import permissions, selectors, services
from claims.languages import staff_language_of
from claims.links import absolute_url
from claims.models import Invitation, SiteSettings, StaffChange, User
from claims.notifications import notify
from claims.permissions import ADMINS, FACT_CHECKERS, REVIEWERS, ROLE_GROUPS, Action, require, role_of

ROLE_LABELS = {
    FACT_CHECKERS: gettext_lazy("Fact-checker"),
    REVIEWERS: gettext_lazy("Reviewer"),
    ADMINS: gettext_lazy("Admin"),
}
ROLE_CHOICES = [(name, ROLE_LABELS[name]) for name in ROLE_GROUPS]
STATUS_LABELS = {
    "invited": gettext_lazy("invited"),
    "active": gettext_lazy("active"),
    "deactivated": gettext_lazy("deactivated"),
}

# With these backends no mail leaves the machine (`make run`, tests): the inviting admin is shown the link.
LOCAL_EMAIL_BACKENDS = frozenset(
    f"django.core.mail.backends.{name}.EmailBackend" for name in ("console", "locmem", "filebased", "dummy")
)


class InvitationsRateLimited(ValidationError):
    """The admin has sent INVITATIONS_PER_HOUR invitations in the last hour."""


class LinkProblem(StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


# --- Roles and status, as the People page shows them ----------------------------------------


def pending_invitation(user: User) -> Invitation | None:
    invitation = getattr(user, "invitation", None)  # a missing one-to-one raises an AttributeError subclass
    return invitation if invitation is not None and invitation.is_pending else None


def status_of(user: User) -> str:
    """ "invited" (has not accepted yet), "active" or "deactivated"."""
    if pending_invitation(user) is not None:
        return "invited"
    return "active" if user.is_active else "deactivated"


def invitation_links_shown() -> bool:
    """True when invitation emails cannot reach anyone, so the admin passes the link on."""
    return settings.EMAIL_BACKEND in LOCAL_EMAIL_BACKENDS


# --- The invitation link ---------------------------------------------------------------------


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Password-reset tokens with their own salt, their own state and their own maximum age."""

    key_salt = "claims.people.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        invitation = user.invitation
        return (
            f"{user.pk}{user.password}{user.is_active}{invitation.sent_at.timestamp()}"
            f"{invitation.accepted_at}{timestamp}"
        )

    def token_age(self, user, token: str) -> int | None:
        """Seconds since the token was made for the user as they are now; None if it was not."""
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return None
        for secret in (self.secret, *self.secret_fallbacks):
            if constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token):
                return self._num_seconds(self._now()) - timestamp
        return None

    def check_token(self, user, token):
        age = self.token_age(user, token) if user and token else None
        return age is not None and age <= settings.INVITATION_MAX_AGE_DAYS * 24 * 3600


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("invitation-accept", kwargs={"uidb64": uidb64, "token": invitation_tokens.make_token(user)})


def invitation_for_link(uidb64: str, token: str) -> tuple[User | None, LinkProblem | None]:
    """The invited user a link is for, or what is wrong with the link."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        return None, LinkProblem.INVALID
    user = User.objects.select_related("invitation").filter(pk=pk).first()
    invitation = getattr(user, "invitation", None) if user else None
    if invitation is None:
        return None, LinkProblem.INVALID
    if not invitation.is_pending:
        return None, LinkProblem.USED
    age = invitation_tokens.token_age(user, token)
    if age is None:
        return None, LinkProblem.INVALID
    if age > settings.INVITATION_MAX_AGE_DAYS * 24 * 3600:
        return None, LinkProblem.EXPIRED
    return user, None


# --- Services ----------------------------------------------------------------------------------


def _record(*, kind: str, person: User, by, detail: str = "") -> StaffChange:
    return StaffChange.objects.create(
        kind=kind, person=person, person_name=person.email or person.get_username(), by=by, detail=detail
    )


def _check_role(role: str) -> None:
    if role not in ROLE_GROUPS:
        raise ValidationError({"role": _("Choose a role: fact-checker, reviewer or admin.")})


def _check_invitation_rate(by) -> None:
    since = timezone.now() - timedelta(hours=1)
    kinds = (StaffChange.Kind.INVITED, StaffChange.Kind.INVITATION_RESENT)
    sent = StaffChange.objects.filter(by=by, kind__in=kinds, at__gte=since).count()
    if sent >= settings.INVITATIONS_PER_HOUR:
        raise InvitationsRateLimited(
            _("You have sent %(count)d invitations in the last hour, the most allowed. Try again later.")
            % {"count": sent}
        )


def _free_username(email: str) -> str:
    """A username from the address's local part, numbered if taken; the invitee may change it."""
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0])[:140] or "user"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _send_invitation(user: User, *, by) -> str:
    """Mail the link (through the outbox) and return it."""
    path = invitation_path(user)
    organisation = SiteSettings.load().organisation_name
    days = settings.INVITATION_MAX_AGE_DAYS
    with translation.override(staff_language_of(user)):  # the newcomer has chosen none yet: the site's
        notify(
            user=user,
            subject=_("%(organisation)s invites you to its newsroom") % {"organisation": organisation},
            body=_(
                "%(by)s invited you to join the newsroom of %(organisation)s as %(role)s.\n\n"
                "Open this link to choose your username and password. It works once, for %(days)d days; "
                "if it has expired, ask an admin for a new one."
            )
            % {"by": by.get_full_name() or by.get_username(), "organisation": organisation,
               "role": str(ROLE_LABELS.get(role_of(user), "")).lower(), "days": days},
            path=path,
        )  # fmt: skip
    return absolute_url(path)


@transaction.atomic
def person_invite(*, email: str, role: str, by) -> tuple[User, str]:
    """Invite someone by email into a role; returns the new (inactive) user and their link."""
    require(by, Action.MANAGE_PEOPLE)
    email = User.objects.normalize_email(email.strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    _check_role(role)
    existing = User.objects.select_related("invitation").filter(email__iexact=email).first()
    if existing is not None:
        raise ValidationError(
            {
                "email": _("%(email)s is already on file: %(username)s (%(status)s).")
                % {"email": email, "username": existing.get_username(), "status": STATUS_LABELS[status_of(existing)]}
            }
        )
    _check_invitation_rate(by)
    user = User(username=_free_username(email), email=email, is_active=False)
    user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    user.invitation = Invitation.objects.create(user=user, invited_by=by)
    _record(kind=StaffChange.Kind.INVITED, person=user, by=by, detail=_("as %(role)s") % {"role": ROLE_LABELS[role]})
    return user, _send_invitation(user, by=by)


def _locked_invitation(user: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().filter(user=user, accepted_at__isnull=True).first()
    if invitation is None:
        raise ValidationError(_("%(username)s has no invitation waiting.") % {"username": user.get_username()})
    return invitation


@transaction.atomic
def invitation_resend(*, user: User, by) -> str:
    """Send a new link (the old ones stop working); returns it."""
    require(by, Action.MANAGE_PEOPLE)
    invitation = _locked_invitation(user)
    _check_invitation_rate(by)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    user.invitation = invitation
    _record(kind=StaffChange.Kind.INVITATION_RESENT, person=user, by=by)
    return _send_invitation(user, by=by)


@transaction.atomic
def invitation_revoke(*, user: User, by) -> None:
    """Withdraw a pending invitation: the invited account, never used, is deleted (its link with it)."""
    require(by, Action.MANAGE_PEOPLE)
    _locked_invitation(user)
    _record(kind=StaffChange.Kind.INVITATION_REVOKED, person=user, by=by)
    user.delete()


def _locked_people(user: User) -> User:
    """Lock every active admin and `user`, always in the same order, and return `user` fresh.

    Two admins demoting or deactivating each other at once then queue up, and
    the second sees the first one's change before the last-admin check.
    """
    pks = {user.pk, *permissions.admin_users().values_list("pk", flat=True)}
    locked = {person.pk: person for person in User.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    return locked[user.pk]


def _keep_an_admin(user: User, message: str) -> None:
    if permissions.is_admin(user) and not permissions.admin_users().exclude(pk=user.pk).exists():
        raise ValidationError(message)


@transaction.atomic
def person_change_role(*, user: User, role: str, by) -> User:
    """Make the person a fact-checker, reviewer or admin. The last active admin stays one."""
    require(by, Action.MANAGE_PEOPLE)
    _check_role(role)
    user = _locked_people(user)
    old_role = role_of(user)
    if old_role == role:
        return user
    if role != ADMINS:
        _keep_an_admin(user, _("%(username)s is the last admin: make someone else an admin first.") % {
            "username": user.get_username()})  # fmt: skip
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    # Superusers are admins whatever their groups: a demoted one stops being a superuser.
    user.is_superuser = user.is_superuser and role == ADMINS
    user.is_staff = role == ADMINS
    # Their sessions end, so the new role's rules (two-factor for reviewers and admins) apply from the next
    # sign-in; an admin stepping down keeps the session they are using.
    if user.pk != by.pk:
        user.session_generation += 1
    user.save(update_fields=["is_superuser", "is_staff", "session_generation"])
    before = ROLE_LABELS.get(old_role, _("no role"))
    _record(kind=StaffChange.Kind.ROLE_CHANGED, person=user, by=by, detail=f"{before} → {ROLE_LABELS[role]}")
    return user


@transaction.atomic
def person_deactivate(*, user: User, by, successor: User | None = None) -> User:
    """Stop someone signing in. Open claims they are assigned to or reviewing go to `successor`."""
    require(by, Action.MANAGE_PEOPLE)
    user = _locked_people(user)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account: ask another admin."))
    if pending_invitation(user) is not None:
        raise ValidationError(_("%(username)s has not joined yet: revoke the invitation instead.") % {
            "username": user.get_username()})  # fmt: skip
    if not user.is_active:
        return user
    _keep_an_admin(user, _("%(username)s is the last admin and cannot be deactivated.") % {
        "username": user.get_username()})  # fmt: skip
    held = list(selectors.claims_held_by(user))
    detail = ""
    if held:
        if successor is None:
            raise ValidationError({"successor": _("Choose who takes over their claims.")})
        if not selectors.successors_for(user).filter(pk=successor.pk).exists():
            raise ValidationError(
                {"successor": _("%(username)s cannot take over these claims.") % {"username": successor}}
            )
        for claim in held:
            if claim.assignee_id == user.pk:
                services.claim_assign(claim=claim, assignee=successor, by=by)
            if claim.reviewer_id == user.pk:
                services.claim_assign_reviewer(claim=claim, reviewer=successor, by=by)
        detail = ngettext(
            "%(count)d open claim handed to %(successor)s", "%(count)d open claims handed to %(successor)s", len(held)
        ) % {"count": len(held), "successor": successor.get_username()}
    # The authentication backend refuses inactive users, so their sessions end with their next request.
    user.is_active = False
    user.save(update_fields=["is_active"])
    _record(kind=StaffChange.Kind.DEACTIVATED, person=user, by=by, detail=detail)
    return user


@transaction.atomic
def person_reactivate(*, user: User, by) -> User:
    """Let a deactivated person sign in again, in the role they had."""
    require(by, Action.MANAGE_PEOPLE)
    user = _locked_people(user)
    if pending_invitation(user) is not None:
        raise ValidationError(_("%(username)s has not joined yet: send the invitation again instead.") % {
            "username": user.get_username()})  # fmt: skip
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record(kind=StaffChange.Kind.REACTIVATED, person=user, by=by)
    return user


@transaction.atomic
def invitation_accept(*, user: User, token: str, username: str, password: str) -> User:
    """The invitee chooses their username and password; the link is spent. The token is the permission."""
    locked = User.objects.select_for_update(of=("self",)).select_related("invitation").get(pk=user.pk)
    uidb64 = urlsafe_base64_encode(force_bytes(locked.pk))
    if invitation_for_link(uidb64, token)[1] is not None:  # checked again on the locked row: used once only
        raise ValidationError(_("This invitation link is no longer valid. Ask an admin for a new one."))
    locked.username = username
    locked.full_clean(exclude=["password"])
    locked.set_password(password)
    locked.is_active = True
    locked.save()
    locked.invitation.accepted_at = timezone.now()
    locked.invitation.save(update_fields=["accepted_at"])
    _record(kind=StaffChange.Kind.JOINED, person=locked, by=locked)
    return locked
