"""ClaimReview JSON-LD: one block per claim page, checked field by field, and the partners' export."""

import datetime
import json

import pytest
from django.urls import reverse

from claims.dates import DatePrecision
from claims.demo import CLAIM_B
from claims.models import Actor, Rating, SiteSettings
from claims.publishing.claimreview import json_ld_script
from tests.factories import ActorFactory, ClaimFactory, ClaimSourceFactory, SourceFactory
from tests.public.conftest import page_tree
from tests.publishing import publish

pytestmark = pytest.mark.django_db

SITE_URL = "https://claims.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE_URL
    site = SiteSettings.load()
    site.organisation_name, site.organisation_url = "Example Fact Check", "https://factcheck.example.org"
    site.save()
    return site


def json_ld_blocks(response) -> list[dict]:
    tree = page_tree(response)
    return [json.loads(block.text) for block in tree.xpath("//script[@type='application/ld+json']")]


def claim_review(client, claim) -> dict:
    blocks = json_ld_blocks(client.get(reverse("claim", args=[claim.slug])))
    assert len(blocks) == 1, "exactly one JSON-LD block per claim page"
    return blocks[0]


def test_the_demo_claim_page_carries_one_claim_review_field_by_field(client, seeded):
    _claim_a, claim_b = seeded
    verdict = claim_b.verdicts.get()
    review = claim_review(client, claim_b)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"{SITE_URL}/claims/{CLAIM_B.slug}/"
    assert review["claimReviewed"] == CLAIM_B.text
    assert review["datePublished"] == verdict.published_at.isoformat()
    assert "dateModified" not in review
    assert review["headline"] == verdict.headline
    # Unproven has no numeric value: the rating is its name alone.
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Fact Check",
        "url": "https://factcheck.example.org",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Person",
        "name": "Hossein Amir Abdollahian",
        "jobTitle": "Foreign Minister of Iran",
    }
    assert "datePublished" not in item  # the article dates nothing
    # The Mehr article, cited as an appearance: no URL, no date, named with its publisher. Then the demo feed's
    # article that repeated the claim since, approved as a repeat.
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "name": "Amir Abdollahian: Iran ready to discuss drone allegations with Ukraine",
            "publisher": {"@type": "Organization", "name": "Mehr News Agency"},
        },
        {
            "@type": "CreativeWork",
            "name": "Sample: Iran's foreign minister denies selling drones for the war in Ukraine",
            "url": f"{SITE_URL}/static/demo-feed/article-1.html",
            "publisher": {"@type": "Organization", "name": "Demo wire (sample articles)"},
        },
    ]
    assert "firstAppearance" not in item  # the claim's first appearance is not known
    assert set(review) == {
        "@context", "@type", "url", "claimReviewed", "reviewRating", "author", "datePublished", "headline",
        "inLanguage", "itemReviewed",
    }  # fmt: skip
    assert review["inLanguage"] == "en"  # the site's public language


