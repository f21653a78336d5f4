"""Other organisations' fact-checks as the matcher's documents: an article, a tip or a new claim that matches
one shows "Checked by <publisher>: <rating>" with an inert link to theirs; the staff screen; the API."""

import pytest
from django.urls import reverse

from claims import claimreviews, services
from claims.inbox import source_match
from claims.models import ExternalFactCheck, ExternalMatch
from claims.tips import tip_match
from tests.factories import ArticleFactory, TipFactory

pytestmark = pytest.mark.django_db

ARTICLE = (
    "TEHRAN — Iran's foreign minister spoke to about 60 journalists at a meeting of news agencies on Monday. "
    "The meeting also discussed the state of the press in the region and the training of young reporters.\n\n"
    "Officials in Kyiv said again that Iran has supplied drones to Russia for use in the war in Ukraine.\n\n"
    "The ministry later published a transcript of the meeting and photographs of the guests. "
    "The next meeting of the agencies will be held in Kuala Lumpur in the spring of next year."
)
FEED = b"""{"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": [
 {"@type": "ClaimReview", "url": "https://checkdesk.invalid/iran-drones", "datePublished": "2022-10-20",
  "author": {"@type": "Organization", "name": "Check Desk", "url": "https://checkdesk.invalid"},
  "claimReviewed": "Iran has supplied drones to Russia for use in the war in Ukraine.",
  "reviewRating": {"@type": "Rating", "alternateName": "True"}},
 {"@type": "ClaimReview", "url": "https://checkdesk.invalid/eiffel", "author": {"name": "Check Desk"},
  "claimReviewed": "The Eiffel Tower will be demolished next year.",
  "reviewRating": {"@type": "Rating", "alternateName": "False"}}]}]}"""


