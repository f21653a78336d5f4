"""Search over a large corpus on PostgreSQL, under load: p50 / p95 / p99 of /search/ against the trivial view.

It makes (or, with `--reuse`, keeps) its own database `fc_bench_corpus` with `--documents` published claims
(1,000,000 by default), each with its published record, search text and weighted tsvector, written in bulk by
SQL (generate_series) from one record made by the same code as bench/load.py's. Claim texts are 14 words drawn
from bench/load.py's vocabulary of 74, so a two-word query matches a few percent of the corpus: the worst case
for ranking, since every match is ranked. Then it starts gunicorn as bench/load.py does and runs wrk on
`/bench/trivial` and on 200 two-word searches, with `--connections` (16) for `--seconds` (20) each.

    .venv/bin/python bench/search_corpus.py --redis-db 9                    # about 15 minutes to build
    .venv/bin/python bench/search_corpus.py --redis-db 9 --reuse --keep     # measure again on the same corpus

About 5 GB of disk for 1M documents. Never in CI; figures in docs/performance.md.
"""

# ruff: noqa: S608 - the SQL is built from this script's own constants and integers, nothing typed by anyone
import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # bench/load.py: the environment, gunicorn and wrk helpers

DB_NAME = "fc_bench_corpus"
CHUNK = 100_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-db", type=int, default=15)
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the corpus already built, if any")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    return parser.parse_args()


def psql(url: str, sql: str, env: dict[str, str]) -> str:
    done = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"psql failed: {done.stderr}")
    return done.stdout.strip()


