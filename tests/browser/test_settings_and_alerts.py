"""An admin sets the newsroom up on the Settings page; a reviewer finds what waits for them under the bell."""

import re

import pytest
from playwright.sync_api import expect

from claims import alerts
from claims.models import SiteSettings, WorkflowEvent
from tests.browser.conftest import log_in
from tests.claims.test_workflow import in_review
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_sets_the_name_and_time_zone_and_the_public_site_shows_the_name(page, admin_user):
    log_in(page, admin_user)
    page.locator("nav").get_by_role("link", name="Settings").click()
    expect(page).to_have_url(re.compile(r"/staff/settings/$"))

    time_zone = page.get_by_label("Time zone")
    expect(time_zone).to_have_attribute("list", "time-zones")
    time_zone.fill("Mars/Olympus")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-form .field-errors")).to_contain_text("Choose a time zone from the list")
    expect(page.get_by_label("Time zone")).to_have_value("Mars/Olympus")  # what was typed is kept

    page.get_by_label("Newsroom's name").fill("Factnameh Desk")
    page.get_by_label("Time zone").fill("Asia/Tehran")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-form [role=status]")).to_contain_text("Settings saved")
    assert SiteSettings.load().time_zone == "Asia/Tehran"

    page.goto("/about/")
    expect(page.locator("body")).to_contain_text("Factnameh Desk")
    assert [error for error in page.console_errors if "422 (Unprocessable Entity)" not in error] == []


def test_a_reviewer_sees_the_bells_count_opens_the_list_and_marks_it_read(page, factchecker, reviewer):
    claim = ClaimFactory(text="Iran sent drones to Russia.")
    in_review(claim, factchecker)
    alerts.alert_event(WorkflowEvent.objects.get(action="submit").pk)  # the worker's job

    log_in(page, reviewer)
    bell = page.locator("nav").get_by_role("link", name=re.compile("Notifications"))
    expect(bell).to_contain_text("1 unread")
    bell.click()
    item = page.locator(".alert-item")
    expect(item).to_contain_text("Ready for review: Iran sent drones to Russia.")
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator("#alert-list h2")).to_contain_text("0 unread")
    expect(bell).not_to_contain_text("unread")

    page.get_by_role("link", name="Ready for review: Iran sent drones to Russia.").click()
    expect(page).to_have_url(re.compile(rf"/staff/claims/{claim.pk}/review/$"))
    assert page.console_errors == []
