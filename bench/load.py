"""Load benchmark: the production stack on this machine (gunicorn, PostgreSQL, Redis), loaded over loopback by wrk.

One run:

1. creates its own database (`fc_bench_load`, dropped and made again) and empties its own Redis database
   (`--redis-db`, 15 by default: give one nobody else uses), migrates, collects the static files;
2. generates data: `--claims` published claims (500) for home, search and the API; a claim page of a few
   statements, sources and evidence published through the workflow; a claim with 200 statements; a newsroom
   of `--staff` people (300) and a reviewer's signed-in session for the workspace;
3. starts gunicorn on 127.0.0.1 (`--workers`, 3 as in docs/operations.md) with production settings (DEBUG
   off; plain http, since there is no TLS on loopback; the API's rate limits raised for the run);
4. runs wrk (Debian's package) on each address for `--seconds` (20) with `--connections` (16), and prints
   throughput, p50 and p99, each page's throughput as a ratio to the static file's and to the trivial view's
   (`/bench/trivial`: the whole middleware stack, no database, no cache), the workers' CPU per request and
   their memory (RSS), and the load average. The staff workspace twice: as most views find it (nothing
   changed since the last view: the kept page) and as the first view after a change finds it (rendered:
   the requests carry a query string, `?view=changed`, and a workspace address with one is never kept);
5. with `--soak`, then loads home, a claim page, search and the API together with 64 connections for 60 s
   and counts the errors (any answer but 2xx/3xx, and socket errors and timeouts);
6. stops gunicorn and drops the database.

    .venv/bin/python bench/load.py --redis-db 9             # the table (about 5 minutes)
    .venv/bin/python bench/load.py --redis-db 9 --soak      # and the 64-connection test
    .venv/bin/python bench/load.py --redis-db 9 --only soak # the 64-connection test alone

PostgreSQL is reached as postgres@127.0.0.1:5432 (`--pg`), Redis at 127.0.0.1:6379. Nothing leaves the machine.
Requests ask for gzip (`Accept-Encoding: gzip`), as browsers do. Figures: docs/performance.md.
"""

import argparse
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_NAME = "fc_bench_load"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# Claim texts and search queries are drawn from these words, so that searches find something.
WORDS = [
    "minister",
    "government",
    "election",
    "vaccine",
    "border",
    "migrants",
    "economy",
    "inflation",
    "budget",
    "tax",
    "hospital",
    "school",
    "police",
    "crime",
    "climate",
    "energy",
    "fuel",
    "prices",
    "wages",
    "pension",
    "farmers",
    "water",
    "drought",
    "flood",
    "army",
    "drones",
    "sanctions",
    "exports",
    "imports",
    "unemployment",
    "housing",
    "rent",
    "court",
    "judge",
    "parliament",
    "president",
    "senator",
    "mayor",
    "refugees",
    "virus",
    "doctors",
    "nurses",
    "teachers",
    "students",
    "university",
    "bank",
    "currency",
    "debt",
    "oil",
    "gas",
    "electricity",
    "internet",
    "censorship",
    "journalists",
    "protest",
    "strike",
    "railway",
    "airport",
    "bridge",
    "road",
    "factory",
    "steel",
    "wheat",
    "rice",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server (no db name)")
    parser.add_argument("--redis-db", type=int, default=15, help="Redis database to use and empty")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--claims", type=int, default=500, help="published claims for home, search and the API")
    parser.add_argument("--staff", type=int, default=300, help="people in the newsroom (the workspace's pickers)")
    parser.add_argument("--soak", action="store_true", help="then 64 connections for 60 s on four pages")
    parser.add_argument("--only", default="", help="comma-separated row names to run (e.g. static,trivial,soak)")
    parser.add_argument("--keep", action="store_true", help="leave the database and Redis data behind")
    return parser.parse_args()


def environment(args: argparse.Namespace, var_dir: Path) -> dict[str, str]:
    redis = f"redis://127.0.0.1:6379/{args.redis_db}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        # Plain http on loopback: no TLS to redirect to, cookies not marked Secure.
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"{args.pg}/{DB_NAME}",
        "CACHE_URL": redis,
        "CELERY_BROKER_URL": redis,
        "FACTCHECK_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "API_RATE_PER_ADDRESS": "100000000/m",
        "API_RATE_PER_TOKEN": "100000000/m",
        "TWO_FACTOR_REQUIRED": "False",
        "LOG_LEVEL": "WARNING",
        "BENCH": "True",
        "PGOPTIONS": "--client-min-messages=warning",
    }


def run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


# --- Data ------------------------------------------------------------------------------------------


