"""Contact details of tips and error reports are deleted after the configured period; the rest stays."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from claims import tasks
from claims.maintenance import delete_expired_contacts
from claims.models import ErrorReport, SiteSettings, Tip
from tests.factories import ErrorReportFactory, TipFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2024, 6, 1, 12, 0, tzinfo=datetime.UTC)


def days_ago(days: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def retention_30_days():
    SiteSettings.objects.filter(pk=1).update(contact_retention_days=30)


def test_contacts_older_than_the_period_are_blanked_and_the_rest_kept(retention_30_days):
    old_tip = TipFactory(created_at=days_ago(31), contact="old@example.invalid", text="Still here.")
    new_tip = TipFactory(created_at=days_ago(29), contact="new@example.invalid")
    old_report = ErrorReportFactory(created_at=days_ago(45), contact="+1 555 0100", text="Also still here.")
    new_report = ErrorReportFactory(created_at=days_ago(1), contact="+1 555 0101")

    assert delete_expired_contacts(now=NOW) == 2

    for record in (old_tip, new_tip, old_report, new_report):
        record.refresh_from_db()
    assert (old_tip.contact, old_tip.contact_deleted_at, old_tip.text) == ("", NOW, "Still here.")
    assert (old_report.contact, old_report.contact_deleted_at, old_report.text) == ("", NOW, "Also still here.")
    assert (new_tip.contact, new_tip.contact_deleted_at) == ("new@example.invalid", None)
    assert (new_report.contact, new_report.contact_deleted_at) == ("+1 555 0101", None)


def test_the_period_comes_from_the_site_settings():
    SiteSettings.objects.filter(pk=1).update(contact_retention_days=7)
    tip = TipFactory(created_at=days_ago(8))
    assert delete_expired_contacts(now=NOW) == 1
    tip.refresh_from_db()
    assert tip.contact == ""


def test_running_it_again_changes_nothing(retention_30_days):
    TipFactory(created_at=days_ago(60))
    assert delete_expired_contacts(now=NOW) == 1
    assert delete_expired_contacts(now=NOW + datetime.timedelta(days=1)) == 0
    assert Tip.objects.get().contact_deleted_at == NOW


def test_rows_that_never_had_a_contact_are_left_alone(retention_30_days):
    TipFactory(created_at=days_ago(60), contact="")
    assert delete_expired_contacts(now=NOW) == 0
    assert Tip.objects.get().contact_deleted_at is None


def test_the_worker_runs_it_daily(retention_30_days):
    TipFactory(created_at=timezone.now() - datetime.timedelta(days=31))
    ErrorReportFactory(created_at=timezone.now() - datetime.timedelta(days=31))
    tasks.delete_expired_contacts.apply()
    assert not Tip.objects.exclude(contact="").exists()
    assert not ErrorReport.objects.exclude(contact="").exists()
    entry = settings.CELERY_BEAT_SCHEDULE["delete-expired-contacts"]
    assert entry == {"task": "claims.tasks.delete_expired_contacts", "schedule": 24 * 3600.0}


def test_tips_and_error_reports_keep_no_history():
    """Their contacts must not survive in a history table after deletion."""
    assert not hasattr(Tip, "history")
    assert not hasattr(ErrorReport, "history")
