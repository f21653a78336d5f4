"""Cursor pagination: an opaque `cursor` for the next page, never a page number.

A list in publication order continues after the last row seen (published_at, id), so a verdict
published meanwhile neither repeats a row nor skips one. A ranked list (a full-text query) has no such
key: its cursor carries the offset.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

MAX_OFFSET = 10_000


class BadCursor(ValueError):
    """A cursor this API did not hand out."""


@dataclass(frozen=True)
class Position:
    published_at: datetime | None = None
    pk: int | None = None
    offset: int = 0


def encode(position: Position) -> str:
    data: dict[str, object] = (
        {"o": position.offset}
        if position.published_at is None
        else {"t": position.published_at.isoformat(), "k": position.pk}
    )
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str) -> Position:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if set(data) == {"o"} and type(data["o"]) is int and 0 <= data["o"] <= MAX_OFFSET:
            return Position(offset=data["o"])
        if set(data) == {"t", "k"} and type(data["k"]) is int and 0 < data["k"] < 2**63:
            published_at = datetime.fromisoformat(data["t"])
            if published_at.tzinfo is not None:
                return Position(published_at=published_at, pk=data["k"])
    except (binascii.Error, ValueError, TypeError, AttributeError, UnicodeDecodeError):
        pass
    raise BadCursor(_("This cursor is not one this API gave out: use the `next_cursor` of the previous page."))


def page(rows: QuerySet, cursor: str | None, limit: int, *, ranked: bool) -> tuple[list[dict], str | None]:
    """`limit` rows of `rows` (values() with `pk` and `published_at`, newest first unless `ranked`) after
    `cursor`, and the cursor of the next page (None at the end)."""
    position = decode(cursor) if cursor else None
    if ranked:
        if position is not None and position.published_at is not None:
            raise BadCursor(_("This cursor belongs to a list without a query: send it without one."))
        offset = position.offset if position else 0
        found = list(rows[offset : offset + limit + 1])
        more = len(found) > limit and offset + limit <= MAX_OFFSET
        return found[:limit], encode(Position(offset=offset + limit)) if more else None
    if position is not None:
        if position.published_at is None:
            raise BadCursor(_("This cursor belongs to a list with a query: send the same query with it."))
        rows = rows.filter(
            Q(published_at__lt=position.published_at) | Q(published_at=position.published_at, pk__lt=position.pk)
        )
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return found, None
    last = found[limit - 1]
    return found[:limit], encode(Position(published_at=last["published_at"], pk=last["pk"]))
