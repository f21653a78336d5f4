"""Exports of the claims for staff: CSV or JSON, with statements, evidence, sources and verdicts.

Asking for one (`export_request`) writes an `Export` row and enqueues its build on commit; the worker
writes the file into the private exports storage (`claims.export_files`: under EXPORTS_ROOT, no URL), so
a large export ties up no web process; the staff page polls until it is ready and the person who asked
downloads it from a staff view, until it expires (`EXPORT_RETENTION_DAYS`; the `exports-sweep` beat task
deletes the file, and builds what a broker that was down left waiting).

What is in it (docs/architecture.md, "Exports"):
* for everyone on staff, what the team may show: the claim, its claimant, topics and state, statements,
  evidence summaries, cited sources (a confidential source by its public description only) and the
  published verdicts;
* for those who may see internal fields (`Action.EXPORT_INTERNAL_FIELDS`, decided when the export is asked
  for): also the assignee and reviewer, evidence's internal notes, citations' notes, confidential sources'
  identity, and every verdict, drafts and verdicts in review included, with their authors and reviewers;
* never what the public sent in (tips, error reports and their contacts).

In the CSV every cell that a spreadsheet would read as a formula (one that starts with =, +, -, @, a tab
or a carriage return) starts with an apostrophe instead (OWASP, "CSV injection").
"""

import csv
import json
import logging
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import jobs, selectors
from claims.fetched_files import unguessable_name
from claims.links import claim_url
from claims.models import Claim, Export, Source, Topic, User, Verdict
from claims.permissions import Action, may, require

# Who acts: services take the request's user as it comes and `require` refuses anyone who may not.
Someone = User | AnonymousUser | None

logger = logging.getLogger(__name__)

BATCH = 200
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A pending export the broker lost is enqueued again after this long; a build that died is started again.
PENDING_GRACE = timedelta(minutes=2)
BUILD_STALE_AFTER = timedelta(minutes=15)

PUBLIC_COLUMNS = [
    "id", "public_url", "claim", "state", "language", "claimant", "topics", "claim_date", "logged_at", "sample",
    "statements", "evidence", "sources", "verdict_kind", "rating", "headline", "public_note", "published_at",
    "verdicts",
]  # fmt: skip
INTERNAL_COLUMNS = ["assignee", "reviewer", "logged_by", "evidence_internal_notes", "citation_notes"]


# --- Asking for one (a service) ------------------------------------------------------------------


