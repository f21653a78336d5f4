"""Saving on the record: every write names who made it and why (django-simple-history)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext

from claims import contributions


def save_on_record(instance, *, by, reason: str = "", update_fields=None, moved: bool = False):
    """Validate and save so that the history row names `by` and why, and `by` is a contributor to every
    claim whose public record the save changed (claims/contributions.py); `moved`: the row moves to
    another claim, whose record it joins."""
    instance._history_user = by
    instance._change_reason = reason or None
    instance.full_clean()
    try:
        with transaction.atomic(), contributions.watching(instance, by=by, update_fields=update_fields, moved=moved):
            instance.save(update_fields=update_fields)
    except IntegrityError as exc:
        # A concurrent write won the race for a unique value: say so plainly.
        raise ValidationError(
            gettext("This conflicts with a change saved at the same moment; reload and try again.")
        ) from exc
    return instance


def locked_copy(record: models.Model):
    """The record's row, re-read and locked until the transaction ends (removed rows included)."""
    manager = getattr(type(record), "all_objects", type(record)._base_manager)
    return manager.select_for_update().get(pk=record.pk)