def generate(args: argparse.Namespace) -> dict[str, str]:
    """Runs in a child process with the benchmark's environment; prints what the load needs, one `key=value` a line."""
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from claims import search
    from claims.defaults import ensure_defaults
    from claims.permissions import FACT_CHECKERS, REVIEWERS
    from claims.publishing import pages
    from tests.factories import (
        ClaimFactory,
        ClaimSourceFactory,
        EvidenceFactory,
        StatementFactory,
        UserFactory,
    )
    from tests.publishing import publish

    rng = random.Random(16)  # noqa: S311 - seeded on purpose: the same data each run
    ensure_defaults()
    publish_in_bulk(args.claims, rng)

    # A claim page as most are: a few statements, sources and pieces of evidence.
    claim = ClaimFactory(text=" ".join(rng.choices(WORDS, k=14)).capitalize() + ".")
    ClaimSourceFactory.create_batch(4, claim=claim)
    StatementFactory.create_batch(5, claim=claim)
    EvidenceFactory.create_batch(4, claim=claim)
    typical = publish(claim).claim
    large = ClaimFactory(text="A claim quoted in two hundred statements.")
    ClaimSourceFactory(claim=large)
    StatementFactory.create_batch(200, claim=large)
    large = publish(large).claim
    rows = pages.published_verdicts().values_list("claim_id", "published_record")
    search.rebuild_search_documents(connection, rows.iterator())

    # The newsroom: the workspace offers its fact-checkers and reviewers in the assignment pickers.
    groups = [Group.objects.get(name=FACT_CHECKERS), Group.objects.get(name=REVIEWERS)]
    for n in range(args.staff):
        UserFactory(username=f"staff{n:04d}", groups=[groups[0].name if n % 5 else groups[1].name])
    reviewer = UserFactory(username="bench-reviewer", groups=[REVIEWERS])
    client = Client()
    client.force_login(reviewer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "claim": f"/claims/{typical.slug}/",
        "claim200": f"/claims/{large.slug}/",
        "workspace": f"/staff/claims/{typical.pk}/",
        "session": client.cookies["sessionid"].value,
    }


def publish_in_bulk(count: int, rng: random.Random) -> None:
    """`count` public claims with records shaped like claims.publishing.build's, inserted in bulk."""
    from datetime import UTC, datetime, timedelta

    from claims.models import Actor, Claim, Rating, Topic, User, Verdict

    author = User.objects.create(username="bench-author", first_name="Bench")
    reviewer = User.objects.create(username="bench-publisher", first_name="Review")
    rating = Rating.objects.get(scale__slug="default", label="False")
    actors = Actor.objects.bulk_create(Actor(name=f"Claimant {n}") for n in range(50))
    topics = Topic.objects.bulk_create(Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(12))
    texts = [" ".join(rng.choices(WORDS, k=14)).capitalize() + "." for _ in range(count)]
    claims = Claim.objects.bulk_create(
        Claim(text=text, slug=f"bulk-{n}", claimant=actors[n % 50], state="published") for n, text in enumerate(texts)
    )
    start = datetime(2024, 1, 1, tzinfo=UTC)
    verdicts = []
    for n, claim in enumerate(claims):
        headline = " ".join(rng.choices(WORDS, k=8)).capitalize()
        verdicts.append(
            published_verdict(
                claim,
                actor=actors[n % 50],
                topic=topics[n % 12],
                rating=rating,
                author=author,
                reviewer=reviewer,
                published_at=start + timedelta(hours=n),
                headline=headline,
                explanation=f"<p>{headline}. {' '.join(rng.choices(WORDS, k=40))}.</p>",
            )
        )
    Verdict.objects.bulk_create(verdicts, batch_size=1000)


def published_verdict(claim, *, actor, topic, rating, author, reviewer, published_at, headline, explanation):
    """An unsaved published Verdict of `claim` with a record shaped like claims.publishing.build's (its date
    unknown, nothing cited), for benches that publish many claims in bulk (also bench/search_bench.py)."""
    from claims.models import Verdict
    from claims.publishing import record as schema

    record = schema.PublishedRecord(
        frozen_at=published_at.isoformat(),
        claim=schema.RecordClaim(
            text=claim.text,
            slug=claim.slug,
            language="en",
            is_sample=False,
            claimant=schema.Claimant(id=actor.pk, name=actor.name, title="", kind="person"),
            topics=(schema.Topic(name=topic.name, slug=topic.slug),),
            topic_names={topic.slug: topic.name},
            first_appearance=None,
            date=None,
            precision="unknown",
            calendar="gregorian",
            note="",
        ),
        verdict=schema.RecordVerdict(
            kind="first",
            headline=headline,
            explanation=explanation,
            public_note="",
            rating=schema.Rating(
                label=rating.label,
                description=rating.description,
                colour=rating.colour,
                value=rating.value,
                best=None,
                worst=None,
                scale=rating.scale.name,
                scale_slug=rating.scale.slug,
            ),
            author=schema.Person(id=author.pk, name="Bench", username=author.username),
            reviewer=schema.Person(id=reviewer.pk, name="Review", username=reviewer.username),
            published_at=published_at.isoformat(),
        ),
        statements=(),
        evidence=(),
        sources=(),
        outreach=(),
        repeats=(),
        related=(),
    )
    return Verdict(
        claim=claim,
        state="published",
        rating=rating,
        headline=headline,
        author=author,
        reviewer=reviewer,
        published_at=published_at,
        published_record=schema.write_record(record),
    )


