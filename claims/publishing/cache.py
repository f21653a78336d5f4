"""The public pages' shared cache, and their conditional GET (ETag / Last-Modified).

Visitors who carry no session and no pending message see the same page, so
one copy of each page serves them all, from the shared cache (file cache or
Redis: the same for every process). Each copy's key holds the "public
generation": a token replaced whenever what the public sees changes (a
verdict is published, a public claim is removed, the site settings change), so
every page is rendered afresh after such a change and stale copies simply
expire. If the token itself is evicted, a new one is made: stale copies can
never come back. The token is the time it was made, which is also the pages'
Last-Modified.

Signed-in staff (and anyone with a session) get their own page, never stored
and marked private: their header differs. Every answer varies on Cookie, so a
shared HTTP cache cannot hand one to the other.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django.utils.translation import get_language

GENERATION_KEY = "public:generation"
PAGE_SECONDS = 600  # stale-proofing only: a change replaces the generation at once


def public_generation() -> int:
    """The current generation (nanoseconds since the epoch when it was made)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        # add(): if another process made one meanwhile, use theirs.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def bump_public_generation() -> None:
    """What the public sees has changed: every cached public page is out of date."""
    cache.set(GENERATION_KEY, max(time.time_ns(), public_generation() + 1), timeout=None)


def _shared(request) -> bool:
    """Would this visitor get the same page as every other anonymous visitor?"""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _page_key(request, generation: int, query_keys: tuple[str, ...]) -> str:
    query = "&".join(f"{key}={request.GET.get(key, '')}" for key in query_keys)
    address = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"public:page:{generation}:{get_language()}:{address}"


def _storable(request, response) -> bool:
    """A complete 200 that holds nothing of this visitor's (no cookie, no CSRF token)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def public_page(view=None, *, query: tuple[str, ...] = ()):
    """Cache a public view for anonymous visitors and answer conditional GETs.

    `query` names the query parameters the page depends on (say "page"); any
    other parameter shares the copy of the page without it, so made-up query
    strings cannot fill the cache.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _shared(request):
                response = view(request, *args, **kwargs)
                patch_vary_headers(response, ("Cookie",))
                patch_cache_control(response, private=True, no_cache=True)
                return response
            generation = public_generation()
            key = _page_key(request, generation, query)
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
                if not _storable(request, response):
                    patch_vary_headers(response, ("Cookie",))
                    return response
                set_response_etag(response)
                response["Last-Modified"] = http_date(generation // 1_000_000_000)
                patch_vary_headers(response, ("Cookie",))
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                cache.set(key, response, PAGE_SECONDS)
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=generation // 1_000_000_000,
                response=response,
            )

        return wrapper

    return decorate(view) if view is not None else decorate
