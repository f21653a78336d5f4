"""Search over public claims on PostgreSQL: ranked full-text search, per-language configurations, filters.

Only published records are searched: drafts, claims in review or dismissed, internal notes and edits not yet
published are never found.
"""

import datetime

import pytest
from django.db import connection

from claims import services, workflow
from claims.models import ClaimSearchDocument, Evidence, Rating, Verdict
from claims.search import search_public_claims, text_search_config
from tests.claims.test_workflow import drafted, in_review
from tests.factories import ActorFactory, ClaimFactory, EvidenceFactory, TopicFactory, UserFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db


def rating(label: str) -> Rating:
    return Rating.objects.get(scale__slug="default", label=label)


def slugs(results) -> list[str]:
    return [verdict.claim.slug for verdict in results.select_related("claim")]


def test_these_tests_run_on_postgresql():
    assert connection.vendor == "postgresql"


def test_publishing_stores_a_search_document_in_the_claims_language():
    claim = publish(ClaimFactory(language="en")).claim
    document = ClaimSearchDocument.objects.get(claim=claim)
    assert document.config == "english"


def test_a_match_in_the_claim_ranks_above_a_match_only_in_the_explanation():
    in_explanation = publish(
        ClaimFactory(text="The army bought new helicopters.", slug="helicopters"),
        explanation="Records show centrifuges were not part of the deal.",
    )
    in_claim = publish(ClaimFactory(text="Iran installed new centrifuges at Fordow.", slug="centrifuges"))
    results = search_public_claims("centrifuge")
    assert slugs(results) == ["centrifuges", "helicopters"]
    first, second = results
    assert first.rank > second.rank
    assert {in_claim.pk, in_explanation.pk} == {first.pk, second.pk}


def test_english_words_are_stemmed():
    publish(ClaimFactory(text="Iran has supplied drones to Russia.", slug="drones"))
    assert slugs(search_public_claims("supplying drone")) == ["drones"]


def test_persian_text_is_found_with_the_simple_configuration():
    claim = ClaimFactory(text="ایران به روسیه پهپاد نفروخته است", language="fa", slug="persian")
    publish(claim)
    assert ClaimSearchDocument.objects.get(claim=claim).config == "simple"
    assert slugs(search_public_claims("پهپاد")) == ["persian"]
    assert slugs(search_public_claims("روسیه پهپاد")) == ["persian"]


def test_languages_map_to_postgresql_configurations():
    assert text_search_config("en") == "english"
    assert text_search_config("en-GB") == "english"
    assert text_search_config("fr") == "french"
    assert text_search_config("fa") == "simple"
    assert text_search_config("ar") == "arabic"
    assert text_search_config("") == "simple"
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
    from claims.search import LANGUAGE_CONFIGS

    assert set(LANGUAGE_CONFIGS.values()) <= available


def test_a_statement_quote_and_the_claimant_are_found_too():
    claim = ClaimFactory(text="A claim.", slug="quoted", claimant=ActorFactory(name="Hossein Amir Abdollahian"))
    publish(claim)
    assert slugs(search_public_claims("Abdollahian")) == ["quoted"]


@pytest.mark.parametrize("situation", ["new", "researching", "draft", "in_review", "dismissed"])
def test_claims_that_are_not_public_are_never_found(factchecker, situation):
    claim = ClaimFactory(text="The xylophone factory closed.")
    if situation == "researching":
        workflow.claim_start_research(claim=claim, by=factchecker)
    elif situation == "draft":
        drafted(claim, factchecker, headline="Xylophone headline")
    elif situation == "in_review":
        in_review(claim, factchecker)
    elif situation == "dismissed":
        workflow.claim_dismiss(claim=claim, by=UserFactory(groups=["reviewers"]), reason="Out of scope")
    assert not search_public_claims("xylophone").exists()
    assert not search_public_claims("").exists()


def test_internal_notes_are_never_found():
    claim = ClaimFactory(text="A public claim.")
    EvidenceFactory(claim=claim, summary="A public summary.", internal_note="Confidential zeppelin informant.")
    publish(claim)
    assert not search_public_claims("zeppelin").exists()
    assert search_public_claims("summary").exists()


def test_edits_after_publication_are_found_only_once_a_correction_is_published(factchecker):
    claim = publish(ClaimFactory(text="The bridge cost ten million.", slug="bridge")).claim
    services.claim_update(claim=claim, by=factchecker, text="The bridge cost ten million marmots.")
    services.claim_item_create(item=Evidence(claim=claim, summary="Invoice", stance="refutes"), by=factchecker)
    assert not search_public_claims("marmots").exists()
    publish(claim, kind="correction", public_note="We misread the invoice.", reviewer_user=None)
    assert slugs(search_public_claims("marmots")) == ["bridge"]
    assert ClaimSearchDocument.objects.filter(claim=claim).count() == 1


def test_a_removed_claim_is_not_found():
    claim = publish(ClaimFactory(text="The tunnel opened.")).claim
    claim.removed_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    claim.save(update_fields=["removed_at"])
    assert not search_public_claims("tunnel").exists()


def test_filters_by_rating_topic_claimant_and_publication_date():
    minister = ActorFactory(name="The minister")
    topic = TopicFactory(name="Energy", slug="energy")
    energy = ClaimFactory(text="Power cuts ended.", slug="energy", claimant=minister)
    energy.topics.add(topic)
    publish(energy, rating=rating("False"))
    publish(ClaimFactory(text="Power stations were built.", slug="other"), rating=rating("True"))
    Verdict.objects.filter(claim__slug="other").update(published_at=datetime.datetime(2023, 3, 1, tzinfo=datetime.UTC))

    assert slugs(search_public_claims("power", rating=rating("False"))) == ["energy"]
    assert slugs(search_public_claims("power", topic="energy")) == ["energy"]
    assert slugs(search_public_claims("", topic="no-such-topic")) == []
    assert slugs(search_public_claims("power", claimant=minister.pk)) == ["energy"]
    assert slugs(search_public_claims("", published_to=datetime.date(2023, 12, 31))) == ["other"]
    assert slugs(search_public_claims("", published_from=datetime.date(2024, 1, 1))) == ["energy"]
    assert slugs(search_public_claims("")) == ["energy", "other"]


def test_filters_read_the_published_record_not_the_live_claim(factchecker):
    topic = TopicFactory(slug="later")
    claim = publish(ClaimFactory(text="A claim.", slug="live")).claim
    claim.topics.add(topic)  # not published yet
    services.claim_update(claim=claim, by=factchecker, claimant=ActorFactory())
    assert not search_public_claims("", topic="later").exists()


def test_the_first_publication_date_is_kept_through_corrections():
    claim = publish(ClaimFactory(text="A claim.")).claim
    first = Verdict.objects.get(claim=claim)
    Verdict.objects.filter(pk=first.pk).update(published_at=datetime.datetime(2022, 5, 1, tzinfo=datetime.UTC))
    publish(claim, kind="update", public_note="New figures.")
    (result,) = search_public_claims("")
    assert result.first_published_at == datetime.datetime(2022, 5, 1, tzinfo=datetime.UTC)
    assert result.kind == "update"


def test_a_query_of_stop_words_or_punctuation_finds_nothing_and_fails_nothing():
    publish(ClaimFactory(text="The drones were delivered."))
    assert list(search_public_claims("the")) == []
    assert list(search_public_claims('"')) == []
    assert list(search_public_claims("-")) == []
