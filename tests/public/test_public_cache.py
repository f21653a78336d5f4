"""claims.publishing.cache on its own: what may be stored, for whom, and how it is sent."""

import gzip

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from claims.publishing.cache import bump_public_generation, public_page

# Requests go through the whole middleware stack, which reads the site's language and settings.
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

CALLS: list[str] = []
LONG_TEXT = "The same page for every anonymous visitor. " * 40


def counted(render):
    @public_page
    def view(request):
        CALLS.append(request.path)
        return render(request)

    return view


def with_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("seen", "1")
    return response


urlpatterns = [
    path("form/", counted(lambda request: HttpResponse(f"<input value='{get_token(request)}'>"))),
    path("cookie/", counted(with_cookie)),
    path("gone/", counted(lambda request: HttpResponse("gone", status=410))),
    path("shared/", counted(lambda request: HttpResponse(LONG_TEXT))),
]


@pytest.fixture(autouse=True)
def no_calls_yet():
    CALLS.clear()


def test_a_page_holding_a_csrf_token_is_never_stored(client):
    for _ in range(2):
        client.get("/form/")
    assert len(CALLS) == 2


def test_a_page_setting_a_cookie_is_never_stored(client):
    for _ in range(2):
        client.get("/cookie/")
    assert len(CALLS) == 2


def test_an_error_page_is_never_stored(client):
    for _ in range(2):
        assert client.get("/gone/").status_code == 410
    assert len(CALLS) == 2


def test_anonymous_visitors_share_one_copy_and_visitors_with_a_session_do_not(client):
    client.get("/shared/")
    client.get("/shared/")
    assert len(CALLS) == 1
    client.cookies[settings.SESSION_COOKIE_NAME] = "abc"
    response = client.get("/shared/")
    assert len(CALLS) == 2
    assert "private" in response["Cache-Control"] and "Cookie" in response["Vary"]


def test_a_change_the_public_sees_renders_the_copy_afresh(client):
    client.get("/shared/")
    bump_public_generation()
    client.get("/shared/")
    assert len(CALLS) == 2


def test_the_copy_keeps_the_headers_of_the_whole_stack(client):
    fresh = client.get("/shared/")
    cached = client.get("/shared/")
    assert len(CALLS) == 1
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "ETag", "Last-Modified"):
        assert cached[header] == fresh[header], header


def test_browsers_that_accept_gzip_get_the_page_compressed(client):
    for _ in range(2):  # rendered, then from the cache
        response = client.get("/shared/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content).decode() == LONG_TEXT
        assert int(response["Content-Length"]) == len(response.content) < len(LONG_TEXT) / 5
        assert "Accept-Encoding" in response["Vary"]
    plain = client.get("/shared/")
    assert not plain.has_header("Content-Encoding") and plain.content.decode() == LONG_TEXT
    assert len(CALLS) == 1
    compressed_etag = client.get("/shared/", HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert client.get("/shared/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=compressed_etag).status_code == 304


def test_pages_with_a_session_or_a_csrf_token_are_never_compressed(client):
    assert not client.get("/form/", HTTP_ACCEPT_ENCODING="gzip").has_header("Content-Encoding")
    client.cookies[settings.SESSION_COOKIE_NAME] = "abc"
    assert not client.get("/shared/", HTTP_ACCEPT_ENCODING="gzip").has_header("Content-Encoding")
