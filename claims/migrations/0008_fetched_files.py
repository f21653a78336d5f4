"""Snapshots move out of MEDIA_ROOT into FETCHED_FILES_ROOT, under names nobody can guess.

They used to be written as MEDIA_ROOT/snapshots/YYYY/MM/source-N.html, which the
proxy served to anyone from the site's own origin. Each file a source points at
is copied to a random name in the fetched-files folder and the source (and its
history rows) repointed; once the migration has committed, the originals are
deleted. Files no source points at are left alone, and named: delete them.
A source whose file is missing keeps its name: put the file at that path under
FETCHED_FILES_ROOT and it is found again. Safe to run again: only names under
snapshots/ whose file is still in MEDIA_ROOT move.
"""

import secrets
import shutil
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import migrations, models, transaction

# The one reference to app code, and a safe one: Django requires a field's storage to be named by a
# callable (or an instance, which it would serialise with its settings), so the field definition names
# `fetched_storage`. It is looked up, not run, when the migration loads and only returns the configured
# storage; no data step here uses it.
import claims.fetched_files

OLD_FOLDER = "snapshots"


def random_name(old_name: str) -> str:
    token = secrets.token_hex(20)
    return f"{token[:2]}/{token}{PurePosixPath(old_name).suffix.lower()}"


def move_snapshots_out_of_media(apps, schema_editor):
    Source = apps.get_model("claims", "Source")
    HistoricalSource = apps.get_model("claims", "HistoricalSource")
    media_root, fetched_root = Path(settings.MEDIA_ROOT), Path(settings.FETCHED_FILES_ROOT)
    copied: list[Path] = []
    rows = Source._base_manager.filter(snapshot__startswith=f"{OLD_FOLDER}/").values_list("pk", "snapshot")
    for pk, old_name in rows.iterator():
        old_path = media_root / old_name
        if not old_path.is_file():
            continue
        new_name = random_name(old_name)
        new_path = fetched_root / new_name
        new_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(old_path, new_path)  # copied, not moved: a rolled-back migration loses nothing
        Source._base_manager.filter(pk=pk).update(snapshot=new_name)
        HistoricalSource._base_manager.filter(id=pk, snapshot=old_name).update(snapshot=new_name)
        copied.append(old_path)

    def remove_originals():
        for path in copied:
            path.unlink(missing_ok=True)
        old_folder = media_root / OLD_FOLDER
        for folder in sorted((p for p in old_folder.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        if old_folder.is_dir() and not any(old_folder.iterdir()):
            old_folder.rmdir()
        elif old_folder.is_dir():
            print(
                f"\n  {old_folder} still holds files no source points at: fetched pages, "
                "which must not be served; delete that folder (or move it out of MEDIA_ROOT)."
            )

    transaction.on_commit(remove_originals, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_account_security"),
    ]

    operations = [
        migrations.AlterField(
            model_name="source",
            name="snapshot",
            field=models.FileField(blank=True, storage=claims.fetched_files.fetched_storage, upload_to=""),
        ),
        migrations.RunPython(move_snapshots_out_of_media, migrations.RunPython.noop),
    ]
