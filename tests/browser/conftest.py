"""Playwright with Debian's Chromium (never a downloaded browser), against pytest-django's live_server."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses to run
    in a thread with a running loop unless told it is safe (it is: the loop only drives the browser).
    Scoped to the browser modules so other tests keep the check."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(allow_orm_beside_playwright):
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context; what the console reports is collected in page.console_errors."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def submit_login(page, username: str, password: str = PASSWORD) -> None:
    """Send the login form, whatever it answers (a wrong password, a lockout, the second step)."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_in(page, user) -> None:
    """Sign `user` in (no second step asked) and wait for the newsroom's dashboard."""
    submit_login(page, user.username)
    expect(page).to_have_url(re.compile(r"/staff/$"))


@pytest.fixture
def open_as(browser, live_server):
    """`open_as(user)`: a page in a browser of its own, signed in as `user` (two people at once)."""
    contexts = []

    def open_page(user):
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        log_in(page, user)
        return page

    yield open_page
    for context in contexts:
        context.close()
