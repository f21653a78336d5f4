"""Queries and time of the staff workspace page at 1 and at 50 of everything.

Run: .venv/bin/python bench/workspace_queries.py
Uses a throwaway SQLite database (FACTCHECK_VAR_DIR in a temporary folder).
Prints one line per size: queries, median milliseconds over 20 requests.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["FACTCHECK_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-workspace-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.factories import (  # noqa: E402
    ClaimFactory,
    ClaimLinkFactory,
    ClaimSourceFactory,
    EvidenceFactory,
    StatementFactory,
    UserFactory,
)

REQUESTS = 20


class QueryCounter(list):
    """A database execute wrapper that keeps the SQL it sees."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def claim_with(count: int):
    claim = ClaimFactory()
    for _ in range(count):
        source = ClaimSourceFactory(claim=claim).source
        StatementFactory(claim=claim, source=source)
        EvidenceFactory(claim=claim, source=source)
        ClaimLinkFactory(from_claim=claim)
    return claim


def main():
    call_command("migrate", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(UserFactory(groups=["fact-checkers"]))
    for count in (1, 50):
        url = reverse("staff:claim", args=[claim_with(count).pk])
        assert client.get(url).status_code == 200  # warm up
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(url)
        timings = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"workspace with {count:>2} of each: {len(queries)} queries, median {statistics.median(timings):.1f} ms")


if __name__ == "__main__":
    main()
