"""The whole worker process is killed (SIGKILL) in the middle of a feed poll: Celery hands the message,
never acknowledged, to the next worker once the visibility timeout has passed, and that worker does the poll,
once. Nobody calls anything again by hand."""

import pytest

from tests.faults.conftest import START_A_POLL, VISIBILITY_TIMEOUT, HeldPage, wait_until
from tests.importing.conftest import rss

pytestmark = pytest.mark.faults

ITEMS = 5


def test_a_poll_whose_worker_was_killed_is_redelivered_and_done_once(site, local_site):
    items = [{"guid": f"k{n}", "link": f"/killed/{n}", "title": f"Item {n}"} for n in range(ITEMS)]
    feed_page = HeldPage(rss(items))
    local_site.add("/feed.xml", content_type="application/rss+xml", chunks=feed_page.chunks)
    first_worker = site.start_worker("first")
    ids = site.django(START_A_POLL, url=local_site.url("/feed.xml"))

    assert feed_page.arrived.wait(30), "the worker never started the poll"
    site.stack.kill(first_worker)  # the main process and its pool, in the middle of the fetch
    feed_page.released.set()
    run_state = "SELECT status, items_new, items_duplicate, error FROM claims_importrun WHERE id = %s"
    assert site.sql(run_state, ids["run"]) == [("running", 0, 0, "")]  # as the killed worker left it

    site.start_worker("second")
    finished = wait_until(
        lambda: site.value("SELECT status FROM claims_importrun WHERE id = %s", ids["run"]) != "running"
    )

    assert finished, "the poll was not redelivered to the second worker"
    assert site.sql(run_state, ids["run"]) == [("succeeded", ITEMS, 0, "")]
    sources = "SELECT count(*) FROM claims_feedentry WHERE feed_id = %s"
    assert site.value(sources, ids["feed"]) == ITEMS
    assert site.value("SELECT count(DISTINCT source_id) FROM claims_feedentry WHERE feed_id = %s", ids["feed"]) == ITEMS
    # Once: no second run, and the message is not handed out again after another visibility timeout.
    wait_until(lambda: False, seconds=VISIBILITY_TIMEOUT + 2)
    assert site.value("SELECT count(*) FROM claims_importrun WHERE feed_id = %s", ids["feed"]) == 1
    assert feed_page.requests == 2  # the killed worker's and the second worker's
    assert site.value("SELECT count(*) FROM claims_source") == ITEMS
