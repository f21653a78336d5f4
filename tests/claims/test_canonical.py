"""One document, one canonical URL: what canonicalize_url keeps and what it drops."""

import pytest

from claims.canonical import canonicalize_url


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("HTTPS://News.EXAMPLE/Story", "https://news.example/Story"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("https://news.example:443/a", "https://news.example/a"),
        ("https://news.example:8443/a", "https://news.example:8443/a"),
        ("http://news.example:443/a", "http://news.example:443/a"),
        ("https://news.example/a#comments", "https://news.example/a"),
        ("https://news.example", "https://news.example/"),
        ("https://news.example?id=7", "https://news.example/?id=7"),
        ("  https://news.example/a  ", "https://news.example/a"),
        ("https://news.example./a", "https://news.example/a"),
        ("https://bücher.example/a", "https://xn--bcher-kva.example/a"),
    ],
)
def test_scheme_host_port_and_fragment_are_normalised_and_the_path_kept(given, canonical):
    assert canonicalize_url(given) == canonical


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("https://news.example/a?utm_source=x&utm_medium=social", "https://news.example/a"),
        ("https://news.example/a?id=1&utm_campaign=c&page=2", "https://news.example/a?id=1&page=2"),
        ("https://news.example/a?fbclid=abc&z=1&a=2", "https://news.example/a?z=1&a=2"),
        ("https://news.example/a?UTM_Source=x&gclid=y&id=3", "https://news.example/a?id=3"),
    ],
)
def test_tracking_parameters_are_dropped_and_the_others_keep_their_order(given, canonical):
    assert canonicalize_url(given) == canonical


def test_kept_query_parameters_stay_byte_for_byte():
    url = "https://news.example/search?q=a%20b&x=1+2&empty=&flag&utm_source=feed"
    assert canonicalize_url(url) == "https://news.example/search?q=a%20b&x=1+2&empty=&flag"


def test_path_case_and_encoding_are_kept():
    assert canonicalize_url("https://news.example/Path/%7Euser/") == "https://news.example/Path/%7Euser/"


def test_equivalent_spellings_of_one_address_become_one():
    spellings = [
        "https://news.example/story?id=9",
        "HTTPS://NEWS.example:443/story?id=9#top",
        "https://news.example/story?utm_source=rss&id=9&fbclid=xyz",
    ]
    assert {canonicalize_url(url) for url in spellings} == {"https://news.example/story?id=9"}


@pytest.mark.parametrize(
    "url",
    [
        "ftp://files.example/report.pdf",
        "javascript:alert(1)",
        "mailto:desk@news.example",
        "file:///etc/passwd",
        "news.example/no-scheme",
        "https:///no-host",
        "https://news.example:99999/bad-port",
    ],
)
def test_addresses_that_are_not_http_with_a_host_are_refused(url):
    with pytest.raises(ValueError):
        canonicalize_url(url)


@pytest.mark.parametrize("blank", ["", "   "])
def test_no_address_stays_no_address(blank):
    assert canonicalize_url(blank) == ""


def test_credentials_written_into_an_address_are_dropped():
    assert canonicalize_url("https://editor:s3cret@news.example/story") == "https://news.example/story"
