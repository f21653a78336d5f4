"""The published record's schema: what `Verdict.published_record` holds, one version after another.

Publishing freezes a claim's public content into a JSON record (built by
claims.publishing.build). This module is the only code that touches that JSON:

* `write_record` turns a `PublishedRecord` into the JSON stored, in the
  current version (`CURRENT_VERSION`, kept under "version");
* `read_record` (and `read_claim`, `read_verdict`, `read_sources` for the
  parts that listings project in SQL) checks a stored record and upgrades an
  older version to the current shape, so every reader sees one typed shape;
* the lookups and Q objects below are the only paths into the JSON that
  queries use.

The schema is frozen dataclasses rather than TypedDicts: readers get
attributes that a type checker and a reviewer can follow, and the templates'
dotted access (`record.claim.text`) works on them as it did on the dict. A
record, once read, cannot be changed by accident. Only the current version
has classes: nothing reads an older one as it was, so each older version is
described by its upgrade step below and by a literal record of it in the tests.

Versions on file (see docs/architecture.md, "The published record"):

1. The first shape.
2. Adds the claimant's `id`, `topic_names` (the topics keyed by slug, which
   topic pages and the search filter look up in SQL), each source's `role`
   and the rating's `scale_slug`.
3. Adds `repeats`: the claim repeated since it was checked, each approved as an
   addendum (claims.repeats) with what the newsroom did about it.
4. Adds `related`: the other public claims this one was linked to when it was
   published (a counter-claim, the same claim, a part of it, or the claim it
   is part of), each as that claim's own record showed it then.
5. Each date (the claim's, a statement's, a source's, a repeat's) keeps the `calendar` it was typed in
   (claims.dates.DateCalendar) and no longer its English `display` text: pages format the ISO date and its
   precision in the reader's language and calendar, older records' dates too (they were all Gregorian).

To add a version: change the dataclasses, bump `CURRENT_VERSION`, add an
upgrade step to `UPGRADES` that turns the previous version's JSON into the
new one, and add a test with a literal record of the previous version.

Queries see the JSON as stored, not upgraded: a lookup into a key that an
older version lacks does not find records of that version (a version 1 record
is on no topic or claimant page).
"""

import copy
import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet

from claims.dates import display_partial_date

CURRENT_VERSION = 5

FIELD = "published_record"


class RecordError(ValueError):
    """A stored record that does not match the schema of the version it says it is."""


# --- The schema (the current version) ---------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Dated:
    """A date as far as it is known: the ISO (Gregorian) `date` (a month or year is stored as its first day in
    its own `calendar`: Mehr 1401 is "2022-09-23"), its `precision` and the staff's note."""

    date: str | None
    precision: str  # claims.dates.DatePrecision
    calendar: str  # claims.dates.DateCalendar; "gregorian" in records older than version 5
    note: str

    @property
    def display(self) -> str:
        """In the active language, Gregorian, e.g. "July 2022 (reported)" (pages use `{% partial_date %}`,
        which follows the site's calendar for Persian readers)."""
        return display_partial_date(self.date, self.precision, self.note, self.calendar)


@dataclass(frozen=True, kw_only=True)
class Claimant:
    id: int | None  # None in records older than version 2
    name: str
    title: str
    kind: str  # claims.models.Actor.Kind


@dataclass(frozen=True, kw_only=True)
class Topic:
    name: str
    slug: str


@dataclass(frozen=True, kw_only=True)
class RecordClaim(Dated):
    text: str
    slug: str
    language: str
    is_sample: bool
    claimant: Claimant | None
    first_appearance: int | None  # a source's number
    topics: tuple[Topic, ...]
    # The topics keyed by slug, for the database's `has_key` lookup (SQLite answers it, unlike `contains`
    # on a list). Empty in a record older than version 2: no topic page finds it.
    topic_names: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class Rating:
    label: str
    description: str
    colour: str
    value: int | None
    best: int | None  # the scale's highest and lowest values, when this rating has a value
    worst: int | None
    scale: str
    scale_slug: str | None  # None in records older than version 2


@dataclass(frozen=True, kw_only=True)
class Person:
    id: int
    name: str
    username: str


