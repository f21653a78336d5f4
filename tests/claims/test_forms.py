"""Dates typed in the forms: Gregorian or Solar Hijri, whatever decimal digits they are written in."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.dates import DateCalendar, DatePrecision, parse_partial_date
from claims.forms import GregorianDateField, OutreachForm
from claims.models import Outreach, Statement
from tests.claims.test_workspace import HTMX, region_url, statement_data
from tests.factories import ActorFactory, ClaimFactory
from tests.publishing import publish


def in_digits(zero: int):
    """Writes ASCII digits in the script whose zero is the code point `zero`."""
    return lambda text: text.translate({ord("0") + digit: zero + digit for digit in range(10)})


persian, arabic_indic, devanagari = in_digits(0x06F0), in_digits(0x0660), in_digits(0x0966)
NOT_GREGORIAN = "Years before 1600 are not accepted: dates are read in the Gregorian calendar"


def test_the_digits_typed_are_the_persian_and_arabic_indic_ones():
    assert (persian("1401"), arabic_indic("1401")) == ("۱۴۰۱", "١٤٠١")


@pytest.mark.parametrize(
    ("typed", "value", "precision"),
    [
        (persian("2022"), datetime.date(2022, 1, 1), DatePrecision.YEAR),  # Persian digits
        (arabic_indic("2022"), datetime.date(2022, 1, 1), DatePrecision.YEAR),  # Arabic-Indic digits
        (persian("2022-11-05"), datetime.date(2022, 11, 5), DatePrecision.DAY),
        (arabic_indic("2022-11"), datetime.date(2022, 11, 1), DatePrecision.MONTH),
        (devanagari("2022-11-05"), datetime.date(2022, 11, 5), DatePrecision.DAY),  # Devanagari: any decimal digits
        ("2022-" + persian("11") + "-05", datetime.date(2022, 11, 5), DatePrecision.DAY),
        ("2022-11-05", datetime.date(2022, 11, 5), DatePrecision.DAY),
    ],
)
def test_a_partial_date_is_read_in_any_decimal_digits(typed, value, precision):
    assert parse_partial_date(typed) == (value, precision, DateCalendar.GREGORIAN)


@pytest.mark.parametrize("typed", [arabic_indic("1401"), persian("1401"), "1401"])
def test_a_year_before_1600_is_a_solar_hijri_year_in_any_digits(typed):
    """No Gregorian year before 1600 is accepted, so 979 to 1599 can only be Solar Hijri: 1401 began 21 March 2022."""
    assert parse_partial_date(typed) == (datetime.date(2022, 3, 21), DatePrecision.YEAR, DateCalendar.SOLAR_HIJRI)


@pytest.mark.parametrize("typed", ["0978", persian("0978/12/01"), "0100-01"])
def test_a_year_before_the_solar_hijri_979_is_refused(typed):
    """979 began in March 1600: earlier years would be before any Gregorian year accepted."""
    with pytest.raises(ValidationError) as refused:
        parse_partial_date(typed)
    assert refused.value.messages == [
        "A year from 979 to 1599 is read as a Solar Hijri year (1401 is 2022–2023); years before 979 are not accepted."
    ]


def test_the_first_gregorian_year_accepted_is_1600():
    assert parse_partial_date("1600") == (datetime.date(1600, 1, 1), DatePrecision.YEAR, DateCalendar.GREGORIAN)


@pytest.mark.parametrize(
    ("typed", "value"),
    [(persian("2022-11-05"), datetime.date(2022, 11, 5)), (arabic_indic("2022-11-05"), datetime.date(2022, 11, 5))],
)
def test_a_day_field_reads_any_decimal_digits(typed, value):
    assert GregorianDateField().clean(typed) == value


def test_a_day_field_refuses_a_year_before_1600():
    with pytest.raises(ValidationError) as refused:
        GregorianDateField().clean(arabic_indic("1401-08-14"))
    assert NOT_GREGORIAN in refused.value.messages[0]


# --- In the forms people fill in -----------------------------------------------------------


@pytest.mark.django_db
def test_a_statement_dated_in_persian_digits_is_saved_with_its_gregorian_date(client_for):
    claim = ClaimFactory()
    data = statement_data(ActorFactory(), date_text=persian("2022-11-05"))
    response = client_for("factchecker").post(region_url("region-add", claim, "statements"), data, **HTMX)
    assert response.status_code == 200
    statement = Statement.objects.get()
    assert (statement.date, statement.date_precision) == (datetime.date(2022, 11, 5), DatePrecision.DAY)


@pytest.mark.django_db
def test_a_statement_dated_with_no_such_solar_hijri_day_is_refused_with_the_input_kept(client_for):
    claim = ClaimFactory()
    data = statement_data(ActorFactory(), date_text=persian("1401/12/30"))  # 1401 was not a leap year
    response = client_for("factchecker").post(region_url("region-add", claim, "statements"), data, **HTMX)
    assert response.status_code == 422
    fragment = response.content.decode()
    assert "There is no such date." in fragment
    assert f'value="{persian("1401/12/30")}"' in fragment
    assert "We have not sold and will not sell" in fragment
    assert not Statement.objects.exists()


@pytest.mark.django_db
def test_outreach_dates_read_any_decimal_digits_and_refuse_other_calendars():
    claim = ClaimFactory()
    data = {"method": "email", "contacted": "Ministry press office", "contacted_on": persian("2022-10-20")}
    form = OutreachForm(data, instance=Outreach(claim=claim), claim=claim)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["contacted_on"] == datetime.date(2022, 10, 20)
    form = OutreachForm({**data, "contacted_on": persian("1401-07-28")}, instance=Outreach(claim=claim), claim=claim)
    assert not form.is_valid()
    assert NOT_GREGORIAN in form.errors["contacted_on"][0]


@pytest.mark.django_db
def test_the_public_search_reads_dates_in_persian_digits(client):
    publish(ClaimFactory(text="Power cuts ended."))
    found = client.get(reverse("search"), {"published_from": persian("2000-01-01")}).content.decode()
    assert "Power cuts ended." in found
    assert 'class="field-errors"' not in found
    refused = client.get(reverse("search"), {"published_from": arabic_indic("1401-01-01")}).content.decode()
    assert NOT_GREGORIAN in refused
