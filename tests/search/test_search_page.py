"""The public search page: filters, pages, the results region swapped by htmx, and it all works without JavaScript."""

import datetime

import pytest
from django.urls import reverse

from claims.models import Rating, SiteSettings, Verdict
from tests.claims.test_workflow import in_review
from tests.factories import ActorFactory, ClaimFactory, TopicFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_page_finds_public_claims_and_links_to_their_pages(client):
    claim = publish(ClaimFactory(text="Iran has supplied drones to Russia.")).claim
    response = client.get(reverse("search"), {"q": "drones"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert f'href="{reverse("claim", args=[claim.slug])}"' in page
    assert "1 fact-check matches “drones”" in page


def test_the_page_has_no_per_visitor_token_and_varies_on_htmx(client):
    response = client.get(reverse("search"))
    assert b"csrfmiddlewaretoken" not in response.content
    assert "HX-Request" in response["Vary"]
    assert not response.cookies


def test_a_claim_in_review_is_not_on_the_search_page(client, factchecker):
    in_review(ClaimFactory(text="The reactor in review is safe."), factchecker)
    page = client.get(reverse("search"), {"q": "reactor"}).content.decode()
    assert "The reactor in review is safe." not in page
    assert "0 fact-checks match" in page


def test_htmx_gets_the_results_region_alone(client):
    publish(ClaimFactory(text="Drones were delivered."))
    response = client.get(reverse("search"), {"q": "drones"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<section id="search-results"')
    assert "Drones were delivered." in page


def test_the_form_works_without_javascript_and_pushes_the_address_with_it(client):
    page = client.get(reverse("search")).content.decode()
    assert f'<form method="get" action="{reverse("search")}"' in page
    assert f'hx-get="{reverse("search")}"' in page
    assert 'hx-push-url="true"' in page
    assert 'hx-target="#search-results"' in page


def test_filters_offer_only_what_public_claims_have_and_narrow_the_results(client):
    minister = ActorFactory(name="The minister")
    energy = ClaimFactory(text="Power cuts ended.", claimant=minister)
    energy.topics.add(TopicFactory(name="Energy", slug="energy"))
    publish(energy, rating=Rating.objects.get(scale__slug="default", label="False"))
    publish(ClaimFactory(text="Power stations were built."))
    ClaimFactory(text="A draft by a secret claimant.", claimant=ActorFactory(name="Secret claimant"))

    page = client.get(reverse("search")).content.decode()
    assert '<option value="energy">Energy</option>' in page
    assert f'<option value="{minister.pk}">The minister</option>' in page
    assert "Secret claimant" not in page
    assert ">False</option>" in page and ">Mostly true</option>" not in page

    for filters in ({"topic": "energy"}, {"claimant": minister.pk}, {"rating": energy.verdicts.get().rating_id}):
        filtered = client.get(reverse("search"), {"q": "power", **filters}).content.decode()
        assert "Power cuts ended." in filtered
        assert "Power stations were built." not in filtered, filters


def test_an_unknown_filter_value_is_shown_as_an_error_and_ignored(client):
    publish(ClaimFactory(text="Power cuts ended."))
    response = client.get(reverse("search"), {"topic": "no-such-topic", "published_from": "not a date"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Power cuts ended." in page
    assert page.count('class="field-errors"') == 2


def test_an_end_date_before_the_start_date_is_an_error(client):
    page = client.get(reverse("search"), {"published_from": "2024-05-01", "published_to": "2024-04-01"}).content
    assert "The end date is before the start date." in page.decode()


def test_results_come_in_pages_whose_links_keep_the_query_and_work_without_javascript(client):
    for number in range(23):
        publish(ClaimFactory(text=f"Drone delivery number {number}."))
    first = client.get(reverse("search"), {"q": "drone"}).content.decode()
    assert first.count('class="verdict-item"') == 20
    assert "Page 1 of 2" in first
    assert 'href="?q=drone&amp;page=2" hx-get="?q=drone&amp;page=2"' in first
    second = client.get(reverse("search"), {"q": "drone", "page": 2}, **HTMX).content.decode()
    assert second.count('class="verdict-item"') == 3
    assert 'href="?q=drone&amp;page=1"' in second


@pytest.mark.parametrize("count", [1, 25])
def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for number in range(count):
        claim = ClaimFactory(text=f"Drone delivery number {number}.")
        claim.topics.add(TopicFactory())
        publish(claim)
    query = {"q": "drone", "published_from": "2000-01-01"}
    client.get(reverse("search"), {"q": "delivery"})  # the filters' choices and the configurations, kept
    # One query finds, counts and ranks the page's matches, one reads them (the site settings were read by the first)
    with django_assert_num_queries(2):
        client.get(reverse("search"), query)
    with django_assert_num_queries(0):  # then the same search is read from the shared cache
        client.get(reverse("search"), query)


def test_publication_dates_are_days_in_the_newsrooms_time_zone(client):
    SiteSettings.objects.filter(pk=1).update(time_zone="Asia/Tehran")  # UTC+3:30
    verdict = publish(ClaimFactory(text="Late news."))
    late_evening_utc = datetime.datetime(2024, 5, 1, 22, 0, tzinfo=datetime.UTC)  # 2 May in Tehran
    Verdict.objects.filter(pk=verdict.pk).update(published_at=late_evening_utc)
    on_may_2 = client.get(reverse("search"), {"published_from": "2024-05-02", "published_to": "2024-05-02"})
    assert "Late news." in on_may_2.content.decode()
    on_may_1 = client.get(reverse("search"), {"published_from": "2024-05-01", "published_to": "2024-05-01"})
    assert "Late news." not in on_may_1.content.decode()


def test_the_filters_choices_are_renewed_when_a_verdict_is_published(client, django_capture_on_commit_callbacks):
    publish(ClaimFactory(text="A first claim.", claimant=ActorFactory(name="First claimant")))
    assert "First claimant" in client.get(reverse("search")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish(ClaimFactory(text="A second claim.", claimant=ActorFactory(name="Second claimant")))
    page = client.get(reverse("search"), {"q": "second"}).content.decode()
    assert "Second claimant" in page
    assert "A second claim." in page
