"""A web site of our own on 127.0.0.1 for the import tests, and the feeds and pages it serves."""

import datetime
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import pytest

LOOPBACK = "127.0.0.1"


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    etag: str = ""
    last_modified: str = ""
    chunks: Callable[[], Iterable[bytes]] | None = None  # streamed without a Content-Length


class LocalSite:
    """Pages by path, served by a thread on 127.0.0.1; every request is remembered with its headers."""

    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, dict]] = []
        self.posted: list[bytes] = []  # the bodies of POST requests (webhook deliveries), answered like a GET
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                site.requests.append((self.path, dict(self.headers)))
                page = site.pages.get(self.path)
                if page is None:
                    page = Page(b"not found", status=404, content_type="text/plain")
                conditional = (page.etag and self.headers.get("If-None-Match") == page.etag) or (
                    page.last_modified and self.headers.get("If-Modified-Since") == page.last_modified
                )
                try:
                    self.send_response(304 if conditional else page.status)
                    for name, value in {"Content-Type": page.content_type, **page.headers}.items():
                        self.send_header(name, value)
                    if page.etag:
                        self.send_header("ETag", page.etag)
                    if page.last_modified:
                        self.send_header("Last-Modified", page.last_modified)
                    if conditional:
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    elif page.chunks is not None:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        for chunk in page.chunks():
                            self.wfile.write(chunk)
                    else:
                        self.send_header("Content-Length", str(len(page.body)))
                        self.end_headers()
                        self.wfile.write(page.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading (the byte cap did its job)

            def do_POST(self):
                site.posted.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                self.do_GET()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.server.server_port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **options) -> str:
        self.pages[path] = Page(body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def requests_for(self, path: str) -> list[dict]:
        return [headers for requested, headers in self.requests if requested == path]


@pytest.fixture
def local_site(settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    site = LocalSite()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def only_loopback_connections(monkeypatch):
    """Any connection to an address outside 127.0.0.0/8 fails the test, whatever the fetcher decided."""
    attempts = []
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else ""
        attempts.append(host)
        if not str(host).startswith("127."):
            raise AssertionError(f"a connection to {host} was attempted")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    return attempts


def rss(items: Iterable[dict], *, title: str = "Example Wire", language: str = "en") -> str:
    """An RSS 2.0 document; each item a dict of guid, link, title, author, date (datetime.date), summary."""
    rendered = []
    for item in items:
        parts = [f"<title>{escape(item.get('title', ''))}</title>", f"<link>{escape(item['link'])}</link>"]
        if "guid" in item:
            parts.append(f'<guid isPermaLink="false">{escape(item["guid"])}</guid>')
        if "author" in item:
            parts.append(f"<author>{escape(item['author'])}</author>")
        if "date" in item:
            day: datetime.date = item["date"]
            parts.append(f"<pubDate>{day:%a, %d %b %Y} 09:00:00 +0000</pubDate>")
        if "summary" in item:
            parts.append(f"<description>{escape(item['summary'])}</description>")
        rendered.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://wire.example/</link><language>{language}</language>"
        + "".join(rendered)
        + "</channel></rss>"
    )


def article_page(title: str, paragraphs: Iterable[str], *, author: str = "", published: str = "") -> str:
    meta = f'<meta name="author" content="{escape(author)}">' if author else ""
    if published:
        meta += f'<meta property="article:published_time" content="{published}">'
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{escape(title)}</title>{meta}'
        '<meta property="og:site_name" content="Example Wire"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Copyright Example Wire</footer></body></html>"
    )


ARTICLE_PARAGRAPHS = (
    "The foreign minister told journalists in the capital on Monday that his country had not sold weapons "
    "or drones for use in the war, and that cooperation between the two governments would continue.",
    "He added that weapons had been exchanged in the past, but not during the conflict, and said his "
    "government was ready to discuss the allegations with the other side.",
)


@dataclass
class Enqueued:
    polls: list = field(default_factory=list)  # (feed_id, run_id)
    fetches: list = field(default_factory=list)  # source ids
    matchings: list = field(default_factory=list)  # source ids sent to be matched


@pytest.fixture
def enqueued(monkeypatch):
    """Stand in for the broker: what the pipeline would have sent to the worker."""
    from claims import jobs

    record = Enqueued()

    def enqueue_poll(feed_id, run_id):
        record.polls.append((feed_id, run_id))

    def enqueue_fetches(source_ids):
        record.fetches.extend(source_ids)

    monkeypatch.setattr(jobs, "enqueue_poll", enqueue_poll)
    monkeypatch.setattr(jobs, "enqueue_fetches", enqueue_fetches)
    monkeypatch.setattr(jobs, "enqueue_matching", record.matchings.append)
    return record
