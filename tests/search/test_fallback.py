"""The substring search used where PostgreSQL is not (SQLite, `make run`): same interface, simpler matching.

Called directly here, on the suite's database, since the selector picks full-text search on PostgreSQL.
"""

import pytest

from claims.search import search_public_claims, substring_match
from tests.factories import ActorFactory, ClaimFactory, EvidenceFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db


def matches(query: str) -> list[str]:
    """The fallback on the public verdicts, as search_public_claims() hands them over (filtered, annotated)."""
    return [verdict.claim.slug for verdict in substring_match(search_public_claims(), query).select_related("claim")]


def test_every_word_must_appear_and_a_match_in_the_claim_comes_first():
    publish(ClaimFactory(text="Tehran denied selling drones.", slug="in-claim"))
    publish(ClaimFactory(text="A shipment left port.", slug="in-explanation"), explanation="Drones from Tehran?")
    publish(ClaimFactory(text="Drones were seen.", slug="one-word"))
    assert matches("drones tehran") == ["in-claim", "in-explanation"]
    # Case does not matter; among equals, the newest first.
    assert matches("DRONES") == ["one-word", "in-claim", "in-explanation"]


def test_the_headline_and_the_claimant_are_searched():
    publish(ClaimFactory(text="A claim.", slug="by-name", claimant=ActorFactory(name="Abdollahian")))
    publish(ClaimFactory(text="Another claim.", slug="by-headline"), headline="Minister misquoted")
    assert matches("abdollahian") == ["by-name"]
    assert matches("misquoted") == ["by-headline"]


def test_drafts_and_internal_notes_are_not_searched(factchecker):
    claim = ClaimFactory(text="A claim.", slug="public")
    EvidenceFactory(claim=claim, internal_note="secret informant")
    publish(claim)
    ClaimFactory(text="A secret draft claim.")
    assert matches("secret") == []


def test_the_selector_returns_verdicts_with_the_same_annotations_as_full_text_search():
    publish(ClaimFactory(text="Drones were seen.", slug="drones"))
    (result,) = substring_match(search_public_claims(), "drones")
    assert result.rank == 1.0
    assert result.first_published_at == result.published_at
    assert result.published_record["claim"]["slug"] == "drones"


def test_each_word_scores_the_weight_of_the_best_part_that_holds_it():
    claim = ClaimFactory(text="Drones over Kyiv.", slug="claim")
    EvidenceFactory(claim=claim, summary="Wreckage near Kharkiv; drones again.")
    publish(claim, headline="Seen over Kyiv")
    ranks = {
        query: substring_match(search_public_claims(), query).get().rank
        for query in ("drones", "seen", "kharkiv", "drones seen kharkiv")
    }
    assert ranks == pytest.approx({"drones": 1.0, "seen": 0.4, "kharkiv": 0.1, "drones seen kharkiv": 1.5})
