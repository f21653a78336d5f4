"""Repeats after publication: the claim said again after its verdict was published, and what the newsroom did.

Staff record a repeat (who repeated the claim, in which article, when, in which words), usually from an
Incoming match (claims.inbox.match_record_repeat), and what they did about it: an `Intervention` (whom
they asked to correct it, when, how, what came of it). Nothing of it is public until a reviewer other
than the person who recorded it approves it (claims.permissions, `APPROVE_REPEAT`).

Approving adds the repeat, frozen as it is then (claims.publishing.build.frozen_repeat), to the addendum of
the claim's published record (`repeats`); approving an intervention adds it under its repeat there.
Withdrawing an approved one takes it out. The verdict stays published and is not reopened: its other
parts are written back as they were read, the verdict's history keeps each earlier record, and the
public cache is renewed on commit. A correction published later carries the addendum over.

A repeat is not a contribution to the verdict (claims/contributions.py): it reaches the public through
its own approval, never through the verdict's review. Each write locks the claim, then its published
verdict, then the repeat, in the order the workflow's transitions lock them.
"""

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from claims.models import (
    Actor,
    ArticleMatch,
    Claim,
    Intervention,
    Repeat,
    ReviewState,
    Source,
    User,
    Verdict,
)
from claims.permissions import Action, require
from claims.publishing import record as schema
from claims.publishing.build import frozen_intervention, frozen_repeat
from claims.publishing.cache import bump_public_generation
from claims.records import save_on_record

R = TypeVar("R", Repeat, Intervention)
NOT_PUBLISHED = "Only a claim with a published verdict can be repeated “since we checked it”."

# --- Reads -------------------------------------------------------------------------------------------------


def _with_details(repeats: QuerySet[Repeat]) -> QuerySet[Repeat]:
    return repeats.select_related("claim", "source", "actor", "recorded_by", "approved_by").prefetch_related(
        Prefetch("interventions", queryset=Intervention.objects.select_related("recorded_by", "approved_by"))
    )


def claim_repeats(claim: Claim) -> list[Repeat]:
    """Every repeat of the claim on file, withdrawn ones included, in date order."""
    return list(_with_details(Repeat.objects.filter(claim=claim)).order_by("date", "pk"))


def repeat_for_card(pk: int) -> Repeat:
    return _with_details(Repeat.objects.all()).get(pk=pk)


def waiting_for_review() -> list[Repeat]:
    """Repeats waiting for review, and approved ones with an intervention waiting: oldest first."""
    pending_intervention = Exists(Intervention.objects.filter(repeat=OuterRef("pk"), state=ReviewState.PENDING))
    waiting = Q(state=ReviewState.PENDING) | (Q(state=ReviewState.APPROVED) & pending_intervention)
    return list(
        _with_details(Repeat.objects.filter(waiting, claim__removed_at__isnull=True)).order_by("created_at", "pk")
    )


def published_verdict(claim: Claim) -> Verdict | None:
    return Verdict.objects.filter(claim=claim, state=Verdict.State.PUBLISHED).first()


def repeatable_claim_ids(claim_ids: Iterable[int]) -> set[int]:
    """Those of the claims that have a published verdict (and are not removed): a repeat can be recorded."""
    return set(
        Verdict.objects.filter(
            claim_id__in=claim_ids, state=Verdict.State.PUBLISHED, claim__removed_at__isnull=True
        ).values_list("claim_id", flat=True)
    )


# --- Writes ------------------------------------------------------------------------------------------------


@transaction.atomic
def repeat_record(
    *,
    claim: Claim,
    source: Source,
    actor: Actor,
    sentence: str,
    date: date | None,
    date_precision: str,
    date_note: str = "",
    match: ArticleMatch | None = None,
    by: User | None,
) -> Repeat:
    """Record that `actor` repeated the published claim in `source`: pending until a reviewer approves it."""
    require(by, Action.RECORD_REPEAT)
    if claim.removed_at is not None or claim.pk not in repeatable_claim_ids([claim.pk]):
        raise ValidationError(NOT_PUBLISHED)
    if actor is None:
        raise ValidationError({"actor": gettext("Choose who repeated it.")})
    repeat = Repeat(
        claim=claim,
        source=source,
        actor=actor,
        sentence=sentence.strip(),
        date=date,
        date_precision=date_precision,
        date_note=date_note.strip(),
        match=match,
        recorded_by=by,
    )
    return save_on_record(repeat, by=by, reason="Recorded")


@transaction.atomic
def intervention_record(
    *, repeat: Repeat, asked: str, asked_on: date, method: str, request: str = "", outcome: str = "", by: User | None
) -> Intervention:
    """Record what the newsroom did about a repeat: pending until a reviewer approves it."""
    require(by, Action.RECORD_REPEAT)
    if Repeat.objects.filter(pk=repeat.pk, state=ReviewState.WITHDRAWN).exists():
        raise ValidationError(gettext("This repeat was withdrawn: nothing can be added to it."))
    intervention = Intervention(
        repeat=repeat,
        asked=asked,
        asked_on=asked_on,
        method=method,
        request=request.strip(),
        outcome=outcome.strip(),
        recorded_by=by,
    )
    return save_on_record(intervention, by=by, reason="Recorded")


def _as_stored(item: R) -> R:
    """The row as it is now (the caller's copy, or its repeat's, may be older), to ask the permission about."""
    if isinstance(item, Intervention):
        return Intervention.objects.select_related("repeat").get(pk=item.pk)
    return Repeat.objects.get(pk=item.pk)


