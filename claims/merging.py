"""Merging duplicate claims: the claim retired is merged into the one that survives.

Everything the retired claim's record holds moves to the survivor: statements, evidence, outreach,
citations (a source both cite becomes one citation), links to third claims (links between the two,
and links the survivor already has, are dropped), tips, error reports and undecided matches. The
retired claim stays on file, in the "merged" state, naming its survivor (`Claim.merged_into`); its
history and its published verdicts stay its own, and the survivor's History tab and public page show
them. Its public address, and its old ones, redirect to the survivor's. Who may merge is the workflow's
"merge" row (claims/workflow.py), asked about each of the two claims. See docs/architecture.md,
"Merging duplicate claims".
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from claims.matching.generation import bump_generation_on_commit
from claims.models import (
    OPEN_VERDICT_STATES,
    ArticleMatch,
    Claim,
    ClaimLink,
    ClaimSlug,
    ClaimSource,
    Contribution,
    ErrorReport,
    Evidence,
    MatchState,
    Outreach,
    Statement,
    Tip,
    User,
    Verdict,
    WorkflowEvent,
)
from claims.notifications import notify, single_line
from claims.permissions import Action, may, require
from claims.publishing.cache import bump_public_generation
from claims.records import save_on_record

NOTE_MAX_LENGTH = ClaimSource._meta.get_field("note").max_length or 500


def _named(claim: Claim) -> str:
    """How a message names a claim: its words and its number."""
    return f"“{single_line(claim.text, 80)}” (#{claim.pk})"


@dataclass(frozen=True)
class LinkMove:
    """A link to a third claim that moves: `end` is the side that named the retired claim."""

    link: ClaimLink
    end: str  # "from_claim" or "to_claim"


@dataclass(frozen=True)
class MergePlan:
    """What merging `claim` into `into` does: the confirmation page lists it, `claim_merge` does it."""

    claim: Claim  # retired
    into: Claim  # survives
    statements: list[Statement]
    evidence: list[Evidence]
    outreach: list[Outreach]
    citations: list[ClaimSource]
    duplicate_citations: list[tuple[ClaimSource, ClaimSource]]  # (the retired claim's, the survivor's it joins)
    links: list[LinkMove]
    dropped_links: list[ClaimLink]  # between the two claims, or repeating one the survivor has
    tips: int
    error_reports: int
    merged_before: list[Claim]  # merged into the retired claim earlier: they follow it
    published_versions: list[Verdict]  # the retired claim's, oldest first: listed on the survivor's page
    old_slugs: list[str]  # the retired claim's earlier public addresses

    @property
    def redirects(self) -> bool:
        """The retired claim has been public: its address will redirect to the survivor's."""
        return bool(self.published_versions)

    def summary(self) -> str:
        """What moved, for the record (the two claims' workflow events)."""
        counts = (
            (len(self.statements), "statement"),
            (len(self.evidence), "evidence item"),
            (len(self.outreach), "outreach record"),
            (len(self.citations), "citation"),
            (len(self.links), "related-claim link"),
            (self.tips, "tip"),
            (self.error_reports, "error report"),
        )
        moved = [f"{count} {noun}{'' if count == 1 else 's'}" for count, noun in counts if count]
        parts = [f"moved: {', '.join(moved)}" if moved else "nothing to move"]
        if self.duplicate_citations:
            parts.append(f"{len(self.duplicate_citations)} citation(s) of a source both cite combined")
        if self.dropped_links:
            parts.append(f"{len(self.dropped_links)} link(s) between the two or repeated dropped")
        return f"Claim #{self.claim.pk} merged into claim #{self.into.pk}; " + "; ".join(parts) + "."


# --- Refusals --------------------------------------------------------------------------------


