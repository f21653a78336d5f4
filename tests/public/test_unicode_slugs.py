"""Claims whose text has no Latin letters get readable addresses in their own script, which resolve and are
written percent-encoded wherever a machine reads them (links, sitemap, feed, ClaimReview). Latin slugs are
made as before."""

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.urls import reverse

from claims import services
from claims.models import ClaimSlug, SiteSettings
from claims.publishing.claimreview import for_page
from claims.publishing.pages import claim_page
from tests.factories import TopicFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

SITE_URL = "https://claims.example.org"
PERSIAN = "ایران به روسیه پهپاد نفروخته است"  # "Iran has not sold drones to Russia"
PERSIAN_SLUG = "ایران-به-روسیه-پهپاد-نفروخته-است"
ARABIC = "إيران لم تَبِع طائرات مسيّرة لروسيا"  # with a hamza, a fatha, a kasra and a shadda
ARABIC_SLUG = "إيران-لم-تبع-طائرات-مسيرة-لروسيا"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def encoded(slug: str) -> str:
    return f"/claims/{quote(slug)}/"


@pytest.mark.parametrize(
    ("text", "language", "slug"),
    [
        (PERSIAN, "fa", PERSIAN_SLUG),
        (ARABIC, "ar", ARABIC_SLUG),
        # ZWNJ joined, tatweel dropped, Persian digits as ASCII ones.
        ("ما در سال ۱۴۰۱ پهپاد نفروخته\u200cایم", "fa", "ما-در-سال-1401-پهپاد-نفروختهایم"),
        # Latin names in a Persian sentence stay, lower-cased.
        ("ایران F-16 نخرید", "fa", "ایران-f-16-نخرید"),
    ],
)
def test_a_claim_in_persian_or_arabic_gets_a_readable_slug_in_its_script(factchecker, text, language, slug):
    claim = services.claim_create(by=factchecker, text=text, language=language)
    assert claim.slug == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Iran sold drones to Russia.", "iran-sold-drones-to-russia"),
        ("Le café coûte 3 € à Téhéran", "le-cafe-coute-3-a-teheran"),  # accents dropped, as always
        ("«¿?»", "claim"),  # no letter at all
    ],
)
def test_latin_slugs_are_made_as_before(factchecker, text, slug):
    assert services.claim_create(by=factchecker, text=text).slug == slug


def test_the_same_persian_words_get_the_next_number_not_claim_2(factchecker):
    first = services.claim_create(by=factchecker, text=PERSIAN, language="fa")
    second = services.claim_create(by=factchecker, text=PERSIAN, language="fa")
    assert (first.slug, second.slug) == (PERSIAN_SLUG, f"{PERSIAN_SLUG}-2")


@pytest.mark.parametrize(("text", "language", "slug"), [(PERSIAN, "fa", PERSIAN_SLUG), (ARABIC, "ar", ARABIC_SLUG)])
def test_a_unicode_slug_resolves_and_is_written_percent_encoded(client, factchecker, text, language, slug):
    claim = services.claim_create(by=factchecker, text=text, language=language)
    publish(claim)
    path = reverse("claim", args=[claim.slug])
    assert path == encoded(slug) and path.isascii()
    response = client.get(path)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert f'<link rel="canonical" href="{SITE_URL}{path}">' in response.content.decode()
    assert client.get(reverse("report-error", args=[claim.slug])).status_code == 200
    assert client.get(f"/claims/{slug}/").status_code == 200  # as a browser may send it, undecoded


def test_sitemap_feed_and_claim_review_carry_the_encoded_address(client, factchecker):
    claim = services.claim_create(by=factchecker, text=PERSIAN, language="fa")
    publish(claim)
    address = f"{SITE_URL}{encoded(PERSIAN_SLUG)}"

    sitemap = ET.fromstring(client.get(reverse("sitemap")).content)  # noqa: S314 - the app's own answer
    assert address in [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    feed = ET.fromstring(client.get(reverse("feed")).content)  # noqa: S314 - the app's own answer
    assert [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")].count(address) == 1
    page = claim_page(PERSIAN_SLUG)
    assert page is not None
    assert for_page(page, SiteSettings.load())["url"] == address
    assert address in client.get(reverse("claimreview-export")).content.decode()


def test_an_old_unicode_slug_redirects_to_the_current_address(client, factchecker):
    claim = publish(services.claim_create(by=factchecker, text=PERSIAN, language="fa")).claim
    ClaimSlug.objects.create(claim=claim, slug="ایران-پهپاد")
    response = client.get(reverse("claim", args=["ایران-پهپاد"]))
    assert response.status_code == 301
    assert response["Location"] == encoded(PERSIAN_SLUG)


def test_a_topic_may_have_a_persian_slug(client, factchecker):
    topic = TopicFactory(name="ایران", slug="ایران")
    publish(services.claim_create(by=factchecker, text=PERSIAN, language="fa", topics=[topic]))
    response = client.get(reverse("topic", args=["ایران"]))
    assert response.status_code == 200
    assert PERSIAN in response.content.decode()


def test_the_api_answers_a_claim_by_its_unicode_slug(client, factchecker):
    publish(services.claim_create(by=factchecker, text=PERSIAN, language="fa"))
    path = reverse("api:claim_detail", kwargs={"slug": PERSIAN_SLUG})
    assert path.isascii()
    response = client.get(path)
    assert response.status_code == 200
    assert response.json()["claim"]["text"] == PERSIAN
