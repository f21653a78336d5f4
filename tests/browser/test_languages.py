"""The public claim page and the workspace in Persian (right to left) and Spanish, in Chromium: the whole
layout mirrors with a right-to-left language and only then, a quote keeps its own direction inside a page
of the other, no console error, and axe-core finds no serious or critical problem. The catalogues may
still await translation: direction and layout do not depend on them."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from claims.models import SiteSettings
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory, StatementFactory
from tests.publishing import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}
DIRECTION = {"fa": "rtl", "es": "ltr"}


def claim_with_quotes():
    claim = ClaimFactory(text="Iran sent 400 drones to Russia in 2023.")
    StatementFactory(claim=claim, quote="We sent no drones.", quote_language="en")
    StatementFactory(claim=claim, quote="ما هیچ پهپادی نفرستادیم.", quote_language="fa")
    publish(claim)
    return claim


def set_site_language(code: str) -> None:
    site = SiteSettings.load()
    site.language = code
    site.save()


def computed(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(f"(element) => getComputedStyle(element).{prop}")


def assert_layout(page, language: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == DIRECTION[language]
    width = page.viewport_size["width"]
    brand = page.locator(".brand").bounding_box()
    if DIRECTION[language] == "rtl":
        assert brand["x"] > width / 2  # the newsroom's name starts on the right
    else:
        assert brand["x"] + brand["width"] < width / 2


def assert_accessible_and_quiet(page) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, results.generate_report()
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["fa", "es"])
def test_the_public_claim_page_in_the_sites_language(page, language):
    set_site_language(language)
    claim = claim_with_quotes()
    page.goto(reverse("claim", args=[claim.slug]))
    assert_layout(page, language)
    # The verdict's coloured rule is on the side the text starts from.
    side = "Right" if DIRECTION[language] == "rtl" else "Left"
    assert computed(page, ".verdict-box", f"border{side}Width") == "8px"
    # Each quote in its own direction, whichever way the page runs.
    assert computed(page, 'blockquote[lang="en"]', "direction") == "ltr"
    assert computed(page, 'blockquote[lang="fa"]', "direction") == "rtl"
    assert_accessible_and_quiet(page)


@pytest.mark.parametrize("language", ["fa", "es"])
def test_the_workspace_in_the_staff_members_language(page, factchecker, language):
    factchecker.language = language
    factchecker.save()
    claim = ClaimFactory(text="Iran sent 400 drones to Russia in 2023.")
    StatementFactory(claim=claim, quote="ما هیچ پهپادی نفرستادیم.", quote_language="fa")
    log_in(page, factchecker)
    page.goto(reverse("staff:claim", args=[claim.pk]))
    # The regions htmx fetches on load (look-alike claims load the matcher) have answered.
    page.wait_for_load_state("networkidle")
    assert_layout(page, language)
    nav = page.locator(".main-nav a").first.bounding_box()
    width = page.viewport_size["width"]
    assert (nav["x"] > width / 2) == (DIRECTION[language] == "rtl")  # the navigation runs from the start side
    assert_accessible_and_quiet(page)
