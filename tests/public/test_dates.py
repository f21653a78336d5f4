"""Dates on the pages in the reader's language and calendar, typed by staff in either calendar, and records
published before dates kept their calendar (version 4) shown in Persian from their ISO dates."""

import datetime

import pytest
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse

from claims.dates import DateCalendar, DatePrecision
from claims.models import SITE_LANGUAGE_CACHE_KEY, SiteSettings, Statement, Verdict
from claims.publishing.cache import bump_public_generation
from tests.claims.test_workspace import HTMX, region_url, statement_data
from tests.factories import ActorFactory, ClaimFactory, ClaimSourceFactory, SourceFactory, StatementFactory
from tests.public.conftest import page_tree, texts
from tests.publishing import publish

pytestmark = pytest.mark.django_db

FIRST_APPEARED = "//dl[@class='claim-facts']/div[dt='{}']/dd"


def use_calendar(calendar: str) -> None:
    # On commit, as a real change: every process then reads the settings again (claims/models.py, SiteSettings).
    with TestCase.captureOnCommitCallbacks(execute=True):
        SiteSettings.objects.filter(pk=SiteSettings.load().pk).update(date_calendar=calendar)
    bump_public_generation()  # as the settings service does on commit (see the test of the Settings page below)


def page_in(client, language: str, claim):
    """The claim page with `language` as the site's public language (public pages follow it, not the browser)."""
    if SiteSettings.load().language != language:
        with TestCase.captureOnCommitCallbacks(execute=True):
            SiteSettings.objects.filter(pk=SiteSettings.load().pk).update(language=language)
        cache.delete(SITE_LANGUAGE_CACHE_KEY)
        bump_public_generation()
    return page_tree(client.get(reverse("claim", args=[claim.slug])))


def _store_as_version_4(verdict: Verdict) -> dict:
    """The record as version 4 stored it: each date with its English display text, no calendar."""
    stored = verdict.published_record
    for part in [stored["claim"], *stored["statements"], *stored["sources"], *stored["repeats"]]:
        if not part.get("confidential"):
            assert part.pop("calendar") == "gregorian"
            part["display"] = {"2022-07-13": "13 July 2022", None: "date unknown"}[part["date"]]
    stored["version"] = 4
    Verdict.objects.filter(pk=verdict.pk).update(published_record=stored)
    return stored


def test_a_record_published_before_dates_kept_their_calendar_is_shown_in_persian(client):
    claim = ClaimFactory(dated=True)
    ClaimSourceFactory(claim=claim, source=SourceFactory(title="Minister speaks", dated=True))
    StatementFactory(claim=claim, quote="We never sent any.", dated=True)
    stored = _store_as_version_4(publish(claim))
    assert stored["claim"]["display"] == "13 July 2022"  # the English text it froze

    persian = page_in(client, "fa", claim)
    page = " ".join(persian.text_content().split())
    assert "13 July 2022" not in page and "July" not in page
    assert texts(persian, "//time[@datetime='2022-07-13']") == ["۱۳ ژوئیه ۲۰۲۲"] * 3  # claim, statement, source

    use_calendar(DateCalendar.SOLAR_HIJRI)
    assert texts(page_in(client, "fa", claim), "//time[@datetime='2022-07-13']") == ["۲۲ تیر ۱۴۰۱"] * 3
    # Everyone else reads the Gregorian calendar, in their language.
    assert texts(page_in(client, "es", claim), "//time[@datetime='2022-07-13']") == ["13 de julio de 2022"] * 3
    assert texts(page_in(client, "en", claim), "//time[@datetime='2022-07-13']") == ["13 July 2022"] * 3


def test_a_solar_hijri_month_is_its_own_month_in_persian_and_the_span_it_covers_in_gregorian(client):
    claim = ClaimFactory()
    StatementFactory(
        claim=claim,
        quote="Mehr",
        date=datetime.date(2022, 9, 23),
        date_precision=DatePrecision.MONTH,
        date_calendar=DateCalendar.SOLAR_HIJRI,
    )
    publish(claim)
    use_calendar(DateCalendar.SOLAR_HIJRI)
    when = "//ol[@class='timeline']/li//time"
    persian = page_in(client, "fa", claim)
    assert texts(persian, when) == ["مهر ۱۴۰۱"]
    assert persian.xpath(f"{when}/@datetime") == ["2022"]  # machines: the Gregorian year that holds it
    assert texts(page_in(client, "en", claim), when) == ["September–October 2022"]
    use_calendar(DateCalendar.GREGORIAN)
    assert texts(page_in(client, "fa", claim), when) == ["سپتامبر–اکتبر ۲۰۲۲"]


def test_changing_the_sites_calendar_shows_cached_pages_afresh(client, client_for, django_capture_on_commit_callbacks):
    claim = ClaimFactory(dated=True)
    publish(claim)
    assert texts(page_in(client, "fa", claim), "//time[@datetime='2022-07-13']") == ["۱۳ ژوئیه ۲۰۲۲"]
    form = {
        "organisation_name": "Desk", "organisation_url": "", "contact_email": "", "language": "fa", "time_zone": "UTC",
        "date_calendar": "solar_hijri", "active_rating_scale": SiteSettings.load().active_rating_scale_id or "",
        "methodology": "", "corrections_policy": "", "about": "", "funding": "", "contact_retention_days": 90,
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("admin").post(reverse("staff:settings"), form).status_code == 302
    assert texts(page_in(client, "fa", claim), "//time[@datetime='2022-07-13']") == ["۲۲ تیر ۱۴۰۱"]


@pytest.mark.parametrize(
    ("typed", "value", "precision", "given_back"),
    [
        ("۱۴۰۱/۰۷/۰۵", datetime.date(2022, 9, 27), DatePrecision.DAY, "1401/07/05"),
        ("مهر ۱۴۰۱", datetime.date(2022, 9, 23), DatePrecision.MONTH, "1401/07"),
        ("۱۴۰۱", datetime.date(2022, 3, 21), DatePrecision.YEAR, "1401"),
    ],
)
def test_staff_type_a_solar_hijri_date_with_its_precision_and_get_it_back_as_typed(
    client_for, typed, value, precision, given_back
):
    staff, claim = client_for("factchecker"), ClaimFactory()
    response = staff.post(
        region_url("region-add", claim, "statements"), statement_data(ActorFactory(), date_text=typed), **HTMX
    )
    assert response.status_code == 200
    statement = Statement.objects.get()
    assert (statement.date, statement.date_precision, statement.date_calendar) == (
        value,
        precision,
        DateCalendar.SOLAR_HIJRI,
    )
    form = staff.get(region_url("region-edit", claim, "statements", statement.pk), **HTMX).content.decode()
    assert f'value="{given_back}"' in form


def test_claimreview_gives_a_solar_hijri_month_as_the_gregorian_year_that_holds_it(client):
    claim = ClaimFactory(date=datetime.date(2022, 9, 23), date_precision="month", date_calendar="solar_hijri")
    publish(claim)
    (review,) = client.get(reverse("claimreview-export")).json()["@graph"]
    assert review["itemReviewed"]["datePublished"] == "2022"
