"""A claim is public if and only if it has a published verdict; internal fields reach no public surface."""

import pytest
from django.urls import reverse

from claims import services, workflow
from claims.models import Claim, ErrorReport, Verdict
from tests.factories import (
    ClaimFactory,
    ClaimSourceFactory,
    EvidenceFactory,
    SourceFactory,
    StatementFactory,
    TipFactory,
    TopicFactory,
)
from tests.publishing import fact_checker, publish, reviewer, submitted

pytestmark = pytest.mark.django_db

SECRET = "INTERNAL-NOTE-XYZ"  # internal: on no public surface, ever
PENDING = "PENDING-CORRECTION-XYZ"  # drafted after publication: public only once its correction is published


def public_surfaces(claim: Claim, *, topic_slug: str = "") -> dict[str, str]:
    """Every public address that could show something of `claim`: name -> URL."""
    verdict = claim.verdicts.filter(published_at__isnull=False).first()
    surfaces = {
        "claim page": reverse("claim", args=[claim.slug]),
        "home": reverse("home"),
        "corrections log": reverse("corrections"),
        "feed": reverse("feed"),
        "sitemap": reverse("sitemap"),
        "export": reverse("claimreview-export"),
        "ratings": reverse("ratings"),
    }
    if topic_slug:
        surfaces["topic"] = reverse("topic", args=[topic_slug])
    if claim.claimant_id:
        surfaces["claimant"] = reverse("claimant", args=[claim.claimant_id])
    if verdict is not None:
        surfaces["author byline"] = reverse("byline", args=[verdict.author_id])
        surfaces["reviewer byline"] = reverse("byline", args=[verdict.reviewer_id])
    return surfaces


@pytest.fixture
def claim_with_secrets():
    """A published claim carrying every kind of internal field, with a correction in review that says more."""
    author, first_reviewer = fact_checker(), reviewer()
    claim = ClaimFactory(text="Drones were delivered in August.")
    claim.topics.add(topic := TopicFactory(slug="drones"))
    EvidenceFactory(claim=claim, summary="Customs records show no delivery.", internal_note=f"{SECRET} evidence")
    secret_source = SourceFactory(
        url=f"https://leak.example/{SECRET}",
        title=f"{SECRET} source title",
        publisher=f"{SECRET} publisher",
        author=f"{SECRET} author",
        confidential=True,
        public_description="A document seen by our reporters",
    )
    ClaimSourceFactory(claim=claim, source=secret_source)
    StatementFactory(claim=claim, source=secret_source, quote="They were delivered.", stance="asserts")

    # A review comment on the first verdict, then its publication.
    verdict = submitted(claim, author=author)
    workflow.verdict_request_changes(verdict=verdict, by=first_reviewer, comment=f"{SECRET} review comment")
    verdict = workflow.verdict_submit(verdict=Verdict.objects.get(pk=verdict.pk), by=author)
    workflow.verdict_publish(verdict=Verdict.objects.get(pk=verdict.pk), by=first_reviewer)

    # After publication: edits to the claim, a correction in review, and what the public sent in.
    services.claim_update(claim=Claim.objects.get(pk=claim.pk), by=author, text=f"{PENDING} edited claim text")
    EvidenceFactory(claim=claim, summary=f"{PENDING} evidence added since", internal_note=f"{SECRET} again")
    submitted(claim, kind="correction", headline=f"{PENDING} draft headline", public_note=f"{PENDING} draft note")
    TipFactory(text="Check this", url="", contact=f"{SECRET}@tips.example")
    ErrorReport.objects.create(claim=claim, text="Typo", contact=f"{SECRET}@errors.example")
    return Claim.objects.get(pk=claim.pk), topic


