"""Two people do the same thing at the same moment, over HTTP, in two web processes on two connections to the
throwaway PostgreSQL: two reviewers publish the same verdict; a reader's tip form is sent twice (a double
click). One publication and one tip; whoever came second is answered as a person expects."""

import html
import threading
import urllib.parse

import pytest

from deploy.smoke import FormParser
from tests.faults.conftest import Browser

pytestmark = pytest.mark.faults

PASSWORD = "fault tests pass phrase, long enough"
A_CLAIM_IN_REVIEW = """
from claims.permissions import FACT_CHECKERS, REVIEWERS
from tests.claims.test_workflow import in_review
from tests.factories import ClaimFactory, UserFactory
author = UserFactory(username="farah", groups=[FACT_CHECKERS])
for name in ("reza", "sara"):
    reviewer = UserFactory(username=name, groups=[REVIEWERS])
    reviewer.set_password(ARGS["password"])
    reviewer.save()
verdict = in_review(ClaimFactory(), author)
result({"claim": verdict.claim_id, "verdict": verdict.pk})
"""


def filled_form(browser: Browser, page_path: str, action: str, values: dict[str, str]) -> tuple[str, list]:
    """What sending the form on `page_path` whose action contains `action` would post: (address, fields)."""
    parser = FormParser()
    parser.feed(browser.get(page_path))
    form = next(form for form in parser.forms if action in html.unescape(form.action))
    fields = [(name, value) for name, value in form.fields if name not in values] + list(values.items())
    return urllib.parse.urljoin(browser.url, html.unescape(form.action) or browser.url), fields


def at_once(*sendings) -> list[tuple[int, str, str]]:
    """Each (browser, address, fields) posted from its own thread, released together: (status, final URL, page)."""
    barrier = threading.Barrier(len(sendings))
    answers: list = [None] * len(sendings)

    def send(index, browser, address, fields):
        barrier.wait(timeout=10)
        answers[index] = browser.request(address, fields)

    threads = [threading.Thread(target=send, args=(i, *sending)) for i, sending in enumerate(sendings)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_two_reviewers_publishing_at_once_publish_once_and_the_second_is_told(site):
    base = site.start_web()
    ids = site.django(A_CLAIM_IN_REVIEW, password=PASSWORD)
    workspace = f"/staff/claims/{ids['claim']}/"
    sendings = []
    for name in ("reza", "sara"):
        reviewer = Browser(base)
        reviewer.submit("/accounts/login/", "/accounts/login/", {"username": name, "password": PASSWORD})
        review = reviewer.get(f"{workspace}review/")
        publish = html.unescape(_publish_link(review))  # the review screen's Publish, with the version read
        sendings.append((reviewer, *filled_form(reviewer, publish, "/workflow/publish/", {})))

    answers = at_once(*sendings)

    assert [status for status, _url, _page in answers] == [200, 200]
    pages = [html.unescape(page) for _status, _url, page in answers]
    told = [page for page in pages if "Nothing was changed by your action" in page]
    assert len(told) == 1, "exactly one reviewer is told that someone else published first"
    assert "it was changed by reza" in told[0] or "it was changed by sara" in told[0]
    events = "SELECT count(*) FROM claims_workflowevent WHERE verdict_id = %s AND action = 'publish'"
    assert site.value(events, ids["verdict"]) == 1
    assert site.value("SELECT state FROM claims_verdict WHERE id = %s", ids["verdict"]) == "published"
    assert site.value("SELECT count(*) FROM claims_verdict WHERE claim_id = %s", ids["claim"]) == 1


def _publish_link(review_page: str) -> str:
    start = review_page.index("/workflow/publish/")
    return review_page[review_page.rindex('"', 0, start) + 1 : review_page.index('"', start)]


def test_a_tip_form_sent_twice_at_once_makes_one_tip_and_both_sendings_are_thanked(site):
    base = site.start_web()
    reader = Browser(base)
    text = "A video says the river dam will be opened tonight and the old town flooded. Is it true?"
    address, fields = filled_form(reader, "/tips/new/", "/tips/new/", {"text": text})

    answers = at_once((reader, address, fields), (reader, address, fields))

    assert [(status, url.endswith("/tips/thanks/")) for status, url, _page in answers] == [(200, True), (200, True)]
    assert site.value("SELECT count(*) FROM claims_tip WHERE text = %s", text) == 1
    assert site.value("SELECT count(*) FROM claims_tipgroup") == 1
