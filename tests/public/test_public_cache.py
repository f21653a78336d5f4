"""claims.publishing.cache on its own: what may be stored, and for whom."""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from claims.publishing.cache import public_page


def counting_view(render):
    calls = []

    @public_page
    def view(request):
        calls.append(request)
        return render(request)

    return view, calls


def test_a_page_holding_a_csrf_token_is_never_stored():
    view, calls = counting_view(lambda request: HttpResponse(f"<input value='{get_token(request)}'>"))
    for _ in range(2):
        view(RequestFactory().get("/form/"))
    assert len(calls) == 2


def test_a_page_setting_a_cookie_is_never_stored():
    def render(request):
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    view, calls = counting_view(render)
    for _ in range(2):
        view(RequestFactory().get("/cookie/"))
    assert len(calls) == 2


def test_an_error_page_is_never_stored():
    view, calls = counting_view(lambda request: HttpResponse("gone", status=410))
    for _ in range(2):
        assert view(RequestFactory().get("/gone/")).status_code == 410
    assert len(calls) == 2


def test_anonymous_visitors_share_one_copy_and_visitors_with_a_session_do_not():
    view, calls = counting_view(lambda request: HttpResponse("the same for everyone"))
    view(RequestFactory().get("/shared/"))
    view(RequestFactory().get("/shared/"))
    assert len(calls) == 1
    with_session = RequestFactory().get("/shared/")
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    response = view(with_session)
    assert len(calls) == 2
    assert "private" in response["Cache-Control"] and "Cookie" in response["Vary"]
