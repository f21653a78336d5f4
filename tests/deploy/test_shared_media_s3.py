"""Media on object storage (MEDIA_STORAGE=s3): what one machine writes, another reads.

Two manage.py processes stand for a worker and a web node on different machines: they share no
disk, only a local S3-compatible server (moto's, on loopback). One draws a share card and saves a
fetched snapshot; the other reads both back. Published files and fetched ones land in their own
buckets, and a fetched file still has no URL.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from moto.server import ThreadedMotoServer

from deploy.smoke import free_port
from tests.test_settings import SETTINGS_VARIABLES

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
MEDIA, FETCHED = "factcheck-media", "factcheck-fetched"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_S3_REGION_NAME": "us-east-1"}

WORKER = """
import hashlib, json
from django.core.files.base import ContentFile
from claims.fetched_files import unguessable_name
from claims.models import Source
from claims.publishing import share_card
text = share_card.CardText(claim="The river rose ten metres overnight.", rating="False", colour="", newsroom="Desk")
png = share_card.card(42, text)
storage = Source._meta.get_field("snapshot").storage
snapshot = storage.save(unguessable_name(".html"), ContentFile(b"<p>The article as fetched.</p>"))
name = share_card.file_name(42, text, complex_layout=share_card.complex_layout_available())
print(json.dumps({"card": name, "card_sha256": hashlib.sha256(png).hexdigest(), "snapshot": snapshot}))
"""

WEB = """
import hashlib, json, os
from django.core.files.storage import default_storage
from claims.models import Source
written = json.loads(os.environ["WRITTEN"])
with default_storage.open(written["card"], "rb") as card:
    card_sha256 = hashlib.sha256(card.read()).hexdigest()
storage = Source._meta.get_field("snapshot").storage
with storage.open(written["snapshot"], "rb") as snapshot:
    text = snapshot.read().decode()
try:
    storage.url(written["snapshot"])
    url = "given"
except ValueError:
    url = "refused"
card_url = default_storage.url(written["card"])
print(json.dumps({"card_sha256": card_sha256, "snapshot": text, "snapshot_url": url, "card_url": card_url}))
"""


@pytest.fixture
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    for bucket in (MEDIA, FETCHED):
        client.create_bucket(Bucket=bucket)
    try:
        yield endpoint, client
    finally:
        server.stop()


def manage_shell(code: str, *, endpoint: str, machine: Path, **extra: str) -> dict:
    environment = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    environment.update(
        CREDENTIALS,
        # Each "machine" has its own disk: nothing is shared but the S3 server.
        FACTCHECK_VAR_DIR=str(machine),
        DATABASE_URL=f"sqlite:///{machine / 'db.sqlite3'}",
        CACHE_URL="locmem://",
        CELERY_BROKER_URL="memory://",
        MEDIA_STORAGE="s3",
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_STORAGE_BUCKET_NAME=MEDIA,
        AWS_FETCHED_BUCKET_NAME=FETCHED,
        **extra,
    )
    result = subprocess.run(
        [sys.executable, MANAGE, "shell", "-c", code],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_share_card_and_a_snapshot_written_on_one_machine_are_read_on_another(s3_endpoint, tmp_path):
    endpoint, client = s3_endpoint
    worker, web = tmp_path / "worker", tmp_path / "web"
    worker.mkdir()
    web.mkdir()

    written = manage_shell(WORKER, endpoint=endpoint, machine=worker)
    read = manage_shell(WEB, endpoint=endpoint, machine=web, WRITTEN=json.dumps(written))

    assert read["card_sha256"] == written["card_sha256"]
    assert read["snapshot"] == "<p>The article as fetched.</p>"
    assert read["snapshot_url"] == "refused"  # fetched files are read through the sandboxed staff view only
    assert read["card_url"] == f"{endpoint}/{MEDIA}/{written['card']}"  # published: a plain, lasting address
    media = [item["Key"] for item in client.list_objects_v2(Bucket=MEDIA)["Contents"]]
    fetched = [item["Key"] for item in client.list_objects_v2(Bucket=FETCHED)["Contents"]]
    assert (media, fetched) == ([written["card"]], [written["snapshot"]])
    assert not any(path.is_file() for path in worker.rglob("*") if path.suffix in (".png", ".html"))
    assert (
        hashlib.sha256(client.get_object(Bucket=MEDIA, Key=written["card"])["Body"].read()).hexdigest()
        == (written["card_sha256"])
    )
