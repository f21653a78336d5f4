"""The public search page: public claims only, with filters and pages (claims.search).

The results region swaps in place as the filters change (htmx, with the address
pushed to the history); every link and the form work without JavaScript too.

Searches are not in the page cache (claims.publishing.cache): their query strings are endless, and an htmx
request gets a region of the page. What a search shows (the form as filled in and the results region, neither
of which holds anything of the reader's) is rendered once per public generation, language and search and kept
in the shared cache for visitors and staff alike, under a hash of what it depends on, for RESULTS_SECONDS at
most (claims.search.per_public_generation); a visitor's whole page (no session, no pending message) is kept the
same way. Signed-in readers get their layout, with its token, rendered for them.
"""

import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from claims import search as claim_search
from claims.forms import SearchForm
from claims.models import SiteSettings
from claims.publishing.cache import accepts_gzip, shared_page_visitor
from claims.views.htmx import HtmxHttpRequest, wants_region

TEMPLATE = "claims/search.html"


@dataclass(frozen=True)
class RenderedSearch:
    """The page's parts that depend on the search alone, the same for everyone who asks for it; kept compressed,
    so a made-up search's entry stays small."""

    query: str  # as the title shows it
    packed_form: bytes
    packed_results: bytes

    @classmethod
    def pack(cls, query: str, form: str, results: str) -> "RenderedSearch":
        return cls(query, zlib.compress(form.encode()), zlib.compress(results.encode()))

    @property
    def form(self) -> SafeString:
        return SafeString(zlib.decompress(self.packed_form).decode())

    @property
    def results(self) -> SafeString:
        return SafeString(zlib.decompress(self.packed_results).decode())


@require_safe
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest):
    asked = {name: request.GET.get(name, "") for name in SearchForm.base_fields}
    number = claim_search.page_number(request.GET.get("page"))
    key = hashlib.sha256(json.dumps([get_language(), asked, number]).encode()).hexdigest()
    if shared_page_visitor(request) and not wants_region(request):
        # A visitor's whole page is the same for every visitor (no token, no message): kept too, one round trip.
        # Kept gzipped, and sent so to a browser that accepts it (safe: nothing secret in it to guess at).
        compressed = claim_search.per_public_generation(
            f"search:visitor-page:{key}",
            lambda: gzip.compress(
                render(request, TEMPLATE, {"search": _kept(request, asked, number, key)}).content, mtime=0
            ),
            timeout=claim_search.RESULTS_SECONDS,
        )
        if accepts_gzip(request):
            response = HttpResponse(compressed)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(gzip.decompress(compressed))
        patch_vary_headers(response, ("Cookie", "Accept-Encoding"))  # a signed-in reader's page differs
        return response
    rendered = _kept(request, asked, number, key)
    if wants_region(request):
        return HttpResponse(rendered.results)
    return render(request, TEMPLATE, {"search": rendered})


def _kept(request: HtmxHttpRequest, asked: dict[str, str], number: int, key: str) -> RenderedSearch:
    return claim_search.per_public_generation(
        f"search:rendered:{key}", lambda: _render(request, asked, number), timeout=claim_search.RESULTS_SECONDS
    )


def _render(request: HtmxHttpRequest, asked: dict[str, str], number: int) -> RenderedSearch:
    form = SearchForm(asked, facets=claim_search.search_facets())  # what the key holds, nothing else
    filters = form.filters()
    # Publication dates are days in the newsroom's time zone, as the pages show them.
    with timezone.override(SiteSettings.load().time_zone):
        page = claim_search.search_page(number, **filters)
    context = {
        "form": form,
        "page": page,
        "query": filters["query"],
        "filtered": any(value for name, value in filters.items() if name != "query"),
        # The other pages' links: the search as understood (a filter shown as an error is left out).
        "query_without_page": urlencode({name: asked[name] for name in form.cleaned_data if asked[name]}),
    }
    return RenderedSearch.pack(
        filters["query"],
        form=render_to_string(f"{TEMPLATE}#search-form", context, request),
        results=render_to_string(f"{TEMPLATE}#search-results", context, request),
    )
