"""The Atom feed of published verdicts, sitemap.xml and their rules about sample content."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_URL = "https://claims.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - the app's own answer, in a test


def feed_entries(client) -> list[ET.Element]:
    response = client.get(reverse("feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return parse_xml(response.content).findall(f"{ATOM}entry")


def test_the_feed_has_published_corrected_and_retracted_verdicts_newest_first(client):
    first = publish(ClaimFactory(text="Drones were sold"), headline="No evidence of a sale")
    correction = publish(first.claim, kind="correction", headline="Sold, then returned", public_note="New records.")
    other = publish(ClaimFactory(text="The dam burst"), headline="It did")
    retraction = publish(other.claim, kind="retraction", public_note="We withdraw this check.")

    entries = feed_entries(client)
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [
        "Retraction (Unproven): The dam burst",
        "Unproven: The dam burst",
        "Correction (Unproven): Drones were sold",
        "Unproven: Drones were sold",
    ]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[2] == links[3] == f"{SITE_URL}/claims/{first.claim.slug}/"
    assert links[0] == links[1] == f"{SITE_URL}/claims/{other.claim.slug}/"
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 4
    summaries = [entry.findtext(f"{ATOM}summary") for entry in entries]
    assert summaries[2] == "Sold, then returned\n\nNew records."
    assert "We withdraw this check." in summaries[0]
    assert entries[0].findtext(f"{ATOM}updated") == retraction.published_at.isoformat()
    assert entries[2].findtext(f"{ATOM}published") == correction.published_at.isoformat()
    assert entries[3].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Farah Checker"


def test_the_feed_says_where_it_lives_on_the_canonical_site(client):
    publish()
    feed = parse_xml(client.get(reverse("feed"), HTTP_HOST="localhost").content)
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == f"{SITE_URL}/feed/"


def test_the_feed_and_sitemap_leave_out_sample_content(client, seeded):
    assert feed_entries(client) == []
    assert sitemap_claim_urls(client) == []


def sitemap_claim_urls(client) -> list[tuple[str, str]]:
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    urls = parse_xml(response.content).findall(f"{SITEMAP}url")
    return [
        (url.findtext(f"{SITEMAP}loc"), url.findtext(f"{SITEMAP}lastmod"))
        for url in urls
        if "/claims/" in url.findtext(f"{SITEMAP}loc")
    ]


def test_the_sitemap_lists_each_public_claim_once_with_its_last_change(client):
    first = publish(ClaimFactory(slug="drones-were-sold"))
    correction = publish(first.claim, kind="correction", public_note="Fixed.")
    publish(ClaimFactory(slug="the-dam-burst"))
    ClaimFactory(slug="not-published")
    assert sitemap_claim_urls(client) == [
        (
            f"{SITE_URL}/claims/the-dam-burst/",
            first.claim.verdicts.model.objects.get(claim__slug="the-dam-burst").published_at.date().isoformat(),
        ),
        (f"{SITE_URL}/claims/drones-were-sold/", correction.published_at.date().isoformat()),
    ]


def test_the_sitemap_lists_the_newsrooms_pages(client):
    body = client.get(reverse("sitemap")).content.decode()
    for name in ("home", "methodology", "corrections", "corrections-policy", "about", "ratings"):
        assert f"<loc>{SITE_URL}{reverse(name)}</loc>" in body, name
