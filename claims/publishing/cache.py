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

The copies are served by `PublicPageMiddleware`, just after WhiteNoise: a copy
is the whole answer as the other middleware left it (CSP, frame and referrer
headers included), so a visitor's request for a page in the cache costs one
round trip to the cache and none of the middleware behind it. Each copy is kept
twice, as is and gzip-compressed, and sent compressed to browsers that accept
it.

Each web process also keeps the copies it served last (`LocalCopies`) with the
generation they belong to, and asks the shared cache for the generation at most
once every PUBLIC_PAGE_LOCAL_SECONDS (a second): a page asked for again within
that second is answered without a round trip. A publication made by another
process shows at the latest that second later; the process that made it
replaces its own generation at once. Compression is safe here (no BREACH): a stored page holds no CSRF token,
no session and nothing the visitor sent. Pages that do (staff pages, forms) are
never stored, so never compressed (docs/performance.md).
"""

import gzip
import hashlib
import re
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django.utils.translation import get_language

GENERATION_KEY = "public:generation"
PAGE_SECONDS = 600  # stale-proofing only: a change replaces the generation at once
COMPRESS_MIN_LENGTH = 500  # below this gzip saves too little to be worth it
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
QUERY_ATTRIBUTE = "public_page_query"  # set on a view by @public_page: the query parameters its page depends on


class LocalCopies:
    """This process's own copies of the public pages it served last, with the generation they belong to and
    when that generation was last confirmed by the shared cache."""

    SIZE = 256  # pages; each is kept as sent (compressed for most visitors), tens of kilobytes

    def __init__(self):
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple, tuple[int, bytes, int, tuple]] = OrderedDict()
        self._generation: int | None = None
        self._confirmed_at = 0.0

    def generation(self) -> int | None:
        """The generation as last read, if that was recent enough to trust without asking again."""
        if time.monotonic() - self._confirmed_at < settings.PUBLIC_PAGE_LOCAL_SECONDS:
            return self._generation
        return None

    def confirm(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                self._pages.clear()
            self._generation, self._confirmed_at = generation, time.monotonic()

    def forget(self) -> None:
        with self._lock:
            self._pages.clear()
            self._generation, self._confirmed_at = None, 0.0

    def get(self, address: tuple, generation: int) -> HttpResponse | None:
        with self._lock:
            found = self._pages.get(address)
            if found is None or found[0] != generation:
                return None
            self._pages.move_to_end(address)
        _generation, content, status, headers = found
        response = HttpResponse(content, status=status)
        for header, value in headers:
            response[header] = value
        return response

    def put(self, address: tuple, generation: int, response: HttpResponse) -> None:
        with self._lock:
            self._pages[address] = (generation, response.content, response.status_code, tuple(response.items()))
            self._pages.move_to_end(address)
            while len(self._pages) > self.SIZE:
                self._pages.popitem(last=False)


local_copies = LocalCopies()


def public_generation() -> int:
    """The current generation (nanoseconds since the epoch when it was made)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = _new_generation()
    return generation


def recent_public_generation() -> int:
    """The generation as this process last confirmed it, if within PUBLIC_PAGE_LOCAL_SECONDS; else read (and
    confirmed). For what may lag a publication elsewhere by as much as the pages themselves."""
    generation = local_copies.generation()
    if generation is None:
        generation = public_generation()
        local_copies.confirm(generation)
    return generation


def _new_generation() -> int:
    generation = time.time_ns()
    # add(): if another process made one meanwhile, use theirs.
    if not cache.add(GENERATION_KEY, generation, timeout=None):
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def bump_public_generation() -> None:
    """What the public sees has changed: every cached public page is out of date."""
    cache.set(GENERATION_KEY, max(time.time_ns(), public_generation() + 1), timeout=None)
    local_copies.forget()


