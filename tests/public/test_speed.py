"""Constant queries on the claim page; the shared cache for anonymous visitors; conditional GET."""

import gzip
import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import repeats
from claims.languages import site_language
from claims.models import SiteSettings
from claims.publishing.cache import GENERATION_KEY, public_generation
from tests.factories import ClaimFactory, ClaimSourceFactory, StatementFactory
from tests.publishing import publish, recorded_repeat, reviewer

pytestmark = pytest.mark.django_db

CLAIM_PAGE_QUERY_LIMIT = 8


def claim_with_statements(count: int):
    claim = ClaimFactory()
    ClaimSourceFactory(claim=claim)
    StatementFactory.create_batch(count, claim=claim)
    return publish(claim).claim


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "factchecker"])
def test_the_claim_page_runs_the_same_few_queries_at_1_and_at_200_statements(client_for, role):
    one, many = claim_with_statements(1), claim_with_statements(200)
    client = client_for(role)
    site_language()  # a running site keeps its language in the shared cache (claims/languages.py)
    counted = {
        statements: queries_for(client, reverse("claim", args=[claim.slug]))
        for statements, claim in ((1, one), (200, many))
    }
    assert counted[1] == counted[200] <= CLAIM_PAGE_QUERY_LIMIT, counted


def test_the_home_page_runs_the_same_queries_with_one_claim_or_many_long_ones(client):
    claim_with_statements(1)
    few = queries_for(client, reverse("home"))
    cache.clear()
    for _ in range(5):
        claim_with_statements(50)
    assert queries_for(client, reverse("home")) == few


# --- The shared cache ------------------------------------------------------------------------


def test_an_anonymous_visitor_is_served_from_the_cache(client):
    claim = publish().claim
    url = reverse("claim", args=[claim.slug])
    assert queries_for(client, url) > 0
    assert queries_for(client, url) == 0
    assert queries_for(client, url + "?utm_source=newsletter") == 0  # other parameters share the copy


def test_a_cached_public_page_holds_nothing_of_its_visitor(client):
    claim = publish().claim
    response = client.get(reverse("claim", args=[claim.slug]))
    body = response.content.decode()
    assert "csrfmiddlewaretoken" not in body
    assert "Log out" not in body and "Staff login" in body
    assert not response.cookies
    assert "Cookie" in response["Vary"]
    assert "public" in response["Cache-Control"]


def test_staff_get_their_own_page_never_cached_nor_served_from_the_cache(client, client_for):
    claim = publish().claim
    url = reverse("claim", args=[claim.slug])
    client.get(url)  # an anonymous visitor fills the cache
    staff = client_for("factchecker")
    response = staff.get(url)
    body = response.content.decode()
    assert "Log out" in body and reverse("staff:home") in body
    assert "private" in response["Cache-Control"] and "Cookie" in response["Vary"]
    # ...and what staff saw did not end up in the copy anonymous visitors get.
    assert "Log out" not in client.get(url).content.decode()


