"""`GET /api/v1alpha1/claims:search`, shaped like Google's Fact Check Tools API, so tools written for it can
point at this newsroom's own tracker.

Parameters and answer follow Google's documentation of `claims.search`: `query`, `languageCode`,
`reviewPublisherSiteFilter`, `maxAgeDays`, `pageSize`, `pageToken`, `offset` (and `key`, accepted and
ignored); `{"claims": [{"text", "claimant", "claimDate", "claimReview": [{"publisher": {"name", "site"},
"url", "title", "reviewDate", "textualRating", "languageCode"}]}], "nextPageToken"}`, fields without a
value left out, errors as `{"error": {"code", "message", "status"}}`. It answers over what the
ClaimReview export carries: published, standing (not retracted) verdicts that are not demo content; then
other organisations' fact-checks imported from their ClaimReview (claims/importing/external.py), each
with its own publisher, url and rating, so a client can tell theirs from ours by the publisher.
"""

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from claims.api import conditional, cursors
from claims.api.auth import TOKEN_OR_ANONYMOUS
from claims.api.schemas import bounded_text
from claims.links import claim_url
from claims.models import ExternalFactCheck, SiteSettings, Verdict, primary_language
from claims.publishing import pages
from claims.publishing import record as schema
from claims.search import SearchResult, folded, search_public_claims

PATH = "/claims:search"
router = Router(auth=TOKEN_OR_ANONYMOUS, tags=["Fact Check Tools"])

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
MAX_QUERY_WORDS = 20


class GoogleErrorBody(Schema):
    code: int
    message: str
    status: str


class GoogleError(Schema):
    error: GoogleErrorBody


def google_error(code: int, message: str, status: str = "INVALID_ARGUMENT") -> dict:
    return {"error": {"code": code, "message": message, "status": status}}


class Publisher(Schema):
    name: str | None = None
    site: str | None = None


class ClaimReview(Schema):
    publisher: Publisher
    url: str
    title: str | None = None
    reviewDate: str | None = None
    textualRating: str | None = None
    languageCode: str | None = None


class FoundClaim(Schema):
    text: str
    claimant: str | None = None
    claimDate: str | None = None
    claimReview: list[ClaimReview]


class SearchAnswer(Schema):
    claims: list[FoundClaim] | None = None
    nextPageToken: str | None = None


class SearchParameters(Schema):
    query: str = bounded_text(
        300, default="", description="Words to find; required unless reviewPublisherSiteFilter is set"
    )
    languageCode: str = bounded_text(35, default="", description="BCP 47, e.g. en-US; the region is ignored")
    reviewPublisherSiteFilter: str = bounded_text(
        253, default="", description="The review publisher's site, e.g. example.org"
    )
    maxAgeDays: int | None = Field(
        None, ge=1, le=36_500, description="Only reviews published this many days ago or since"
    )
    pageSize: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    pageToken: str = bounded_text(200, default="", description="The nextPageToken of the previous page")
    offset: int = Field(0, ge=0, le=cursors.MAX_OFFSET, description="Where to start, when there is no pageToken")
    key: str = bounded_text(200, default="", description="Accepted for compatibility with Google's API, and ignored")


def publisher_site(site: SiteSettings) -> str:
    """This newsroom's site as Google names publishers' sites: the host, without "www."."""
    host = urlsplit(site.organisation_url or settings.SITE_URL).hostname or ""
    return host.removeprefix("www.")


def _claim_date(claim: schema.RecordClaim) -> str | None:
    return f"{claim.date}T00:00:00Z" if claim.date and claim.precision != "unknown" else None


def _found(result: SearchResult, site: SiteSettings, site_name: str) -> FoundClaim:
    claim, verdict = result.claim, result.verdict
    reviewed = result.first_published_at or result.published_at
    return FoundClaim(
        text=claim.text,
        claimant=claim.claimant.name if claim.claimant else None,
        claimDate=_claim_date(claim),
        claimReview=[
            ClaimReview(
                publisher=Publisher(name=site.organisation_name, site=site_name),
                url=claim_url(claim.slug),
                title=verdict.headline or None,
                reviewDate=reviewed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                textualRating=verdict.rating.label if verdict.rating else verdict.headline or None,
                languageCode=claim.language or None,
            )
        ],
    )


