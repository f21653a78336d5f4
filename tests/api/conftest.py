"""API tokens for the tests: one for a person, and a client that sends it."""

import pytest
from django.test import Client, RequestFactory

from claims import accounts


def make_token(user, name: str = "Test bot") -> str:
    """A working token of `user`, made by the service as My account makes it (two-factor is off in the tests)."""
    request = RequestFactory().post("/")
    request.user = user
    request.session = {}
    user.is_verified = lambda: False  # what django-otp's middleware says of a session that gave no code
    _token, secret = accounts.api_token_create(request=request, name=name, by=user)
    return secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token_for(user_for):
    """`token_for("reviewer")`: a token of that role's user."""
    return lambda role: make_token(user_for(role))


@pytest.fixture
def api_client():
    """A client that never signs in: the API's only credential is the token each request sends."""
    return Client(enforce_csrf_checks=True)
