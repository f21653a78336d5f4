"""A staff member's own account: two-factor devices, recovery codes, sessions, API tokens, email preferences
and the alerts under the bell.

Two-factor authentication is django-otp's: authenticator apps are TOTP devices, and each
user's recovery codes are one static device whose tokens are used up one by one. The
writes here are services in the project's sense (keyword-only, the acting user as `by`,
the permission checked first, one transaction); claims/middleware.py decides which
requests must wait for a code.
"""

import hashlib
import logging
import secrets
from base64 import b32encode
from datetime import timedelta
from urllib.parse import quote, urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.client_ip import client_ip
from claims.models import Alert, ApiToken, EmailPreferences, SiteSettings, User
from claims.permissions import Action, is_reviewer, require

log = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"

# What the session says about the second step, decided once at login (see two_factor_state).
TWO_FACTOR_STATE_KEY = "two_factor_state"
VERIFY = "verify"  # has an authenticator: must enter a code
SET_UP = "set-up"  # must set one up first (a reviewer or admin while it is required)
NOT_NEEDED = "not-needed"


# --- What the second step asks of a user ----------------------------------------------


def two_factor_required(user) -> bool:
    """Reviewers and admins must use two-factor authentication while the setting says so."""
    return settings.TWO_FACTOR_REQUIRED and is_reviewer(user)


