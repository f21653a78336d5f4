"""The import pipeline (docs/architecture.md, "Importing"): what the Celery tasks and `manage.py import_feed` run.

poll a feed (conditional GET) → parse → upsert Sources → for each new Source:
fetch the article, extract its text, keep a snapshot → `claims.matching`.

Idempotent, and safe to deliver twice:

- A poll works on an ImportRun row, claimed with a conditional update
  (pending → running), so a second delivery of the same message does nothing.
  On PostgreSQL the worker also holds a session advisory lock on the run while
  it polls; PostgreSQL drops it with the connection of a worker that died, so
  a run left "running" without its lock is claimed again at once (the message
  Celery redelivers after the visibility timeout). Elsewhere such a run is
  claimed again once it is older than the task time limit: no live worker can
  still be on it.
- The items of one poll are stored in one transaction: a worker killed half
  way stores nothing, and the redelivered poll stores everything, once.
  Items are known by their GUID per feed (FeedEntry) and Sources by their
  canonical URL (unique among live rows), so re-reading a feed creates
  nothing twice; after a fetch, the content hash spots one article under two
  URLs.
- Work is enqueued after commit; if the broker is down the rows wait
  (run pending, source fetch_status pending) and `schedule_due_feeds`, run by
  beat every minute, enqueues them again.

Errors never escape as crashes: they end the run (failed, or partial when
some items could be read) with the reason, and a failing feed backs off
exponentially. Errors that may pass (time-outs, 5xx) raise
TransientImportError instead when the caller asked to retry them.

The poll bookkeeping on Feed (validators, failures, next poll time) is written
with update(), not save(): the feed's history records what staff changed, not
one row per poll.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from claims import jobs
from claims.fetched_files import unguessable_name
from claims.importing.extract import HTML_MEDIA_TYPES, extract_article, snapshot_extension
from claims.importing.feeds import FEED_ACCEPT, FeedParseError, ParsedFeed, parse_feed
from claims.importing.fetch import FetchError, fetch
from claims.models import Feed, FeedEntry, FetchStatus, ImportRun, Source
from claims.records import save_on_record

logger = logging.getLogger(__name__)

ARTICLE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
OPEN_RUN_STATUSES = (ImportRun.Status.PENDING, ImportRun.Status.RUNNING)
# Work saved while the broker was down (or lost with it) is enqueued again after this long.
REQUEUE_AFTER = timedelta(minutes=2)
REQUEUE_LIMIT = 200  # per sweep, oldest first
MAX_BACKOFF = timedelta(hours=24)
LOOKUP_CHUNK = 1000


class TransientImportError(Exception):
    """An error that may pass (time-out, connection, 5xx, database hiccup): the task retries."""


@dataclass
class Counts:
    seen: int = 0
    new: int = 0
    duplicate: int = 0
    failed: int = 0


def run_stale_after() -> timedelta:
    """A run "running" for longer than the hard time limit has no live worker on it."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def open_run(feed: Feed) -> ImportRun:
    """The feed's waiting or running poll, or a new waiting one: never two at once. Call in a transaction."""
    Feed.objects.select_for_update().filter(pk=feed.pk).first()  # serialise callers on the feed's row
    run = feed.runs.filter(status__in=OPEN_RUN_STATUSES).first()
    if run is None:
        run = ImportRun.objects.create(feed=feed)
        transaction.on_commit(lambda: jobs.enqueue_poll(feed.pk, run.pk))
    return run


def claim_run(run_id: int) -> bool:
    """Take the run for this worker: pending, or running but abandoned by a worker that died.

    On PostgreSQL the run's advisory lock tells a live worker from a dead one: whoever takes the lock
    holds the run until `release_run` (or until its connection ends, as a killed worker's does).
    """
    now = timezone.now()
    locked = _lock_run(run_id)
    claimable = Q(status=ImportRun.Status.PENDING) | Q(
        status=ImportRun.Status.RUNNING, started_at__lt=now - run_stale_after()
    )
    if locked:  # no live worker holds the run: a "running" one was left by a worker that died
        claimable = Q(status__in=OPEN_RUN_STATUSES)
    claimed = (
        ImportRun.objects.filter(claimable, pk=run_id).update(status=ImportRun.Status.RUNNING, started_at=now) == 1
    )
    if locked and not claimed:
        release_run(run_id)
    return claimed


# The advisory lock's first key: the import runs' own space (the run's id is the second key).
RUN_LOCK_SPACE = 0x46435231


