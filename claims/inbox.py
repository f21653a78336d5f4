"""Incoming: imported articles matched against the claims on file, and what staff decide on each match.

`source_match` runs after an article's text is extracted (the import pipeline calls it through
`claims.importing.pipeline`) and stores an `ArticleMatch` per claim whose similarity reaches
`MATCH_SUGGEST_THRESHOLD`, with the article's sentence that matched and where it sits in the text.

Each decision is a service that checks the permission itself and runs in one transaction: add the
sentence as a statement on the claim (the person picks the actor and the stance: nothing guesses a
stance), add it as evidence, cite the article as a source only, record it as a repeat of a published
claim (claims.repeats), or dismiss. A decided pair is never suggested again: its row stays, and matching
the article again leaves it alone; nor is a claim whose repeat in the article is on record already.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from claims import permissions, repeats, services
from claims.dates import DatePrecision
from claims.importing import external
from claims.matching.text import clean, sentence_spans
from claims.models import (
    Actor,
    ArticleMatch,
    Claim,
    ClaimSource,
    Evidence,
    ExternalMatch,
    MatchState,
    Repeat,
    Source,
    Statement,
)
from claims.permissions import Action

# How many claims an article is compared with at most (the best first); a handful reach "suggest".
MATCH_CANDIDATES = 10
IMPORTED = (Source.Origin.FEED, Source.Origin.API)


# --- Matching an article ---------------------------------------------------------------------------------


def locate_sentence(text: str, matched: str) -> tuple[int, int]:
    """The span of `text` the matcher's (cleaned) sentence came from: the sentence that cleans to it, else
    the most alike; the whole text when it was matched whole."""
    spans = sentence_spans(text) or [(0, len(text))]
    cleaned = [clean(text[start:end]) for start, end in spans]
    for span, sentence in zip(spans, cleaned, strict=True):
        if sentence == matched:
            return span
    if clean(text) == matched:
        stripped = len(text) - len(text.lstrip())
        return stripped, len(text.rstrip())
    best = max(range(len(spans)), key=lambda i: SequenceMatcher(None, cleaned[i], matched).ratio())
    return spans[best]


def strength_of(similarity: float) -> str:
    return (
        ArticleMatch.Strength.STRONG if similarity >= settings.MATCH_STRONG_THRESHOLD else ArticleMatch.Strength.SUGGEST
    )


def match_source_by_id(source_id: int) -> None:
    """The worker's entry (claims.tasks.match_source): match the source if it is still on file; running it
    again changes nothing (decided pairs are kept, suggestions are updated in place)."""
    source = Source.objects.filter(pk=source_id).first()
    if source is not None:
        source_match(source=source)


def source_match(*, source: Source) -> list[ArticleMatch]:
    """Store the claims the article matches at or above the "suggest" threshold (idempotent).

    An undecided suggestion is updated with the new figures; a decided pair, or a claim that already
    cites the article, is left alone. Suggestions that no longer reach the threshold are withdrawn.
    """
    from claims.matching.store import claim_index  # the matcher loads only in a process that matches

    if not source.text or source.removed_at is not None:
        return []
    found = [
        m
        for m in claim_index().match(source.text, top=MATCH_CANDIDATES, kinds=["claim"])
        if m.similarity >= settings.MATCH_SUGGEST_THRESHOLD
    ]
    with transaction.atomic():
        live_claims = set(
            Claim.objects.exclude(state__in=(Claim.State.DISMISSED, Claim.State.MERGED))
            .filter(pk__in=[int(m.doc_id) for m in found])
            .values_list("pk", flat=True)
        )
        decided = set(
            ArticleMatch.objects.filter(source=source)
            .exclude(state=MatchState.UNDECIDED)
            .values_list("claim_id", flat=True)
        )
        citing = set(ClaimSource.objects.filter(source=source).values_list("claim_id", flat=True))
        repeated = set(Repeat.objects.filter(source=source).values_list("claim_id", flat=True))
        kept = []
        for match in found:
            claim_id = int(match.doc_id)
            if claim_id not in live_claims or claim_id in decided | citing | repeated:
                continue
            start, end = locate_sentence(source.text, match.sentence)
            row, _created = ArticleMatch.objects.update_or_create(
                source=source,
                claim_id=claim_id,
                defaults={
                    "score": match.score,
                    "similarity": match.similarity,
                    "strength": strength_of(match.similarity),
                    "sentence": source.text[start:end],
                    "sentence_start": start,
                    "sentence_end": end,
                },
            )
            kept.append(row)
        ArticleMatch.objects.filter(source=source, state=MatchState.UNDECIDED).exclude(
            pk__in=[row.pk for row in kept]
        ).delete()
    # Other organisations' fact-checks the article speaks to: shown beside it, with a link to theirs.
    external.record_external_matches(
        text=source.text,
        source=source,
        sentence_of=lambda matched: source.text[slice(*locate_sentence(source.text, matched))],
    )
    return kept


# --- Reads -----------------------------------------------------------------------------------------------


# Other organisations' fact-checks an article matched (ExternalMatch), best first, as `checked_elsewhere`.
def _checked_elsewhere() -> Prefetch:
    return Prefetch(
        "external_matches", queryset=ExternalMatch.objects.select_related("fact_check"), to_attr="checked_elsewhere"
    )


def _undecided(queryset: QuerySet) -> QuerySet:
    return queryset.filter(state=MatchState.UNDECIDED, claim__removed_at__isnull=True)


def undecided_count() -> int:
    """Undecided matches of live articles to live claims (the staff navigation shows it)."""
    return _undecided(ArticleMatch.objects.filter(source__removed_at__isnull=True)).count()


def incoming_articles(
    *, feed_id: int | None = None, matched: str = "", decided: str = "", claim_id: int | None = None
) -> QuerySet:
    """Imported articles, newest first, each with its matches (best first, their claims joined).

    `matched`: "yes" (some claim matched) or "no"; `decided`: "undecided" (a match waits for a
    decision) or "decided" (matched, and every match decided); `claim_id`: matched to that claim.
    """
    articles = Source.objects.filter(origin__in=IMPORTED).select_related("feed").order_by("-created_at", "-pk")
    matches = ArticleMatch.objects.filter(source=OuterRef("pk"), claim__removed_at__isnull=True)
    if feed_id:
        articles = articles.filter(feed_id=feed_id)
    if matched == "yes":
        articles = articles.filter(Exists(matches))
    elif matched == "no":
        articles = articles.filter(~Exists(matches))
    if decided == "undecided":
        articles = articles.filter(Exists(matches.filter(state=MatchState.UNDECIDED)))
    elif decided == "decided":
        articles = articles.filter(Exists(matches)).filter(~Exists(matches.filter(state=MatchState.UNDECIDED)))
    if claim_id:
        articles = articles.filter(Exists(matches.filter(claim_id=claim_id)))
    return articles.prefetch_related(
        Prefetch(
            "matches",
            queryset=ArticleMatch.objects.filter(claim__removed_at__isnull=True).select_related("claim", "decided_by"),
            to_attr="live_matches",
        ),
        _checked_elsewhere(),
    )


def article_for_inbox(pk: int) -> Source:
    return (
        Source.objects.filter(origin__in=IMPORTED)
        .select_related("feed")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=ArticleMatch.objects.filter(claim__removed_at__isnull=True).select_related(
                    "claim", "decided_by"
                ),
                to_attr="live_matches",
            ),
            _checked_elsewhere(),
        )
        .get(pk=pk)
    )


def match_for_decision(pk: int) -> ArticleMatch:
    return ArticleMatch.objects.select_related("source", "claim", "decided_by").get(
        pk=pk, claim__removed_at__isnull=True, source__removed_at__isnull=True
    )


@dataclass
class Passage:
    """A stretch of an article's text: a matched sentence (with its matches) or the text between."""

    text: str
    matches: list[ArticleMatch] = field(default_factory=list)
    number: int = 0  # the matched sentence's number on the page (1, 2, …), 0 for plain text


