"""Rebuild every public claim's search text (and, on PostgreSQL, full-text search document) from its record."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from claims.publishing import pages
from claims.search import rebuild_search_documents


class Command(BaseCommand):
    help = (
        "Rebuild the search texts (and, on PostgreSQL, the full-text search documents) of all public claims from "
        "their published records. Publishing keeps them up to date; run this after upgrading past a migration "
        "that adds them, restoring a database or changing how they are built."
    )

    def handle(self, *args, **options):
        published = pages.published_verdicts().values_list("claim_id", "published_record")
        with transaction.atomic():
            count = rebuild_search_documents(connection, published.iterator())
        self.stdout.write(f"Search documents rebuilt for {count} public claims.")
