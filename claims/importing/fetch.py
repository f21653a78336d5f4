"""The one outbound HTTP client. Every request the app makes — feeds, pasted source URLs (`fetch()`), webhook
deliveries (`post()`) — goes through it.

What it guarantees (docs/architecture.md, "Importing", summarises it):

- http and https only; no user name or password in the address.
- The host is resolved once and refused unless *every* address it resolves to
  is public: loopback, private, link-local (cloud metadata at 169.254.169.254
  included), CGNAT, multicast, reserved and unspecified addresses, IPv6
  unique-local, and IPv6 forms that embed a refused IPv4 address
  (IPv4-mapped, 6to4, NAT64, IPv4-compatible) are all refused. Odd spellings
  of IPv4 (`2130706433`, `0x7f.1`) are read the way the C library reads them.
- The connection goes to the address that was checked: no second DNS lookup
  an attacker could answer differently. The request still carries the right
  `Host` header, and for https the TLS handshake sends the host name (SNI) and
  verifies the certificate against it.
- Every redirect is checked the same way; at most MAX_REDIRECTS.
- The body is capped (DEFAULT_MAX_BYTES) while it streams, after decompression;
  connect and read time-outs, and a time limit for the whole fetch.

`post()` sends a webhook delivery through the same guard: the same address checks and pinned
connection, but it never follows a redirect (a 3xx is refused, `FetchRedirectRefused`), and it
answers any status with at most `max_bytes` of the response body, read and then cut (the excerpt
kept in the delivery's log).

`settings.FETCH_ALLOW_LOOPBACK` lets loopback through (development and tests;
the settings refuse it with DEBUG off). The resolver is a parameter so tests
can answer DNS themselves.
"""

import ipaddress
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
TOTAL_TIMEOUT = 45.0
MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class FetchError(Exception):
    """The fetch did not give us a document. `transient` errors may pass if tried again later."""

    transient = False


class FetchRefused(FetchError):
    """The address is not one the app may contact (scheme, credentials, a non-public host)."""


class FetchTooLarge(FetchError):
    """The body is larger than the cap."""


class FetchUnavailable(FetchError):
    """Time-outs, refused or reset connections, DNS that did not answer: may pass."""

    transient = True


class FetchHTTPError(FetchError):
    """The server answered with an error status; 5xx and 429 may pass."""

    def __init__(self, status: int, url: str):
        super().__init__(f"The server answered HTTP {status} for {url}.")
        self.status = status
        self.transient = status >= 500 or status == 429


class FetchRedirectRefused(FetchRefused):
    """A webhook receiver answered with a redirect: deliveries are never sent on to another address."""

    def __init__(self, status: int, url: str, location: str):
        super().__init__(
            f"Refused: {url} answered HTTP {status} (a redirect to {location or 'nowhere'}); "
            "webhooks do not follow redirects: update the subscription's address instead."
        )
        self.status = status
        self.location = location


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int  # 200-299, or 304 for a conditional GET that found nothing new
    headers: dict[str, str] = field(repr=False)  # lower-case names
    body: bytes = field(repr=False)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def media_type_header(self) -> str:
        """The Content-Type header as sent, parameters included."""
        return self.headers.get("content-type", "")

    @property
    def media_type(self) -> str:
        return self.media_type_header.split(";")[0].strip().lower()

    @property
    def charset(self) -> str:
        for parameter in self.headers.get("content-type", "").split(";")[1:]:
            name, _sep, value = parameter.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'")
        return ""

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")


def user_agent() -> str:
    return f"ClaimTracker/0.1 (+{settings.SITE_URL})"


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


# --- Which addresses are public --------------------------------------------------------------


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64, IPv4-compatible), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64_PREFIX or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.teredo is not None:
        return address.teredo[1]
    return None


def is_public_address(address: IPAddress) -> bool:
    """True only for a globally routable unicast address (and the IPv4 address it embeds, if any)."""
    if not address.is_global or address.is_multicast or address.is_reserved or address.is_unspecified:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public_address(embedded)
    return True


