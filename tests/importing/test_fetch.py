"""The safe fetcher: what it refuses, and what it sends when it does fetch.

Every test here runs with `only_loopback_connections`: a connection to any
address outside 127.0.0.0/8 fails the test, so even a broken guard could
not reach another machine. DNS is answered by a stub resolver; host names
use the reserved `.invalid` domain.
"""

import gzip
import ipaddress
import re
import socket

import pytest

from claims.importing import fetch as fetcher
from claims.importing.fetch import FetchError, FetchHTTPError, FetchRefused, FetchTooLarge, FetchUnavailable

pytestmark = pytest.mark.usefixtures("only_loopback_connections")


def resolver_for(table: dict[str, list[str]]):
    """A DNS stand-in: names in the table resolve to its addresses; any other name is an error."""

    def resolve(host, port):
        if host not in table:
            raise AssertionError(f"unexpected DNS lookup of {host}")
        return table[host]

    return resolve


REFUSED_ADDRESSES = {
    "loopback": "127.0.0.1",
    "loopback, elsewhere in 127/8": "127.53.0.9",
    "private 10/8": "10.1.2.3",
    "private 172.16/12": "172.20.0.1",
    "private 192.168/16": "192.168.1.1",
    "link-local": "169.254.10.10",
    "cloud metadata": "169.254.169.254",
    "CGNAT 100.64/10": "100.64.0.1",
    "multicast": "224.0.0.251",
    "reserved 240/4": "240.0.0.1",
    "broadcast": "255.255.255.255",
    "unspecified": "0.0.0.0",  # noqa: S104 - an address under test, not a bind
    "this network 0/8": "0.1.2.3",
    "documentation": "192.0.2.10",
    "benchmarking": "198.18.0.1",
    "IPv6 loopback": "::1",
    "IPv6 unspecified": "::",
    "IPv6 unique-local": "fd12:3456::1",
    "IPv6 unique-local fc00::/7": "fc00::1",
    "IPv6 link-local": "fe80::1",
    "IPv6 multicast": "ff02::1",
    "IPv4-mapped loopback": "::ffff:127.0.0.1",
    "IPv4-mapped metadata": "::ffff:169.254.169.254",
    "IPv4-mapped private": "::ffff:10.0.0.1",
    "IPv4-compatible loopback": "::127.0.0.1",
    "6to4 of loopback": "2002:7f00:1::1",
    "6to4 of private": "2002:c0a8:101::1",
    "NAT64 of metadata": "64:ff9b::a9fe:a9fe",
    "Teredo": "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "IPv6 documentation": "2001:db8::1",
}


