"""Full-text search documents of public claims: a table with a GIN index, on PostgreSQL only.

The model is unmanaged: Django's state has it everywhere, while the table and
its index exist only on PostgreSQL, so SQLite (the `make run` default) still
migrates.

The table starts empty. Documents are built from the published records by app
code (claims/search.py, which reads every record version), and a migration
imports no app code, so verdicts published before this migration are indexed
by `manage.py rebuild_search_index`, run once after upgrading
(docs/operations.md, "Search"); every verdict published afterwards is indexed
as it is published.

claim_id carries no foreign key constraint: Django's flush (in transactional
tests) leaves unmanaged tables alone, and PostgreSQL refuses to truncate a
table that another one references. Claims are never deleted (removal is soft),
and search reaches documents only through their claims.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

CREATE_SQL = (
    """
    CREATE TABLE claims_claimsearchdocument (
        claim_id bigint PRIMARY KEY,
        config varchar(32) NOT NULL,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX claims_claimsearchdocument_document ON claims_claimsearchdocument USING gin (document)",
)


def create_on_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in CREATE_SQL:
        schema_editor.execute(statement)


def drop_on_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE claims_claimsearchdocument")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_public_side_and_import"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimSearchDocument",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="claims.claim",
                    ),
                ),
                (
                    "config",
                    models.CharField(help_text="PostgreSQL text-search configuration, e.g. english", max_length=32),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "db_table": "claims_claimsearchdocument",
                "managed": False,
            },
        ),
        migrations.RunPython(create_on_postgresql, drop_on_postgresql),
    ]
