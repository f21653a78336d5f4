"""Article text and metadata from a page we fetched ourselves, and what identifies the text.

trafilatura's extraction engine (`bare_extraction`, the function behind
`extract()`, which also hands back the metadata) runs on the bytes the safe
fetcher returned: it is never given a URL to download. Its fast mode (no
fallback extractors) is used: enough for news pages, and it keeps a worker at
well over 50 pages per second.
"""

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass

import trafilatura

from claims.importing.feeds import AUTHOR_MAX, LANGUAGE_MAX, PUBLISHER_MAX, TITLE_MAX, plain_text

HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SNAPSHOT_EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".xhtml",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Article:
    text: str
    title: str
    author: str
    publisher: str
    date: datetime.date | None
    language: str

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


def normalised_text(text: str) -> str:
    """The text as compared for sameness: Unicode NFKC, case-folded, whitespace collapsed."""
    return WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash(text: str) -> str:
    """sha256 of the normalised text, so one article under two URLs has one hash; "" for no text."""
    normalised = normalised_text(text)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest() if normalised else ""


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def extract_article(page: bytes, *, url: str) -> Article | None:
    """The article on an HTML page, or None when no article text can be found."""
    document = trafilatura.bare_extraction(
        page, url=url, fast=True, include_comments=False, include_tables=True, with_metadata=True
    )
    if document is None or not (document.text or "").strip():
        return None
    return Article(
        text=document.text.strip(),
        title=plain_text(document.title, TITLE_MAX),
        author=plain_text(document.author, AUTHOR_MAX),
        publisher=plain_text(document.sitename, PUBLISHER_MAX),
        date=_date(document.date),
        language=plain_text(document.language, LANGUAGE_MAX),
    )


def snapshot_extension(media_type: str) -> str:
    return SNAPSHOT_EXTENSIONS.get(media_type, ".bin")
