"""Search finds every published part of a claim, in any script, on both paths: PostgreSQL's full-text search
and the word match used where PostgreSQL is not (called directly, since the suite runs on PostgreSQL).

The demo has no Persian text: these tests bring their own.
"""

import pytest

from claims import services
from claims.search import search_public_claims, substring_match
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ClaimSourceFactory,
    EvidenceFactory,
    SourceFactory,
    StatementFactory,
)
from tests.publishing import publish, reviewer

pytestmark = pytest.mark.django_db

PATHS = {
    "full text": lambda query: search_public_claims(query),
    "word match": lambda query: substring_match(search_public_claims(), query),
}
# "Drones" in Persian, as a Persian keyboard types it, and with the Arabic forms of its letters.
DRONES_FA = "پهپادهای"
DRONES_FA_ARABIC_FORMS = "پهپادهاي"


@pytest.fixture(params=PATHS, ids=list(PATHS))
def found(request):
    def slugs(query: str) -> list[str]:
        return [verdict.claim.slug for verdict in PATHS[request.param](query).select_related("claim")]

    return slugs


def a_claim_with_every_part(slug: str = "drones"):
    claim = ClaimFactory(
        text="Iran sent weapons to Russia.", slug=slug, claimant=ActorFactory(name="Hossein Amir Abdollahian")
    )
    StatementFactory(
        claim=claim,
        actor=ActorFactory(name="Nasser Kanaani"),
        quote="Russia flies Geran drones made elsewhere.",
        translated=True,
        original_language="fa",
        original_quote=f"روسیه {DRONES_FA} ساخت جای دیگر را پرواز می‌دهد",
    )
    EvidenceFactory(claim=claim, summary="Wreckage was photographed near Kharkiv.")
    ClaimSourceFactory(
        claim=claim, source=SourceFactory(title="Minister meets journalists", publisher="Mehr News Agency")
    )
    return claim


@pytest.mark.parametrize(
    "query",
    [
        "Geran",  # a statement's quote
        DRONES_FA,  # its original text
        DRONES_FA_ARABIC_FORMS,  # typed with the Arabic letters
        "Kanaani",  # who said it
        "Kharkiv",  # the evidence
        "Abdollahian",  # the claimant
        "journalists",  # a source's title
        "Mehr",  # its publisher
        "geran kharkiv",  # words from different parts
    ],
)
def test_every_published_part_is_found(found, query):
    publish(a_claim_with_every_part())
    assert found(query) == ["drones"]


def test_drafts_and_edits_not_yet_published_are_not_found(found):
    a_claim_with_every_part(slug="draft")  # never published
    claim = publish(ClaimFactory(text="A claim.", slug="published")).claim
    StatementFactory(claim=claim, quote="Geran drones were added after publication.")
    services.claim_source_add(claim=claim, source=SourceFactory(title="Minister meets journalists"), by=reviewer())
    assert found("Geran") == []
    assert found("journalists") == []


def test_a_match_in_the_claim_ranks_above_one_in_a_statement_or_source(found):
    publish(a_claim_with_every_part(slug="in-statement"))
    publish(ClaimFactory(text="Geran drones were shot down over Kyiv.", slug="in-claim"))
    assert found("Geran") == ["in-claim", "in-statement"]
