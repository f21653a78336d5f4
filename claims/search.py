"""Search over public claims: ranked full-text search on PostgreSQL, a ranked word match elsewhere.

Only published records are read: the text searched, the filters and what a
result shows all come from the published verdicts (their frozen records and
their ratings), never from the claim as it is being edited, so drafts,
internal notes and changes not yet published cannot be found.

What is searched, by weight: A the claim, B the headline, claimant and
topics, C the explanation, D the statements (who, the quote and its original
text), the evidence, the right of reply and the sources (title, publisher,
author; a confidential one by its description). Text is folded first, the
query as the documents (`claims.text_normal`): Unicode compatibility forms,
letter case, the Arabic and Persian forms of the same letter, vowel marks,
tatweel, joiners and digits, so any script matches as it is typed; a word
written with a zero-width non-joiner is also indexed as its parts.

On PostgreSQL each public claim has a ClaimSearchDocument: those weights as
a tsvector in the text-search configuration of the claim's language, under a
GIN index. On every database it has a ClaimSearchText: the same four texts,
which the word match reads where PostgreSQL is not (SQLite, `make run`). Both
are written when a verdict is published.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from html import unescape
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils.html import strip_tags

from claims.models import ClaimSearchDocument, ClaimSearchText, Rating, SiteSettings, Verdict, primary_language
from claims.publishing import pages
from claims.publishing import record as schema
from claims.publishing.cache import GENERATION_KEY, PAGE_SECONDS, public_generation
from claims.text_normal import folded, with_zwnj_parts

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
    return LANGUAGE_CONFIGS.get(primary_language(language), FALLBACK_CONFIG)


# --- Writing the search documents -----------------------------------------------------------


def _plain(html: str) -> str:
    """Sanitised HTML as text; block ends become spaces, so "one.</p><p>Two" stays two words."""
    return unescape(strip_tags(html.replace("<", " <")))


def _source_words(source: schema.Source) -> str:
    if isinstance(source, schema.ConfidentialSource):
        return source.description
    return f"{source.title} {source.publisher} {source.author}"


def document_parts(record: schema.PublishedRecord) -> tuple[str, str, str, str]:
    """The published record's text by weight, folded (and the parts of words joined by a ZWNJ): A, B, C, D
    (see the module's docstring)."""
    claim, verdict, claimant = record.claim, record.verdict, record.claim.claimant
    parts = (
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
                *(_source_words(source) for source in record.sources),
            ]
        ),
    )
    a, b, c, d = (with_zwnj_parts(part) for part in parts)
    return a, b, c, d


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
    """Store the claim's published record as its search text and, on PostgreSQL, its search document."""
    a, b, c, d = document_parts(record)
    ClaimSearchText.objects.update_or_create(
        claim_id=claim_id, defaults={"weight_a": a, "weight_b": b, "weight_c": c, "weight_d": d}
    )
    if cursor.db.vendor == "postgresql":
        config = text_search_config(record.claim.language)
        cursor.execute(UPSERT_SQL, {"claim": claim_id, "config": config, "a": a, "b": b, "c": c, "d": d})


def search_document_update(*, verdict: Verdict) -> None:
    """Index the record of a verdict just published, in the publishing transaction."""
    with connection.cursor() as cursor:
        record = schema.read_record(verdict.published_record)
        write_search_document(cursor, claim_id=verdict.claim_id, record=record)


def rebuild_search_documents(db_connection, published) -> int:
    """Replace every search text (and document, on PostgreSQL) with one per (claim id, stored record) of
    `published`."""
    count = 0
    ClaimSearchText.objects.all().delete()
    with db_connection.cursor() as cursor:
        if db_connection.vendor == "postgresql":
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
    found = cache.get_many([GENERATION_KEY, name])  # one round trip: the generation and the value kept with it
    generation = found.get(GENERATION_KEY) or public_generation()
    kept = found.get(name)
    if kept is not None and kept[0] == generation:
        return kept[1]
    value = compute()
    cache.set(name, (generation, value), PAGE_SECONDS)
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
    """PostgreSQL: the folded query parsed in each configuration the documents use, ranked by weight."""
    configs = per_public_generation(
        "search:configs", lambda: sorted(ClaimSearchDocument.objects.values_list("config", flat=True).distinct())
    )
    if not configs:
        return verdicts.none()
    query = folded(query)
    search = reduce(or_, (SearchQuery(query, config=config, search_type="websearch") for config in configs))
    return (
        verdicts.filter(claim__search_document__document=search)
        .annotate(rank=SearchRank(F("claim__search_document__document"), search))
        .order_by("-rank", "-published_at", "-pk")
    )


# Each word found scores the weight of the best part that holds it (PostgreSQL's default weights).
WORD_WEIGHTS = (("weight_a", 1.0), ("weight_b", 0.4), ("weight_c", 0.2), ("weight_d", 0.1))


def substring_match(verdicts: QuerySet, query: str) -> QuerySet:
    """Any database: each of the query's words somewhere in the claim's search text, in any script.

    Ranked by where each word is found (the claim above the headline and names, above the explanation,
    above the statements, evidence and sources); among equals, the newest first.
    """
    words = folded(query).split()[:MAX_QUERY_WORDS]
    if not words:
        return verdicts.none()
    scores: list[Case] = []
    for word in words:
        found = [(Q(**{f"claim__search_text__{part}__contains": word}), weight) for part, weight in WORD_WEIGHTS]
        verdicts = verdicts.filter(reduce(or_, (where for where, _ in found)))
        scores.append(Case(*(When(where, then=Value(weight)) for where, weight in found), output_field=FloatField()))
    rank = sum(scores[1:], start=scores[0])
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
    rating_labels: dict[int, str]  # rating id -> its label in the site's public language
    claimants: list[tuple[int, str]]  # (actor id, name)


def search_facets() -> SearchFacets:
    """The filters' choices, from the published records (three queries, then none until the next publication)."""
    return per_public_generation("search:facets", _facets)


def _facets() -> SearchFacets:
    published = pages.published_verdicts()
    ratings = list(
        Rating.objects.filter(verdicts__in=published)
        .distinct()
        .order_by("scale__name", "order", "pk")
        .prefetch_related("translations")
    )
    language = SiteSettings.load().language
    # Only what the filters can find: a claimant with an id, a topic in the index (see in_topic, by_claimant). Read
    # as distinct values in the database: a million records are a second there, minutes read one by one here.
    claimants = schema.claimant_names(published)
    topics = schema.topic_names(published)
    return SearchFacets(
        ratings=ratings,
        rating_labels={rating.pk: rating.text_in(language)[0] for rating in ratings},
        topics=sorted(topics.items(), key=lambda item: item[1].casefold()),
        claimants=sorted(claimants.items(), key=lambda item: item[1].casefold()),
    )
