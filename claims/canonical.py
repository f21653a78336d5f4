"""Canonical form of a source URL, so one document is stored once.

Rules (docs/architecture.md, "The domain model"): scheme and host lower-cased, default ports dropped, the
fragment dropped, tracking parameters (utm_*, fbclid and friends) dropped; the
rest of the query keeps its order. An empty path becomes "/". Any user name or
password written into the address is dropped.
"""

from urllib.parse import unquote_plus, urlsplit, urlunsplit

from django.core.exceptions import ValidationError

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "ref_url", "spm",
    }
)  # fmt: skip
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMETERS


def canonicalize_url(url: str) -> str:
    """Return the canonical form of an http(s) URL; "" stays "".

    Raises ValueError for a URL that is not http(s) or has no host.
    """
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError("Only http and https addresses can be stored.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError("The address has no host name.")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError("The host name is not valid.") from None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        raise ValueError("The port is not valid.") from None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    # Credentials written into an address (user:password@host) are never stored.
    # Filter the raw pairs so the kept ones stay byte for byte as they were.
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and not is_tracking_parameter(unquote_plus(pair.split("=", 1)[0]))
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def validated_canonical_url(url: str, *, field: str | None = None) -> str:
    """canonicalize_url for forms and services: why the address cannot be stored as a ValidationError
    (on `field`, when given), not a ValueError."""
    try:
        return canonicalize_url(url)
    except ValueError as exc:
        raise ValidationError({field: str(exc)} if field else str(exc)) from None
