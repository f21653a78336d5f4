"""Correcting a source from the claim's workspace: every detail, a failed fetch tried again, an address on file."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.dates import DatePrecision
from claims.models import ClaimSource, FetchStatus, Source
from tests.factories import ClaimFactory, ClaimSourceFactory, SourceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BARE_URL = "https://news.example/2022/07/drones"


@pytest.fixture
def staff(client_for):
    return client_for("factchecker")


@pytest.fixture
def failed_fetch():
    """What a failed fetch leaves: a bare address, publisher and date unknown, cited by two claims."""
    source = SourceFactory(
        url=BARE_URL, title=BARE_URL, publisher="", fetch_status=FetchStatus.FAILED, fetch_error="Timed out."
    )
    ClaimSourceFactory(source=source)
    return ClaimSourceFactory(source=source)


def edit_url(cited):
    return reverse("staff:region-edit", args=[cited.claim_id, "sources", cited.pk])


def add_url(claim):
    return reverse("staff:region-add", args=[claim.pk, "sources"])


def edit_data(cited, **source_fields):
    data = {"role": cited.role, "note": cited.note}
    data.update({f"source-{name}": value for name, value in source_fields.items()})
    return data


# --- Every detail of a source, from the workspace --------------------------------------------------


def test_the_citation_form_offers_every_detail_of_the_source_and_says_it_is_shared(staff, failed_fetch):
    page = staff.get(edit_url(failed_fetch), **HTMX).content.decode()
    for name in (
        "title", "publisher", "author", "date_text", "date_note", "language", "licence", "attribution",
        "archive_url", "confidential", "public_description",
    ):  # fmt: skip
        assert f'name="source-{name}"' in page, name
    assert 'name="source-url"' not in page  # the address is what the source is stored under
    assert "Cited by 2 claims: a change here shows on each of them." in page


def test_correcting_a_source_changes_it_for_every_claim_on_record(staff, failed_fetch, factchecker):
    data = edit_data(
        failed_fetch,
        title="Iran denies sending drones to Russia",
        publisher="Mehr News Agency",
        author="Staff writer",
        date_text="2022-07",
        language="en",
        licence="CC BY 4.0",
        attribution="Mehr",
        archive_url="web.archive.org/web/2022/https://news.example/2022/07/drones",
    )
    response = staff.post(edit_url(failed_fetch), data, **HTMX)

    assert response.status_code == 200
    source = Source.objects.get(pk=failed_fetch.source_id)
    assert (source.title, source.publisher, source.author) == (
        "Iran denies sending drones to Russia", "Mehr News Agency", "Staff writer",
    )  # fmt: skip
    assert (source.date, source.date_precision) == (datetime.date(2022, 7, 1), DatePrecision.MONTH)
    assert (source.language, source.licence, source.attribution) == ("en", "CC BY 4.0", "Mehr")
    assert source.archive_url == "https://web.archive.org/web/2022/https://news.example/2022/07/drones"
    last = source.history.latest()
    assert (last.history_user, last.history_change_reason) == (factchecker, "Edited")
    assert "Iran denies sending drones to Russia" in response.content.decode()
    assert "Mehr News Agency" in response.content.decode()


def test_a_source_is_made_confidential_only_with_its_public_description(staff, failed_fetch):
    data = edit_data(failed_fetch, title="A ministry insider", confidential="on")
    response = staff.post(edit_url(failed_fetch), data, **HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    assert "A confidential source needs a public description." in page
    assert 'value="A ministry insider"' in page  # what was typed is kept
    assert Source.objects.get(pk=failed_fetch.source_id).title == BARE_URL

    data["source-public_description"] = "An official of the ministry"
    assert staff.post(edit_url(failed_fetch), data, **HTMX).status_code == 200
    source = Source.objects.get(pk=failed_fetch.source_id)
    assert source.confidential and source.public_description == "An official of the ministry"


def test_changing_only_the_citation_leaves_the_source_untouched(staff):
    cited = ClaimSourceFactory(source=SourceFactory(date=datetime.date(2022, 7, 18), date_precision="day"))
    versions = cited.source.history.count()
    data = edit_data(cited, title=cited.source.title, publisher=cited.source.publisher, date_text="2022-07-18")
    data["note"] = "Where the claim first appeared"
    assert staff.post(edit_url(cited), data, **HTMX).status_code == 200
    assert ClaimSource.objects.get(pk=cited.pk).note == "Where the claim first appeared"
    assert cited.source.history.count() == versions


def test_the_sources_list_says_how_many_claims_share_a_source(staff, failed_fetch):
    page = staff.get(reverse("staff:claim", args=[failed_fetch.claim_id])).content.decode()
    assert "cited by 2 claims" in page


# --- A failed fetch, tried again ------------------------------------------------------------------


def test_a_failed_fetch_is_tried_again_by_the_fetch_job(
    staff, failed_fetch, monkeypatch, django_capture_on_commit_callbacks
):
    from claims import jobs

    enqueued = []
    monkeypatch.setattr(jobs, "enqueue_fetch", enqueued.append)
    workspace = staff.get(reverse("staff:claim", args=[failed_fetch.claim_id])).content.decode()
    retry = reverse("staff:claim-source-fetch-retry", args=[failed_fetch.claim_id, failed_fetch.pk])
    assert "Fetch again" in workspace and retry in workspace

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(retry, **HTMX)

    assert response.status_code == 200
    assert "fetching…" in response.content.decode()
    source = Source.objects.get(pk=failed_fetch.source_id)
    assert (source.fetch_status, source.fetch_error) == (FetchStatus.PENDING, "")
    assert enqueued == [source.pk]
    assert source.history.latest().history_change_reason == "Fetch retried"


def test_only_a_failed_fetch_of_an_address_is_tried_again(factchecker):
    with pytest.raises(ValidationError, match="no address"):
        services.source_fetch_retry(source=SourceFactory(url="", fetch_status=FetchStatus.FAILED), by=factchecker)
    with pytest.raises(ValidationError, match="fetched already"):
        services.source_fetch_retry(source=SourceFactory(fetch_status=FetchStatus.DONE), by=factchecker)


# --- Citing an address already on file ------------------------------------------------------------


def cite_new(claim, **fields):
    return {"role": "appearance", **{f"new_source-{name}": value for name, value in fields.items()}}


def test_citing_an_address_on_file_with_other_details_shows_the_record_and_saves_nothing(staff, failed_fetch):
    claim = ClaimFactory()
    data = cite_new(claim, url=BARE_URL, title="Iran denies sending drones", publisher="Mehr", date_text="2022-07-18")
    response = staff.post(add_url(claim), data, **HTMX)

    assert response.status_code == 422
    page = response.content.decode()
    assert "Already on file" in page
    assert "cited by 2 claims" in page
    for shown in (BARE_URL, "Iran denies sending drones", "Mehr", "18 July 2022", "date unknown"):
        assert shown in page, shown
    assert 'value="Iran denies sending drones"' in page  # nothing typed is lost
    assert 'name="on_file" value="update"' in page and 'name="on_file" value="keep"' in page
    assert not ClaimSource.objects.filter(claim=claim).exists()


def test_the_record_on_file_is_updated_with_what_was_typed_and_cited(staff, failed_fetch, factchecker):
    claim = ClaimFactory()
    data = cite_new(claim, url=BARE_URL, title="Iran denies sending drones", publisher="Mehr", date_text="2022-07-18")
    response = staff.post(add_url(claim), {**data, "on_file": "update"}, **HTMX)

    assert response.status_code == 200
    source = Source.objects.get(pk=failed_fetch.source_id)
    assert ClaimSource.objects.get(claim=claim).source == source
    assert (source.title, source.publisher, source.date) == (
        "Iran denies sending drones",
        "Mehr",
        datetime.date(2022, 7, 18),
    )
    assert source.history.latest().history_user == factchecker


def test_the_record_on_file_can_be_cited_as_it_is(staff, failed_fetch):
    claim = ClaimFactory()
    data = cite_new(claim, url=BARE_URL, title="Iran denies sending drones")
    response = staff.post(add_url(claim), {**data, "on_file": "keep"}, **HTMX)

    assert response.status_code == 200
    assert ClaimSource.objects.get(claim=claim).source_id == failed_fetch.source_id
    assert Source.objects.get(pk=failed_fetch.source_id).title == BARE_URL


def test_citing_again_after_removing_the_citation_does_not_throw_away_the_title(staff, factchecker):
    cited = ClaimSourceFactory(source=SourceFactory(url=BARE_URL, title=BARE_URL, publisher=""))
    services.claim_item_remove(item=cited, by=factchecker)
    data = cite_new(cited.claim, url=BARE_URL, title="Iran denies sending drones")
    response = staff.post(add_url(cited.claim), data, **HTMX)
    assert response.status_code == 422
    assert "Already on file" in response.content.decode()

    staff.post(add_url(cited.claim), {**data, "on_file": "update"}, **HTMX)
    assert ClaimSource.objects.get(claim=cited.claim).source.title == "Iran denies sending drones"


def test_pasting_an_address_on_file_says_so(staff, failed_fetch):
    claim = ClaimFactory()
    url = reverse("staff:claim-source-url", args=[claim.pk])
    response = staff.post(url, {"url": BARE_URL + "?utm_source=x"}, **HTMX)
    assert response.status_code == 200
    assert f"This address was already on file as “{BARE_URL}”" in response.content.decode()
    assert ClaimSource.objects.get(claim=claim).source_id == failed_fetch.source_id