def build(args: argparse.Namespace, env: dict[str, str], db: str) -> None:
    """Migrate, publish 10 claims the ordinary way (bench/load.py's bulk publisher), then copy their shape
    a million times in SQL."""
    load.run([load.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    load.run([load.PYTHON, load.__file__, "--generate", "10", "0"], env, stdout=subprocess.DEVNULL)
    words = "ARRAY[" + ",".join(f"'{word}'" for word in load.WORDS) + "]"
    template = psql(db, "SELECT id FROM claims_verdict WHERE state = 'published' ORDER BY id LIMIT 1", env)
    psql(db, "DROP INDEX IF EXISTS claims_claimsearchdocument_document", env)
    started = time.monotonic()
    for first in range(1, args.documents + 1, CHUNK):
        last = min(first + CHUNK - 1, args.documents)
        psql(
            db,
            f"""
            SELECT setseed({first / args.documents / 2});
            WITH texts AS (
                SELECT g, (SELECT initcap(string_agg(w[1 + floor(random() * {len(load.WORDS)})::int + 0 * i], ' '))
                           FROM generate_series(1, 14) AS i WHERE g > 0) AS text,
                          (SELECT string_agg(w[1 + floor(random() * {len(load.WORDS)})::int + 0 * i], ' ')
                           FROM generate_series(1, 8) AS i WHERE g > 0) AS headline
                FROM generate_series({first}, {last}) AS g, (SELECT {words} AS w) AS vocabulary
            ),
            claims AS (
                INSERT INTO claims_claim (created_at, updated_at, date_precision, date_note, date_calendar, text, slug,
                                          language, state, is_sample, claimant_id)
                SELECT now(), now(), 'unknown', '', 'gregorian', texts.text, 'corpus-' || g, 'en', 'published', false,
                       template.claimant_id
                FROM texts, (SELECT claimant_id FROM claims_claim WHERE id =
                             (SELECT claim_id FROM claims_verdict WHERE id = {template})) AS template
                RETURNING id, slug, text
            ),
            verdicts AS (
                INSERT INTO claims_verdict (created_at, updated_at, kind, state, headline, explanation, public_note,
                                            author_id, claim_id, rating_id, reviewer_id, published_at,
                                            published_record)
                SELECT now(), now(), 'first', 'published', texts.headline, '', '', v.author_id, claims.id,
                       v.rating_id, v.reviewer_id,
                       timestamptz '2020-01-01' + (substring(claims.slug from 8)::int * interval '1 minute'),
                       jsonb_set(jsonb_set(jsonb_set(v.published_record,
                           '{{claim,text}}', to_jsonb(claims.text)),
                           '{{claim,slug}}', to_jsonb(claims.slug)),
                           '{{verdict,headline}}', to_jsonb(texts.headline))
                FROM claims JOIN texts ON claims.slug = 'corpus-' || texts.g,
                     (SELECT * FROM claims_verdict WHERE id = {template}) AS v
                RETURNING claim_id, headline
            ),
            search_text AS (
                INSERT INTO claims_claimsearchtext (claim_id, weight_a, weight_b, weight_c, weight_d)
                SELECT claims.id, lower(claims.text), lower(verdicts.headline), '', ''
                FROM claims JOIN verdicts ON verdicts.claim_id = claims.id
                RETURNING claim_id
            )
            INSERT INTO claims_claimsearchdocument (claim_id, config, document)
            SELECT claims.id, 'english',
                   setweight(to_tsvector('english', lower(claims.text)), 'A')
                   || setweight(to_tsvector('english', lower(verdicts.headline)), 'B')
            FROM claims JOIN verdicts ON verdicts.claim_id = claims.id;
            """,
            env,
        )
        print(f"  {last:,} documents ({time.monotonic() - started:.0f} s)", flush=True)
    psql(db, "CREATE INDEX claims_claimsearchdocument_document ON claims_claimsearchdocument USING gin (document)", env)
    psql(db, "VACUUM ANALYZE", env)
    print(f"corpus built in {time.monotonic() - started:.0f} s")


def main() -> None:
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fc-bench-corpus-"))
    env = load.environment(args, folder)
    env["DATABASE_URL"] = f"{args.pg}/{DB_NAME}"
    admin = args.pg.replace("postgres://", "postgresql://") + "/postgres"
    db = args.pg.replace("postgres://", "postgresql://") + f"/{DB_NAME}"
    exists = psql(admin, f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'", env) == "1"
    if not (args.reuse and exists):
        psql(admin, f"DROP DATABASE IF EXISTS {DB_NAME}", env)
        psql(admin, f"CREATE DATABASE {DB_NAME}", env)
        build(args, env, db)
    count = int(psql(db, "SELECT count(*) FROM claims_claimsearchdocument", env))
    size = psql(db, f"SELECT pg_size_pretty(pg_database_size('{DB_NAME}'))", env)
    print(f"{count:,} published search documents, database {size}")
    load.run(["redis-cli", "-n", str(args.redis_db), "FLUSHDB"], env, stdout=subprocess.DEVNULL)
    load.run([load.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    gunicorn = subprocess.Popen(
        [
            str(Path(load.PYTHON).with_name("gunicorn")),
            "factcheck.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "600",  # the first search computes the filters' choices over the whole corpus
            "--access-logfile",
            "/dev/null",
        ],
        env=env,
        cwd=load.ROOT,
    )
    try:
        base = f"http://127.0.0.1:{args.port}"
        load.wait_until_up(base + "/bench/trivial")
        started = time.monotonic()
        load.wait_until_up(base + "/search/?q=election", seconds=600, each=600)
        print(
            f"first search (the filters' choices computed over the corpus, then kept): "
            f"{time.monotonic() - started:.1f} s"
        )
        rng = random.Random(64)  # noqa: S311 - seeded on purpose: the same queries each run
        queries = [f"/search/?q={'+'.join(rng.sample(load.WORDS, 2))}" for _ in range(200)]
        for path in queries[:20]:  # each worker's first searches
            load.wait_until_up(base + path, seconds=120, each=120)
        print(f"load average before: {load.load_average()}")
        results = []
        for name, paths, connections in (
            ("trivial", ["/bench/trivial"], args.connections),
            ("search (1M corpus)" if count >= 1_000_000 else f"search ({count:,})", queries, args.connections),
            ("search, 64 conns", queries, 64),
        ):
            results.append(
                load.wrk(
                    base,
                    name,
                    paths,
                    master=gunicorn.pid,
                    connections=connections,
                    seconds=args.seconds,
                    headers={},
                    folder=folder,
                )
            )
        load.print_table(results)
        trivial, search = results[0], results[1]
        print(
            f"\nsearch p95 {search.p95:.0f} ms against the trivial view's {trivial.p95:.1f} ms "
            f"({search.p95 / trivial.p95:.0f}x); throughput {search.per_second / trivial.per_second:.3f} "
            "of the trivial view's"
        )
        print(f"load average after: {load.load_average()}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(30)
        load.run(["redis-cli", "-n", str(args.redis_db), "FLUSHDB"], env, stdout=subprocess.DEVNULL)
        if not args.keep:
            psql(admin, f"DROP DATABASE IF EXISTS {DB_NAME}", env)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
