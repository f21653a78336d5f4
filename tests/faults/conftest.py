"""Fault injection: a PostgreSQL and a Redis of the tests' own, which they stop, kill and restart.

The services are started the way the deploy smoke test starts them (deploy/smoke.py's `Stack`: initdb into
a temporary folder, trust authentication, loopback ports of their own; redis-server without persistence),
once per session; the database is migrated once and each test module gets a copy of it
(CREATE DATABASE … TEMPLATE) and a Redis database number of its own.

Everything under test runs in processes of its own, as in production, pointed at those services: gunicorn
(`site.start_web()`), Celery workers (`site.start_worker()`, with `tests.faults.celery_app`: a 5 s
visibility timeout, and kombu looking for the messages of dead workers every second), scripts under Django
(`site.django()`, to set things up). The test process itself only reads the database (`site.sql()`), talks
HTTP (deploy/smoke.py's `Browser`), and stops, kills and restarts things.
"""

import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from deploy.smoke import BIN, ROOT, Browser, Stack, free_port
from tests.importing.conftest import LocalSite

__all__ = ["Browser", "HeldPage", "Site", "wait_until"]

VISIBILITY_TIMEOUT = 5
WAIT_SECONDS = 30
TEMPLATE_DATABASE = "factcheck"  # what Stack.start_postgres creates; migrated once, copied per module
# A feed on the local site, and a poll of it sent to the worker, as the web process and beat send one.
START_A_POLL = """
from django.db import transaction
from claims.importing import pipeline
from tests.factories import FeedFactory
feed = FeedFactory(url=ARGS["url"])
with transaction.atomic():  # as the web process and beat do: the poll is sent to the worker on commit
    run = pipeline.open_run(feed)
result({"feed": feed.pk, "run": run.pk})
"""


