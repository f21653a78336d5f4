"""Search over public claims: ranked full-text search on PostgreSQL, a substring match elsewhere.

Only published records are read: the text searched, the filters and what a
result shows all come from the published verdicts (their frozen records and
their ratings), never from the claim as it is being edited, so drafts,
internal notes and changes not yet published cannot be found.

On PostgreSQL each public claim has a ClaimSearchDocument: its record as a
weighted tsvector (A the claim, B the headline, claimant and topics, C the
explanation, D statements, evidence and the right of reply) in the
text-search configuration of the claim's language, under a GIN index. It is
written when a verdict is published. Elsewhere (SQLite, `make run`) the same
selector matches words in the claim, headline, claimant and explanation.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from html import unescape
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, FloatField, QuerySet, Value, When
from django.utils.html import strip_tags

from claims.models import ClaimSearchDocument, Rating, Verdict
from claims.publishing import pages
from claims.publishing import record as schema
from claims.publishing.cache import PAGE_SECONDS, public_generation

# PostgreSQL's text-search configurations by language (BCP 47 primary subtag).
# Languages without one, Persian among them, use "simple": words are lower-cased, not stemmed.
LANGUAGE_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian", "nb": "norwegian",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
FALLBACK_CONFIG = "simple"
MAX_QUERY_WORDS = 12  # the substring fallback makes one condition per word


def text_search_config(language: str) -> str:
    return LANGUAGE_CONFIGS.get(language.split("-")[0].strip().lower(), FALLBACK_CONFIG)


# --- Writing the search documents (PostgreSQL) ---------------------------------------------


def _plain(html: str) -> str:
    """Sanitised HTML as text; block ends become spaces, so "one.</p><p>Two" stays two words."""
    return unescape(strip_tags(html.replace("<", " <")))


def document_parts(record: schema.PublishedRecord) -> tuple[str, str, str, str]:
    """The published record's text by weight: A, B, C, D (see the module's docstring)."""
    claim, verdict, claimant = record.claim, record.verdict, record.claim.claimant
    return (
        claim.text,
        " ".join(
            [
                verdict.headline,
                claimant.name if claimant else "",
                claimant.title if claimant else "",
                *(topic.name for topic in claim.topics),
            ]
        ),
        " ".join([_plain(verdict.explanation), verdict.public_note]),
        " ".join(
            [
                *(f"{s.actor.name} {s.quote} {s.original_quote}" for s in record.statements),
                *(evidence.summary for evidence in record.evidence),
                *(f"{o.contacted} {o.response}" for o in record.outreach),
            ]
        ),
    )


UPSERT_SQL = """
INSERT INTO claims_claimsearchdocument (claim_id, config, document)
VALUES (
    %(claim)s, %(config)s,
    setweight(to_tsvector(%(config)s::regconfig, %(a)s), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, %(b)s), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, %(c)s), 'C')
    || setweight(to_tsvector(%(config)s::regconfig, %(d)s), 'D')
)
ON CONFLICT (claim_id) DO UPDATE SET config = EXCLUDED.config, document = EXCLUDED.document
"""


def write_search_document(cursor, *, claim_id: int, record: schema.PublishedRecord) -> None:
    """Store the claim's published record as its search document (PostgreSQL only)."""
    a, b, c, d = document_parts(record)
    config = text_search_config(record.claim.language)
    cursor.execute(UPSERT_SQL, {"claim": claim_id, "config": config, "a": a, "b": b, "c": c, "d": d})


