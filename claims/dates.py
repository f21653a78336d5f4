"""Dates known to the day, the month or the year, or not at all, in the Gregorian or the Solar Hijri calendar:
reading what staff type, and writing them for a form, a page (in the reader's language) and machines (ISO 8601).

A date is stored as a Gregorian day with its precision and the calendar it was typed in: a month- or
year-precise date is stored as the first day of that month or year *in its own calendar*. So Mehr 1401 (a
Solar Hijri month, 23 September – 22 October 2022) is stored as 2022-09-23, precision "month", calendar
"solar_hijri": it stays one month of its own rather than being forced into September or October.

A date is shown in the calendar the reader's page uses (`shown_calendar`: Solar Hijri only for Persian
readers, and only where the site chooses it). A month or year shown in the other calendar is the span it
covers there: Mehr 1401 reads "September–October 2022"; July 2022 reads "تیر–مرداد ۱۴۰۱".

What staff type is read by its year, which no calendar shares: a year from 1600 on is Gregorian
("2022-07-18", "2022-07", "2022"); a year from 979 to 1599 is Solar Hijri ("1401/07/05", "1401/07",
"1401", "مهر ۱۴۰۱", "۵ مهر ۱۴۰۱"), in Persian, Arabic-Indic or Latin digits. The Solar Hijri year 979 began in
March 1600, so both read the same span of days from 1600 on; anything earlier is refused.

Machines (ClaimReview, the API's ISO fields, `<time datetime>`) get ISO 8601 Gregorian text as far as it is
known: a Solar Hijri month or year is given as the Gregorian month or year that holds it whole, if any.
The conversion is jdatetime's (https://pypi.org/project/jdatetime/), never arithmetic of our own.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import NamedTuple

import jdatetime
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    UNKNOWN = "unknown", _("Unknown")


class DateCalendar(models.TextChoices):
    GREGORIAN = "gregorian", _("Gregorian")
    SOLAR_HIJRI = "solar_hijri", _("Solar Hijri")


class PartialDate(NamedTuple):
    """What was typed, read: the first Gregorian day of what is known (None if unknown), how much is known,
    and the calendar it was typed in."""

    date: date | None
    precision: str
    calendar: str = DateCalendar.GREGORIAN


EARLIEST_YEAR = 1600
EARLIEST_SOLAR_HIJRI_YEAR = 979  # began on 20 March 1600
# A day field (claims.forms.GregorianDateField) reads the Gregorian calendar only.
NOT_GREGORIAN = _(
    "Years before 1600 are not accepted: dates are read in the Gregorian calendar; "
    "other calendars come with multilingual support."
)
TOO_EARLY = _(
    "A year from 979 to 1599 is read as a Solar Hijri year (1401 is 2022–2023); years before 979 are not accepted."
)
NUMERIC_DATE = re.compile(r"^(?P<year>\d{4})(?:[-/](?P<month>\d{1,2})(?:[-/](?P<day>\d{1,2}))?)?$", re.ASCII)
NAMED_MONTH = re.compile(r"^(?:(?P<day>\d{1,2})\s+)?(?P<month>\D+?)\s+(?P<year>\d{4})$")
# How much of an ISO date is known: "2022-07-18", "2022-07" (ISO 8601 allows it) or "2022".
ISO_LENGTH: dict[str, int] = {DatePrecision.DAY: 10, DatePrecision.MONTH: 7, DatePrecision.YEAR: 4}
# Django's format for each precision, in the active language's formats (claims' own for English: factcheck/formats).
LOCALE_FORMATS: dict[str, str] = {
    DatePrecision.DAY: "DATE_FORMAT",
    DatePrecision.MONTH: "YEAR_MONTH_FORMAT",
    DatePrecision.YEAR: "Y",
}
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


MONTH_SPELLINGS: dict[str, str | int | None] = {"ي": "ی", "ك": "ک", "آ": "ا", "\u200c": None, " ": None}


def _month_key(name: str) -> str:
    """A month's name as compared: Arabic ي/ك as Persian ی/ک, آ as ا, no joiners or spaces, lower case."""
    return name.translate(str.maketrans(MONTH_SPELLINGS)).casefold()


# Solar Hijri month names as typed: Persian (فروردین … اسفند) or in Latin letters (Farvardin … Esfand).
SOLAR_HIJRI_MONTHS: dict[str, int] = {
    **{_month_key(name): number for number, name in enumerate(jdatetime.date.j_months_fa, start=1)},
    **{_month_key(name): number for number, name in enumerate(jdatetime.date.j_months_en, start=1)},
}


