"""The settings a deployment across machines relies on (docs/deploy.md): secrets from files, JSON logs,
shared media on S3, the queues. Each case starts a fresh interpreter, as in tests/test_settings.py."""

import json

from django.conf import settings

from factcheck import celery_app
from tests.test_settings import run_manage  # noqa: F401 - the fixture

SHELL_PRINTS_DATABASE = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"


def test_the_database_address_may_come_from_a_file(run_manage, tmp_path):  # noqa: F811
    secret = tmp_path / "database-url"
    secret.write_text(f"sqlite:///{tmp_path / 'from-the-file.sqlite3'}\n")
    result = run_manage("shell", "-c", SHELL_PRINTS_DATABASE, DATABASE_URL="", DATABASE_URL_FILE=str(secret))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("from-the-file.sqlite3")


def test_json_logs_are_one_object_a_line_with_level_logger_and_message(run_manage):  # noqa: F811
    code = "import logging; logging.getLogger('claims.test').warning('Feed %s failed', 7, extra={'feed': 7})"
    result = run_manage("shell", "-c", code, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    line = next(line for line in lines if line["logger"] == "claims.test")
    assert (line["level"], line["message"], line["feed"]) == ("WARNING", "Feed 7 failed", 7)
    assert line["time"].endswith("+00:00")


def test_an_unknown_log_format_is_refused(run_manage):  # noqa: F811
    result = run_manage("check", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr


def test_media_on_s3_needs_two_different_buckets(run_manage):  # noqa: F811
    one_bucket = run_manage(
        "check", MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="media", AWS_FETCHED_BUCKET_NAME="media"
    )
    assert one_bucket.returncode != 0
    assert "two different buckets" in one_bucket.stderr
    two_buckets = run_manage(
        "check", MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="media", AWS_FETCHED_BUCKET_NAME="fetched"
    )
    assert two_buckets.returncode == 0, two_buckets.stderr


def test_import_matching_and_email_have_queues_of_their_own_and_the_rest_the_default_one():
    def queue_of(task: str) -> str:
        return celery_app.amqp.router.route({}, task)["queue"].name

    assert queue_of("claims.tasks.poll_feed") == queue_of("claims.tasks.fetch_source") == "import"
    assert queue_of("claims.tasks.match_source") == queue_of("claims.tasks.match_tip") == "matching"
    assert queue_of("claims.tasks.send_notification") == queue_of("claims.tasks.alert_event") == "email"
    assert queue_of("claims.tasks.schedule_due_feeds") == queue_of("claims.tasks.record_worker_heartbeat") == "celery"
    # A worker started without -Q (make run's) consumes every one of them.
    assert set(settings.CELERY_TASK_QUEUES) == {"celery", "import", "matching", "email"}
    assert set(settings.CELERY_TASK_QUEUES) <= set(celery_app.amqp.queues)  # (tests add queues of their own)
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "celery"
