"""Writes that carry rules. Each is one transaction and records who did it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from claims.canonical import canonicalize_url
from claims.models import Removable, Source

SOURCE_FIELDS = frozenset(
    {
        "title", "publisher", "author", "language", "text", "licence", "attribution", "archive_url",
        "confidential", "public_description", "date", "date_precision", "date_note", "origin",
    }
)  # fmt: skip


def _save_on_record(instance, *, by, reason: str = "", update_fields=None):
    """Validate and save so that the history row names `by` and why."""
    instance._history_user = by
    instance._change_reason = reason or None
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError as exc:
        # A concurrent write won the race for a unique value: say so plainly.
        raise ValidationError(f"This conflicts with a record saved at the same moment ({exc.__class__.__name__}).") from exc
    return instance


def _locked(record: Removable):
    return type(record).all_objects.select_for_update().get(pk=record.pk)


@transaction.atomic
def record_remove(*, record: Removable, by) -> Removable:
    """Soft-delete a record; removing a removed one does nothing."""
    locked = _locked(record)
    if locked.removed_at is None:
        locked.removed_at = timezone.now()
        _save_on_record(locked, by=by, reason="Removed", update_fields=["removed_at", "updated_at"])
    return locked


@transaction.atomic
def record_restore(*, record: Removable, by) -> Removable:
    """Undo a removal. Refused when a live record now holds the same unique value."""
    locked = _locked(record)
    if locked.removed_at is not None:
        locked.removed_at = None
        _save_on_record(locked, by=by, reason="Restored", update_fields=["removed_at", "updated_at"])
    return locked


def _checked_source_fields(fields: dict) -> dict:
    unknown = set(fields) - SOURCE_FIELDS
    if unknown:
        raise TypeError(f"Unknown source fields: {', '.join(sorted(unknown))}")
    return fields


def _canonical_or_error(url: str) -> str:
    try:
        return canonicalize_url(url)
    except ValueError as exc:
        raise ValidationError({"url": str(exc)}) from None


@transaction.atomic
def source_create(*, by, url: str = "", **fields) -> Source:
    """Add a source. Its URL is stored canonical; re-adding a removed one restores it."""
    fields = _checked_source_fields(fields)
    url = _canonical_or_error(url)
    if url:
        existing = (
            Source.all_objects.select_for_update()
            .filter(url=url)
            .order_by(F("removed_at").asc(nulls_first=True), "-pk")
            .first()
        )
        if existing is not None and existing.removed_at is None:
            raise ValidationError({"url": f"A source with this address is already on file: “{existing.title}”."})
        if existing is not None:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.removed_at = None
            return _save_on_record(existing, by=by, reason="Restored by adding its address again")
    source = Source(url=url, created_by=by, **fields)
    return _save_on_record(source, by=by, reason="Created")


@transaction.atomic
def source_update(*, source: Source, by, **fields) -> Source:
    """Change a source; a new URL is canonicalised and must not be on file already."""
    locked = _locked(source)
    if "url" in fields:
        locked.url = _canonical_or_error(fields.pop("url"))
    for name, value in _checked_source_fields(fields).items():
        setattr(locked, name, value)
    return _save_on_record(locked, by=by, reason="Edited")
