"""Every page reads the site settings: each process keeps the row, and every process sees a change at once."""

import pytest

from claims.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_the_row_is_read_once_per_process(django_assert_num_queries):
    SiteSettings.load()
    with django_assert_num_queries(0):
        assert SiteSettings.load().pk == 1


def test_a_saved_change_is_read_at_once(client):
    site = SiteSettings.load()
    site.organisation_name = "The Checkers"
    site.save()
    assert SiteSettings.load().organisation_name == "The Checkers"
    assert "The Checkers" in client.get("/about/").content.decode()


def test_an_update_is_read_at_once():
    SiteSettings.load()
    SiteSettings.objects.filter(pk=1).update(organisation_name="Updated in bulk")
    assert SiteSettings.load().organisation_name == "Updated in bulk"


def test_another_process_sees_the_change_at_its_next_read(django_capture_on_commit_callbacks):
    SiteSettings.load()
    held_elsewhere = SiteSettings._loaded  # what another web process read before the change
    with django_capture_on_commit_callbacks(execute=True):
        site = SiteSettings.load()
        site.organisation_name = "Renamed"
        site.save()
    SiteSettings._loaded = held_elsewhere  # that process still holds the old row, under the old version
    assert SiteSettings.load().organisation_name == "Renamed"


def test_a_form_changing_its_copy_changes_nobody_elses():
    mine = SiteSettings.load()
    mine.organisation_name = "Typed but not saved"
    assert SiteSettings.load().organisation_name != "Typed but not saved"