# --- gunicorn and its workers ----------------------------------------------------------------------


def worker_pids(master: int) -> list[int]:
    try:
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        except OSError:
            continue
    return total / 1e6


def wait_until_up(url: str, seconds: float = 60, *, each: float = 2) -> None:
    """Until `url` answers (each try waiting up to `each` seconds for it), for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=each):  # noqa: S310 - http://127.0.0.1 only
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


# --- wrk -------------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    requests: int
    per_second: float
    p50: float  # ms
    p95: float  # ms
    p99: float  # ms
    errors: int
    cpu_ms: float  # workers' CPU per request
    rss: float  # MB, all workers, after the run
    connections: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


ROTATE_LUA = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("p95_us %%d\\n", latency:percentile(95)))
end
"""


def wrk(
    base: str,
    name: str,
    paths: list[str],
    *,
    master: int,
    connections: int,
    seconds: int,
    headers: dict[str, str],
    folder: Path,
) -> Result:
    script = folder / f"{name}.lua"
    script.write_text(ROTATE_LUA % ", ".join(f'"{path}"' for path in paths))
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", "-s", str(script)]
    for key, value in {"Accept-Encoding": "gzip", **headers}.items():
        command += ["-H", f"{key}: {value}"]
    pids = worker_pids(master)
    cpu_before = cpu_seconds(pids)
    output = subprocess.run([*command, base + paths[0]], capture_output=True, text=True, check=True).stdout
    pids = worker_pids(master)
    cpu = cpu_seconds(pids) - cpu_before
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return Result(
        name=name,
        requests=requests,
        per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        # The latency distribution's own lines: "80.50%" also ends a "+/- Stdev" column above them.
        p50=_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)),
        p95=int(re.search(r"p95_us (\d+)", output).group(1)) / 1000,
        p99=_ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)),
        errors=errors,
        cpu_ms=cpu * 1000 / max(requests, 1),
        rss=rss_mb(pids),
        connections=connections,
    )


def print_table(results: list[Result]) -> None:
    by_name = {result.name: result for result in results}
    static, trivial = by_name.get("static"), by_name.get("trivial")
    print(
        f"\n{'address':<22}{'conns':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'÷static':>9}{'÷trivial':>9}"
        f"{'CPU ms/req':>11}{'RSS MB':>8}{'errors':>8}"
    )
    for r in results:
        to_static = f"{r.per_second / static.per_second:.2f}" if static else "-"
        to_trivial = f"{r.per_second / trivial.per_second:.2f}" if trivial else "-"
        print(
            f"{r.name:<22}{r.connections:>6}{r.per_second:>9.0f}{r.p50:>9.1f}{r.p99:>9.1f}{to_static:>9}{to_trivial:>9}"
            f"{r.cpu_ms:>11.2f}{r.rss:>8.0f}{r.errors:>8}"
        )
    if trivial and "claim (cached)" in by_name:
        checks = [
            ("cached claim page ≥ 0.8 x static", by_name["claim (cached)"].per_second / static.per_second, 0.8)
            if static
            else None,
            ("uncached claim page ≥ 0.3 x trivial", _ratio(by_name, "claim (uncached)", trivial), 0.3),
            ("search ≥ 0.3 x trivial", _ratio(by_name, "search", trivial), 0.3),
            ("staff workspace ≥ 0.2 x trivial", _ratio(by_name, "staff workspace", trivial), 0.2),
        ]
        print()
        for check in checks:
            if check and check[1] is not None:
                label, value, target = check
                print(f"{'met ' if value >= target else 'MISSED'} {label}: {value:.2f}")
        claim = by_name.get("claim (cached)")
        if claim:
            value = claim.p99 / trivial.p99
            print(f"{'met ' if value <= 3 else 'MISSED'} claim page p99 ≤ 3 x trivial's: {value:.1f}x")
        search64 = by_name.get("search (64 conns)")
        if search64:
            ok = search64.p99 < 1000
            print(f"{'met ' if ok else 'MISSED'} search p99 at 64 connections < 1 s: {search64.p99:.0f} ms")


