"""Fixtures the integration tests share with the unit tests of the same feature."""

from tests.importing.conftest import enqueued, local_site  # noqa: F401 - the import tests' local site and broker stand-in
