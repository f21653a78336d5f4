"""Full-text search documents of public claims: a table with a GIN index, on PostgreSQL only.

The model is unmanaged: Django's state has it everywhere, while the table, its
index and the backfill from the published records exist only on PostgreSQL,
so SQLite (the `make run` default) still migrates.

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
    # Imported here: the function reads only the records' JSON, not the models.
    from claims.search import rebuild_search_documents

    Verdict = apps.get_model("claims", "Verdict")
    published = Verdict.objects.filter(state="published", claim__removed_at__isnull=True)
    rows = published.values_list("claim_id", "published_record")
    rebuild_search_documents(schema_editor.connection, rows.iterator())


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
