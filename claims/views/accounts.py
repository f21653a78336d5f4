"""Signing in and the staff member's own account.

The login itself is Django's view (throttled by django-axes through the authentication
backend); the password reset is Django's too, with a rate limit and the lock cleared on
success. The second step (a code from an authenticator app or a recovery code) and the
My account page are ours, the writes going through claims.accounts.
"""

import logging
import math

from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.core import get_usage

from claims import accounts, languages
from claims.client_ip import client_ip
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.models import ApiToken, EmailPreferences, SiteSettings
from claims.permissions import Action
from claims.views.htmx import FORM_INVALID

log = logging.getLogger(__name__)

TOO_MANY_REQUESTS = 429
RECOVERY_CODES_TO_SHOW_KEY = "recovery_codes_to_show"
API_TOKEN_TO_SHOW_KEY = "api_token_to_show"  # noqa: S105 - a session key


# --- Login throttling -------------------------------------------------------------------


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer once a username has failed too often from this address (AXES_LOCKOUT_CALLABLE)."""
    wait_seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    log.warning("Login locked for %r from %s", (credentials or {}).get("username", ""), client_ip(request))
    context = {"wait_minutes": math.ceil(wait_seconds / 60), "failure_limit": settings.AXES_FAILURE_LIMIT}
    answer = render(request, "registration/locked_out.html", context, status=TOO_MANY_REQUESTS)
    answer["Retry-After"] = str(wait_seconds)
    return answer


# --- Password reset ----------------------------------------------------------------------


def _reset_wait_seconds(request: HttpRequest, email: str, *, count: bool = False) -> int:
    """Seconds before this address, or this email, may ask for another reset email (0: now)."""
    limits = [
        ("password-reset:address", "ip"),
        ("password-reset:email", lambda group, request: email.strip().lower()),
    ]
    wait = 0
    for group, key in limits:
        usage = get_usage(
            request, group=group, key=key, rate=settings.PASSWORD_RESET_RATE, method="POST", increment=count
        )
        if usage is not None and usage["count"] >= usage["limit"]:
            wait = max(wait, usage["time_left"], 1)
    return wait


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address is on file; a limit per visitor and per email."""

    def form_valid(self, form):
        # The link is built on SITE_URL, never on the Host header the request came with.
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "organisation_name": SiteSettings.load().organisation_name,
        }
        email = form.cleaned_data["email"]
        wait = _reset_wait_seconds(self.request, email)
        if wait:
            context = self.get_context_data(form=form, wait_minutes=math.ceil(wait / 60))
            response = self.render_to_response(context, status=TOO_MANY_REQUESTS)
            response["Retry-After"] = str(wait)
            return response
        _reset_wait_seconds(self.request, email, count=True)
        log.info("Password reset asked for from %s", client_ip(self.request))
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A successful reset also lifts a login lock on that username (the owner proved who they are)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        log.info("Password reset done for %s from %s", form.user.get_username(), client_ip(self.request))
        return response


