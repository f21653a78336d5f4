"""The public search page: public claims only, with filters and pages (claims.search).

The results region swaps in place as the filters change (htmx, with the address
pushed to the history); every link and the form work without JavaScript too.
Searches are not kept in the page cache: their query strings are endless.
"""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from claims import search as claim_search
from claims.forms import SearchForm
from claims.models import SiteSettings
from claims.views.htmx import HtmxHttpRequest, page_or_region, query_without_page


@require_safe
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest):
    form = SearchForm(request.GET, facets=claim_search.search_facets())
    filters = form.filters()
    # Publication dates are days in the newsroom's time zone, as the pages show them.
    with timezone.override(SiteSettings.load().time_zone):
        page = claim_search.result_page(claim_search.search_public_claims(**filters), request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": filters["query"],
        "filtered": any(value for name, value in filters.items() if name != "query"),
        "query_without_page": query_without_page(request),
    }
    return render(request, page_or_region(request, "claims/search.html", "search-results"), context)
