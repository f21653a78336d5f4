"""What the database itself refuses, and what full_clean says about it in words a user can act on."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.dates import DatePrecision
from claims.models import ClaimLink, ClaimSource, Source, Statement
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ClaimLinkFactory,
    ClaimSourceFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

URL = "https://news.example/drones"


def messages_of(exc_info) -> list[str]:
    return exc_info.value.messages


# --- Source URL: unique among live rows ------------------------------------------


def test_database_refuses_a_second_live_source_with_the_same_url():
    SourceFactory(url=URL)
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url=URL)


def test_a_removed_source_does_not_block_its_url():
    SourceFactory(url=URL, removed_at=timezone.now())
    assert SourceFactory(url=URL).url == URL
    assert Source.all_objects.filter(url=URL).count() == 2


def test_any_number_of_sources_may_have_no_url():
    SourceFactory(url="")
    SourceFactory(url="")
    assert Source.objects.filter(url="").count() == 2


def test_full_clean_says_a_source_with_this_address_is_on_file():
    SourceFactory(url=URL)
    with pytest.raises(ValidationError) as exc_info:
        SourceFactory.build(url=URL).full_clean()
    assert "A source with this address is already on file." in messages_of(exc_info)


def test_full_clean_accepts_the_url_of_a_removed_source():
    SourceFactory(url=URL, removed_at=timezone.now())
    SourceFactory.build(url=URL).full_clean()


# --- Confidential source ------------------------------------------------------------


def test_database_refuses_a_confidential_source_without_public_description():
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(confidential=True, public_description="")


def test_full_clean_says_a_confidential_source_needs_a_public_description():
    with pytest.raises(ValidationError) as exc_info:
        SourceFactory.build(confidential=True, public_description="").full_clean()
    assert "A confidential source needs a public description." in messages_of(exc_info)


def test_a_confidential_source_with_a_public_description_is_accepted():
    source = SourceFactory.build(confidential=True, public_description="An official who asked not to be named")
    source.full_clean()
    source.save()


# --- Translated statement -----------------------------------------------------------


def test_database_refuses_a_translated_statement_without_original_language():
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementFactory(translated=True, original_language="")


def test_full_clean_asks_for_the_original_language_of_a_translated_quote():
    statement = StatementFactory.build(
        claim=ClaimFactory(), actor=ActorFactory(), source=None, translated=True, original_language=""
    )
    with pytest.raises(ValidationError) as exc_info:
        statement.full_clean()
    assert "Give the original language of a translated quote." in messages_of(exc_info)


def test_a_translated_statement_with_its_original_language_is_accepted():
    statement = StatementFactory(translated=True, original_language="fa", original_quote="ما نفروخته‌ایم")
    statement.full_clean()
    assert Statement.objects.get(pk=statement.pk).original_language == "fa"


# --- Dates and their precision ------------------------------------------------------

DATE = datetime.date(2022, 7, 1)


@pytest.mark.parametrize(
    ("date", "precision"),
    [
        (None, DatePrecision.DAY),
        (None, DatePrecision.MONTH),
        (None, DatePrecision.YEAR),
        (DATE, DatePrecision.UNKNOWN),
    ],
)
@pytest.mark.parametrize(
    "factory", [SourceFactory, StatementFactory, ClaimFactory], ids=["source", "statement", "claim"]
)
def test_database_refuses_a_date_that_contradicts_its_precision(factory, date, precision):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(date=date, date_precision=precision)


@pytest.mark.parametrize(
    ("date", "precision", "note"),
    [
        (DATE, DatePrecision.DAY, ""),
        (DATE, DatePrecision.MONTH, ""),
        (DATE, DatePrecision.YEAR, ""),
        (None, DatePrecision.UNKNOWN, "July, year not stated"),
    ],
)
def test_a_date_matching_its_precision_is_accepted(date, precision, note):
    source = SourceFactory.build(date=date, date_precision=precision, date_note=note)
    source.full_clean()
    source.save()


def test_full_clean_explains_the_date_rule():
    with pytest.raises(ValidationError) as exc_info:
        SourceFactory.build(date=None, date_precision=DatePrecision.MONTH).full_clean()
    assert "Give a date unless its precision is “unknown”, and none if it is." in messages_of(exc_info)


def test_a_month_precise_date_is_shown_without_its_day():
    source = SourceFactory.build(date=DATE, date_precision=DatePrecision.MONTH)
    assert source.date_display == "July 2022"


def test_an_unknown_date_is_shown_by_its_note():
    source = SourceFactory.build(date_note="July, year not stated")
    assert source.date_display == "July, year not stated"


# --- Claim links ----------------------------------------------------------------------


def test_database_refuses_a_claim_linked_to_itself():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLinkFactory(from_claim=claim, to_claim=claim)


def test_full_clean_says_a_claim_cannot_be_linked_to_itself():
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as exc_info:
        ClaimLink(from_claim=claim, to_claim=claim, kind=ClaimLink.Kind.SAME_CLAIM).full_clean()
    assert "A claim cannot be linked to itself." in messages_of(exc_info)


def test_database_refuses_the_same_live_link_twice_but_not_after_removal():
    link = ClaimLinkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLinkFactory(from_claim=link.from_claim, to_claim=link.to_claim, kind=link.kind)
    ClaimLink.objects.filter(pk=link.pk).update(removed_at=timezone.now())
    ClaimLinkFactory(from_claim=link.from_claim, to_claim=link.to_claim, kind=link.kind)


# --- Cited sources ----------------------------------------------------------------------


def test_database_refuses_citing_the_same_source_twice_while_both_are_live():
    cited = ClaimSourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimSourceFactory(claim=cited.claim, source=cited.source)


def test_a_removed_citation_does_not_block_citing_the_source_again():
    cited = ClaimSourceFactory(removed_at=timezone.now())
    again = ClaimSourceFactory(claim=cited.claim, source=cited.source)
    assert list(again.claim.claim_sources.all()) == [again]


def test_full_clean_says_the_source_is_already_cited():
    cited = ClaimSourceFactory()
    with pytest.raises(ValidationError) as exc_info:
        ClaimSource(claim=cited.claim, source=cited.source).full_clean()
    assert "This source is already cited by the claim." in messages_of(exc_info)