@pytest.fixture
def imported(reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claimreviews.claimreview_file_import(by=reviewer, content=FEED, filename="checkdesk.json")
    return ExternalFactCheck.objects.get(review_url="https://checkdesk.invalid/iran-drones")


def test_an_article_that_matches_another_organisations_fact_check_is_shown_it_on_incoming(imported, client_for):
    article = ArticleFactory(text=ARTICLE, title="Minister meets the agencies")

    source_match(source=article)
    source_match(source=article)  # matching again keeps one row per pair

    match = ExternalMatch.objects.get(source=article)
    assert match.fact_check == imported
    assert (
        match.sentence
        == "Officials in Kyiv said again that Iran has supplied drones to Russia for use in the war in Ukraine."
    )
    client = client_for("factchecker")
    for url in (reverse("staff:incoming"), reverse("staff:incoming-article", args=[article.pk])):
        page = client.get(url).content.decode()
        assert "Checked by Check Desk: True" in page
        assert (
            '<a class="external-review" href="https://checkdesk.invalid/iran-drones" '
            'rel="noopener noreferrer nofollow" target="_blank">' in page
        )


def test_a_fact_check_gone_from_the_match_is_withdrawn(imported):
    article = ArticleFactory(text=ARTICLE)
    source_match(source=article)
    article.text = "The city council met on Tuesday to discuss the new bus lanes and the budget for parks."
    article.save()
    source_match(source=article)
    assert not ExternalMatch.objects.filter(source=article).exists()


def test_a_tip_that_asks_about_a_fact_checked_claim_is_shown_it(imported):
    tip = TipFactory(text="Is it true that Iran has supplied drones to Russia for the war in Ukraine?")
    tip_match(tip=tip)
    assert ExternalMatch.objects.get(tip=tip).fact_check == imported


def test_the_new_claim_warning_shows_another_organisations_verdict_and_saves_only_when_asked(imported, client_for):
    client = client_for("factchecker")
    text = "Iran has supplied drones to Russia for use in the war in Ukraine."
    form = client.get(reverse("staff:claim-new")).context["form"]
    data = {"text": text, "language": "en", "submission_token": form["submission_token"].value()}

    answer = client.post(reverse("staff:claim-new"), data)

    page = answer.content.decode()
    assert answer.status_code == 422
    assert "Another fact-checker has checked a claim like this" in page
    assert "Checked by Check Desk: True" in page
    assert 'rel="noopener noreferrer nofollow"' in page
    typing = client.get(reverse("staff:claim-new-similar"), {"text": text}, headers={"HX-Request": "true"})
    assert "Checked by Check Desk: True" in typing.content.decode()
    saved = client.post(reverse("staff:claim-new"), {**data, "anyway": "1"})
    assert saved.status_code == 302


def test_hostile_text_in_a_fact_check_is_shown_as_text(reviewer, client_for):
    hostile = b"""{"@type": "ClaimReview", "url": "https://evil.invalid/r", "author": {"name": "<b>Evil</b>"},
      "claimReviewed": "<script>alert(1)</script> drones",
      "reviewRating": {"alternateName": "<img src=x onerror=alert(1)>"}}"""
    claimreviews.claimreview_file_import(by=reviewer, content=hostile, filename="x.json")
    page = client_for("factchecker").get(reverse("staff:claimreviews")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; drones" in page
    assert "<img src=x" not in page and "<script>alert" not in page


def test_the_screen_lists_sources_with_their_results_and_the_fact_checks(imported, client_for):
    page = client_for("factchecker").get(reverse("staff:claimreviews")).content.decode()
    assert "checkdesk.json" in page
    assert "2 new, 0 updated, 0 unchanged, 0 skipped" in page
    assert "The Eiffel Tower will be demolished next year." in page
    assert "Read now" not in page  # a fact-checker sees, reviewers and admins manage
    assert "Read now" in client_for("reviewer").get(reverse("staff:claimreviews")).content.decode()


def test_uploading_a_file_on_the_screen_reads_it(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("reviewer")
    answer = client.post(
        reverse("staff:claimreview-file-import"), {"file": SimpleUploadedFile("feed.json", FEED), "name": "Check Desk"}
    )
    assert answer.status_code == 302
    assert ExternalFactCheck.objects.count() == 2


def test_the_search_api_answers_their_fact_checks_marked_as_theirs(imported, client):
    answer = client.get("/api/v1alpha1/claims:search", {"query": "drones Russia"}).json()
    (claim,) = answer["claims"]
    assert claim["text"] == "Iran has supplied drones to Russia for use in the war in Ukraine."
    assert claim["claimReview"] == [
        {
            "publisher": {"name": "Check Desk", "site": "checkdesk.invalid"},
            "url": "https://checkdesk.invalid/iran-drones",
            "reviewDate": "2022-10-20T00:00:00Z",
            "textualRating": "True",
        }
    ]
    by_site = client.get("/api/v1alpha1/claims:search", {"reviewPublisherSiteFilter": "checkdesk.invalid"}).json()
    assert len(by_site["claims"]) == 2
    first = client.get("/api/v1alpha1/claims:search", {"reviewPublisherSiteFilter": "checkdesk.invalid", "pageSize": 1})
    token = first.json()["nextPageToken"]
    second = client.get(
        "/api/v1alpha1/claims:search",
        {"reviewPublisherSiteFilter": "checkdesk.invalid", "pageSize": 1, "pageToken": token},
    ).json()
    assert {first.json()["claims"][0]["text"], second["claims"][0]["text"]} == {c["text"] for c in by_site["claims"]}
    assert "nextPageToken" not in second


def test_a_new_claim_with_no_fact_check_on_file_is_saved_at_once(client_for, factchecker):
    services.claim_create(by=factchecker, text="The price of petrol rose by 40 percent in January.")
    client = client_for("factchecker")
    form = client.get(reverse("staff:claim-new")).context["form"]
    data = {
        "text": "Bananas are blue in winter.",
        "language": "en",
        "submission_token": form["submission_token"].value(),
    }
    assert client.post(reverse("staff:claim-new"), data).status_code == 302