@dataclass(frozen=True, kw_only=True)
class RecordVerdict:
    kind: str  # claims.models.Verdict.Kind
    headline: str
    explanation: str  # HTML: the verdict's Markdown rendered and sanitised when it was published
    public_note: str
    rating: Rating | None
    author: Person | None
    reviewer: Person | None
    published_at: str | None


@dataclass(frozen=True, kw_only=True)
class Actor:
    name: str
    title: str
    kind: str


@dataclass(frozen=True, kw_only=True)
class Statement(Dated):
    actor: Actor
    stance: str
    quote: str
    quote_language: str
    second_hand: bool
    translated: bool
    original_language: str
    original_quote: str
    source: int | None


@dataclass(frozen=True, kw_only=True)
class Evidence:
    summary: str
    stance: str
    url: str
    source: int | None


def work_name(*, title: str, publisher: str, url: str) -> str:
    """What to call a published work: its title, else its publisher, else its web address's host name.

    A source whose page could not be read may have no title, or its address for one.
    """
    if title.strip() and title.strip() != url:
        return title
    if publisher.strip():
        return publisher
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or url


@dataclass(frozen=True, kw_only=True)
class IdentifiedSource(Dated):
    number: int
    role: str | None  # the citation's; None for a source only a statement or evidence cites, or before version 2
    confidential: bool  # always False
    title: str
    publisher: str
    author: str
    url: str
    archive_url: str
    language: str
    licence: str
    attribution: str

    @property
    def name(self) -> str:
        return work_name(title=self.title, publisher=self.publisher, url=self.url)


@dataclass(frozen=True, kw_only=True)
class ConfidentialSource:
    """Described, never identified."""

    number: int
    role: str | None
    confidential: bool  # always True
    description: str


Source = IdentifiedSource | ConfidentialSource


@dataclass(frozen=True, kw_only=True)
class Outreach:
    contacted: str
    method: str
    contacted_on: str | None
    request: str
    response: str
    responded_on: str | None
    not_possible_reason: str


@dataclass(frozen=True, kw_only=True)
class Intervention:
    """What the newsroom did about a repeat, as approved."""

    id: int
    asked: str  # claims.models.Intervention.Asked
    asked_on: str
    method: str
    request: str
    outcome: str
    approved_at: str


@dataclass(frozen=True, kw_only=True)
class Repeat(Dated):
    """The claim repeated after publication, frozen as approved: who, in which words, where (an article)."""

    id: int
    actor: Actor
    sentence: str
    confidential: bool  # then `title` is the source's public description, and there is no publisher or URL
    title: str
    publisher: str
    url: str
    language: str
    approved_at: str
    interventions: tuple[Intervention, ...]

    @property
    def name(self) -> str:
        """The article's name (a confidential source's description)."""
        return self.title if self.confidential else work_name(title=self.title, publisher=self.publisher, url=self.url)


@dataclass(frozen=True, kw_only=True)
class RelatedClaim:
    """Another public claim linked to this one, as its own published record showed it when this was frozen."""

    relation: str  # RELATIONS: the link's kind, seen from this claim
    slug: str
    text: str
    language: str
    rating: str  # its rating's label, "" if it had none


# The link kinds (claims.models.ClaimLink.Kind) seen from either end; "part of" read backwards is "includes".
RELATIONS = ("counter_claim", "same_claim", "part_of", "includes")


@dataclass(frozen=True, kw_only=True)
class PublishedRecord:
    frozen_at: str
    claim: RecordClaim
    verdict: RecordVerdict
    statements: tuple[Statement, ...]
    evidence: tuple[Evidence, ...]
    sources: tuple[Source, ...]
    outreach: tuple[Outreach, ...]
    repeats: tuple[Repeat, ...]  # the addendum: the one part that changes after publication
    related: tuple[RelatedClaim, ...]


# --- Older versions: one step up each ------------------------------------------------------------


def _from_1_to_2(record: dict) -> dict:
    """Version 1 kept no claimant id, topic index, source roles or scale slug: none of them can be known now.

    Works on a part of a record too (listings read only some parts).
    """
    if (claim := record.get("claim")) is not None:
        if claim["claimant"] is not None:
            claim["claimant"]["id"] = None
        claim["topic_names"] = {}  # the topic pages' lookup does not find this record: say so here too
    if (verdict := record.get("verdict")) is not None and verdict["rating"] is not None:
        verdict["rating"]["scale_slug"] = None
    for source in record.get("sources") or ():
        source["role"] = None
    return record


