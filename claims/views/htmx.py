"""What the views that answer htmx share: the typed request, which template answers it, and the
status of an invalid form (docs/architecture.md, "htmx")."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

# htmx is configured to swap this status, so a form's errors show next to its fields with what was typed.
FORM_INVALID = 422


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (django-htmx's documented typing pattern)."""

    htmx: HtmxDetails


def wants_region(request: HtmxHttpRequest) -> bool:
    """An htmx request asks for a region of the page; a boosted one (a plain link htmx follows) for the page."""
    return bool(request.htmx and not request.htmx.boosted)


def page_or_region(request: HtmxHttpRequest, template: str, region: str) -> str:
    """The template's named partial for a region request, the whole template otherwise."""
    return f"{template}#{region}" if wants_region(request) else template


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without its page number, for the links to the other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
