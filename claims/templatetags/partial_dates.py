"""Dates for people, in the reader's language and in the calendar the page shows (claims/dates.py).

`{% partial_date thing %}` shows a date known to the day, month or year, with its note, as a `<time>` holding
the Gregorian ISO date for machines; `thing` is a published record's part (claims.publishing.record.Dated) or
a row (claims.models.Dated). `{% day value %}` shows a day: a date, a datetime or ISO text; `{% moment value %}` a
datetime's day and time ("18 July 2022, 14:05"). They follow the
site's calendar (`SiteSettings.date_calendar`) for Persian readers, from the `site_settings` the context
processor puts in every page's context; without it (an email, a test), Gregorian.
"""

from django import template
from django.utils.html import format_html

from claims.dates import (
    DateCalendar,
    display_day,
    display_moment,
    display_partial_date,
    iso_partial_date,
    shown_calendar,
)

register = template.Library()


def _shown_in(context) -> str:
    site = context.get("site_settings")
    return shown_calendar(getattr(site, "date_calendar", DateCalendar.GREGORIAN))


def _parts(dated) -> tuple:
    """(date, precision, calendar, note) of a record's part or of a row."""
    if hasattr(dated, "date_precision"):
        return dated.date, dated.date_precision, dated.date_calendar, dated.date_note
    return dated.date, dated.precision, dated.calendar, dated.note


@register.simple_tag(takes_context=True)
def partial_date(context, dated) -> str:
    value, precision, calendar, note = _parts(dated)
    shown = display_partial_date(value, precision, note, calendar, shown_in=_shown_in(context))
    if machine := iso_partial_date(value, precision, calendar):
        return format_html('<time datetime="{}">{}</time>', machine, shown)
    return shown


@register.simple_tag(takes_context=True)
def day(context, value) -> str:
    """A day as text (for `{% day x as when %}` inside a translated sentence too)."""
    return display_day(value, shown_in=_shown_in(context))


@register.simple_tag(takes_context=True)
def moment(context, value) -> str:
    """A datetime's day and time, in the current time zone (for `{% moment x as when %}` too)."""
    return display_moment(value, shown_in=_shown_in(context))