def _ratio(by_name: dict[str, Result], name: str, trivial: Result) -> float | None:
    return by_name[name].per_second / trivial.per_second if name in by_name else None


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- The run -------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="fc-bench-load-"))
    env = environment(args, folder)
    admin = args.pg.replace("postgres://", "postgresql://") + "/postgres"
    run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], env)
    run(["psql", admin, "-qc", f"CREATE DATABASE {DB_NAME}"], env)
    run(["redis-cli", "-n", str(args.redis_db), "FLUSHDB"], env, stdout=subprocess.DEVNULL)
    gunicorn = None
    try:
        started = time.monotonic()
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        output = run(
            [PYTHON, __file__, "--generate", str(args.claims), str(args.staff)], env, stdout=subprocess.PIPE, text=True
        ).stdout
        data = dict(
            line.removeprefix("bench:").split("=", 1) for line in output.splitlines() if line.startswith("bench:")
        )
        print(f"data ready in {time.monotonic() - started:.0f} s: {args.claims} published claims, {args.staff} staff")
        static_css = next((folder / "static" / "css").glob("site.*.css")).relative_to(folder / "static").as_posix()
        gunicorn = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "factcheck.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--access-logfile",
                "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            ],
            env=env,
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{args.port}"
        wait_until_up(base + "/bench/trivial")
        signed_in = {"Cookie": f"sessionid={data['session']}"}
        # A visitor whose request carries a session cookie gets a page rendered for them (claims.publishing.cache).
        visitor = {"Cookie": "sessionid=no-such-session"}
        rng = random.Random(64)  # noqa: S311 - seeded on purpose: the same queries each run
        queries = [f"/search/?q={'+'.join(rng.sample(WORDS, 2))}" for _ in range(200)]
        rows = [
            ("static", [f"/static/{static_css}"], {}, args.connections),
            ("trivial", ["/bench/trivial"], {}, args.connections),
            ("healthz", ["/healthz"], {}, args.connections),
            ("claim (cached)", [data["claim"]], {}, args.connections),
            ("claim (uncached)", [data["claim"]], visitor, args.connections),
            ("claim 200 (uncached)", [data["claim200"]], visitor, args.connections),
            ("home", ["/"], {}, args.connections),
            ("search", queries, {}, args.connections),
            ("search (64 conns)", queries, {}, 64),
            ("api list", ["/api/v1/claims", "/api/v1/claims?q=election"], {}, args.connections),
            ("staff workspace", [data["workspace"]], signed_in, args.connections),
            # With a query string the workspace is rendered each time, as on the first view after every change.
            ("staff workspace (changed)", [f"{data['workspace']}?view=changed"], signed_in, args.connections),
        ]
        only = {name.strip() for name in args.only.split(",") if name.strip()}
        # Warm every address once (the first request of each worker builds its caches), then measure.
        for _name, paths, headers, _conns in rows:
            for path in paths[:3]:
                request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - loopback
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
                    response.read()
        print(f"load average before: {load_average()}  ({os.cpu_count()} CPUs, {args.workers} gunicorn workers)")
        results = []
        for name, paths, headers, connections in rows:
            if only and name not in only and name.split(" ")[0] not in only:
                continue
            results.append(
                wrk(
                    base,
                    name,
                    paths,
                    master=gunicorn.pid,
                    connections=connections,
                    seconds=args.seconds,
                    headers=headers,
                    folder=folder,
                )
            )
            print(f"  {name}: {results[-1].per_second:.0f} req/s (load average {load_average()})", flush=True)
        if results:
            print_table(results)
        if args.soak or "soak" in only:
            mixed = ["/", data["claim"], *queries[:50], "/api/v1/claims", data["claim200"]]
            soak = wrk(base, "soak", mixed, master=gunicorn.pid, connections=64, seconds=60, headers={}, folder=folder)
            print(
                f"\n64 connections, 60 s on home, claim pages, search and the API: {soak.requests} requests, "
                f"{soak.per_second:.0f} req/s, p50 {soak.p50:.0f} ms, p99 {soak.p99:.0f} ms, errors: {soak.errors}"
            )
        print(f"load average after: {load_average()}")
        if args.keep:  # what bench/profile_page.py needs to profile the same pages on the kept data
            print(
                f"kept {DB_NAME}: bench/profile_page.py --redis-db {args.redis_db} --secret-key '{env['SECRET_KEY']}' "
                f"--session {data['session']} {data['workspace']}  (claim pages: {data['claim']}, {data['claim200']})"
            )
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(30)
        if not args.keep:
            run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], env)
            run(["redis-cli", "-n", str(args.redis_db), "FLUSHDB"], env, stdout=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--generate":
        sys.path.insert(0, str(ROOT))
        arguments = argparse.Namespace(claims=int(sys.argv[2]), staff=int(sys.argv[3]))
        for key, value in generate(arguments).items():
            print(f"bench:{key}={value}")
    else:
        main()
