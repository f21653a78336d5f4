"""claims.permissions.may: what each role may do (docs/architecture.md, "Roles"), asked in one place."""

import pytest
from django.contrib.auth.models import AnonymousUser

from claims import permissions
from claims.permissions import ADMINS, FACT_CHECKERS, REVIEWERS, Action, is_admin, is_fact_checker, is_reviewer, may
from tests.factories import ROLES, UserFactory

pytestmark = pytest.mark.django_db

# Actions decided by the role alone. The others depend on the claim, verdict or
# rating too and are tested with the workflow; anonymous and inactive users are
# refused them all the same (below).
ROLE_ACTIONS = {
    Action.VIEW_STAFF_PAGES,
    Action.CHANGE_OWN_PASSWORD,
    Action.MANAGE_OWN_ACCOUNT,
    Action.CREATE_CLAIM,
    Action.EDIT_CLAIM,
    Action.REMOVE_RECORD,
    Action.RESTORE_RECORD,
    Action.ASSIGN,
    Action.TRIAGE_TIPS,
    Action.TRIAGE_ERROR_REPORTS,
    Action.USE_ADMIN,
    Action.MANAGE_SITE,
    Action.MANAGE_FEEDS,
    Action.READ_FETCHED_FILES,
    Action.MANAGE_PEOPLE,
    Action.RECORD_REPEAT,
    Action.MANAGE_WEBHOOKS,
    Action.EXPORT_CLAIMS,
    Action.EXPORT_INTERNAL_FIELDS,
    Action.MANAGE_CLAIMREVIEW_SOURCES,
}
OBJECT_ACTIONS = {
    Action.START_RESEARCH,
    Action.DRAFT_VERDICT,
    Action.EDIT_VERDICT,
    Action.SUBMIT_VERDICT,
    Action.PUBLISH_VERDICT,
    Action.REQUEST_CHANGES,
    Action.DISMISS_CLAIM,
    Action.MERGE_CLAIMS,
    Action.EDIT_RATING,
    Action.APPROVE_REPEAT,  # tested with the repeats (tests/claims/test_repeats.py)
    Action.WITHDRAW_REPEAT,
}
ADMIN_ONLY = {Action.USE_ADMIN, Action.MANAGE_SITE, Action.MANAGE_FEEDS, Action.MANAGE_PEOPLE, Action.MANAGE_WEBHOOKS}
NEWSROOM = ROLE_ACTIONS - ADMIN_ONLY
# role -> the role-level actions it may do; every other one is refused.
ALLOWED = {
    "anonymous": set(),
    # A bulk copy of the internal fields is for reviewers and admins (docs/architecture.md, "Exports").
    # Other organisations' ClaimReview sources are added and read by reviewers and admins.
    "factchecker": NEWSROOM - {Action.EXPORT_INTERNAL_FIELDS, Action.MANAGE_CLAIMREVIEW_SOURCES},
    "reviewer": NEWSROOM,
    "admin": ROLE_ACTIONS,
}


def test_every_action_is_tested_here_or_with_the_workflow():
    assert set(Action) == ROLE_ACTIONS | OBJECT_ACTIONS, "classify the new action in tests/claims/test_permissions.py"
    assert not ROLE_ACTIONS & OBJECT_ACTIONS
    assert set(ALLOWED) == set(ROLES)
    assert set(permissions._ROLE_RULES) == set(Action), "say which roles hold the new action"


def test_an_action_that_depends_on_its_object_must_be_given_it(reviewer):
    with pytest.raises(TypeError):
        may(reviewer, Action.PUBLISH_VERDICT)


@pytest.mark.parametrize("action", sorted(ROLE_ACTIONS), ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_may_answers_each_role_and_action(user_for, role, action):
    user = user_for(role) or AnonymousUser()
    assert may(user, action) is (action in ALLOWED[role])


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_an_anonymous_visitor_may_nothing(action):
    assert not may(AnonymousUser(), action)


@pytest.mark.parametrize("action", sorted(ROLE_ACTIONS), ids=str)
def test_a_signed_in_user_without_a_role_may_only_change_their_password(action):
    assert may(UserFactory(), action) is (action is Action.CHANGE_OWN_PASSWORD)


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: UserFactory(is_active=False, groups=[FACT_CHECKERS]),
        lambda: UserFactory(is_active=False, groups=[REVIEWERS]),
        lambda: UserFactory(is_active=False, groups=[ADMINS]),
        lambda: UserFactory(is_active=False, is_superuser=True),
    ],
    ids=["fact-checker", "reviewer", "admin", "superuser"],
)
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_an_inactive_user_may_nothing(make_user, action):
    assert not may(make_user(), action)


def test_a_superuser_without_the_admins_group_is_an_admin():
    user = UserFactory(is_superuser=True)
    assert all(may(user, action) for action in ROLE_ACTIONS)


def test_an_admin_who_is_not_a_superuser_may_use_the_admin_and_the_newsroom():
    user = UserFactory(groups=[ADMINS])
    assert all(may(user, action) for action in ROLE_ACTIONS)


def test_a_user_in_several_groups_may_what_each_of_them_may():
    user = UserFactory(groups=[FACT_CHECKERS, ADMINS])
    assert all(may(user, action) for action in ROLE_ACTIONS)
    assert is_fact_checker(user) and is_admin(user)


def test_a_reviewer_is_also_a_fact_checker_but_not_an_admin(reviewer):
    assert is_fact_checker(reviewer) and is_reviewer(reviewer)
    assert not is_admin(reviewer)


def test_a_fact_checker_is_not_a_reviewer(factchecker):
    assert is_fact_checker(factchecker)
    assert not is_reviewer(factchecker)


def test_actions_may_be_named_by_their_string_value(factchecker):
    assert may(factchecker, "view_staff_pages")
    assert not may(factchecker, "use_admin")


def test_an_unknown_action_is_an_error_not_a_refusal(factchecker):
    with pytest.raises(ValueError):
        may(factchecker, "launch_rockets")
