from django.db import migrations

# The default scales as they stood (claims.defaults has the current ones): a migration imports no app code.
DEFAULT_RATINGS = [
    # label, colour, value, definition
    ("True", "green", 5, "The claim is accurate and nothing significant is missing."),
    ("Mostly true", "lime", 4, "The claim is accurate but needs clarification or additional information."),
    (
        "Half true",
        "yellow",
        3,
        "The claim is partially accurate but leaves out important details or takes things out of context.",
    ),
    (
        "Mostly false",
        "orange",
        2,
        "The claim contains an element of truth but ignores critical facts that would give a different impression.",
    ),
    ("False", "red", 1, "The claim is not accurate."),
    ("Misleading", "purple", None, "The claim uses accurate facts in a way that gives a false impression."),
    ("Unproven", "grey", None, "The evidence available does not establish whether the claim is true or false."),
]


def create_scales(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    SiteSettings = apps.get_model("claims", "SiteSettings")
    default, _ = RatingScale.objects.get_or_create(
        slug="default",
        defaults={"name": "Default scale", "description": "From True to False, plus Misleading and Unproven."},
    )
    for order, (label, colour, value, description) in enumerate(DEFAULT_RATINGS, start=1):
        Rating.objects.get_or_create(
            scale=default,
            label=label,
            defaults={"colour": colour, "value": value, "order": order, "description": description},
        )
    RatingScale.objects.get_or_create(
        slug="conclusion-only",
        defaults={
            "name": "Conclusion only",
            "description": "No rating: each verdict publishes a written conclusion.",
            "conclusion_only": True,
        },
    )
    SiteSettings.objects.filter(pk=1, active_rating_scale__isnull=True).update(active_rating_scale=default)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_verdicts_and_review")]

    operations = [migrations.RunPython(create_scales, migrations.RunPython.noop)]
