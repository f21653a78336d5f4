"""Hostile and broken feeds, served by the local site: each ends in a recorded run, in bounded memory,
and what earlier polls stored stays."""

import tracemalloc

import pytest

from claims.importing import pipeline
from claims.importing.feeds import strip_declarations
from claims.models import ImportRun, Source
from tests.factories import FeedFactory
from tests.importing.conftest import rss

pytestmark = pytest.mark.django_db

MEMORY_BOUND = 64 * 1024 * 1024  # the 5 MB byte cap, parsed, with room to spare

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://wire.example/laughs</link><description>&lol9;</description></item>
</channel></rss>"""


def quadratic_blowup() -> bytes:
    """One 50 KB entity referenced 20,000 times: 110 KB on the wire, 1 GB if expanded."""
    entity = b"a" * 50_000
    references = b"&a;" * 20_000
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + entity + b'">]>\n'
        b'<rss version="2.0"><channel><title>Q</title><item><title>Blow-up</title>'
        b"<link>https://wire.example/quadratic</link><description>" + references + b"</description></item>"
        b"</channel></rss>"
    )


GOOD_ITEMS = [{"guid": f"g{n}", "link": f"https://wire.example/good/{n}", "title": f"Good {n}"} for n in range(3)]
GOOD_FEED = rss(GOOD_ITEMS).encode()


@pytest.fixture
def feed(local_site, enqueued):
    """A feed that was read well once: three sources on file before the hostile poll."""
    local_site.add("/feed.xml", GOOD_FEED, content_type="application/rss+xml")
    feed = FeedFactory(url=local_site.url("/feed.xml"))
    assert pipeline.poll_feed(feed.pk).items_new == 3
    return feed


def poll_in_bounded_memory(feed) -> ImportRun:
    tracemalloc.start()
    try:
        run = pipeline.poll_feed(feed.pk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"peak {peak:,} bytes"
    assert ImportRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists()
    assert Source.objects.filter(url__startswith="https://wire.example/good/").count() == 3, "earlier data lost"
    return run


def serve(local_site, body: bytes, **options):
    options.setdefault("content_type", "application/rss+xml")
    local_site.add("/feed.xml", body, **options)


def test_billion_laughs_is_not_expanded(feed, local_site):
    serve(local_site, BILLION_LAUGHS)
    run = poll_in_bounded_memory(feed)

    assert run.status in ("partial", "succeeded")
    source = Source.objects.get(url="https://wire.example/laughs")
    assert len(source.title) < 100 and len(source.text) < 100


def test_the_quadratic_blowup_is_not_expanded(feed, local_site):
    serve(local_site, quadratic_blowup())
    run = poll_in_bounded_memory(feed)

    assert run.status in ("partial", "succeeded")
    assert len(Source.objects.get(url="https://wire.example/quadratic").text) <= 200_000


def test_fifty_megabytes_of_junk_stop_at_the_byte_cap(feed, local_site):
    serve(local_site, b"", chunks=lambda: (b"<junk>" * 10_000 for _ in range(850)))  # 51 MB, no length given
    run = poll_in_bounded_memory(feed)

    assert run.status == "failed"
    assert "byte limit" in run.error


def test_a_truncated_feed_keeps_the_items_before_the_cut(feed, local_site):
    items = [{"guid": f"t{n}", "link": f"https://wire.example/cut/{n}", "title": f"Cut {n}"} for n in range(4)]
    document = rss(items).encode()
    serve(local_site, document[: document.index(b"Cut 3") + 3])
    run = poll_in_bounded_memory(feed)

    assert run.status == "partial"
    assert "malformed" in run.error
    assert run.items_new >= 3


def test_a_feed_in_another_encoding_than_it_declares_is_read(feed, local_site):
    body = rss([{"guid": "e", "link": "https://wire.example/enc", "title": "Déclaration du ministre"}])
    serve(local_site, body.encode("latin-1"), content_type="application/rss+xml; charset=utf-8")
    run = poll_in_bounded_memory(feed)

    assert run.status in ("partial", "succeeded")
    assert "ministre" in Source.objects.get(url="https://wire.example/enc").title


def test_a_utf16_feed_is_read(feed, local_site):
    body = rss([{"guid": "u", "link": "https://wire.example/utf16", "title": "وزير الخارجية"}])
    serve(local_site, body.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"))
    run = poll_in_bounded_memory(feed)

    assert run.status == "succeeded"
    assert Source.objects.get(url="https://wire.example/utf16").title == "وزير الخارجية"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", "The feed is empty."),
        (b"   \n", "The feed is empty."),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "not an RSS or Atom feed"),
        (b"<html><body>Moved</body></html>", "not an RSS or Atom feed"),
    ],
    ids=["empty", "blank", "binary", "html"],
)
def test_what_is_not_a_feed_fails_with_a_clear_error(feed, local_site, body, error):
    serve(local_site, body)
    run = poll_in_bounded_memory(feed)

    assert run.status == "failed"
    assert error in run.error


def test_declarations_are_stripped_in_one_pass_even_when_unterminated():
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [' + b"<!ENTITY a 'b'>" * 100_000  # never closed
    assert strip_declarations(hostile) == b'<?xml version="1.0"?>'
    assert strip_declarations(b"<!DOCTYPE rss><rss/>") == b"<rss/>"
    assert strip_declarations(b"<rss><!ENTITY x 'y'><channel/></rss>") == b"<rss><channel/></rss>"
