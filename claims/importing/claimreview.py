"""Other organisations' ClaimReview, read from bytes we were given: a page (JSON-LD or microdata), a JSON-LD
document, or a ClaimReview data feed (`DataFeed` → `dataFeedElement` → `item`).

`parse(body, media_type, base_url=…)` returns one `ItemResult` per ClaimReview found, in document order:
a `Review` ready to store, or the reason it was skipped ("no claimReviewed", "reviewRating is not an
object"…). A whole document that cannot be read at all (too large, not JSON nor HTML, nested too deeply,
no ClaimReview in it) raises `DocumentError` with the reason. Nothing here touches the database or the
network: the caller fetched the bytes through the safe fetcher (claims/importing/fetch.py).

Hostile input meets hard limits: the size of the document (`MAX_BYTES`), the nesting of JSON and of
microdata (`MAX_DEPTH`), the number of JSON-LD blocks on a page (`MAX_SCRIPTS`), the number of reviews
(`MAX_ITEMS`, those past it counted as skipped) and the length of every stored text. Every field is read
by type: a number where text is expected, a list where an object is, is a reason, never an exception.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 40
MAX_SCRIPTS = 100
MAX_ITEMS = 5000
CLAIM_MAX = 5000
NAME_MAX = 300
HEADLINE_MAX = 500
URL_MAX = 2000
LANGUAGE_MAX = 35

JSON_TYPES = frozenset({"application/json", "application/ld+json", "text/json", "application/feed+json"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
WHITESPACE = re.compile(r"\s+")
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


class DocumentError(ValueError):
    """The document as a whole could not be read (the message says why)."""


@dataclass(frozen=True)
class Review:
    review_url: str
    publisher_name: str
    publisher_site: str
    headline: str
    claim_text: str
    claimant: str
    claim_date: date | None
    rating_text: str
    rating_value: float | None
    rating_best: float | None
    rating_worst: float | None
    review_date: date | None
    language: str


@dataclass(frozen=True)
class ItemResult:
    position: int  # 1, 2, … in document order
    review: Review | None
    reason: str = ""  # why it was skipped (review is None)

    @property
    def ok(self) -> bool:
        return self.review is not None


class Skip(Exception):
    """One item cannot be imported; the message is its reason."""


# --- Reading the document -------------------------------------------------------------------------------


def parse(body: bytes, media_type: str = "", *, base_url: str = "") -> list[ItemResult]:
    if len(body) > MAX_BYTES:
        raise DocumentError(f"The document is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    kind = _kind(body, media_type.split(";")[0].strip().lower())
    nodes = _json_nodes(body) if kind == "json" else _html_nodes(body)
    ids = _ids(nodes)
    reviews = list(_claim_reviews(nodes))
    if not reviews:
        raise DocumentError("No ClaimReview found in the document.")
    results = []
    for position, node in enumerate(reviews, start=1):
        if position > MAX_ITEMS:
            results.append(ItemResult(position, None, f"More than {MAX_ITEMS} reviews in one document: not read."))
            continue
        try:
            results.append(ItemResult(position, review_from(node, ids, base_url=base_url, alone=len(reviews) == 1)))
        except Skip as reason:
            results.append(ItemResult(position, None, str(reason)))
    return results


def _kind(body: bytes, media_type: str) -> str:
    if media_type in JSON_TYPES:
        return "json"
    if media_type in HTML_TYPES:
        return "html"
    start = body.lstrip()[:1]
    if start in (b"{", b"["):
        return "json"
    if start == b"<":
        return "html"
    raise DocumentError(f"Neither JSON nor HTML (sent as {media_type or 'no media type'}).")


def _json_nodes(body: bytes) -> list[Any]:
    try:
        return [_loads(body)]
    except DocumentError:
        raise
    except ValueError as exc:
        raise DocumentError(f"Not valid JSON: {exc}") from None


def _loads(text: bytes | str) -> Any:
    try:
        data = json.loads(text)
    except RecursionError:
        raise DocumentError(f"The JSON is nested more than {MAX_DEPTH} levels deep.") from None
    if _depth_exceeds(data, MAX_DEPTH):
        raise DocumentError(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
    return data


def _depth_exceeds(data: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)
    return False


def _html_nodes(body: bytes) -> list[Any]:
    try:
        root = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"The page could not be read as HTML: {exc}") from None
    nodes: list[Any] = []
    scripts = root.xpath("//script[@type]")
    blocks = [s for s in scripts if s.get("type", "").split(";")[0].strip().lower() == "application/ld+json"]
    for script in blocks[:MAX_SCRIPTS]:
        try:
            nodes.append(_loads(script.text or ""))
        except (ValueError, DocumentError) as exc:
            # One broken block does not hide the others: it becomes an item of its own if it names ClaimReview.
            if "ClaimReview" in (script.text or ""):
                nodes.append({"@type": "ClaimReview", "_unreadable": str(exc)[:200]})
    for element in root.xpath("//*[@itemscope and @itemtype]"):
        if _is_claim_review_type(element.get("itemtype", "")) and not _inside_item(element):
            try:
                nodes.append(_microdata_item(element, 0))
            except DocumentError as exc:
                nodes.append({"@type": "ClaimReview", "_unreadable": str(exc)})
    return nodes


def _inside_item(element: Any) -> bool:
    """A review nested in another review's markup is read as its property, not again on its own."""
    parent = element.getparent()
    while parent is not None:
        if parent.get("itemscope") is not None and _is_claim_review_type(parent.get("itemtype", "")):
            return True
        parent = parent.getparent()
    return False


