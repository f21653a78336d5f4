"""Filters for showing published records (claims.publishing.record), which keep codes ("denies", "fa"); their dates
are shown by claims/templatetags/partial_dates.py."""

from django import template
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from claims.models import Evidence, Intervention, Outreach, Statement

register = template.Library()


@register.filter
def statement_stance(code: str) -> str:
    return _label(Statement.Stance, code)


@register.filter
def evidence_stance(code: str) -> str:
    return _label(Evidence.Stance, code)


@register.filter
def outreach_method(code: str) -> str:
    return _label(Outreach.Method, code)


@register.filter
def intervention_asked(code: str) -> str:
    return _label(Intervention.Asked, code)


@register.filter
def intervention_method(code: str) -> str:
    return _label(Intervention.Method, code)


# How a related claim stands to the one on the page (claims.publishing.record.RELATIONS).
RELATION_LABELS = {
    "counter_claim": _("Counter-claim"),
    "same_claim": _("The same claim"),
    "part_of": _("This claim is part of"),
    "includes": _("Part of this claim"),
}


@register.filter
def claim_relation(code: str) -> str:
    return str(RELATION_LABELS.get(code, code))


@register.filter
def language_name(code: str) -> str:
    """The name of a language code (fa: Persian); a code Django does not know is shown as it is."""
    if not code:
        return ""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code