def _lock_run(run_id: int) -> bool:
    """Take the run's session advisory lock (PostgreSQL); False when another session holds it, or elsewhere."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK_SPACE, run_id])
        return bool(cursor.fetchone()[0])


def release_run(run_id: int) -> None:
    """Give the run's lock back; a connection that broke meanwhile took it with it."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_SPACE, run_id])
    except DatabaseError:
        logger.warning("Import run %s: the database connection broke; its lock went with it", run_id)


def _drop_a_broken_connection() -> None:
    """After a database error (the server restarted, say): a connection that no longer works is closed, so the
    next query opens a new one (Django only does this between requests and tasks)."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


# --- Polling a feed ------------------------------------------------------------------------


def poll_feed(
    feed_id: int, run_id: int | None = None, *, retry_transient: bool = False, document: bytes | None = None
) -> ImportRun | None:
    """Poll the feed for the run `run_id` (a new run when None); None if the run is not ours to do.

    `document` is the feed's content when it was read from a file (import_feed PATH): nothing is fetched.
    """
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return None
    if run_id is None:
        run_id = ImportRun.objects.create(feed=feed).pk
    if not claim_run(run_id):
        return None
    try:
        return _poll(feed, run_id, retry_transient=retry_transient, document=document)
    finally:
        release_run(run_id)


def _poll(feed: Feed, run_id: int, *, retry_transient: bool, document: bytes | None) -> ImportRun:
    try:
        if document is None:
            response = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT)
            if response.not_modified:
                _poll_succeeded(feed, etag=response.etag or feed.etag, last_modified=response.last_modified)
                return _finish(run_id, ImportRun.Status.NOT_MODIFIED, Counts())
            parsed = parse_feed(response.body, base_url=response.url, content_type=response.media_type_header)
        else:
            parsed = parse_feed(document, base_url=feed.url)
        counts = store_items(feed, parsed)
    except (FetchError, FeedParseError, DatabaseError) as exc:
        transient = isinstance(exc, DatabaseError) or exc.transient
        error = _describe(exc)
        if isinstance(exc, DatabaseError):
            _drop_a_broken_connection()
        if transient and retry_transient:
            try:
                ImportRun.objects.filter(pk=run_id).update(
                    status=ImportRun.Status.PENDING, error=f"{error} Trying again."
                )
            except DatabaseError:  # still down: the run stays "running", with no live worker on it, for the retry
                _drop_a_broken_connection()
            raise TransientImportError(error) from exc
        _poll_failed(feed, error)
        return _finish(run_id, ImportRun.Status.FAILED, Counts(), error=error)
    except Exception as exc:  # a worker must survive whatever a feed sends; the run says what happened
        logger.exception("Import run %s failed unexpectedly", run_id)
        error = f"Unexpected error: {type(exc).__name__}: {exc}"
        _poll_failed(feed, error)
        return _finish(run_id, ImportRun.Status.FAILED, Counts(), error=error)
    if document is None:
        _poll_succeeded(feed, etag=response.etag, last_modified=response.last_modified)
    problems = [parsed.problem] if parsed.problem else []
    if parsed.skipped:
        problems.append(f"{len(parsed.skipped)} item(s) left out: " + "; ".join(parsed.skipped[:10]))
    status = ImportRun.Status.PARTIAL if problems else ImportRun.Status.SUCCEEDED
    return _finish(run_id, status, counts, error=" ".join(problems))


def _describe(exc: Exception) -> str:
    if isinstance(exc, IntegrityError):
        return "Another import stored the same article at the same moment."
    if isinstance(exc, DatabaseError):
        return f"Database error: {exc}"
    return str(exc)


def _finish(run_id: int, status: str, counts: Counts, *, error: str = "") -> ImportRun:
    ImportRun.objects.filter(pk=run_id).update(
        status=status,
        finished_at=timezone.now(),
        items_seen=counts.seen,
        items_new=counts.new,
        items_duplicate=counts.duplicate,
        items_failed=counts.failed,
        error=error,
    )
    return ImportRun.objects.get(pk=run_id)


def _poll_succeeded(feed: Feed, *, etag: str, last_modified: str) -> None:
    now = timezone.now()
    Feed.objects.filter(pk=feed.pk).update(
        etag=etag[:500],
        last_modified=last_modified[:100],
        consecutive_failures=0,
        last_error="",
        last_polled_at=now,
        next_poll_at=now + timedelta(minutes=feed.poll_interval),
    )


def backoff(poll_interval_minutes: int, failures: int) -> timedelta:
    """The wait after `failures` failures in a row: the poll interval, doubled per failure, at most a day."""
    return min(timedelta(minutes=poll_interval_minutes) * 2 ** min(failures, 16), MAX_BACKOFF)


def _poll_failed(feed: Feed, error: str) -> None:
    now = timezone.now()
    failures = feed.consecutive_failures + 1
    Feed.objects.filter(pk=feed.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        last_error=error,
        last_polled_at=now,
        next_poll_at=now + backoff(feed.poll_interval, failures),
    )


def store_items(feed: Feed, parsed: ParsedFeed) -> Counts:
    """Upsert the feed's items as Sources, in one transaction, in a fixed number of queries per thousand items."""
    counts = Counts(seen=len(parsed.items) + len(parsed.skipped), failed=len(parsed.skipped))
    with transaction.atomic():
        known_guids = _existing(FeedEntry.objects.filter(feed=feed), "guid", [item.guid for item in parsed.items])
        fresh = []
        for item in parsed.items:
            if item.guid in known_guids:
                counts.duplicate += 1
            else:
                known_guids.add(item.guid)  # the same GUID twice in one document
                fresh.append(item)
        urls = [item.url for item in fresh]
        live = {
            source.url: source
            for chunk in _chunks(urls)
            for source in Source.objects.filter(url__in=chunk).only("pk", "url")
        }
        removed = {
            source.url: source
            for chunk in _chunks([url for url in urls if url not in live])
            for source in Source.all_objects.filter(url__in=chunk, removed_at__isnull=False).order_by("pk")
        }
        publisher = (parsed.title or feed.name)[: Source._meta.get_field("publisher").max_length]
        language = parsed.language or feed.language
        new_sources, entries, restored = [], [], []
        for item in fresh:
            source = live.get(item.url)
            if source is not None:
                counts.duplicate += 1
            elif item.url in removed:
                source = live[item.url] = removed.pop(item.url)
                restored.append(source)
                counts.new += 1
            else:
                source = live[item.url] = Source(
                    url=item.url,
                    title=item.title,
                    author=item.author,
                    publisher=publisher,
                    language=language,
                    text=item.summary,
                    date=item.date,
                    date_precision=item.date_precision,
                    origin=Source.Origin.FEED,
                    feed=feed,
                    fetch_status=FetchStatus.PENDING,
                )
                new_sources.append(source)
                counts.new += 1
            entries.append(FeedEntry(feed=feed, guid=item.guid, source=source))
        reason = f"Imported from feed “{feed.name}”"
        bulk_create_with_history(new_sources, Source, batch_size=500, default_change_reason=reason)
        for source in restored:
            source.removed_at = None
            source.fetch_status = FetchStatus.PENDING
            save_on_record(source, by=None, reason=f"Restored: listed again by feed “{feed.name}”")
        FeedEntry.objects.bulk_create(entries, batch_size=1000)
        to_fetch = [source.pk for source in (*new_sources, *restored)]
        transaction.on_commit(lambda: jobs.enqueue_fetches(to_fetch))
    return counts


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(queryset, field_name: str, values: list) -> set:
    found = set()
    for chunk in _chunks(values):
        found.update(queryset.filter(**{f"{field_name}__in": chunk}).values_list(field_name, flat=True))
    return found


