"""The deploy smoke test: the production stack of docs/deploy.md, without containers, end to end.

    .venv/bin/python deploy/smoke.py          (`make smoke`; `make test` runs it after the suite)

In a temporary folder it starts a throwaway PostgreSQL (initdb, on a free loopback port) and a
throwaway Redis (no persistence, on another), then, with production settings (DEBUG off, a random
secret, ALLOWED_HOSTS=127.0.0.1, JSON logs, the database address read from a file; only the HTTPS
redirect, secure cookies and HSTS are off, since there is no TLS here):

1. migrates, collects the static files, and creates a fact-checker and a reviewer with
   `manage.py create_staff_user` (the reviewer with a TOTP secret, as two-factor is required);
2. starts gunicorn, two Celery workers (one on the import and matching queues, one on the
   default and email queues) and exactly one beat;
3. over HTTP, as a browser without JavaScript would (plain forms, CSRF tokens): the fact-checker
   logs a claim, cites a source (which the import worker tries to fetch), records the right of
   reply, drafts, writes and submits a verdict; the reviewer signs in with a TOTP code, is told
   of the claim under the bell (written by the email worker) and publishes it;
4. checks the public claim page and its ClaimReview, the feed, /claimreview.json and /healthz;
5. backs the database up (pg_dump) and restores it into a new one (pg_restore), as docs/deploy.md
   says, and checks the published claim is in the restored copy;
6. tears everything down, also on failure or Ctrl-C.

It uses only the standard library and the project's own environment; it exits non-zero, with
the step and the services' logs, on the first thing that does not work.
"""

import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import b32decode
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "smoke test pass phrase, long enough"  # noqa: S105 - a throwaway site
CLAIM = "The city council doubled the bus fares overnight without a vote."
START_SECONDS = 60


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"smoke: [{time.monotonic() - STARTED:5.1f} s] {message}", flush=True)


class SmokeError(Exception):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, check, seconds: float = START_SECONDS):
    deadline = time.monotonic() + seconds
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as error:
            last_error = error
        time.sleep(0.3)
    raise SmokeError(f"{what}: not within {seconds:.0f} s" + (f" ({last_error})" if last_error else ""))


