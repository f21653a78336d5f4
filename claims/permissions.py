"""Who may do what: the roles, the `Action` enum, `may` and `require`. Imports only the models.

`may(user, action, obj)` answers for views, templates (through the `can` flags the views pass), the
admin and every service. An action is first a matter of role (`_ROLE_RULES`). The workflow's actions
also depend on the claim or verdict named — its state, the two-person rule: those conditions are rows
of the transition table in claims/workflow.py, which hands them over with `register_state_rules` when
the app loads, so that "from which state" is written once and this module imports nothing but models.
See docs/architecture.md, "Layers" and "The workflow".
"""

from collections.abc import Callable, Mapping
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q

from claims.models import Intervention, Rating, RatingScale, ReviewState, User

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
    # The workflow (obj is the claim or the verdict named; claims/workflow.py says from which state)
    START_RESEARCH = "start_research"  # claim
    DRAFT_VERDICT = "draft_verdict"  # claim
    EDIT_VERDICT = "edit_verdict"  # verdict
    SUBMIT_VERDICT = "submit_verdict"  # verdict
    PUBLISH_VERDICT = "publish_verdict"  # verdict
    REQUEST_CHANGES = "request_changes"  # verdict
    DISMISS_CLAIM = "dismiss_claim"  # claim
    MERGE_CLAIMS = "merge_claims"  # either claim of a merge: the one retired, or the one it is merged into
    EDIT_RATING = "edit_rating"  # rating
    # What the public sends in; triaging it shows the sender's contact details
    TRIAGE_TIPS = "triage_tips"
    TRIAGE_ERROR_REPORTS = "triage_error_reports"
    # Repeats of a published claim, and what the newsroom did about them (obj: the repeat or intervention)
    RECORD_REPEAT = "record_repeat"
    APPROVE_REPEAT = "approve_repeat"  # adds it to the published record: nobody approves what they recorded
    WITHDRAW_REPEAT = "withdraw_repeat"  # a pending one (its recorder or a reviewer); an approved one (a reviewer)
    # Partners' webhook subscriptions (their addresses and secrets) and the deliveries' log
    MANAGE_WEBHOOKS = "manage_webhooks"
    # Exports of the claims: everyone on staff; internal fields (notes, assignees, drafts, confidential
    # sources) only in the exports of those who hold EXPORT_INTERNAL_FIELDS. Tip contacts never.
    EXPORT_CLAIMS = "export_claims"
    EXPORT_INTERNAL_FIELDS = "export_internal_fields"
    # Other organisations' ClaimReview: add sources, read them now, upload a data feed (everyone on staff sees them)
    MANAGE_CLAIMREVIEW_SOURCES = "manage_claimreview_sources"


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


def role_of(user) -> str:
    """The role group a person holds, active or not ("" for none); a superuser is an admin. Reads
    `user.groups.all()`, so a prefetch serves a whole list (the People page)."""
    names = {group.name for group in user.groups.all()}
    if user.is_superuser or ADMINS in names:
        return ADMINS
    return next((name for name in (REVIEWERS, FACT_CHECKERS) if name in names), "")


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


def _writes_claims(user) -> bool:
    return is_fact_checker(user) or is_admin(user)


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


# --- May this user do this? -------------------------------------------------------------

