"""Who is asking: a person's API token (Authorization: Bearer …), or nobody.

A token acts with its holder's role: the services ask `may(holder, …)` as they do for the screens.
A session is never an API credential, so the API needs no CSRF token and a browser that is signed
in to the newsroom cannot be made to write through it.
"""

from typing import Final

from django.http import HttpRequest
from ninja.security import HttpBearer

from claims import accounts
from claims.models import ApiToken


class Anonymous:
    """`request.auth` of a request that carried no credentials at all."""

    def __repr__(self) -> str:
        return "ANONYMOUS"


ANONYMOUS: Final = Anonymous()


class TokenAuth(HttpBearer):
    """A working API token of an active person; anything else is refused with 401."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return accounts.api_token_holder(token)


def no_credentials(request: HttpRequest) -> Anonymous | None:
    """Public reads are open to anyone, but a request that sends a bad token is told so (401), not served."""
    return None if "HTTP_AUTHORIZATION" in request.META else ANONYMOUS


token_auth = TokenAuth()
TOKEN_OR_ANONYMOUS = [token_auth, no_credentials]
