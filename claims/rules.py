"""Who may do what, and the workflow's transitions: the one place that decides.

`may(user, action, obj)` answers for views, templates and the admin. The
transition functions at the bottom move claims and verdicts along: each runs in
one transaction, locks the rows it changes, checks again on the locked rows,
and records who did it, when and why (WorkflowEvent plus the models' history).
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims import contributions
from claims.matching.generation import bump_generation_on_commit
from claims.models import Claim, Outreach, SiteSettings, User, Verdict, WorkflowEvent
from claims.notifications import notify, single_line
from claims.public_cache import bump_public_generation
from claims.publication import build_public_record
from claims.records import save_on_record
from claims.sanitise import sanitise_html
from claims.search import search_document_update

FACT_CHECKERS = "fact-checkers"
REVIEWERS = "reviewers"
ADMINS = "admins"
ROLE_GROUPS = (FACT_CHECKERS, REVIEWERS, ADMINS)


class Action(StrEnum):
    VIEW_STAFF_PAGES = "view_staff_pages"
    CHANGE_OWN_PASSWORD = "change_own_password"  # noqa: S105 - an action name
    MANAGE_OWN_ACCOUNT = "manage_own_account"  # two-factor devices, recovery codes, sessions
    CREATE_CLAIM = "create_claim"
    EDIT_CLAIM = "edit_claim"
    REMOVE_RECORD = "remove_record"
    RESTORE_RECORD = "restore_record"
    ASSIGN = "assign"
    USE_ADMIN = "use_admin"
    MANAGE_SITE = "manage_site"
    MANAGE_FEEDS = "manage_feeds"  # add, enable, disable and poll feeds (everyone on staff sees them)
    READ_FETCHED_FILES = "read_fetched_files"  # snapshots of fetched pages, served inert
    MANAGE_PEOPLE = "manage_people"  # invite staff, change their roles, deactivate and reactivate them
    # The workflow (obj is the claim or the verdict named)
    START_RESEARCH = "start_research"  # claim
    DRAFT_VERDICT = "draft_verdict"  # claim
    EDIT_VERDICT = "edit_verdict"  # verdict
    SUBMIT_VERDICT = "submit_verdict"  # verdict
    PUBLISH_VERDICT = "publish_verdict"  # verdict
    REQUEST_CHANGES = "request_changes"  # verdict
    DISMISS_CLAIM = "dismiss_claim"  # claim
    EDIT_RATING = "edit_rating"  # rating
    # What the public sends in; triaging it shows the sender's contact details
    TRIAGE_TIPS = "triage_tips"
    TRIAGE_ERROR_REPORTS = "triage_error_reports"


class TransitionConflict(Exception):
    """The claim or verdict moved on while the user was looking at it: nothing was changed."""


# --- Roles ----------------------------------------------------------------------------


def group_names(user) -> frozenset[str]:
    """The user's role groups, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_groups = cached
    return cached


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_admin(user) -> bool:
    return _active(user) and (user.is_superuser or ADMINS in group_names(user))


def is_reviewer(user) -> bool:
    """Reviewers, and admins, who may review too (but never their own work)."""
    return _active(user) and (REVIEWERS in group_names(user) or is_admin(user))


def is_fact_checker(user) -> bool:
    """Fact-checkers, and reviewers, who may do everything a fact-checker may."""
    return _active(user) and bool({FACT_CHECKERS, REVIEWERS} & group_names(user))


def is_staff_member(user) -> bool:
    return is_fact_checker(user) or is_admin(user)


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


def content_version(verdict) -> int:
    """The version of the claim's public content the verdict would publish (0: unchanged since last published)."""
    return max((pk for pk, _by_id in _open_round(verdict)), default=0)


def fact_checker_users():
    """Everyone a claim can be assigned to (the users `is_fact_checker` says yes to)."""
    return (
        User.objects.filter(is_active=True, groups__name__in=(FACT_CHECKERS, REVIEWERS)).distinct().order_by("username")
    )


