import pytest

from claims.matching import store


@pytest.fixture(autouse=True)
def fresh_process_index():
    """Each test starts like a new process: its own index, built from the test's database."""
    store.reset_process_index()
    yield
    store.reset_process_index()


@pytest.fixture
def enqueued(monkeypatch):
    """Stand in for the broker: the tips and claims the worker would have been sent."""
    from claims import jobs

    sent: dict[str, list[int]] = {"matching": [], "telling": []}
    monkeypatch.setattr(jobs, "enqueue_tip_matching", sent["matching"].append)
    monkeypatch.setattr(jobs, "enqueue_telling_tip_senders", sent["telling"].append)
    return sent
