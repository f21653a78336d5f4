"""The API: one NinjaAPI, its routers, its errors, its rate limits and its docs page.

Mounted at /api/ (factcheck/urls.py): the schema at /api/openapi.json, the docs at /api/docs.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, Throttled
from ninja.errors import ValidationError as InputError

from claims.api import factcheck_tools, public, staff
from claims.api.throttling import THROTTLES

GOOGLE_PREFIX = "/api/v1alpha1/"


class StaticSwagger(Swagger):
    """Swagger UI from static/ (django-ninja's own copy), started by static/js/api-docs.js: no inline script."""

    template = "api/docs.html"


api = NinjaAPI(
    title="Claim tracker API",
    version="1",
    description=(
        "Published fact-checks, read by anyone; writes for the newsroom's integrations with a person's API token "
        "(made on My account), sent as `Authorization: Bearer <token>`. "
        "Lists are paged with `cursor` (the previous page's `next_cursor`); answers carry an ETag."
    ),
    urls_namespace="api",
    docs=StaticSwagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=THROTTLES,
)
api.add_router("/v1/", public.router)
api.add_router("/v1/staff/", staff.router)
api.add_router("/v1alpha1/", factcheck_tools.router)


def _google_shaped(request: HttpRequest) -> bool:
    return request.path.startswith(GOOGLE_PREFIX)


def _error(request: HttpRequest, status: int, message: str, google_status: str) -> HttpResponse:
    if _google_shaped(request):
        return api.create_response(request, factcheck_tools.google_error(status, message, google_status), status=status)
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(InputError)
def invalid_input(request: HttpRequest, error: InputError) -> HttpResponse:
    if _google_shaped(request):
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in error.errors)
        return _error(request, 400, f"Invalid argument: {problems}", "INVALID_ARGUMENT")
    return api.create_response(request, {"detail": error.errors}, status=422)


@api.exception_handler(ValidationError)
def refused_by_a_service(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A service's refusal, beside the field it names (as the screens show it beside the form's field)."""
    problems: list[dict[str, Any]] = []
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            location = ["body"] if field == "__all__" else ["body", field]
            problems += [{"loc": location, "msg": message, "type": "refused"} for message in messages]
    else:
        problems = [{"loc": ["body"], "msg": message, "type": "refused"} for message in error.messages]
    return api.create_response(request, {"detail": problems}, status=422)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, _("Send a working API token: Authorization: Bearer <token>."), "UNAUTHENTICATED")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def not_allowed(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("Your role may not do this."), "PERMISSION_DENIED")


@api.exception_handler(Throttled)
def too_many(request: HttpRequest, error: Throttled) -> HttpResponse:
    return _error(request, 429, _("Too many requests: wait as Retry-After says."), "RESOURCE_EXHAUSTED")


@api.exception_handler(staff.ClaimMerged)
def claim_merged(request: HttpRequest, error: staff.ClaimMerged) -> HttpResponse:
    return _error(request, 409, str(error), "FAILED_PRECONDITION")
