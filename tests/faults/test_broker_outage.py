"""The broker goes down while the web process enqueues work, and comes back: the reader's request is answered
as usual, the job waits in the outbox, and the worker does it once the broker is back."""

import time

import pytest

from tests.faults.conftest import Browser, wait_until

pytestmark = pytest.mark.faults

TIP = "Is it true that the city council doubled the bus fares overnight without a vote?"
ANOTHER_TIP = "A post says the national library will close for good next month. Is that right?"


def test_a_tip_sent_while_the_broker_is_down_is_matched_once_it_is_back(site):
    base = site.start_web()
    worker = site.start_worker(beat=True)  # beat inside: the outbox relay every second
    site.stack.stop_redis()

    reader = Browser(base)
    started = time.monotonic()
    _url, page = reader.submit("/tips/new/", "/tips/new/", {"text": TIP})
    answered_in = time.monotonic() - started

    assert reader.url.endswith("/tips/thanks/"), page[:2000]
    assert answered_in < 10
    tip = site.value("SELECT id FROM claims_tip WHERE text = %s", TIP)
    assert site.sql("SELECT task, args FROM claims_pendingjob") == [("claims.tasks.match_tip", [tip])]
    assert site.value("SELECT matched_at FROM claims_tip WHERE id = %s", tip) is None

    site.stack.start_redis()  # empty, as a Redis without persistence comes back
    matched = wait_until(lambda: site.value("SELECT matched_at FROM claims_tip WHERE id = %s", tip), seconds=40)

    assert matched, "the tip was not matched after the broker came back"
    assert site.value("SELECT count(*) FROM claims_pendingjob") == 0
    assert site.value("SELECT count(*) FROM claims_tip") == 1
    assert worker.poll() is None, "the worker did not live through the outage"


def test_a_tip_sent_just_after_a_broker_restart_goes_straight_to_the_worker(site):
    """The web process's pooled connection died with the old Redis: the send is tried again on a new one."""
    base = site.start_web()
    site.start_worker()  # no beat: nothing would send a job left in the outbox
    reader = Browser(base)
    reader.submit("/tips/new/", "/tips/new/", {"text": TIP})  # the web processes now hold broker connections
    site.stack.stop_redis()
    site.stack.start_redis()

    reader.submit("/tips/new/", "/tips/new/", {"text": ANOTHER_TIP})

    assert reader.url.endswith("/tips/thanks/")
    assert site.value("SELECT count(*) FROM claims_pendingjob") == 0, "the job went to the outbox, not the broker"
    tip = site.value("SELECT id FROM claims_tip WHERE text = %s", ANOTHER_TIP)
    assert wait_until(lambda: site.value("SELECT matched_at FROM claims_tip WHERE id = %s", tip), seconds=40)
