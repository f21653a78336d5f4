"""Which language each page is in (docs/architecture.md, "Languages").

* Public pages, the feed, the API's public reads and the emails to readers are in the newsroom's public
  language, a site setting (`SiteSettings.language`) — never the visitor's `Accept-Language` — so one
  cached copy of a public page serves every visitor.
* Staff pages (`/staff/`, `/admin/`, `/accounts/`) are in the language the signed-in person chose on My
  account (`User.language`); with none chosen, and on the login page, the browser's `Accept-Language`
  among the supported ones.
* Emails to staff are in the recipient's language (`staff_language_of`).

The site's language is read on every request, so it is kept in the shared cache; saving the site
settings forgets it (`SiteSettings.save`). With the cache or the database down it is the default
language: a page that needs neither (/healthz, which reports them) must still answer.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from claims.models import (
    SITE_LANGUAGE_CACHE_KEY,
    SITE_SETTINGS_VERSION_KEY,
    SiteSettings,
    primary_language,
    site_settings_version_seen,
)

logger = logging.getLogger(__name__)

# The staff side of the site: the rest is public.
STAFF_PATH_PREFIXES = ("/staff/", "/admin/", "/accounts/")


def supported() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _supported_or_default(code: str | None) -> str:
    return code if code in supported() else settings.LANGUAGE_CODE


def site_language() -> str:
    """The newsroom's public language (a code in settings.LANGUAGES)."""
    try:
        # With the settings' version, which the page reads next: one round trip for both.
        found = cache.get_many([SITE_LANGUAGE_CACHE_KEY, SITE_SETTINGS_VERSION_KEY])
        code = found.get(SITE_LANGUAGE_CACHE_KEY)
        site_settings_version_seen(found.get(SITE_SETTINGS_VERSION_KEY))
    except Exception:  # the cache is down: ask the database
        logger.warning("The cache does not answer; the site's language is read from the database", exc_info=True)
        code, cache_up = None, False
    else:
        cache_up = True
    if code is None:
        try:
            code = SiteSettings.objects.filter(pk=1).values_list("language", flat=True).first() or ""
        except DatabaseError:
            logger.warning("The database does not answer; pages are in the default language", exc_info=True)
            return settings.LANGUAGE_CODE
        code = _supported_or_default(code)
        if cache_up:
            cache.set(SITE_LANGUAGE_CACHE_KEY, code, timeout=None)
    return _supported_or_default(code)


def staff_language_of(user) -> str:
    """The language `user` chose for the staff screens and their emails; else the site's."""
    chosen = getattr(user, "language", "")
    return chosen if chosen in supported() else site_language()


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PATH_PREFIXES)


def browser_language(request: HttpRequest) -> str | None:
    """The first language of the browser's Accept-Language that the site is written in ("fa-IR" → fa), if any."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def request_language(request: HttpRequest) -> str:
    """The language to answer `request` in (see the module's docstring)."""
    if not is_staff_path(request.path_info):
        return site_language()
    user = getattr(request, "user", None)
    chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if chosen in supported():
        return chosen
    return browser_language(request) or site_language()


def direction(code: str | None = None) -> str:
    """ "rtl" or "ltr": the writing direction of a language (the active one by default)."""
    code = code or translation.get_language() or settings.LANGUAGE_CODE
    return "rtl" if primary_language(code) in settings.LANGUAGES_BIDI else "ltr"