def passages(text: str, matches: list[ArticleMatch]) -> list[Passage]:
    """The text cut at its matched sentences, in order; a sentence several claims matched is one passage.
    Spans that overlap an earlier one are shown with it (the text itself is never repeated)."""
    by_span: dict[tuple[int, int], list[ArticleMatch]] = {}
    for match in matches:
        if 0 <= match.sentence_start < match.sentence_end <= len(text):
            by_span.setdefault((match.sentence_start, match.sentence_end), []).append(match)
    result, position, number = [], 0, 0
    for (start, end), found in sorted(by_span.items()):
        if start < position:  # overlaps the passage before: its matches join that one
            result[-1].matches.extend(found)
            continue
        if start > position:
            result.append(Passage(text[position:start]))
        number += 1
        result.append(Passage(text[start:end], sorted(found, key=lambda m: -m.similarity), number))
        position = end
    if position < len(text):
        result.append(Passage(text[position:]))
    return result


def article_sentences(source: Source) -> list[tuple[int, int, str]]:
    """The article's sentences with their spans, for choosing one to become a claim."""
    return [(start, end, source.text[start:end]) for start, end in sentence_spans(source.text)]


NAME_WORD = re.compile(r"\b[A-Z][\w'-]{3,}")


def actors_named_in(sentence: str) -> list[Actor]:
    """Actors on file named in the sentence: by their full name, or by the last word of it (a surname)."""
    words = set(NAME_WORD.findall(sentence))
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(name__icontains=word)
    lowered = sentence.lower()
    named = []
    for actor in Actor.objects.filter(query).order_by("name")[:50]:
        surname = actor.name.split()[-1].lower()
        if actor.name.lower() in lowered or (len(surname) > 3 and re.search(rf"\b{re.escape(surname)}\b", lowered)):
            named.append(actor)
    return named


