"""What a correction, update or retraction would change of the public record, as a reviewer reads it.

The published record and the one the verdict in the works would publish are each written out as lines
of text (the verdict: rating, headline, explanation, public note; the record: the claim, statements, evidence,
sources, right of reply), compared line by line with difflib, and changed lines word by word. The
result is data (`Line`s of `Piece`s): the template escapes the text and marks pieces with <ins>/<del>.
What publishing adds by itself (the time, the reviewer) and the repeats' addendum, which a correction
carries over unchanged, are left out.
"""

import difflib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.db import models
from django.utils.html import strip_tags

from claims.models import Evidence, Statement
from claims.publishing.record import (
    ConfidentialSource,
    Dated,
    PublishedRecord,
    RecordVerdict,
)

CONTEXT_LINES = 2  # unchanged lines shown around each change

PieceChange = Literal["", "ins", "del"]
LineChange = Literal["same", "added", "removed", "changed", "gap"]


@dataclass(frozen=True)
class Piece:
    text: str
    change: PieceChange  # "" unchanged, "ins" added, "del" removed


@dataclass(frozen=True)
class Line:
    change: LineChange  # "gap": unchanged lines left out
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Diff:
    lines: tuple[Line, ...]

    @property
    def changed(self) -> bool:
        return any(line.change not in ("same", "gap") for line in self.lines)


@dataclass(frozen=True)
class Changes:
    """The verdict's text and the rest of the record, each against the published version."""

    verdict: Diff
    record: Diff

    @property
    def changed(self) -> bool:
        return self.verdict.changed or self.record.changed


_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _label(choices: type[models.TextChoices], value: str) -> str:
    """A stored choice's label, or the value itself if the choice is no longer offered."""
    return str(choices(value).label) if value in choices.values else value


def _paragraphs(rich_text: str) -> list[str]:
    """Stored HTML (sanitised) as plain lines, one per paragraph or list item."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", rich_text)))
    return [line.strip() for line in text.splitlines() if line.strip()]


def verdict_lines(verdict: RecordVerdict) -> list[str]:
    lines = [
        f"Rating: {verdict.rating.label if verdict.rating else 'none'}",
        f"Headline: {verdict.headline}",
        "Explanation:",
        *_paragraphs(verdict.explanation),
    ]
    if verdict.public_note:
        lines.append(f"Public note: {verdict.public_note}")
    return lines


def _when(dated: Dated) -> str:
    return dated.display or "date unknown"


def record_lines(record: PublishedRecord) -> list[str]:
    claim = record.claim
    claimant = claim.claimant
    lines = [
        f"Claim: {claim.text}",
        f"Claimant: {', '.join(filter(None, (claimant.name, claimant.title))) if claimant else 'not recorded'}",
        f"First appeared: {_when(claim)}",
        f"Topics: {', '.join(topic.name for topic in claim.topics) or 'none'}",
    ]
    for number, statement in enumerate(record.statements, start=1):
        stance = _label(Statement.Stance, statement.stance)
        said = f"Statement {number}: {statement.actor.name} ({stance}, {_when(statement)}): {statement.quote}"
        lines.append(said + (f" [source {statement.source}]" if statement.source else ""))
        if statement.original_quote:
            lines.append(
                f"Statement {number}, in the original ({statement.original_language}): {statement.original_quote}"
            )
    for number, evidence in enumerate(record.evidence, start=1):
        where = " ".join(filter(None, (evidence.url, f"[source {evidence.source}]" if evidence.source else "")))
        lines.append(
            f"Evidence {number} ({_label(Evidence.Stance, evidence.stance)}): {evidence.summary}"
            + (f" {where}" if where else "")
        )
    for source in record.sources:
        role = f" ({source.role})" if source.role else ""
        if isinstance(source, ConfidentialSource):
            lines.append(f"Source {source.number}{role}: confidential: {source.description}")
        else:
            named = ", ".join(filter(None, (source.title, source.publisher, source.author, source.display, source.url)))
            lines.append(f"Source {source.number}{role}: {named}")
    for outreach in record.outreach:
        parts = [f"Right of reply: {outreach.contacted} ({outreach.method}, {outreach.contacted_on or 'no date'})"]
        parts += [f"{label}: {text}" for label, text in (
            ("asked", outreach.request),
            ("answer", outreach.response),
            ("not possible", outreach.not_possible_reason),
        ) if text]  # fmt: skip
        lines.append("; ".join(parts))
    return lines


def _words(before: str, after: str) -> tuple[Piece, ...]:
    """One changed line, word by word: what stayed, what was removed, what was added."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("".join(old[i1:i2]), ""))
            continue
        if i2 > i1:
            pieces.append(Piece("".join(old[i1:i2]), "del"))
        if j2 > j1:
            pieces.append(Piece("".join(new[j1:j2]), "ins"))
    return tuple(pieces)


def diff(before: Sequence[str], after: Sequence[str], *, context: int = CONTEXT_LINES) -> Diff:
    """The lines that changed with `context` unchanged lines around each, a "gap" line for those left out."""
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(None, list(before), list(after), autojunk=False)
    groups = list(matcher.get_grouped_opcodes(context)) if matcher.ratio() < 1 else []
    for number, group in enumerate(groups):
        if number or group[0][1] > 0:
            lines.append(Line("gap", ()))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", (Piece(text, ""),)) for text in before[i1:i2]]
                continue
            paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            lines += [Line("changed", _words(before[i1 + k], after[j1 + k])) for k in range(paired)]
            lines += [Line("removed", (Piece(text, "del"),)) for text in before[i1 + paired : i2]]
            lines += [Line("added", (Piece(text, "ins"),)) for text in after[j1 + paired : j2]]
    if groups and groups[-1][-1][2] < len(before):
        lines.append(Line("gap", ()))
    return Diff(tuple(lines))


def between(published: PublishedRecord, proposed: PublishedRecord) -> Changes:
    return Changes(
        verdict=diff(verdict_lines(published.verdict), verdict_lines(proposed.verdict)),
        record=diff(record_lines(published), record_lines(proposed)),
    )
