"""factcheck/settings.py reads the environment strictly and refuses unsafe production settings.

Each case starts a fresh interpreter (settings are read once, at import) with
a clean environment and a throwaway SQLite database.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
GOOD_SECRET = "k3V!q8#Lz2@w9$Rm5^Tb7&Yx1*Hn4(Jc6)Fd0_Gs8+Pa2=Ue5-Wo"  # 52 characters, many distinct
# Environment variables the settings read; none leaks in from the test run's own environment.
SETTINGS_VARIABLES = (
    "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL",
    "FETCH_ALLOW_LOOPBACK", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "BEHIND_TLS_PROXY",
    "FACTCHECK_VAR_DIR", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT", "STATIC_ROOT", "FETCHED_FILES_ROOT",
    "DATABASE_URL_FILE", "CACHE_URL_FILE", "CELERY_BROKER_URL_FILE", "LOG_FORMAT", "LOG_LEVEL", "MEDIA_STORAGE",
    "AWS_STORAGE_BUCKET_NAME", "AWS_FETCHED_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY", "AWS_S3_REGION_NAME", "AWS_S3_CUSTOM_DOMAIN", "BEAT_SKIP_BACKLOG",
)  # fmt: skip


@pytest.fixture
def run_manage(tmp_path):
    def run(*args: str, **env: str) -> subprocess.CompletedProcess:
        environment = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
        environment.update(
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            FACTCHECK_VAR_DIR=str(tmp_path),
            CACHE_URL="locmem://",
            CELERY_BROKER_URL="memory://",
        )
        environment.update(env)
        return subprocess.run(
            [sys.executable, MANAGE, *args],
            env=environment,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return run


def test_production_without_secret_key_refuses_to_start(run_manage):
    result = run_manage("check", DEBUG="False", ALLOWED_HOSTS="claims.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "Refusing to start with DEBUG off" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start(run_manage):
    result = run_manage("check", DEBUG="False", ALLOWED_HOSTS="claims.example", SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(run_manage):
    result = run_manage("check", DEBUG="False", SECRET_KEY=GOOD_SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
    assert "SECRET_KEY" not in result.stderr


def test_secret_key_may_come_from_a_file(run_manage, tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(GOOD_SECRET + "\n")
    result = run_manage("check", DEBUG="False", ALLOWED_HOSTS="claims.example", SECRET_KEY_FILE=str(secret_file))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_an_unreadable_secret_key_file_is_named(run_manage, tmp_path):
    missing = tmp_path / "no-such-file"
    result = run_manage("check", DEBUG="False", ALLOWED_HOSTS="claims.example", SECRET_KEY_FILE=str(missing))
    assert result.returncode != 0
    assert f"SECRET_KEY_FILE='{missing}' cannot be read" in result.stderr


def test_a_boolean_that_is_not_true_or_false_is_an_error(run_manage):
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_loopback_fetches_are_refused_in_production(run_manage):
    result = run_manage(
        "check", DEBUG="False", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="claims.example", FETCH_ALLOW_LOOPBACK="True"
    )
    assert result.returncode != 0
    assert "FETCH_ALLOW_LOOPBACK cannot be enabled with DEBUG off" in result.stderr


def test_loopback_fetches_may_be_allowed_in_development(run_manage):
    result = run_manage("check", DEBUG="True", FETCH_ALLOW_LOOPBACK="True")
    assert result.returncode == 0, result.stderr


def test_development_needs_no_configuration(run_manage):
    result = run_manage("check")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deployment_checklist(run_manage):
    # The values docs/operations.md gives for production.
    result = run_manage(
        "check", "--deploy",
        DEBUG="False", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="claims.example", SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = result.stdout + result.stderr
    assert _warnings(report) == [], report
    assert "System check identified no issues" in report


def test_hsts_preloading_is_left_off_without_a_warning_and_may_be_switched_on(run_manage):
    production = {"DEBUG": "False", "SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "claims.example"}
    production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] = "true"
    for preload in ("false", "true"):
        result = run_manage("check", "--deploy", **production, SECURE_HSTS_PRELOAD=preload)
        assert result.returncode == 0, result.stderr
        assert _warnings(result.stdout + result.stderr) == [], result.stdout + result.stderr


def test_a_site_whose_subdomains_are_not_all_on_https_is_reminded_of_it(run_manage):
    # Leaving subdomains out of HSTS is the operator's choice, and the deployment check says so.
    result = run_manage("check", "--deploy", DEBUG="False", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="claims.example")
    assert result.returncode == 0, result.stderr
    assert _warnings(result.stdout + result.stderr) == ["security.W005"]


def _warnings(report: str) -> list[str]:
    return [line.split(")")[0].split("(")[1] for line in report.splitlines() if line.startswith("?: (")]


@pytest.mark.parametrize("inside", ["media", "media/fetched", "staticfiles/fetched"])
def test_fetched_files_inside_a_served_folder_refuse_to_start(run_manage, tmp_path, inside):
    result = run_manage("check", FETCHED_FILES_ROOT=str(tmp_path / inside))
    assert result.returncode != 0
    assert "FETCHED_FILES_ROOT" in result.stderr
    assert "overlaps" in result.stderr


def test_fetched_files_beside_media_start(run_manage, tmp_path):
    result = run_manage("check", FETCHED_FILES_ROOT=str(tmp_path / "fetched"))
    assert result.returncode == 0, result.stderr


def test_a_redis_cache_url_gets_the_cache_that_reuses_its_client(run_manage):
    shown = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        CACHE_URL="redis://127.0.0.1:6379/0",
    )  # fmt: skip
    assert shown.stdout.strip().splitlines()[-1] == "factcheck.redis_cache.ReusedClientRedisCache", shown.stderr
