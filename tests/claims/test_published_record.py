"""The published record's schema: every version on file reads into the current shape, and nothing else reads the JSON.

Each version's fixture is a literal record as that version of claims.publishing.build stored it.
"""

import copy
import dataclasses
import re
from pathlib import Path

import pytest
from django.urls import reverse

from claims import services
from claims.models import Source, Verdict
from claims.permissions import REVIEWERS
from claims.publishing import pages
from claims.publishing import record as schema
from claims.publishing.record import (
    CURRENT_VERSION,
    RecordError,
    read_claim,
    read_record,
    read_repeats,
    read_sources,
    read_verdict,
    write_record,
)
from tests.factories import (
    ClaimFactory,
    ClaimLinkFactory,
    ClaimSourceFactory,
    EvidenceFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
    UserFactory,
)
from tests.public.conftest import page_tree, texts
from tests.publishing import publish

ROOT = Path(__file__).resolve().parent.parent.parent

UNKNOWN_DATE = {"date": None, "precision": "unknown", "note": "", "display": "date unknown"}
JULY_13 = {"date": "2022-07-13", "precision": "day", "note": "", "display": "13 July 2022"}

VERSION_1 = {
    "version": 1,
    "frozen_at": "2022-08-01T09:30:00+00:00",
    "claim": {
        "text": "Iran has supplied drones.",
        "slug": "iran-drones",
        "language": "en",
        "is_sample": False,
        "claimant": {"name": "A. Minister", "title": "Foreign Minister", "kind": "person"},
        "first_appearance": 1,
        "topics": [{"name": "Iran", "slug": "iran"}],
        **JULY_13,
    },
    "verdict": {
        "kind": "first",
        "headline": "No evidence supports it",
        "explanation": "<p>Nothing shows it.</p>",
        "public_note": "",
        "rating": {
            "label": "False",
            "description": "The claim is not accurate.",
            "colour": "red",
            "value": 1,
            "best": 5,
            "worst": 1,
            "scale": "Default",
        },
        "author": {"id": 7, "name": "Farah Checker", "username": "farah"},
        "reviewer": {"id": 8, "name": "Reza Reviewer", "username": "reza"},
        "published_at": "2022-08-01T09:30:00+00:00",
    },
    "statements": [
        {
            "actor": {"name": "A. Minister", "title": "Foreign Minister", "kind": "person"},
            "stance": "denies",
            "quote": "We never sent any.",
            "quote_language": "en",
            "second_hand": False,
            "translated": True,
            "original_language": "fa",
            "original_quote": "ما هرگز نفرستادیم.",
            "source": 2,
            **UNKNOWN_DATE,
        }
    ],
    "evidence": [{"summary": "Wreckage was examined.", "stance": "refutes", "url": "", "source": None}],
    "sources": [
        {
            "number": 1,
            "confidential": False,
            "title": "Minister speaks",
            "publisher": "Example News",
            "author": "",
            "url": "https://news.example/1",
            "archive_url": "",
            "language": "en",
            "licence": "",
            "attribution": "",
            **JULY_13,
        },
        {"number": 2, "confidential": True, "description": "A person present at the meeting."},
    ],
    "outreach": [
        {
            "contacted": "Ministry press office",
            "method": "email",
            "contacted_on": "2022-07-14",
            "request": "Do you confirm?",
            "response": "",
            "responded_on": None,
            "not_possible_reason": "",
        }
    ],
}

# Version 2 added the claimant's id, the topics keyed by slug, each source's role and the scale's slug.
VERSION_2 = copy.deepcopy(VERSION_1)
VERSION_2["version"] = 2
VERSION_2["claim"]["claimant"]["id"] = 3
VERSION_2["claim"]["topic_names"] = {"iran": "Iran"}
VERSION_2["verdict"]["rating"]["scale_slug"] = "default"
VERSION_2["sources"][0]["role"] = "appearance"
VERSION_2["sources"][1]["role"] = None

