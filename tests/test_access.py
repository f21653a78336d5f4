"""The access matrix: every named URL, asked by every role, answers as tests/access_matrix.py says.

The URLs come from the URLconf itself, so a view added without an entry in
the matrix fails here. The same walk checks the security headers of every
staff response; CSRF and request-size limits are checked on the login form.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse

from tests.access_matrix import LOGIN, MATRIX, Expect, Redirect, expectation
from tests.factories import PASSWORD, ROLES, UserFactory

pytestmark = pytest.mark.django_db


def named_urls(patterns=None, namespace: str = "") -> set[str]:
    """The full name ("namespace:name") of every named pattern, walking included URLconfs."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


URL_NAMES = sorted(named_urls())
STAFF_URL_NAMES = [
    name
    for name in URL_NAMES
    if name.startswith(("staff:", "admin:")) or name in {"password_change", "password_change_done"}
]


def url_for(name: str, expect: Expect) -> str:
    parameters = expect.kwargs() if expect.kwargs else {}
    url = reverse(name, args=parameters) if isinstance(parameters, tuple) else reverse(name, kwargs=parameters)
    return f"{url}?{urlencode(expect.query)}" if expect.query else url


def ask(client: Client, url: str, method: str):
    return client.post(url) if method == "POST" else client.get(url)


def check_outcome(client: Client, response, expected, url: str) -> None:
    got = f"{response.status_code} {response.get('Location', '')}".strip()
    if isinstance(expected, int):
        assert response.status_code == expected, f"expected {expected}, got {got}"
    elif isinstance(expected, Redirect):
        assert response.status_code == 302, f"expected a redirect to {expected.to}, got {got}"
        target = resolve(urlsplit(response["Location"]).path).view_name
        assert target == expected.to, f"expected a redirect to {expected.to}, got {got}"
    elif expected is LOGIN:
        login_path = resolve_url(settings.LOGIN_URL)
        for _hop in range(3):  # the admin's own login page passes the visitor on to the one login page
            assert response.status_code == 302, f"expected a redirect to log in, got {got}"
            location = urlsplit(response["Location"])
            if location.path == login_path:
                assert parse_qs(location.query).get("next") == [url], f"login does not lead back to {url}: {got}"
                return
            response = client.get(response["Location"])
            got = f"{response.status_code} {response.get('Location', '')}".strip()
        pytest.fail(f"redirects never reached {login_path}")
    else:  # pragma: no cover - a typo in the matrix
        pytest.fail(f"unknown outcome {expected!r}")


def test_every_named_url_is_in_the_access_matrix():
    missing = []
    for name in URL_NAMES:
        try:
            expectation(name)
        except LookupError as exc:
            missing.append(str(exc))
    assert not missing, "\n".join(missing)


def test_the_access_matrix_lists_no_url_that_is_gone():
    gone = sorted(set(MATRIX) - set(URL_NAMES))
    assert not gone, f"Remove from tests/access_matrix.py (no such URL any more): {', '.join(gone)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URL_NAMES)
def test_each_role_gets_what_the_access_matrix_says(name, role, client_for):
    """...and every staff response, whatever it answers, carries the security headers."""
    try:
        expect = expectation(name)
    except LookupError as exc:
        pytest.fail(str(exc))
    expected = expect.for_role(role)
    url = url_for(name, expect)
    if expect.method == "POST" and role != "anonymous" and expected != 403:
        assert client_for(role).get(url).status_code == 405, f"GET {url} should answer 405: it takes only POST"
    client = client_for(role)
    response = ask(client, url, expect.method)
    if name in STAFF_URL_NAMES:
        assert_security_headers(response)
    check_outcome(client, response, expected, url)


def assert_security_headers(response) -> None:
    """No inline script or style can run (script-src 'self', or a sandbox with no script); no framing; no sniffing."""
    header = response["Content-Security-Policy"]
    policy = {directive.split()[0]: directive.split()[1:] for directive in header.split(";") if directive.strip()}
    if "sandbox" in policy:  # a fetched file: no script at all, nothing loaded
        assert policy["sandbox"] == [] and policy["default-src"] == ["'none'"] and "script-src" not in policy, header
    else:
        assert policy["script-src"] == ["'self'"], header
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert policy["frame-ancestors"] == ["'none'"], header
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_newsroom_dashboard_sends_a_strict_content_security_policy(client_for):
    response = client_for("factchecker").get(reverse("staff:home"))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("name", [name for name in STAFF_URL_NAMES if name.startswith(("staff:", "admin:"))])
def test_a_signed_in_user_without_a_role_is_refused_every_newsroom_and_admin_url(name, client):
    expect = expectation(name)
    client.force_login(UserFactory())
    assert ask(client, url_for(name, expect), expect.method).status_code == 403


def test_a_login_post_without_csrf_token_is_refused():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_login_post_with_the_forms_csrf_token_signs_in(factchecker):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("login"), {"username": factchecker.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:home")


def test_a_request_body_over_the_upload_limit_is_refused(client):
    body = "username=" + "a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(reverse("login"), data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_a_login_page_link_from_a_refused_page_leads_back_to_it(client):
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('staff:home')}"