def _microdata_item(element: Any, depth: int) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        raise DocumentError(f"The microdata is nested more than {MAX_DEPTH} levels deep.")
    item: dict[str, Any] = {"@type": [_bare(t) for t in element.get("itemtype", "").split()]}
    for prop in _item_properties(element):
        nested = prop.get("itemscope") is not None
        value: Any = _microdata_item(prop, depth + 1) if nested else _microdata_value(prop)
        for name in prop.get("itemprop", "").split():
            item.setdefault(name, []).append(value)
    return {key: value[0] if isinstance(value, list) and len(value) == 1 else value for key, value in item.items()}


def _item_properties(element: Any) -> Iterator[Any]:
    """The elements with itemprop that belong to this item (not to an item nested in it)."""
    stack = list(reversed(element))
    while stack:
        child = stack.pop()
        if not isinstance(child.tag, str):
            continue
        if child.get("itemprop") is not None:
            yield child
        if child.get("itemscope") is None:
            stack.extend(reversed(child))


def _microdata_value(element: Any) -> str:
    tag = element.tag.lower()
    if element.get("content") is not None:
        return str(element.get("content"))
    if tag in ("a", "link", "area") and element.get("href") is not None:
        return str(element.get("href"))
    if tag in ("img", "audio", "video", "source", "embed", "iframe") and element.get("src") is not None:
        return str(element.get("src"))
    if tag == "time" and element.get("datetime") is not None:
        return str(element.get("datetime"))
    if tag in ("data", "meter") and element.get("value") is not None:
        return str(element.get("value"))
    return str(element.text_content())


# --- Finding the reviews --------------------------------------------------------------------------------


def _bare(type_name: str) -> str:
    for prefix in SCHEMA_PREFIXES:
        if type_name.startswith(prefix):
            return type_name[len(prefix) :]
    return type_name


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", node.get("type"))
    names = value if isinstance(value, list) else [value]
    return {_bare(name) for name in names if isinstance(name, str)}


def _is_claim_review_type(itemtype: str) -> bool:
    return any(_bare(name) == "ClaimReview" for name in itemtype.split())


def _ids(nodes: list[Any]) -> dict[str, dict[str, Any]]:
    """Every object with an `@id` and more than that id, so that a reference (`{"@id": "#claim"}`) reads as
    the object it names (the `@graph` shape)."""
    found: dict[str, dict[str, Any]] = {}
    for node in _walk(nodes):
        identifier = node.get("@id")
        if isinstance(identifier, str) and len(node) > 1:
            found.setdefault(identifier, node)
    return found


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    stack: list[Any] = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))


def _claim_reviews(nodes: list[Any]) -> Iterator[dict[str, Any]]:
    """Every ClaimReview object, in document order."""
    seen: set[int] = set()
    for node in _walk(nodes):
        if "ClaimReview" in _types(node) and id(node) not in seen:
            seen.add(id(node))
            yield node


# --- One review -----------------------------------------------------------------------------------------


