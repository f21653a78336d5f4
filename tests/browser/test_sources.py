"""A fact-checker corrects a source whose fetch failed, and cites an address already on file, in the browser."""

import re

import pytest
from playwright.sync_api import expect

from claims import jobs
from claims.models import FetchStatus, Source
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory, ClaimSourceFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BARE_URL = "https://news.example/2022/07/drones"


@pytest.fixture
def fetches(monkeypatch):
    """The fetch job stands in for the broker: what would have been sent to the worker."""
    sent = []
    monkeypatch.setattr(jobs, "enqueue_fetch", sent.append)
    return sent


def open_workspace(page, claim_id):
    """The workspace, once its "possibly related" region has loaded (the matcher is done with the page)."""
    page.goto(f"/staff/claims/{claim_id}/")
    expect(page.locator("#related-items")).to_contain_text("Claims on file", timeout=30_000)


@pytest.fixture
def failed_fetch():
    source = SourceFactory(url=BARE_URL, title=BARE_URL, publisher="", fetch_status=FetchStatus.FAILED)
    source.fetch_error = "The site did not answer in time."
    source.save()
    ClaimSourceFactory(source=source)
    return ClaimSourceFactory(source=source)


def test_a_fact_checker_corrects_a_source_whose_fetch_failed_and_fetches_it_again(
    page, factchecker, failed_fetch, fetches
):
    log_in(page, factchecker)
    open_workspace(page, failed_fetch.claim_id)
    sources = page.locator("#sources")
    expect(sources).to_contain_text("fetch failed")
    expect(sources).to_contain_text("publisher unknown")
    expect(sources.get_by_role("link", name="cited by 2 claims")).to_be_visible()

    sources.get_by_role("link", name="Edit").click()
    expect(sources).to_contain_text("Cited by 2 claims: a change here shows on each of them.")
    page.locator("#id_source-title").fill("Iran denies sending drones to Russia")
    page.locator("#id_source-publisher").fill("Mehr News Agency")
    page.locator("#id_source-date_text").fill("2022-07")
    page.locator("#id_source-language").fill("en")
    page.locator("#id_source-archive_url").fill("https://web.archive.org/web/2022/" + BARE_URL)
    sources.get_by_role("button", name="Save").click()

    title = sources.get_by_role("link", name="Iran denies sending drones to Russia")
    expect(title).to_be_visible()
    expect(sources).to_contain_text("Mehr News Agency · July 2022")
    expect(sources.get_by_role("link", name="archived copy")).to_be_visible()

    sources.get_by_role("button", name="Fetch again").click()
    expect(sources.get_by_role("status")).to_have_text("fetching…")
    assert fetches == [failed_fetch.source_id]
    source = Source.objects.get(pk=failed_fetch.source_id)
    assert (source.title, source.fetch_status) == ("Iran denies sending drones to Russia", FetchStatus.PENDING)
    assert page.console_errors == []


def test_citing_an_address_on_file_shows_the_record_and_keeps_what_was_typed(page, factchecker, failed_fetch):
    claim = ClaimFactory(text="Iran has supplied drones to Russia.")
    log_in(page, factchecker)
    open_workspace(page, claim.pk)
    sources = page.locator("#sources")
    expect(sources.locator(".empty")).to_have_text(re.compile("^No sources cited yet"))
    expect(sources.locator("ol")).to_have_count(0)  # not "1. No sources cited yet"

    sources.get_by_role("link", name="Cite a source").click()
    page.locator("#id_new_source-url").fill(BARE_URL)
    page.locator("#id_new_source-title").fill("Iran denies sending drones")
    page.locator("#id_new_source-publisher").fill("Mehr")
    sources.get_by_role("button", name="Save").click()

    on_file = sources.locator(".source-on-file")
    expect(on_file).to_contain_text("Already on file")
    expect(on_file).to_contain_text("cited by 2 claims")
    expect(on_file.get_by_role("row", name=re.compile("^Title"))).to_contain_text(BARE_URL)
    expect(on_file.get_by_role("row", name=re.compile("^Title"))).to_contain_text("Iran denies sending drones")
    expect(page.locator("#id_new_source-title")).to_have_value("Iran denies sending drones")

    sources.get_by_role("button", name="Update it with what I typed, and cite it").click()
    expect(sources.get_by_role("link", name="Iran denies sending drones")).to_be_visible()
    expect(sources).to_contain_text("Mehr")
    assert Source.objects.get(pk=failed_fetch.source_id).title == "Iran denies sending drones"
    assert Source.objects.count() == 1


def test_a_fact_checker_logs_a_claim_assigned_to_themselves(page, factchecker):
    log_in(page, factchecker)
    page.get_by_role("link", name="New claim").click()
    expect(page.get_by_label("Assign it to me")).to_be_checked()
    page.get_by_label("Text").fill("Iran has supplied drones to Russia for use in the war in Ukraine.")
    page.get_by_role("button", name="Log the claim").click()
    expect(page).to_have_url(re.compile(r"/staff/claims/\d+/$"))
    expect(page.locator("#related-items")).to_contain_text("Claims on file", timeout=30_000)
    expect(page.locator("#id_assignee")).to_have_value(str(factchecker.pk))

    page.goto("/staff/")
    assigned = page.locator(".my-work section").filter(
        has=page.get_by_role("heading", name=re.compile("^Assigned to me"))
    )
    expect(assigned).to_contain_text("Iran has supplied drones to Russia")