def _locked(repeat: Repeat) -> tuple[Verdict, Repeat]:
    """Lock the claim, its published verdict and the repeat, in that order; refused if the claim is gone."""
    claim = Claim.all_objects.select_for_update().get(pk=repeat.claim_id)
    verdict = Verdict.objects.select_for_update().filter(claim=claim, state=Verdict.State.PUBLISHED).first()
    if claim.removed_at is not None or verdict is None:
        raise ValidationError(gettext("The claim is no longer public. Nothing was changed."))
    locked = Repeat.objects.select_for_update(of=("self",)).select_related("claim", "source", "actor").get(pk=repeat.pk)
    return verdict, locked


def _reviewed(item: Repeat | Intervention, *, state: str, by: User | None, reason: str) -> None:
    item.state = state
    fields = ["state", "updated_at"]
    if state == ReviewState.APPROVED:
        item.approved_by, item.approved_at = by, timezone.now()
        fields += ["approved_by", "approved_at"]
    save_on_record(item, by=by, reason=reason, update_fields=fields)


def _amend(verdict: Verdict, repeats: tuple[schema.Repeat, ...], *, by: User | None, reason: str) -> None:
    """Write the record's addendum anew; the public pages show it once this commits."""
    verdict.published_record = schema.with_repeats(_stored(verdict), repeats)
    save_on_record(verdict, by=by, reason=reason, update_fields=["published_record", "updated_at"])
    transaction.on_commit(bump_public_generation)


def _stored(verdict: Verdict) -> dict:
    if not isinstance(verdict.published_record, dict):
        raise schema.RecordError(f"Published verdict #{verdict.pk} has no record.")
    return verdict.published_record


def _on_record(verdict: Verdict) -> tuple[schema.Repeat, ...]:
    return schema.read_record(_stored(verdict)).repeats


@transaction.atomic
def repeat_approve(*, repeat: Repeat, by: User | None) -> Repeat:
    """Approve the repeat: it joins the published record's addendum, the verdict stays as published."""
    require(by, Action.APPROVE_REPEAT, _as_stored(repeat))
    verdict, locked = _locked(repeat)
    require(by, Action.APPROVE_REPEAT, locked)
    _reviewed(locked, state=ReviewState.APPROVED, by=by, reason="Approved")
    on_record = tuple(entry for entry in _on_record(verdict) if entry.id != locked.pk)
    _amend(verdict, (*on_record, frozen_repeat(locked)), by=by, reason=f"Addendum: repeat #{locked.pk} approved")
    return locked


@transaction.atomic
def repeat_withdraw(*, repeat: Repeat, by: User | None) -> Repeat:
    """Withdraw the repeat: a pending one is set aside, an approved one leaves the published record."""
    require(by, Action.WITHDRAW_REPEAT, _as_stored(repeat))
    verdict, locked = _locked(repeat)
    require(by, Action.WITHDRAW_REPEAT, locked)
    was_public = locked.state == ReviewState.APPROVED
    _reviewed(locked, state=ReviewState.WITHDRAWN, by=by, reason="Withdrawn")
    if was_public:
        kept = tuple(entry for entry in _on_record(verdict) if entry.id != locked.pk)
        _amend(verdict, kept, by=by, reason=f"Addendum: repeat #{locked.pk} withdrawn")
    return locked


def _locked_intervention(intervention: Intervention) -> tuple[Verdict, Repeat, Intervention]:
    verdict, repeat = _locked(intervention.repeat)
    locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
    locked.repeat = repeat
    return verdict, repeat, locked


def _with_interventions(
    verdict: Verdict,
    repeat: Repeat,
    change: Callable[[tuple[schema.Intervention, ...]], tuple[schema.Intervention, ...]],
) -> tuple[schema.Repeat, ...]:
    """The addendum with `change` applied to the repeat's interventions (the repeat as it was approved;
    frozen now, with its approved interventions, if the record lacks it)."""
    entries = list(_on_record(verdict))
    for index, entry in enumerate(entries):
        if entry.id == repeat.pk:
            entries[index] = dataclasses.replace(entry, interventions=change(entry.interventions))
            return tuple(entries)
    return (*entries, frozen_repeat(repeat)) if repeat.state == ReviewState.APPROVED else tuple(entries)


@transaction.atomic
def intervention_approve(*, intervention: Intervention, by: User | None) -> Intervention:
    """Approve what the newsroom did: it is shown under its (approved) repeat on the published record."""
    require(by, Action.APPROVE_REPEAT, _as_stored(intervention))
    verdict, repeat, locked = _locked_intervention(intervention)
    require(by, Action.APPROVE_REPEAT, locked)
    _reviewed(locked, state=ReviewState.APPROVED, by=by, reason="Approved")
    frozen = frozen_intervention(locked)
    repeats = _with_interventions(verdict, repeat, lambda shown: (*(i for i in shown if i.id != locked.pk), frozen))
    _amend(verdict, repeats, by=by, reason=f"Addendum: intervention #{locked.pk} approved")
    return locked


@transaction.atomic
def intervention_withdraw(*, intervention: Intervention, by: User | None) -> Intervention:
    require(by, Action.WITHDRAW_REPEAT, _as_stored(intervention))
    verdict, repeat, locked = _locked_intervention(intervention)
    require(by, Action.WITHDRAW_REPEAT, locked)
    was_public = locked.state == ReviewState.APPROVED
    _reviewed(locked, state=ReviewState.WITHDRAWN, by=by, reason="Withdrawn")
    if was_public:
        repeats = _with_interventions(verdict, repeat, lambda shown: tuple(i for i in shown if i.id != locked.pk))
        _amend(verdict, repeats, by=by, reason=f"Addendum: intervention #{locked.pk} withdrawn")
    return locked
