"""Other organisations' fact-checks: the sources their ClaimReview is read from, and what staff do with them.

Each service takes the acting person as `by` and checks `MANAGE_CLAIMREVIEW_SOURCES` itself (reviewers
and admins) before anything else, in one transaction. Reading is system work (claims/importing/external.py):
an address is read by the worker, enqueued on commit; an uploaded file is read at once, within the
parser's limits. See docs/architecture.md, "Other fact-checkers' verdicts".
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import jobs
from claims.canonical import validated_canonical_url
from claims.importing import claimreview, external
from claims.models import ClaimReviewSource, User
from claims.permissions import Action, require

NAME_MAX = 200


def _user(by: User | AnonymousUser | None) -> User | None:
    return by if isinstance(by, User) else None


def _name(name: str, fallback: str) -> str:
    name = (name or "").strip() or fallback
    if not name:
        raise ValidationError({"name": "Name the source."})
    return name[:NAME_MAX]


@transaction.atomic
def claimreview_source_add(
    *, by: User | AnonymousUser | None, url: str, name: str = "", active: bool = True
) -> ClaimReviewSource:
    """Add an address (a page with ClaimReview markup, or a data feed); it is read at once (enqueued on
    commit) and then again on the schedule while active."""
    require(by, Action.MANAGE_CLAIMREVIEW_SOURCES)
    url = validated_canonical_url((url or "").strip(), field="url")
    if not url:
        raise ValidationError({"url": "Paste the address of the page or data feed."})
    if ClaimReviewSource.objects.filter(url=url).exists():
        raise ValidationError({"url": "This address is already a source."})
    source = ClaimReviewSource.objects.create(url=url, name=_name(name, url), active=active, created_by=_user(by))
    transaction.on_commit(lambda: jobs.enqueue_claimreview_read(source.pk))
    return source


@transaction.atomic
def claimreview_file_import(
    *, by: User | AnonymousUser | None, content: bytes, filename: str = "", name: str = ""
) -> ClaimReviewSource:
    """Keep an uploaded ClaimReview data feed (or page) as a source, and read it now: the source's last
    result says what each item came to."""
    require(by, Action.MANAGE_CLAIMREVIEW_SOURCES)
    if not content:
        raise ValidationError({"file": "The file is empty."})
    if len(content) > claimreview.MAX_BYTES:
        raise ValidationError({"file": f"The file is larger than {claimreview.MAX_BYTES // (1024 * 1024)} MB."})
    source = ClaimReviewSource.objects.create(
        name=_name(name, filename),
        document=content,
        document_name=(filename or "")[:255],
        active=False,  # a file does not change: nothing to read again on a schedule
        created_by=_user(by),
    )
    return external.read_source(source.pk, document=content) or source


@transaction.atomic
def claimreview_source_read_now(*, source: ClaimReviewSource, by: User | AnonymousUser | None) -> ClaimReviewSource:
    """Read the source again: an address as soon as a worker is free, a file at once."""
    require(by, Action.MANAGE_CLAIMREVIEW_SOURCES, source)
    if source.url:
        transaction.on_commit(lambda: jobs.enqueue_claimreview_read(source.pk))
        return source
    return external.read_source(source.pk) or source


@transaction.atomic
def claimreview_source_set_active(
    *, source: ClaimReviewSource, by: User | AnonymousUser | None, active: bool
) -> ClaimReviewSource:
    """Start or stop reading an address on the schedule (a file is never read on a schedule)."""
    require(by, Action.MANAGE_CLAIMREVIEW_SOURCES, source)
    if active and not source.url:
        raise ValidationError("An uploaded file is read once; upload it again to read a new version.")
    ClaimReviewSource.objects.filter(pk=source.pk).update(active=active)
    source.refresh_from_db()
    return source
