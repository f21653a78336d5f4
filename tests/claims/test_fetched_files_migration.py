"""The migration that moves snapshots already stored out of MEDIA_ROOT, under new random names."""

import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from claims.models import Source
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

MIGRATION = next(Path(__file__).parents[2].glob("claims/migrations/*_fetched_files.py")).stem
move_snapshots_out_of_media = importlib.import_module(f"claims.migrations.{MIGRATION}").move_snapshots_out_of_media


@pytest.fixture
def old_layout(settings, tmp_path):
    """Snapshots as the pipeline used to store them: MEDIA_ROOT/snapshots/YYYY/MM/source-N.html."""
    settings.MEDIA_ROOT = tmp_path / "media"

    def stored(source, content: bytes | None, extension: str = ".html") -> str:
        name = f"snapshots/2024/05/source-{source.pk}{extension}"
        if content is not None:
            path = settings.MEDIA_ROOT / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        Source.all_objects.filter(pk=source.pk).update(snapshot=name)
        source.history.update(snapshot=name)
        return name

    return stored


def migrate(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        move_snapshots_out_of_media(apps, SimpleNamespace(connection=connection))


def test_the_migration_moves_each_snapshot_and_renames_it(old_layout, settings, django_capture_on_commit_callbacks):
    source = SourceFactory()
    old_name = old_layout(source, b"<!DOCTYPE html><p>then</p>")

    migrate(django_capture_on_commit_callbacks)

    source.refresh_from_db()
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{40}\.html", source.snapshot.name)
    assert (settings.FETCHED_FILES_ROOT / source.snapshot.name).read_bytes() == b"<!DOCTYPE html><p>then</p>"
    assert not (settings.MEDIA_ROOT / old_name).exists()
    assert not (settings.MEDIA_ROOT / "snapshots").exists()
    assert set(source.history.values_list("snapshot", flat=True)) == {source.snapshot.name}


def test_the_migration_leaves_a_missing_file_alone_and_may_run_again(
    old_layout, settings, django_capture_on_commit_callbacks, capsys
):
    moved, missing, removed = SourceFactory(), SourceFactory(), SourceFactory()
    old_layout(moved, b"%PDF-1.4", extension=".pdf")
    missing_name = old_layout(missing, None)
    Source.all_objects.filter(pk=removed.pk).update(removed_at="2024-06-01T00:00Z")
    old_layout(removed, b"<p>removed, still kept</p>")
    stray = settings.MEDIA_ROOT / "snapshots/2024/05/source-999_aXb.html"
    stray.write_bytes(b"<p>no source points here</p>")

    migrate(django_capture_on_commit_callbacks)
    names = dict(Source.all_objects.values_list("pk", "snapshot"))
    migrate(django_capture_on_commit_callbacks)

    assert dict(Source.all_objects.values_list("pk", "snapshot")) == names  # nothing moved twice
    assert names[moved.pk].endswith(".pdf") and not names[moved.pk].startswith("snapshots/")
    assert not names[removed.pk].startswith("snapshots/")
    assert names[missing.pk] == missing_name
    assert stray.exists()
    assert "still holds files no source points at" in capsys.readouterr().out