@pytest.mark.parametrize("address", REFUSED_ADDRESSES.values(), ids=REFUSED_ADDRESSES.keys())
def test_a_host_name_that_resolves_to_a_refused_address_is_refused(address, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(FetchRefused, match="is not a public address"):
        fetcher.fetch("http://news.invalid/story", resolver=resolver_for({"news.invalid": [address]}))


@pytest.mark.parametrize("address", REFUSED_ADDRESSES.values(), ids=REFUSED_ADDRESSES.keys())
def test_a_refused_address_written_in_the_url_is_refused(address, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(FetchRefused):
        fetcher.fetch(f"http://{host}/", resolver=resolver_for({}))


def test_one_refused_address_among_public_ones_is_enough_to_refuse(settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    resolver = resolver_for({"news.invalid": ["93.184.215.14", "10.0.0.7"]})
    with pytest.raises(FetchRefused, match=re.escape("10.0.0.7")):
        fetcher.fetch("https://news.invalid/", resolver=resolver)


ODD_SPELLINGS = {
    "decimal": "http://2130706433/",
    "hexadecimal": "http://0x7f000001/",
    "dotted hex": "http://0x7f.0.0.1/",
    "octal": "http://0177.0.0.1/",
    "short form": "http://127.1/",
    "metadata, decimal": "http://2852039166/",
    "trailing dot": "http://127.0.0.1./",
}


@pytest.mark.parametrize("url", ODD_SPELLINGS.values(), ids=ODD_SPELLINGS.keys())
def test_odd_spellings_of_refused_addresses_are_read_as_the_addresses_they_are(url, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(FetchRefused, match="is not a public address"):
        fetcher.fetch(url, resolver=resolver_for({}))


FORMS_REFUSED = {
    "file": "file:///etc/passwd",
    "ftp": "ftp://files.invalid/feed.xml",
    "gopher": "gopher://news.invalid/",
    "javascript": "javascript:alert(1)",
    "data": "data:text/html,hello",
    "no scheme": "//news.invalid/feed.xml",
    "no host": "http:///feed.xml",
    "user name before a refused host": "http://example.com@127.0.0.1/",
    "user and password": "http://user:secret@news.invalid/",
    "empty user": "http://@news.invalid/",
    "bad port": "http://news.invalid:99999/",
}


@pytest.mark.parametrize("url", FORMS_REFUSED.values(), ids=FORMS_REFUSED.keys())
def test_addresses_of_the_wrong_form_are_refused_before_any_lookup(url):
    with pytest.raises(FetchRefused):
        fetcher.fetch(url, resolver=resolver_for({}))


def test_loopback_is_refused_unless_the_setting_allows_it(settings, local_site):
    url = local_site.add("/ok", "fine", content_type="text/plain")
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    settings.FETCH_ALLOW_LOOPBACK = True
    assert fetcher.fetch(url).body == b"fine"


def test_the_loopback_setting_lets_only_loopback_through(settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    with pytest.raises(FetchRefused, match=re.escape("10.0.0.1")):
        fetcher.fetch("http://news.invalid/", resolver=resolver_for({"news.invalid": ["10.0.0.1"]}))


def test_a_redirect_to_a_refused_address_is_refused(local_site, only_loopback_connections):
    start = local_site.add("/moved", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(FetchRefused, match=re.escape("169.254.169.254")):
        fetcher.fetch(start)
    assert only_loopback_connections == ["127.0.0.1"]


def test_a_redirect_to_a_name_that_resolves_to_a_refused_address_is_refused(local_site):
    start = local_site.add("/moved", status=301, headers={"Location": "http://intranet.invalid/"})
    with pytest.raises(FetchRefused, match=re.escape("10.9.8.7")):
        fetcher.fetch(start, resolver=resolver_for({"intranet.invalid": ["10.9.8.7"]}))


def test_a_redirect_to_another_scheme_is_refused(local_site):
    start = local_site.add("/moved", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchRefused, match="only http and https"):
        fetcher.fetch(start)


def test_redirects_are_followed_at_most_five_times(local_site):
    for hop in range(7):
        local_site.add(f"/hop{hop}", status=302, headers={"Location": f"/hop{hop + 1}"})
    local_site.add("/hop7", "arrived", content_type="text/plain")
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        fetcher.fetch(local_site.url("/hop0"))
    assert fetcher.fetch(local_site.url("/hop2")).body == b"arrived"


def test_the_connection_goes_to_the_checked_address_with_the_right_host_header(local_site, settings):
    """The name is resolved once, by the fetcher; urllib3 is handed the address, and Host names the site."""
    local_site.add("/page", "hello", content_type="text/plain")
    lookups = []

    def resolver(host, port):
        lookups.append(host)
        return ["127.0.0.1"]

    response = fetcher.fetch(f"http://news.invalid:{local_site.server.server_port}/page", resolver=resolver)

    assert response.body == b"hello"
    assert lookups == ["news.invalid"]
    headers = local_site.requests_for("/page")[0]
    assert headers["Host"] == f"news.invalid:{local_site.server.server_port}"
    assert headers["User-Agent"] == f"ClaimTracker/0.1 (+{settings.SITE_URL})"


def test_https_connects_to_the_checked_address_and_verifies_the_host_name():
    target = fetcher.parse_target("https://News.Invalid/a?b=1")
    pool = fetcher._connection_pool(target, ipaddress.ip_address("93.184.215.14"))

    assert pool.host == "93.184.215.14"
    assert pool.conn_kw["server_hostname"] == "news.invalid"
    assert pool.assert_hostname == "news.invalid"
    assert pool.cert_reqs == "CERT_REQUIRED"
    assert target.host_header == "news.invalid"


def test_the_body_is_capped_while_it_streams(local_site):
    local_site.add("/endless", content_type="text/plain", chunks=lambda: (b"x" * 65536 for _ in range(200)))
    with pytest.raises(FetchTooLarge, match="stopped reading"):
        fetcher.fetch(local_site.url("/endless"), max_bytes=1_000_000)


def test_a_declared_length_over_the_cap_is_refused_before_reading(local_site):
    local_site.add("/big", b"y" * 2_000_000, content_type="text/plain")
    with pytest.raises(FetchTooLarge, match="2,000,000 bytes"):
        fetcher.fetch(local_site.url("/big"), max_bytes=1_000_000)


def test_the_cap_counts_decompressed_bytes(local_site):
    bomb = gzip.compress(b"\0" * 20_000_000)  # 20 MB that travel as about 20 KB
    local_site.add("/bomb", bomb, content_type="text/plain", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchTooLarge):
        fetcher.fetch(local_site.url("/bomb"), max_bytes=1_000_000)


def test_validators_are_sent_and_304_is_reported(local_site):
    local_site.add("/feed", "items", content_type="application/rss+xml", etag='"abc"')
    response = fetcher.fetch(local_site.url("/feed"), etag='"abc"', last_modified="Mon, 18 Jul 2022 09:00:00 GMT")

    assert response.not_modified and response.body == b""
    headers = local_site.requests_for("/feed")[0]
    assert (headers["If-None-Match"], headers["If-Modified-Since"]) == ('"abc"', "Mon, 18 Jul 2022 09:00:00 GMT")


@pytest.mark.parametrize(("status", "transient"), [(404, False), (410, False), (429, True), (500, True), (503, True)])
def test_error_statuses_say_whether_they_may_pass(local_site, status, transient):
    local_site.add("/x", "no", status=status, content_type="text/plain")
    with pytest.raises(FetchHTTPError) as raised:
        fetcher.fetch(local_site.url("/x"))
    assert raised.value.transient is transient


def test_a_closed_port_is_a_transient_error(settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    with pytest.raises(FetchUnavailable):
        fetcher.fetch("http://127.0.0.1:9/")


def test_a_name_that_does_not_resolve_is_a_clear_error():
    def no_such_host(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchError, match="could not be resolved") as raised:
        fetcher.fetch("http://nowhere.invalid/", resolver=no_such_host)
    assert not raised.value.transient


# --- POST, for webhook deliveries ------------------------------------------------------------------


def test_a_post_is_sent_with_its_headers_and_any_status_is_answered_with_an_excerpt(local_site):
    url = local_site.add("/hook", b"x" * 10_000, status=500, content_type="text/plain")
    answer = fetcher.post(url, body=b'{"a":1}', headers={"webhook-id": "msg_1"}, max_bytes=100)
    assert (answer.status, answer.body) == (500, b"x" * 100)
    assert local_site.posted == [b'{"a":1}']
    sent = local_site.requests_for("/hook")[0]
    assert sent["webhook-id"] == "msg_1" and sent["Content-Type"] == "application/json"


def test_a_post_never_follows_a_redirect(local_site):
    local_site.add("/elsewhere", b"ok")
    start = local_site.add("/hook", status=307, headers={"Location": "/elsewhere"})
    with pytest.raises(fetcher.FetchRedirectRefused, match="do not follow redirects") as refused:
        fetcher.post(start, body=b"{}", headers={})
    assert refused.value.status == 307 and local_site.requests_for("/elsewhere") == []


@pytest.mark.parametrize("address", ["169.254.169.254", "10.0.0.8", "::ffff:127.0.0.1"])
def test_a_post_to_a_refused_address_is_refused_before_connecting(address, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(FetchRefused):
        fetcher.post(
            "https://partner.invalid/hook",
            body=b"{}",
            headers={},
            resolver=resolver_for({"partner.invalid": [address]}),
        )
