"""What the public may read: the selectors behind every public surface.

A claim is public if and only if it has a published verdict (and has not been
removed). Everything shown comes from the verdicts' published records, frozen
when they were published (claims.publishing.build), never from the live claim, so
nothing drafted, internal or edited since reaches the public before the next
correction or update is published. While a correction is drafted or in review
the claim keeps its published verdict, so its page keeps the last record.

Listings read only the record's "claim" and "verdict" parts (a projection in
SQL), so a claim with hundreds of statements costs a listing no more than one
with a single statement. Records and their parts are read, and looked up in
queries, through claims.publishing.record.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery

from claims.models import Claim, RatingScale, SiteSettings, Verdict
from claims.publishing import record as schema

PAGE_LENGTH = 20
FEED_LENGTH = 50


# --- Which verdicts and claims are public -------------------------------------------------


def published_verdicts() -> QuerySet:
    """The verdict each public claim shows now: one per claim. A claim merged into another is no longer
    public (its address redirects to the survivor's, whose page lists its verdicts)."""
    return Verdict.objects.filter(
        state=Verdict.State.PUBLISHED, claim__removed_at__isnull=True, claim__merged_into__isnull=True
    )


def first_published_at() -> Subquery:
    """For annotate() on verdicts: when their claim was first published (a correction does not change it)."""
    return Subquery(
        Verdict.objects.filter(claim_id=OuterRef("claim_id"), published_at__isnull=False)
        .order_by("published_at")
        .values("published_at")[:1]
    )


def published_versions() -> QuerySet:
    """Every verdict ever published on a public claim, superseded ones included."""
    return Verdict.objects.filter(published_at__isnull=False, claim__in=published_verdicts().values("claim_id"))


def published_claims() -> QuerySet:
    return Claim.objects.filter(verdicts__state=Verdict.State.PUBLISHED, merged_into__isnull=True)


def not_sample(verdicts: QuerySet) -> QuerySet:
    """Leave out demo content, as its record says. Its pages are labelled and `noindex`; the sitemap,
    the feed and the ClaimReview export, which other sites consume, carry none of it."""
    return verdicts.exclude(schema.is_sample())


# --- Listings: a summary of each verdict, from its record -------------------------------------


@dataclass(frozen=True)
class VerdictSummary:
    """One published verdict as listings show it: the record's claim and verdict parts."""

    kind: str
    published_at: datetime
    claim: schema.RecordClaim
    verdict: schema.RecordVerdict
    repeat_count: int = 0  # read only where a listing shows it (`with_repeats`)

    FIELDS = ("kind", "published_at", schema.VERSION, schema.CLAIM, schema.VERDICT)

    @classmethod
    def from_row(cls, row: dict) -> "VerdictSummary":
        version = row[schema.VERSION]
        return cls(
            kind=row["kind"],
            published_at=row["published_at"],
            claim=schema.read_claim(row[schema.CLAIM], version=version),
            verdict=schema.read_verdict(row[schema.VERDICT], version=version),
            repeat_count=len(schema.read_repeats(row[schema.REPEATS], version=version)) if schema.REPEATS in row else 0,
        )

    @property
    def slug(self) -> str:
        return self.claim.slug

    @property
    def is_sample(self) -> bool:
        return self.claim.is_sample

    @property
    def rating(self) -> schema.Rating | None:
        return self.verdict.rating

    @property
    def kind_label(self) -> str:
        return Verdict.Kind(self.kind).label

    def topic_name(self, slug: str) -> str:
        return self.claim.topic_names.get(slug, slug)

    def person_name(self, user_id: int) -> str:
        """The name under which the staff member `user_id` wrote or reviewed this verdict."""
        for person in (self.verdict.author, self.verdict.reviewer):
            if person is not None and person.id == user_id:
                return person.name
        return ""


def summaries(verdicts: QuerySet) -> list[VerdictSummary]:
    """One query, reading only the parts of the records that a listing shows."""
    return [VerdictSummary.from_row(row) for row in verdicts.values(*VerdictSummary.FIELDS)]


def summary_page(verdicts: QuerySet, number, *, per_page: int = PAGE_LENGTH, with_repeats: bool = False) -> Page:
    """A page of `verdicts` as summaries (a count and one query); `with_repeats`: each one's repeats counted."""
    fields = (*VerdictSummary.FIELDS, schema.REPEATS) if with_repeats else VerdictSummary.FIELDS
    page = Paginator(verdicts.values(*fields), per_page).get_page(number)
    page.object_list = [VerdictSummary.from_row(row) for row in page.object_list]
    return page


def latest_verdicts() -> QuerySet:
    return published_verdicts().order_by("-published_at", "-pk")


def topic_verdicts(slug: str) -> QuerySet:
    return latest_verdicts().filter(schema.in_topic(slug))


def claimant_verdicts(actor_id: int) -> QuerySet:
    return latest_verdicts().filter(schema.by_claimant(actor_id))


def claimant_repeat_count(actor_id: int) -> int:
    """How many times the claims by the actor `actor_id` that we checked were repeated since (approved)."""
    rows = claimant_verdicts(actor_id).values_list(schema.VERSION, schema.REPEATS)
    return sum(len(schema.read_repeats(repeats, version=version)) for version, repeats in rows)


def byline_verdicts(user_id: int) -> QuerySet:
    """The verdicts a staff member wrote or reviewed (a published verdict never changes, nor do these)."""
    return latest_verdicts().filter(Q(author_id=user_id) | Q(reviewer_id=user_id))


def corrections_log() -> QuerySet:
    """Every published correction, update and retraction, newest first. Those of a claim since merged
    into a public one stay in the log: their link leads to the survivor's page, which lists them."""
    public_claims = published_verdicts().values("claim_id")
    return (
        Verdict.objects.filter(published_at__isnull=False)
        .filter(Q(claim__in=public_claims) | Q(claim__merged_into__in=public_claims))
        .exclude(kind=Verdict.Kind.FIRST)
        .order_by("-published_at", "-pk")
    )


def feed_versions() -> list[VerdictSummary]:
    """The newest published verdicts, corrections and retractions, for the Atom feed."""
    return summaries(not_sample(published_versions()).order_by("-published_at", "-pk")[:FEED_LENGTH])


def sitemap_entries() -> list[dict]:
    """Each public claim's slug and when its page last changed."""
    rows = not_sample(published_verdicts()).order_by("-published_at", "-pk")
    return [
        {"slug": row[schema.CLAIM_SLUG], "lastmod": row["published_at"]}
        for row in rows.values(schema.CLAIM_SLUG, "published_at")
    ]


# --- One claim's page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedVersion:
    """One entry of a claim's correction history: the first verdict, or a correction, update or retraction."""

    kind: str
    note: str
    published_at: datetime

    @property
    def kind_label(self) -> str:
        return Verdict.Kind(self.kind).label


@dataclass(frozen=True)
class MergedVersion:
    """A verdict published on a claim since merged into this one, from its record."""

    kind: str
    published_at: datetime
    claim: schema.RecordClaim
    verdict: schema.RecordVerdict

    @property
    def kind_label(self) -> str:
        return Verdict.Kind(self.kind).label


@dataclass
class ClaimPage:
    claim: Claim
    verdict: Verdict  # read without its record, which `record` reads when first asked for
    correction_history: list[PublishedVersion]  # oldest first; the first verdict opens it
    merged_history: list[MergedVersion]  # the verdicts of the claims merged into this one, oldest first

    @cached_property
    def record(self) -> schema.PublishedRecord:
        """The published record (one more query): a page whose rendering is cached never reads it."""
        return schema.read_record(self.verdict.published_record)

    @property
    def first_published_at(self) -> datetime:
        return self.correction_history[0].published_at

    @property
    def updated_at(self) -> datetime | None:
        """When the page last changed, if it has changed since it was first published."""
        return self.verdict.published_at if len(self.correction_history) > 1 else None

    @property
    def latest_correction(self) -> PublishedVersion | None:
        """The latest correction, update or retraction, if the claim has had one since it was first published."""
        return self.correction_history[-1] if len(self.correction_history) > 1 else None

    @property
    def is_retracted(self) -> bool:
        return self.verdict.kind == Verdict.Kind.RETRACTION


def claim_page(slug: str) -> ClaimPage | None:
    """The public claim at `slug` with its latest published record, in two queries (a third reads the record
    itself, when the page asks for it); None if there is none."""
    verdict = published_verdicts().select_related("claim").defer("published_record").filter(claim__slug=slug).first()
    if verdict is None:
        return None
    # Its own versions and those of the claims merged into it, in one query.
    # The claims as a subquery, not an OR across the join: each side stays on its index on a large table.
    claims = Claim.all_objects.filter(Q(pk=verdict.claim_id) | Q(merged_into=verdict.claim_id)).values("pk")
    history = (
        Verdict.objects.filter(claim_id__in=claims, published_at__isnull=False)
        .order_by("published_at", "pk")
        .values("claim_id", "kind", "public_note", "published_at", schema.VERSION, schema.CLAIM, schema.VERDICT)
    )
    own, merged = [], []
    for row in history:
        if row["claim_id"] == verdict.claim_id:
            own.append(PublishedVersion(row["kind"], row["public_note"], row["published_at"]))
            continue
        version = row[schema.VERSION]
        merged.append(
            MergedVersion(
                kind=row["kind"],
                published_at=row["published_at"],
                claim=schema.read_claim(row[schema.CLAIM], version=version),
                verdict=schema.read_verdict(row[schema.VERDICT], version=version),
            )
        )
    return ClaimPage(
        claim=verdict.claim,
        verdict=verdict,
        correction_history=own,
        merged_history=merged,
    )


def current_slug(old_slug: str) -> str | None:
    """Where a public claim once reachable at `old_slug` lives now."""
    return published_claims().filter(old_slugs__slug=old_slug).values_list("slug", flat=True).first()


# --- ClaimReview for partners ------------------------------------------------------------------------


def claim_reviews() -> list[dict]:
    """What claims.publishing.claimreview needs of every public, standing verdict (not sample, not retracted)."""
    verdicts = (
        not_sample(published_verdicts())
        .exclude(kind=Verdict.Kind.RETRACTION)
        .annotate(first_published_at=first_published_at())
        .order_by("-published_at", "-pk")
    )
    return [
        {
            "claim": schema.read_claim(row[schema.CLAIM], version=row[schema.VERSION]),
            "verdict": schema.read_verdict(row[schema.VERDICT], version=row[schema.VERSION]),
            "sources": schema.read_sources(row[schema.SOURCES], version=row[schema.VERSION]),
            "repeats": schema.read_repeats(row[schema.REPEATS], version=row[schema.VERSION]),
            "first_published_at": row["first_published_at"],
            "published_at": row["published_at"],
        }
        for row in verdicts.values(
            "published_at",
            "first_published_at",
            schema.VERSION,
            schema.CLAIM,
            schema.VERDICT,
            schema.SOURCES,
            schema.REPEATS,
        )
    ]


# --- Pages about the newsroom ---------------------------------------------------------------------


@dataclass(frozen=True)
class ShownRating:
    """A rating as the public reads it: in the site's public language where it is translated."""

    id: int
    label: str
    description: str
    value: int | None
    css_class: str


@dataclass(frozen=True)
class ShownScale:
    slug: str
    name: str
    description: str
    conclusion_only: bool
    ratings: list[ShownRating]


def shown_scale(scale: RatingScale, language: str) -> ShownScale:
    """`scale` and its ratings (prefetched with their translations) in `language` where translated."""
    name, description = scale.text_in(language)
    ratings = [
        ShownRating(rating.pk, *rating.text_in(language), value=rating.value, css_class=rating.css_class)
        for rating in scale.ratings.all()
    ]
    return ShownScale(scale.slug, name, description, scale.conclusion_only, ratings)


def rating_scales() -> list[ShownScale]:
    """The active scale and every scale a published verdict has used, each with its ratings in order, in the
    site's public language (four queries)."""
    site = SiteSettings.load()
    active_id = site.active_rating_scale_id
    scales = (
        RatingScale.objects.filter(Q(pk=active_id) | Q(ratings__verdicts__published_at__isnull=False))
        .distinct()
        .prefetch_related("translations", "ratings__translations")
        .order_by("name")
    )
    ordered = sorted(scales, key=lambda scale: scale.pk != active_id)
    return [shown_scale(scale, site.language) for scale in ordered]
