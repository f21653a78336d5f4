"""Reading a ClaimReview source into external fact-checks: what the worker's task and the staff's "read
now" and file upload run (docs/architecture.md, "Other fact-checkers' verdicts").

read a source (the safe fetcher, a conditional GET; or the uploaded file) → `claimreview.parse` →
upsert `ExternalFactCheck` by review URL → the source's last result (counts per outcome, the first
reasons) → the matcher's generation raised on commit, so every process indexes the new fact-checks.

Idempotent: a read works on the source claimed with a conditional update (`reading_since`), so a second
delivery of the same job does nothing; fact-checks are known by their review URL, so reading a source
again updates them in place and creates nothing twice. A failure of any kind ends as the source's
last result ("failed" and the reason), never as an exception out of the task.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims import jobs
from claims.importing.claimreview import MAX_BYTES, DocumentError, ItemResult, Review, parse
from claims.importing.fetch import FetchError, fetch
from claims.matching.generation import bump_generation_on_commit
from claims.models import ClaimReviewSource, ExternalFactCheck, ExternalMatch, Source, Tip
from claims.publishing.cache import bump_public_generation
from claims.search import folded

logger = logging.getLogger(__name__)

ACCEPT = "application/ld+json, application/json;q=0.9, text/html;q=0.8, */*;q=0.1"
REASONS_KEPT = 10  # the first reasons a source's last result keeps
LOOKUP_CHUNK = 1000
# A read still marked as running after this long has no live worker on it (the task's hard time limit).
READ_STALE_AFTER = timedelta(minutes=15)
REVIEW_FIELDS = (
    "publisher_name",
    "publisher_site",
    "headline",
    "claim_text",
    "claimant",
    "claim_date",
    "rating_text",
    "rating_value",
    "rating_best",
    "rating_worst",
    "review_date",
    "language",
)


@dataclass
class Outcome:
    """What one read did, item by item."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    reasons: list[str] = field(default_factory=list)  # "item 3: No claim text (claimReviewed)."

    def skip(self, position: int, reason: str) -> None:
        self.skipped += 1
        if len(self.reasons) < REASONS_KEPT:
            self.reasons.append(f"Item {position}: {reason}")

    def as_result(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "reasons": self.reasons,
        }

    @property
    def status(self) -> str:
        if self.skipped and not (self.created or self.updated or self.unchanged):
            return ClaimReviewSource.Status.FAILED
        return ClaimReviewSource.Status.PARTIAL if self.skipped else ClaimReviewSource.Status.SUCCEEDED


def read_interval() -> timedelta:
    return timedelta(minutes=settings.CLAIMREVIEW_READ_MINUTES)


def _claim(source_id: int) -> bool:
    now = timezone.now()
    return bool(
        ClaimReviewSource.objects.filter(pk=source_id)
        .filter(Q(reading_since__isnull=True) | Q(reading_since__lt=now - READ_STALE_AFTER))
        .update(reading_since=now)
    )


def read_source(source_id: int, *, document: bytes | None = None, media_type: str = "") -> ClaimReviewSource | None:
    """Read the source once (the worker's task, "read now", an upload) and record what came of it.
    `document` is the uploaded file's content; otherwise the stored file, or the address, is read.
    Returns the source as it ended, or None when it is gone or another read is on it."""
    if not _claim(source_id):
        return None
    source = ClaimReviewSource.objects.get(pk=source_id)
    try:
        if document is None and source.url:
            response = fetch(
                source.url, etag=source.etag, last_modified=source.last_modified, max_bytes=MAX_BYTES, accept=ACCEPT
            )
            if response.not_modified:
                return _finish(source, status=ClaimReviewSource.Status.SUCCEEDED, result={"not_modified": True})
            body, media_type, base_url = response.body, response.media_type, response.url
            validators = {"etag": response.etag[:500], "last_modified": response.last_modified[:100]}
        else:
            body = bytes(source.document) if document is None else document
            base_url, validators = "", {}
        outcome = store_reviews(source, parse(body, media_type, base_url=base_url))
    except (FetchError, DocumentError) as exc:
        return _finish(source, status=ClaimReviewSource.Status.FAILED, error=str(exc)[:2000])
    except Exception as exc:  # anything else is this source's failure, recorded, never the worker's crash
        logger.exception("Reading ClaimReview source %s failed", source_id)
        return _finish(source, status=ClaimReviewSource.Status.FAILED, error=f"Unexpected error: {exc}"[:2000])
    return _finish(source, status=outcome.status, result=outcome.as_result(), **validators)


def _finish(
    source: ClaimReviewSource, *, status: str, result: dict | None = None, error: str = "", **validators: str
) -> ClaimReviewSource:
    now = timezone.now()
    fields: dict[str, Any] = {
        "reading_since": None,
        "last_read_at": now,
        "last_status": status,
        "last_error": error,
        "next_read_at": now + read_interval(),
        **validators,
    }
    if result is not None:
        fields["last_result"] = result
    elif status == ClaimReviewSource.Status.FAILED:
        fields["last_result"] = {}
    ClaimReviewSource.objects.filter(pk=source.pk).update(**fields)  # bookkeeping: no history row
    source.refresh_from_db()
    return source


