"""Signing in as a person does: a lockout after wrong passwords, a reset by email, two-factor set-up and use."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import submit_login
from tests.claims.test_two_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_passwords_lock_the_login_with_a_page_that_says_how_long(page, reviewer, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        submit_login(page, "reviewer", "not-the-password")
        expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    submit_login(page, "reviewer", "not-the-password")
    expect(page.get_by_role("heading", name="Too many attempts")).to_be_visible()
    expect(page.get_by_text("Try again in 15 minutes")).to_be_visible()
    submit_login(page, "reviewer")  # the right password waits too
    expect(page.get_by_role("heading", name="Too many attempts")).to_be_visible()
    assert [error for error in page.console_errors if "429 (Too Many Requests)" not in error] == []


def test_a_forgotten_password_is_reset_by_email(page, factchecker, settings, live_server):
    settings.SITE_URL = live_server.url
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(factchecker.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_label("New password:", exact=True).fill("a brand new passphrase")
    page.get_by_label("New password confirmation").fill("a brand new passphrase")
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()

    page.goto(link)
    expect(page.get_by_text("This link does not work any more")).to_be_visible()
    submit_login(page, factchecker.username, "a brand new passphrase")
    expect(page).to_have_url(re.compile(r"/staff/$"))
    assert page.console_errors == []


def test_a_reviewer_sets_up_two_factor_then_signs_in_with_a_code_and_with_a_recovery_code(
    page, reviewer, two_factor_required
):
    submit_login(page, "reviewer")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    qr_code = page.get_by_role("img", name="QR code holding the secret shown below")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.naturalWidth") > 0, "the QR code did not render"
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Name this authenticator").fill("Work phone")
    page.get_by_label("The six-digit code the app shows").fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them, continue").click()
    page.get_by_role("link", name="My account").click()
    expect(page.get_by_text("Work phone")).to_be_visible()
    expect(page.get_by_text("10 recovery codes left")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    submit_login(page, "reviewer")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill(code_for(secret, steps_ahead=1))  # the next step: the set-up used this one
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Newsroom dashboard")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    submit_login(page, "reviewer")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Newsroom dashboard")).to_be_visible()
    page.get_by_role("link", name="My account").click()
    expect(page.get_by_text("9 recovery codes left")).to_be_visible()
    page.screenshot(path="/tmp/auth-account.png", full_page=True)  # noqa: S108
    assert page.console_errors == []
