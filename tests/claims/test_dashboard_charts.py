"""The dashboard's picture of the work: the numbers, drawn as SVG with a table each, in a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import charts, workflow
from claims.models import Claim, Verdict
from claims.selectors import work_in_numbers
from tests.factories import ClaimFactory, UserFactory
from tests.publishing import publish, submitted

pytestmark = pytest.mark.django_db


def logged_days_before_publication(verdict: Verdict, days: float, *, weeks_ago: int = 0) -> None:
    published_at = timezone.now() - datetime.timedelta(weeks=weeks_ago)
    Verdict.objects.filter(pk=verdict.pk).update(published_at=published_at)
    Claim.objects.filter(pk=verdict.claim_id).update(created_at=published_at - datetime.timedelta(days=days))


def test_the_numbers_count_states_weeks_and_people(factchecker, reviewer):
    ClaimFactory.create_batch(2, assignee=factchecker)
    workflow.claim_start_research(claim=ClaimFactory(assignee=factchecker), by=factchecker)
    ClaimFactory()  # nobody's
    submitted(ClaimFactory(assignee=factchecker, reviewer=reviewer))
    logged_days_before_publication(publish(), 2)
    logged_days_before_publication(publish(), 4)
    logged_days_before_publication(publish(), 9, weeks_ago=3)
    logged_days_before_publication(publish(), 30, weeks_ago=20)  # before the weeks shown

    numbers = work_in_numbers()
    by_state = {state: total for state, _label, total in numbers.by_state}
    assert [state for state, _label, _total in numbers.by_state] == list(Claim.State.values)  # every state, in order
    expected = {"new": 3, "researching": 1, "in_review": 1, "published": 4, "dismissed": 0}
    assert {state: by_state[state] for state in expected} == expected

    assert len(numbers.weeks) == 12 and numbers.weeks[-1].starts == timezone.localdate() - datetime.timedelta(
        days=timezone.localdate().weekday()
    )
    assert [week.published for week in numbers.weeks] == [0] * 8 + [1, 0, 0, 2]
    assert numbers.weeks[-1].median_days == pytest.approx(3)
    assert numbers.weeks[-4].median_days == pytest.approx(9)
    assert numbers.weeks[0].median_days is None
    assert numbers.median_days == pytest.approx(4)  # of 2, 4 and 9 days

    people = {person.name: person for person in numbers.people}
    assert people["factchecker"].assigned == {"new": 2, "researching": 1, "in_review": 1}
    assert people["reviewer"].reviewing == 1 and people["reviewer"].assigned == {}
    assert people[""].assigned == {"new": 1}
    assert numbers.people[0].name == "factchecker"  # the most open work first


def test_bars_are_in_proportion_and_fit_the_chart():
    laid_out = charts.rows(
        [("a", "Alice", [3, 1]), ("b", "Bob", [1, 0]), ("c", "Nobody", [0, 0])], [("new", "New"), ("old", "Old")]
    )
    alice, bob, nobody = laid_out.rows
    assert alice.total == 4 and [s.series for s in alice.segments] == ["new", "old"]
    assert alice.segments[-1].x + alice.segments[-1].width <= charts.WIDTH - charts.VALUE_ROOM + 1
    assert bob.segments[0].width * 3 == pytest.approx(alice.segments[0].width, abs=2)
    assert nobody.segments == ()
    columns = charts.columns([("w1", 2), ("w2", None), ("w3", 4)], shown=lambda value: f"{value:.1f}")
    first, empty, last = columns.columns
    assert last.y == charts.COLUMN_TOP and last.height == charts.COLUMNS_HEIGHT
    assert first.height * 2 == last.height and first.shown == "2.0"
    assert empty.height == 0 and empty.shown == ""


def test_each_chart_is_drawn_with_its_numbers_as_a_table(client_for, factchecker):
    ClaimFactory.create_batch(2, assignee=factchecker)
    logged_days_before_publication(publish(), 2.5)
    page = client_for("reviewer").get(reverse("staff:home")).content.decode()
    picture = page[page.index('class="work-picture"') : page.index('class="filters"')]
    assert picture.count("<svg") == 4 and picture.count("<table") == 4
    assert picture.count('aria-hidden="true" focusable="false"') == 4  # the tables speak for the drawings
    assert "style=" not in picture  # the CSP allows no inline style: colours are classes
    for caption in (
        "Claims by state",
        "Open work per person",
        "Claims published per week",
        "Median days from logged to published",
    ):
        assert f"<caption>{caption}</caption>" in picture
    assert re.search(r'<th scope="row">New</th><td>2</td>', picture)
    assert re.search(r'<th scope="row">factchecker</th><td>2</td><td>0</td><td>0</td><td>0</td><td>2</td>', picture)
    assert "Over these weeks: 2.5 days." in picture


@pytest.mark.parametrize("count", [1, 15])
def test_the_dashboard_runs_a_fixed_number_of_queries(client_for, django_assert_num_queries, count):
    people = UserFactory.create_batch(3, groups=["fact-checkers"])
    for number in range(count):
        ClaimFactory(assignee=people[number % 3])
        logged_days_before_publication(publish(), number + 1, weeks_ago=number % 12)
    with django_assert_num_queries(4):  # states, first publications, open work by assignee, by reviewer
        work_in_numbers()
    client = client_for("reviewer")
    client.get(reverse("staff:home"))  # warm: the site's language and settings are then kept (claims/languages.py)
    # The whole page: the user with their roles (the session is in the cache), my work, the claims' table, the
    # charts (the assignee filter's people are kept per process: claims.selectors.people_to_pick).
    with django_assert_num_queries(14):
        client.get(reverse("staff:home"))