def totp_code(secret: str) -> str:
    """RFC 6238, as an authenticator app computes it (30 s steps, 6 digits, SHA-1)."""
    import hashlib
    import hmac
    import struct

    key = b32decode("".join(secret.split()).upper() + "=" * (-len("".join(secret.split())) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


# --- A browser without JavaScript ----------------------------------------------------------------


class Form:
    def __init__(self, action: str, method: str):
        self.action, self.method = action, method
        self.fields: list[tuple[str, str]] = []
        self.choices: dict[str, list[str]] = {}


class FormParser(HTMLParser):
    """The forms of a page, with what a browser would send for them untouched."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(attributes.get("action", ""), attributes.get("method", "get").lower()))
        if not self.forms:
            return
        form = self.forms[-1]
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                form.choices.setdefault(name, []).append(attributes.get("value", "on"))
                if "checked" not in attributes:
                    return
            form.fields.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            self._select[1].append(value)
            if "selected" in attributes:
                self._select[2].append(value)
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self.forms:
            name, options, selected = self._select
            self.forms[-1].choices[name] = options
            for value in selected or options[:1]:
                self.forms[-1].fields.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.forms:
            name, text = self._textarea
            self.forms[-1].fields.append((name, "".join(text).lstrip("\n")))
            self._textarea = None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)
        self.url = base

    def request(self, path: str, data: list[tuple[str, str]] | None = None, *, follow: bool = True):
        """GET (or POST `data`) and follow redirects; returns (status, final URL, body)."""
        url = urllib.parse.urljoin(self.url, path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        for _hop in range(10):
            request = urllib.request.Request(url, data=body, headers={"Referer": self.url})  # noqa: S310 - loopback
            try:
                with self.opener.open(request, timeout=30) as response:
                    status, content = response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                status, content = error.code, error.read().decode(errors="replace")
                if status in (301, 302, 303) and follow:
                    url, body = urllib.parse.urljoin(url, error.headers["Location"]), None
                    continue
            self.url = url
            return status, url, content
        raise SmokeError(f"too many redirects from {path}")

    def get(self, path: str, expect: int = 200) -> str:
        status, url, content = self.request(path)
        if status != expect:
            raise SmokeError(f"GET {path} answered {status} (at {url}), not {expect}:\n{content[:2000]}")
        return content

    def submit(self, page_path: str, action: str, values: dict[str, str], expect: int = 200) -> tuple[str, str]:
        """Open `page_path`, fill in the form whose action contains `action`, send it; (final URL, page)."""
        page = self.get(page_path)
        parser = FormParser()
        parser.feed(page)
        forms = [form for form in parser.forms if action in html.unescape(form.action)]
        if not forms:
            actions = [form.action for form in parser.forms]
            raise SmokeError(f"no form sending to {action!r} on {page_path} (forms: {actions})")
        form = forms[0]
        fields = [(name, value) for name, value in form.fields if name not in values]
        fields += list(values.items())
        target = urllib.parse.urljoin(self.url, html.unescape(form.action) or self.url)
        status, url, content = self.request(target, fields)
        if status != expect:
            raise SmokeError(f"POST {target} answered {status}, not {expect}:\n{content[:3000]}")
        return url, content


# --- The stack --------------------------------------------------------------------------------


class Stack:
    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.postgres_data = folder / "postgres"
        self.pg_bin = self._postgres_bin()
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.as_postgres: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @staticmethod
    def _postgres_bin() -> Path:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
        if found:
            return found[-1].parent
        initdb = shutil.which("initdb")
        if initdb:
            return Path(initdb).parent
        raise SmokeError("PostgreSQL's initdb is not installed (Debian: apt-get install postgresql)")

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        log = self.log(name).open("w")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped whole, children included
        )
        self.processes.append((name, process))
        return process

    def start_postgres(self) -> str:
        self.postgres_data.mkdir(mode=0o700)
        socket_dir = self.folder / "postgres-socket"
        socket_dir.mkdir()
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.postgres_data, "postgres")
            shutil.chown(socket_dir, "postgres")
        run(
            [
                *self.as_postgres,
                str(self.pg_bin / "initdb"),
                "-D",
                str(self.postgres_data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        options = f"-p {self.pg_port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            [
                *self.as_postgres,
                str(self.pg_bin / "pg_ctl"),
                "-D",
                str(self.postgres_data),
                "-o",
                options,
                "-l",
                str(self.postgres_data / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        run([str(self.pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "factcheck"])
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/factcheck"

    def start_redis(self) -> str:
        self.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
        )
        wait_for("Redis", lambda: socket.create_connection(("127.0.0.1", self.redis_port), timeout=1).close() or True)
        return f"redis://127.0.0.1:{self.redis_port}"

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if (self.postgres_data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *self.as_postgres,
                    str(self.pg_bin / "pg_ctl"),
                    "-D",
                    str(self.postgres_data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                check=False,
                capture_output=True,
            )

    def dump_logs(self) -> None:
        for path in [*sorted(self.folder.glob("*.log")), self.postgres_data / "server.log"]:
            if path.exists():
                lines = path.read_text(errors="replace").splitlines()[-40:]
                print(f"----- {path.name} (last {len(lines)} lines) -----", file=sys.stderr)
                print("\n".join(lines), file=sys.stderr)


def run(command: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise SmokeError(f"{' '.join(command[:4])}… failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def production_environment(stack: Stack, database_url: str, redis_url: str) -> dict[str, str]:
    secrets_dir = stack.folder / "secrets"
    secrets_dir.mkdir(mode=0o700)
    (secrets_dir / "database-url").write_text(database_url + "\n")
    (secrets_dir / "secret-key").write_text(secrets.token_urlsafe(64) + "\n")
    site = f"http://127.0.0.1:{stack.web_port}"
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_", "CELERY_", "CACHE_", "DJANGO_", "SECRET_KEY", "AWS_", "MEDIA_"))
        and name not in ("DEBUG", "ALLOWED_HOSTS", "FETCH_ALLOW_LOOPBACK", "TWO_FACTOR_REQUIRED", "PORT")
    }
    environment.update(
        PATH=f"{BIN}:{environment.get('PATH', '/usr/bin:/bin')}",
        PYTHONUNBUFFERED="1",
        DEBUG="False",
        SECRET_KEY_FILE=str(secrets_dir / "secret-key"),
        DATABASE_URL_FILE=str(secrets_dir / "database-url"),
        CELERY_BROKER_URL=f"{redis_url}/0",
        CACHE_URL=f"{redis_url}/1",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=site,
        FACTCHECK_VAR_DIR=str(stack.folder / "var"),
        STATIC_ROOT=str(stack.folder / "static"),
        LOG_FORMAT="json",
        # No TLS on loopback: everything else is as in production.
        SECURE_SSL_REDIRECT="False",
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        SECURE_HSTS_SECONDS="0",
        GUNICORN_BIND=f"127.0.0.1:{stack.web_port}",
        GUNICORN_WORKERS="2",
    )
    return environment


def manage(environment: dict[str, str], *args: str) -> str:
    return run([sys.executable, "manage.py", *args], env=environment)


# --- The walk through ------------------------------------------------------------------------


def healthz(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:  # noqa: S310 - loopback
        return json.loads(response.read())


def publish_a_claim_through_the_workflow(base: str, totp_secret: str) -> int:
    factchecker = Browser(base)
    factchecker.submit("/accounts/login/", "/accounts/login/", {"username": "farah", "password": PASSWORD})
    say("the fact-checker is signed in; logging a claim")
    url, _page = factchecker.submit("/staff/claims/new/", "/staff/claims/new/", {"text": CLAIM})
    found = re.search(r"/staff/claims/(\d+)/", url)
    if not found:
        raise SmokeError(f"logging the claim led to {url}, not to its workspace")
    claim = int(found.group(1))
    workspace = f"/staff/claims/{claim}/"

    # Cited by its address: the source's details are fetched in the background, by the import worker.
    factchecker.submit(workspace, f"{workspace}sources/by-url/", {"url": "https://news.example.invalid/2024/fares"})
    factchecker.submit(
        f"{workspace}outreach/add/",
        f"{workspace}outreach/add/",
        {
            "method": "email",
            "contacted": "The council's press office",
            "contacted_on": time.strftime("%Y-%m-%d"),
            "request": "Did the council vote on the new fares?",
        },
    )
    factchecker.submit(f"{workspace}workflow/draft/", f"{workspace}workflow/draft/", {})
    edit = f"{workspace}verdict/edit/"
    rating_page = factchecker.get(edit)
    parser = FormParser()
    parser.feed(rating_page)
    ratings = next((form.choices.get("rating") for form in parser.forms if "rating" in form.choices), None)
    if not ratings or not [value for value in ratings if value]:
        raise SmokeError("the verdict form offers no rating")
    factchecker.submit(
        edit,
        edit,
        {
            "rating": next(value for value in ratings if value),
            "headline": "The fares rose by a tenth, after a vote",
            "explanation": "The council voted on the new fares in March; they rose by ten per cent.",
        },
    )
    factchecker.submit(f"{workspace}workflow/submit/", f"{workspace}workflow/submit/", {})
    say(f"claim {claim} logged, cited, its right of reply recorded, its verdict written and submitted")
    # The cited address was sent to the import queue; its worker tried it (a .invalid host: it fails).
    wait_for("the import worker's fetch of the cited source", lambda: "fetch failed" in factchecker.get(workspace))
    say("the import worker tried the cited source (a .invalid address: fetch failed, as it should)")

    reviewer = Browser(base)
    reviewer.submit("/accounts/login/", "/accounts/login/", {"username": "reza", "password": PASSWORD})
    reviewer.submit("/accounts/two-factor/", "/accounts/two-factor/", {"code": totp_code(totp_secret)})
    reviewer.get("/staff/")
    if "two-factor" in reviewer.url:
        raise SmokeError("the reviewer's TOTP code was not accepted")
    say("the reviewer is signed in with a TOTP code")

    def told() -> bool:
        return bool(re.search(r'class="badge">[1-9]', reviewer.get("/staff/notifications/count/")))

    wait_for("the reviewer's alert of the submitted claim (written by the email worker)", told)
    say("the email worker told the reviewer under the bell")
    review = reviewer.get(f"{workspace}review/")
    link = re.search(r'href="([^"]*/workflow/publish/[^"]*)"', review)
    if not link:
        raise SmokeError("the review screen offers no Publish")
    publish = html.unescape(link.group(1))
    reviewer.submit(publish, f"{workspace}workflow/publish/", {})
    say(f"claim {claim} published by the reviewer")
    return claim


def check_public_side(base: str) -> None:
    visitor = Browser(base)
    listing = visitor.get("/")
    found = re.search(r'href="(/claims/[^"/]+/)"', listing)
    if not found or CLAIM not in html.unescape(listing):
        raise SmokeError("the home page does not list the published claim")
    page = visitor.get(found.group(1))
    markup = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    reviews = [item for block in markup for item in _as_list(json.loads(block)) if item.get("@type") == "ClaimReview"]
    if not reviews or reviews[0].get("claimReviewed") != CLAIM:
        raise SmokeError(f"the claim page carries no ClaimReview of the claim: {markup}")
    if not reviews[0].get("url", "").startswith(base):
        raise SmokeError(f"the ClaimReview's address is not on SITE_URL: {reviews[0].get('url')}")
    feed = visitor.get("/feed/")
    if CLAIM not in html.unescape(feed):
        raise SmokeError("the feed does not carry the published claim")
    export = json.loads(visitor.get("/claimreview.json"))
    if CLAIM not in json.dumps(export, ensure_ascii=False):
        raise SmokeError("/claimreview.json does not carry the published claim")
    say("the public page with its ClaimReview, the feed and /claimreview.json show the claim")


def back_up_and_restore(stack: Stack, environment: dict[str, str]) -> None:
    """docs/deploy.md's backup and restore, as written there: pg_dump, then pg_restore into a new database."""
    dump = stack.folder / "factcheck.dump"
    server = ["-h", "127.0.0.1", "-p", str(stack.pg_port), "-U", "postgres"]
    run([str(stack.pg_bin / "pg_dump"), *server, "--format=custom", f"--file={dump}", "factcheck"])
    run([str(stack.pg_bin / "createdb"), *server, "factcheck_restored"])
    run(
        [
            str(stack.pg_bin / "pg_restore"),
            *server,
            "--no-owner",
            "--exit-on-error",
            "-d",
            "factcheck_restored",
            str(dump),
        ]
    )
    restored = {
        **environment,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{stack.pg_port}/factcheck_restored",
        "DATABASE_URL_FILE": "",
    }
    manage(restored, "migrate", "--check")  # the restored schema is the code's: nothing left to apply
    code = (
        "from claims.publishing import pages; from claims.models import Verdict; "
        "print(Verdict.objects.filter(state='published').count(), len(pages.feed_versions()))"
    )
    counts = manage(restored, "shell", "-c", code).split()[-2:]
    if counts != ["1", "1"]:
        raise SmokeError(f"the restored database has {counts} published verdicts and feed entries, not 1 and 1")
    say("backed up with pg_dump and restored with pg_restore into a new database: the published claim is there")


def _as_list(data) -> list[dict]:
    if isinstance(data, list):
        return data
    return data.get("@graph", [data]) if isinstance(data, dict) else []


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="factcheck-smoke-"))
    folder.chmod(0o755)
    stack = Stack(folder)
    previous_handler = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        database_url = stack.start_postgres()
        redis_url = stack.start_redis()
        say(f"PostgreSQL on 127.0.0.1:{stack.pg_port}, Redis on 127.0.0.1:{stack.redis_port}, in {folder}")
        environment = production_environment(stack, database_url, redis_url)
        manage(environment, "migrate", "--noinput")
        manage(environment, "collectstatic", "--noinput")
        password_file = folder / "secrets" / "password"
        password_file.write_text(PASSWORD)
        totp_file = folder / "secrets" / "reza-totp"
        for username, role, extra in (
            ("farah", "factchecker", []),
            ("reza", "reviewer", [f"--totp-secret-file={totp_file}"]),
        ):
            manage(
                environment,
                "create_staff_user",
                f"--username={username}",
                f"--email={username}@example.invalid",
                f"--role={role}",
                f"--password-file={password_file}",
                *extra,
            )
        say("migrated, static files collected, a fact-checker and a reviewer (with TOTP) created")

        stack.start("web", [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "factcheck.wsgi"], environment)
        celery = [str(BIN / "celery"), "-A", "factcheck"]
        for name, queues in (("worker-import", "import,matching"), ("worker-default", "celery,email")):
            stack.start(
                name,
                [*celery, "worker", "-Q", queues, "-n", f"{name}@%h", "--concurrency=1", "-l", "INFO"],
                environment,
            )
        stack.start("beat", [*celery, "beat", "-l", "INFO", "-s", str(folder / "beat-schedule")], environment)
        base = f"http://127.0.0.1:{stack.web_port}"
        health = wait_for("gunicorn's /healthz", lambda: healthz(base))
        if (health["database"], health["cache"], health["broker"]) != ("ok", "ok", "ok"):
            raise SmokeError(f"/healthz: {health}")
        say(f"gunicorn, two workers and beat are up; /healthz: {health['status']}")

        publish_a_claim_through_the_workflow(base, totp_file.read_text().strip())
        check_public_side(base)
        back_up_and_restore(stack, environment)
        for name, process in stack.processes:
            if process.poll() is not None:
                raise SmokeError(f"{name} stopped (exit {process.returncode})")
        say("passed")
        print("smoke: 1 passed, 0 failed")  # the closing line CI reads, as a test runner's
        return 0
    except Exception as error:
        print(f"smoke: FAILED: {error}", file=sys.stderr)
        stack.dump_logs()
        print("smoke: 0 passed, 1 failed")
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
