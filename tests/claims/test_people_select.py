"""The people pickers (assignee, reviewer) and the search filters draw the same select as Django's, without a
template per option."""

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.test.html import parse_html

from claims import selectors
from claims.forms import AssignForm, ClaimFilterForm, PlainSelect, ReviewerForm, SearchForm
from claims.permissions import FACT_CHECKERS, REVIEWERS
from claims.search import SearchFacets
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def drawn_by_django(bound_field) -> str:
    widget = forms.Select(choices=bound_field.field.choices)
    return widget.render(bound_field.html_name, bound_field.value(), attrs={"id": bound_field.auto_id})


@pytest.mark.parametrize(
    ("form_class", "field"), [(AssignForm, "assignee"), (ReviewerForm, "reviewer"), (ClaimFilterForm, "assignee")]
)
def test_the_picker_is_the_select_django_would_draw(form_class, field):
    people = [UserFactory(username=f"person{n}<&>", groups=[FACT_CHECKERS, REVIEWERS][n % 2 :][:1]) for n in range(6)]
    form = form_class(initial={field: people[1].pk})  # a reviewer: every picker offers them
    bound = form[field]
    assert isinstance(bound.field.widget, PlainSelect)
    assert parse_html(str(bound)) == parse_html(drawn_by_django(bound))
    assert "person1&lt;&amp;&gt;</option>" in str(bound) and " selected>person1" in str(bound)


def test_the_search_filters_are_the_selects_django_would_draw():
    facets = SearchFacets(
        ratings=[], rating_labels={}, topics=[("health", "Health & care"), ("war", "War")], claimants=[(7, "A <b>")]
    )
    form = SearchForm({"topic": "war", "claimant": "7"}, facets=facets)
    for field in ("rating", "topic", "claimant"):
        assert isinstance(form[field].field.widget, PlainSelect)
        assert parse_html(str(form[field])) == parse_html(drawn_by_django(form[field]))
    assert "A &lt;b&gt;" in str(form["claimant"])


# --- The staff list each process keeps (claims.selectors.people_to_pick) ---------------------------------


def offered(form_class, field) -> str:
    return str(form_class()[field])


def test_the_pickers_are_drawn_without_reading_the_staff_list_again(django_assert_num_queries):
    UserFactory(username="checker", groups=[FACT_CHECKERS])
    offered(AssignForm, "assignee")  # read once
    with django_assert_num_queries(0):
        assert ">checker</option>" in offered(AssignForm, "assignee")
        assert ">checker</option>" not in offered(ReviewerForm, "reviewer")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda person: person.groups.add(Group.objects.get_or_create(name=REVIEWERS)[0]), id="role given"),
        pytest.param(lambda person: person.groups.clear(), id="role taken away"),
        pytest.param(
            lambda person: setattr(person, "is_active", False) or person.save(update_fields=["is_active"]),
            id="deactivated",
        ),
        pytest.param(lambda person: setattr(person, "username", "renamed") or person.save(), id="renamed"),
        pytest.param(lambda person: person.delete(), id="deleted"),
    ],
)
def test_a_change_of_staff_moves_the_version_every_process_reads(change, django_capture_on_commit_callbacks):
    person = UserFactory(username="checker", groups=[FACT_CHECKERS])
    before = selectors.staff_list_version()
    with django_capture_on_commit_callbacks(execute=True):
        change(person)
    assert selectors.staff_list_version() > before


def test_the_pickers_follow_a_change_of_staff_at_once(django_capture_on_commit_callbacks):
    person = UserFactory(username="checker", groups=[FACT_CHECKERS])
    assert ">checker</option>" in offered(AssignForm, "assignee")
    with django_capture_on_commit_callbacks(execute=True):
        person.groups.set([Group.objects.get_or_create(name=REVIEWERS)[0]])
        UserFactory(username="newcomer", groups=[FACT_CHECKERS])
    assert ">newcomer</option>" in offered(AssignForm, "assignee")
    assert ">checker</option>" in offered(ReviewerForm, "reviewer")


def test_a_login_does_not_move_the_version(client, django_capture_on_commit_callbacks):
    person = UserFactory(username="checker", groups=[FACT_CHECKERS])
    before = selectors.staff_list_version()
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(person)  # writes last_login
    assert selectors.staff_list_version() == before