def test_a_visitor_with_a_session_is_not_served_the_shared_copy(client):
    claim = publish().claim
    url = reverse("claim", args=[claim.slug])
    client.get(url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
    assert queries_for(client, url) > 0


def test_publishing_renders_the_cached_pages_afresh(client, django_capture_on_commit_callbacks):
    first = publish(headline="The first headline")
    url = reverse("claim", args=[first.claim.slug])
    assert "The first headline" in client.get(url).content.decode()
    before = public_generation()
    with django_capture_on_commit_callbacks(execute=True):
        publish(first.claim, kind="correction", headline="The corrected headline", public_note="Fixed.")
    assert public_generation() > before
    assert "The corrected headline" in client.get(url).content.decode()
    assert "The corrected headline" in client.get(reverse("home")).content.decode()


def test_without_the_commit_hook_the_cached_copy_would_be_served(client):
    """The test above passes because of the hook: without it the copy stays (guards the test itself)."""
    first = publish(headline="The first headline")
    url = reverse("claim", args=[first.claim.slug])
    client.get(url)
    publish(first.claim, kind="correction", headline="The corrected headline", public_note="Fixed.")
    assert "The first headline" in client.get(url).content.decode()


def redis_round_trips(client, url: str, **headers) -> int:
    calls = []
    real_get_many = cache.get_many
    with mock.patch.object(cache, "get_many", side_effect=lambda *a, **k: calls.append(a) or real_get_many(*a, **k)):
        client.get(url, **headers)
    return len(calls)


def test_a_page_asked_for_again_within_the_second_is_answered_by_the_process_itself(client, settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    claim = publish(headline="The first headline").claim
    url = reverse("claim", args=[claim.slug])
    client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert redis_round_trips(client, url, HTTP_ACCEPT_ENCODING="gzip") == 0
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert again["Content-Encoding"] == "gzip" and again.has_header("ETag")
    assert "The first headline" in gzip.decompress(again.content).decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"], HTTP_ACCEPT_ENCODING="gzip").status_code == 304


def test_a_publication_by_this_process_is_served_at_once(client, settings, django_capture_on_commit_callbacks):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    first = publish(headline="The first headline")
    url = reverse("claim", args=[first.claim.slug])
    assert "The first headline" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish(first.claim, kind="correction", headline="The corrected headline", public_note="Fixed.")
    assert "The corrected headline" in client.get(url).content.decode()


def test_a_publication_by_another_process_is_served_once_the_second_is_over(client, settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    claim = publish(headline="The first headline").claim
    url = reverse("claim", args=[claim.slug])
    client.get(url)
    cache.set(GENERATION_KEY, public_generation() + 1, timeout=None)  # as another process's bump would
    assert redis_round_trips(client, url) == 0  # within its second: this process's copy
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 0  # the second is over
    assert redis_round_trips(client, url) >= 1  # it asks the shared cache again


# --- Conditional GET ----------------------------------------------------------------------------


def test_public_pages_answer_conditional_gets(client):
    claim = publish().claim
    url = reverse("claim", args=[claim.slug])
    response = client.get(url)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag and last_modified
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.parametrize(
    "name", ["home", "corrections", "ratings", "methodology", "about", "feed", "sitemap", "claimreview-export"]
)
def test_every_public_page_carries_an_etag(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["ETag"]
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_saving_the_site_settings_in_the_admin_renders_the_pages_afresh(
    client, client_for, django_capture_on_commit_callbacks
):
    publish()
    assert "Claim Tracker" in client.get(reverse("home")).content.decode()
    site = SiteSettings.load()
    form = {
        "organisation_name": "The Renamed Desk",
        "time_zone": site.time_zone,
        "date_calendar": site.date_calendar,
        "language": site.language,
        "contact_retention_days": site.contact_retention_days,
        "active_rating_scale": site.active_rating_scale_id,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(reverse("admin:claims_sitesettings_change", args=[site.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "The Renamed Desk" in client.get(reverse("home")).content.decode()


# --- The claim page's fragments -------------------------------------------------------------------


def test_a_visitor_the_page_cache_does_not_serve_gets_the_claim_page_from_its_fragments(client):
    claim = claim_with_statements(20)
    url = reverse("claim", args=[claim.slug])
    client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
    rendered = client.get(url).content
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content
    assert again == rendered
    whole_record = re.compile(r'"published_record"(?! ->)')
    assert not any(whole_record.search(query["sql"].split(" FROM ")[0]) for query in queries), "the record was read"


def test_a_correction_or_an_approved_repeat_renders_the_fragments_afresh(client, django_capture_on_commit_callbacks):
    first = publish(headline="The first headline")
    url = reverse("claim", args=[first.claim.slug])
    client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
    assert "The first headline" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the public generation is replaced on commit
        publish(first.claim, kind="correction", headline="The corrected headline", public_note="Fixed.")
    assert "The corrected headline" in client.get(url).content.decode()
    repeat = recorded_repeat(first.claim, sentence="He said it again on the radio.")
    with django_capture_on_commit_callbacks(execute=True):
        repeats.repeat_approve(repeat=repeat, by=reviewer())
    assert "He said it again on the radio." in client.get(url).content.decode()
