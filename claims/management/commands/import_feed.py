"""Read one feed now, synchronously, through the same code as the worker (docs/architecture.md, "Importing")."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from claims.canonical import canonicalize_url
from claims.importing import pipeline
from claims.importing.feeds import MAX_FEED_BYTES
from claims.models import Feed, ImportRun


class Command(BaseCommand):
    help = (
        "Import one RSS or Atom feed now: an http(s) URL is fetched through the safe fetcher, anything else is "
        "read as a local file. New items become sources; their articles are fetched by the worker. "
        "A feed not on file yet is added, disabled (the worker does not poll it until an admin enables it). "
        "Exit status 0 when the feed was read (nothing new and 304 included), 1 when it could not be."
    )

    def add_arguments(self, parser):
        parser.add_argument("url_or_path", help="The feed's http(s) address, or the path of a feed file.")

    def handle(self, *args, url_or_path: str, **options):
        if urlsplit(url_or_path).scheme.lower() in ("http", "https"):
            feed, document = self.feed_for_url(url_or_path), None
        else:
            feed, document = self.feed_for_file(Path(url_or_path))
        run = pipeline.poll_feed(feed.pk, document=document)
        if run is None:  # pragma: no cover - only a concurrent worker could take a run made just now
            raise CommandError(f"{feed.url}: another import of this feed is running; try again in a minute.")
        summary = (
            f"{feed.name}: {run.get_status_display().lower()} — {run.items_seen} item(s) read, {run.items_new} new, "
            f"{run.items_duplicate} already on file, {run.items_failed} left out"
        )
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(f"{feed.name}: could not be imported: {run.error}")
        self.stdout.write(f"{summary}. {run.error}".strip())

    def feed_for_url(self, url: str) -> Feed:
        try:
            url = canonicalize_url(url)
        except ValueError as exc:
            raise CommandError(f"{url}: {exc}") from None
        feed, _created = Feed.objects.get_or_create(url=url, defaults={"name": urlsplit(url).hostname, "active": False})
        return feed

    def feed_for_file(self, path: Path) -> tuple[Feed, bytes]:
        try:
            with path.open("rb") as file:
                document = file.read(MAX_FEED_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror}), and it is not an http(s) address.") from None
        url = path.resolve().as_uri()
        feed, _created = Feed.objects.get_or_create(url=url, defaults={"name": path.name, "active": False})
        return feed, document
