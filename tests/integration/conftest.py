"""Fixtures the integration tests share with the unit tests of the same feature."""

from tests.importing.conftest import local_site  # noqa: F401 - the local web site the import tests serve
