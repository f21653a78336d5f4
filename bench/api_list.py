"""API list benchmark: queries and time per request of the public claim list (`GET /api/v1/claims`).

Prints, over 300 published claims (each with a few statements and sources), for the first page,
a page reached by its cursor, a page of 100, a full-text query and the Fact Check Tools-shaped
search: the SQL queries one anonymous request runs, and the median time (Django's test client, no
network; DEBUG off); and the same for a conditional GET answered 304.

It runs against a throwaway database (Django's test database for DATABASE_URL, created and dropped
here) and a local-memory cache; nothing outside this process is contacted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck .venv/bin/python bench/api_list.py
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
os.environ["API_RATE_PER_ADDRESS"] = "1000000/m"  # the benchmark sets its own rate, as a load test would

import warnings

import django

django.setup()
warnings.filterwarnings("ignore", message="No directory at")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from claims.defaults import ensure_defaults  # noqa: E402
from tests.factories import ClaimFactory, ClaimSourceFactory, StatementFactory  # noqa: E402
from tests.publishing import publish  # noqa: E402

ROUNDS = 30
CLAIMS = 300


def measure(client: Client, url: str, **headers: str) -> tuple[int, float, int]:
    """Queries, median milliseconds and the status of `url`."""
    timings, queries, status = [], 0, 0
    client.get(url, **headers)  # warm up
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **headers)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    return queries, statistics.median(timings), status


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            ensure_defaults()
            for number in range(CLAIMS):
                claim = ClaimFactory(text=f"Claim {number}: drones were delivered in month {number % 12 + 1}.")
                ClaimSourceFactory.create_batch(2, claim=claim)
                StatementFactory.create_batch(3, claim=claim)
                publish(claim)
            client = Client()
            listing = reverse("api:claim_list")
            second = client.get(listing).json()["next_cursor"]
            asked = {
                "first page (20)": listing,
                "next page, by cursor": f"{listing}?cursor={second}",
                "page of 100": f"{listing}?limit=100",
                "full-text query": f"{listing}?q=drones+delivered",
                "claims:search (10)": f"{reverse('api:claims_search')}?query=drones",
            }
            print(f"{'request':<24} {'answered':>22} {'conditional (304)':>24}")
            for name, url in asked.items():
                queries, ms, status = measure(client, url)
                assert status == 200, (name, status)
                etag = client.get(url)["ETag"]
                queries_304, ms_304, status_304 = measure(client, url, HTTP_IF_NONE_MATCH=etag)
                assert status_304 == 304, (name, status_304)
                print(f"{name:<24} {queries:>3} queries {ms:>6.1f} ms {queries_304:>7} queries {ms_304:>6.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