def review_from(node: dict[str, Any], ids: dict[str, dict[str, Any]], *, base_url: str = "", alone: bool) -> Review:
    if "_unreadable" in node:
        raise Skip(f"A JSON-LD block could not be read: {node['_unreadable']}")
    url = _url(_first(node, "url", ids), base_url)
    if not url and alone and base_url:
        url = base_url  # a page with one review and no url of its own: the page is the review
    if not url:
        raise Skip("No review URL (url).")
    claim = _text(_first(node, "claimReviewed", ids), "claimReviewed", CLAIM_MAX)
    item = _object(node.get("itemReviewed"), "itemReviewed", ids)
    if not claim and item is not None:
        claim = _text(_first(item, "text", ids) or _first(item, "name", ids), "itemReviewed's text", CLAIM_MAX)
    if not claim:
        raise Skip("No claim text (claimReviewed).")
    rating = _object(node.get("reviewRating"), "reviewRating", ids)
    if rating is None:
        raise Skip("No rating (reviewRating).")
    rating_text = _text(_first(rating, "alternateName", ids), "reviewRating.alternateName", NAME_MAX) or _text(
        _first(rating, "name", ids), "reviewRating.name", NAME_MAX
    )
    value, best, worst = (_number(rating.get(name)) for name in ("ratingValue", "bestRating", "worstRating"))
    if best is not None and worst is not None and best == worst:
        best = worst = None  # a scale of one point says nothing
    if not rating_text and value is not None:
        rating_text = f"{value:g}" + (f" of {best:g}" if best is not None else "")
    if not rating_text:
        raise Skip("No rating text (reviewRating.alternateName).")
    publisher_name, publisher_site = _organisation(node, ids, url)
    claimant, claim_date = "", None
    if item is not None:
        claimant = _name(item.get("author"), ids)
        claim_date = _date(_first(item, "datePublished", ids))
    return Review(
        review_url=url,
        publisher_name=publisher_name,
        publisher_site=publisher_site,
        headline=_text(_first(node, "headline", ids) or _first(node, "name", ids), "headline", HEADLINE_MAX),
        claim_text=claim,
        claimant=claimant,
        claim_date=claim_date,
        rating_text=rating_text,
        rating_value=value,
        rating_best=best,
        rating_worst=worst,
        review_date=_date(_first(node, "datePublished", ids)),
        language=_language(node.get("inLanguage"), ids),
    )


def _first(node: dict[str, Any], name: str, ids: dict[str, dict[str, Any]]) -> Any:
    value = node.get(name)
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "")), None)
    return _resolved(value, ids)


def _resolved(value: Any, ids: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("@id"), str):
        return ids.get(value["@id"], value)
    return value


def _object(value: Any, field: str, ids: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), value[0] if value else None)
    value = _resolved(value, ids)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise Skip(f"{field} is not an object (it is {_type_name(value)}).")
    return value


def _type_name(value: Any) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _text(value: Any, field: str, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    if not isinstance(value, str):
        raise Skip(f"{field} is not text (it is {_type_name(value)}).")
    return WHITESPACE.sub(" ", value).strip()[:limit]


def _number(value: Any) -> float | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if abs(number) < 1e9 and number == number else None  # NaN and huge values are no rating


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    found = ISO_DATE.match(value)
    if not found:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def _url(value: Any, base_url: str) -> str:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    if not isinstance(value, str) or not value.strip():
        return ""
    absolute = urljoin(base_url, value.strip()) if base_url else value.strip()
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(absolute) > URL_MAX:
        return ""
    return absolute


def _name(value: Any, ids: dict[str, dict[str, Any]]) -> str:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    value = _resolved(value, ids)
    if isinstance(value, str):
        return WHITESPACE.sub(" ", value).strip()[:NAME_MAX]
    if isinstance(value, dict):
        name = _first(value, "name", ids)
        if isinstance(name, str):
            return WHITESPACE.sub(" ", name).strip()[:NAME_MAX]
    return ""


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _organisation(node: dict[str, Any], ids: dict[str, dict[str, Any]], review_url: str) -> tuple[str, str]:
    """The review's publisher (its author, else its publisher): a name and a site; the review's host when
    the markup names nobody."""
    for field in ("author", "publisher"):
        value = node.get(field)
        if isinstance(value, list):
            value = next((v for v in value if v), None)
        value = _resolved(value, ids)
        name = _name(value, ids)
        site = ""
        if isinstance(value, dict):
            site = _host(_url(_first(value, "url", ids), "")) or _host(_url(value.get("@id"), ""))
        if name:
            return name, site or _host(review_url)
    host = _host(review_url)
    return host, host


def _language(value: Any, ids: dict[str, dict[str, Any]]) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    value = _resolved(value, ids)
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    return value.strip()[:LANGUAGE_MAX] if isinstance(value, str) else ""