def check_address(address: IPAddress, *, allow_loopback: bool) -> None:
    if is_public_address(address):
        return
    if allow_loopback and address.is_loopback:
        return
    raise FetchRefused(f"Refused: {address} is not a public address.")


def _literal_address(host: str) -> IPAddress | None:
    """The address a host name spells, including the odd IPv4 forms the C library accepts ("127.1")."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def resolve_public(host: str, port: int, *, resolver: Resolver, allow_loopback: bool) -> list[IPAddress]:
    """The host's addresses, each checked; refused unless every one may be contacted."""
    literal = _literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = [ipaddress.ip_address(item) for item in resolver(host, port)]
        except socket.gaierror as exc:
            error = FetchUnavailable if exc.errno == socket.EAI_AGAIN else FetchError
            raise error(f"The host name {host} could not be resolved.") from exc
        if not addresses:
            raise FetchError(f"The host name {host} could not be resolved.")
    for address in addresses:
        check_address(address, allow_loopback=allow_loopback)
    return addresses


# --- One URL -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # IDNA-encoded, lower case, no brackets
    port: int
    path: str  # path and query

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def parse_target(url: str) -> Target:
    """Check the URL's form (not yet its addresses)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchRefused(f"Refused: {url!r} is not a valid address.") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchRefused(f"Refused: only http and https addresses can be fetched (not {scheme or 'this'}).")
    if "@" in parts.netloc:
        raise FetchRefused("Refused: addresses with a user name or password are not fetched.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(f"Refused: {url!r} has no host name.")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchRefused(f"Refused: the host name in {url!r} is not valid.") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host.lower(), port=port or DEFAULT_PORTS[scheme], path=path)


def _connection_pool(target: Target, address: IPAddress) -> urllib3.HTTPConnectionPool:
    """A pool that connects to `address` itself; TLS still names and verifies `target.host`."""
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            str(address),
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            timeout=timeout,
            retries=False,
            maxsize=1,
        )
    return urllib3.HTTPConnectionPool(str(address), target.port, timeout=timeout, retries=False, maxsize=1)


def _request_headers(target: Target, *, etag: str, last_modified: str, accept: str) -> dict[str, str]:
    headers = {
        "Host": target.host_header,
        "User-Agent": user_agent(),
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _read_capped(response: urllib3.BaseHTTPResponse, *, max_bytes: int, deadline: float, url: str) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchTooLarge(f"{url} is larger than the {max_bytes:,} byte limit ({int(declared):,} bytes).")
    chunks, total = [], 0
    for chunk in response.stream(CHUNK_BYTES, decode_content=True):
        total += len(chunk)
        if total > max_bytes:
            raise FetchTooLarge(f"{url} is larger than the {max_bytes:,} byte limit; stopped reading.")
        if time.monotonic() > deadline:
            raise FetchUnavailable(f"{url} took longer than {TOTAL_TIMEOUT:.0f} s to download.")
        chunks.append(chunk)
    return b"".join(chunks)


def _read_excerpt(response: urllib3.BaseHTTPResponse, *, max_bytes: int, deadline: float, url: str) -> bytes:
    """At most `max_bytes` of the body: the rest is not read (a receiver's answer is kept as an excerpt)."""
    chunks, total = [], 0
    for chunk in response.stream(CHUNK_BYTES, decode_content=True):
        chunks.append(chunk[: max_bytes - total])
        total += len(chunks[-1])
        if total >= max_bytes:
            break
        if time.monotonic() > deadline:
            raise FetchUnavailable(f"{url} took longer than {TOTAL_TIMEOUT:.0f} s to answer.")
    return b"".join(chunks)


def _open(
    target: Target,
    addresses: list[IPAddress],
    headers: dict[str, str],
    *,
    method: str = "GET",
    body: bytes | None = None,
) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    """Send the request to the first checked address that accepts a connection."""
    last_error: Exception | None = None
    for address in addresses:
        pool = _connection_pool(target, address)
        try:
            response = pool.urlopen(
                method,
                target.path,
                body=body,
                headers=headers,
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
        except (NewConnectionError, ConnectTimeoutError) as exc:
            pool.close()
            last_error = exc
            continue
        return pool, response
    raise FetchUnavailable(f"Could not connect to {target.host}: {last_error}") from last_error


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    accept: str = "*/*",
    resolver: Resolver | None = None,
) -> FetchResult:
    """GET `url` safely (see the module's docstring). Raises a FetchError subclass when it cannot."""
    resolver = resolver or system_resolver
    allow_loopback = settings.FETCH_ALLOW_LOOPBACK
    deadline = time.monotonic() + TOTAL_TIMEOUT
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        if time.monotonic() > deadline:
            raise FetchUnavailable(f"{url} took longer than {TOTAL_TIMEOUT:.0f} s to fetch.")
        target = parse_target(current)
        addresses = resolve_public(target.host, target.port, resolver=resolver, allow_loopback=allow_loopback)
        headers = _request_headers(target, etag=etag, last_modified=last_modified, accept=accept)
        try:
            pool, response = _open(target, addresses, headers)
            try:
                location = response.headers.get("Location", "")
                if response.status in REDIRECT_STATUSES and location:
                    current = urljoin(current, location)
                    continue
                if response.status == 304:
                    return FetchResult(url=current, status=304, headers=_lower(response.headers), body=b"")
                if response.status >= 400 or response.status < 200:
                    raise FetchHTTPError(response.status, current)
                body = _read_capped(response, max_bytes=max_bytes, deadline=deadline, url=current)
                return FetchResult(url=current, status=response.status, headers=_lower(response.headers), body=body)
            finally:
                response.release_conn()
                pool.close()
        except SSLError as exc:
            raise FetchError(f"The secure connection to {target.host} failed: {exc}") from exc
        except (ReadTimeoutError, ProtocolError) as exc:
            raise FetchUnavailable(f"The connection to {target.host} failed while reading: {exc}") from exc
        except DecodeError as exc:
            raise FetchError(f"{current} sent a body that could not be decompressed.") from exc
    raise FetchRefused(f"Refused: more than {MAX_REDIRECTS} redirects, starting from {url}.")


def post(
    url: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
    content_type: str = "application/json",
    max_bytes: int = 64 * 1024,
    resolver: Resolver | None = None,
) -> FetchResult:
    """POST `body` to `url` through the same guard as `fetch` (a webhook delivery), redirects refused.

    Any status is answered as a FetchResult (the caller decides what counts as delivered), with at most
    `max_bytes` of the response body. A 3xx raises FetchRedirectRefused; a refused address FetchRefused;
    time-outs and connection errors FetchUnavailable.
    """
    resolver = resolver or system_resolver
    deadline = time.monotonic() + TOTAL_TIMEOUT
    target = parse_target(url)
    addresses = resolve_public(
        target.host, target.port, resolver=resolver, allow_loopback=settings.FETCH_ALLOW_LOOPBACK
    )
    request_headers = {
        **headers,
        "Host": target.host_header,
        "User-Agent": user_agent(),
        "Content-Type": content_type,
        "Content-Length": str(len(body)),
        "Accept-Encoding": "gzip, deflate",
    }
    try:
        pool, response = _open(target, addresses, request_headers, method="POST", body=body)
        try:
            if 300 <= response.status < 400:
                raise FetchRedirectRefused(response.status, url, response.headers.get("Location", ""))
            excerpt = _read_excerpt(response, max_bytes=max_bytes, deadline=deadline, url=url)
            return FetchResult(url=url, status=response.status, headers=_lower(response.headers), body=excerpt)
        finally:
            response.release_conn()
            pool.close()
    except SSLError as exc:
        raise FetchError(f"The secure connection to {target.host} failed: {exc}") from exc
    except (ReadTimeoutError, ProtocolError) as exc:
        raise FetchUnavailable(f"The connection to {target.host} failed while reading: {exc}") from exc
    except DecodeError as exc:
        raise FetchError(f"{url} sent a body that could not be decompressed.") from exc


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}
