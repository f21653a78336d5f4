"""The signed-in user and their roles are read together, and afresh on every request."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.permissions import REVIEWERS

pytestmark = pytest.mark.django_db


def test_a_staff_page_reads_the_user_with_their_roles_in_one_query(reviewer):
    client = Client()
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("staff:alerts-count")).status_code == 200
    reads = [query["sql"] for query in captured if "claims_user" in query["sql"]]
    assert len(reads) == 1 and "auth_group" in reads[0], reads


def test_a_role_taken_away_is_gone_at_the_next_request(reviewer, client_for):
    client = client_for("reviewer")
    assert client.get(reverse("staff:home")).status_code == 200
    reviewer.groups.remove(reviewer.groups.get(name=REVIEWERS))
    assert client.get(reverse("staff:home")).status_code == 403


def test_a_session_signed_in_before_the_backend_changed_stays_signed_in(reviewer):
    client = Client()
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("staff:home")).status_code == 200
