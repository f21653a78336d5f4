"""The visitor's address: the one answer login throttling, rate limits and logs all use.

settings.CLIENT_IP_HEADER names the request.META key a trusted reverse proxy fills
(`HTTP_X_REAL_IP`); empty means the socket's own address. Only trust a header that the
proxy always sets itself: a visitor can send any header they like.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    header = settings.CLIENT_IP_HEADER
    if header:
        # X-Forwarded-For is a list the proxies append to: the last entry is the one our own
        # proxy wrote, the earlier ones came from the visitor and prove nothing.
        forwarded = str(request.META.get(header, "")).split(",")[-1].strip()
        if forwarded:
            return forwarded
    return str(request.META.get("REMOTE_ADDR", ""))
