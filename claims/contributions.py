"""Contributions: who changed what a claim's public record would show, since it was last published.

The two-person rule reads them (claims.workflow): nobody publishes, or requests changes to, a verdict
whose publication would carry their own writing. Every write that names its author goes through
`watching` (claims.records.save_on_record, the admin), which compares the row's public fields
before and after; background work, saved with `by=None`, is nobody's. Which fields are public is
decided in one place, claims.publishing.build.PUBLIC_FIELDS.

The id of a claim's latest contribution since its last publication is its content version: the
review screen sends the one it showed, and publishing is refused when it moved. Each contribution
is written under the claim's row lock, so ids grow in the order contributions commit and no
concurrent write can slip in under a version already seen.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from claims.models import Actor, Claim, ClaimLink, Contribution, Source
from claims.publishing.build import PUBLIC_FIELDS


@cache
def _columns(model) -> dict[str, str]:
    """Each public field of `model` and its column (`claimant_id` for `claimant`); many-to-many fields aside."""
    fields = (model._meta.get_field(name) for name in PUBLIC_FIELDS[model])
    return {field.name: field.attname for field in fields if not field.many_to_many}


def _current_values(instance) -> dict:
    return {name: getattr(instance, column) for name, column in _columns(type(instance)).items()}


def _stored_values(instance) -> dict | None:
    if instance._state.adding:
        return None
    columns = _columns(type(instance))
    row = type(instance)._base_manager.filter(pk=instance.pk).values(*columns.values()).first()
    return None if row is None else {name: row[column] for name, column in columns.items()}


def _compare(before: dict | None, after: dict) -> tuple[str | None, list[str]]:
    """What a save did to the public record: (change, public fields changed), change None if nothing."""
    if before is None:
        return Contribution.Change.ADDED, []
    was_removed, is_removed = before.get("removed_at") is not None, after.get("removed_at") is not None
    if was_removed and is_removed:
        return None, []  # a removed row is on no record
    if is_removed:
        return Contribution.Change.REMOVED, []
    changed = [name for name in after if name != "removed_at" and before[name] != after[name]]
    if was_removed:
        return Contribution.Change.RESTORED, changed
    return (Contribution.Change.EDITED, changed) if changed else (None, [])


@contextmanager
def watching(instance, *, by, update_fields: Iterable[str] | None = None, moved: bool = False):
    """Note, once the save inside the block is done, what `by` changed of the public record.

    `moved`: the row is moving to another claim (a merge, claims/merging.py), so it is added to that
    claim's record whatever its fields say."""
    model = type(instance)
    public = _columns(model) if model in PUBLIC_FIELDS else {}
    unchanged_fields = update_fields is not None and not set(update_fields) & set(public)
    if by is None or not public or (unchanged_fields and not moved):
        yield
        return
    before = None if moved else _stored_values(instance)
    yield
    change, fields = _compare(before, _current_values(instance))
    if change is not None:
        note(instance, by=by, change=change, fields=fields)


def _claims_showing(instance) -> list[int]:
    """The claims whose public record shows this row."""
    if isinstance(instance, Claim):
        return [instance.pk]
    if isinstance(instance, ClaimLink):
        return sorted({instance.from_claim_id, instance.to_claim_id})
    if isinstance(instance, Source):
        shown = (
            Q(claim_sources__source=instance)
            | Q(statements__source=instance)
            | Q(evidence__source=instance)
            | Q(first_appearance=instance)
        )
    elif isinstance(instance, Actor):
        shown = Q(claimant=instance) | Q(statements__actor=instance)
    else:
        return [instance.claim_id]
    return sorted(set(Claim.all_objects.filter(shown).values_list("pk", flat=True)))


def note(instance, *, by, change: str, fields: Iterable[str] = ()) -> None:
    """Record that `by` changed `instance`'s part of the public record of every claim that shows it."""
    if by is None:
        return
    claim_ids = _claims_showing(instance)
    if not claim_ids:
        return
    # Lock the claims (in id order, like every other writer) before taking ids: see the module's docstring.
    list(Claim.all_objects.select_for_update().filter(pk__in=claim_ids).order_by("pk").values_list("pk"))
    now = timezone.now()
    Contribution.objects.bulk_create(
        Contribution(
            claim_id=claim_id,
            by=by,
            at=now,
            item_type=type(instance)._meta.model_name,
            item_id=instance.pk,
            change=change,
            fields=list(fields),
        )
        for claim_id in claim_ids
    )


def open_round(claim_id: int) -> list[tuple[int, int]]:
    """(id, author id) of each contribution to the claim since its last publication."""
    return list(Contribution.objects.open_round().filter(claim_id=claim_id).values_list("pk", "by_id"))


def changes_since(claim_id: int, version: int) -> list[Contribution]:
    return list(Contribution.objects.open_round().filter(claim_id=claim_id, pk__gt=version).select_related("by"))


def by_person(claim_id: int, user_id: int) -> list[Contribution]:
    """What one person changed of the claim's public content since its last publication, oldest first."""
    return list(Contribution.objects.open_round().filter(claim_id=claim_id, by_id=user_id))


def close_round(*, claim: Claim, verdict) -> None:
    """Publishing `verdict` published these contributions: the next correction starts a round of its own."""
    Contribution.objects.open_round().filter(claim=claim).update(published_in=verdict)


def describe(contribution: Contribution, *, with_author: bool = True) -> str:
    """E.g. "statement #4 (quote) edited by bob at 14:02:03" ("… edited at 14:02:03" without the author)."""
    model = _model(contribution.item_type)
    if contribution.item_type == "claim" and contribution.item_id == contribution.claim_id:
        item = gettext("the claim")
    else:
        noun = model._meta.verbose_name if model else contribution.item_type
        item = gettext("%(item)s #%(number)s") % {"item": noun, "number": contribution.item_id}
    if contribution.fields:
        item = gettext("%(item)s (%(fields)s)") % {
            "item": item,
            "fields": ", ".join(_field_name(model, name) for name in contribution.fields),
        }
    values = {
        "item": item,
        "change": contribution.get_change_display(),
        "when": f"{timezone.localtime(contribution.at):%H:%M:%S}",
    }
    if with_author:
        return gettext("%(item)s %(change)s by %(who)s at %(when)s") % {**values, "who": contribution.by.get_username()}
    return gettext("%(item)s %(change)s at %(when)s") % values


def _model(model_name: str):
    try:
        return apps.get_model("claims", model_name)
    except LookupError:
        return None


def _field_name(model, name: str) -> str:
    """A field's name as people read it, in the active language (its verbose name)."""
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name.replace("_", " ")
    except FieldDoesNotExist:
        return name.replace("_", " ")