def reviewer_users():
    """Everyone a review can be assigned to (the users `is_reviewer` says yes to)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=(REVIEWERS, ADMINS)) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


def admin_users():
    """Every active admin (the users `is_admin` says yes to)."""
    return User.objects.filter(is_active=True).filter(Q(groups__name=ADMINS) | Q(is_superuser=True)).distinct()


def _writes_claims(user) -> bool:
    return is_fact_checker(user) or is_admin(user)


# --- May this user do this? -------------------------------------------------------------

OPEN_CLAIM_STATES = ("new", "researching", "in_review")


def may(user, action: Action | str, obj=None) -> bool:
    """May `user` do `action` (to `obj`, where the answer depends on it)?"""
    action = Action(action)
    if not _active(user):
        return False
    match action:
        case Action.CHANGE_OWN_PASSWORD:
            return True
        case Action.USE_ADMIN | Action.MANAGE_SITE | Action.MANAGE_FEEDS | Action.MANAGE_PEOPLE:
            return is_admin(user)
        case Action.VIEW_STAFF_PAGES | Action.MANAGE_OWN_ACCOUNT | Action.READ_FETCHED_FILES:
            return is_staff_member(user)
        case Action.CREATE_CLAIM | Action.EDIT_CLAIM | Action.REMOVE_RECORD | Action.RESTORE_RECORD | Action.ASSIGN:
            return _writes_claims(user)
        case Action.TRIAGE_TIPS | Action.TRIAGE_ERROR_REPORTS:
            return _writes_claims(user)
        case Action.START_RESEARCH:
            return _writes_claims(user) and obj.state == "new"
        case Action.DRAFT_VERDICT:
            return _writes_claims(user) and _may_draft(obj)
        case Action.EDIT_VERDICT | Action.SUBMIT_VERDICT:
            return _writes_claims(user) and obj.state == "draft"
        case Action.PUBLISH_VERDICT | Action.REQUEST_CHANGES:
            return is_reviewer(user) and obj.state == "in_review" and user.pk not in verdict_contributor_ids(obj)
        case Action.DISMISS_CLAIM:
            return is_reviewer(user) and obj.state in OPEN_CLAIM_STATES and not _contributed_to_open_verdict(user, obj)
        case Action.EDIT_RATING:
            return is_admin(user) and not rating_is_locked(obj)
    raise ValueError(f"No rule for {action!r}")  # pragma: no cover - every Action has a case above


def _open_verdict(claim):
    return claim.verdicts.filter(state__in=("draft", "in_review")).first()


def _may_draft(claim) -> bool:
    """A first verdict while the claim is being worked; a correction, update or retraction once published."""
    if claim.removed_at is not None or claim.state == "dismissed":
        return False
    return _open_verdict(claim) is None


def _contributed_to_open_verdict(user, claim) -> bool:
    verdict = _open_verdict(claim)
    return verdict is not None and user.pk in verdict_contributor_ids(verdict)


def rating_is_locked(rating) -> bool:
    """A rating used by a published (or once published) verdict can no longer change."""
    return rating.pk is not None and rating.verdicts.filter(published_at__isnull=False).exists()


def scale_has_locked_ratings(scale) -> bool:
    return scale.ratings.filter(verdicts__published_at__isnull=False).exists()


def require(user, action: Action, obj=None) -> None:
    if not may(user, action, obj):
        raise PermissionDenied


# --- Transitions ------------------------------------------------------------------------------


def _record_event(*, claim, verdict=None, action: str, from_state: str, to_state: str, by, comment: str = ""):
    return WorkflowEvent.objects.create(
        claim=claim, verdict=verdict, action=action, from_state=from_state, to_state=to_state, by=by, comment=comment
    )


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


def _set_claim_state(claim, state: str, *, by, reason: str):
    claim.state = state
    save_on_record(claim, by=by, reason=reason, update_fields=["state", "updated_at"])


@transaction.atomic
def claim_start_research(*, claim, by):
    claim, _ = _lock(claim)
    require(by, Action.START_RESEARCH, claim)
    _set_claim_state(claim, "researching", by=by, reason="Research started")
    _record_event(claim=claim, action="start_research", from_state="new", to_state="researching", by=by)
    return claim


@transaction.atomic
def verdict_draft(*, claim, by, kind: str = "", rating=None, headline: str = "", explanation: str = ""):
    """Start a verdict: the first one, or a correction, update or retraction of a published claim."""
    claim, _ = _lock(claim)
    require(by, Action.DRAFT_VERDICT, claim)
    published = claim.verdicts.filter(state=Verdict.State.PUBLISHED).first()
    if published is None:
        kind = Verdict.Kind.FIRST
    elif kind not in (Verdict.Kind.CORRECTION, Verdict.Kind.UPDATE, Verdict.Kind.RETRACTION):
        raise ValidationError({"kind": "A published claim takes a correction, an update or a retraction."})
    verdict = Verdict(
        claim=claim,
        kind=kind,
        author=by,
        supersedes=published,
        rating=rating if rating is not None else (published.rating if published else None),
        headline=headline or (published.headline if published else ""),
        explanation=sanitise_html(explanation or (published.explanation if published else "")),
    )
    save_on_record(verdict, by=by, reason="Drafted")
    if claim.state == Claim.State.NEW:
        _set_claim_state(claim, Claim.State.RESEARCHING, by=by, reason="Verdict drafted")
    _record_event(claim=claim, verdict=verdict, action="draft", from_state="", to_state="draft", by=by)
    return verdict


@transaction.atomic
def verdict_edit(*, verdict, by, rating, headline: str, explanation: str, public_note: str = ""):
    """Edit a draft in place (its history is recorded, and the editor becomes a contributor)."""
    _claim, verdict = _lock(verdict.claim, verdict)
    require(by, Action.EDIT_VERDICT, verdict)
    verdict.rating, verdict.headline, verdict.public_note = rating, headline.strip(), public_note.strip()
    verdict.explanation = sanitise_html(explanation)
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
    if verdict.kind != "first" and not verdict.public_note.strip():
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

    claim, verdict = _lock(verdict.claim, verdict)
    require(by, Action.SUBMIT_VERDICT, verdict)
    _check_ready_for_review(verdict, claim)
    verdict.state, verdict.submitted_at = "in_review", timezone.now()
    save_on_record(verdict, by=by, reason="Submitted for review", update_fields=["state", "submitted_at", "updated_at"])
    if claim.state != Claim.State.PUBLISHED:
        _set_claim_state(claim, Claim.State.IN_REVIEW, by=by, reason="Submitted for review")
    _record_event(claim=claim, verdict=verdict, action="submit", from_state="draft", to_state="in_review", by=by)
    return verdict


@transaction.atomic
def verdict_request_changes(*, verdict, by, comment: str):
    """In review → draft (the claim back to researching), with the reviewer's comment."""

    if not comment.strip():
        raise ValidationError({"comment": "Say what needs to change."})
    claim, verdict = _lock(verdict.claim, verdict)
    require(by, Action.REQUEST_CHANGES, verdict)
    verdict.state, verdict.reviewer = "draft", by
    save_on_record(verdict, by=by, reason="Changes requested", update_fields=["state", "reviewer", "updated_at"])
    if claim.state == Claim.State.IN_REVIEW:
        _set_claim_state(claim, Claim.State.RESEARCHING, by=by, reason="Changes requested")
    _record_event(
        claim=claim, verdict=verdict, action="request_changes", from_state="in_review", to_state="draft", by=by,
        comment=comment.strip(),
    )  # fmt: skip
    for person in {claim.assignee, verdict.author} - {None, by}:
        notify(
            user=person,
            subject=f"Changes requested: {single_line(claim.text, 80)}",
            body=f"{by.get_username()} asked for changes to the verdict on “{claim.text}”:\n\n{comment.strip()}",
            path=f"/staff/claims/{claim.pk}/",
        )
    return verdict