# Version 3 added the repeats approved since publication (the addendum), with what the newsroom did about each.
VERSION_3 = copy.deepcopy(VERSION_2)
VERSION_3["version"] = 3
VERSION_3["repeats"] = [
    {
        "id": 11,
        "actor": {"name": "A. Minister", "title": "Foreign Minister", "kind": "person"},
        "sentence": "We never sent any drones.",
        "confidential": False,
        "title": "Minister repeats denial",
        "publisher": "Other News",
        "url": "https://other.example/2",
        "language": "en",
        "approved_at": "2022-09-02T10:00:00+00:00",
        "interventions": [
            {
                "id": 4,
                "asked": "publisher",
                "asked_on": "2022-09-03",
                "method": "email",
                "request": "Please link our fact-check.",
                "outcome": "Link added on 5 September.",
                "approved_at": "2022-09-06T10:00:00+00:00",
            }
        ],
        **JULY_13,
    }
]


# Version 4 added the public claims linked to this one when it was published.
VERSION_4 = copy.deepcopy(VERSION_3)
VERSION_4["version"] = 4
VERSION_4["related"] = [
    {
        "relation": "counter_claim",
        "slug": "iran-denies-drones",
        "text": "Iran has sent no drones.",
        "language": "en",
        "rating": "Unproven",
    }
]


def _as_version_5(stored: dict) -> dict:
    """Version 5 keeps each date's calendar and no display text (every date before it was Gregorian)."""
    record = copy.deepcopy(stored)
    record["version"] = 5
    parts = [record["claim"], *record["statements"], *record["repeats"]]
    parts += [source for source in record["sources"] if not source["confidential"]]
    for part in parts:
        del part["display"]
        part["calendar"] = "gregorian"
    return record


# Version 5 keeps the calendar each date was typed in, and no longer its English display text.
VERSION_5 = _as_version_5(VERSION_4)
VERSION_5["statements"][0].update(date="2022-09-23", precision="month", calendar="solar_hijri")  # Mehr 1401


def test_the_current_version_is_the_last_one_with_a_fixture():
    """A new version needs a fixture of the one before it (and an upgrade step): see the module's docstring."""
    assert CURRENT_VERSION == 5
    assert set(schema.UPGRADES) == {1, 2, 3, 4}


# --- Reading each version on file -----------------------------------------------------------------


def test_a_version_5_record_reads_as_stored():
    record = read_record(VERSION_5)
    (statement,) = record.statements
    assert (statement.date, statement.precision, statement.calendar) == ("2022-09-23", "month", "solar_hijri")
    assert (record.claim.date, record.claim.precision, record.claim.calendar) == ("2022-07-13", "day", "gregorian")
    assert write_record(record) == VERSION_5


def test_a_version_4_record_is_upgraded_with_its_dates_gregorian_and_their_english_display_dropped():
    record = read_record(VERSION_4)
    assert write_record(record) == _as_version_5(VERSION_4)
    assert [source.calendar for source in record.sources if not source.confidential] == ["gregorian"]
    assert (record.repeats[0].calendar, record.statements[0].calendar) == ("gregorian", "gregorian")


def test_a_version_4_record_reads_as_stored():
    record = read_record(VERSION_4)
    assert record.related == (
        schema.RelatedClaim(
            relation="counter_claim",
            slug="iran-denies-drones",
            text="Iran has sent no drones.",
            language="en",
            rating="Unproven",
        ),
    )
    assert dataclasses.replace(record, related=()) == read_record(VERSION_3)


def test_a_version_3_record_is_upgraded_with_no_related_claims_and_the_rest_as_stored():
    record = read_record(VERSION_3)
    assert record.related == ()
    assert write_record(record) == _as_version_5({**VERSION_3, "related": []})