def ascii_digits(text: str) -> str:
    """Every decimal digit (Persian, Arabic-Indic, any script's) as its ASCII digit; the rest as it is."""
    return "".join(
        char if char.isascii() or unicodedata.decimal(char, None) is None else str(unicodedata.decimal(char))
        for char in text
    )


def local_digits(text: str) -> str:
    """The text in the active language's digits: Persian digits for Persian readers, as it is otherwise."""
    return text.translate(PERSIAN_DIGITS) if is_persian() else text


def is_persian() -> bool:
    return (get_language() or "").split("-")[0] == "fa"


def shown_calendar(site_calendar: str) -> str:
    """The calendar a page shows dates in: the site's choice for Persian readers, Gregorian for everyone else."""
    if site_calendar == DateCalendar.SOLAR_HIJRI and is_persian():
        return DateCalendar.SOLAR_HIJRI
    return DateCalendar.GREGORIAN


def validate_gregorian_year(value: date) -> None:
    if value.year < EARLIEST_YEAR:
        raise ValidationError(NOT_GREGORIAN, code="not_gregorian")


# --- Reading what is typed ----------------------------------------------------------------------------


def parse_partial_date(text: str) -> PartialDate:
    """'2022-07-18', '2022-07', '2022' (Gregorian) or '1401/07/05', '1401/07', '1401', 'مهر ۱۴۰۱',
    '۵ مهر ۱۴۰۱' (Solar Hijri), in any decimal digits → the first Gregorian day of what is known, the
    precision and the calendar; '' → unknown."""
    text = ascii_digits("".join(char for char in text if unicodedata.category(char) != "Cf")).strip()
    if not text:
        return PartialDate(None, DatePrecision.UNKNOWN)
    if match := NUMERIC_DATE.match(text):
        year, month, day = int(match["year"]), match["month"], match["day"]
    elif (match := NAMED_MONTH.match(text)) and (named := SOLAR_HIJRI_MONTHS.get(_month_key(match["month"]))):
        year, month, day = int(match["year"]), str(named), match["day"]
        if year >= EARLIEST_YEAR:
            raise ValidationError(_("A Solar Hijri month is written with its Solar Hijri year (مهر ۱۴۰۱)."))
    else:
        raise ValidationError(
            _("Write the date as 2022-07-18, 2022-07 or 2022 (or 1401/07/05, 1401/07, 1401 or مهر ۱۴۰۱), "
              "or leave it empty if unknown.")
        )  # fmt: skip
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    calendar = DateCalendar.GREGORIAN if year >= EARLIEST_YEAR else DateCalendar.SOLAR_HIJRI
    if year < EARLIEST_SOLAR_HIJRI_YEAR:
        raise ValidationError(TOO_EARLY, code="too_early")
    try:
        if calendar == DateCalendar.GREGORIAN:
            value = date(year, int(month or 1), int(day or 1))
        else:
            value = jdatetime.date(year, int(month or 1), int(day or 1)).togregorian()
    except ValueError:
        raise ValidationError(_("There is no such date.")) from None
    return PartialDate(value, precision, calendar)


def typed_partial_date(value: date | None, precision: str, calendar: str = DateCalendar.GREGORIAN) -> str:
    """The date as staff type it, in the calendar it was typed in: "2022-07", "1401/07"; "" if unknown."""
    if value is None or precision not in ISO_LENGTH:
        return ""
    if calendar != DateCalendar.SOLAR_HIJRI:
        return iso_partial_date(value, precision)
    hijri = jdatetime.date.fromgregorian(date=value)
    return f"{hijri.year:04d}/{hijri.month:02d}/{hijri.day:02d}"[: ISO_LENGTH[precision]]


# --- Spans ---------------------------------------------------------------------------------------------


def date_span(value: date, precision: str, calendar: str = DateCalendar.GREGORIAN) -> tuple[date, date]:
    """The first and last Gregorian days of a known date (its month or year in its own calendar)."""
    if precision == DatePrecision.DAY:
        return value, value
    if calendar == DateCalendar.SOLAR_HIJRI:
        start = jdatetime.date.fromgregorian(date=value)
        if precision == DatePrecision.MONTH:
            after = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
        else:
            after = (start.year + 1, 1)
        return value, jdatetime.date(*after, 1).togregorian() - timedelta(days=1)
    if precision == DatePrecision.MONTH:
        after_day = date(value.year + 1, 1, 1) if value.month == 12 else date(value.year, value.month + 1, 1)
        return value, after_day - timedelta(days=1)
    return value, date(value.year, 12, 31)


