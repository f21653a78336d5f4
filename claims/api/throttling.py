"""Rate limits: per API token, and per address for requests without one (429 with Retry-After).

The rates are settings (API_RATE_PER_TOKEN, API_RATE_PER_ADDRESS), read on every request so a
deployment or a load test sets its own; counts live in the shared cache, like every other limit.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from claims.client_ip import client_ip
from claims.models import ApiToken


class _SettingsRateThrottle(SimpleRateThrottle):
    setting = ""

    def __init__(self) -> None:
        super().__init__(rate=getattr(settings, self.setting))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class PerTokenThrottle(_SettingsRateThrottle):
    setting = "API_RATE_PER_TOKEN"
    scope = "api-token"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class PerAddressThrottle(_SettingsRateThrottle):
    setting = "API_RATE_PER_ADDRESS"
    scope = "api-address"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if isinstance(getattr(request, "auth", None), ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


THROTTLES: list[BaseThrottle] = [PerTokenThrottle(), PerAddressThrottle()]