def shared_page_visitor(request) -> bool:
    """Would this visitor get the same page as every other anonymous visitor?"""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _page_key(request, query_keys: tuple[str, ...], *, gzipped: bool) -> str:
    query = "&".join(f"{key}={request.GET.get(key, '')}" for key in query_keys)
    address = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"public:page:{get_language()}:{address}{':gz' if gzipped else ''}"


def accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _storable(request, response) -> bool:
    """A complete 200 that holds nothing of this visitor's (no cookie, no CSRF token)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _gzipped(response):
    """The same answer compressed, or None when that is not worth it."""
    if response.has_header("Content-Encoding") or len(response.content) < COMPRESS_MIN_LENGTH:
        return None
    compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
    if len(compressed) >= len(response.content):
        return None
    copy = HttpResponse(compressed, status=response.status_code)
    for header, value in response.items():
        copy[header] = value
    copy["Content-Encoding"] = "gzip"
    copy["Content-Length"] = str(len(compressed))
    if copy.get("ETag", "").startswith('"'):
        copy["ETag"] = "W/" + copy["ETag"]  # another encoding of the same page (as GZipMiddleware does)
    return copy


class PublicPageMiddleware:
    """Serves the shared copies of public pages, and stores them as the whole stack answered them.

    It sits right after WhiteNoise: a page in the cache is answered from here, after one round trip to the
    cache (the generation and the copy together). The view's @public_page decides what may be stored; this
    stores it once every other middleware has added its headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not shared_page_visitor(request):
            return self.get_response(request)
        gzipped = accepts_gzip(request)
        # This process's copy, while the generation it belongs to is recent: no round trip, no URL resolving.
        address = (request.path, request.META.get("QUERY_STRING", ""), gzipped)
        generation = local_copies.generation()
        if generation is not None and (copy := local_copies.get(address, generation)) is not None:
            return self._answer(request, copy, generation)
        query_keys = self._public_query(request)
        if query_keys is None:
            return self.get_response(request)
        key = _page_key(request, query_keys, gzipped=gzipped)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or _new_generation()
        local_copies.confirm(generation)
        stored = found.get(key)
        if stored is not None and stored[0] == generation:
            local_copies.put(address, generation, stored[1])
            return self._answer(request, stored[1], generation)
        request.public_generation = generation
        response = self.get_response(request)
        if getattr(response, "public_page_storable", False) and not response.cookies:
            plain, compressed = response, _gzipped(response)
            cache.set_many(
                {
                    _page_key(request, query_keys, gzipped=False): (generation, plain),
                    **({_page_key(request, query_keys, gzipped=True): (generation, compressed)} if compressed else {}),
                },
                PAGE_SECONDS,
            )
            if gzipped and compressed is not None:
                response = compressed
            local_copies.put(address, generation, response)
            return self._answer(request, response, generation)
        return response

    @staticmethod
    def _public_query(request) -> tuple[str, ...] | None:
        """The query parameters of the public page asked for, or None if this is not a shared public page."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return getattr(match.func, QUERY_ATTRIBUTE, None)

    @staticmethod
    def _answer(request, response, generation: int):
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=generation // 1_000_000_000, response=response
        )


def public_page(view=None, *, query: tuple[str, ...] = ()):
    """Cache a public view for anonymous visitors and answer conditional GETs.

    `query` names the query parameters the page depends on (say "page"); any
    other parameter shares the copy of the page without it, so made-up query
    strings cannot fill the cache. PublicPageMiddleware serves and stores the copies.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if not shared_page_visitor(request):
                patch_vary_headers(response, ("Cookie",))
                patch_cache_control(response, private=True, no_cache=True)
                return response
            if hasattr(response, "render"):
                response.render()
            patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
            if not _storable(request, response):
                return response
            generation = getattr(request, "public_generation", None) or public_generation()
            set_response_etag(response)
            response["Last-Modified"] = http_date(generation // 1_000_000_000)
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            response.public_page_storable = True
            return response

        setattr(wrapper, QUERY_ATTRIBUTE, query)
        return wrapper

    return decorate(view) if view is not None else decorate
