"""Published data, read by anyone: the same frozen records, through the same selectors, as the public pages.

Nothing here reads a live claim: listings read the records' claim and verdict parts, a claim reads its
latest published record (claims.publishing.pages), so a draft, an internal note, a confidential
source's identity or a tip's contact cannot be answered (docs/architecture.md, "The public side").
"""

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from claims.api import conditional, cursors
from claims.api.auth import TOKEN_OR_ANONYMOUS
from claims.api.schemas import ERRORS, Claimant, Dated, Id, Message, Person, Rating, Topic, bounded_text
from claims.links import claim_url
from claims.publishing import pages
from claims.search import SearchResult, search_facets, search_public_claims

router = Router(auth=TOKEN_OR_ANONYMOUS, tags=["Published fact-checks"])

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
READ = {304: None, 400: Message, **ERRORS}


# --- What is answered ------------------------------------------------------------------------------------


class ClaimPart(Dated):
    """The claim as published: the date is when the claim was made, as far as it is known."""

    slug: str
    url: str = Field(description="The claim's public page")
    text: str
    language: str
    is_sample: bool = Field(description="Demo content: labelled on its page, not indexed")
    claimant: Claimant | None
    topics: list[Topic]

    @staticmethod
    def resolve_url(claim: object) -> str:
        return claim_url(str(getattr(claim, "slug", "")))


class VerdictPart(Schema):
    kind: str = Field(description="first, correction, update or retraction")
    headline: str
    public_note: str = Field(description="What a correction, update or retraction changed")
    rating: Rating | None
    author: Person | None
    reviewer: Person | None


class ClaimSummary(Schema):
    """One public claim with its verdict now: what a listing shows."""

    claim: ClaimPart
    verdict: VerdictPart
    published_at: datetime = Field(description="When this verdict was published")
    first_published_at: datetime | None = Field(description="When the claim was first published")


class ClaimPage(Schema):
    items: list[ClaimSummary]
    next_cursor: str | None = Field(description="Send it as `cursor` for the next page; null on the last page")


class Actor(Schema):
    name: str
    title: str
    kind: str


class Statement(Dated):
    actor: Actor
    stance: str
    quote: str
    quote_language: str
    second_hand: bool
    translated: bool
    original_language: str
    original_quote: str
    source: int | None = Field(description="The number of the source it was quoted from")


class Evidence(Schema):
    summary: str
    stance: str
    url: str
    source: int | None


class IdentifiedSource(Dated):
    number: int
    role: str | None
    confidential: bool = Field(description="Always false")
    title: str
    publisher: str
    author: str
    url: str
    archive_url: str
    language: str
    licence: str
    attribution: str


class ConfidentialSource(Schema):
    """Described, never identified."""

    number: int
    role: str | None
    confidential: bool = Field(description="Always true")
    description: str


class Outreach(Schema):
    contacted: str
    method: str
    contacted_on: str | None
    request: str
    response: str
    responded_on: str | None
    not_possible_reason: str


class Intervention(Schema):
    asked: str
    asked_on: str
    method: str
    request: str
    outcome: str
    approved_at: str


class Repeat(Dated):
    actor: Actor
    sentence: str
    confidential: bool
    title: str
    publisher: str
    url: str
    language: str
    approved_at: str
    interventions: list[Intervention]


class VerdictDetail(VerdictPart):
    explanation: str = Field(description="Sanitised HTML")
    published_at: str | None


class Version(Schema):
    """An entry of the claim's correction history (the first verdict opens it)."""

    kind: str
    note: str
    published_at: datetime


class ClaimRecord(Schema):
    """A public claim as its page shows it: its latest published record and its correction history."""

    claim: ClaimPart
    verdict: VerdictDetail
    statements: list[Statement]
    evidence: list[Evidence]
    sources: list[IdentifiedSource | ConfidentialSource]
    outreach: list[Outreach]
    repeats: list[Repeat] = Field(description="The claim repeated since it was checked, as approved")
    corrections: list[Version]
    first_published_at: datetime
    updated_at: datetime | None


class ClaimantOut(Schema):
    id: int
    name: str


class RatingOut(Schema):
    id: int = Field(description="The `rating` filter uses it")
    label: str
    description: str
    value: int | None


class RatingScaleOut(Schema):
    slug: str
    name: str
    description: str
    ratings: list[RatingOut]


class Correction(Schema):
    """A published correction, update or retraction (`verdict.kind`), with its note."""

    claim: ClaimPart
    verdict: VerdictPart
    published_at: datetime


class CorrectionPage(Schema):
    items: list[Correction]
    next_cursor: str | None


# --- What is asked ---------------------------------------------------------------------------------------