def test_a_version_3_record_reads_its_parts_as_stored():
    record = read_record(VERSION_3)
    assert record.frozen_at == "2022-08-01T09:30:00+00:00"
    claim = record.claim
    assert (claim.text, claim.slug, claim.language, claim.is_sample) == (
        "Iran has supplied drones.",
        "iran-drones",
        "en",
        False,
    )
    assert claim.claimant == schema.Claimant(id=3, name="A. Minister", title="Foreign Minister", kind="person")
    assert claim.topics == (schema.Topic(name="Iran", slug="iran"),)
    assert claim.topic_names == {"iran": "Iran"}
    assert (claim.date, claim.precision, claim.display, claim.first_appearance) == (
        "2022-07-13",
        "day",
        "13 July 2022",
        1,
    )
    verdict = record.verdict
    assert (verdict.kind, verdict.headline, verdict.explanation) == (
        "first",
        "No evidence supports it",
        "<p>Nothing shows it.</p>",
    )
    assert verdict.rating.label == "False"
    assert (verdict.rating.value, verdict.rating.best, verdict.rating.worst) == (1, 5, 1)
    assert verdict.rating.scale_slug == "default"
    assert verdict.author == schema.Person(id=7, name="Farah Checker", username="farah")
    (statement,) = record.statements
    assert (statement.actor.name, statement.stance, statement.translated, statement.source) == (
        "A. Minister",
        "denies",
        True,
        2,
    )
    assert statement.original_quote == "ما هرگز نفرستادیم."
    assert record.evidence == (
        schema.Evidence(summary="Wreckage was examined.", stance="refutes", url="", source=None),
    )
    named, confidential = record.sources
    assert isinstance(named, schema.IdentifiedSource)
    assert (named.number, named.role, named.title, named.url) == (
        1,
        "appearance",
        "Minister speaks",
        "https://news.example/1",
    )
    assert confidential == schema.ConfidentialSource(
        number=2, role=None, confidential=True, description="A person present at the meeting."
    )
    (contact,) = record.outreach
    assert (contact.contacted, contact.contacted_on, contact.responded_on) == (
        "Ministry press office",
        "2022-07-14",
        None,
    )
    (repeat,) = record.repeats
    assert (repeat.id, repeat.actor.name, repeat.sentence, repeat.url, repeat.confidential) == (
        11,
        "A. Minister",
        "We never sent any drones.",
        "https://other.example/2",
        False,
    )
    assert (repeat.date, repeat.precision) == ("2022-07-13", "day")
    assert repeat.interventions == (
        schema.Intervention(
            id=4,
            asked="publisher",
            asked_on="2022-09-03",
            method="email",
            request="Please link our fact-check.",
            outcome="Link added on 5 September.",
            approved_at="2022-09-06T10:00:00+00:00",
        ),
    )


def test_a_version_2_record_is_upgraded_with_no_repeats_and_the_rest_as_stored():
    record = read_record(VERSION_2)
    assert record.repeats == ()
    assert record == dataclasses.replace(read_record(VERSION_3), repeats=())
    assert record.related == ()


def test_a_version_1_record_is_upgraded_with_what_it_did_not_keep_left_unknown():
    record = read_record(VERSION_1)
    current = read_record(VERSION_2)
    assert record.claim.claimant == schema.Claimant(
        id=None, name="A. Minister", title="Foreign Minister", kind="person"
    )
    # Topic pages look the index up in SQL, where a version 1 record has none: the record says so too.
    assert record.claim.topics == current.claim.topics
    assert record.claim.topic_names == {}
    assert record.verdict.rating.scale_slug is None
    assert [source.role for source in record.sources] == [None, None]
    # Everything else is as version 2 reads it.
    assert record.statements == current.statements
    assert record.evidence == current.evidence
    assert record.outreach == current.outreach
    assert record.verdict.headline == current.verdict.headline
    assert record.sources[1] == current.sources[1]


def test_reading_an_older_record_leaves_the_stored_json_as_it_was():
    stored = copy.deepcopy(VERSION_1)
    read_record(stored)
    assert stored == VERSION_1


@pytest.mark.parametrize(
    "stored",
    [VERSION_1, VERSION_2, VERSION_3, VERSION_4, VERSION_5],
    ids=["version 1", "version 2", "version 3", "version 4", "version 5"],
)
def test_the_parts_listings_project_read_as_the_whole_record_does(stored):
    whole = read_record(stored)
    version = stored["version"]
    assert read_claim(stored["claim"], version=version) == whole.claim
    assert read_verdict(stored["verdict"], version=version) == whole.verdict
    assert read_sources(stored["sources"], version=version) == whole.sources
    # SQL projects a key an older record lacks as None.
    assert read_repeats(stored.get("repeats"), version=version) == whole.repeats


def test_a_record_without_a_claimant_or_rating_reads():
    stored = copy.deepcopy(VERSION_1)
    stored["claim"]["claimant"] = None
    stored["verdict"]["rating"] = None
    record = read_record(stored)
    assert record.claim.claimant is None and record.verdict.rating is None


# --- Refusing what is not a record we wrote -------------------------------------------------------