# Which role may do each action at all. Object conditions come after (`_object_rules`).
_ROLE_RULES: dict[Action, Callable[[User], bool]] = {
    Action.CHANGE_OWN_PASSWORD: _active,
    Action.USE_ADMIN: is_admin,
    Action.MANAGE_SITE: is_admin,
    Action.MANAGE_FEEDS: is_admin,
    Action.MANAGE_CLAIMREVIEW_SOURCES: is_reviewer,
    Action.MANAGE_PEOPLE: is_admin,
    Action.EDIT_RATING: is_admin,
    Action.MANAGE_WEBHOOKS: is_admin,
    Action.EXPORT_CLAIMS: is_staff_member,
    Action.EXPORT_INTERNAL_FIELDS: is_reviewer,  # a bulk copy of what the team keeps to itself: reviewers, admins
    Action.VIEW_STAFF_PAGES: is_staff_member,
    Action.MANAGE_OWN_ACCOUNT: is_staff_member,
    Action.READ_FETCHED_FILES: is_staff_member,
    Action.CREATE_CLAIM: _writes_claims,
    Action.EDIT_CLAIM: _writes_claims,
    Action.REMOVE_RECORD: _writes_claims,
    Action.RESTORE_RECORD: _writes_claims,
    Action.ASSIGN: _writes_claims,
    Action.TRIAGE_TIPS: _writes_claims,
    Action.TRIAGE_ERROR_REPORTS: _writes_claims,
    Action.START_RESEARCH: _writes_claims,
    Action.DRAFT_VERDICT: _writes_claims,
    Action.EDIT_VERDICT: _writes_claims,
    Action.SUBMIT_VERDICT: _writes_claims,
    Action.PUBLISH_VERDICT: is_reviewer,
    Action.REQUEST_CHANGES: is_reviewer,
    Action.DISMISS_CLAIM: is_reviewer,
    Action.RECORD_REPEAT: _writes_claims,
    Action.APPROVE_REPEAT: is_reviewer,
    Action.WITHDRAW_REPEAT: _writes_claims,
    Action.MERGE_CLAIMS: _writes_claims,  # a reviewer when either claim is published: the workflow's row
}

ObjectRule = Callable[[User, object], bool]


def rating_is_locked(rating: Rating) -> bool:
    """A rating used by a published (or once published) verdict can no longer change."""
    return rating.pk is not None and rating.verdicts.filter(published_at__isnull=False).exists()


def scale_has_locked_ratings(scale: RatingScale) -> bool:
    return scale.ratings.filter(verdicts__published_at__isnull=False).exists()


def may_approve_addition(user, item) -> bool:
    """A pending repeat (or intervention) recorded by someone else; an intervention once its repeat is public."""
    if item.state != ReviewState.PENDING or item.recorded_by_id == user.pk:
        return False
    return not isinstance(item, Intervention) or item.repeat.state == ReviewState.APPROVED


def may_withdraw_addition(user, item) -> bool:
    """Withdrawing a pending one undoes a recording; an approved one leaves the public record: a reviewer's call."""
    if item.state == ReviewState.PENDING:
        return item.recorded_by_id == user.pk or is_reviewer(user)
    return item.state == ReviewState.APPROVED and is_reviewer(user)


WORKFLOW_ACTIONS = frozenset({
    Action.START_RESEARCH, Action.DRAFT_VERDICT, Action.EDIT_VERDICT, Action.SUBMIT_VERDICT,
    Action.PUBLISH_VERDICT, Action.REQUEST_CHANGES, Action.DISMISS_CLAIM, Action.MERGE_CLAIMS,
})  # fmt: skip


def _workflow_not_loaded(user, obj) -> bool:
    raise ImproperlyConfigured("claims.workflow gives the workflow's rules to `may` when the app loads")


# Conditions on the object named, for the actions that have one. The workflow's come from its
# transition table (claims/workflow.py, `register_state_rules`).
_object_rules: dict[Action, ObjectRule] = {
    Action.EDIT_RATING: lambda user, rating: not rating_is_locked(rating),
    Action.APPROVE_REPEAT: may_approve_addition,
    Action.WITHDRAW_REPEAT: may_withdraw_addition,
    **dict.fromkeys(WORKFLOW_ACTIONS, _workflow_not_loaded),
}


def register_state_rules(rules: Mapping[Action, ObjectRule]) -> None:
    """Give `may` the workflow's conditions (from-state, guard): one for each of WORKFLOW_ACTIONS."""
    if set(rules) != WORKFLOW_ACTIONS:
        raise ImproperlyConfigured(f"The workflow's table covers {sorted(rules)}, not {sorted(WORKFLOW_ACTIONS)}")
    _object_rules.update(rules)


def may(user, action: Action | str, obj=None) -> bool:
    """May `user` do `action` (to `obj`, where the answer depends on it)?"""
    action = Action(action)
    if not _active(user) or not _ROLE_RULES[action](user):
        return False
    object_rule = _object_rules.get(action)
    if object_rule is None:
        return True
    if obj is None:
        raise TypeError(f"{action!r} depends on the object it is done to: pass it")
    return object_rule(user, obj)


def require(user, action: Action, obj=None) -> None:
    if not may(user, action, obj):
        raise PermissionDenied
