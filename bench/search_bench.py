"""Search benchmark: the public search over the 10,375 verified claims of CLEF 2020 Task 2, on PostgreSQL.

Every verified claim becomes a public claim (its text the claim, its title the verdict's headline and
explanation), with a published record shaped like claims.publishing.build's, bulk-inserted rather than taken
through the workflow one by one. Then it prints:

- how long building every search document takes (the code migration 0006 and `rebuild_search_index` run);
- for one query of two or three words from each dev tweet, the median and 95th-percentile time of the
  ranked full-text search as the page runs it (count and first page of 20, at most RESULT_CAP matches
  counted and ranked), of the substring fallback on the same data (every match counted and ranked), and of
  the whole /search/ page; and the time to compute the filters' choices, which the page keeps in the shared
  cache until the next publication.

It runs against a throwaway database (Django's test database for DATABASE_URL, created and dropped here)
and a local-memory cache; nothing outside this process is contacted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck .venv/bin/python bench/search_bench.py \\
        [../shared/data/clef2020-task2]
"""

import csv
import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ["CACHE_URL"] = "locmem://"
os.environ["CELERY_BROKER_URL"] = "memory://"

import warnings

import django

django.setup()
warnings.filterwarnings("ignore", message="No directory at")

import load  # noqa: E402  (bench/load.py: published_verdict)
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

from claims import search  # noqa: E402
from claims.defaults import ensure_defaults  # noqa: E402
from claims.models import Actor, Claim, Rating, Topic, User, Verdict  # noqa: E402
from claims.publishing import pages  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clef2020-task2"
ACTORS, TOPICS = 50, 12
WORD = re.compile(r"[A-Za-z]{5,}")


def load_claims(folder: Path) -> list[tuple[str, str]]:
    csv.field_size_limit(1 << 20)
    with (folder / "verified_claims.docs.tsv").open(newline="") as tsv:
        return [(row["vclaim"], row["title"]) for row in csv.DictReader(tsv, delimiter="\t")]


def load_queries(folder: Path) -> list[str]:
    """The two longest plain words of each dev tweet (no handles, hashtags or links): what a reader might type."""
    queries = []
    with (folder / "dev" / "tweets.queries.tsv").open(newline="") as tsv:
        for row in csv.DictReader(tsv, delimiter="\t"):
            words = sorted({token.lower() for token in row["tweet_content"].split() if WORD.fullmatch(token)}, key=len)
            if len(words) >= 2:
                queries.append(" ".join(words[-2:]))
    return queries


def publish_in_bulk(claims: list[tuple[str, str]]) -> None:
    author = User.objects.create(username="bench-author", first_name="Bench")
    reviewer = User.objects.create(username="bench-reviewer", first_name="Review")
    rating = Rating.objects.get(scale__slug="default", label="False")
    actors = Actor.objects.bulk_create(Actor(name=f"Claimant {n}") for n in range(ACTORS))
    topics = Topic.objects.bulk_create(Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(TOPICS))
    start = datetime(2020, 1, 1, tzinfo=UTC)
    rows = Claim.objects.bulk_create(
        Claim(text=text, slug=f"claim-{n}", claimant=actors[n % ACTORS], state="published")
        for n, (text, _title) in enumerate(claims)
    )
    verdicts = [
        load.published_verdict(
            claim,
            actor=actors[n % ACTORS],
            topic=topics[n % TOPICS],
            rating=rating,
            author=author,
            reviewer=reviewer,
            published_at=start + timedelta(hours=n),
            headline=title,
            explanation=f"<p>{title}</p>",
        )
        for n, (claim, (_text, title)) in enumerate(zip(rows, claims, strict=True))
    ]
    Verdict.objects.bulk_create(verdicts, batch_size=1000)


def timed(function, queries: list[str]) -> tuple[float, float]:
    timings = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95)]


def first_page(results) -> int:
    """Every match counted and ranked, and the first page read (the substring fallback, and the API's way)."""
    page = Paginator(results.values(*search.SearchResult.FIELDS), 20).get_page(1)
    return page.paginator.count


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    claims, queries = load_claims(folder), load_queries(folder)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            ensure_defaults()
            publish_in_bulk(claims)
            started = time.perf_counter()
            rows = pages.published_verdicts().values_list("claim_id", "published_record")
            count = search.rebuild_search_documents(connection, rows.iterator())
            build = time.perf_counter() - started
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
            print(f"{count} public claims; {len(queries)} queries from the dev tweets, e.g. {queries[:3]}")
            print(f"search documents built in {build:.1f} s ({count / build:,.0f} claims/s)\n")

            found = [search.search_page(1, query=query).count for query in queries]
            print(f"full-text: {sum(1 for n in found if n)} of {len(queries)} queries find something")
            for label, run in (
                ("ranked full-text search", lambda q: search.search_page(1, query=q)),
                (
                    "substring fallback",
                    lambda q: first_page(search.substring_match(search.search_public_claims(), q)),
                ),
            ):
                median, p95 = timed(run, queries)
                print(f"{label:<26} median {median:6.1f} ms   95th percentile {p95:6.1f} ms")
            client = Client()
            client.get("/search/")  # the filters' choices, kept until the next publication
            median, p95 = timed(lambda q: client.get("/search/", {"q": q}), queries)
            print(f"{'/search/ page':<26} median {median:6.1f} ms   95th percentile {p95:6.1f} ms")
            started = time.perf_counter()
            search._facets()
            print(f"{'filters choices (uncached)':<26} {(time.perf_counter() - started) * 1000:6.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