def _from_2_to_3(record: dict) -> dict:
    """Repeats came with version 3: a record before it has none approved. Works on a part of a record too."""
    record["repeats"] = []
    return record


def _from_3_to_4(record: dict) -> dict:
    """Related claims came with version 4: a record before it shows none. Works on a part of a record too."""
    record["related"] = []
    return record


def _from_4_to_5(record: dict) -> dict:
    """Every date before version 5 was Gregorian, and its frozen English `display` is not shown any more: pages
    format the ISO date and precision in the reader's language. Works on a part of a record too."""

    def dated(part: dict) -> None:
        part.pop("display")
        part["calendar"] = "gregorian"

    if (claim := record.get("claim")) is not None:
        dated(claim)
    for name in ("statements", "repeats"):
        for part in record.get(name) or ():
            dated(part)
    for source in record.get("sources") or ():
        if not source["confidential"]:
            dated(source)
    return record


# UPGRADES[n] turns version n's JSON into version n + 1's (in place, on a copy of the stored record).
UPGRADES: dict[int, Callable[[dict], dict]] = {1: _from_1_to_2, 2: _from_2_to_3, 3: _from_3_to_4, 4: _from_4_to_5}


def _upgraded(raw: dict, version: object) -> dict:
    if type(version) is not int or (version != CURRENT_VERSION and version not in UPGRADES):
        known = ", ".join(str(v) for v in [*UPGRADES, CURRENT_VERSION])
        raise RecordError(f"Published record version {version!r} is unknown; this code reads versions {known}.")
    if version == CURRENT_VERSION:
        return raw
    record = copy.deepcopy(raw)
    for step in range(version, CURRENT_VERSION):
        try:
            record = UPGRADES[step](record)
        except (KeyError, TypeError, AttributeError) as exc:
            raise RecordError(f"A version {step} record that does not match version {step}: {exc!r}") from exc
    return record


# --- Reading ---------------------------------------------------------------------------------------


def read_record(raw: dict) -> PublishedRecord:
    """A stored record, checked and in the current shape. RecordError if it is not a record we wrote."""
    if not isinstance(raw, dict) or "version" not in raw:
        raise RecordError("A published record must be a JSON object with a version.")
    body = {key: value for key, value in raw.items() if key != "version"}
    return _build(PublishedRecord, _upgraded(body, raw["version"]), "record")


def read_claim(raw: dict, *, version: int) -> RecordClaim:
    """A record's "claim" part, read alone (a listing projects it, with the version, in SQL)."""
    return _build(RecordClaim, _upgraded({"claim": raw}, version)["claim"], "claim")


def read_verdict(raw: dict, *, version: int) -> RecordVerdict:
    """A record's "verdict" part, read alone."""
    return _build(RecordVerdict, _upgraded({"verdict": raw}, version)["verdict"], "verdict")


def read_sources(raw: list, *, version: int) -> tuple[Source, ...]:
    """A record's "sources" part, read alone."""
    return _build(tuple[Source, ...], _upgraded({"sources": raw}, version)["sources"], "sources")


def read_repeats(raw: list | None, *, version: int) -> tuple[Repeat, ...]:
    """A record's "repeats" part, read alone (None, as SQL projects it from a record older than version 3)."""
    return _build(tuple[Repeat, ...], _upgraded({"repeats": raw}, version)["repeats"], "repeats")


def with_repeats(raw: dict, repeats: tuple[Repeat, ...]) -> dict:
    """The stored record `raw` with its addendum replaced by `repeats`, in the current version; every other
    part reads as it did (an older record is upgraded, never rebuilt)."""
    return write_record(dataclasses.replace(read_record(raw), repeats=repeats))


@cache
def _hints(cls: type) -> dict[str, typing.Any]:
    return typing.get_type_hints(cls)


