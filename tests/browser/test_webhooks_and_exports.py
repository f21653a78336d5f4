"""The admins' Webhooks page and the staff Export page in Chromium, under the site's CSP, axe-clean.

Webhooks: an admin adds a partner's receiver (on 127.0.0.1, checking our signatures) and sees its secret once,
sends it a test event and sees the delivery with the receiver's answer, sees why a receiver that answered
410 Gone was paused, resumes it and pauses it by hand. Export: a fact-checker asks for a CSV, sees it
waiting, sees it turn ready while the page polls, downloads it, and a formula in a claim arrives as text.

The browser tests run no worker: where the worker would act, the test calls the same importable function
(`webhooks.deliver`, `exports.build_export`); tests/integration runs them in a real worker.
"""

import csv
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from claims import exports, jobs, webhooks
from claims.models import Export, WebhookDelivery, WebhookSubscription
from tests.browser.conftest import log_in
from tests.browser.test_public import BLOCKING_IMPACTS
from tests.factories import ClaimFactory, EvidenceFactory
from tests.integration.test_webhooks_worker import PartnerReceiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(settings):
    """A partner's endpoint on 127.0.0.1 that verifies each delivery with the secret it was given."""
    settings.FETCH_ALLOW_LOOPBACK = True
    partner = PartnerReceiver()
    partner.thread.start()
    yield partner
    partner.server.shutdown()
    partner.server.server_close()


@pytest.fixture
def sent_to_the_worker(monkeypatch):
    """No broker: what would be sent to the worker is kept here for the test to run."""
    sent = {"deliveries": [], "exports": []}
    monkeypatch.setattr(jobs, "enqueue_webhook_deliveries", sent["deliveries"].extend)
    monkeypatch.setattr(jobs, "enqueue_export", sent["exports"].append)
    return sent


def assert_axe_clean(page) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, results.generate_report()


def deliver_what_was_sent(sent) -> None:
    """What the worker does with each delivery it is sent."""
    while sent["deliveries"]:
        webhooks.deliver(sent["deliveries"].pop(0))


def test_an_admin_subscribes_a_partner_sends_a_test_event_and_sees_the_answer_and_why_it_was_paused(
    page, admin_user, receiver, sent_to_the_worker
):
    log_in(page, admin_user)
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks", level=1)).to_be_visible()
    assert_axe_clean(page)

    page.get_by_label("Partner").fill("Partner newsroom")
    page.get_by_label("Address").fill(receiver.url("/hooks"))
    page.get_by_role("button", name="Add and show its secret").click()

    expect(page).to_have_url(re.compile(r"/staff/webhooks/created/$"))  # a page of its own, not a swap
    expect(page.get_by_role("heading", name="The secret for Partner newsroom")).to_be_visible()
    secret = page.locator("code.secret").inner_text()
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/=]{40,}", secret)
    assert secret == WebhookSubscription.objects.get().secret
    assert_axe_clean(page)
    receiver.secret = secret  # the admin gives it to the partner

    page.reload()  # shown once: not again
    expect(page.get_by_text("A subscription's secret is shown only once.")).to_be_visible()
    assert secret not in page.content()
    page.get_by_role("link", name="Partner newsroom").click()
    assert secret not in page.content()

    page.get_by_role("button", name="Send a test event").click()
    expect(page.get_by_text("A test event is on its way")).to_be_visible()
    deliveries = page.locator("#deliveries")
    expect(deliveries).to_contain_text("webhook.test")
    expect(deliveries).to_contain_text("Waiting")
    deliver_what_was_sent(sent_to_the_worker)
    page.evaluate("window.stillTheSamePage = true")
    deliveries.get_by_role("link", name="Refresh").click()  # htmx: the deliveries only
    expect(deliveries).to_contain_text("Delivered")
    expect(deliveries).to_contain_text("HTTP 200")
    deliveries.get_by_text("Answer", exact=True).click()
    expect(deliveries.locator("pre")).to_have_text("thanks")
    assert page.evaluate("window.stillTheSamePage") is True, "Refresh reloaded the page"
    assert [request["verified"] for request in receiver.received] == [True], "the partner verified our signature"
    assert_axe_clean(page)

    receiver.answers = [410]  # the partner takes the address down
    page.get_by_role("button", name="Send a test event").click()
    deliver_what_was_sent(sent_to_the_worker)
    page.reload()
    expect(page.locator(".facts")).to_contain_text("paused: nothing is sent")
    expect(page.locator(".paused-reason")).to_contain_text("The receiver answered 410 Gone")
    expect(page.get_by_role("button", name="Send a test event")).to_be_disabled()
    expect(deliveries.locator("tbody tr").first).to_contain_text("Failed")
    expect(deliveries.locator("tbody tr").first).to_contain_text("HTTP 410")
    assert_axe_clean(page)
    page.get_by_role("link", name="Webhooks").first.click()
    expect(page.locator("table")).to_contain_text("The receiver answered 410 Gone")

    page.get_by_role("link", name="Partner newsroom").click()
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_text("Resumed: events are sent to it again.")).to_be_visible()
    expect(page.locator(".paused-reason")).to_have_count(0)
    page.get_by_role("button", name="Pause").click()
    expect(page.locator(".paused-reason")).to_have_text("Paused by admin.")
    assert WebhookDelivery.objects.filter(status="failed").count() == 1
    assert len(receiver.received) == 2, "nothing was sent after the 410"
    assert page.console_errors == []


def test_a_fact_checker_builds_a_csv_export_watches_it_become_ready_and_downloads_it(
    page, factchecker, sent_to_the_worker, tmp_path
):
    formula = '=HYPERLINK("http://evil.invalid","Click")'
    ClaimFactory(text=formula)
    EvidenceFactory(claim=ClaimFactory(text="Iran has supplied drones to Russia."), internal_note="Sam's source")
    log_in(page, factchecker)
    page.get_by_role("link", name="Export", exact=True).click()
    expect(page.get_by_role("heading", name="Export the claims")).to_be_visible()
    expect(page.get_by_label("CSV (a spreadsheet)")).to_be_checked()
    assert_axe_clean(page)

    page.get_by_role("button", name="Build the export").click()

    export = Export.objects.get()
    expect(page).to_have_url(re.compile(rf"/staff/exports/{export.pk}/$"))
    status = page.locator("#export-status")
    expect(status.locator(".badge")).to_have_text("Waiting")
    expect(status).to_have_attribute("hx-trigger", "every 2s")
    assert_axe_clean(page)
    assert sent_to_the_worker["exports"] == [export.pk]

    exports.build_export(export.pk)  # what the worker does; the page, polling, sees it ready

    expect(status.locator(".badge")).to_have_text("Ready", timeout=10_000)
    expect(page.locator("#export-status")).not_to_have_attribute("hx-trigger", "every 2s")  # polling stopped
    link = page.get_by_role("link", name="Download CSV (a spreadsheet): 2 claims")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert re.fullmatch(rf"claims-export-{export.pk}-\d{{4}}-\d{{2}}-\d{{2}}\.csv", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf"), "a byte order mark, so spreadsheets read UTF-8"
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert {row["claim"] for row in rows} == {"'" + formula, "Iran has supplied drones to Russia."}
    assert "Sam's source" not in content.decode("utf-8-sig"), "a fact-checker's export holds no internal notes"
    assert_axe_clean(page)
    assert page.console_errors == []
