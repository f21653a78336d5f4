"""Writes through claims.services: canonical source URLs, soft delete and restore, all on record."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Source, Statement
from tests.factories import SourceFactory, StatementFactory

pytestmark = pytest.mark.django_db


# --- source_create ------------------------------------------------------------------


def test_source_create_stores_the_canonical_url_and_who_added_it(factchecker):
    source = services.source_create(
        by=factchecker, url="HTTPS://News.Example:443/drones?utm_source=rss&id=4#top", title="Drones story"
    )
    source.refresh_from_db()
    assert source.url == "https://news.example/drones?id=4"
    assert source.created_by == factchecker
    created = source.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == ("+", factchecker, "Created")


def test_source_create_without_url_is_allowed_for_speeches_and_broadcasts(factchecker):
    first = services.source_create(by=factchecker, title="Televised speech")
    second = services.source_create(by=factchecker, title="Another speech")
    assert first.url == second.url == ""


def test_source_create_refuses_an_address_that_is_not_http(factchecker):
    with pytest.raises(ValidationError) as exc_info:
        services.source_create(by=factchecker, url="ftp://files.example/x", title="FTP")
    assert "url" in exc_info.value.message_dict
    assert not Source.all_objects.exists()


def test_adding_a_live_url_again_names_the_source_on_file(factchecker):
    on_file = services.source_create(by=factchecker, url="https://news.example/a", title="The one on file")
    with pytest.raises(ValidationError) as exc_info:
        services.source_create(by=factchecker, url="https://NEWS.example/a?fbclid=1", title="Duplicate")
    assert "“The one on file”" in exc_info.value.message_dict["url"][0]
    assert list(Source.all_objects.all()) == [on_file]


def test_adding_a_removed_url_again_restores_that_source(factchecker, reviewer):
    removed = services.source_create(by=factchecker, url="https://news.example/a", title="Old title")
    services.record_remove(record=removed, by=factchecker)

    again = services.source_create(by=reviewer, url="https://news.example/a#x", title="New title")

    assert again.pk == removed.pk
    assert Source.objects.get(pk=removed.pk).title == "New title"
    assert Source.all_objects.count() == 1
    latest = again.history.first()
    assert latest.history_user == reviewer
    assert latest.history_change_reason == "Restored by adding its address again"


# --- Soft delete and restore, on record ---------------------------------------------------


def test_a_removed_statement_is_hidden_and_kept(factchecker):
    statement = StatementFactory()
    claim = statement.claim

    services.record_remove(record=statement, by=factchecker)

    assert not Statement.objects.filter(pk=statement.pk).exists()
    assert list(claim.statements.all()) == []
    assert Statement.all_objects.get(pk=statement.pk).is_removed


def test_a_removed_statement_can_be_restored(factchecker):
    statement = StatementFactory()
    services.record_remove(record=statement, by=factchecker)

    restored = services.record_restore(record=statement, by=factchecker)

    assert not restored.is_removed
    assert list(statement.claim.statements.all()) == [statement]


def test_removal_and_restoration_are_on_record_with_who_did_them_newest_first(factchecker, reviewer):
    statement = StatementFactory()
    services.record_remove(record=statement, by=factchecker)
    services.record_restore(record=statement, by=reviewer)

    record = [(row.history_change_reason, row.history_user) for row in statement.history.all()]

    assert record[:2] == [("Restored", reviewer), ("Removed", factchecker)]
    assert len(record) == 3  # and the creation before them
    assert statement.history.first().removed_at is None
    assert statement.history.all()[1].removed_at is not None


def test_removing_twice_or_restoring_a_live_record_changes_nothing(factchecker):
    statement = StatementFactory()
    services.record_remove(record=statement, by=factchecker)
    services.record_remove(record=statement, by=factchecker)
    services.record_restore(record=statement, by=factchecker)
    services.record_restore(record=statement, by=factchecker)
    reasons = [row.history_change_reason for row in statement.history.all()]
    assert reasons == ["Restored", "Removed", None]


def test_restoring_a_source_whose_url_is_now_taken_is_refused(factchecker):
    removed = SourceFactory(url="https://news.example/a", title="Removed one")
    services.record_remove(record=removed, by=factchecker)
    SourceFactory(url="https://news.example/a", title="Live one")

    with pytest.raises(ValidationError) as exc_info:
        services.record_restore(record=removed, by=factchecker)

    assert "A source with this address is already on file." in exc_info.value.messages
    assert Source.all_objects.get(pk=removed.pk).is_removed
    assert removed.history.first().history_change_reason == "Removed"
