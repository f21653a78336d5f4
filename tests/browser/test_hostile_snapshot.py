"""A fetched page that tries to drive the newsroom through our own htmx, opened by a reviewer: nothing happens.

The hostile page loads /static/js/htmx.min.js (allowed by `script-src 'self'` were it served from our
origin as HTML), fetches the claim's dismiss form to get a CSRF token, and posts it on load. It is
imported through the real pipeline as a source of the claim, and the reviewer opens its snapshot from
the workspace. Served as HTML from our origin (as /media/ did), it dismisses the claim.
"""

import pytest
from playwright.sync_api import expect

from claims import services
from claims.importing import pipeline
from claims.models import Claim, Source, WorkflowEvent
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory, UserFactory
from tests.importing import conftest as importing
from tests.importing.conftest import ARTICLE_PARAGRAPHS, article_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

local_site = importing.local_site
enqueued = importing.enqueued


def hostile_page(claim_id: int) -> str:
    dismiss = f"/staff/claims/{claim_id}/workflow/dismiss/"
    attack = (
        '<script src="/static/js/htmx.min.js"></script>'
        f'<div id="loot" hx-get="{dismiss}" hx-trigger="load" hx-swap="innerHTML"></div>'
        f'<div hx-post="{dismiss}" hx-trigger="htmx:afterSettle from:#loot" hx-include="#loot"'
        ' hx-vals=\'{"reason": "Dismissed by the page", "seen_state": "new"}\'></div>'
    )
    return article_page("Minister denies drone sales", ARTICLE_PARAGRAPHS).replace("</body>", attack + "</body>")


def test_a_hostile_snapshot_opened_by_a_reviewer_changes_nothing(page, reviewer, local_site, enqueued, tmp_path):
    claim = ClaimFactory()
    url = local_site.add("/story", hostile_page(claim.pk))
    services.claim_source_add_by_url(claim=claim, url=url, by=UserFactory(groups=["fact-checkers"]))
    source = pipeline.fetch_source(Source.objects.get(url=url).pk)  # what the worker does
    assert b"hx-post" in source.snapshot.read()
    history_before = claim.history.count()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    log_in(page, reviewer)
    page.goto(f"/staff/claims/{claim.pk}/")
    page.locator("#sources").get_by_role("link", name="saved copy").click()
    expect(page.locator("#source-text")).to_contain_text("had not sold weapons")
    page.get_by_role("link", name="Page source, as text").click()
    page.wait_for_load_state("networkidle")

    assert page.evaluate("document.contentType") == "text/plain"
    expect(page.locator("body")).to_contain_text('<script src="/static/js/htmx.min.js">')
    snapshot_requests = requested[requested.index(page.url) + 1 :]
    assert snapshot_requests == [], "the snapshot made the browser load or send something"
    claim.refresh_from_db()
    assert claim.state == Claim.State.NEW
    assert claim.history.count() == history_before
    assert not WorkflowEvent.objects.filter(claim=claim).exists()
