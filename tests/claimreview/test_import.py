"""Reading ClaimReview sources into external fact-checks: through the safe fetcher or from an uploaded file,
idempotent (updated by review URL), each read's result on the source; the sweep; who may manage sources."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims import claimreviews
from claims.importing import external
from claims.matching.generation import read_generation
from claims.models import ClaimReviewSource, ExternalFactCheck

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures" / "claimreview"


def feed_bytes() -> bytes:
    return (FIXTURES / "datafeed.json").read_bytes()


def test_an_uploaded_data_feed_is_read_at_once_with_a_result_per_item(reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        source = claimreviews.claimreview_file_import(by=reviewer, content=feed_bytes(), filename="feed.json")

    assert (source.name, source.document_name, source.active) == ("feed.json", "feed.json", False)
    assert source.last_status == ClaimReviewSource.Status.PARTIAL
    assert source.last_result["created"] == 2 and source.last_result["skipped"] == 4
    assert source.last_result["reasons"][0] == "Item 3: No claim text (claimReviewed)."
    check = ExternalFactCheck.objects.get(review_url="https://feedcheck.invalid/reviews/101")
    assert (check.publisher_name, check.rating_text, check.claimant, check.source) == (
        "Feed Check", "False", "A party leaflet", source
    )  # fmt: skip
    assert "central bank" in check.search_text
    assert read_generation() >= 1  # every process that matches indexes the new fact-checks


def test_reading_again_updates_by_review_url_and_creates_nothing_twice(reviewer):
    source = claimreviews.claimreview_file_import(by=reviewer, content=feed_bytes(), filename="feed.json")
    first = {c.review_url: (c.pk, c.first_seen_at) for c in ExternalFactCheck.objects.all()}

    again = claimreviews.claimreview_source_read_now(source=source, by=reviewer)

    assert again.last_result["created"] == 0 and again.last_result["unchanged"] == 2
    assert {c.review_url: (c.pk, c.first_seen_at) for c in ExternalFactCheck.objects.all()} == first
    changed = feed_bytes().replace(b'"Mostly false"', b'"False"')
    claimreviews.claimreview_file_import(by=reviewer, content=changed, filename="feed-v2.json")
    assert ExternalFactCheck.objects.count() == 2
    assert ExternalFactCheck.objects.get(review_url="https://feedcheck.invalid/reviews/102").rating_text == "False"


def test_the_same_review_twice_in_a_document_is_stored_once(reviewer):
    doc = (
        b'[{"@type":"ClaimReview","url":"https://d.invalid/1","claimReviewed":"A.","reviewRating":{"alternateName":"False"}},'
        b'{"@type":"ClaimReview","url":"https://d.invalid/1","claimReviewed":"A.","reviewRating":{"alternateName":"False"}}]'
    )
    source = claimreviews.claimreview_file_import(by=reviewer, content=doc, filename="twice.json")
    assert (source.last_result["created"], source.last_result["skipped"]) == (1, 1)
    assert "The same review URL again" in source.last_result["reasons"][0]


def test_a_file_that_is_no_claimreview_fails_with_the_reason_and_stores_nothing(reviewer):
    source = claimreviews.claimreview_file_import(by=reviewer, content=b"<html>hello</html>", filename="page.html")
    assert source.last_status == ClaimReviewSource.Status.FAILED
    assert source.last_error == "No ClaimReview found in the document."
    assert not ExternalFactCheck.objects.exists()


def test_an_address_is_read_through_the_safe_fetcher_with_a_conditional_get(local_site, admin_user, reads_enqueued):
    page = (FIXTURES / "several_reviews.html").read_bytes()
    local_site.add("/checks", page, etag='"v1"')
    source = claimreviews.claimreview_source_add(by=admin_user, url=local_site.url("/checks"), name="Weekly")

    read = external.read_source(source.pk)
    again = external.read_source(source.pk)

    assert read.last_status == ClaimReviewSource.Status.PARTIAL  # three reviews and one broken block
    assert read.last_result["created"] == 3
    water = ExternalFactCheck.objects.get(claim_text="Drinking hot water cures the coronavirus.")
    assert water.review_url == local_site.url("/checks/2023-05#water")  # relative to where it was read
    assert again.last_result == {"not_modified": True}
    assert local_site.requests_for("/checks")[-1]["If-None-Match"] == '"v1"'
    assert again.next_read_at > timezone.now() + timedelta(minutes=300)


def test_an_address_the_fetcher_refuses_fails_with_the_reason(admin_user, reads_enqueued):
    source = claimreviews.claimreview_source_add(by=admin_user, url="http://127.0.0.1:9/feed.json", name="Local")
    read = external.read_source(source.pk)
    assert read.last_status == ClaimReviewSource.Status.FAILED
    assert "127.0.0.1" in read.last_error and not ExternalFactCheck.objects.exists()


def test_a_second_delivery_of_the_same_read_does_nothing(admin_user, reads_enqueued):
    source = claimreviews.claimreview_source_add(by=admin_user, url="https://checkdesk.invalid/feed.json")
    ClaimReviewSource.objects.filter(pk=source.pk).update(reading_since=timezone.now())
    assert external.read_source(source.pk) is None


def test_adding_an_address_enqueues_its_first_read_and_refuses_it_twice(
    reviewer, reads_enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source = claimreviews.claimreview_source_add(by=reviewer, url="https://CheckDesk.invalid/feed.json")
    assert reads_enqueued == [source.pk]
    assert source.url == "https://checkdesk.invalid/feed.json"
    with pytest.raises(ValidationError, match="already a source"):
        claimreviews.claimreview_source_add(by=reviewer, url="https://checkdesk.invalid/feed.json")


def test_the_sweep_enqueues_the_active_addresses_that_are_due_once(reviewer, reads_enqueued):
    due = ClaimReviewSource.objects.create(name="Due", url="https://a.invalid/f")
    ClaimReviewSource.objects.create(
        name="Later", url="https://b.invalid/f", next_read_at=timezone.now() + timedelta(hours=1)
    )
    ClaimReviewSource.objects.create(name="Stopped", url="https://c.invalid/f", active=False)
    ClaimReviewSource.objects.create(name="A file", document=b"{}")

    assert external.read_due_sources() == 1
    assert external.read_due_sources() == 0  # not again before the job has had time to run
    assert reads_enqueued == [due.pk]


def test_an_uploaded_file_is_not_read_on_a_schedule(reviewer):
    source = claimreviews.claimreview_file_import(by=reviewer, content=feed_bytes(), filename="feed.json")
    with pytest.raises(ValidationError, match="read once"):
        claimreviews.claimreview_source_set_active(source=source, by=reviewer, active=True)


def test_an_unexpected_error_ends_as_the_sources_result_not_a_crash(reviewer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(external, "parse", broken)
    source = claimreviews.claimreview_file_import(by=reviewer, content=feed_bytes(), filename="feed.json")
    assert (source.last_status, source.last_error) == (ClaimReviewSource.Status.FAILED, "Unexpected error: boom")
    assert source.reading_since is None