# --- Writes ----------------------------------------------------------------------------------------------


def _locked_undecided(match: ArticleMatch) -> ArticleMatch:
    """The match, locked; refused with a clear message if someone decided it meanwhile."""
    locked = (
        ArticleMatch.objects.select_for_update(of=("self",))
        .select_related("source", "claim", "decided_by")
        .get(pk=match.pk)
    )
    if locked.is_decided:
        who = f" by {locked.decided_by.get_username()}" if locked.decided_by else ""
        raise ValidationError(
            f"This match was already decided{who}: “{locked.get_state_display().lower()}”. Nothing was changed."
        )
    if locked.claim.removed_at is not None:
        raise ValidationError(gettext("The claim was removed meanwhile. Nothing was changed."))
    return locked


def _decided(match: ArticleMatch, *, state: str, by) -> ArticleMatch:
    match.state, match.decided_by, match.decided_at = state, by, timezone.now()
    match.save(update_fields=["state", "decided_by", "decided_at"])
    return match


def _cite(match: ArticleMatch, *, by, role: str) -> None:
    """Cite the article on the claim, unless it is cited already."""
    if not ClaimSource.objects.filter(claim=match.claim, source=match.source).exists():
        services.claim_source_add(claim=match.claim, source=match.source, by=by, role=role)


@transaction.atomic
def match_dismiss(*, match: ArticleMatch, by) -> ArticleMatch:
    """Not about this claim: the pair is never suggested again."""
    permissions.require(by, Action.EDIT_CLAIM)
    return _decided(_locked_undecided(match), state=MatchState.DISMISSED, by=by)


@transaction.atomic
def matches_dismiss(*, match_ids: list[int], by) -> int:
    """Dismiss every undecided match among `match_ids` (those decided meanwhile are left as they are)."""
    permissions.require(by, Action.EDIT_CLAIM)
    return ArticleMatch.objects.filter(pk__in=match_ids, state=MatchState.UNDECIDED).update(
        state=MatchState.DISMISSED, decided_by=by, decided_at=timezone.now()
    )


@transaction.atomic
def match_cite(*, match: ArticleMatch, by, role: str = ClaimSource.Role.APPEARANCE) -> ArticleMatch:
    """Cite the article on the claim as a source, and nothing more."""
    permissions.require(by, Action.EDIT_CLAIM)
    locked = _locked_undecided(match)
    _cite(locked, by=by, role=role)
    return _decided(locked, state=MatchState.CITED, by=by)


@transaction.atomic
def match_add_evidence(*, match: ArticleMatch, by, summary: str, stance: str, internal_note: str = "") -> Evidence:
    """The article becomes evidence on the claim (cited as evidence too); the person chooses the stance."""
    permissions.require(by, Action.EDIT_CLAIM)
    locked = _locked_undecided(match)
    if stance not in Evidence.Stance.values:
        raise ValidationError(
            {"stance": gettext("Choose whether the evidence supports or refutes the claim, or is context.")}
        )
    evidence = Evidence(
        claim=locked.claim,
        source=locked.source,
        url=locked.source.url,
        summary=summary.strip(),
        stance=stance,
        internal_note=internal_note.strip(),
    )
    services.claim_item_create(item=evidence, by=by)
    _cite(locked, by=by, role=ClaimSource.Role.EVIDENCE)
    _decided(locked, state=MatchState.EVIDENCE, by=by)
    return evidence


