"""Public pages benchmark: queries and time per request, rendered and from the shared cache.

Prints, for a claim page with 1 and with 200 statements (each statement with its own
source) and for the home page over 100 published claims:

- the SQL queries one anonymous request runs when the page is rendered, and when it is
  served from the shared cache;
- the median time of a rendered request and of a cached one (Django's test client, no
  network; DEBUG off).

It runs against a throwaway database (Django's test database for DATABASE_URL, created
and dropped here) and a local-memory cache; nothing outside this process is contacted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck .venv/bin/python bench/public_pages.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ["CACHE_URL"] = "locmem://"
os.environ["CELERY_BROKER_URL"] = "memory://"

import warnings

import django

django.setup()
# WhiteNoise looks for collected static files, which a benchmark does not need.
warnings.filterwarnings("ignore", message="No directory at")

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from claims.defaults import ensure_defaults  # noqa: E402
from tests.factories import ClaimFactory, ClaimSourceFactory, StatementFactory  # noqa: E402
from tests.publishing import publish  # noqa: E402

ROUNDS = 30


def claim_with_statements(count: int) -> str:
    claim = ClaimFactory()
    ClaimSourceFactory(claim=claim)
    StatementFactory.create_batch(count, claim=claim)
    return publish(claim).claim.slug


def measure(client: Client, url: str) -> dict:
    """Queries and median milliseconds, rendered (cache emptied each time) and cached."""
    figures = {}
    for label, empty_first in (("rendered", True), ("cached", False)):
        timings, queries = [], 0
        client.get(url)  # warm up (and fill the cache)
        for _ in range(ROUNDS):
            if empty_first:
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(captured)
        figures[label] = (queries, statistics.median(timings))
    return figures


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            ensure_defaults()
            pages = {
                "claim page, 1 statement": reverse("claim", args=[claim_with_statements(1)]),
                "claim page, 200 statements": reverse("claim", args=[claim_with_statements(200)]),
            }
            for _ in range(98):
                publish()
            pages["home page, 100 claims"] = reverse("home")
            client = Client()
            print(f"{'page':<28} {'rendered':>22} {'from the cache':>22}")
            for name, url in pages.items():
                figures = measure(client, url)
                (rendered_queries, rendered_ms), (cached_queries, cached_ms) = figures["rendered"], figures["cached"]
                print(
                    f"{name:<28} {rendered_queries:>3} queries {rendered_ms:>6.1f} ms"
                    f" {cached_queries:>5} queries {cached_ms:>6.1f} ms"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
