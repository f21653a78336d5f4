"""Import benchmark: a generated feed of 5,000 items, and its article pages, served on 127.0.0.1.

Prints, from one run:

- feed ingest — one poll through claims.importing.pipeline.poll_feed (fetch over
  loopback, parse, deduplicate, store with history, enqueue the article
  fetches) — in items per second, and as a ratio to feedparser's parse time
  alone for the same document;
- the same feed polled again (every item already on file);
- article fetch + extract (claims.importing.pipeline.fetch_source: fetch,
  trafilatura, snapshot, save with history) in pages per second, one page
  after another as one worker process does them.

It runs against a throwaway database (Django's test database for DATABASE_URL,
created and dropped here) and Celery's in-memory broker; nothing outside
127.0.0.1 is contacted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck .venv/bin/python bench/import_bench.py
    .venv/bin/python bench/import_bench.py --items 5000 --pages 300
"""

import argparse
import io
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ["CELERY_BROKER_URL"] = "memory://"  # enqueued fetches go nowhere: this measures the pipeline
os.environ.setdefault("FETCH_ALLOW_LOOPBACK", "True")  # the generated site is on 127.0.0.1

import django

django.setup()

import feedparser  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from claims.importing import pipeline  # noqa: E402
from claims.importing.feeds import strip_declarations  # noqa: E402
from claims.models import Feed, FetchStatus, Source  # noqa: E402

TARGET_INGEST_ITEMS_PER_SECOND = 500
TARGET_PAGES_PER_SECOND = 50

WORDS = [
    "minister", "said", "government", "drones", "weapons", "talks", "officials", "statement", "ministry", "foreign",
    "denied", "claims", "war", "meeting", "journalists", "capital", "report", "sources", "agency", "conflict",
    "security", "defence", "cooperation", "president",
]  # fmt: skip


def sentence(seed: int, length: int = 18) -> str:
    words = [WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + "."


def feed_document(items: int) -> bytes:
    entries = "".join(
        f"<item><title>Generated story {n}: {escape(sentence(n, 8))}</title>"
        f'<link>/articles/{n}?utm_source=rss</link><guid isPermaLink="false">urn:bench:{n}</guid>'
        f"<author>desk{n % 17}@wire.example (Desk {n % 17})</author>"
        f"<pubDate>Mon, {1 + n % 28:02d} Aug 2022 09:{n % 60:02d}:00 +0000</pubDate>"
        f"<description>{escape(sentence(n))} {escape(sentence(n + 1))}</description></item>"
        for n in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench wire</title>'
        f"<link>https://wire.example/</link><language>en</language>{entries}</channel></rss>"
    ).encode()


def article_page(number: int) -> bytes:
    paragraphs = "".join(f"<p>{sentence(number * 5 + i, 40)} {sentence(number * 5 + i + 1, 30)}</p>" for i in range(6))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Generated story {number}</title>'
        f'<meta name="author" content="Desk {number % 17}"><meta property="og:site_name" content="Bench wire">'
        f'<meta property="article:published_time" content="2022-08-{1 + number % 28:02d}"></head><body>'
        "<header><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/politics'>Politics</a></nav></header>"
        f"<main><article><h1>Generated story {number}</h1>{paragraphs}</article>"
        "<aside><h2>Most read</h2><ul><li><a href='/a'>Another story</a></li><li><a href='/b'>And another</a></li>"
        "</ul></aside></main><footer><p>Copyright Bench wire. All rights reserved.</p></footer></body></html>"
    ).encode()


def serve(feed: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path == "/feed.xml":
                body, content_type = feed, "application/rss+xml"
            elif self.path.startswith("/articles/"):
                body, content_type = article_page(int(self.path.rsplit("/", 1)[1])), "text/html; charset=utf-8"
            else:
                body, content_type = b"not found", "text/plain"
            self.send_response(200 if body != b"not found" else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def run(items: int, pages: int) -> None:
    document = feed_document(items)
    server = serve(document)
    feed = Feed.objects.create(url=f"http://127.0.0.1:{server.server_port}/feed.xml", name="Bench wire")

    parsed, parse_seconds = timed(lambda: feedparser.parse(io.BytesIO(strip_declarations(document))))
    assert len(parsed.entries) == items
    first, ingest_seconds = timed(lambda: pipeline.poll_feed(feed.pk))
    assert (first.status, first.items_new) == ("succeeded", items), first.error
    again, reingest_seconds = timed(lambda: pipeline.poll_feed(feed.pk))
    assert (again.status, again.items_duplicate) == ("succeeded", items), again.error

    pending = list(
        Source.objects.filter(feed=feed, fetch_status=FetchStatus.PENDING).order_by("pk").values_list("pk", flat=True)
    )[:pages]
    _, fetch_seconds = timed(lambda: [pipeline.fetch_source(pk) for pk in pending])
    fetched = Source.objects.filter(pk__in=pending, fetch_status=FetchStatus.DONE).count()
    assert fetched == len(pending), f"only {fetched} of {len(pending)} pages fetched"
    server.shutdown()

    ingest_rate = items / ingest_seconds
    pages_rate = len(pending) / fetch_seconds
    print(f"database: {connection.vendor}; feed: {items:,} items, {len(document) / 1e6:.1f} MB")
    print(f"feedparser parse alone:    {parse_seconds:6.2f} s  ({items / parse_seconds:7.0f} items/s)")
    print(
        f"feed ingest (first poll):  {ingest_seconds:6.2f} s  ({ingest_rate:7.0f} items/s; "
        f"{ingest_seconds / parse_seconds:.2f}x feedparser alone)  target >= {TARGET_INGEST_ITEMS_PER_SECOND} items/s"
    )
    print(
        f"feed re-ingest (all dup):  {reingest_seconds:6.2f} s  ({items / reingest_seconds:7.0f} items/s; "
        f"{reingest_seconds / parse_seconds:.2f}x feedparser alone)"
    )
    print(
        f"article fetch + extract:   {fetch_seconds:6.2f} s  ({pages_rate:7.1f} pages/s over {len(pending)} pages)  "
        f"target >= {TARGET_PAGES_PER_SECOND} pages/s"
    )
    met = ingest_rate >= TARGET_INGEST_ITEMS_PER_SECOND and pages_rate >= TARGET_PAGES_PER_SECOND
    print("targets met" if met else "TARGETS MISSED")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000, help="items in the generated feed (default 5000)")
    parser.add_argument("--pages", type=int, default=300, help="article pages to fetch and extract (default 300)")
    options = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            run(options.items, options.pages)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