def authenticators(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("created_at", "pk")


def has_authenticator(user) -> bool:
    return authenticators(user).exists()


def two_factor_state(user) -> str:
    if has_authenticator(user):
        return VERIFY
    if two_factor_required(user):
        return SET_UP
    return NOT_NEEDED


def remember_two_factor_state(request: HttpRequest, user) -> None:
    """Called at login: what the second step asks is decided once, so pages pay no query for it.

    A session that started before a device was added cannot dodge it: adding a device signs
    out every other session (totp_device_confirm).
    """
    request.session[TWO_FACTOR_STATE_KEY] = two_factor_state(user)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Checking a code -------------------------------------------------------------------


def verify_code(*, request: HttpRequest, user, code: str) -> Device:
    """Check a code from an authenticator app (six digits) or a recovery code; mark the session verified.

    Raises ValidationError with a message for the person: a wrong code, or too many wrong codes
    in a row (django-otp then makes each device wait longer before the next try).
    """
    code = "".join(code.split()).lower()
    if code.isdigit():
        candidates = list(authenticators(user))
    else:
        candidates = list(StaticDevice.objects.devices_for_user(user, confirmed=True))
    for device in candidates:
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            log.warning("Two-factor code refused (throttled) for %s from %s", user.get_username(), client_ip(request))
            raise ValidationError(_("Too many wrong codes in a row. Wait a minute, then try again."))
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            django_otp.login(request, verified)
            request.session.pop(TWO_FACTOR_STATE_KEY, None)
            return verified
    log.warning("Wrong two-factor code for %s from %s", user.get_username(), client_ip(request))
    raise ValidationError(_("That code is not right. Check the time on your phone, or use a recovery code."))


# --- Setting up an authenticator app ---------------------------------------------------


def totp_device_pending(*, by) -> TOTPDevice:
    """The authenticator `by` is setting up: unconfirmed until its first code is checked."""
    require(by, Action.MANAGE_OWN_ACCOUNT)
    device = TOTPDevice.objects.devices_for_user(by, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=by, name=_("Authenticator app"), confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps want it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_url(device: TOTPDevice) -> str:
    """The otpauth:// address the QR code holds, labelled with the newsroom's name."""
    issuer = SiteSettings.load().organisation_name.replace(":", "")
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = {"secret": b32encode(device.bin_key).decode(), "issuer": issuer, "digits": device.digits}
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"


def qr_code_data_uri(device: TOTPDevice) -> str:
    """An SVG QR code as a data: URI, for an <img> the Content-Security-Policy allows (no script)."""
    return segno.make(otpauth_url(device), error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice, code: str, name: str, by) -> list[str]:
    """Confirm a new authenticator with its first code; returns new recovery codes if there were none.

    The session becomes verified, and every other session of `by` ends: one that began
    before this device existed would otherwise never be asked for a code.
    """
    require(by, Action.MANAGE_OWN_ACCOUNT)
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=by, confirmed=False)
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(_("Too many wrong codes in a row. Wait a minute, then try again."))
    if not device.verify_token("".join(code.split())):
        raise ValidationError(_("That code is not right. Check the time on your phone and type the newest code."))
    device.name = name.strip() or _("Authenticator app")
    device.confirmed = True
    device.save(update_fields=["name", "confirmed"])
    codes = [] if recovery_codes_left(by) else _new_recovery_codes(by)
    django_otp.login(request, device)
    request.session.pop(TWO_FACTOR_STATE_KEY, None)
    _end_other_sessions(request, by)
    log.info("Authenticator added for %s from %s", by.get_username(), client_ip(request))
    return codes


@transaction.atomic
def totp_device_remove(*, request: HttpRequest, device_pk: int, by) -> None:
    """Remove one of `by`'s authenticators; the last one only where two-factor is not required."""
    require(by, Action.MANAGE_OWN_ACCOUNT)
    device = TOTPDevice.objects.select_for_update().get(pk=device_pk, user=by, confirmed=True)
    others = authenticators(by).exclude(pk=device.pk)
    if not others.exists():
        if two_factor_required(by):
            raise ValidationError(
                _("Reviewers and admins must keep an authenticator: add another one before removing this one.")
            )
        StaticDevice.objects.filter(user=by).delete()  # recovery codes alone are no second factor
    device.delete()
    log.info("Authenticator removed for %s from %s", by.get_username(), client_ip(request))


@transaction.atomic
def recovery_codes_regenerate(*, request: HttpRequest, by) -> list[str]:
    """New recovery codes for `by`; the old ones stop working. Only with an authenticator set up."""
    require(by, Action.MANAGE_OWN_ACCOUNT)
    if not has_authenticator(by):
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _new_recovery_codes(by)
    log.info("Recovery codes regenerated for %s from %s", by.get_username(), client_ip(request))
    return codes


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- Sessions -------------------------------------------------------------------------


@transaction.atomic
def sessions_end_others(*, request: HttpRequest, by) -> None:
    """Sign `by` out everywhere but in this session."""
    require(by, Action.MANAGE_OWN_ACCOUNT)
    _end_other_sessions(request, by)
    log.info("Other sessions ended for %s from %s", by.get_username(), client_ip(request))


def _end_other_sessions(request: HttpRequest, user) -> None:
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    update_session_auth_hash(request, user)  # this session is signed with the new hash


# --- Email preferences and alerts ----------------------------------------------------------------

EMAIL_PREFERENCE_FIELDS = ("assignments", "review_requests", "outcomes", "triage_digest")


@transaction.atomic
def email_preferences_update(*, by, **wanted: bool) -> EmailPreferences:
    """Which alerts `by` also wants by email (claims/alerts.py). Unnamed preferences keep their value."""
    require(by, Action.MANAGE_OWN_ACCOUNT)
    unknown = set(wanted) - set(EMAIL_PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"No such email preference: {', '.join(sorted(unknown))}")
    preferences, _created = EmailPreferences.objects.select_for_update().get_or_create(user=by)
    for name, value in wanted.items():
        setattr(preferences, name, bool(value))
    preferences.save()
    return preferences


# --- Language ------------------------------------------------------------------------------------


@transaction.atomic
def user_language_update(*, by, language: str) -> User:
    """The language `by` reads the staff screens and their emails in ("": the browser's). Public pages
    stay in the site's language (claims/languages.py)."""
    require(by, Action.MANAGE_OWN_ACCOUNT)
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    locked = User.objects.select_for_update().get(pk=by.pk)
    locked.language = language
    locked.save(update_fields=["language"])
    by.language = language
    return locked


@transaction.atomic
def alerts_mark_read(*, by, alert_ids: list[int] | None = None) -> int:
    """Mark `by`'s own unread alerts as read: those named, or all of them. Returns how many changed."""
    require(by, Action.MANAGE_OWN_ACCOUNT)
    unread = Alert.objects.filter(recipient=by, read_at__isnull=True)
    if alert_ids is not None:
        unread = unread.filter(pk__in=alert_ids)
    return unread.update(read_at=timezone.now())


# --- API tokens ------------------------------------------------------------------------

API_TOKEN_PREFIX = "fct_"  # noqa: S105 - not a secret: makes a leaked token recognisable to secret scanners
API_TOKEN_SHOWN_CHARACTERS = len(API_TOKEN_PREFIX) + 6
API_TOKEN_USE_WRITE_INTERVAL = timedelta(minutes=1)  # "last used" is written at most this often


def api_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_tokens(user):
    """`user`'s tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def api_token_needs_verified_session(user) -> bool:
    """A token signs in without a code: only a session that gave one may make it, wherever codes are asked for."""
    return settings.TWO_FACTOR_REQUIRED or has_authenticator(user)


@transaction.atomic
def api_token_create(*, request: HttpRequest, name: str, by) -> tuple[ApiToken, str]:
    """A new API token for `by`, acting with their role; returns it and its secret, which is shown only now."""
    require(by, Action.MANAGE_OWN_ACCOUNT)
    if api_token_needs_verified_session(by) and not request.user.is_verified():  # type: ignore[union-attr]
        raise ValidationError(
            _("Sign in with two-factor authentication first: an API token is only made in a session that gave a code.")
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the token after what will use it, e.g. “Tipline bot”.")})
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=by, name=name, key_hash=api_token_hash(raw), prefix=raw[:API_TOKEN_SHOWN_CHARACTERS])
    token.full_clean()
    token.save()
    log.info("API token %s made for %s from %s", token.prefix, by.get_username(), client_ip(request))
    return token, raw


@transaction.atomic
def api_token_revoke(*, request: HttpRequest, token_pk: int, by) -> ApiToken:
    """Stop one of `by`'s tokens from working (ApiToken.DoesNotExist for anyone else's)."""
    require(by, Action.MANAGE_OWN_ACCOUNT)
    token = api_tokens(by).select_for_update().get(pk=token_pk)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log.info("API token %s revoked by %s from %s", token.prefix, by.get_username(), client_ip(request))
    return token


def api_token_holder(raw: str) -> ApiToken | None:
    """The working token `raw` is, with its active holder; None for anything else. Notes when it was used."""
    if not raw.startswith(API_TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=api_token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > API_TOKEN_USE_WRITE_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