@transaction.atomic
def match_add_statement(
    *,
    match: ArticleMatch,
    by,
    actor: Actor,
    stance: str,
    quote: str,
    date: date | None,
    date_precision: str,
    date_note: str = "",
    second_hand: bool = False,
) -> Statement:
    """The sentence becomes a statement on the claim, with the article as its source (cited on the claim).
    The person picks the actor and the stance: nothing here guesses either."""
    permissions.require(by, Action.EDIT_CLAIM)
    locked = _locked_undecided(match)
    if stance not in Statement.Stance.values:
        raise ValidationError({"stance": gettext("Choose the stance: what the actor says about the claim.")})
    if actor is None:
        raise ValidationError({"actor": gettext("Choose who said it.")})
    statement = Statement(
        claim=locked.claim,
        actor=actor,
        source=locked.source,
        quote=quote.strip(),
        quote_language=locked.source.language or locked.claim.language,
        stance=stance,
        second_hand=second_hand,
        date=date,
        date_precision=date_precision,
        date_note=date_note,
    )
    services.claim_item_create(item=statement, by=by)
    _cite(locked, by=by, role=ClaimSource.Role.APPEARANCE)
    _decided(locked, state=MatchState.STATEMENT, by=by)
    return statement


@transaction.atomic
def match_record_repeat(
    *, match: ArticleMatch, by, actor: Actor, sentence: str, date: date | None, date_precision: str, date_note: str = ""
) -> Repeat:
    """The article repeats a claim whose verdict is published: a repeat on record, for review (claims.repeats).
    The article is not cited on the claim: the verdict was checked without it."""
    permissions.require(by, Action.RECORD_REPEAT)
    locked = _locked_undecided(match)
    repeat = repeats.repeat_record(
        claim=locked.claim,
        source=locked.source,
        actor=actor,
        sentence=sentence,
        date=date,
        date_precision=date_precision,
        date_note=date_note,
        match=locked,
        by=by,
    )
    _decided(locked, state=MatchState.REPEAT, by=by)
    return repeat


@transaction.atomic
def source_claim_create(*, source: Source, start: int, end: int, by) -> Claim:
    """A sentence of an article that matched nothing becomes a new claim, the article cited as where it
    appeared. The claim's wording is the sentence's, to be made checkable in its workspace."""
    permissions.require(by, Action.CREATE_CLAIM)
    if (start, end) not in set(sentence_spans(source.text)):
        raise ValidationError({"sentence": gettext("Choose one of the article's sentences.")})
    sentence = source.text[start:end]
    claim = services.claim_create(
        by=by,
        text=sentence,
        first_appearance=source,
        language=source.language or "en",
        date=source.date,
        date_precision=source.date_precision,
        date_calendar=source.date_calendar,
        date_note=source.date_note,
    )
    services.claim_source_add(claim=claim, source=source, by=by, role=ClaimSource.Role.APPEARANCE)
    ArticleMatch.objects.create(
        source=source,
        claim=claim,
        score=0.0,
        similarity=1.0,
        strength=ArticleMatch.Strength.STRONG,
        sentence=sentence,
        sentence_start=start,
        sentence_end=end,
        state=MatchState.CITED,
        decided_by=by,
        decided_at=timezone.now(),
    )
    return claim


def statement_initial(match: ArticleMatch) -> dict:
    """What the statement form starts with: the sentence as the quote, the article's date."""
    source = match.source
    return {
        "quote": match.sentence,
        "date": source.date,
        "date_precision": source.date_precision if source.date else DatePrecision.UNKNOWN,
        "date_note": source.date_note,
    }


# --- Retention -------------------------------------------------------------------------------------------


def delete_expired_article_text(*, now: datetime | None = None) -> int:
    """Blank the text and delete the snapshot of imported articles older than the retention period that no
    claim cites and that matched nothing undecided or accepted (unmatched, or every match dismissed).

    The row stays (the feed's entry points at it, so it is not imported again). Returns how many.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IMPORTED_TEXT_RETENTION_DAYS)
    kept_matches = ArticleMatch.objects.filter(source=OuterRef("pk")).exclude(state=MatchState.DISMISSED)
    expired = (
        Source.all_objects.filter(origin__in=IMPORTED, created_at__lt=cutoff)
        .filter(~Exists(ClaimSource.all_objects.filter(source=OuterRef("pk"))))
        .filter(~Exists(kept_matches))
        .filter(~Exists(Statement.all_objects.filter(source=OuterRef("pk"))))
        .filter(~Exists(Evidence.all_objects.filter(source=OuterRef("pk"))))
        .filter(~Exists(Claim.all_objects.filter(first_appearance=OuterRef("pk"))))
        .exclude(text="", snapshot="")
    )
    deleted = 0
    for source in expired.iterator():
        if source.snapshot:
            source.snapshot.delete(save=False)
        source.text, source.snapshot = "", ""
        source._history_user, source._change_reason = None, "Text and snapshot deleted after the retention period"
        source.save(update_fields=["text", "snapshot", "updated_at"])
        Source.history.filter(id=source.pk).update(text="")  # earlier versions held the text too
        deleted += 1
    return deleted