def iso_partial_date(value: date | str | None, precision: str, calendar: str = DateCalendar.GREGORIAN) -> str:
    """For machines: the Gregorian date as far as it is known ("2022-07"), "" if unknown. `value` is a date or
    its ISO form (as a published record keeps it). A Solar Hijri month or year is the Gregorian month or year
    that holds it whole (Mehr 1401: "2022"), or "" if none does (Dey 1401, 22 December – 20 January)."""
    length = ISO_LENGTH.get(precision)
    if not value or length is None:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    if calendar != DateCalendar.SOLAR_HIJRI or precision == DatePrecision.DAY:
        return day.isoformat()[:length]
    start, end = date_span(day, precision, calendar)
    if (start.year, start.month) == (end.year, end.month):
        return start.isoformat()[:7]
    return str(start.year) if start.year == end.year else ""


# --- Showing it to people -------------------------------------------------------------------------------


def _hijri_month_name(month: int) -> str:
    names = jdatetime.date.j_months_fa if is_persian() else jdatetime.date.j_months_en
    return names[month - 1]


def _year_month(day: date, calendar: str) -> str:
    if calendar == DateCalendar.SOLAR_HIJRI:
        hijri = jdatetime.date.fromgregorian(date=day)
        return f"{_hijri_month_name(hijri.month)} {hijri.year}"
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def _month_name(day: date, calendar: str) -> str:
    if calendar == DateCalendar.SOLAR_HIJRI:
        return _hijri_month_name(jdatetime.date.fromgregorian(date=day).month)
    return formats.date_format(day, "F")


def _year(day: date, calendar: str) -> int:
    return jdatetime.date.fromgregorian(date=day).year if calendar == DateCalendar.SOLAR_HIJRI else day.year


def _day(day: date, calendar: str) -> str:
    if calendar == DateCalendar.SOLAR_HIJRI:
        hijri = jdatetime.date.fromgregorian(date=day)
        return f"{hijri.day} {_hijri_month_name(hijri.month)} {hijri.year}"
    return formats.date_format(day, "DATE_FORMAT")


def format_partial_date(
    value: date,
    precision: str,
    calendar: str = DateCalendar.GREGORIAN,
    *,
    shown_in: str = DateCalendar.GREGORIAN,
) -> str:
    """A known date in the active language, in the calendar `shown_in`: "18 July 2022", "July 2022", "2022",
    "۵ مهر ۱۴۰۱", "مهر ۱۴۰۱"; a month or year of the other calendar as the span it covers in this one
    ("September–October 2022", "2022–2023")."""
    if precision == DatePrecision.DAY:
        return local_digits(_day(value, shown_in))
    start, end = date_span(value, precision, calendar)
    if calendar == shown_in and calendar == DateCalendar.GREGORIAN:
        return local_digits(formats.date_format(value, LOCALE_FORMATS[precision]))
    if precision == DatePrecision.YEAR:
        first, last = _year(start, shown_in), _year(end, shown_in)
        shown = str(first) if first == last else f"{first}–{last}"
    elif _year_month(start, shown_in) == _year_month(end, shown_in):
        shown = _year_month(start, shown_in)
    elif _year(start, shown_in) == _year(end, shown_in):
        shown = f"{_month_name(start, shown_in)}–{_year_month(end, shown_in)}"
    else:
        shown = f"{_year_month(start, shown_in)} – {_year_month(end, shown_in)}"
    return local_digits(shown)


def display_partial_date(
    value: date | str | None,
    precision: str,
    note: str,
    calendar: str = DateCalendar.GREGORIAN,
    *,
    shown_in: str = DateCalendar.GREGORIAN,
) -> str:
    """For people, in the active language: the date as far as it is known, then the note
    ("July 2022 (reported)"); the note alone, or "date unknown", if the date is not known."""
    if not value or precision not in ISO_LENGTH:
        return note or str(_("date unknown"))
    day = date.fromisoformat(value) if isinstance(value, str) else value
    shown = format_partial_date(day, precision, calendar, shown_in=shown_in)
    return f"{shown} ({note})" if note else shown


def display_day(value: date | datetime | str | None, *, shown_in: str = DateCalendar.GREGORIAN) -> str:
    """A day (a date, an aware datetime in the current time zone, or ISO text) for people, in the active
    language and the calendar `shown_in`; "" for None."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return local_digits(_day(value, shown_in))


def display_moment(value: datetime | str | None, *, shown_in: str = DateCalendar.GREGORIAN) -> str:
    """A moment (an aware datetime, or its ISO text) for people: its day as `display_day` gives it, then the
    time in the current time zone ("18 July 2022, 14:05"; "۲۷ تیر ۱۴۰۱, ۱۴:۰۵"); "" for None."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return _("%(day)s, %(time)s") % {
        "day": display_day(local.date(), shown_in=shown_in),
        "time": local_digits(f"{local:%H:%M}"),
    }