def test_a_numeric_rating_gives_its_value_and_the_scales_best_and_worst(client):
    mostly_false = Rating.objects.get(scale__slug="default", label="Mostly false")
    verdict = publish(rating=mostly_false)
    rating = claim_review(client, verdict.claim)["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "alternateName": "Mostly false",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_the_claimant_appearances_and_dates_come_from_the_record(client):
    claimant = ActorFactory(name="Ministry of Defence", kind=Actor.Kind.GOVERNMENT)
    first = SourceFactory(
        url="https://news.example/first", title="First report", date=datetime.date(2022, 7, 1), date_precision="month"
    )
    claim = ClaimFactory(
        claimant=claimant, first_appearance=first, date=datetime.date(2022, 7, 1), date_precision=DatePrecision.MONTH
    )
    ClaimSourceFactory(claim=claim, source=first)
    ClaimSourceFactory(
        claim=claim,
        source=SourceFactory(title="Withheld", confidential=True, public_description="A message seen by our team"),
    )
    ClaimSourceFactory(claim=claim, source=SourceFactory(title="Background reading"), role="background")
    publish(claim)
    item = claim_review(client, claim)["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Ministry of Defence"}
    assert item["datePublished"] == "2022-07"
    first_work = {
        "@type": "CreativeWork",
        "name": "First report",
        "url": "https://news.example/first",
        "datePublished": "2022-07",
        "publisher": {"@type": "Organization", "name": "Example News"},
    }
    assert item["firstAppearance"] == first_work
    # Appearances only (no background source); the confidential one described, never identified.
    assert item["appearance"] == [first_work, {"@type": "CreativeWork", "description": "A message seen by our team"}]


def test_a_correction_is_marked_as_modified_after_the_first_publication(client):
    first = publish()
    correction = publish(first.claim, kind="correction", headline="Corrected headline", public_note="Fixed a name.")
    review = claim_review(client, first.claim)
    assert review["datePublished"] == first.published_at.isoformat()
    assert review["dateModified"] == correction.published_at.isoformat()
    assert review["headline"] == "Corrected headline"


def test_a_retracted_verdict_carries_no_claim_review(client):
    first = publish()
    publish(first.claim, kind="retraction", public_note="Withdrawn.")
    assert json_ld_blocks(client.get(reverse("claim", args=[first.claim.slug]))) == []
    assert client.get(reverse("claimreview-export")).json()["@graph"] == []


def test_the_markup_cannot_close_its_script_element():
    script = json_ld_script({"claimReviewed": "</script><script>alert(1)</script><!-- & more"})
    payload = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert json.loads(payload) == {"claimReviewed": "</script><script>alert(1)</script><!-- & more"}


def test_a_claim_text_with_markup_stays_data_on_the_page(client):
    verdict = publish(ClaimFactory(text='He said "</script><script>alert(1)</script>" on air.'))
    review = claim_review(client, verdict.claim)
    assert review["claimReviewed"] == 'He said "</script><script>alert(1)</script>" on air.'


def test_the_export_lists_every_standing_non_sample_claim_review(client, seeded):
    real = publish(ClaimFactory(text="A real claim"))
    response = client.get(reverse("claimreview-export"))
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    document = response.json()
    assert document["@context"] == "https://schema.org"
    assert [review["claimReviewed"] for review in document["@graph"]] == ["A real claim"]  # the demo is sample data
    on_the_page = claim_review(client, real.claim)
    del on_the_page["@context"]  # the document's own applies
    assert document["@graph"] == [on_the_page]


# The properties each type used here has in the schema.org vocabulary (its own and those it inherits),
# limited to the ones this project may use.
SCHEMA_ORG = {
    "ClaimReview": {"url", "claimReviewed", "reviewRating", "author", "datePublished", "dateModified", "headline"}
    | {"itemReviewed", "inLanguage"},
    "Rating": {"alternateName", "ratingValue", "bestRating", "worstRating"},
    "Claim": {"author", "datePublished", "appearance", "firstAppearance"},
    "CreativeWork": {"name", "url", "datePublished", "publisher", "description"},
    "Person": {"name", "jobTitle"},
    "Organization": {"name", "url"},
}


def unknown_properties(node, path="") -> list[str]:
    if isinstance(node, list):
        return [problem for item in node for problem in unknown_properties(item, path)]
    if not isinstance(node, dict):
        return []
    allowed = SCHEMA_ORG.get(node.get("@type"), set())
    problems = [f"{path}{node.get('@type')}.{key}" for key in node if not key.startswith("@") and key not in allowed]
    for key, value in node.items():
        problems += unknown_properties(value, f"{path}{key}/")
    return problems


def test_every_property_is_in_the_schema_org_vocabulary(client):
    first = SourceFactory(title="First report", dated=True)
    claim = ClaimFactory(claimant=ActorFactory(kind=Actor.Kind.PERSON, title="Minister"), first_appearance=first)
    ClaimSourceFactory(claim=claim, source=first)
    ClaimSourceFactory(claim=claim, source=SourceFactory(confidential=True, public_description="A witness"))
    true = Rating.objects.get(scale__slug="default", label="True")
    verdict = publish(claim, rating=true)
    publish(verdict.claim, kind="update", rating=true, public_note="More sources.")
    review = claim_review(client, claim)
    assert unknown_properties(review) == []
    assert {"firstAppearance", "appearance", "author"} <= set(review["itemReviewed"])
    assert {"ratingValue", "dateModified"} <= set(review["reviewRating"]) | set(review)


def test_an_appearance_without_a_title_is_named_by_its_publisher_else_its_host(client):
    claim = ClaimFactory()
    for title, publisher, url in (
        ("", "Mehr News Agency", "https://en.mehrnews.com/news/1"),
        ("https://www.example.org/a?b=1", "", "https://www.example.org/a?b=1"),  # a failed fetch: the address
        ("Minister speaks", "Other News", "https://other.example/2"),
    ):
        ClaimSourceFactory(claim=claim, source=SourceFactory(title=title, publisher=publisher, url=url))
    publish(claim)
    names = [work["name"] for work in claim_review(client, claim)["itemReviewed"]["appearance"]]
    assert names == ["Mehr News Agency", "example.org", "Minister speaks"]
    sources = page_tree(client.get(reverse("claim", args=[claim.slug]))).xpath("//ol[@class='public-sources']//a")
    assert [link.text_content() for link in sources] == names


def test_claim_review_says_the_language_of_the_site_it_is_published_in(client):
    """inLanguage is the newsroom's public language (a site setting), whatever the visitor's browser asks."""
    verdict = publish()
    site = SiteSettings.load()
    site.language = "fa"
    site.save()
    review = claim_review(client, verdict.claim)
    assert review["inLanguage"] == "fa"
    export = client.get(reverse("claimreview-export"), HTTP_ACCEPT_LANGUAGE="es").json()
    assert {node["inLanguage"] for node in export["@graph"]} == {"fa"}
