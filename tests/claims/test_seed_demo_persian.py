"""`seed_demo --language fa`: the demo for a Persian-language newsroom. The article is English and gives no
Persian words, so every Persian quote is the newsroom's translation of the article's English, marked as such
with the English beside it; the site's public language is Persian, and so is what the public page shows."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims import starter_texts
from claims.demo import CLAIM_A, CLAIM_A_FA, CLAIM_B_FA, DENIAL_QUOTE, DENIAL_QUOTE_FA
from claims.models import Claim, Repeat, SiteSettings, Statement

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded_fa(settings):
    settings.DEBUG = True
    return seed(language="fa")


def test_the_site_publishes_in_persian_with_the_persian_starter_texts(seeded_fa):
    site = SiteSettings.load()
    assert site.language == "fa"
    assert site.methodology == starter_texts.for_language("fa")["methodology"]


def test_every_quote_is_marked_as_the_newsrooms_translation_of_the_articles_english(seeded_fa):
    statements = Statement.objects.filter(claim__slug__in=[CLAIM_A_FA.slug, CLAIM_B_FA.slug])
    assert statements.count() == len(CLAIM_A_FA.statements) + len(CLAIM_B_FA.statements) == 6
    english_quotes = {item.quote for item in CLAIM_A.statements}
    for statement in statements:
        assert (statement.quote_language, statement.translated, statement.original_language) == ("fa", True, "en")
        assert statement.original_quote in english_quotes  # the article's words, never a Persian "original"
        assert not statement.quote.isascii()
    denial = statements.filter(claim__slug=CLAIM_B_FA.slug).get()
    assert (denial.quote, denial.original_quote) == (DENIAL_QUOTE_FA, DENIAL_QUOTE)


def test_the_persian_claims_have_persian_addresses_and_go_through_the_workflow(seeded_fa):
    claim_a, claim_b = Claim.objects.get(slug=CLAIM_A_FA.slug), Claim.objects.get(slug=CLAIM_B_FA.slug)
    assert (claim_a.language, claim_b.language) == ("fa", "fa")
    assert (claim_a.state, claim_b.state) == (Claim.State.IN_REVIEW, Claim.State.PUBLISHED)
    assert claim_a.is_sample and claim_b.is_sample
    assert sorted(topic.slug for topic in claim_b.topics.all()) == ["ایران", "جنگ-روسیه-و-اوکراین"]
    assert Repeat.objects.get(claim=claim_b).sentence == DENIAL_QUOTE  # the demo feed's English article


def test_the_public_page_is_persian_and_says_each_quote_is_a_translation(client, seeded_fa):
    page = client.get(reverse("claim", args=[CLAIM_B_FA.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert CLAIM_B_FA.text in html
    assert DENIAL_QUOTE_FA in html and DENIAL_QUOTE in html  # the translation and the article's English
    assert "اثبات‌نشده" in html  # the rating, frozen in the public language when published
    assert "ترجمه‌شده از انگلیسی." in html  # "Translated from English.", from the Persian catalogue
    verdict = Claim.objects.get(slug=CLAIM_B_FA.slug).verdicts.get()
    assert verdict.published_record["verdict"]["rating"]["label"] == "اثبات‌نشده"


def test_loading_it_again_adds_nothing(seeded_fa, settings):
    counts = (Claim.all_objects.count(), Statement.all_objects.count(), Repeat.objects.count())
    output = seed(language="fa")
    assert (Claim.all_objects.count(), Statement.all_objects.count(), Repeat.objects.count()) == counts
    assert f"Kept claim {CLAIM_A_FA.slug}" in output
    assert "Kept the site's public language 'fa'" in output


def test_persian_search_finds_the_published_demo_claim_typed_with_arabic_letters(client, seeded_fa):
    page = client.get(reverse("search"), {"q": "عليه اوكراين"}).content.decode()  # Arabic yeh and kaf
    assert CLAIM_B_FA.text in page
