"""Dates known to the day, the month or the year, or not at all: reading what staff type, and writing
them for a form, a page and machines (ISO 8601, as far as known).

A month- or year-precise date is stored as its first day beside its precision. Dates are read in the
Gregorian calendar whatever digits they are typed in; a year written in another calendar (the Solar
Hijri 1401 is 2022) is refused, never guessed from its digits.
"""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    UNKNOWN = "unknown", _("Unknown")


EARLIEST_YEAR = 1600
NOT_GREGORIAN = _(
    "Years before 1600 are not accepted: dates are read in the Gregorian calendar; "
    "other calendars come with multilingual support."
)
PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$", re.ASCII)
# How much of an ISO date is known: "2022-07-18", "2022-07" (ISO 8601 allows it) or "2022".
ISO_LENGTH: dict[str, int] = {DatePrecision.DAY: 10, DatePrecision.MONTH: 7, DatePrecision.YEAR: 4}
DISPLAY_FORMATS: dict[str, str] = {DatePrecision.DAY: "j F Y", DatePrecision.MONTH: "F Y", DatePrecision.YEAR: "Y"}


def ascii_digits(text: str) -> str:
    """Every decimal digit (Persian, Arabic-Indic, any script's) as its ASCII digit; the rest as it is."""
    return "".join(
        char if char.isascii() or unicodedata.decimal(char, None) is None else str(unicodedata.decimal(char))
        for char in text
    )


def validate_gregorian_year(value: date) -> None:
    if value.year < EARLIEST_YEAR:
        raise ValidationError(NOT_GREGORIAN, code="not_gregorian")


def parse_partial_date(text: str) -> tuple[date | None, str]:
    """'2022-07-18', '2022-07' or '2022' (in any decimal digits) → (first day of what is known, precision);
    '' → unknown."""
    text = ascii_digits(text).strip()
    if not text:
        return None, DatePrecision.UNKNOWN
    match = PARTIAL_DATE.match(text)
    if not match:
        raise ValidationError(_("Write the date as 2022-07-18, 2022-07 or 2022, or leave it empty if unknown."))
    try:
        value = date(int(match["year"]), int(match["month"] or 1), int(match["day"] or 1))
    except ValueError:
        raise ValidationError(_("There is no such date.")) from None
    validate_gregorian_year(value)
    precision = DatePrecision.DAY if match["day"] else DatePrecision.MONTH if match["month"] else DatePrecision.YEAR
    return value, precision


def iso_partial_date(value: date | str | None, precision: str) -> str:
    """The date as far as it is known ("2022-07"), as typed in forms and read by machines; "" if unknown.
    `value` is a date or its ISO form (as a published record keeps it)."""
    length = ISO_LENGTH.get(precision)
    if not value or length is None:
        return ""
    return (value if isinstance(value, str) else value.isoformat())[:length]


def display_partial_date(value: date | None, precision: str, note: str) -> str:
    """For people: "18 July 2022", "July 2022" or "2022", then the note ("July 2022 (reported)")."""
    if value is None or precision not in DISPLAY_FORMATS:
        return note or str(_("date unknown"))
    shown = date_format(value, DISPLAY_FORMATS[precision])
    return f"{shown} ({note})" if note else shown
