"""One page profiled in process, against the data bench/load.py leaves behind with --keep.

Django's test client, production settings (DEBUG off), the kept database `fc_bench_load` and Redis database
`--redis-db` (the same as the load run's). Prints the page's time against the trivial view's (or `--base`,
e.g. the static file) and their ratio, then a cProfile listing. No load, no gunicorn: for finding where a
page's time goes between two runs of bench/load.py, whose ratios are the figures (docs/performance.md).

    .venv/bin/python bench/load.py --redis-db 9 --keep
    .venv/bin/python bench/profile_page.py /claims/claim-0/ --session no-such-session
    .venv/bin/python bench/profile_page.py /staff/claims/501/ --session KEY --sort tottime
"""

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the page, e.g. /claims/claim-0/")
    parser.add_argument("--session", default="", help="a session cookie to send (a signed-in one for staff pages)")
    parser.add_argument("--base", default="/bench/trivial", help="what the page is compared with")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/fc_bench_load")
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--secret-key", default="", help="the load run's SECRET_KEY, for its signed-in session")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: cumulative, tottime, ...")
    parser.add_argument("--lines", type=int, default=45)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    redis = f"redis://127.0.0.1:6379/{args.redis_db}"
    static_root = Path(tempfile.gettempdir()) / "fc-bench-profile-static"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DEBUG="False",
        SECRET_KEY=args.secret_key or secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="False",
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=args.database,
        CACHE_URL=redis,
        CELERY_BROKER_URL=redis,
        TWO_FACTOR_REQUIRED="False",
        LOG_LEVEL="WARNING",
        BENCH="True",
        STATIC_ROOT=str(static_root),
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    if not static_root.is_dir():
        call_command("collectstatic", "--noinput", verbosity=0)
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    if args.session:
        client.cookies["sessionid"] = args.session

    def hit(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")

    def seconds_each(path: str) -> float:
        started = time.perf_counter()
        for _ in range(args.requests):
            hit(path)
        return (time.perf_counter() - started) / args.requests

    for _ in range(5):  # each first request builds a cache of its own
        hit(args.path)
        hit(args.base)
    base, page = seconds_each(args.base), seconds_each(args.path)
    print(f"{args.base} {base * 1000:.2f} ms   {args.path} {page * 1000:.2f} ms   ratio {base / page:.2f}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        hit(args.path)
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
