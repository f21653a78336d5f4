"""Contributions: who changed what a claim's public record would show, since it was last published.

The rows are filled in from the history on file: every history row written by a person after the
claim's last publication (all of them for a claim never published) that added, removed, restored or
changed a public field of the claim, a citation, a statement, an evidence item, the outreach or a
verdict — or of a source or actor the claim shows. The lists below are copied from
claims.publishing.build.PUBLIC_FIELDS as it stood (a migration imports no app code); topics, whose
history is kept apart, are left out.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# Historical model -> (public columns, the column naming the claim, or None for shared rows).
PUBLIC_COLUMNS = {
    "claim": (
        ("text", "slug", "language", "is_sample", "claimant_id", "first_appearance_id", "date", "date_precision",
         "date_note"),
        "id",
    ),
    "claimsource": (("source_id", "role", "order", "removed_at"), "claim_id"),
    "statement": (
        ("actor_id", "source_id", "stance", "quote", "quote_language", "second_hand", "translated",
         "original_language", "original_quote", "date", "date_precision", "date_note", "removed_at"),
        "claim_id",
    ),
    "evidence": (("summary", "stance", "url", "source_id", "order", "removed_at"), "claim_id"),
    "outreach": (
        ("contacted", "method", "contacted_on", "request", "response", "responded_on", "not_possible_reason",
         "removed_at"),
        "claim_id",
    ),
    "verdict": (("kind", "rating_id", "headline", "explanation", "public_note"), "claim_id"),
    "source": (
        ("url", "title", "publisher", "author", "archive_url", "language", "licence", "attribution", "confidential",
         "public_description", "date", "date_precision", "date_note"),
        None,
    ),
    "actor": (("name", "title", "kind"), None),
}  # fmt: skip


def _change(previous, row, columns):
    """(change, fields) of one history row against the one before it; change None if nothing public moved."""
    if row.history_type == "+" or previous is None:
        return ("added" if row.history_type == "+" else "edited"), []
    if row.history_type == "-":
        return "removed", []
    was_removed = getattr(previous, "removed_at", None) is not None
    is_removed = getattr(row, "removed_at", None) is not None
    if was_removed and is_removed:
        return None, []
    if is_removed:
        return "removed", []
    changed = [
        column.removesuffix("_id")
        for column in columns
        if column != "removed_at" and getattr(previous, column) != getattr(row, column)
    ]
    if was_removed:
        return "restored", changed
    return ("edited", changed) if changed else (None, [])


def _claims_showing(apps, model_name, item_id):
    Claim = apps.get_model("claims", "Claim")
    if model_name == "source":
        ids = set(Claim.objects.filter(first_appearance_id=item_id).values_list("pk", flat=True))
        for related in ("ClaimSource", "Statement", "Evidence"):
            model = apps.get_model("claims", related)
            ids |= set(model.objects.filter(source_id=item_id).values_list("claim_id", flat=True))
        return ids
    Statement = apps.get_model("claims", "Statement")
    return set(Claim.objects.filter(claimant_id=item_id).values_list("pk", flat=True)) | set(
        Statement.objects.filter(actor_id=item_id).values_list("claim_id", flat=True)
    )


def fill_from_history(apps, schema_editor):
    Verdict = apps.get_model("claims", "Verdict")
    Contribution = apps.get_model("claims", "Contribution")
    last_published = {}
    for claim_id, published_at in Verdict.objects.filter(published_at__isnull=False).values_list(
        "claim_id", "published_at"
    ):
        last_published[claim_id] = max(published_at, last_published.get(claim_id, published_at))

    contributions = []
    for model_name, (columns, claim_column) in PUBLIC_COLUMNS.items():
        history = apps.get_model("claims", f"Historical{apps.get_model('claims', model_name)._meta.object_name}")
        previous = {}
        for row in history.objects.order_by("id", "history_date", "history_id").iterator():
            change, fields = _change(previous.get(row.id), row, columns)
            previous[row.id] = row
            if change is None or row.history_user_id is None:
                continue
            claim_ids = {getattr(row, claim_column)} if claim_column else _claims_showing(apps, model_name, row.id)
            for claim_id in sorted(claim_ids):
                since = last_published.get(claim_id)
                if since is not None and row.history_date <= since:
                    continue
                contributions.append(
                    Contribution(
                        claim_id=claim_id,
                        by_id=row.history_user_id,
                        at=row.history_date,
                        item_type=model_name,
                        item_id=row.id,
                        change=change,
                        fields=fields,
                    )
                )
    contributions.sort(key=lambda contribution: contribution.at)
    Contribution.objects.bulk_create(contributions, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_fetched_files"),
    ]

    operations = [
        migrations.CreateModel(
            name="Contribution",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("item_type", models.CharField(help_text="The model written, e.g. statement", max_length=40)),
                ("item_id", models.PositiveBigIntegerField()),
                (
                    "change",
                    models.CharField(
                        choices=[
                            ("added", "added"),
                            ("edited", "edited"),
                            ("removed", "removed"),
                            ("restored", "restored"),
                        ],
                        max_length=8,
                    ),
                ),
                ("fields", models.JSONField(blank=True, default=list, help_text="The public fields that changed")),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contributions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="contributions", to="claims.claim"
                    ),
                ),
                (
                    "published_in",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="closed_contributions",
                        to="claims.verdict",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
                "indexes": [
                    models.Index(fields=["claim", "published_in", "id"], name="claims_cont_claim_i_ce8b2d_idx")
                ],
            },
        ),
        migrations.RunPython(fill_from_history, migrations.RunPython.noop),
    ]
