"""ETags for public reads: conditional GETs answered 304 before anything is read.

What the public sees changes only when the public generation is replaced (claims.publishing.cache:
a publication, a removal, a merge, the site settings…), so an answer's ETag is the generation and the
address asked for; Last-Modified is the generation's time, as on the public pages.
"""

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from claims.publishing.cache import public_generation


def answered_from_cache(request: HttpRequest, response: HttpResponse) -> HttpResponse | None:
    """Set the validators on `response` (ninja's response in the making); a 304 if the client's copy is current."""
    generation = public_generation()
    etag = quote_etag(hashlib.sha256(f"{generation}:{request.get_full_path()}".encode()).hexdigest()[:32])
    last_modified = generation // 1_000_000_000
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Authorization",))
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is None:
        return None
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        not_modified[header] = response[header]
    return not_modified
