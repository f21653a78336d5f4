"""Rebuild every public claim's full-text search document from its published record (PostgreSQL)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from claims.publishing import pages
from claims.search import rebuild_search_documents


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search documents of all public claims from their published records. "
        "Publishing keeps them up to date; run this after restoring a database or changing how documents are built. "
        "PostgreSQL only: elsewhere search reads the records directly."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Search documents exist only on PostgreSQL; this database searches the records.")
        published = pages.published_verdicts().values_list("claim_id", "published_record")
        with transaction.atomic():
            count = rebuild_search_documents(connection, published.iterator())
        self.stdout.write(f"Search documents rebuilt for {count} public claims.")
