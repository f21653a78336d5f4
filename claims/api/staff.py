"""Writes for the newsroom's integrations, with a person's API token: each one calls the same service as the
screen that does it, with `by` the token's holder, so the same permission checks and rules apply.

A token is the only credential (claims/api/auth.py): a browser's session cannot write through the API.
"""

from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import field_validator, model_validator

from claims import services
from claims.api.auth import token_auth
from claims.api.schemas import ERRORS, Id, Message, bounded_text
from claims.links import absolute_url
from claims.models import Actor, ApiToken, Claim, Evidence, Source, Statement, Topic, User
from claims.permissions import Action, require, role_of

router = Router(auth=token_auth, tags=["Newsroom (API token)"])

WRITE = {400: Message, 403: Message, 404: Message, 409: Message, **ERRORS}  # 400: a body that is not JSON


def _holder(request: HttpRequest) -> User:
    token = request.auth  # type: ignore[attr-defined]
    assert isinstance(token, ApiToken)
    return token.user


class ClaimMerged(Exception):
    def __init__(self, survivor_id: int) -> None:
        super().__init__(
            _("This claim was merged into claim #%(number)s: write to that one.") % {"number": survivor_id}
        )


def _live_claim(claim_id: int) -> Claim:
    """A claim that takes writes: not removed (404), not merged into another (409)."""
    claim = get_object_or_404(Claim, pk=claim_id)
    if claim.merged_into_id is not None:
        raise ClaimMerged(claim.merged_into_id)
    return claim


def _http_url(value: str) -> str:
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValueError("Give an http:// or https:// address.")
    return value


# --- Who am I -----------------------------------------------------------------------------------------------


class Me(Schema):
    username: str
    role: str = Field(description="fact-checkers, reviewers, admins, or empty for none")


@router.get("/me", response={200: Me, **ERRORS}, summary="Whom the token acts as")
def me(request: HttpRequest) -> Me:
    user = _holder(request)
    return Me(username=user.get_username(), role=role_of(user))


# --- A claim ------------------------------------------------------------------------------------------------


class ClaimIn(Schema):
    text: str = bounded_text(5000, min_length=1, description="The claim, stated so it can be checked")
    language: str = bounded_text(35, min_length=1, default="en", description="BCP 47, e.g. en or fa")
    claimant: Id | None = Field(None, description="The id of the actor who made it")
    topics: list[str] = Field(default_factory=list, max_length=20, description="Topics' slugs")

    @field_validator("topics")
    @classmethod
    def _topic_slugs(cls, topics: list[str]) -> list[str]:
        if any(len(slug) > 100 or "\x00" in slug for slug in topics):
            raise ValueError("Give the topics' slugs.")
        return topics


class ClaimOut(Schema):
    id: int
    slug: str
    state: str
    text: str
    language: str
    workspace: str = Field(description="The claim's workspace in the newsroom")

    @staticmethod
    def resolve_workspace(claim: Claim) -> str:
        return absolute_url(reverse("staff:claim", args=[claim.pk]))


@router.post("/claims", response={201: ClaimOut, **WRITE}, summary="Log a new claim")
def claim_create(request: HttpRequest, data: ClaimIn) -> Status:
    by = _holder(request)
    require(by, Action.CREATE_CLAIM)
    topics = list(Topic.objects.filter(slug__in=data.topics))
    if unknown := sorted(set(data.topics) - {topic.slug for topic in topics}):
        raise ValidationError({"topics": _("No such topic: %(slugs)s.") % {"slugs": ", ".join(unknown)}})
    claimant = None
    if data.claimant is not None:
        claimant = Actor.objects.filter(pk=data.claimant).first()
        if claimant is None:
            raise ValidationError({"claimant": _("No actor has this id.")})
    claim = services.claim_create(by=by, text=data.text, language=data.language, claimant=claimant, topics=topics)
    return Status(201, claim)


# --- A source, by its address -----------------------------------------------------------------------------


class SourceUrlIn(Schema):
    url: str = bounded_text(2000, min_length=1, description="The page's address: it is fetched in the background")

    _url = field_validator("url")(_http_url)


class SourceOut(Schema):
    id: int
    url: str
    title: str
    fetch_status: str = Field(description="pending while its page is fetched in the background")


class CitationOut(Schema):
    id: int
    claim: int = Field(alias="claim_id")
    role: str
    source: SourceOut


