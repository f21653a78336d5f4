"""Dates typed and shown in both calendars, at each precision (claims/dates.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from claims.dates import (
    DateCalendar,
    DatePrecision,
    display_day,
    display_moment,
    display_partial_date,
    iso_partial_date,
    parse_partial_date,
    typed_partial_date,
)

GREGORIAN, SOLAR_HIJRI = DateCalendar.GREGORIAN, DateCalendar.SOLAR_HIJRI
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.mark.parametrize(
    ("typed", "value", "precision"),
    [
        ("۱۴۰۱/۰۷/۰۵", datetime.date(2022, 9, 27), DAY),  # Persian digits
        ("1401/07/05", datetime.date(2022, 9, 27), DAY),  # Latin digits
        ("1401-7-5", datetime.date(2022, 9, 27), DAY),
        ("۵ مهر ۱۴۰۱", datetime.date(2022, 9, 27), DAY),
        ("۱۴۰۱/۰۷", datetime.date(2022, 9, 23), MONTH),  # Mehr 1401: 23 September to 22 October 2022
        ("مهر ۱۴۰۱", datetime.date(2022, 9, 23), MONTH),
        ("مهر 1401", datetime.date(2022, 9, 23), MONTH),
        ("Mehr 1401", datetime.date(2022, 9, 23), MONTH),
        ("آذر ۱۴۰۱", datetime.date(2022, 11, 22), MONTH),
        ("اذر ۱۴۰۱", datetime.date(2022, 11, 22), MONTH),  # written without the madda
        ("دي ۱۴۰۱", datetime.date(2022, 12, 22), MONTH),  # with the Arabic yeh
        ("۱۴۰۱", datetime.date(2022, 3, 21), YEAR),  # Nowruz 2022
    ],
)
def test_a_solar_hijri_date_is_typed_at_each_precision_in_persian_or_latin_digits(typed, value, precision):
    assert parse_partial_date(typed) == (value, precision, SOLAR_HIJRI)


@pytest.mark.parametrize(
    ("typed", "value", "precision"),
    [("2022-07-18", datetime.date(2022, 7, 18), DAY), ("2022-07", datetime.date(2022, 7, 1), MONTH),
     ("2022", datetime.date(2022, 1, 1), YEAR), ("", None, DatePrecision.UNKNOWN)],
)  # fmt: skip
def test_a_gregorian_date_is_typed_at_each_precision(typed, value, precision):
    assert parse_partial_date(typed) == (value, precision, GREGORIAN)


@pytest.mark.parametrize(
    "typed", ["1401/12/30", "۱۴۰۱/۱۳", "۳۲ مهر ۱۴۰۱", "مهر ۲۰۲۲", "Brumaire 1401", "1401/07/05/01"]
)
def test_no_such_solar_hijri_date_is_refused(typed):
    with pytest.raises(ValidationError):
        parse_partial_date(typed)


@pytest.mark.parametrize("typed", ["1401/07/05", "1401/07", "1401", "2022-07-18", "2022-07", "2022", ""])
def test_a_date_is_given_back_to_staff_in_the_calendar_it_was_typed_in(typed):
    assert typed_partial_date(*parse_partial_date(typed)) == typed


# What each date typed reads as: in English, Spanish and Persian in the Gregorian calendar, and in Persian in
# the Solar Hijri one. A month or year of the other calendar is the span it covers.
SHOWN = [
    ("2022-07-18", "18 July 2022", "18 de julio de 2022", "۱۸ ژوئیه ۲۰۲۲", "۲۷ تیر ۱۴۰۱"),
    ("2022-07", "July 2022", "julio de 2022", "ژوئیه ۲۰۲۲", "تیر–مرداد ۱۴۰۱"),
    ("2022", "2022", "2022", "۲۰۲۲", "۱۴۰۰–۱۴۰۱"),
    ("۱۴۰۱/۰۷/۰۵", "27 September 2022", "27 de septiembre de 2022", "۲۷ سپتامبر ۲۰۲۲", "۵ مهر ۱۴۰۱"),
    ("مهر ۱۴۰۱", "September–October 2022", "septiembre–octubre de 2022", "سپتامبر–اکتبر ۲۰۲۲", "مهر ۱۴۰۱"),
    ("دی ۱۴۰۱", "December 2022 – January 2023", "diciembre de 2022 – enero de 2023", "دسامبر ۲۰۲۲ – ژانویه ۲۰۲۳",
     "دی ۱۴۰۱"),
    ("۱۴۰۱", "2022–2023", "2022–2023", "۲۰۲۲–۲۰۲۳", "۱۴۰۱"),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "english", "spanish", "persian", "persian_solar_hijri"), SHOWN)
def test_a_date_is_shown_in_the_readers_language_and_calendar(typed, english, spanish, persian, persian_solar_hijri):
    value, precision, calendar = parse_partial_date(typed)
    shown = {}
    for language in ("en", "es", "fa"):
        with translation.override(language):
            shown[language] = display_partial_date(value, precision, "", calendar)
    with translation.override("fa"):
        shown["fa solar hijri"] = display_partial_date(value, precision, "", calendar, shown_in=SOLAR_HIJRI)
    assert shown == {"en": english, "es": spanish, "fa": persian, "fa solar hijri": persian_solar_hijri}


def test_the_note_follows_the_date_and_an_unknown_date_shows_the_note_alone():
    with translation.override("fa"):
        assert display_partial_date("2022-09-23", MONTH, "گزارش شده", SOLAR_HIJRI, shown_in=SOLAR_HIJRI) == (
            "مهر ۱۴۰۱ (گزارش شده)"
        )
    with translation.override("en"):
        assert display_partial_date(None, DatePrecision.UNKNOWN, "July, year not stated") == "July, year not stated"
        assert display_partial_date(None, DatePrecision.UNKNOWN, "") == "date unknown"


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("2022-07-18", "2022-07-18"),
        ("2022-07", "2022-07"),
        ("۱۴۰۱/۰۷/۰۵", "2022-09-27"),
        ("مهر ۱۴۰۱", "2022"),  # within 2022, across two Gregorian months
        ("دی ۱۴۰۱", ""),  # across two Gregorian years: no Gregorian month or year holds it
        ("۱۴۰۱", ""),
    ],
)
def test_machines_get_the_gregorian_iso_date_as_far_as_it_is_known(typed, iso):
    assert iso_partial_date(*parse_partial_date(typed)) == iso


def test_a_day_is_shown_in_either_calendar_from_a_date_a_datetime_or_iso_text():
    with translation.override("fa"):
        assert display_day("2022-09-27", shown_in=SOLAR_HIJRI) == "۵ مهر ۱۴۰۱"
        assert display_day(datetime.datetime(2022, 9, 27, 9, tzinfo=datetime.UTC), shown_in=SOLAR_HIJRI) == "۵ مهر ۱۴۰۱"
        assert display_day(datetime.date(2022, 9, 27)) == "۲۷ سپتامبر ۲۰۲۲"
    with translation.override("es"):
        assert display_day("2022-09-27T09:00:00+00:00") == "27 de septiembre de 2022"


def test_a_moment_is_its_day_and_time_in_the_readers_time_zone_language_and_calendar():
    """Staff screens show when something happened ("Handled on …") this way, Persian digits and all."""
    moment = datetime.datetime(2022, 9, 27, 20, 45, tzinfo=datetime.UTC)
    with timezone.override("Asia/Tehran"):  # UTC+3:30: already the next day in Tehran
        with translation.override("fa"):  # the joiner of day and time is translated: the Persian comma
            assert display_moment(moment, shown_in=SOLAR_HIJRI) == "۶ مهر ۱۴۰۱، ۰۰:۱۵"
            assert display_moment(moment.isoformat()) == "۲۸ سپتامبر ۲۰۲۲، ۰۰:۱۵"
        with translation.override("en"):
            assert display_moment(moment) == "28 September 2022, 00:15"
    assert display_moment(None) == ""