def _values(review: Review) -> dict[str, Any]:
    values = {name: getattr(review, name) for name in REVIEW_FIELDS}
    values["search_text"] = folded(
        " ".join((review.claim_text, review.claimant, review.headline, review.publisher_name, review.rating_text))
    )
    return values


def store_reviews(source: ClaimReviewSource, results: list[ItemResult]) -> Outcome:
    """Upsert the reviews by their URL in one transaction, a fixed number of queries per thousand items."""
    outcome = Outcome()
    reviews: dict[str, Review] = {}
    for item in results:
        if item.review is None:
            outcome.skip(item.position, item.reason)
        elif item.review.review_url in reviews:
            outcome.skip(item.position, "The same review URL again in this document: read once.")
        else:
            reviews[item.review.review_url] = item.review
    now = timezone.now()
    urls = list(reviews)
    with transaction.atomic():
        existing: dict[str, ExternalFactCheck] = {}
        for start in range(0, len(urls), LOOKUP_CHUNK):
            for found in ExternalFactCheck.objects.select_for_update().filter(
                review_url__in=urls[start : start + LOOKUP_CHUNK]
            ):
                existing[found.review_url] = found
        new: list[ExternalFactCheck] = []
        changed: list[ExternalFactCheck] = []
        seen: list[int] = []
        for url, review in reviews.items():
            values = _values(review)
            row = existing.get(url)
            if row is None:
                new.append(
                    ExternalFactCheck(review_url=url, source=source, first_seen_at=now, last_seen_at=now, **values)
                )
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.source, row.last_seen_at, row.updated_at = source, now, now
                changed.append(row)
            else:
                seen.append(row.pk)
        ExternalFactCheck.objects.bulk_create(new, batch_size=LOOKUP_CHUNK)
        ExternalFactCheck.objects.bulk_update(
            changed, [*REVIEW_FIELDS, "search_text", "source", "last_seen_at", "updated_at"], batch_size=LOOKUP_CHUNK
        )
        for start in range(0, len(seen), LOOKUP_CHUNK):
            ExternalFactCheck.objects.filter(pk__in=seen[start : start + LOOKUP_CHUNK]).update(last_seen_at=now)
        if new or changed:
            bump_generation_on_commit()  # every process that matches indexes them (claims/matching/store.py)
            transaction.on_commit(bump_public_generation)  # the API's claims:search answers them (its ETags change)
    outcome.created, outcome.updated, outcome.unchanged = len(new), len(changed), len(seen)
    return outcome


def read_due_sources() -> int:
    """Enqueue a read of every active address that is due (beat); returns how many."""
    now = timezone.now()
    due = list(
        ClaimReviewSource.objects.filter(active=True, next_read_at__lte=now)
        .exclude(url="")
        .filter(Q(reading_since__isnull=True) | Q(reading_since__lt=now - READ_STALE_AFTER))
        .values_list("pk", flat=True)[:200]
    )
    # Not due again before the job has had time to run: a sweep does not enqueue the same read twice.
    ClaimReviewSource.objects.filter(pk__in=due).update(next_read_at=now + READ_STALE_AFTER)
    for source_id in due:
        jobs.enqueue_claimreview_read(source_id)
    return len(due)


# --- Matching texts against the fact-checks ------------------------------------------------------------

# How many fact-checks a text is compared with at most (the best first).
FACT_CHECK_CANDIDATES = 5


def record_external_matches(
    *, text: str, sentence_of: Callable[[str], str], source: Source | None = None, tip: Tip | None = None
) -> list[ExternalMatch]:
    """Store the other organisations' fact-checks that an imported article (`source`) or a tip matches at or
    above the "suggest" threshold, each with the sentence that matched as the text has it
    (`sentence_of` turns the matcher's cleaned sentence back into it). Idempotent: the pair's row is
    updated, and rows that no longer reach the threshold are deleted."""
    from claims.matching.store import FACT_CHECK, claim_index  # the matcher loads only in a process that matches

    owner: dict[str, Any] = {"source": source} if source is not None else {"tip": tip}
    found = [
        m
        for m in claim_index().match(text, top=FACT_CHECK_CANDIDATES, kinds=[FACT_CHECK])
        if m.similarity >= settings.MATCH_SUGGEST_THRESHOLD
    ]
    with transaction.atomic():
        on_file = set(
            ExternalFactCheck.objects.filter(pk__in=[int(m.doc_id) for m in found]).values_list("pk", flat=True)
        )
        kept = []
        for match in found:
            if int(match.doc_id) not in on_file:
                continue
            row, _created = ExternalMatch.objects.update_or_create(
                **owner,
                fact_check_id=int(match.doc_id),
                defaults={
                    "similarity": match.similarity,
                    "strong": match.similarity >= settings.MATCH_STRONG_THRESHOLD,
                    "sentence": sentence_of(match.sentence),
                },
            )
            kept.append(row)
        ExternalMatch.objects.filter(**owner).exclude(pk__in=[row.pk for row in kept]).delete()
    return kept