def _refusals(claim: Claim, into: Claim, by: User) -> dict[str, list[str]]:
    """Why `claim` may not be merged into `into` now (nothing: it may), in words beside the picker."""
    problems: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if claim.removed_at is not None:
        refuse("__all__", "This claim was removed: restore it before merging it.")
    elif claim.state == Claim.State.MERGED:
        refuse("__all__", f"This claim was already merged into claim #{claim.merged_into_id}.")
    elif claim.state == Claim.State.DISMISSED:
        refuse("__all__", "This claim was dismissed: there is no work on it to carry over.")
    in_the_works = claim.verdicts.filter(state__in=OPEN_VERDICT_STATES).select_related("author").first()
    if in_the_works is not None:
        refuse(
            "__all__",
            f"This claim has a verdict in the works ({in_the_works.get_state_display().lower()}, by "
            f"{in_the_works.author.get_username()}), and a verdict cannot move to another claim: publish it "
            "first, or merge the other claim into this one instead.",
        )
    if into.pk == claim.pk:
        refuse("into", "A claim cannot be merged into itself: pick the claim it repeats.")
    elif into.removed_at is not None:
        refuse("into", f"{_named(into)} was removed: pick a claim on file.")
    elif into.state == Claim.State.MERGED:
        refuse("into", f"{_named(into)} was itself merged into claim #{into.merged_into_id}: merge into that one.")
    elif into.state == Claim.State.DISMISSED:
        refuse("into", f"{_named(into)} was dismissed: pick a claim that is being checked or is published.")
    elif claim.state == Claim.State.PUBLISHED and into.state != Claim.State.PUBLISHED:
        refuse(
            "into",
            f"This claim is published and {_named(into)} is not: merge {_named(into)} into this one instead, "
            "so the published page stays where readers find it.",
        )
    if problems:
        return problems
    # The states allow it: what is left of the workflow's row is who may.
    for field, merged in (("__all__", claim), ("into", into)):
        if not may(by, Action.MERGE_CLAIMS, merged):
            refuse(field, f"{_named(merged)} is published: a reviewer merges published claims.")
    return problems


# --- The plan ---------------------------------------------------------------------------------


def _links(claim: Claim, into: Claim) -> tuple[list[LinkMove], list[ClaimLink]]:
    survivor_links = {
        (link.from_claim_id, link.to_claim_id, link.kind)
        for link in ClaimLink.objects.filter(from_claim=into) | ClaimLink.objects.filter(to_claim=into)
    }
    moves, dropped = [], []
    for link in ClaimLink.objects.filter(from_claim=claim).order_by("pk"):
        if link.to_claim_id == into.pk or (into.pk, link.to_claim_id, link.kind) in survivor_links:
            dropped.append(link)
        else:
            moves.append(LinkMove(link, "from_claim"))
    for link in ClaimLink.objects.filter(to_claim=claim).order_by("pk"):
        if link.from_claim_id == into.pk or (link.from_claim_id, into.pk, link.kind) in survivor_links:
            dropped.append(link)
        else:
            moves.append(LinkMove(link, "to_claim"))
    return moves, dropped


def merge_plan(*, claim: Claim, into: Claim, by: User) -> MergePlan:
    """What merging `claim` into `into` would do; a ValidationError says why it may not."""
    problems = _refusals(claim, into, by)
    if problems:
        raise ValidationError(problems)
    kept_citations = {cited.source_id: cited for cited in ClaimSource.objects.filter(claim=into)}
    citations, duplicates = [], []
    for cited in ClaimSource.objects.filter(claim=claim).order_by("order", "pk"):
        kept = kept_citations.get(cited.source_id)
        if kept is None:
            citations.append(cited)
        else:
            duplicates.append((cited, kept))
    links, dropped_links = _links(claim, into)
    return MergePlan(
        claim=claim,
        into=into,
        statements=list(Statement.objects.filter(claim=claim).select_related("actor").order_by("date", "pk")),
        evidence=list(Evidence.objects.filter(claim=claim).order_by("order", "pk")),
        outreach=list(Outreach.objects.filter(claim=claim).order_by("contacted_on", "pk")),
        citations=citations,
        duplicate_citations=duplicates,
        links=links,
        dropped_links=dropped_links,
        tips=Tip.objects.filter(claim=claim).count(),
        error_reports=ErrorReport.objects.filter(claim=claim).count(),
        merged_before=list(Claim.all_objects.filter(merged_into=claim).order_by("pk")),
        published_versions=list(
            Verdict.objects.filter(claim=claim, published_at__isnull=False)
            .select_related("rating")
            .order_by("published_at", "pk")
        ),
        old_slugs=list(ClaimSlug.objects.filter(claim=claim).order_by("pk").values_list("slug", flat=True)),
    )


