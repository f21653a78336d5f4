"""Persian typed every way a reader types it finds the same claims: with or without vowel marks, with the Arabic
or the Persian forms of yeh and kaf, with a zero-width non-joiner, without it or with a space in its place, in
Persian, Arabic-Indic or ASCII digits. One normalisation (claims.text_normal) is applied to what is indexed and
to the query, on both paths: PostgreSQL's full-text search and the word match used where PostgreSQL is not."""

import pytest

from claims.search import search_public_claims, substring_match
from claims.text_normal import folded, with_zwnj_parts
from tests.factories import ClaimFactory, StatementFactory
from tests.publishing import publish

ZWNJ = "\u200c"
# "We have not sold any drones to Russia in 1401", as a Persian keyboard types it.
CLAIM_FA = f"ما در سال ۱۴۰۱ هیچ پهپادی به روسیه نفروخته{ZWNJ}ایم و نمی{ZWNJ}فروشیم"


def test_the_arabic_and_persian_forms_of_a_letter_fold_to_one():
    assert folded("كيك") == folded("کیک") == "کیک"  # Arabic kaf and yeh, Persian keheh and yeh
    assert folded("على") == folded("علی")  # alef maksura
    assert folded("أ إ آ ٱ") == "ا ا ا ا"  # alef with hamza above, below, madda, wasla
    assert folded("مؤمن") == "مومن" and folded("ئ") == folded("ی")
    assert folded("مدرسة") == "مدرسه"  # teh marbuta


def test_vowel_marks_tatweel_joiners_and_direction_marks_are_dropped():
    assert folded("پَهپـــاد") == "پهپاد"  # fatha and tatweel
    assert folded("مُحَمَّدٌ") == "محمد"  # damma, fatha, shadda, tanwin
    assert folded(f"نفروخته{ZWNJ}ایم") == folded("نفروختهایم")
    assert folded("\u200fایران\u200e") == "ایران"


def test_persian_and_arabic_indic_digits_are_ascii():
    assert folded("۱۴۰۱") == folded("١٤٠١") == "1401"


def test_compatibility_forms_are_the_letters_they_show():
    assert folded("\ufedb\ufee0\ufee4\ufe94") == folded("كلمة")  # Arabic presentation forms: "kalima"
    assert folded("\uff29\uff32\uff21\uff2e") == "iran"  # full-width IRAN


def test_a_word_written_with_a_zwnj_is_indexed_joined_and_as_its_parts():
    assert with_zwnj_parts(f"پهپاد نمی{ZWNJ}فروشیم") == "پهپاد نمیفروشیم نمی فروشیم"
    assert with_zwnj_parts("بدون نیم‌فاصله".replace(ZWNJ, " ")) == "بدون نیم فاصله"


PATHS = {
    "full text": lambda query: search_public_claims(query),
    "word match": lambda query: substring_match(search_public_claims(), query),
}


@pytest.fixture(params=PATHS, ids=list(PATHS))
def found(request):
    def slugs(query: str) -> list[str]:
        return [verdict.claim.slug for verdict in PATHS[request.param](query).select_related("claim")]

    return slugs


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "پهپادی",  # as written
        "پَهپادی",  # with a vowel mark
        "پهپـادی",  # with tatweel
        "پهپادي روسيه",  # Arabic yeh
        "نفروخته\u200cایم",  # with the ZWNJ
        "نفروختهایم",  # without it
        "نفروخته ایم",  # a space where it was
        "نمي\u200cفروشيم",  # Arabic yeh and the ZWNJ
        "۱۴۰۱",  # Persian digits
        "١٤٠١",  # Arabic-Indic digits
        "1401",  # ASCII digits
    ],
)
def test_a_persian_claim_is_found_however_the_query_is_typed(found, query):
    publish(ClaimFactory(text=CLAIM_FA, language="fa", slug="persian"))
    publish(ClaimFactory(text="Iran sold drones to Russia.", language="en", slug="english"))
    assert found(query) == ["persian"]


@pytest.mark.django_db
def test_a_query_with_or_without_the_zwnj_finds_the_same_claims(found):
    publish(ClaimFactory(text=f"ایران پهپاد نمی{ZWNJ}فروشد", language="fa", slug="with-zwnj"))
    publish(ClaimFactory(text="ایران پهپاد نمیفروشد", language="fa", slug="without-zwnj"))
    with_joiner, without = found(f"نمی{ZWNJ}فروشد"), found("نمیفروشد")
    assert sorted(with_joiner) == sorted(without) == ["with-zwnj", "without-zwnj"]


@pytest.mark.django_db
def test_a_statement_typed_with_arabic_letters_is_found_with_persian_ones(found):
    claim = ClaimFactory(text="A claim about exports.", slug="exports")
    StatementFactory(claim=claim, quote="كشورهاي غربي", quote_language="fa")  # Arabic kaf and yeh
    publish(claim)
    assert found("کشورهای غربی") == ["exports"]
