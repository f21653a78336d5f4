"""A claim merged into another on the public side: its address redirects, the survivor's page lists its
verdicts, and its ClaimReview, sitemap entry and feed entries are gone."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from claims import merging
from claims.models import ClaimSlug, Rating
from tests.factories import ClaimFactory, UserFactory
from tests.public.conftest import page_tree, texts
from tests.publishing import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def merger():
    return UserFactory(groups=["reviewers"])


def both_published():
    """Two published claims saying the same thing, the retired one with a correction on record."""
    retired = publish(ClaimFactory(slug="drones-sold", text="Drones were sold to Russia."), headline="Not shown")
    ClaimSlug.objects.create(claim=retired.claim, slug="drones-sold-old")
    false = Rating.objects.get(scale__slug="default", label="False")
    publish(
        retired.claim,
        kind="correction",
        rating=false,
        headline="The sale did not happen",
        public_note="A contract we had missed",
    )
    survivor = publish(ClaimFactory(slug="iran-sold-drones", text="Iran sold drones to Russia."))
    return retired.claim, survivor.claim


def test_the_retired_claims_addresses_redirect_to_the_survivor_for_good(client, merger):
    retired, survivor = both_published()
    merging.claim_merge(claim=retired, into=survivor, by=merger)
    for slug in ("drones-sold", "drones-sold-old"):
        response = client.get(reverse("claim", args=[slug]))
        assert response.status_code == 301
        assert response["Location"] == reverse("claim", args=["iran-sold-drones"])


def test_the_survivors_page_lists_the_retired_claims_verdicts_as_published(client, merger):
    retired, survivor = both_published()
    merging.claim_merge(claim=retired, into=survivor, by=merger)
    tree = page_tree(client.get(reverse("claim", args=[survivor.slug])))
    listed = texts(tree, "//ol[@class='merged-history']/li")
    assert len(listed) == 2
    assert "“Drones were sold to Russia.”" in listed[0] and "First verdict" in listed[0]
    assert "Correction False" in listed[1] and "The sale did not happen" in listed[1]
    assert "A contract we had missed" in listed[1]
    # Its own verdict and correction history are its own.
    assert len(texts(tree, "//ol[@class='correction-history']/li")) == 1


def test_the_retired_claims_claim_review_is_no_longer_emitted(client, merger):
    retired, survivor = both_published()
    merging.claim_merge(claim=retired, into=survivor, by=merger)
    export = json.loads(client.get(reverse("claimreview-export")).content)
    reviewed = json.dumps(export)
    assert "Iran sold drones to Russia." in reviewed and "Drones were sold to Russia." not in reviewed
    page = page_tree(client.get(reverse("claim", args=[survivor.slug])))
    (block,) = page.xpath("//script[@type='application/ld+json']")
    assert json.loads(block.text)["claimReviewed"] == "Iran sold drones to Russia."


def test_the_retired_claim_leaves_the_listings_the_sitemap_and_the_feed(client, merger):
    retired, survivor = both_published()
    merging.claim_merge(claim=retired, into=survivor, by=merger)
    for name in ("home", "sitemap", "feed"):
        body = client.get(reverse(name)).content.decode()
        assert "drones-sold" not in body and "Drones were sold to Russia." not in body, name


def test_the_retired_claims_corrections_stay_in_the_corrections_log(client, merger):
    retired, survivor = both_published()
    merging.claim_merge(claim=retired, into=survivor, by=merger)
    body = client.get(reverse("corrections")).content.decode()
    assert "A contract we had missed" in body and reverse("claim", args=["drones-sold"]) in body


def test_a_cached_page_of_the_retired_claim_is_not_served_after_the_merge(
    client, merger, django_capture_on_commit_callbacks
):
    retired, survivor = both_published()
    assert client.get(reverse("claim", args=[retired.slug])).status_code == 200  # now in the shared cache
    with django_capture_on_commit_callbacks(execute=True):
        merging.claim_merge(claim=retired, into=survivor, by=merger)
    assert client.get(reverse("claim", args=[retired.slug])).status_code == 301


def test_merging_an_unpublished_duplicate_changes_no_public_page(client, merger):
    survivor = publish(ClaimFactory(slug="iran-sold-drones")).claim
    before = client.get(reverse("claim", args=[survivor.slug])).content
    cache.clear()
    merging.claim_merge(claim=ClaimFactory(), into=survivor, by=merger)
    assert client.get(reverse("claim", args=[survivor.slug])).content == before
