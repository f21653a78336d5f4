"""Where exports of the claims are written: a private storage, apart from MEDIA_ROOT, with no URL.

An export may hold internal fields (notes, assignees, drafts, confidential sources), so it is never
served by the proxy or by WhiteNoise: the files live under EXPORTS_ROOT, under names nobody can
guess, and only the staff view `staff:export-download` sends one, to the person who asked for it
(docs/architecture.md, "Exports").
"""

from typing import cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property


class ExportFileStorage(FileSystemStorage):
    """EXPORTS_ROOT, with no URL: a template that asks for `.url` fails instead of linking the file."""

    @cached_property
    def base_location(self) -> str:
        return str(self._value_or_setting(self._location, settings.EXPORTS_ROOT))  # type: ignore[attr-defined]

    def _clear_cached_properties(self, setting: str, **kwargs: object) -> None:
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting == "EXPORTS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise ValueError("Exports have no URL: link the staff view that serves them (staff:export-download).")


def export_storage() -> ExportFileStorage:
    """The storage of `Export.file` (a callable, so the migration names it rather than its settings)."""
    return cast(ExportFileStorage, storages["exports"])