# --- The second step -------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        help_text=gettext_lazy("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class AuthenticatorForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name this authenticator"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("So you can tell your devices apart, e.g. “Work phone”."),
    )
    code = forms.CharField(
        label=gettext_lazy("The six-digit code the app shows"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LanguageForm(forms.Form):
    """The staff screens' language (My account). Each language is named in itself, so anyone finds theirs."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language of the staff screens and of your emails"),
        required=False,
        help_text=gettext_lazy("The public pages are always in the newsroom's language (Settings)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As my browser asks")), *settings.LANGUAGES]


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = EmailPreferences
        fields = accounts.EMAIL_PREFERENCE_FIELDS


def _next_url(request: HttpRequest, default: str = "staff:home") -> str:
    """Where to go afterwards: ?next= if it is on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(default)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """After the password: a code from an authenticator app, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.is_verified() or not accounts.has_authenticator(request.user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                accounts.verify_code(request=request, user=request.user, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
            else:
                return redirect(_next_url(request))
        status = FORM_INVALID
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Add an authenticator app: scan the QR code (or type the secret), then confirm with its first code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_verified() and accounts.has_authenticator(request.user):
        return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': request.get_full_path()})}")
    device = accounts.totp_device_pending(by=request.user)
    form = AuthenticatorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = accounts.totp_device_confirm(
                    request=request,
                    device=device,
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("code", error)
            else:
                messages.success(
                    request, _("Two-factor authentication is on: you will be asked for a code when you sign in.")
                )
                if codes:
                    request.session[RECOVERY_CODES_TO_SHOW_KEY] = codes
                    next_url = _next_url(request, "staff:account")
                    return redirect(f"{reverse('staff:account-recovery-codes')}?{urlencode({'next': next_url})}")
                return redirect(_next_url(request, "staff:account"))
        status = FORM_INVALID
    context = {
        "form": form,
        "next": _next_url(request, "staff:account"),
        "qr_code": accounts.qr_code_data_uri(device),
        "secret": accounts.totp_secret(device),
        "required": accounts.two_factor_required(request.user) and not accounts.has_authenticator(request.user),
    }
    return render(request, "registration/two_factor_setup.html", context, status=status)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use it, e.g. “Tipline bot”."),
    )


# --- My account ---------------------------------------------------------------------------


def _account_page(request, *, token_form=None, language_form=None, status: int = 200):
    user = request.user
    context = {
        "authenticators": list(accounts.authenticators(user)),
        "recovery_codes_left": accounts.recovery_codes_left(user),
        "two_factor_required": accounts.two_factor_required(user),
        "idle_hours": round(settings.SESSION_IDLE_TIMEOUT / 3600, 1),
        "email_form": EmailPreferencesForm(instance=EmailPreferences.of(user)),
        "language_form": language_form or LanguageForm(initial={"language": user.language}),
        "api_tokens": list(accounts.api_tokens(user)),
        "api_token_form": token_form or ApiTokenForm(),
        "api_token_needs_code": accounts.api_token_needs_verified_session(user) and not user.is_verified(),
    }
    return render(request, "claims/staff/account.html", context, status=status)


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@require_safe
def account(request):
    """Password, two-factor authentication, recovery codes, sessions, API tokens and email preferences."""
    return _account_page(request)


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@require_POST
def api_token_create(request):
    """A new API token, its secret shown once on the next page; a bad name answers the page with the error (422)."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = accounts.api_token_create(request=request, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[API_TOKEN_TO_SHOW_KEY] = secret
            return redirect("staff:account-api-token-created")
    return _account_page(request, token_form=form, status=FORM_INVALID)


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@never_cache
@require_safe
def api_token_created(request):
    """The new token's secret, shown once: reloading the page does not show it again."""
    secret = request.session.pop(API_TOKEN_TO_SHOW_KEY, None)
    if not secret:
        messages.info(request, _("An API token is shown only once. Make a new one if you have lost it."))
        return redirect("staff:account")
    return render(request, "claims/staff/api_token_created.html", {"secret": secret})


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@require_POST
def api_token_revoke(request, pk: int):
    try:
        token = accounts.api_token_revoke(request=request, token_pk=pk, by=request.user)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The API token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("staff:account")


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@require_POST
def account_language(request):
    """The language of the staff screens; the next page, and this one's message, are in it already."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _account_page(request, language_form=form, status=FORM_INVALID)
    accounts.user_language_update(by=request.user, language=form.cleaned_data["language"])
    translation.activate(languages.request_language(request))
    messages.success(request, _("Your language is saved."))
    return redirect(f"{reverse('staff:account')}#account-language")


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@require_POST
def email_preferences(request):
    """Which alerts are also emailed: every box is sent, an unticked one is simply absent."""
    form = EmailPreferencesForm(request.POST)
    form.is_valid()  # checkboxes: always valid, absent means no
    accounts.email_preferences_update(by=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields})
    messages.success(request, _("Your email preferences are saved."))
    return redirect(f"{reverse('staff:account')}#account-email")


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@never_cache
@require_safe
def recovery_codes(request):
    """New recovery codes, shown once: reloading the page does not show them again."""
    codes = request.session.pop(RECOVERY_CODES_TO_SHOW_KEY, None)
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. Make new ones if you have lost them."))
        return redirect("staff:account")
    return render(
        request, "claims/staff/recovery_codes.html", {"codes": codes, "next": _next_url(request, "staff:account")}
    )


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@require_POST
def recovery_codes_new(request):
    try:
        codes = accounts.recovery_codes_regenerate(request=request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("staff:account")
    request.session[RECOVERY_CODES_TO_SHOW_KEY] = codes
    return redirect("staff:account-recovery-codes")


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@require_POST
def authenticator_remove(request, pk: int):
    try:
        accounts.totp_device_remove(request=request, device_pk=pk, by=request.user)
    except TOTPDevice.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The authenticator was removed."))
    return redirect("staff:account")


@staff_view(Action.MANAGE_OWN_ACCOUNT)
@require_POST
def sessions_end_others(request):
    accounts.sessions_end_others(request=request, by=request.user)
    messages.success(request, _("You are signed out everywhere else. This session stays signed in."))
    return redirect("staff:account")
