"""The review workflow: one table of transitions over the models' state enums, and the functions that make them.

Each row of `TRANSITIONS` says which object it is asked about (a claim or a verdict), the states it
starts from, the state it leaves behind, the `Action` whose role may make it and any further condition
(the guard: the two-person rule, nothing else in the works). `may` reads the rows (they are handed to
claims.permissions when this module loads), so the buttons, the views and the transition functions
agree. Each transition function runs in one transaction: it locks the claim then the verdict, checks
its row on the locked rows, and records who did it, when and why (a WorkflowEvent plus the models'
history). See docs/architecture.md, "The workflow".
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from claims import contributions, jobs, webhooks
from claims.alerts import ALERTED_ACTIONS
from claims.matching.generation import bump_generation_on_commit
from claims.models import (
    OPEN_CLAIM_STATES,
    OPEN_VERDICT_STATES,
    Claim,
    Outreach,
    SiteSettings,
    Tip,
    User,
    Verdict,
    WorkflowEvent,
)
from claims.permissions import Action, is_reviewer, register_state_rules, require
from claims.publishing.build import build_public_record
from claims.publishing.cache import bump_public_generation
from claims.records import save_on_record
from claims.search import search_document_update

ClaimState: TypeAlias = Claim.State
VerdictState: TypeAlias = Verdict.State


class TransitionConflict(Exception):
    """The claim or verdict moved on while the user was looking at it: nothing was changed."""


def open_verdict(claim: Claim) -> Verdict | None:
    """The claim's verdict in the works (draft or in review), from its prefetched verdicts if the page has them."""
    return next((verdict for verdict in claim.verdicts.all() if verdict.state in OPEN_VERDICT_STATES), None)


# --- Who wrote what the verdict would publish (the two-person rule) -------------------------


def _open_round(verdict) -> list[tuple[int, int]]:
    """The contributions to the verdict's claim since its last publication, read once per verdict object.

    A page asks for several buttons at once, and the transitions work on freshly locked copies.
    """
    cached = getattr(verdict, "_open_round", None)
    if cached is None:
        cached = verdict._open_round = contributions.open_round(verdict.claim_id)
    return cached


def verdict_contributor_ids(verdict) -> set[int]:
    """Everyone whose writing publishing the verdict would make public: its author, and whoever changed
    the claim's public content (the claim, statements, evidence, citations, outreach, the verdict) since
    the claim was last published. Read from the contributions on file (claims/contributions.py), never
    from the wording of history messages.
    """
    if verdict.pk is None:
        return {verdict.author_id}
    return {verdict.author_id, *(by_id for _pk, by_id in _open_round(verdict))}


@dataclass(frozen=True)
class OwnPart:
    """Why `user` may neither publish a verdict nor request changes to it: what they wrote of it."""

    wrote_the_verdict: bool
    changes: list[str]  # e.g. "statement #4 (quote) edited at 14:02:03", oldest first


def own_part(verdict, user) -> OwnPart | None:
    """The user's part in what publishing the verdict would make public, or None if they had none."""
    if user.pk not in verdict_contributor_ids(verdict):
        return None
    changes = contributions.by_person(verdict.claim_id, user.pk)
    return OwnPart(
        wrote_the_verdict=verdict.author_id == user.pk,
        changes=[contributions.describe(change, with_author=False) for change in changes],
    )


def content_version(verdict) -> int:
    """The version of the claim's public content the verdict would publish (0: unchanged since last published)."""
    return max((pk for pk, _by_id in _open_round(verdict)), default=0)


# --- The table ----------------------------------------------------------------------------


def _did_not_write_it(user: User, verdict: Verdict) -> bool:
    return user.pk not in verdict_contributor_ids(verdict)


def _did_not_write_the_open_verdict(user: User, claim: Claim) -> bool:
    verdict = open_verdict(claim)
    return verdict is None or _did_not_write_it(user, verdict)


def _nothing_in_the_works(user: User, claim: Claim) -> bool:
    """A first verdict while the claim is being worked; a correction, update or retraction once published."""
    return claim.removed_at is None and open_verdict(claim) is None


def _live_and_reviewed_if_published(user: User, claim: Claim) -> bool:
    """Merging changes a published claim's public page (or retires it): a reviewer's call."""
    return claim.removed_at is None and (claim.state != ClaimState.PUBLISHED or is_reviewer(user))


