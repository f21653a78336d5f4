"""People in the browser: an admin invites a reviewer, who joins through the link; the admin then
changes their role and deactivates them, handing their claim to someone else."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim, User
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def test_an_admin_invites_a_reviewer_who_joins_then_changes_their_role_and_deactivates_them(
    page, browser, live_server, settings, admin_user, factchecker
):
    settings.SITE_URL = live_server.url  # the address the invitation link is written with
    log_in(page, admin_user)

    page.get_by_role("link", name="People").click()
    expect(page).to_have_url(re.compile(r"/staff/people/$"))
    invite_form = page.locator("#invite-form")
    invite_form.get_by_label("Email address").fill("nasrin@example.invalid")
    invite_form.get_by_label("Role").select_option(label="Reviewer")
    page.get_by_role("button", name="Send the invitation").click()
    message = page.locator("#people .messages")
    expect(message).to_contain_text("give them this link")
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", message.inner_text()).group(0)
    expect(page.locator("#people tbody")).to_contain_text("invited")

    # The invitee, in a browser of their own.
    invitee_context = browser.new_context()
    invitee = invitee_context.new_page()
    invitee.goto(link)
    expect(invitee.get_by_label("Username")).to_have_value("nasrin")
    invitee.get_by_label(re.compile(r"^Password:?$")).fill(NEW_PASSWORD)
    invitee.get_by_label("Password again").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Set my password and sign in").click()
    expect(invitee).to_have_url(re.compile(r"/staff/$"))
    expect(invitee.locator(".messages")).to_contain_text("Welcome, nasrin")
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    invitee_context.close()

    nasrin = User.objects.get(username="nasrin")
    assert nasrin.is_active
    page.reload()
    row = page.locator(f"#person-{nasrin.pk}")
    expect(row).to_contain_text("active")

    # A role changed in place.
    row.get_by_label("Role of nasrin").select_option(label="Fact-checker")
    row.get_by_role("button", name="Change role").click()
    expect(page.locator("#people .messages")).to_contain_text("nasrin is now fact-checker")

    # Deactivated, their claim handed on.
    claim = ClaimFactory(assignee=nasrin, state="researching")
    page.locator(f"#person-{nasrin.pk}").get_by_role("link", name="Deactivate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deactivate")
    page.get_by_label("Who takes over their claims").select_option(label=factchecker.username)
    page.get_by_role("button", name="Deactivate").click()
    expect(page).to_have_url(re.compile(r"/staff/people/$"))
    expect(page.locator(".messages")).to_contain_text("nasrin is deactivated")
    expect(page.locator(f"#person-{nasrin.pk}")).to_contain_text("deactivated")
    assert Claim.objects.get(pk=claim.pk).assignee == factchecker
    assert page.console_errors == []
