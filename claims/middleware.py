"""Session rules that hold on every request of a signed-in user: the idle timeout and the second step."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from claims import accounts, languages
from claims.client_ip import client_ip

log = logging.getLogger(__name__)

LAST_ACTIVITY_KEY = "last_activity"
# Activity is written to the session at most this often, so a busy page does not save it each time.
ACTIVITY_WRITE_INTERVAL = 60
# htmx polling elements send this header (hx-headers): a page left open refreshing itself is no activity.
BACKGROUND_POLL_HEADER = "HTTP_X_BACKGROUND_POLL"


def session_started(sender, request, user, **kwargs):
    """A new session starts active, and knows at once what the second step asks of it."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_ACTIVITY_KEY] = time.time()
    accounts.remember_two_factor_state(request, user)


def _send_to(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; an htmx request (a swap, a poll) is sent there as a whole page instead."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _with_next(request: HttpRequest, url_name: str) -> str:
    # An htmx request's own path is a fragment: come back to the page it was made from.
    back = request.htmx.current_url_abs_path if request.htmx else request.get_full_path()
    return f"{reverse(url_name)}?{urlencode({'next': back or reverse('staff:home')})}"


class LanguageMiddleware:
    """Answer in the site's public language, or on staff pages in the person's own (claims/languages.py).

    Public pages never vary on the visitor's Accept-Language (one cached copy serves everyone); staff
    pages do, since the login page and anyone who chose no language follow it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = languages.request_language(request)
        request.LANGUAGE_CODE = code
        # Only for this request: the thread's language is put back after it (the test client, a
        # management command or a task in the same thread never inherits a visitor's language).
        with translation.override(code):
            response = self.get_response(request)
        if languages.is_staff_path(request.path_info):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", code)
        return response


class SessionIdleTimeoutMiddleware:
    """Sign out a user idle for longer than settings.SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                log.info("Idle session ended for %s from %s", request.user.get_username(), client_ip(request))
                logout(request)
                messages.info(request, _("You were signed out after a while without activity. Sign in again."))
                return _send_to(request, _with_next(request, "login"))
            polling = request.META.get(BACKGROUND_POLL_HEADER) == "true"
            if last is None or (not polling and now - last > ACTIVITY_WRITE_INTERVAL):
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


# Pages a signed-in user may open before the second step is done.
OPEN_DURING_SECOND_STEP = {
    accounts.VERIFY: {"two-factor-verify", "logout", "healthz"},
    accounts.SET_UP: {"two-factor-setup", "logout", "healthz"},
}


class TwoFactorMiddleware:
    """After the password: a code from users with an authenticator; a new authenticator from those who must."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            state = request.session.get(accounts.TWO_FACTOR_STATE_KEY)
            if state is None:  # a session from before two-factor existed, or whose device was removed
                state = request.session[accounts.TWO_FACTOR_STATE_KEY] = accounts.two_factor_state(user)
            if state in OPEN_DURING_SECOND_STEP and self._url_name(request) not in OPEN_DURING_SECOND_STEP[state]:
                return _send_to(
                    request,
                    _with_next(request, "two-factor-verify" if state == accounts.VERIFY else "two-factor-setup"),
                )
        return self.get_response(request)

    @staticmethod
    def _url_name(request: HttpRequest) -> str | None:
        try:
            return resolve(request.path_info).url_name
        except Resolver404:
            return None
