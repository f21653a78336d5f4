"""Public reads: the same frozen records as the pages, nothing internal, paged by cursor, with ETags."""

import pytest
from django.urls import reverse

from claims import services
from tests.factories import ClaimFactory, TopicFactory
from tests.public.test_visibility import PENDING, SECRET, claim_with_secrets  # noqa: F401 - the fixture
from tests.publishing import publish, reviewer

pytestmark = pytest.mark.django_db


def public_reads(claim, *, topic_slug: str) -> dict[str, str]:
    """Every public operation, asked so that it would answer something of `claim`."""
    return {
        "claim": reverse("api:claim_detail", kwargs={"slug": claim.slug}),
        "claims": reverse("api:claim_list"),
        "claims by topic": f"{reverse('api:claim_list')}?topic={topic_slug}",
        "claims by claimant": f"{reverse('api:claim_list')}?claimant={claim.claimant_id}",
        "claims found": f"{reverse('api:claim_list')}?q=drones",
        "topics": reverse("api:topic_list"),
        "claimants": reverse("api:claimant_list"),
        "ratings": reverse("api:rating_list"),
        "corrections": reverse("api:correction_list"),
        "fact check tools search": f"{reverse('api:claims_search')}?query=drones",
        "fact check tools site": f"{reverse('api:claims_search')}?reviewPublisherSiteFilter=127.0.0.1",
    }


def test_nothing_internal_or_unpublished_reaches_any_public_operation(api_client, claim_with_secrets):  # noqa: F811
    claim, topic = claim_with_secrets
    reads = public_reads(claim, topic_slug=topic.slug)
    for name, url in reads.items():
        response = api_client.get(url)
        assert response.status_code == 200, name
        body = response.content.decode()
        assert SECRET not in body, f"an internal field leaks from {name} ({url})"
        assert PENDING not in body, f"the correction in review leaks from {name} ({url})"
        assert '"username"' not in body, f"a login name leaks from {name}: pages name people, never their login"
    record = api_client.get(reads["claim"]).json()
    assert record["claim"]["text"] == "Drones were delivered in August."  # as published, not as edited since
    assert [source["description"] for source in record["sources"] if source["confidential"]] == [
        "A document seen by our reporters"
    ]
    assert not any("title" in source for source in record["sources"] if source["confidential"])
    assert [item["summary"] for item in record["evidence"]] == ["Customs records show no delivery."]
    assert record["verdict"]["headline"] == "The evidence does not settle it"
    assert "username" not in record["verdict"]["author"]  # the page names its author, never their login
    found = api_client.get(reads["claims"]).json()["items"]
    assert [item["claim"]["slug"] for item in found] == [claim.slug]


def test_a_claim_without_a_published_verdict_is_not_answered(api_client):
    claim = ClaimFactory(text="UNPUBLISHED-CLAIM-TEXT")
    claim.topics.add(topic := TopicFactory())
    assert api_client.get(reverse("api:claim_detail", kwargs={"slug": claim.slug})).status_code == 404
    for name, url in public_reads(claim, topic_slug=topic.slug).items():
        if name != "claim":
            assert "UNPUBLISHED-CLAIM-TEXT" not in api_client.get(url).content.decode(), name


def test_a_removed_claim_leaves_the_api(api_client, django_capture_on_commit_callbacks):
    verdict = publish(ClaimFactory(text="REMOVED-CLAIM-TEXT"))
    url = reverse("api:claim_detail", kwargs={"slug": verdict.claim.slug})
    assert api_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.record_remove(record=verdict.claim, by=verdict.author)
    assert api_client.get(url).status_code == 404
    assert "REMOVED-CLAIM-TEXT" not in api_client.get(reverse("api:claim_list")).content.decode()


def test_the_cursor_walks_every_public_claim_once_newest_first(api_client):
    slugs = [publish().claim.slug for _ in range(5)]
    seen, url = [], f"{reverse('api:claim_list')}?limit=2"
    while url:
        page = api_client.get(url).json()
        seen += [item["claim"]["slug"] for item in page["items"]]
        url = page["next_cursor"] and f"{reverse('api:claim_list')}?limit=2&cursor={page['next_cursor']}"
    assert seen == slugs[::-1]


def test_a_cursor_the_api_did_not_give_is_refused_with_a_message(api_client):
    response = api_client.get(f"{reverse('api:claim_list')}?cursor=not-a-cursor")
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_a_conditional_get_answers_304_until_something_is_published(api_client, django_capture_on_commit_callbacks):
    publish()
    url = reverse("api:claim_list")
    first = api_client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        publish()
    again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert len(again.json()["items"]) == 2


def test_an_old_address_of_a_claim_redirects_to_its_address_now(api_client):
    verdict = publish()
    verdict.claim.old_slugs.create(slug="an-older-address")
    response = api_client.get(reverse("api:claim_detail", kwargs={"slug": "an-older-address"}))
    assert response.status_code == 301
    assert response["Location"] == reverse("api:claim_detail", kwargs={"slug": verdict.claim.slug})


def test_filters_find_what_the_search_page_finds(api_client):
    drones = publish(ClaimFactory(text="Drones were delivered in August.", language="en"))
    publish(ClaimFactory(text="Los drones llegaron en agosto.", language="es"), reviewer_user=reviewer())
    by_language = api_client.get(f"{reverse('api:claim_list')}?language=en-GB").json()["items"]
    assert [item["claim"]["slug"] for item in by_language] == [drones.claim.slug]
    by_claimant = api_client.get(f"{reverse('api:claim_list')}?claimant={drones.claim.claimant_id}").json()
    assert [item["claim"]["slug"] for item in by_claimant["items"]] == [drones.claim.slug]
