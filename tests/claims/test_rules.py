"""claims.rules.may: what each role may do (DESIGN §1), asked in one place."""

import pytest
from django.contrib.auth.models import AnonymousUser

from claims.rules import ADMINS, FACT_CHECKERS, REVIEWERS, Action, may
from tests.factories import ROLES, UserFactory

pytestmark = pytest.mark.django_db

NEWSROOM = {
    Action.VIEW_STAFF_PAGES,
    Action.CHANGE_OWN_PASSWORD,
    Action.CREATE_CLAIM,
    Action.EDIT_CLAIM,
    Action.REMOVE_RECORD,
    Action.RESTORE_RECORD,
}
# role -> the actions it may do; every other action is refused.
ALLOWED = {
    "anonymous": set(),
    "factchecker": NEWSROOM,
    "reviewer": NEWSROOM,
    "admin": set(Action),
}


def test_every_action_has_an_answer_for_every_role():
    assert set(ALLOWED) == set(ROLES)


@pytest.mark.parametrize("action", list(Action), ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_may_answers_each_role_and_action(user_for, role, action):
    user = user_for(role) or AnonymousUser()
    assert may(user, action) is (action in ALLOWED[role])


@pytest.mark.parametrize("action", list(Action), ids=str)
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
    assert may(user, Action.USE_ADMIN) and may(user, Action.MANAGE_SITE)
    assert may(user, Action.VIEW_STAFF_PAGES)


def test_a_user_in_several_groups_may_what_each_of_them_may():
    user = UserFactory(groups=[FACT_CHECKERS, ADMINS])
    assert all(may(user, action) for action in Action)


def test_an_admin_who_is_not_a_superuser_may_use_the_admin_and_the_newsroom():
    user = UserFactory(groups=[ADMINS])
    assert all(may(user, action) for action in Action)


def test_actions_may_be_named_by_their_string_value(factchecker):
    assert may(factchecker, "view_staff_pages")
    assert not may(factchecker, "use_admin")


def test_an_unknown_action_is_an_error_not_a_refusal(factchecker):
    with pytest.raises(ValueError):
        may(factchecker, "launch_rockets")