@pytest.mark.parametrize("version", [0, 6, 99, "3", 3.0, None, True])
def test_an_unknown_version_is_refused_with_the_versions_this_code_reads(version):
    stored = {**VERSION_5, "version": version}
    with pytest.raises(RecordError, match=r"version .* is unknown; this code reads versions 1, 2, 3, 4, 5"):
        read_record(stored)
    with pytest.raises(RecordError, match="unknown"):
        read_claim(VERSION_3["claim"], version=version)


def test_a_record_without_a_version_is_refused():
    stored = {key: value for key, value in VERSION_2.items() if key != "version"}
    with pytest.raises(RecordError, match="with a version"):
        read_record(stored)


def test_a_record_that_does_not_match_its_version_says_where():
    missing = copy.deepcopy(VERSION_2)
    del missing["claim"]["slug"]
    with pytest.raises(RecordError, match=r"^record\.claim: missing slug$"):
        read_record(missing)
    extra = copy.deepcopy(VERSION_2)
    extra["statements"][0]["mood"] = "angry"
    with pytest.raises(RecordError, match=r"^record\.statements\[0\]: unexpected mood$"):
        read_record(extra)
    wrong_type = copy.deepcopy(VERSION_2)
    wrong_type["verdict"]["rating"]["value"] = "1"
    with pytest.raises(RecordError, match=r"^record\.verdict\.rating\.value: expected int, found str$"):
        read_record(wrong_type)
    broken_old = copy.deepcopy(VERSION_1)
    del broken_old["claim"]["claimant"]
    with pytest.raises(RecordError, match="A version 1 record that does not match version 1"):
        read_record(broken_old)
    # A version 1 record is not a version 2 one: the keys version 2 added are required of it.
    with pytest.raises(RecordError, match=r"^record\.claim: missing topic_names$"):
        read_record({**VERSION_1, "version": 2})
    with pytest.raises(RecordError, match=r"^record: missing repeats$"):
        read_record({**VERSION_2, "version": 3})
    with pytest.raises(RecordError, match=r"^record: missing related$"):
        read_record({**VERSION_3, "version": 4})
    wrong_repeat = copy.deepcopy(VERSION_3)
    del wrong_repeat["repeats"][0]["interventions"][0]["outcome"]
    with pytest.raises(RecordError, match=r"^record\.repeats\[0\]\.interventions\[0\]: missing outcome$"):
        read_record(wrong_repeat)


# --- Writing: build, store, read -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_published_record_is_stored_in_the_current_version_and_reads_back_equal():
    claim = ClaimFactory(text="Drones were supplied.", dated=True)
    claim.topics.add(TopicFactory(name="Iran", slug="iran"))
    appearance = ClaimSourceFactory(claim=claim, source=SourceFactory(title="First report", dated=True))
    secret = SourceFactory(confidential=True, public_description="An official who asked not to be named.")
    StatementFactory(claim=claim, source=secret, quote="It happened.")
    EvidenceFactory(claim=claim, source=None, summary="Satellite images.")
    verdict = publish(claim, headline="It did not happen")

    stored = Verdict.objects.get(pk=verdict.pk).published_record
    assert stored["version"] == CURRENT_VERSION
    record = read_record(stored)
    assert write_record(record) == stored
    assert record.claim.text == "Drones were supplied."
    assert record.claim.claimant.id == claim.claimant_id
    assert record.claim.topic_names == {"iran": "Iran"}
    assert record.claim.precision == "day" and record.claim.date == "2022-07-13"
    assert record.verdict.headline == "It did not happen"
    assert record.verdict.rating.scale_slug == "default"
    assert record.verdict.reviewer is not None and record.verdict.author is not None
    first, described = record.sources
    assert (first.number, first.role, first.title) == (1, appearance.role, "First report")
    assert described == schema.ConfidentialSource(
        number=2, role=None, confidential=True, description="An official who asked not to be named."
    )
    assert Source.objects.get(pk=secret.pk).title not in str(stored)
    (statement,) = record.statements
    assert (statement.quote, statement.source) == ("It happened.", 2)
    assert record.evidence[0].summary == "Satellite images." and record.evidence[0].source is None
    assert len(record.outreach) == 1
    assert record.repeats == ()
    assert record.related == ()


