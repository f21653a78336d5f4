"""RSS and Atom feeds: bytes in, plain-text items out, with XML's dangerous parts taken out first.

feedparser expands some internal entities itself once its strict parser gives
up, so a 56 KB feed can become a hundred million characters (the "billion
laughs" and the quadratic blow-up). We therefore remove the DOCTYPE (with its
internal subset) and every ENTITY declaration before feedparser sees the
bytes; references to entities that are no longer declared stay as text. This
is the only XML the app parses: article pages go through lxml's HTML parser
(inside trafilatura), which loads no DTD. Anything else that ever needs XML
must parse it with defusedxml.

Every text field is reduced to plain text (tags dropped with nh3, entities
decoded, whitespace collapsed) and cut to the length of the field it goes in.
"""

import datetime
import hashlib
import html
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser
import nh3

from claims.canonical import canonicalize_url
from claims.dates import DatePrecision
from claims.models import FeedEntry, Source

MAX_FEED_BYTES = 5 * 1024 * 1024
FEED_ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
SUMMARY_MAX_CHARS = 20_000

TITLE_MAX = Source._meta.get_field("title").max_length
AUTHOR_MAX = Source._meta.get_field("author").max_length
PUBLISHER_MAX = Source._meta.get_field("publisher").max_length
LANGUAGE_MAX = Source._meta.get_field("language").max_length
URL_MAX = Source._meta.get_field("url").max_length
GUID_MAX = FeedEntry._meta.get_field("guid").max_length

DOCTYPE_START = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
INTERNAL_SUBSET_END = re.compile(rb"\]\s*>")
ENTITY_DECLARATION = re.compile(rb"<!ENTITY[^>]*>", re.IGNORECASE)
WHITESPACE = re.compile(r"\s+")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FeedParseError(Exception):
    """The document could not be read as a feed at all."""

    transient = False


@dataclass(frozen=True)
class FeedItem:
    guid: str
    url: str  # canonical
    title: str
    author: str
    date: datetime.date | None
    date_precision: str
    summary: str


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    language: str
    items: list[FeedItem]
    skipped: list[str] = field(default_factory=list)  # why each unusable entry was left out
    problem: str = ""  # what was wrong with a feed that could still be read in part


def strip_declarations(data: bytes) -> bytes:
    """The document without its DOCTYPE (internal subset included) and without ENTITY declarations.

    Linear in the size of the document: one DOCTYPE is looked for, and its end found with one search.
    """
    start = DOCTYPE_START.search(data)
    if start is not None:
        bracket, close = data.find(b"[", start.end()), data.find(b">", start.end())
        if close != -1 and (bracket == -1 or close < bracket):
            end = close + 1
        else:
            subset_end = INTERNAL_SUBSET_END.search(data, bracket + 1) if bracket != -1 else None
            end = subset_end.end() if subset_end else len(data)
        data = data[: start.start()] + data[end:]
    return ENTITY_DECLARATION.sub(b"", data)


def plain_text(value, limit: int) -> str:
    """Text with no markup, entities decoded, whitespace collapsed, cut to `limit` characters."""
    if not value:
        return ""
    text = html.unescape(nh3.clean(str(value), tags=set()))
    text = WHITESPACE.sub(" ", CONTROL_CHARACTERS.sub("", text)).strip()
    return text[:limit].rstrip()


def _guid(entry, url: str, title: str) -> str:
    guid = str(entry.get("id") or url or "").strip()
    if not guid:
        guid = "sha256:" + hashlib.sha256(f"{title}\n{entry.get('summary', '')}".encode()).hexdigest()
    if len(guid) > GUID_MAX:
        guid = "sha256:" + hashlib.sha256(guid.encode()).hexdigest()
    return guid


def _date(entry) -> datetime.date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    except ValueError:
        return None


def _item(entry, *, base_url: str) -> FeedItem:
    """One entry as an item; ValueError says why it cannot be used."""
    link = str(entry.get("link") or "").strip()
    if not link:
        raise ValueError("no link")
    url = canonicalize_url(urljoin(base_url, link))
    if len(url) > URL_MAX:
        raise ValueError("link too long")
    title = plain_text(entry.get("title"), TITLE_MAX) or url[:TITLE_MAX]
    date = _date(entry)
    return FeedItem(
        guid=_guid(entry, url, title),
        url=url,
        title=title,
        author=plain_text(entry.get("author"), AUTHOR_MAX),
        date=date,
        date_precision=DatePrecision.DAY if date else DatePrecision.UNKNOWN,
        summary=plain_text(entry.get("summary"), SUMMARY_MAX_CHARS),
    )


def parse_feed(data: bytes, *, base_url: str, content_type: str = "") -> ParsedFeed:
    """Read a feed document. Raises FeedParseError when nothing can be read from it."""
    if len(data) > MAX_FEED_BYTES:
        raise FeedParseError(f"The feed is larger than the {MAX_FEED_BYTES:,} byte limit.")
    if not data.strip():
        raise FeedParseError("The feed is empty.")
    headers = {"content-location": base_url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(
        io.BytesIO(strip_declarations(data)),
        response_headers=headers,
        resolve_relative_uris=False,
        sanitize_html=False,  # everything is reduced to plain text below
    )
    problem = ""
    # Feeds served as text/html or text/plain are common and harmless: not a problem worth a partial run.
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), feedparser.NonXMLContentType):
        problem = f"The feed is malformed: {plain_text(parsed.get('bozo_exception'), 300) or 'unknown error'}."
    if not parsed.entries:
        if not parsed.get("version"):
            raise FeedParseError("This is not an RSS or Atom feed.")
        if problem:
            raise FeedParseError(problem.replace("malformed", "malformed and no item could be read"))
    items, skipped = [], []
    for position, entry in enumerate(parsed.entries, start=1):
        try:
            items.append(_item(entry, base_url=base_url))
        except ValueError as exc:
            skipped.append(f"item {position}: {exc}")
    channel = parsed.get("feed", {})
    return ParsedFeed(
        title=plain_text(channel.get("title"), PUBLISHER_MAX),
        language=plain_text(channel.get("language"), LANGUAGE_MAX),
        items=items,
        skipped=skipped,
        problem=problem,
    )
