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
from math import ceil
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, Expression, F, FloatField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
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


def per_public_generation(name: str, compute, *, timeout: int = PAGE_SECONDS):
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
    cache.set(name, (generation, value), timeout)
    return value


NEWEST_FIRST = (F("published_at").desc(), F("pk").desc())


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
    verdicts = _filtered(
        rating=rating,
        topic=topic,
        claimant=claimant,
        published_from=published_from,
        published_to=published_to,
        language=language,
    )
    query = query.strip()
    if not query:
        return verdicts.order_by(*NEWEST_FIRST)
    if connection.vendor == "postgresql":
        return full_text_match(verdicts, query)
    return substring_match(verdicts, query)


def _public() -> QuerySet:
    return pages.published_verdicts().annotate(first_published_at=pages.first_published_at())


def _filtered(
    *,
    rating: Rating | None = None,
    topic: str = "",
    claimant: int | None = None,
    published_from: date | None = None,
    published_to: date | None = None,
    language: str = "",
) -> QuerySet:
    verdicts = _public()
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
    return verdicts


@dataclass(frozen=True)
class TextMatch:
    """What a query finds (a condition on verdicts) and how well each one matches (an expression)."""

    where: Q
    rank: Expression


def text_match(query: str) -> TextMatch | None:
    """The query as a condition and a rank for this database; None if it can find nothing."""
    if connection.vendor == "postgresql":
        return _full_text(query)
    return _words(query)


def full_text_match(verdicts: QuerySet, query: str) -> QuerySet:
    """PostgreSQL: the folded query parsed in each configuration the documents use, ranked by weight."""
    return _ranked(verdicts, _full_text(query))


def _full_text(query: str) -> TextMatch | None:
    configs = per_public_generation(
        "search:configs", lambda: sorted(ClaimSearchDocument.objects.values_list("config", flat=True).distinct())
    )
    if not configs:
        return None
    query = folded(query)
    search = reduce(or_, (SearchQuery(query, config=config, search_type="websearch") for config in configs))
    return TextMatch(
        where=Q(claim__search_document__document=search),
        rank=SearchRank(F("claim__search_document__document"), search),
    )


def _ranked(verdicts: QuerySet, match: TextMatch | None) -> QuerySet:
    if match is None:
        return verdicts.none()
    return verdicts.filter(match.where).annotate(rank=match.rank).order_by("-rank", *NEWEST_FIRST)


# Each word found scores the weight of the best part that holds it (PostgreSQL's default weights).
WORD_WEIGHTS = (("weight_a", 1.0), ("weight_b", 0.4), ("weight_c", 0.2), ("weight_d", 0.1))


def substring_match(verdicts: QuerySet, query: str) -> QuerySet:
    """Any database: each of the query's words somewhere in the claim's search text, in any script.

    Ranked by where each word is found (the claim above the headline and names, above the explanation,
    above the statements, evidence and sources); among equals, the newest first.
    """
    return _ranked(verdicts, _words(query))


def _words(query: str) -> TextMatch | None:
    words = folded(query).split()[:MAX_QUERY_WORDS]
    if not words:
        return None
    conditions: list[Q] = []
    scores: list[Case] = []
    for word in words:
        found = [(Q(**{f"claim__search_text__{part}__contains": word}), weight) for part, weight in WORD_WEIGHTS]
        conditions.append(reduce(or_, (where for where, _ in found)))
        scores.append(Case(*(When(where, then=Value(weight)) for where, weight in found), output_field=FloatField()))
    return TextMatch(where=reduce(and_, conditions), rank=sum(scores[1:], start=scores[0]))


@dataclass(frozen=True)
class SearchResult(pages.VerdictSummary):
    """A listing's summary of the verdict, and when its claim was first published."""

    first_published_at: datetime | None = None

    FIELDS = (*pages.VerdictSummary.FIELDS, "first_published_at")

    @classmethod
    def from_row(cls, row: dict) -> "SearchResult":
        summary = pages.VerdictSummary.from_row(row)
        return cls(**vars(summary), first_published_at=row["first_published_at"])


# --- The search page: a capped search, kept per public generation ----------------------------

# Only this many matches, the newest, are counted and ranked: a query that matches most of a large corpus
# then costs about what one that matches this many does, and the page says so when it happens.
RESULT_CAP = 1000
RESULTS_SECONDS = 300  # what a made-up search shows leaves the cache soon; a publication outdates it all at once


@dataclass(frozen=True)
class ResultPage:
    """A page of the search page's results: what the template reads of Django's Page, with the count capped."""

    object_list: list[SearchResult]
    number: int
    count: int  # matches counted, at most RESULT_CAP
    more: bool  # more matched than were counted (and ranked): the newest RESULT_CAP were
    per_page: int = pages.PAGE_LENGTH

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.count / self.per_page))

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def page_number(asked: str | None, *, per_page: int = pages.PAGE_LENGTH) -> int:
    """The page asked for, between 1 and the last a capped search can have (as Paginator.get_page reads it)."""
    try:
        number = int(asked or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), ceil(RESULT_CAP / per_page))


def search_page(
    number: int, *, query: str, cap: int | None = None, per_page: int = pages.PAGE_LENGTH, **filters
) -> ResultPage:
    """Page `number` of what search_public_claims() finds, counting and ranking only the `cap` newest matches.

    Two queries. The first finds the newest matches (one more than `cap`, to tell whether there are more) by the
    filters and the text index alone, counts them by a window, ranks the `cap` newest and takes the page's ids;
    the second reads those verdicts. A page past the last gives the last, as Paginator.get_page does.
    """
    cap = RESULT_CAP if cap is None else cap
    verdicts = _filtered(**filters)
    match = text_match(query) if query.strip() else None
    if match is not None:
        verdicts = verdicts.filter(match.where)
    elif query.strip():
        return ResultPage(object_list=[], number=1, count=0, more=False, per_page=per_page)
    newest = verdicts.order_by(*NEWEST_FIRST).values("pk")[: cap + 1]
    ranked = (
        Verdict.objects.filter(pk__in=newest)
        .annotate(found=Window(Count("*")), newness=Window(RowNumber(), order_by=NEWEST_FIRST))
        .filter(newness__lte=cap)
    )
    if match is not None:
        ranked = ranked.annotate(rank=match.rank).order_by("-rank", *NEWEST_FIRST)
    else:
        ranked = ranked.order_by(*NEWEST_FIRST)
    ids = ranked.values_list("pk", "found")
    chosen = list(ids[(number - 1) * per_page : number * per_page])
    if not chosen and number > 1:
        number = max(1, ceil(min(Verdict.objects.filter(pk__in=newest).count(), cap) / per_page))
        chosen = list(ids[(number - 1) * per_page : number * per_page])
    # The page's records are read apart, for its rows alone (reading them in the ranking would read them all).
    records = Verdict.objects.filter(pk__in=[pk for pk, _ in chosen]).annotate(
        first_published_at=pages.first_published_at()
    )
    rows = {row["pk"]: row for row in records.values(*SearchResult.FIELDS, "pk")} if chosen else {}
    found = chosen[0][1] if chosen else 0
    return ResultPage(
        object_list=[
            SearchResult.from_row(rows[pk]) for pk, _ in chosen if pk in rows
        ],  # one deleted meanwhile is left out
        number=number,
        count=min(found, cap),
        more=found > cap,
        per_page=per_page,
    )


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