@pytest.mark.django_db
def test_related_claims_are_frozen_as_their_own_records_show_them_and_only_when_public():
    counter = publish(ClaimFactory(text="Iran has sent no drones.", slug="no-drones")).claim
    whole = publish(ClaimFactory(text="Iran armed Russia.", slug="armed")).claim
    unpublished = ClaimFactory(text="Not public yet.")
    claim = ClaimFactory(text="Iran sent drones.")
    ClaimLinkFactory(from_claim=counter, to_claim=claim, kind="counter_claim")  # either end counts
    ClaimLinkFactory(from_claim=claim, to_claim=whole, kind="part_of")
    ClaimLinkFactory(from_claim=claim, to_claim=unpublished, kind="same_claim")
    services.claim_update(claim=counter, by=UserFactory(groups=[REVIEWERS]), text="Edited, not republished.")

    record = read_record(publish(claim).published_record)
    assert [(related.relation, related.slug, related.text, related.rating) for related in record.related] == [
        ("counter_claim", "no-drones", "Iran has sent no drones.", "Unproven"),
        ("part_of", "armed", "Iran armed Russia.", "Unproven"),
    ]
    # Seen from the other end, "part of" reads the other way.
    correction = publish(whole, kind="correction", public_note="Linked.")
    (included,) = read_record(correction.published_record).related
    assert (included.relation, included.slug) == ("includes", claim.slug)


# --- The public side reads records through the schema, whatever their version ----------------------


def _store_as_version_1(verdict: Verdict) -> None:
    stored = verdict.published_record
    del stored["claim"]["claimant"]["id"], stored["claim"]["topic_names"]
    del stored["verdict"]["rating"]["scale_slug"]
    for source in stored["sources"]:
        del source["role"]
    for part in [stored["claim"], *stored["statements"], *stored["sources"]]:
        if not part.get("confidential"):
            part["display"] = "date unknown" if part["date"] is None else part["date"]
            del part["calendar"]
    stored["version"] = 1
    Verdict.objects.filter(pk=verdict.pk).update(published_record=stored)


@pytest.mark.django_db
def test_a_version_1_record_is_listed_fed_exported_and_mapped_like_any_other(client):
    verdict = publish(ClaimFactory(text="An older record"), headline="Older headline")
    ClaimSourceFactory(claim=verdict.claim)  # not in the record: it was frozen before
    _store_as_version_1(verdict)

    home = page_tree(client.get(reverse("home")))
    assert texts(home, "//li[@class='verdict-item']//h3") == ["An older record"]
    assert "Older headline" in client.get(reverse("feed")).content.decode()
    assert f"/claims/{verdict.claim.slug}/" in client.get(reverse("sitemap")).content.decode()
    (review,) = client.get(reverse("claimreview-export")).json()["@graph"]
    assert (review["claimReviewed"], review["headline"]) == ("An older record", "Older headline")
    search = page_tree(client.get(reverse("search"), {"q": "older"}))
    assert "An older record" in texts(search, "//li[@class='verdict-item']//h2")
    # Topic and claimant pages look up keys version 1 did not keep (see claims.publishing.record).
    assert client.get(reverse("claimant", args=[verdict.claim.claimant_id])).status_code == 404


@pytest.mark.django_db
def test_pages_are_given_the_record_read_through_the_schema(client):
    claim = publish().claim
    # The claim page renders its parts from the page's record (claims.views.public.claim_parts).
    assert isinstance(pages.claim_page(claim.slug).record, schema.PublishedRecord)
    assert claim.text in client.get(reverse("claim", args=[claim.slug])).content.decode()
    response = client.get(reverse("report-error", args=[claim.slug]))
    assert isinstance(response.context["record"], schema.PublishedRecord)


# --- Nothing else reads the JSON -----------------------------------------------------------------------

# `published_record` followed by a key (["claim"], .get("claim")) or a JSON path in a lookup (published_record__claim).
RAW_ACCESS = re.compile(r"published_record(\[|\.get\(|__)")


def test_only_the_schema_module_reads_inside_the_stored_record():
    offenders = []
    for folder in ("claims", "templates", "factcheck", "bench"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".html", ".txt", ".xml") or "migrations" in path.parts:
                continue
            if path == ROOT / "claims" / "publishing" / "record.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if RAW_ACCESS.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "read the record through claims.publishing.record:\n" + "\n".join(offenders)