def wait_until(condition: Callable[[], Any], *, seconds: float = WAIT_SECONDS) -> Any:
    """Poll `condition` until it is truthy; its last value (the test asserts on it)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = condition()
        except (psycopg.OperationalError, OSError):  # a service the test restarts is not back yet
            value = None
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


class FaultStack(Stack):
    """deploy/smoke.py's throwaway services, with what a fault test does to them."""

    def restart_postgres(self) -> None:
        """A fast restart (`pg_ctl restart -m fast`): every connection is cut, the server is back in a second."""
        subprocess.run(
            [
                *self.as_postgres,
                *(str(self.pg_bin / "pg_ctl"), "-D", str(self.postgres_data), "-m", "fast", "-w"),
                *("-l", str(self.postgres_data / "server.log"), "restart"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def redis_process(self) -> subprocess.Popen:
        return next(process for name, process in reversed(self.processes) if name == "redis")

    def stop_redis(self) -> None:
        process = self.redis_process()
        process.terminate()
        process.wait(timeout=10)
        assert not _answers(self.redis_port)

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the process and everything it started (its process group): nothing is given a chance."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def fault_stack() -> Iterator[FaultStack]:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="factcheck-faults-"))
    folder.chmod(0o755)
    stack = FaultStack(folder)
    try:
        database_url = stack.start_postgres()
        redis_url = stack.start_redis()
        environment = _environment(stack, database_url, f"{redis_url}/0")
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _environment(stack: FaultStack, database_url: str, broker_url: str) -> dict[str, str]:
    """The processes' environment: the throwaway services, loopback fetches allowed (DEBUG on), nothing else."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_", "CELERY_", "CACHE_", "DJANGO_", "SECRET_KEY", "AWS_", "MEDIA_"))
        and name not in ("DEBUG", "ALLOWED_HOSTS", "FETCH_ALLOW_LOOPBACK", "TWO_FACTOR_REQUIRED", "PORT")
    }
    environment.update(
        PATH=f"{BIN}:{environment.get('PATH', '/usr/bin:/bin')}",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DEBUG="True",
        SECRET_KEY="fault tests " * 6,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        CACHE_URL="locmem://",
        FACTCHECK_VAR_DIR=str(stack.folder / "var"),
        FETCH_ALLOW_LOOPBACK="True",
        TWO_FACTOR_REQUIRED="False",
        PENDING_JOBS_SECONDS="1",
    )
    return environment


_redis_databases = itertools.count(1)


class Site:
    """One test module's site: its database and Redis database on the shared throwaway services."""

    def __init__(self, stack: FaultStack, name: str):
        self.stack = stack
        self.name = name
        self.database_url = f"postgres://postgres@127.0.0.1:{stack.pg_port}/{name}"
        self.environment = _environment(
            stack, self.database_url, f"redis://127.0.0.1:{stack.redis_port}/{next(_redis_databases)}"
        )
        self.started: list[subprocess.Popen] = []
        self.web_port = 0

    # --- Processes ---

    def start(self, name: str, command: list[str], **environment: str) -> subprocess.Popen:
        process = self.stack.start(f"{self.name}-{name}", command, {**self.environment, **environment})
        self.started.append(process)
        return process

    def log(self, name: str) -> str:
        path = self.stack.log(f"{self.name}-{name}")
        return path.read_text(errors="replace") if path.exists() else ""

    def start_worker(self, name: str = "worker", *, beat: bool = False) -> subprocess.Popen:
        """A Celery worker on every queue (one process, one message at a time), ready when this returns.
        With `beat`, beat runs inside it (the outbox relay every second)."""
        command = [str(BIN / "celery"), "-A", "tests.faults.celery_app", "worker", "-n", f"{name}@%h"]
        command += ["-Q", "celery,import,matching,email", "--concurrency=1", "-l", "INFO"]
        command += ["--without-gossip", "--without-mingle"]
        if beat:
            command += ["-B", "-s", str(self.stack.folder / f"{self.name}-beat-schedule")]
        process = self.start(name, command)
        ready = wait_until(lambda: " ready." in self.log(name) or process.poll() is not None, seconds=60)
        assert ready and process.poll() is None, f"the worker did not start:\n{self.log(name)[-3000:]}"
        return process

    def start_web(self) -> str:
        """gunicorn with two worker processes (two requests at once, each on its own connection); its address."""
        self.web_port = free_port()
        command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "factcheck.wsgi"]
        process = self.start("web", command, GUNICORN_BIND=f"127.0.0.1:{self.web_port}", GUNICORN_WORKERS="2")
        base = f"http://127.0.0.1:{self.web_port}"

        def up() -> bool:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310 - loopback
                return True

        assert wait_until(up, seconds=60), f"gunicorn did not start:\n{self.log('web')[-3000:]}"
        assert process.poll() is None
        return base

    def stop_all(self) -> None:
        for process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.started):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.stack.kill(process)
        self.started.clear()

    # --- The database ---

    def sql(self, query: str, *params: Any) -> list[tuple]:
        """Rows of a query, on a connection of its own (autocommit)."""
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as connection:
            return connection.execute(query, params).fetchall()

    def value(self, query: str, *params: Any) -> Any:
        rows = self.sql(query, *params)
        return rows[0][0] if rows else None

    def django(self, script: str, **arguments: Any) -> Any:
        """Run `script` under Django in a process of its own; what it passes to `result()` comes back.

        The script sees its keyword arguments as `ARGS` (a dict), and the factories of tests.factories.
        """
        prelude = (
            "import json, sys\nimport django\ndjango.setup()\nARGS = json.loads(sys.argv[1])\n"
            "def result(value):\n    print('RESULT ' + json.dumps(value))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", prelude + script, json.dumps(arguments)],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"the script failed:\n{done.stdout}\n{done.stderr}"
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        return json.loads(lines[-1][len("RESULT ") :]) if lines else None


@pytest.fixture(scope="module")
def fault_site(fault_stack, request) -> Iterator[Site]:
    """A database of this module's own, copied from the migrated one, and a Redis database of its own."""
    name = "faults_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    admin = f"postgres://postgres@127.0.0.1:{fault_stack.pg_port}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DATABASE}"')
    yield Site(fault_stack, name)


@pytest.fixture
def site(fault_site, request) -> Iterator[Site]:
    """The module's site; whatever the test started is stopped after it, and its logs shown if it failed."""
    yield fault_site
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for path in sorted(fault_site.stack.folder.glob(f"{fault_site.name}-*.log")):
            print(f"----- {path.name} (last lines) -----\n" + "\n".join(path.read_text().splitlines()[-60:]))
    fault_site.stop_all()
    if not _answers(fault_site.stack.redis_port):  # a test that stopped Redis and failed before starting it again
        fault_site.stack.start_redis()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture
def local_site():
    """A web site of the test's own on 127.0.0.1 (tests.importing's), which the workers may fetch from."""
    site = LocalSite()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


class HeldPage:
    """A page on the local site whose first request is held until the test releases it (later ones are not):
    a worker in the middle of a fetch, for as long as the test needs."""

    def __init__(self, body: str):
        self.body = body.encode()
        self.arrived = threading.Event()
        self.released = threading.Event()
        self.requests = 0
        self._lock = threading.Lock()

    def chunks(self) -> Iterator[bytes]:
        with self._lock:
            self.requests += 1
            first = self.requests == 1
        if first:
            self.arrived.set()
            self.released.wait(timeout=WAIT_SECONDS)
        yield self.body