# --- The merge --------------------------------------------------------------------------------


def _lock_both(claim: Claim, into: Claim) -> tuple[Claim, Claim]:
    """Both claims, locked in primary-key order (as every writer that locks several claims does)."""
    locked = {
        row.pk: row for row in Claim.all_objects.select_for_update().filter(pk__in={claim.pk, into.pk}).order_by("pk")
    }
    return locked[claim.pk], locked[into.pk]


def _next_order(model: type[Evidence] | type[ClaimSource], claim: Claim) -> int:
    """After the claim's own evidence (or citations): what moves in keeps its order, below them."""
    top: int | None = model.objects.filter(claim=claim).aggregate(top=Max("order"))["top"]
    return (top or 0) + 1


def _carry_items(plan: MergePlan, *, by: User, reason: str) -> None:
    survivor = plan.into
    for statement in plan.statements:
        statement.claim = survivor
        save_on_record(statement, by=by, reason=reason, update_fields=["claim", "updated_at"], moved=True)
    for outreach in plan.outreach:
        outreach.claim = survivor
        save_on_record(outreach, by=by, reason=reason, update_fields=["claim", "updated_at"], moved=True)
    for number, evidence in enumerate(plan.evidence, start=_next_order(Evidence, survivor)):
        evidence.claim, evidence.order = survivor, number
        save_on_record(evidence, by=by, reason=reason, update_fields=["claim", "order", "updated_at"], moved=True)
    for number, cited in enumerate(plan.citations, start=_next_order(ClaimSource, survivor)):
        cited.claim, cited.order = survivor, number
        save_on_record(cited, by=by, reason=reason, update_fields=["claim", "order", "updated_at"], moved=True)
    now = timezone.now()
    for duplicate, kept in plan.duplicate_citations:
        if duplicate.note and duplicate.note not in kept.note:
            kept.note = "; ".join(filter(None, (kept.note, duplicate.note)))[:NOTE_MAX_LENGTH]
            save_on_record(
                kept,
                by=by,
                reason=f"Note of claim #{plan.claim.pk}'s citation added",
                update_fields=["note", "updated_at"],
            )
        duplicate.removed_at = now
        save_on_record(
            duplicate,
            by=by,
            reason=f"Removed: claim #{survivor.pk} cites the same source",
            update_fields=["removed_at", "updated_at"],
        )


def _carry_links(plan: MergePlan, *, by: User, reason: str) -> None:
    for move in plan.links:
        setattr(move.link, move.end, plan.into)
        save_on_record(move.link, by=by, reason=reason, update_fields=[move.end, "updated_at"])
    now = timezone.now()
    for link in plan.dropped_links:
        link.removed_at = now
        save_on_record(
            link,
            by=by,
            reason=f"Dropped: merged into claim #{plan.into.pk}",
            update_fields=["removed_at", "updated_at"],
        )


