"""A worker process killed (SIGKILL) in the middle of an import: PostgreSQL drops its transaction, and the
redelivered poll stores every item once — no duplicate, nothing missing."""

import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from claims.importing import pipeline
from claims.models import FeedEntry, ImportRun, Source
from tests.factories import FeedFactory
from tests.importing.conftest import rss
from tests.integration.test_celery_worker import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# The worker's code, stopped for good once the sources are written but not committed.
POLL_UNTIL_KILLED = """
import os, sys, time
import django
django.setup()
from claims.importing import pipeline
write_sources = pipeline.bulk_create_with_history

def write_then_hang(objs, model, **options):
    write_sources(objs, model, **options)
    open(os.environ["READY_FILE"], "w").write("written, not committed")
    time.sleep(120)

pipeline.bulk_create_with_history = write_then_hang
pipeline.poll_feed(int(sys.argv[1]), int(sys.argv[2]))
"""


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_poll_killed_mid_transaction_is_redone_once(local_site, enqueued, tmp_path):
    assert connection.vendor == "postgresql"
    items = [{"guid": f"k{n}", "link": f"/killed/{n}", "title": f"Item {n}"} for n in range(5)]
    local_site.add("/feed.xml", rss(items), content_type="application/rss+xml")
    feed = FeedFactory(url=local_site.url("/feed.xml"))
    run = ImportRun.objects.create(feed=feed)
    ready = tmp_path / "ready"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": "memory://",
        "FETCH_ALLOW_LOOPBACK": "True",
        "DEBUG": "True",
        "READY_FILE": str(ready),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", POLL_UNTIL_KILLED, str(feed.pk), str(run.pk)], env=environment, cwd=settings.BASE_DIR
    )
    try:
        assert wait_for(ready.exists, seconds=60), "the worker never reached the middle of the import"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING  # as the killed worker left it
    assert wait_for(lambda: not Source.objects.filter(feed=feed).exists(), seconds=10)

    ImportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - pipeline.run_stale_after())
    redelivered = pipeline.poll_feed(feed.pk, run.pk)

    assert (redelivered.status, redelivered.items_new, redelivered.items_duplicate) == ("succeeded", 5, 0)
    assert Source.objects.filter(feed=feed).count() == 5
    assert FeedEntry.objects.filter(feed=feed).count() == 5
