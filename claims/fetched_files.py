"""Files fetched from outside (snapshots of articles): stored apart from MEDIA_ROOT, and never at a URL.

A fetched page is data written by someone else. Served from our origin as HTML
it could load our own htmx and act as whoever opened it, so (docs/architecture.md,
Security):

- the files live under FETCHED_FILES_ROOT, which nothing serves, never under
  MEDIA_ROOT (which holds only what the site publishes, such as the logo);
- each is named by a random token, not by the source's id or the date;
- staff read them only through `snapshot_response`, which sends them as inert
  text or as a download, in a CSP sandbox.
"""

import mimetypes
import secrets
from functools import wraps
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse
from django.utils.functional import cached_property

# Shown in the browser as text (the page's source); anything else is only downloaded.
TEXT_EXTENSIONS = frozenset({".html", ".xhtml", ".txt"})
# No script, no plugin, no form, no request of any kind, not even from an iframe of ours.
SANDBOX_POLICY = "sandbox; default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


class FetchedFileStorage(FileSystemStorage):
    """FETCHED_FILES_ROOT, with no URL: a template that asks for `.url` fails instead of linking the file."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.FETCHED_FILES_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "FETCHED_FILES_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Fetched files have no URL: link the staff view that serves them (staff:source-snapshot).")


def fetched_storage() -> Storage:
    """The storage of `Source.snapshot` (a callable, so the migration names it rather than its settings):
    FetchedFileStorage, or FetchedS3Storage (claims/fetched_files_s3.py) with MEDIA_STORAGE=s3."""
    return storages["fetched"]


def unguessable_name(extension: str) -> str:
    """A new file name: 160 random bits, in a folder named by the first two of its hex digits."""
    token = secrets.token_hex(20)
    return f"{token[:2]}/{token}{extension}"


def is_text(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in TEXT_EXTENSIONS


def inert(response):
    """Headers that keep a stored file from ever acting as a page of ours, whatever it holds."""
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def inert_view(view):
    """`view`, its answers made inert (the development server's /media/, like the proxy in production)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return inert(view(request, *args, **kwargs))

    return wrapped


def snapshot_response(source) -> FileResponse:
    """The source's snapshot as inert bytes: HTML as plain text, anything else as a download; never active."""
    suffix = PurePosixPath(source.snapshot.name).suffix.lower()
    handle = source.snapshot.storage.open(source.snapshot.name, "rb")
    if suffix in TEXT_EXTENSIONS:
        filename = f"source-{source.pk}-snapshot{suffix}.txt"
        response = FileResponse(handle, filename=filename, content_type="text/plain; charset=utf-8")
    else:
        filename = f"source-{source.pk}-snapshot{suffix}"
        content_type = mimetypes.types_map.get(suffix, "application/octet-stream")
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Vary"] = "Cookie"
    return inert(response)
