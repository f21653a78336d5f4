import pytest

from tests.importing.conftest import local_site  # noqa: F401 - a web site of our own on 127.0.0.1


@pytest.fixture
def reads_enqueued(monkeypatch):
    """Stand in for the broker: the ClaimReview sources sent to the worker to be read."""
    from claims import jobs

    sent: list[int] = []
    monkeypatch.setattr(jobs, "enqueue_claimreview_read", sent.append)
    return sent