def preview_feed(url: str) -> ParsedFeed:
    """Fetch and read a feed without storing anything (the "add a feed" form). Raises FetchError/FeedParseError."""
    response = fetch(url, accept=FEED_ACCEPT)
    return parse_feed(response.body, base_url=response.url, content_type=response.media_type_header)


# --- Fetching an article --------------------------------------------------------------------


def fetch_source(source_id: int, *, retry_transient: bool = False) -> Source | None:
    """Fetch a pending source's page, keep a snapshot, extract text and metadata; None if not pending."""
    source = Source.objects.filter(pk=source_id, fetch_status=FetchStatus.PENDING).exclude(url="").first()
    if source is None:
        return None
    try:
        response = fetch(source.url, accept=ARTICLE_ACCEPT)
    except FetchError as exc:
        if exc.transient and retry_transient:
            raise TransientImportError(str(exc)) from exc
        return _fetch_failed(source_id, str(exc))
    article = extract_article(response.body, url=response.url) if response.media_type in HTML_MEDIA_TYPES else None
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id, fetch_status=FetchStatus.PENDING).first()
        if source is None:
            return None  # another delivery finished it meanwhile
        # A name nobody can guess, in storage nothing serves (claims/fetched_files.py).
        name = unguessable_name(snapshot_extension(response.media_type))
        source.snapshot.save(name, ContentFile(response.body), save=False)
        source.fetched_at = timezone.now()
        if article is None:
            source.fetch_status = FetchStatus.FAILED
            source.fetch_error = (
                f"No article text could be found on the page ({response.media_type or 'unknown type'}); "
                "the snapshot is kept."
            )
            return _save_fetch_result(source, reason="Fetched; no article text")
        _fill_from_article(source, article)
        _save_fetch_result(source, reason="Fetched")
        duplicate = _same_article(source)
        if duplicate is not None and source.origin == Source.Origin.FEED:
            # One article under two URLs: keep the first, point the feed's entry at it.
            FeedEntry.objects.filter(source=source).update(source=duplicate)
            source.removed_at = timezone.now()
            _save_fetch_result(source, reason=f"Removed: same article as source #{duplicate.pk}")
    if source.removed_at is None:
        # Matched in a task of its own (claims.inbox): a process that only fetches never loads the matcher.
        source_id = source.pk
        transaction.on_commit(lambda: jobs.enqueue_matching(source_id))
    return source