@dataclass(frozen=True)
class Transition:
    name: str  # also the WorkflowEvent's action
    model: type[Claim] | type[Verdict]  # what it is asked about: the claim, or its verdict in the works
    source: frozenset[ClaimState] | frozenset[VerdictState]  # the states of that object it starts from
    target: ClaimState | VerdictState  # the state it leaves that object in ("draft" makes a new verdict)
    action: Action  # which roles may make it: claims.permissions
    guard: Callable[[User, Any], bool] | None = None  # anything else that must hold (on the claim or the verdict)

    def allows(self, user: User, obj: Claim | Verdict) -> bool:
        """Does the object's state (and the guard) allow it? The role is `may`'s question."""
        return (
            isinstance(obj, self.model) and obj.state in self.source and (self.guard is None or self.guard(user, obj))
        )


TRANSITIONS: dict[str, Transition] = {
    row.name: row
    for row in (
        Transition("start_research", Claim, frozenset({ClaimState.NEW}), ClaimState.RESEARCHING, Action.START_RESEARCH),
        Transition(
            "draft",
            Claim,
            frozenset({ClaimState.NEW, ClaimState.RESEARCHING, ClaimState.IN_REVIEW, ClaimState.PUBLISHED}),
            VerdictState.DRAFT,
            Action.DRAFT_VERDICT,
            _nothing_in_the_works,
        ),
        Transition("edit", Verdict, frozenset({VerdictState.DRAFT}), VerdictState.DRAFT, Action.EDIT_VERDICT),
        Transition("submit", Verdict, frozenset({VerdictState.DRAFT}), VerdictState.IN_REVIEW, Action.SUBMIT_VERDICT),
        Transition(
            "request_changes",
            Verdict,
            frozenset({VerdictState.IN_REVIEW}),
            VerdictState.DRAFT,
            Action.REQUEST_CHANGES,
            _did_not_write_it,
        ),
        Transition(
            "publish",
            Verdict,
            frozenset({VerdictState.IN_REVIEW}),
            VerdictState.PUBLISHED,
            Action.PUBLISH_VERDICT,
            _did_not_write_it,
        ),
        Transition(
            "dismiss",
            Claim,
            OPEN_CLAIM_STATES,
            ClaimState.DISMISSED,
            Action.DISMISS_CLAIM,
            _did_not_write_the_open_verdict,
        ),
        # Asked about each of the two claims; the one retired moves to "merged" (claims/merging.py).
        Transition(
            "merge",
            Claim,
            OPEN_CLAIM_STATES | {ClaimState.PUBLISHED},
            ClaimState.MERGED,
            Action.MERGE_CLAIMS,
            _live_and_reviewed_if_published,
        ),
    )
}

register_state_rules({row.action: row.allows for row in TRANSITIONS.values()})


# --- Making them ----------------------------------------------------------------------------


def _record_event(*, claim, verdict=None, action: str, from_state: str, to_state: str, by, comment: str = ""):
    event = WorkflowEvent.objects.create(
        claim=claim, verdict=verdict, action=action, from_state=from_state, to_state=to_state, by=by, comment=comment
    )
    if action in ALERTED_ACTIONS:  # the worker tells whoever must act, once the move is committed
        transaction.on_commit(lambda: jobs.enqueue_event_alerts(event.pk))
    return event


def moved_on_message(record, seen_state: str) -> str:
    """Explain, from the last event, why a claim or verdict is no longer in the state the user saw."""
    noun = "verdict" if isinstance(record, Verdict) else "claim"
    last = record.events.select_related("by").first()
    who = f" by {last.by.get_username()}" if last and last.by else ""
    when = f" at {timezone.localtime(last.at):%H:%M:%S}" if last else ""
    return (
        f"This {noun} is now {record.get_state_display().lower()} (it was {seen_state.replace('_', ' ')} when you "
        f"loaded the page): it was changed{who}{when}. Nothing was changed by your action; reload to see it."
    )


def content_moved_message(claim, seen_version: int) -> str:
    """Explain what changed in the claim's public content since the user loaded the page."""
    changes = contributions.changes_since(claim.pk, seen_version)
    what = "; ".join(contributions.describe(change) for change in changes) or "it was changed"
    return (
        f"The claim's content changed after you loaded the page: {what}. "
        "Nothing was published; reload to review the changes."
    )


