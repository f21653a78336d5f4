"""The zero-configuration default (`make run`): SQLite migrates, the demo loads, runserver serves.

See docs/architecture.md, "Background work".

Runs manage.py in subprocesses with no DATABASE_URL, CELERY_BROKER_URL or
CACHE_URL, so the settings fall back to SQLite, the filesystem broker and the
file cache, all inside a temporary FACTCHECK_VAR_DIR.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
CONFIGURATION = (
    "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS",
    "FACTCHECK_VAR_DIR", "DJANGO_SETTINGS_MODULE", "STATIC_ROOT", "MEDIA_ROOT",
)  # fmt: skip
START_SECONDS = 30
PUBLISHED_DEMO_CLAIM = "Iran has not sold and will not sell weapons or drones for use in the war against Ukraine."
# Public pages whose selectors query inside the published records' JSON, which SQLite must answer too.
PUBLIC_PAGES = (
    "/claims/iran-has-not-sold-and-will-not-sell-weapons-or-drones-for-use-in-the-war-against-ukraine/",
    "/topics/iran/",
    "/corrections/",
    "/ratings/",
    "/feed/",
    "/sitemap.xml",
    "/claimreview.json",
)
# Search on SQLite: no full-text documents there (migration 0006 is PostgreSQL-only), the word match instead.
SEARCH = "/search/?q=drones+ukraine&topic=iran"
SEARCH_CLAIMANT = "/search/?q=Abdollahian"  # a name, found in the published record's claimant
DEMO_CLAIM_IN_REVIEW = "/claims/iran-has-supplied-drones-to-russia-for-use-in-the-war-in-ukraine/"
# An id past SQLite's 64-bit integers: a 404, not an OverflowError from the database driver.
ID_TOO_LARGE = "/team/9223372036854775808/"


@pytest.fixture
def default_environment(tmp_path) -> dict:
    environment = {name: value for name, value in os.environ.items() if name not in CONFIGURATION}
    environment.update(FACTCHECK_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    return environment


def manage(environment: dict, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, MANAGE, *args],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_serving(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"runserver exited with {server.returncode}:\n{log.read_text()}")
        try:
            get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"runserver did not answer within {START_SECONDS} s:\n{log.read_text()}")


def test_the_sqlite_default_migrates_loads_the_demo_and_serves_pages(default_environment, tmp_path):
    manage(default_environment, "migrate", "--noinput")
    assert "Demo users ready" in manage(default_environment, "seed_demo").stdout
    assert (tmp_path / "factcheck.sqlite3").exists()

    port = free_port()
    log = tmp_path / "runserver.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=default_environment,
            cwd=settings.BASE_DIR,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(server, port, log)
        paths = (
            "/",
            "/healthz",
            "/accounts/login/",
            *PUBLIC_PAGES,
            SEARCH,
            SEARCH_CLAIMANT,
            DEMO_CLAIM_IN_REVIEW,
            ID_TOO_LARGE,
        )
        pages = {path: get(port, path) for path in paths}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    assert {path: status for path, (status, _body) in pages.items()} == {
        "/": 200,
        "/healthz": 200,
        "/accounts/login/": 200,
        **dict.fromkeys(PUBLIC_PAGES, 200),
        SEARCH: 200,
        SEARCH_CLAIMANT: 200,
        DEMO_CLAIM_IN_REVIEW: 404,
        ID_TOO_LARGE: 404,
    }, log.read_text()
    assert PUBLISHED_DEMO_CLAIM.encode() in pages["/"][1]
    assert PUBLISHED_DEMO_CLAIM.encode() in pages["/topics/iran/"][1]
    assert PUBLISHED_DEMO_CLAIM.encode() in pages[SEARCH][1]
    assert PUBLISHED_DEMO_CLAIM.encode() in pages[SEARCH_CLAIMANT][1]
    assert b"Iran has supplied drones to Russia" not in pages[SEARCH][1]  # the demo claim in review
    assert json.loads(pages["/healthz"][1])["database"] == "ok"
    assert b"Staff login" in pages["/accounts/login/"][1]
