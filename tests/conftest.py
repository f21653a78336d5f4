"""Fixtures shared by the whole suite: a fast hasher, a user for each role, a client for a role."""

import sys

import pytest
from django.core.cache import caches
from django.test import Client

from claims.defaults import ensure_defaults
from claims.permissions import ADMINS, FACT_CHECKERS, REVIEWERS
from claims.publishing.cache import local_copies
from tests.factories import UserFactory

# Each role of tests.factories.ROLES, by the fixture that gives its user.
ROLE_FIXTURES = {"anonymous": "anonymous", "factchecker": "factchecker", "reviewer": "reviewer", "admin": "admin_user"}


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def two_factor_not_required(settings):
    """Off, as in `make run`, except in the tests of two-factor itself (they ask for `two_factor_required`)."""
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def two_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture(autouse=True)
def installation_defaults(request):
    """Role groups, the settings row and the rating scales, as migrations leave them.

    A transactional test (browser, worker, concurrency) flushes the database when
    it ends, taking the migrations' rows with it; put them back for every test.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    transactional = transactional or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_defaults()


@pytest.fixture(autouse=True)
def fetched_files_in_a_temporary_folder(settings, tmp_path):
    """Snapshots a test fetches land in its own folder, never in the checkout's var/."""
    settings.FETCHED_FILES_ROOT = tmp_path / "fetched"


@pytest.fixture(autouse=True)
def exports_in_a_temporary_folder(settings, tmp_path):
    """Exports the worker builds land in the test's own folder too."""
    settings.EXPORTS_ROOT = tmp_path / "exports"


@pytest.fixture(autouse=True)
def published_files_in_a_temporary_folder(settings, tmp_path):
    """What the site writes for publication (share cards) lands in the test's own folder too."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with empty caches: no cached public page or page chrome is carried from one test to
    the next."""
    for each in caches.all():
        each.clear()
    local_copies.forget()


@pytest.fixture(autouse=True)
def fresh_process_index():
    """Each test starts like a new process: the matcher's indexes are built from the test's own database.
    (A session that never matched has not imported the matcher: nothing to reset.)"""
    store = sys.modules.get("claims.matching.store")
    if store is not None:
        store.reset_process_index()
    yield
    store = sys.modules.get("claims.matching.store")
    if store is not None:
        store.reset_process_index()


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def factchecker(db):
    return UserFactory(username="factchecker", groups=[FACT_CHECKERS])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", groups=[REVIEWERS])


@pytest.fixture
def admin_user(db):
    """Overrides pytest-django's: an admin as docs/architecture.md ("Roles") has them, superuser and in "admins"."""
    return UserFactory(username="admin", groups=[ADMINS], is_superuser=True, is_staff=True)


@pytest.fixture
def user_for(request):
    """`user_for("reviewer")`: the user of that role (None for anonymous)."""

    def get(role: str):
        return request.getfixturevalue(ROLE_FIXTURES[role])

    return get


@pytest.fixture
def client_for(user_for):
    """`client_for("reviewer")`: a fresh test client signed in as that role (anonymous: not signed in)."""

    def make(role: str, **client_options) -> Client:
        client = Client(**client_options)
        user = user_for(role)
        if user is not None:
            client.force_login(user)
        return client

    return make