@router.post("/claims/{claim_id}/sources", response={201: CitationOut, **WRITE}, summary="Cite a page by its address")
def claim_source_add(request: HttpRequest, claim_id: Id, data: SourceUrlIn) -> Status:
    """As the workspace's "Paste a URL": a page on file is cited as it is; a new one is fetched through the safe
    fetcher in the background (its title, publisher, author, date and text)."""
    by = _holder(request)
    require(by, Action.EDIT_CLAIM)
    cited = services.claim_source_add_by_url(claim=_live_claim(claim_id), url=data.url, by=by)
    return Status(201, cited)


# --- A statement, evidence ------------------------------------------------------------------------------------


class StatementIn(Schema):
    actor: Id = Field(description="The id of the actor who said it")
    stance: Literal[tuple(Statement.Stance.values)]  # type: ignore[valid-type]
    quote: str = bounded_text(10_000, min_length=1, description="As published")
    quote_language: str = bounded_text(35, min_length=1, default="en")
    source: Id | None = Field(None, description="The id of a source the claim cites")
    second_hand: bool = False
    translated: bool = False
    original_language: str = bounded_text(35, default="")
    original_quote: str = bounded_text(10_000, default="")

    @model_validator(mode="after")
    def _translated_has_its_language(self) -> "StatementIn":
        if self.translated and not self.original_language.strip():
            raise ValueError("Give the original language (original_language) of a translated quote.")
        return self


class EvidenceIn(Schema):
    stance: Literal[tuple(Evidence.Stance.values)]  # type: ignore[valid-type]
    summary: str = bounded_text(10_000, min_length=1, description="Public: it is published with the verdict")
    source: Id | None = Field(None, description="The id of a source the claim cites")
    url: str = bounded_text(2000, default="")
    internal_note: str = bounded_text(10_000, default="", description="Staff only; never published")

    _url = field_validator("url")(_http_url)


class ItemOut(Schema):
    id: int
    claim: int = Field(alias="claim_id")


def _cited_source(claim: Claim, source_id: int | None) -> Source | None:
    """A source the claim cites, as the screens offer them."""
    if source_id is None:
        return None
    source = Source.objects.filter(
        pk=source_id, claim_sources__claim=claim, claim_sources__removed_at__isnull=True
    ).first()
    if source is None:
        raise ValidationError({"source": _("The claim cites no source with this id: cite it first.")})
    return source


@router.post("/claims/{claim_id}/statements", response={201: ItemOut, **WRITE}, summary="Add a statement")
def statement_create(request: HttpRequest, claim_id: Id, data: StatementIn) -> Status:
    by = _holder(request)
    require(by, Action.EDIT_CLAIM)
    claim = _live_claim(claim_id)
    actor = Actor.objects.filter(pk=data.actor).first()
    if actor is None:
        raise ValidationError({"actor": _("No actor has this id.")})
    statement = Statement(
        claim=claim, actor=actor, source=_cited_source(claim, data.source), **data.dict(exclude={"actor", "source"})
    )
    return Status(201, services.claim_item_create(item=statement, by=by))


@router.post("/claims/{claim_id}/evidence", response={201: ItemOut, **WRITE}, summary="Add evidence")
def evidence_create(request: HttpRequest, claim_id: Id, data: EvidenceIn) -> Status:
    by = _holder(request)
    require(by, Action.EDIT_CLAIM)
    claim = _live_claim(claim_id)
    evidence = Evidence(claim=claim, source=_cited_source(claim, data.source), **data.dict(exclude={"source"}))
    return Status(201, services.claim_item_create(item=evidence, by=by))


# --- A tip ------------------------------------------------------------------------------------------------------


class TipIn(Schema):
    text: str = bounded_text(5000, min_length=1, description="What was claimed")
    url: str = bounded_text(2000, default="", description="Where it was seen")
    contact: str = bounded_text(300, default="", description="The sender's contact, seen only by staff who triage")
    wants_answer: bool = Field(False, description="Tell the sender (by email, `contact`) when it is checked")

    _url = field_validator("url")(_http_url)


class TipOut(Schema):
    id: int
    state: str


@router.post("/tips", response={201: TipOut, **WRITE}, summary="Pass on a tip from a reader")
def tip_create(request: HttpRequest, data: TipIn) -> Status:
    """As the public tip form: matched against the claims and grouped with alike tips by the worker."""
    require(_holder(request), Action.TRIAGE_TIPS)
    if data.wants_answer:
        try:
            validate_email(data.contact)
        except ValidationError:
            raise ValidationError({"contact": _("To be told when it is checked, give an email address.")}) from None
    tip = services.tip_create(text=data.text, url=data.url, contact=data.contact, wants_answer=data.wants_answer)
    return Status(201, tip)