def _lock(claim, verdict=None):
    """Lock the claim, then the verdict (always in this order), and check nobody moved them meanwhile."""
    locked_claim = Claim.all_objects.select_for_update().get(pk=claim.pk)
    if locked_claim.state != claim.state:
        raise TransitionConflict(moved_on_message(locked_claim, claim.state))
    if verdict is None:
        return locked_claim, None
    locked_verdict = Verdict.objects.select_for_update().get(pk=verdict.pk)
    if locked_verdict.state != verdict.state:
        raise TransitionConflict(moved_on_message(locked_verdict, verdict.state))
    return locked_claim, locked_verdict


def _begin(name: str, *, by, claim, verdict=None) -> tuple[Transition, Claim, Verdict | None]:
    """Lock the rows, then check the transition's row (from-state, role, guard) on the locked copies."""
    row = TRANSITIONS[name]
    claim, verdict = _lock(claim, verdict)
    require(by, row.action, verdict if row.model is Verdict else claim)
    return row, claim, verdict


def _set_claim_state(claim, state: ClaimState, *, by, reason: str):
    claim.state = state
    save_on_record(claim, by=by, reason=reason, update_fields=["state", "updated_at"])


@transaction.atomic
def claim_start_research(*, claim, by):
    row, claim, _ = _begin("start_research", by=by, claim=claim)
    from_state = claim.state
    _set_claim_state(claim, row.target, by=by, reason="Research started")
    _record_event(claim=claim, action=row.name, from_state=from_state, to_state=row.target, by=by)
    return claim


@transaction.atomic
def verdict_draft(*, claim, by, kind: str = "", rating=None, headline: str = "", explanation: str = ""):
    """Start a verdict: the first one, or a correction, update or retraction of a published claim."""
    row, claim, _ = _begin("draft", by=by, claim=claim)
    published = claim.verdicts.filter(state=VerdictState.PUBLISHED).first()
    if published is None:
        kind = Verdict.Kind.FIRST
    elif kind not in (Verdict.Kind.CORRECTION, Verdict.Kind.UPDATE, Verdict.Kind.RETRACTION):
        raise ValidationError({"kind": gettext("A published claim takes a correction, an update or a retraction.")})
    verdict = Verdict(
        claim=claim,
        kind=kind,
        state=row.target,
        author=by,
        supersedes=published,
        rating=rating if rating is not None else (published.rating if published else None),
        headline=headline or (published.headline if published else ""),
        explanation=(explanation or (published.explanation if published else "")).strip(),  # Markdown
    )
    save_on_record(verdict, by=by, reason="Drafted")
    if claim.state == ClaimState.NEW:
        _set_claim_state(claim, ClaimState.RESEARCHING, by=by, reason="Verdict drafted")
    _record_event(claim=claim, verdict=verdict, action=row.name, from_state="", to_state=row.target, by=by)
    return verdict


@transaction.atomic
def verdict_edit(*, verdict, by, rating, headline: str, explanation: str, public_note: str = ""):
    """Edit a draft in place (its history is recorded, and the editor becomes a contributor)."""
    _row, _claim, verdict = _begin("edit", by=by, claim=verdict.claim, verdict=verdict)
    verdict.rating, verdict.headline, verdict.public_note = rating, headline.strip(), public_note.strip()
    verdict.explanation = explanation.strip()  # Markdown: rendered and sanitised where it is shown
    return save_on_record(verdict, by=by, reason="Edited")


