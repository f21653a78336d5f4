"""The search page counts and ranks at most RESULT_CAP matches, the newest, and says so."""

import datetime

import pytest
from django.urls import reverse

from claims import search
from claims.models import Verdict
from tests.factories import ClaimFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db


def published_on(day: int, text: str, *, explanation: str = "Nothing published so far settles it.") -> str:
    verdict = publish(ClaimFactory(text=text, slug=f"day-{day}"), explanation=explanation)
    Verdict.objects.filter(pk=verdict.pk).update(published_at=datetime.datetime(2024, 5, day, tzinfo=datetime.UTC))
    return f"day-{day}"


def slugs(page: search.ResultPage) -> list[str]:
    return [result.slug for result in page.object_list]


def test_below_the_cap_every_match_is_counted_and_ranked():
    older = published_on(1, "Drones over the border.")
    published_on(2, "The harbour reopened.", explanation="Drones were seen nearby.")
    newer = published_on(3, "Drones over the city.", explanation="Drones were seen.")
    page = search.search_page(1, query="drones", cap=3)
    assert (page.count, page.more) == (3, False)
    assert slugs(page)[0] in {older, newer}  # a match in the claim first
    assert slugs(page)[-1] == "day-2"


def test_above_the_cap_only_the_newest_matches_are_counted_then_ranked():
    oldest = published_on(1, "Drones over the border.")
    published_on(2, "The harbour reopened.", explanation="Drones were seen nearby.")
    published_on(3, "The bridge reopened.", explanation="Drones were seen there.")
    published_on(4, "Drones over the city.")
    page = search.search_page(1, query="drones", cap=3)
    assert (page.count, page.more) == (3, True)
    assert oldest not in slugs(page)
    assert slugs(page) == ["day-4", "day-3", "day-2"]  # the match in the claim first, then the newest


def test_without_a_query_the_newest_are_listed_up_to_the_cap():
    for day in range(1, 5):
        published_on(day, f"Claim number {day}.")
    page = search.search_page(1, query="", cap=3, per_page=2)
    assert (page.count, page.more, page.num_pages) == (3, True, 2)
    assert slugs(page) == ["day-4", "day-3"]
    assert slugs(search.search_page(2, query="", cap=3, per_page=2)) == ["day-2"]


def test_a_page_past_the_last_gives_the_last():
    for day in range(1, 4):
        published_on(day, f"Drones number {day}.")
    page = search.search_page(7, query="drones", per_page=2)
    assert (page.number, page.count, slugs(page)) == (2, 3, ["day-1"])
    assert search.search_page(2, query="no such words", per_page=2).object_list == []


@pytest.mark.parametrize(("asked", "number"), [(None, 1), ("", 1), ("x", 1), ("-2", 1), ("3", 3), ("9999999", 50)])
def test_page_numbers_are_read_as_get_page_does_and_bounded_by_the_cap(asked, number):
    assert search.page_number(asked) == number


def test_the_page_says_what_the_cap_means(client, monkeypatch):
    for day in range(1, 5):
        published_on(day, f"Drones number {day}.")
    monkeypatch.setattr(search, "RESULT_CAP", 3)
    page = client.get(reverse("search"), {"q": "drones"}).content.decode()
    assert "More than 3 fact-checks match “drones”: the 3 most recent are listed, best match first." in page
    assert "Add words or filters to find older ones." in page
    assert page.count('class="verdict-item"') == 3