def test_no_internal_field_reaches_any_public_surface_while_a_correction_is_in_review(client, claim_with_secrets):
    claim, topic = claim_with_secrets
    surfaces = public_surfaces(claim, topic_slug=topic.slug)
    for name, url in surfaces.items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = response.content.decode()
        assert SECRET not in body, f"an internal field leaks on the {name} ({url})"
        assert PENDING not in body, f"the correction in review leaks on the {name} ({url})"
    page = client.get(surfaces["claim page"]).content.decode()
    assert "Drones were delivered in August." in page  # the text as published
    assert "A document seen by our reporters" in page  # the confidential source, described
    assert "Customs records show no delivery." in page  # the evidence's public summary
    assert "The evidence does not settle it" in page  # the published headline, not the draft's


def test_publishing_the_correction_makes_it_public_and_still_nothing_internal(client, claim_with_secrets):
    claim, topic = claim_with_secrets
    correction = claim.verdicts.get(state="in_review")
    workflow.verdict_publish(verdict=correction, by=reviewer())
    page = client.get(reverse("claim", args=[claim.slug])).content.decode()
    # The correction publishes what was drafted since, the edited claim text included: it was approved.
    for published in ("edited claim text", "evidence added since", "draft headline", "draft note"):
        assert f"{PENDING} {published}" in page
    for name, url in public_surfaces(claim, topic_slug=topic.slug).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert SECRET not in response.content.decode(), f"an internal field leaks on the {name} ({url})"


@pytest.mark.parametrize("situation", ["new", "researching", "draft", "in_review", "dismissed"])
def test_a_claim_without_a_published_verdict_is_nowhere_on_the_public_side(client, situation):
    author = fact_checker()
    claim = ClaimFactory(text="UNPUBLISHED-CLAIM-TEXT")
    claim.topics.add(topic := TopicFactory())
    if situation == "researching":
        workflow.claim_start_research(claim=claim, by=author)
    elif situation == "draft":
        workflow.verdict_draft(claim=claim, by=author)
    elif situation == "in_review":
        submitted(claim, author=author)
    elif situation == "dismissed":
        workflow.claim_dismiss(claim=claim, by=reviewer(), reason="Out of scope")
    surfaces = public_surfaces(claim, topic_slug=topic.slug)
    assert client.get(surfaces.pop("claim page")).status_code == 404
    assert client.get(surfaces.pop("topic")).status_code == 404
    assert client.get(surfaces.pop("claimant")).status_code == 404
    for name, url in surfaces.items():
        assert "UNPUBLISHED-CLAIM-TEXT" not in client.get(url).content.decode(), name


def test_a_removed_claim_leaves_every_public_surface(client, django_capture_on_commit_callbacks):
    verdict = publish(ClaimFactory(text="REMOVED-CLAIM-TEXT"))
    claim = verdict.claim
    surfaces = public_surfaces(claim)
    assert client.get(surfaces["claim page"]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the cached pages go stale on commit
        services.record_remove(record=claim, by=verdict.author)
    assert client.get(surfaces.pop("claim page")).status_code == 404
    for gone in ("claimant", "author byline", "reviewer byline"):
        assert client.get(surfaces.pop(gone)).status_code == 404
    for name, url in surfaces.items():
        assert "REMOVED-CLAIM-TEXT" not in client.get(url).content.decode(), name


def test_the_demo_claim_in_review_is_nowhere_on_the_public_side(client, seeded):
    claim_a, claim_b = seeded
    assert client.get(reverse("claim", args=[claim_a.slug])).status_code == 404
    for url in (reverse("home"), reverse("topic", args=["iran"]), reverse("corrections"), reverse("ratings")):
        body = client.get(url).content.decode()
        assert claim_a.text not in body and claim_a.slug not in body, url
    assert client.get(reverse("claim", args=[claim_b.slug])).status_code == 200


def test_internal_notes_of_the_demo_stay_internal(client, seeded):
    _claim_a, claim_b = seeded
    page = client.get(reverse("claim", args=[claim_b.slug])).content.decode()
    for note in claim_b.evidence.values_list("internal_note", flat=True):
        assert note and note not in page
