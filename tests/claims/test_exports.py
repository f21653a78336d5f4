"""Exports of the claims (claims/exports.py): what each role's export holds, formulas neutralised, one's own only.
The worker building one and its download: tests/integration/test_webhooks_worker.py."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from claims import exports
from claims.models import Claim, Export
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory, StatementFactory, TipFactory, TopicFactory
from tests.publishing import publish, submitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23 45", "'+33 1 23 45"),
        ("-2", "'-2"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("The minister = wrong", "The minister = wrong"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_cells_a_spreadsheet_would_run_start_with_an_apostrophe(cell, written):
    assert exports.neutralise(cell) == written


def _claim_with_everything() -> Claim:
    claim = ClaimFactory(text="Iran sent drones to Russia.")
    claim.topics.add(TopicFactory(name="War", slug="war"))
    secret = SourceFactory(
        title="Ministry memo", url="https://leak.invalid/memo", confidential=True, public_description="A memo"
    )
    StatementFactory(claim=claim, quote='=HYPERLINK("http://evil.invalid")', source=secret)
    EvidenceFactory(claim=claim, summary="Customs records show none.", internal_note="Call Sam back", source=secret)
    TipFactory(claim=claim, contact="sender@example.invalid")
    return claim


def _export(by, fmt: str, **filters) -> Export:
    export = exports.export_request(format=fmt, filters=filters, by=by)
    return exports.build_export(export.pk)


def _csv_rows(export: Export) -> list[dict]:
    with export.file.open("rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode("utf-8-sig"))))


def test_a_fact_checkers_export_holds_what_the_team_may_show_and_no_internal_field(factchecker):
    claim = _claim_with_everything()
    submitted(claim)  # a verdict in review: internal until published
    export = _export(factchecker, "csv")
    assert not export.include_internal
    [row] = _csv_rows(export)
    assert row["claim"] == "Iran sent drones to Russia." and row["topics"] == "War"
    assert "Customs records show none." in row["evidence"]
    assert "A memo" in row["statements"] and "leak.invalid" not in json.dumps(row)
    assert "Call Sam back" not in json.dumps(row) and "evidence_internal_notes" not in row
    assert row["verdicts"] == "" and "assignee" not in row
    assert "sender@example.invalid" not in json.dumps(row)


def test_a_reviewers_export_holds_the_internal_fields_but_never_a_tips_contact(reviewer):
    claim = _claim_with_everything()
    submitted(claim)
    export = _export(reviewer, "json")
    assert export.include_internal and export.claims_count == 1
    with export.file.open("rb") as handle:
        text = handle.read().decode()
    [document] = json.loads(text)["claims"]
    assert document["evidence"][0]["internal_note"] == "Call Sam back"
    assert document["statements"][0]["source"]["url"] == "https://leak.invalid/memo"
    assert [verdict["state"] for verdict in document["verdicts"]] == ["in_review"]
    assert document["statements"][0]["quote"].startswith("=HYPERLINK"), "JSON is data: nothing to neutralise"
    assert "sender@example.invalid" not in text


def test_a_formula_in_a_claim_is_neutralised_in_the_csv(factchecker):
    ClaimFactory(text='=IMPORTXML("http://evil.invalid")')
    [row] = _csv_rows(_export(factchecker, "csv"))
    assert row["claim"].startswith("'=IMPORTXML")


def test_published_verdicts_are_in_everyones_export_and_the_filters_choose_the_claims(factchecker):
    published = publish(ClaimFactory(text="Published claim")).claim
    ClaimFactory(text="New claim")
    [row] = _csv_rows(_export(factchecker, "csv", state="published"))
    assert row["claim"] == "Published claim" and row["public_url"].endswith(f"{published.slug}/")
    assert row["rating"] == "Unproven" and row["verdict_kind"] == "first"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert _export(factchecker, "csv", since=tomorrow).claims_count == 0


def test_filters_that_name_nothing_on_file_are_refused(factchecker):
    with pytest.raises(ValidationError):
        exports.export_request(format="csv", filters={"topic": "no-such-topic"}, by=factchecker)
    with pytest.raises(ValidationError):
        exports.export_request(format="xlsx", filters={}, by=factchecker)


def test_a_second_message_does_not_build_it_twice_and_expired_files_are_deleted(factchecker):
    export = _export(factchecker, "csv")
    assert exports.build_export(export.pk) is None
    storage, name = export.file.storage, export.file.name
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    exports.exports_sweep()
    export.refresh_from_db()
    assert export.status == Export.Status.EXPIRED and not storage.exists(name)


def test_the_page_polls_an_export_being_built_and_links_it_with_an_address(client_for, factchecker):
    client = client_for("factchecker")
    response = client.post(reverse("staff:exports"), {"format": "json"})
    export = Export.objects.get()
    assert response["Location"] == reverse("staff:export", args=[export.pk])
    region = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in region and f'href="{reverse("staff:export", args=[export.pk])}"' in region
    assert client.get(reverse("staff:export-download", args=[export.pk])).status_code == 404  # not built yet