@router.get(
    PATH,
    response={200: SearchAnswer, 304: None, 400: GoogleError, 401: GoogleError, 429: GoogleError},
    exclude_none=True,
    summary="Search fact-checks (Google Fact Check Tools API's claims.search)",
)
def claims_search(request: HttpRequest, response: HttpResponse, parameters: Query[SearchParameters]) -> object:
    if not parameters.query.strip() and not parameters.reviewPublisherSiteFilter.strip():
        return Status(400, google_error(400, "Request must have either query or reviewPublisherSiteFilter."))
    if (not_modified := conditional.answered_from_cache(request, response)) is not None:
        return not_modified
    try:
        start = cursors.decode(parameters.pageToken).offset if parameters.pageToken else parameters.offset
    except cursors.BadCursor:
        return Status(400, google_error(400, "Invalid pageToken."))
    site = SiteSettings.load()
    site_name = publisher_site(site)
    wanted_site = parameters.reviewPublisherSiteFilter.strip().lower().removeprefix("www.")
    size = parameters.pageSize
    own: list[dict] = []
    own_total = 0
    if not wanted_site or wanted_site == site_name:
        verdicts = pages.not_sample(
            search_public_claims(parameters.query, language=parameters.languageCode.strip())
        ).exclude(kind=Verdict.Kind.RETRACTION)
        if parameters.maxAgeDays is not None:
            verdicts = verdicts.filter(first_published_at__gte=timezone.now() - timedelta(days=parameters.maxAgeDays))
        rows = verdicts.values(*SearchResult.FIELDS, "pk")
        own = list(rows[start : start + size + 1])
        own_total = start + len(own) if own else rows.count()
    # Then other organisations' fact-checks, marked as theirs: the list goes on past this newsroom's own.
    theirs: list[ExternalFactCheck] = []
    if len(own) <= size:
        from_theirs = max(0, start - own_total)
        theirs = list(_external_fact_checks(parameters, wanted_site)[from_theirs : from_theirs + size - len(own) + 1])
    more = len(own) + len(theirs) > size and start + size <= cursors.MAX_OFFSET
    found = [_found(SearchResult.from_row(row), site, site_name) for row in own[:size]]
    found += [_found_elsewhere(check) for check in theirs[: size - len(found)]]
    next_cursor = cursors.encode(cursors.Position(offset=start + size)) if more else None
    return SearchAnswer(claims=found or None, nextPageToken=next_cursor)


def _external_fact_checks(parameters: SearchParameters, wanted_site: str) -> QuerySet[ExternalFactCheck]:
    """Other organisations' fact-checks matching every word of the query (folded as search folds them), the
    latest reviewed first."""
    checks = ExternalFactCheck.objects.all()
    for word in folded(parameters.query).split()[:MAX_QUERY_WORDS]:
        checks = checks.filter(search_text__contains=word)
    language = primary_language(parameters.languageCode)
    if language:
        checks = checks.filter(Q(language__iexact=language) | Q(language__istartswith=f"{language}-"))
    if wanted_site:
        checks = checks.filter(publisher_site__iexact=wanted_site)
    if parameters.maxAgeDays is not None:
        checks = checks.filter(review_date__gte=timezone.localdate() - timedelta(days=parameters.maxAgeDays))
    return checks.order_by(F("review_date").desc(nulls_last=True), "-pk")


def _found_elsewhere(check: ExternalFactCheck) -> FoundClaim:
    return FoundClaim(
        text=check.claim_text,
        claimant=check.claimant or None,
        claimDate=f"{check.claim_date}T00:00:00Z" if check.claim_date else None,
        claimReview=[
            ClaimReview(
                publisher=Publisher(name=check.publisher_name, site=check.publisher_site or None),
                url=check.review_url,
                title=check.headline or None,
                reviewDate=f"{check.review_date}T00:00:00Z" if check.review_date else None,
                textualRating=check.rating_text,
                languageCode=check.language or None,
            )
        ],
    )