def _clean_filters(filters: dict[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    state = (filters.get("state") or "").strip()
    if state:
        if state not in Claim.State.values:
            raise ValidationError({"state": _("Choose one of the states.")})
        cleaned["state"] = state
    topic = (filters.get("topic") or "").strip()
    if topic:
        if not Topic.objects.filter(slug=topic).exists():
            raise ValidationError({"topic": _("Choose one of the topics.")})
        cleaned["topic"] = topic
    for name in ("since", "until"):
        value = (filters.get(name) or "").strip()
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValidationError({name: _("Enter a date as YYYY-MM-DD.")}) from None
            cleaned[name] = value
    if "since" in cleaned and "until" in cleaned and cleaned["since"] > cleaned["until"]:
        raise ValidationError({"until": _("The end comes before the start.")})
    return cleaned


@transaction.atomic
def export_request(*, format: str, filters: dict[str, str], by: Someone) -> Export:
    """Ask the worker for an export of the claims the filters choose; internal fields if `by` may see them."""
    require(by, Action.EXPORT_CLAIMS)
    assert isinstance(by, User)  # `require` let only an active member of staff through
    if format not in Export.Format.values:
        raise ValidationError({"format": _("Choose CSV or JSON.")})
    export = Export.objects.create(
        requested_by=by,
        format=format,
        filters=_clean_filters(filters),
        include_internal=may(by, Action.EXPORT_INTERNAL_FIELDS),
    )
    transaction.on_commit(lambda: jobs.enqueue_export(export.pk))
    return export


# --- What a claim's export holds ----------------------------------------------------------------


def neutralise(value: object) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (OWASP: a leading apostrophe)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _name(user: User | None) -> str:
    return user.get_username() if user is not None else ""


def _source(source: Source | None, *, internal: bool) -> dict[str, Any] | None:
    if source is None:
        return None
    if source.confidential and not internal:
        return {"confidential": True, "description": source.public_description}
    return {
        "confidential": source.confidential,
        "description": source.public_description if source.confidential else "",
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
    }


def _date(record: Any) -> str | None:
    return record.date.isoformat() if record.date else None


def _verdict(verdict: Verdict, *, internal: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "kind": verdict.kind,
        "state": verdict.state,
        "rating": verdict.rating.label if verdict.rating else None,
        "headline": verdict.headline,
        "explanation": verdict.explanation,
        "public_note": verdict.public_note,
        "published_at": verdict.published_at.isoformat() if verdict.published_at else None,
    }
    if internal:
        item |= {"author": _name(verdict.author), "reviewer": _name(verdict.reviewer)}
    return item


def claim_document(claim: Claim, *, internal: bool) -> dict[str, Any]:
    """One claim as the JSON export writes it (and the CSV flattens it)."""
    verdicts = [
        verdict
        for verdict in claim.verdicts.all()
        if internal or verdict.published_at is not None  # drafts and verdicts in review are internal
    ]
    document: dict[str, Any] = {
        "id": claim.pk,
        "public_url": claim_url(claim.slug) if claim.state == Claim.State.PUBLISHED else None,
        "claim": claim.text,
        "state": claim.state,
        "language": claim.language,
        "claimant": claim.claimant.name if claim.claimant else None,
        "topics": [topic.name for topic in claim.topics.all()],
        "date": _date(claim),
        "logged_at": claim.created_at.isoformat(),
        "sample": claim.is_sample,
        "statements": [
            {
                "actor": statement.actor.name,
                "stance": statement.stance,
                "quote": statement.quote,
                "date": _date(statement),
                "source": _source(statement.source, internal=internal),
            }
            for statement in claim.statements.all()
        ],
        "evidence": [
            {
                "summary": item.summary,
                "stance": item.stance,
                "url": item.url,
                "source": _source(item.source, internal=internal),
                **({"internal_note": item.internal_note} if internal else {}),
            }
            for item in claim.evidence.all()
        ],
        "sources": [
            {
                "role": cited.role,
                **(_source(cited.source, internal=internal) or {}),
                **({"note": cited.note} if internal else {}),
            }
            for cited in claim.claim_sources.all()
        ],
        "verdicts": [_verdict(verdict, internal=internal) for verdict in verdicts],
    }
    if internal:
        document |= {
            "assignee": _name(claim.assignee),
            "reviewer": _name(claim.reviewer),
            "logged_by": _name(claim.created_by),
        }
    return document


def _source_words(source: dict[str, Any] | None) -> str:
    if not source:
        return ""
    if source.get("confidential") and not source.get("title"):
        return f"confidential: {source['description']}"
    words = " — ".join(part for part in (source.get("title"), source.get("publisher"), source.get("url")) if part)
    return f"confidential ({source['description']}): {words}" if source.get("confidential") else words


def csv_row(document: dict[str, Any], *, internal: bool) -> list[str]:
    """The claim as one CSV row: lists become lines within a cell; every cell neutralised."""
    latest = next((v for v in reversed(document["verdicts"]) if v["published_at"]), None)
    statements = [
        f"{s['actor']} ({s['stance']}{', ' + s['date'] if s['date'] else ''}): {s['quote']}"
        + (f" [{_source_words(s['source'])}]" if s["source"] else "")
        for s in document["statements"]
    ]
    evidence = [
        f"({e['stance']}) {e['summary']}"
        + (f" [{_source_words(e['source']) or e['url']}]" if e["source"] or e["url"] else "")
        for e in document["evidence"]
    ]
    sources = [f"({c['role']}) {_source_words(c)}" for c in document["sources"]]
    verdicts = [
        f"{v['kind']} ({v['state']}{', ' + v['published_at'] if v['published_at'] else ''}): "
        f"{v['rating'] or ''} — {v['headline']}"
        for v in document["verdicts"]
    ]
    row: list[object] = [
        document["id"], document["public_url"] or "", document["claim"], document["state"], document["language"],
        document["claimant"] or "", "\n".join(document["topics"]), document["date"] or "", document["logged_at"],
        "yes" if document["sample"] else "", "\n".join(statements), "\n".join(evidence), "\n".join(sources),
        latest["kind"] if latest else "", (latest["rating"] or "") if latest else "",
        latest["headline"] if latest else "", latest["public_note"] if latest else "",
        latest["published_at"] if latest else "", "\n".join(verdicts),
    ]  # fmt: skip
    if internal:
        row += [
            document["assignee"],
            document["reviewer"],
            document["logged_by"],
            "\n".join(e["internal_note"] for e in document["evidence"] if e["internal_note"]),
            "\n".join(c["note"] for c in document["sources"] if c["note"]),
        ]
    return [neutralise(cell) for cell in row]


def documents(filters: dict[str, str], *, internal: bool) -> Iterator[dict[str, Any]]:
    """Every chosen claim's document, read in batches so that memory stays flat however many there are."""
    ids = selectors.export_claim_ids(filters)
    for start in range(0, len(ids), BATCH):
        for claim in selectors.claims_for_export(ids[start : start + BATCH]):
            yield claim_document(claim, internal=internal)


# --- Building (the worker) --------------------------------------------------------------------------


def _write(export: Export, handle: Any) -> int:
    count = 0
    internal = export.include_internal
    if export.format == Export.Format.CSV:
        writer = csv.writer(handle)
        writer.writerow(PUBLIC_COLUMNS + (INTERNAL_COLUMNS if internal else []))
        for document in documents(export.filters, internal=internal):
            writer.writerow(csv_row(document, internal=internal))
            count += 1
        return count
    handle.write('{"claims": [\n')
    for document in documents(export.filters, internal=internal):
        handle.write((",\n" if count else "") + json.dumps(document, ensure_ascii=False))
        count += 1
    handle.write("\n]}\n")
    return count


def build_export(export_id: int) -> Export | None:
    """Build a waiting export into the private storage; None if it was not waiting (a second message)."""
    now = timezone.now()
    if not Export.objects.filter(pk=export_id, status=Export.Status.PENDING).update(
        status=Export.Status.BUILDING, started_at=now
    ):
        return None
    export = Export.objects.get(pk=export_id)
    # utf-8-sig: a spreadsheet reads the byte order mark and shows every script as typed.
    encoding = "utf-8-sig" if export.format == Export.Format.CSV else "utf-8"
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"export.{export.format}"
            with path.open("w", encoding=encoding, newline="") as handle:
                count = _write(export, handle)
            with path.open("rb") as handle:
                name = export.file.storage.save(unguessable_name(f".{export.format}"), File(handle))
    except Exception as exc:
        logger.exception("Export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        return None
    finished = timezone.now()
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.READY,
        file=name,
        claims_count=count,
        finished_at=finished,
        expires_at=finished + timedelta(days=settings.EXPORT_RETENTION_DAYS),
    )
    export.refresh_from_db()
    return export


def exports_sweep() -> None:
    """The beat task: delete expired exports' files, build what the broker lost, restart builds that died."""
    now = timezone.now()
    for export in Export.objects.filter(status=Export.Status.READY, expires_at__lte=now):
        if export.file:
            export.file.storage.delete(export.file.name)
        Export.objects.filter(pk=export.pk).update(status=Export.Status.EXPIRED, file="")
    Export.objects.filter(status=Export.Status.BUILDING, started_at__lte=now - BUILD_STALE_AFTER).update(
        status=Export.Status.PENDING
    )
    for export_id in Export.objects.filter(
        status=Export.Status.PENDING, created_at__lte=now - PENDING_GRACE
    ).values_list("pk", flat=True):
        jobs.enqueue_export(export_id)
