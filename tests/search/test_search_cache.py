"""The search page's cache: what a search shows is kept per public generation, for visitors and staff alike;
a visitor's whole page too, never served to anyone signed in."""

import gzip

import pytest
from django.urls import reverse

from claims.publishing.cache import bump_public_generation
from tests.factories import ClaimFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def found(client, query: str, **extra) -> str:
    return client.get(reverse("search"), {"q": query}, **extra).content.decode()


def test_a_publication_shows_in_the_next_search_at_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(ClaimFactory(text="Drones were delivered in May."))
    assert "1 fact-check matches" in found(client, "drones")
    with django_capture_on_commit_callbacks(execute=True):
        publish(ClaimFactory(text="Drones were delivered in June."))
    page = found(client, "drones")
    assert "2 fact-checks match" in page
    assert "Drones were delivered in June." in page
    assert "Drones were delivered in June." in found(client, "drones", **HTMX)


def test_a_kept_search_is_not_served_once_the_public_generation_changes(client, django_assert_num_queries):
    publish(ClaimFactory(text="Drones were delivered in May."))
    assert "1 fact-check matches" in found(client, "drones")
    publish(ClaimFactory(text="Drones were delivered in June."))  # its transaction never commits: no new generation
    with django_assert_num_queries(0):
        assert "Drones were delivered in June." not in found(client, "drones")  # the kept copy
    bump_public_generation()
    assert "Drones were delivered in June." in found(client, "drones")


def test_a_search_kept_for_staff_serves_visitors_without_the_staffs_token(client, factchecker):
    publish(ClaimFactory(text="Drones were delivered."))
    staff = client.__class__()
    staff.force_login(factchecker)
    assert "csrfmiddlewaretoken" in found(staff, "drones")  # the log-out form in the staff's header
    page = found(client, "drones")
    assert "Drones were delivered." in page
    assert "csrfmiddlewaretoken" not in page
    assert factchecker.username not in page


def test_parameters_the_search_does_not_read_share_the_kept_copy(client, django_assert_num_queries):
    publish(ClaimFactory(text="Drones were delivered."))
    found(client, "drones")
    with django_assert_num_queries(0):
        page = client.get(reverse("search"), {"q": "drones", "utm_source": "newsletter"}).content.decode()
    assert "Drones were delivered." in page


def test_what_was_typed_is_shown_as_typed(client):
    publish(ClaimFactory(text="Drones were delivered."))
    assert "matches “drones”" in found(client, "drones")
    page = found(client, "DRONES")  # the same search, not the same page
    assert "matches “DRONES”" in page
    assert 'value="DRONES"' in page


def test_a_visitors_kept_page_is_never_served_to_staff(client, factchecker):
    publish(ClaimFactory(text="Drones were delivered."))
    visitor = client.get(reverse("search"), {"q": "drones"})
    assert "Cookie" in visitor["Vary"]
    assert "csrfmiddlewaretoken" not in visitor.content.decode()
    staff = client.__class__()
    staff.force_login(factchecker)
    page = found(staff, "drones")
    assert "Drones were delivered." in page
    assert "csrfmiddlewaretoken" in page  # their own layout, with the log-out form


def test_a_visitors_kept_page_is_sent_gzipped_to_a_browser_that_accepts_it(client):
    publish(ClaimFactory(text="Drones were delivered."))
    plain = client.get(reverse("search"), {"q": "drones"})
    compressed = client.get(reverse("search"), {"q": "drones"}, HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2
