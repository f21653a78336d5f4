"""System checks for a deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_required_check(app_configs, **kwargs):
    if settings.TWO_FACTOR_REQUIRED:
        return []
    return [
        Warning(
            "TWO_FACTOR_REQUIRED is off: reviewers and admins can sign in with a password alone.",
            hint="Unset TWO_FACTOR_REQUIRED (it defaults to True) in production.",
            id="claims.W001",
        )
    ]
