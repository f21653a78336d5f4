import pytest

from claims.matching import store


@pytest.fixture(autouse=True)
def fresh_process_index():
    """Each test starts like a new process: its own index, built from the test's database."""
    store.reset_process_index()
    yield
    store.reset_process_index()