def search_document_update(*, verdict: Verdict) -> None:
    """Index the record of a verdict just published, in the publishing transaction.

    Elsewhere than PostgreSQL search reads the records directly: nothing to do.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        record = schema.read_record(verdict.published_record)
        write_search_document(cursor, claim_id=verdict.claim_id, record=record)


def rebuild_search_documents(db_connection, published) -> int:
    """Replace every search document with one per (claim id, stored record) of `published`. PostgreSQL only."""
    count = 0
    with db_connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_claimsearchdocument")
        for claim_id, stored in published:
            write_search_document(cursor, claim_id=claim_id, record=schema.read_record(stored))
            count += 1
    return count


# --- Reading ---------------------------------------------------------------------------


def per_public_generation(name: str, compute):
    """A value read from what the public sees, kept in the shared cache until that changes.

    Publishing (and anything else that changes the public side) replaces the public
    generation (claims.publishing.cache), so a stale value is never read again.
    """
    key = f"{name}:{public_generation()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, PAGE_SECONDS)
    return value


def search_public_claims(
    query: str = "",
    *,
    rating: Rating | None = None,
    topic: str = "",
    claimant: int | None = None,
    published_from: date | None = None,
    published_to: date | None = None,
    language: str = "",
) -> QuerySet:
    """The published verdicts of public claims that match `query` and the filters, best match first.

    `topic` is a topic's slug, `claimant` an actor's id, the dates bound the day the
    claim was first published, `language` is a BCP 47 code (its region ignored). Each verdict
    carries `first_published_at` and, when there is a query, `rank`; without a query, the latest
    published (as on the home page) come first.
    """
    verdicts = pages.published_verdicts().annotate(first_published_at=pages.first_published_at())
    if rating is not None:
        verdicts = verdicts.filter(rating=rating)
    if topic:
        verdicts = verdicts.filter(schema.in_topic(topic))
    if claimant is not None:
        verdicts = verdicts.filter(schema.by_claimant(claimant))
    if published_from is not None:
        verdicts = verdicts.filter(first_published_at__date__gte=published_from)
    if published_to is not None:
        verdicts = verdicts.filter(first_published_at__date__lte=published_to)
    if language:
        verdicts = verdicts.filter(schema.in_language(language))
    query = query.strip()
    if not query:
        return verdicts.order_by("-published_at", "-pk")
    if connection.vendor == "postgresql":
        return full_text_match(verdicts, query)
    return substring_match(verdicts, query)


def full_text_match(verdicts: QuerySet, query: str) -> QuerySet:
    """PostgreSQL: the query parsed in each configuration the documents use, ranked by weight."""
    configs = per_public_generation(
        "search:configs", lambda: sorted(ClaimSearchDocument.objects.values_list("config", flat=True).distinct())
    )
    if not configs:
        return verdicts.none()
    search = reduce(or_, (SearchQuery(query, config=config, search_type="websearch") for config in configs))
    return (
        verdicts.filter(claim__search_document__document=search)
        .annotate(rank=SearchRank(F("claim__search_document__document"), search))
        .order_by("-rank", "-published_at", "-pk")
    )


def substring_match(verdicts: QuerySet, query: str) -> QuerySet:
    """Any database: each word somewhere in the claim, headline, claimant or explanation.

    Claims whose own text holds every word come first.
    """
    words = query.split()[:MAX_QUERY_WORDS]
    for word in words:
        verdicts = verdicts.filter(schema.mentions(word))
    in_claim = reduce(and_, (schema.claim_text_contains(word) for word in words))
    rank = Case(When(in_claim, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    return verdicts.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")


@dataclass(frozen=True)
class SearchResult(pages.VerdictSummary):
    """A listing's summary of the verdict, and when its claim was first published."""

    first_published_at: datetime | None = None

    FIELDS = (*pages.VerdictSummary.FIELDS, "first_published_at")

    @classmethod
    def from_row(cls, row: dict) -> "SearchResult":
        summary = pages.VerdictSummary.from_row(row)
        return cls(**vars(summary), first_published_at=row["first_published_at"])


def result_page(results: QuerySet, number, *, per_page: int = pages.PAGE_LENGTH) -> Page:
    """A page of search results as SearchResults (a count and one query)."""
    page = Paginator(results.values(*SearchResult.FIELDS), per_page).get_page(number)
    page.object_list = [SearchResult.from_row(row) for row in page.object_list]
    return page


@dataclass(frozen=True)
class SearchFacets:
    """What the filters offer: only values that some public claim has."""

    ratings: list[Rating]
    topics: list[tuple[str, str]]  # (slug, name)
    claimants: list[tuple[int, str]]  # (actor id, name)


def search_facets() -> SearchFacets:
    """The filters' choices, from the published records (two queries, then none until the next publication)."""
    return per_public_generation("search:facets", _facets)


def _facets() -> SearchFacets:
    published = pages.published_verdicts()
    ratings = Rating.objects.filter(verdicts__in=published).distinct().order_by("scale__name", "order", "pk")
    topics, claimants = {}, {}
    for version, stored_claim in published.values_list(schema.VERSION, schema.CLAIM):
        claim = schema.read_claim(stored_claim, version=version)
        # Only what the filters can find: a claimant with an id, a topic in the index (see in_topic, by_claimant).
        if claim.claimant and claim.claimant.id is not None:
            claimants[claim.claimant.id] = claim.claimant.name
        topics.update(claim.topic_names)
    return SearchFacets(
        ratings=list(ratings),
        topics=sorted(topics.items(), key=lambda item: item[1].casefold()),
        claimants=sorted(claimants.items(), key=lambda item: item[1].casefold()),
    )