@transaction.atomic
def verdict_publish(*, verdict, by, seen_version: int | None = None):
    """In review → published: the approval. Freezes the claim's public content into the verdict.

    `seen_version` is the content version the reviewer read (`content_version`); if anyone changed the
    public content since, nothing is published and the conflict says what changed. None (commands, the
    demo) publishes the content as it stands.
    """

    claim, verdict = _lock(verdict.claim, verdict)
    require(by, Action.PUBLISH_VERDICT, verdict)
    if seen_version is not None and content_version(verdict) != seen_version:
        raise TransitionConflict(content_moved_message(claim, seen_version))
    now = timezone.now()
    previous = claim.verdicts.select_for_update().filter(state=Verdict.State.PUBLISHED).first()
    if previous is not None:
        previous.state = Verdict.State.SUPERSEDED
        save_on_record(previous, by=by, reason="Superseded", update_fields=["state", "updated_at"])
    verdict.state, verdict.reviewer, verdict.published_at = Verdict.State.PUBLISHED, by, now
    verdict.published_record = build_public_record(claim=claim, verdict=verdict)
    save_on_record(verdict, by=by, reason="Published")
    contributions.close_round(claim=claim, verdict=verdict)
    search_document_update(verdict=verdict)
    if claim.state != Claim.State.PUBLISHED:
        from_state = claim.state
        _set_claim_state(claim, Claim.State.PUBLISHED, by=by, reason="Published")
    else:
        from_state = Claim.State.PUBLISHED
    _record_event(claim=claim, verdict=verdict, action="publish", from_state=from_state, to_state="published", by=by)
    # Any cached public page may show this claim (home, topics, feed…): render them afresh once it is public.
    transaction.on_commit(bump_public_generation)
    return verdict


@transaction.atomic
def claim_dismiss(*, claim, by, reason: str):
    """Any unpublished claim → dismissed (not worth checking, out of scope…), with the reason."""

    if not reason.strip():
        raise ValidationError({"reason": "Say why the claim is dismissed."})
    claim, _ = _lock(claim)
    require(by, Action.DISMISS_CLAIM, claim)
    from_state = claim.state
    for verdict in claim.verdicts.select_for_update().filter(state__in=("draft", "in_review")):
        verdict.state = Verdict.State.DRAFT
        save_on_record(verdict, by=by, reason="Claim dismissed", update_fields=["state", "updated_at"])
    _set_claim_state(claim, "dismissed", by=by, reason="Dismissed")
    bump_generation_on_commit()  # a dismissed claim is no longer matched
    _record_event(
        claim=claim, action="dismiss", from_state=from_state, to_state="dismissed", by=by, comment=reason.strip()
    )
    return claim