def _build(kind: typing.Any, value: typing.Any, path: str) -> typing.Any:
    """`value` (JSON) as `kind` (a schema type), or RecordError naming where it does not fit."""
    if isinstance(kind, type) and is_dataclass(kind):
        if not isinstance(value, dict):
            raise RecordError(f"{path}: expected an object, found {type(value).__name__}")
        names = [field.name for field in fields(kind)]  # in order, so the first misfit reported is always the same
        if missing := [name for name in names if name not in value]:
            raise RecordError(f"{path}: missing {', '.join(missing)}")
        if unexpected := sorted(value.keys() - set(names)):
            raise RecordError(f"{path}: unexpected {', '.join(unexpected)}")
        hints = _hints(kind)
        return kind(**{name: _build(hints[name], value[name], f"{path}.{name}") for name in names})
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind == Source:
        if not isinstance(value, dict):
            raise RecordError(f"{path}: expected an object, found {type(value).__name__}")
        return _build(ConfidentialSource if value.get("confidential") else IdentifiedSource, value, path)
    if origin is types.UnionType:  # X | None
        if value is None and type(None) in args:
            return None
        (inner,) = (arg for arg in args if arg is not type(None))
        return _build(inner, value, path)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise RecordError(f"{path}: expected a list, found {type(value).__name__}")
        return tuple(_build(args[0], item, f"{path}[{index}]") for index, item in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise RecordError(f"{path}: expected an object of texts")
        return dict(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordError(f"{path}: expected {kind.__name__}, found {type(value).__name__}")
    return value


# --- Writing --------------------------------------------------------------------------------------


def write_record(record: PublishedRecord) -> dict:
    """The JSON to store for `record`, in the current version."""
    return {"version": CURRENT_VERSION, **_json(record)}


def _json(value: object) -> typing.Any:
    if is_dataclass(value):
        return {field.name: _json(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, tuple | list):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return dict(value)
    return value


# --- Paths into the stored JSON, for queries ---------------------------------------------------------
# values() projections: listings read only the parts they show, with the version to upgrade them by.

VERSION = f"{FIELD}__version"
CLAIM = f"{FIELD}__claim"
VERDICT = f"{FIELD}__verdict"
SOURCES = f"{FIELD}__sources"
REPEATS = f"{FIELD}__repeats"
CLAIM_SLUG = f"{FIELD}__claim__slug"  # in every version


def is_sample() -> Q:
    return Q(**{f"{FIELD}__claim__is_sample": True})


def in_topic(slug: str) -> Q:
    """Records filed under the topic `slug` (version 2 on: see topic_names)."""
    return Q(**{f"{FIELD}__claim__topic_names__has_key": slug})


def by_claimant(actor_id: int) -> Q:
    """Records whose claim the actor `actor_id` made (version 2 on: see Claimant.id)."""
    return Q(**{f"{FIELD}__claim__claimant__id": actor_id})


def claimant_names(verdicts: QuerySet) -> dict[int, str]:
    """The claimants (id: name) the records of `verdicts` name, as distinct values read in the database (version 2
    on: version 1 kept no ids)."""
    rows = (
        verdicts.filter(**{f"{FIELD}__claim__claimant__id__isnull": False})
        .order_by()
        .values_list(f"{FIELD}__claim__claimant__id", f"{FIELD}__claim__claimant__name")
        .distinct()
    )
    return {int(actor_id): str(name) for actor_id, name in rows}


def topic_names(verdicts: QuerySet) -> dict[str, str]:
    """The topics (slug: name) the records of `verdicts` are filed under, from the distinct sets of them read in the
    database (version 2 on: see RecordClaim.topic_names)."""
    names: dict[str, str] = {}
    for topics in verdicts.order_by().values_list(f"{FIELD}__claim__topic_names", flat=True).distinct():
        if isinstance(topics, dict):
            names.update({str(slug): str(name) for slug, name in topics.items()})
    return names


def in_language(code: str) -> Q:
    """Claims in the language `code` (BCP 47), whatever the region or script: "en-GB" finds "en" and "en-US"."""
    primary = code.split("-")[0].strip()
    language = f"{FIELD}__claim__language"
    return Q(**{f"{language}__iexact": primary}) | Q(**{f"{language}__istartswith": f"{primary}-"})