def _check_ready_for_review(verdict, claim) -> None:
    problems = {}
    scale = SiteSettings.load().active_rating_scale
    if verdict.rating is None and not (scale and scale.conclusion_only):
        problems["rating"] = "Choose a rating."
    if not verdict.headline.strip():
        problems["headline"] = "Write the headline: the conclusion in one sentence."
    if not verdict.explanation.strip():
        problems["explanation"] = "Write the explanation."
    if verdict.kind != Verdict.Kind.FIRST and not verdict.public_note.strip():
        problems["public_note"] = "Say publicly what changed and why."
    if not Outreach.objects.filter(claim=claim).exists():
        problems["__all__"] = (
            "Record the right of reply first: whom you contacted, when and how, and their answer — "
            "or why contact was not possible."
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def verdict_submit(*, verdict, by):
    """Draft → in review. Needs the right of reply on record."""

    row, claim, verdict = _begin("submit", by=by, claim=verdict.claim, verdict=verdict)
    _check_ready_for_review(verdict, claim)
    from_state = verdict.state
    verdict.state, verdict.submitted_at = row.target, timezone.now()
    save_on_record(verdict, by=by, reason="Submitted for review", update_fields=["state", "submitted_at", "updated_at"])
    if claim.state != ClaimState.PUBLISHED:
        _set_claim_state(claim, ClaimState.IN_REVIEW, by=by, reason="Submitted for review")
    _record_event(claim=claim, verdict=verdict, action=row.name, from_state=from_state, to_state=row.target, by=by)
    return verdict


@transaction.atomic
def verdict_request_changes(*, verdict, by, comment: str):
    """In review → draft (the claim back to researching), with the reviewer's comment."""

    if not comment.strip():
        raise ValidationError({"comment": gettext("Say what needs to change.")})
    row, claim, verdict = _begin("request_changes", by=by, claim=verdict.claim, verdict=verdict)
    from_state = verdict.state
    verdict.state, verdict.reviewer = row.target, by
    save_on_record(verdict, by=by, reason="Changes requested", update_fields=["state", "reviewer", "updated_at"])
    if claim.state == ClaimState.IN_REVIEW:
        _set_claim_state(claim, ClaimState.RESEARCHING, by=by, reason="Changes requested")
    _record_event(
        claim=claim, verdict=verdict, action=row.name, from_state=from_state, to_state=row.target, by=by,
        comment=comment.strip(),
    )  # fmt: skip
    return verdict


@transaction.atomic
def verdict_publish(*, verdict, by, seen_version: int | None = None):
    """In review → published: the approval. Freezes the claim's public content into the verdict.

    `seen_version` is the content version the reviewer read (`content_version`); if anyone changed the
    public content since, nothing is published and the conflict says what changed. None (commands, the
    demo) publishes the content as it stands.
    """

    row, claim, verdict = _begin("publish", by=by, claim=verdict.claim, verdict=verdict)
    if seen_version is not None and content_version(verdict) != seen_version:
        raise TransitionConflict(content_moved_message(claim, seen_version))
    now = timezone.now()
    previous = claim.verdicts.select_for_update().filter(state=VerdictState.PUBLISHED).first()
    if previous is not None:
        previous.state = VerdictState.SUPERSEDED
        save_on_record(previous, by=by, reason="Superseded", update_fields=["state", "updated_at"])
    verdict.state, verdict.reviewer, verdict.published_at = row.target, by, now
    verdict.published_record = build_public_record(claim=claim, verdict=verdict)
    save_on_record(verdict, by=by, reason="Published")
    contributions.close_round(claim=claim, verdict=verdict)
    search_document_update(verdict=verdict)
    # The event records the claim's move (a correction finds it published already).
    from_state = claim.state
    if claim.state != ClaimState.PUBLISHED:
        _set_claim_state(claim, ClaimState.PUBLISHED, by=by, reason="Published")
    _record_event(claim=claim, verdict=verdict, action=row.name, from_state=from_state, to_state=row.target, by=by)
    # Partners subscribed to the event are sent it by the worker once this commits (claims/webhooks.py).
    webhooks.queue_publication_events(verdict)
    # Any cached public page may show this claim (home, topics, feed…): render them afresh once it is public.
    transaction.on_commit(bump_public_generation)
    if Tip.objects.filter(claim=claim, wants_answer=True, told_at__isnull=True).exists():
        transaction.on_commit(lambda: jobs.enqueue_telling_tip_senders(claim.pk))
    return verdict


@transaction.atomic
def claim_dismiss(*, claim, by, reason: str):
    """Any unpublished claim → dismissed (not worth checking, out of scope…), with the reason."""

    if not reason.strip():
        raise ValidationError({"reason": gettext("Say why the claim is dismissed.")})
    row, claim, _ = _begin("dismiss", by=by, claim=claim)
    from_state = claim.state
    for verdict in claim.verdicts.select_for_update().filter(state__in=OPEN_VERDICT_STATES):
        verdict.state = VerdictState.DRAFT
        save_on_record(verdict, by=by, reason="Claim dismissed", update_fields=["state", "updated_at"])
    _set_claim_state(claim, row.target, by=by, reason="Dismissed")
    bump_generation_on_commit()  # a dismissed claim is no longer matched
    _record_event(
        claim=claim, action=row.name, from_state=from_state, to_state=row.target, by=by, comment=reason.strip()
    )
    return claim
