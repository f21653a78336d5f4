"""Property-based tests of URL canonicalisation (claims.canonical), which deduplication rests on."""

import string
from urllib.parse import parse_qsl, urlsplit

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.canonical import canonicalize_url, is_tracking_parameter

PROPERTIES = settings(deadline=None, max_examples=100, database=None, suppress_health_check=[HealthCheck.too_slow])

label = st.text(string.ascii_letters + string.digits, min_size=1, max_size=12)
hosts = st.lists(label, min_size=1, max_size=4).map(".".join) | st.sampled_from(
    ["Bücher.Example", "xn--bcher-kva.example", "127.0.0.1", "[2001:DB8::1]", "EXAMPLE.COM."]
)
path_segment = st.text(string.ascii_letters + string.digits + "-._~%!$'()*+,;=:@", max_size=10)
paths = st.lists(path_segment, max_size=4).map(lambda segments: "/" + "/".join(segments)) | st.just("")
names = st.text(string.ascii_letters + "_", min_size=1, max_size=8)
tracking = st.sampled_from(["utm_source", "UTM_Medium", "utm_campaign", "fbclid", "gclid", "mc_eid"])
values = st.text(string.ascii_letters + string.digits + "%+-", max_size=8)
parameters = st.lists(st.tuples(names | tracking, values), max_size=5)
fragments = st.none() | st.text(string.ascii_letters + string.digits + "/?=&", max_size=10)


@st.composite
def urls(draw) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    host = draw(hosts)
    port = draw(st.none() | st.sampled_from([80, 443, 8080, 8443]))
    query = "&".join(f"{name}={value}" for name, value in draw(parameters))
    fragment = draw(fragments)
    url = f"{scheme}://{host}{f':{port}' if port else ''}{draw(paths)}"
    if query:
        url += f"?{query}"
    if fragment is not None:
        url += f"#{fragment}"
    return url


@PROPERTIES
@given(urls())
@example("HTTP://Example.COM:80/a?utm_source=x&b=1#top")
def test_canonicalising_twice_changes_nothing(url):
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@PROPERTIES
@given(st.text(max_size=60))
def test_any_text_is_either_refused_or_canonical_for_good(text):
    try:
        once = canonicalize_url(text)
    except ValueError:
        return
    assert canonicalize_url(once) == once


@PROPERTIES
@given(urls())
def test_no_tracking_parameter_survives(url):
    query = urlsplit(canonicalize_url(url)).query
    assert not any(is_tracking_parameter(name) for name, _value in parse_qsl(query, keep_blank_values=True))
    assert "utm_" not in query.lower()


@PROPERTIES
@given(urls())
def test_the_other_parameters_keep_their_order(url):
    def kept(query):
        return [pair for pair in query.split("&") if pair and not is_tracking_parameter(pair.split("=", 1)[0])]

    assert kept(urlsplit(canonicalize_url(url)).query) == kept(urlsplit(url.split("#", 1)[0]).query)


@PROPERTIES
@given(urls())
def test_scheme_and_host_are_lower_case_and_fragment_and_default_port_are_gone(url):
    canonical = canonicalize_url(url)
    parts = urlsplit(canonical)
    assert parts.scheme in ("http", "https")
    assert parts.netloc == parts.netloc.lower()
    assert parts.fragment == "" and "#" not in canonical
    assert parts.port not in ({"http": 80, "https": 443}[parts.scheme],)
    assert parts.path.startswith("/")
    assert not parts.hostname.endswith(".")


@PROPERTIES
@given(urls(), st.sampled_from(["user@", "user:secret@", ":@"]))
def test_credentials_are_never_kept(url, credentials):
    scheme, rest = url.split("://", 1)
    assert "@" not in urlsplit(canonicalize_url(f"{scheme}://{credentials}{rest}")).netloc