FETCH_RESULT_FIELDS = (
    "snapshot", "fetched_at", "fetch_status", "fetch_error", "text", "content_hash", "title", "author", "publisher",
    "language", "date", "date_precision", "date_calendar", "removed_at", "updated_at",
)  # fmt: skip


def _save_fetch_result(source: Source, *, reason: str) -> Source:
    """Save what the fetch found, on record (a history row, by nobody: the worker).

    Not through records.save_on_record: its full_clean costs three queries a page, and every
    value set here is valid by construction (cut to its field's length; a date comes with its
    precision); the database's constraints still apply.
    """
    source._history_user, source._change_reason = None, reason
    source.save(update_fields=FETCH_RESULT_FIELDS)
    return source


def _fill_from_article(source: Source, article) -> None:
    """Text and hash always; metadata only where the source has none yet."""
    source.text = article.text
    source.content_hash = article.content_hash
    source.fetch_status = FetchStatus.DONE
    source.fetch_error = ""
    if article.title and (not source.title or source.title == source.url):
        source.title = article.title
    source.author = source.author or article.author
    source.publisher = source.publisher or article.publisher
    source.language = source.language or article.language
    if article.date and source.date is None:
        source.date, source.date_precision, source.date_calendar = article.date, "day", "gregorian"


def _same_article(source: Source) -> Source | None:
    if not source.content_hash:
        return None
    return (
        Source.objects.filter(content_hash=source.content_hash)
        .exclude(pk=source.pk)
        .order_by("created_at", "pk")
        .first()
    )


def _fetch_failed(source_id: int, error: str) -> Source | None:
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id, fetch_status=FetchStatus.PENDING).first()
        if source is None:
            return None
        source.fetch_status, source.fetch_error = FetchStatus.FAILED, error
        return _save_fetch_result(source, reason="Fetch failed")


# --- The scheduler (beat, every minute) --------------------------------------------------------


@dataclass
class Scheduled:
    feeds: int = 0
    runs_requeued: int = 0
    sources_requeued: int = 0


def schedule_due_feeds() -> Scheduled:
    """Start a run for each active feed that is due, and enqueue again what waited while the broker was down."""
    now = timezone.now()
    scheduled = Scheduled()
    due = Feed.objects.filter(active=True, next_poll_at__lte=now).exclude(runs__status__in=OPEN_RUN_STATUSES)
    for feed in due:
        with transaction.atomic():
            open_run(feed)
        scheduled.feeds += 1
    stalled_runs = ImportRun.objects.filter(
        Q(status=ImportRun.Status.PENDING, created_at__lt=now - REQUEUE_AFTER)
        | Q(status=ImportRun.Status.RUNNING, started_at__lt=now - run_stale_after()),
        feed__isnull=False,
    ).order_by("created_at")[:REQUEUE_LIMIT]
    for run in stalled_runs:
        jobs.enqueue_poll(run.feed_id, run.pk)
        scheduled.runs_requeued += 1
    waiting = list(
        Source.objects.filter(fetch_status=FetchStatus.PENDING, updated_at__lt=now - REQUEUE_AFTER)
        .exclude(url="")
        .order_by("updated_at")
        .values_list("pk", flat=True)[:REQUEUE_LIMIT]
    )
    # Bookkeeping only (no history row): so the next sweep waits REQUEUE_AFTER again.
    Source.objects.filter(pk__in=waiting).update(updated_at=now)
    jobs.enqueue_fetches(waiting)
    scheduled.sources_requeued = len(waiting)
    return scheduled
