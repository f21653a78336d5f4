"""What every installation starts with: the role groups, the settings row, the rating scales.

Migrations 0002 and 0004 create them on a new database (with copies of these
literals: a migration imports no app code); `ensure_defaults` creates them again
in a database that was flushed, as tests do. Each function is idempotent.
"""

from django.apps import apps as current_apps

from claims.permissions import ROLE_GROUPS

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


def ensure_roles(apps=current_apps):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def ensure_site_settings(apps=current_apps):
    apps.get_model("claims", "SiteSettings").objects.get_or_create(pk=1)


def ensure_rating_scales(apps=current_apps):
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


def ensure_defaults():
    ensure_roles()
    ensure_site_settings()
    ensure_rating_scales()
