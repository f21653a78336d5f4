"""PostgreSQL restarts while a worker is in the middle of a feed poll: the poll fails cleanly (nothing half
stored), the worker retries it on a new connection, every article is imported once, and the run says so."""

import pytest

from tests.faults.conftest import START_A_POLL, HeldPage, wait_until
from tests.importing.conftest import rss

pytestmark = pytest.mark.faults

ITEMS = 5


def test_a_poll_cut_by_a_database_restart_is_retried_and_imports_each_article_once(site, local_site):
    items = [{"guid": f"r{n}", "link": f"/restart/{n}", "title": f"Item {n}"} for n in range(ITEMS)]
    feed_page = HeldPage(rss(items))
    local_site.add("/feed.xml", content_type="application/rss+xml", chunks=feed_page.chunks)
    worker = site.start_worker()
    ids = site.django(START_A_POLL, url=local_site.url("/feed.xml"))

    assert feed_page.arrived.wait(30), "the worker never started the poll"
    site.stack.restart_postgres()  # every connection is cut, the worker's too
    feed_page.released.set()  # the worker now stores what it read, on a connection that is gone

    run_state = "SELECT status, items_new, items_duplicate, error FROM claims_importrun WHERE id = %s"
    finished = wait_until(lambda: site.sql(run_state, ids["run"])[0][0] not in ("pending", "running"))

    assert finished, "the poll was not retried"
    assert site.sql(run_state, ids["run"]) == [("succeeded", ITEMS, 0, "")]
    assert feed_page.requests == 2  # the poll cut by the restart, and its retry
    assert "Retry in" in site.log("worker")
    assert site.value("SELECT count(*) FROM claims_feedentry WHERE feed_id = %s", ids["feed"]) == ITEMS
    assert site.value("SELECT count(*) FROM claims_source") == ITEMS
    assert site.value("SELECT count(*) FROM claims_importrun WHERE feed_id = %s", ids["feed"]) == 1
    feed = "SELECT consecutive_failures, last_error FROM claims_feed WHERE id = %s"
    assert site.sql(feed, ids["feed"]) == [(0, "")]  # a restart is not the feed's failure
    assert worker.poll() is None
