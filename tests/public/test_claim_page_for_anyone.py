"""A visitor the shared copies do not serve (they send a session cookie) but who is not signed in sees what
every such visitor sees: each process keeps that page, and a publication renews it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ClaimFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db


def claim_url(claim) -> str:
    return reverse("claim", args=[claim.slug])


def visitor_with_an_old_session() -> Client:
    client = Client()
    client.cookies["sessionid"] = "a-session-that-ended-long-ago"
    return client


def test_a_visitor_with_an_old_session_cookie_gets_the_page_kept_by_the_process():
    url = claim_url(publish(ClaimFactory(text="Iran supplied drones to Russia.")).claim)
    first = visitor_with_an_old_session().get(url)
    again = visitor_with_an_old_session().get(url)
    assert first.status_code == again.status_code == 200
    assert "Iran supplied drones to Russia." in again.content.decode()
    assert again.content == first.content
    assert not again.templates  # not rendered again
    assert "private" in again["Cache-Control"]  # still not for shared caches: it went to someone with a cookie


def test_a_correction_shows_at_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = publish(headline="Wrong ministry named")
    url = claim_url(first.claim)
    assert "Wrong ministry named" in visitor_with_an_old_session().get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish(first.claim, kind="correction", headline="Right ministry", public_note="We misnamed it.")
    assert "Right ministry" in visitor_with_an_old_session().get(url).content.decode()


def test_someone_signed_in_gets_their_own_page(client_for):
    url = claim_url(publish().claim)
    visitor_with_an_old_session().get(url)
    page = client_for("reviewer").get(url)
    assert page.templates  # rendered for them
    assert "Log out" in page.content.decode()
