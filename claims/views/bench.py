"""The load benchmark's yardstick (bench/load.py): a view that touches neither the database nor the cache.

It goes through the whole middleware stack like any page, so its throughput is the floor every other
page is compared with: what Django, the middleware and gunicorn cost before a page does any work of its
own. It is routed only while the BENCH setting is on (factcheck/urls.py): a production site has no use
for it, and the access matrix (tests/access_matrix.py) never sees it.
"""

from django.http import HttpRequest, HttpResponse


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")
