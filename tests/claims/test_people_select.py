"""The people pickers (assignee, reviewer) and the search filters draw the same select as Django's, without a
template per option."""

import pytest
from django import forms
from django.test.html import parse_html

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