def _repoint(plan: MergePlan, *, by: User) -> None:
    """What points at the retired claim without being on its record: tips, reports, matches, addresses."""
    retired, survivor = plan.claim, plan.into
    Tip.objects.filter(claim=retired).update(claim=survivor)
    ErrorReport.objects.filter(claim=retired).update(claim=survivor)
    # An article already suggested for the survivor keeps that suggestion; the retired claim's goes.
    suggested = ArticleMatch.objects.filter(claim=survivor).values("source_id")
    undecided = ArticleMatch.objects.filter(claim=retired, state=MatchState.UNDECIDED)
    undecided.filter(source_id__in=suggested).delete()
    undecided.update(claim=survivor)
    # Whoever wrote the retired claim's unpublished content now writes the survivor's (the two-person rule).
    Contribution.objects.open_round().filter(claim=retired).update(claim=survivor)
    ClaimSlug.objects.filter(claim=retired).update(claim=survivor)
    if plan.redirects:
        ClaimSlug.objects.update_or_create(slug=retired.slug, defaults={"claim": survivor})
    for earlier in plan.merged_before:
        earlier.merged_into = survivor
        save_on_record(
            earlier,
            by=by,
            reason=f"Merged into claim #{survivor.pk} with claim #{retired.pk}",
            update_fields=["merged_into", "updated_at"],
        )


def _take_over_people(plan: MergePlan, *, by: User) -> None:
    """The survivor keeps its assignee and reviewer, and takes the retired claim's where it has none;
    the retired claim's are told where the work went."""
    retired, survivor = plan.claim, plan.into
    taken = [
        name
        for name in ("assignee", "reviewer")
        if getattr(survivor, f"{name}_id") is None and getattr(retired, f"{name}_id")
    ]
    for name in taken:
        setattr(survivor, name, getattr(retired, name))
    if taken:
        save_on_record(
            survivor,
            by=by,
            reason=f"Took over the {' and '.join(taken)} of merged claim #{retired.pk}",
            update_fields=[*taken, "updated_at"],
        )
    for person in {person for person in (retired.assignee, retired.reviewer) if person is not None and person != by}:
        notify(
            user=person,
            subject=format_lazy(gettext_lazy("Claim merged: {claim}"), claim=single_line(retired.text, 80)),
            body=format_lazy(
                gettext_lazy(
                    "{by} merged the claim “{claim}” into “{into}”: its statements, evidence and sources are there now."
                ),
                by=by.get_username(),
                claim=retired.text,
                into=survivor.text,
            ),
            path=f"/staff/claims/{survivor.pk}/",
        )


@transaction.atomic
def claim_merge(*, claim: Claim, into: Claim, by: User) -> Claim:
    """Merge `claim` into `into` (the survivor, returned). Refused with a reason beside the picker when
    the two may not be merged (see `_refusals`)."""
    require(by, Action.MERGE_CLAIMS, claim)
    retired, survivor = _lock_both(claim, into)
    plan = merge_plan(claim=retired, into=survivor, by=by)
    reason = f"Moved from claim #{retired.pk}, merged into claim #{survivor.pk}"
    _carry_items(plan, by=by, reason=reason)
    _carry_links(plan, by=by, reason=reason)
    _repoint(plan, by=by)
    _take_over_people(plan, by=by)
    from_state = retired.state
    retired.state, retired.merged_into = Claim.State.MERGED, survivor
    save_on_record(
        retired, by=by, reason=f"Merged into claim #{survivor.pk}", update_fields=["state", "merged_into", "updated_at"]
    )
    summary = plan.summary()
    WorkflowEvent.objects.create(
        claim=retired, action="merge", from_state=from_state, to_state=retired.state, by=by, comment=summary
    )
    WorkflowEvent.objects.create(
        claim=survivor, action="merged_in", from_state=survivor.state, to_state=survivor.state, by=by, comment=summary
    )
    Claim.all_objects.filter(pk=survivor.pk).update(updated_at=timezone.now())
    bump_generation_on_commit()  # the matchers drop the retired claim
    if plan.redirects:  # the retired claim's page leaves the public side; the survivor's lists its verdicts
        transaction.on_commit(bump_public_generation)
    return survivor
