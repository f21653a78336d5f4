"""A claim's address: fixed once published; an old one redirects for good."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimSlug
from tests.factories import ClaimFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db


def test_an_old_slug_redirects_permanently_to_the_current_page(client):
    claim = publish(ClaimFactory(slug="iran-sold-drones")).claim
    ClaimSlug.objects.create(claim=claim, slug="iran-drones-old")
    response = client.get(reverse("claim", args=["iran-drones-old"]))
    assert response.status_code == 301
    assert response["Location"] == reverse("claim", args=["iran-sold-drones"])


def test_an_old_slug_of_a_claim_that_is_not_public_is_not_found(client):
    claim = ClaimFactory(slug="not-yet-published")
    ClaimSlug.objects.create(claim=claim, slug="its-old-slug")
    assert client.get(reverse("claim", args=["its-old-slug"])).status_code == 404


def test_an_unknown_slug_is_not_found(client):
    assert client.get(reverse("claim", args=["no-such-claim"])).status_code == 404


def test_editing_a_claim_never_changes_its_slug(factchecker):
    claim = publish(ClaimFactory(slug="fixed-slug", text="Old text")).claim
    edited = services.claim_update(claim=claim, by=factchecker, text="A new text for the claim")
    assert edited.slug == "fixed-slug"
    with pytest.raises(ValidationError, match="address of a published claim"):
        services.claim_update(claim=claim, by=factchecker, slug="another-slug")
    assert Claim.objects.get(pk=claim.pk).slug == "fixed-slug"


def test_a_new_claim_never_takes_an_address_that_redirects(factchecker):
    published = publish(ClaimFactory(slug="drones-were-sold")).claim
    ClaimSlug.objects.create(claim=published, slug="iran-sold-drones")
    claim = services.claim_create(by=factchecker, text="Iran sold drones")
    assert claim.slug == "iran-sold-drones-2"


def test_the_admin_fixes_the_slug_once_the_claim_has_been_published(client_for):
    admin = client_for("admin")
    draft, published = ClaimFactory(), publish().claim
    draft_form = admin.get(reverse("admin:claims_claim_change", args=[draft.pk])).content.decode()
    published_form = admin.get(reverse("admin:claims_claim_change", args=[published.pk])).content.decode()
    assert 'name="slug"' in draft_form
    assert 'name="slug"' not in published_form
    assert published.slug in published_form  # shown, read-only
    assert "old addresses" in published_form.lower()