class Paging(Schema):
    cursor: str | None = bounded_text(200, default=None, description="The `next_cursor` of the previous page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class ClaimFilters(Paging):
    q: str = bounded_text(300, default="", description="Words to find (full-text, best match first)")
    topic: str = bounded_text(100, default="", description="A topic's slug")
    claimant: Id | None = Field(None, description="A claimant's id")
    rating: Id | None = Field(None, description="A rating's id (see /ratings)")
    language: str = bounded_text(35, default="", description="BCP 47, e.g. en or fa; the region is ignored")
    published_from: date | None = Field(None, description="First published on or after this day")
    published_to: date | None = Field(None, description="First published on or before this day")


def _bad_cursor(error: cursors.BadCursor) -> Status:
    return Status(400, Message(detail=str(error)))


# --- The operations ------------------------------------------------------------------------------------


@router.get("/claims", response={200: ClaimPage, **READ}, summary="Public claims with their verdicts")
def claim_list(request: HttpRequest, response: HttpResponse, filters: Query[ClaimFilters]) -> object:
    """Every public claim with the verdict it shows now, newest first, or best match first with `q`."""
    if (not_modified := conditional.answered_from_cache(request, response)) is not None:
        return not_modified
    verdicts = search_public_claims(
        filters.q,
        topic=filters.topic,
        claimant=filters.claimant,
        published_from=filters.published_from,
        published_to=filters.published_to,
        language=filters.language,
    )
    if filters.rating is not None:
        verdicts = verdicts.filter(rating_id=filters.rating)
    try:
        rows, next_cursor = cursors.page(
            verdicts.values(*SearchResult.FIELDS, "pk"), filters.cursor, filters.limit, ranked=bool(filters.q.strip())
        )
    except cursors.BadCursor as error:
        return _bad_cursor(error)
    return {"items": [SearchResult.from_row(row) for row in rows], "next_cursor": next_cursor}


@router.get(
    "/claims/{slug}",
    response={200: ClaimRecord, 301: None, 404: Message, **READ},
    summary="One public claim, as its page shows it",
)
def claim_detail(request: HttpRequest, response: HttpResponse, slug: str) -> object:
    """A claim's latest published record; an old address of the claim redirects (301) to its address now."""
    if (not_modified := conditional.answered_from_cache(request, response)) is not None:
        return not_modified
    page = pages.claim_page(slug)
    if page is None:
        current = pages.current_slug(slug)
        if current is None:
            return Status(404, Message(detail="No public claim has this address."))
        return HttpResponsePermanentRedirect(reverse("api:claim_detail", kwargs={"slug": current}))
    record = page.record
    return {
        "claim": record.claim,
        "verdict": record.verdict,
        "statements": record.statements,
        "evidence": record.evidence,
        "sources": record.sources,
        "outreach": record.outreach,
        "repeats": record.repeats,
        "corrections": page.correction_history,
        "first_published_at": page.first_published_at,
        "updated_at": page.updated_at,
    }


@router.get("/topics", response={200: list[Topic], **READ}, summary="Topics that public claims are filed under")
def topic_list(request: HttpRequest, response: HttpResponse) -> object:
    if (not_modified := conditional.answered_from_cache(request, response)) is not None:
        return not_modified
    return [{"slug": slug, "name": name} for slug, name in search_facets().topics]


@router.get("/claimants", response={200: list[ClaimantOut], **READ}, summary="Who made the public claims")
def claimant_list(request: HttpRequest, response: HttpResponse) -> object:
    if (not_modified := conditional.answered_from_cache(request, response)) is not None:
        return not_modified
    return [{"id": pk, "name": name} for pk, name in search_facets().claimants]


@router.get("/ratings", response={200: list[RatingScaleOut], **READ}, summary="The rating scales and their ratings")
def rating_list(request: HttpRequest, response: HttpResponse) -> list[pages.ShownScale] | HttpResponse:
    """The active scale first, then every scale a published verdict has used."""
    if (not_modified := conditional.answered_from_cache(request, response)) is not None:
        return not_modified
    return pages.rating_scales()


@router.get("/corrections", response={200: CorrectionPage, **READ}, summary="The corrections log")
def correction_list(request: HttpRequest, response: HttpResponse, paging: Query[Paging]) -> object:
    """Every published correction, update and retraction, newest first."""
    if (not_modified := conditional.answered_from_cache(request, response)) is not None:
        return not_modified
    try:
        rows, next_cursor = cursors.page(
            pages.corrections_log().values(*pages.VerdictSummary.FIELDS, "pk"),
            paging.cursor,
            paging.limit,
            ranked=False,
        )
    except cursors.BadCursor as error:
        return _bad_cursor(error)
    return {"items": [pages.VerdictSummary.from_row(row) for row in rows], "next_cursor": next_cursor}
