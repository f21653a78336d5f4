"""Who may do what: the one place that answers it.

Views, templates (through the `may` filter), the admin and services all ask
`may(user, action, obj)`; none of them decides on its own.
"""

from enum import StrEnum

FACT_CHECKERS = "fact-checkers"
REVIEWERS = "reviewers"
ADMINS = "admins"
ROLE_GROUPS = (FACT_CHECKERS, REVIEWERS, ADMINS)


class Action(StrEnum):
    VIEW_STAFF_PAGES = "view_staff_pages"
    CHANGE_OWN_PASSWORD = "change_own_password"  # noqa: S105 - an action name
    CREATE_CLAIM = "create_claim"
    EDIT_CLAIM = "edit_claim"
    REMOVE_RECORD = "remove_record"
    RESTORE_RECORD = "restore_record"
    USE_ADMIN = "use_admin"
    MANAGE_SITE = "manage_site"


def group_names(user) -> frozenset[str]:
    """The user's role groups, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_groups = cached
    return cached


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or ADMINS in group_names(user))


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.is_active and REVIEWERS in group_names(user)


def is_fact_checker(user) -> bool:
    """Fact-checkers, and reviewers, who may do everything a fact-checker may."""
    return user.is_authenticated and user.is_active and bool({FACT_CHECKERS, REVIEWERS} & group_names(user))


def is_staff_member(user) -> bool:
    return is_fact_checker(user) or is_admin(user)


def may(user, action: Action | str, obj=None) -> bool:
    """May `user` do `action` (to `obj`, where the answer depends on it)?"""
    action = Action(action)
    if action is Action.CHANGE_OWN_PASSWORD:
        return user.is_authenticated and user.is_active
    if action in (Action.USE_ADMIN, Action.MANAGE_SITE):
        return is_admin(user)
    if action in (
        Action.VIEW_STAFF_PAGES,
        Action.CREATE_CLAIM,
        Action.EDIT_CLAIM,
        Action.REMOVE_RECORD,
        Action.RESTORE_RECORD,
    ):
        return is_staff_member(user)
    raise ValueError(f"No rule for {action!r}")  # pragma: no cover - every Action has a branch above
