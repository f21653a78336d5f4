"""Contributors as data: who changed a claim's public content since its last publication, and the rule that reads it."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils import timezone

from claims import permissions, services, workflow
from claims.models import (
    Actor,
    Claim,
    ClaimLink,
    ClaimSource,
    Contribution,
    Evidence,
    Outreach,
    Source,
    Statement,
    Verdict,
)
from claims.permissions import Action
from claims.publishing.build import PUBLIC_FIELDS, build_public_record
from claims.records import save_on_record
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ClaimSourceFactory,
    EvidenceFactory,
    FeedFactory,
    OutreachFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)
from tests.publishing import submitted, unproven

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def third_reviewer(db):
    return UserFactory(username="reviewer3", groups=[permissions.REVIEWERS])


@pytest.fixture
def in_review(factchecker):
    """A claim with a statement and evidence, its verdict written by `factchecker` and in review."""
    claim = ClaimFactory(text="The dam was finished in 2019.")
    StatementFactory(claim=claim, quote="We finished the dam in 2019.")
    EvidenceFactory(claim=claim, summary="The ministry's report says 2021.")
    return Claim.objects.get(pk=claim.pk), submitted(claim, author=factchecker)


def fresh(verdict) -> Verdict:
    return Verdict.objects.get(pk=verdict.pk)


# --- The attack in the issue, and the rule ---------------------------------------------------


def test_reviewer_who_edited_the_claim_statement_and_evidence_cannot_publish_alone(in_review, reviewer, third_reviewer):
    claim, verdict = in_review
    statement = claim.statements.get()
    services.claim_update(claim=claim, by=reviewer, text="The dam was never finished.")
    statement.quote = "We never finished the dam."
    services.claim_item_update(item=statement, by=reviewer)
    services.claim_item_create(item=Evidence(claim=claim, summary="Planted evidence.", stance="supports"), by=reviewer)

    assert not permissions.may(reviewer, Action.PUBLISH_VERDICT, fresh(verdict))
    assert not permissions.may(reviewer, Action.REQUEST_CHANGES, fresh(verdict))
    with pytest.raises(PermissionDenied):
        workflow.verdict_publish(verdict=fresh(verdict), by=reviewer)
    assert fresh(verdict).state == "in_review"

    # A second pair of eyes approves all three edits.
    published = workflow.verdict_publish(verdict=fresh(verdict), by=third_reviewer)
    record = published.published_record
    assert record["claim"]["text"] == "The dam was never finished."
    assert record["statements"][0]["quote"] == "We never finished the dam."
    assert "Planted evidence." in [item["summary"] for item in record["evidence"]]


def test_each_public_edit_alone_makes_a_contributor(factchecker, reviewer):
    edits = {
        "claim text": lambda claim: services.claim_update(claim=claim, by=reviewer, text="Reworded."),
        "topics": lambda claim: services.claim_update(
            claim=claim, by=reviewer, topics=[apps.get_model("claims", "Topic").objects.create(name="T", slug="t")]
        ),
        "statement quote": lambda claim: services.claim_item_update(
            item=_set(claim.statements.get(), quote="Changed quote."), by=reviewer
        ),
        "evidence summary": lambda claim: services.claim_item_update(
            item=_set(claim.evidence.get(), summary="Changed summary."), by=reviewer
        ),
        "evidence removed": lambda claim: services.claim_item_remove(item=claim.evidence.get(), by=reviewer),
        "citation added": lambda claim: services.claim_source_add(claim=claim, source=SourceFactory(), by=reviewer),
        "citation removed": lambda claim: services.claim_item_remove(item=claim.claim_sources.get(), by=reviewer),
        "outreach answer": lambda claim: services.claim_item_update(
            item=_set(claim.outreach.get(), response="No comment."), by=reviewer
        ),
        # The record shows related claims (version 4), so linking one is writing the record too.
        "related claim linked": lambda claim: services.claim_item_create(
            item=ClaimLink(from_claim=claim, to_claim=ClaimFactory(), kind="same_claim"), by=reviewer
        ),
        "linked from another claim": lambda claim: services.claim_item_create(
            item=ClaimLink(from_claim=ClaimFactory(), to_claim=claim, kind="counter_claim"), by=reviewer
        ),
    }
    for name, edit in edits.items():
        claim = ClaimFactory()
        StatementFactory(claim=claim)
        EvidenceFactory(claim=claim)
        ClaimSourceFactory(claim=claim)
        verdict = submitted(claim, author=factchecker)
        assert permissions.may(reviewer, Action.PUBLISH_VERDICT, fresh(verdict)), name
        edit(Claim.objects.get(pk=claim.pk))
        assert not permissions.may(reviewer, Action.PUBLISH_VERDICT, fresh(verdict)), name


def _set(item, **values):
    for name, value in values.items():
        setattr(item, name, value)
    return item


def test_internal_edits_and_background_work_make_no_contributor(in_review, reviewer):
    claim, verdict = in_review
    evidence = claim.evidence.get()
    evidence.internal_note = "Call the ministry again."
    services.claim_item_update(item=evidence, by=reviewer)
    services.claim_assign(claim=claim, assignee=reviewer, by=reviewer)
    # A fetch or an import saves with nobody's name (claims.importing.pipeline, not the services).
    statement = claim.statements.get()
    statement.quote = "Corrected by the import."
    save_on_record(statement, by=None, reason="Imported")

    assert permissions.may(reviewer, Action.PUBLISH_VERDICT, fresh(verdict))
    assert set(Contribution.objects.filter(claim=claim).values_list("by__username", flat=True)) == {"factchecker"}


def test_rewording_the_history_messages_does_not_weaken_the_rule(monkeypatch, factchecker, reviewer):
    """The rule reads contributions, not the reasons written into the history."""
    from claims import records

    def reworded(instance, *, by, reason="", update_fields=None):
        return records.save_on_record(instance, by=by, reason="Tidied up", update_fields=update_fields)

    monkeypatch.setattr(workflow, "save_on_record", reworded)
    monkeypatch.setattr(services, "save_on_record", reworded)
    claim = ClaimFactory()
    OutreachFactory(claim=claim)
    verdict = workflow.verdict_draft(claim=claim, by=factchecker)
    workflow.verdict_edit(verdict=verdict, by=reviewer, rating=unproven(), headline="Settled", explanation="x")
    verdict = workflow.verdict_submit(verdict=fresh(verdict), by=factchecker)

    assert not verdict.history.filter(history_change_reason__in=("Drafted", "Edited")).exists()
    assert not permissions.may(reviewer, Action.PUBLISH_VERDICT, fresh(verdict))
    with pytest.raises(PermissionDenied):
        workflow.verdict_publish(verdict=fresh(verdict), by=reviewer)
    with pytest.raises(PermissionDenied):
        workflow.verdict_request_changes(verdict=fresh(verdict), by=reviewer, comment="Looks fine to me")


def test_publishing_starts_a_new_round(in_review, reviewer, third_reviewer, factchecker):
    claim, verdict = in_review
    services.claim_update(claim=claim, by=reviewer, text="Edited before the first publication.")
    workflow.verdict_publish(verdict=fresh(verdict), by=third_reviewer)
    assert not Contribution.objects.filter(claim=claim, published_in__isnull=True).exists()

    correction = submitted(claim, author=factchecker, kind="correction", public_note="Year corrected.")
    assert permissions.may(reviewer, Action.PUBLISH_VERDICT, fresh(correction))  # last round's edit no longer counts
    statement = Claim.objects.get(pk=claim.pk).statements.get()
    statement.quote = "Edited for the correction."
    services.claim_item_update(item=statement, by=reviewer)
    assert not permissions.may(reviewer, Action.PUBLISH_VERDICT, fresh(correction))  # the correction's own writers do
    assert permissions.may(third_reviewer, Action.PUBLISH_VERDICT, fresh(correction))


def test_making_a_cited_source_confidential_makes_a_contributor(in_review, admin_user, reviewer):
    """A source is shared: its public fields are on the record of every claim that shows it."""
    claim, verdict = in_review
    source = claim.statements.get().source
    assert permissions.may(admin_user, Action.PUBLISH_VERDICT, fresh(verdict))
    services.source_update(source=source, by=admin_user, confidential=True, public_description="A local official")
    assert not permissions.may(admin_user, Action.PUBLISH_VERDICT, fresh(verdict))
    assert permissions.may(reviewer, Action.PUBLISH_VERDICT, fresh(verdict))


def test_editing_the_claim_in_the_admin_makes_a_contributor(in_review, admin_user, client):
    claim, verdict = in_review
    client.force_login(admin_user)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "topics"}
    data.update(
        {
            "text": "Changed in the admin.",
            "claim_sources-TOTAL_FORMS": 0,
            "claim_sources-INITIAL_FORMS": 0,
            "old_slugs-TOTAL_FORMS": 0,
            "old_slugs-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Claim.objects.get(pk=claim.pk).text == "Changed in the admin."
    assert not permissions.may(admin_user, Action.PUBLISH_VERDICT, fresh(verdict))


# --- The version the reviewer saw -------------------------------------------------------------


def test_publish_is_refused_when_the_content_moved_after_the_page_was_loaded(in_review, client_for, factchecker):
    claim, verdict = in_review
    reviewer_client = client_for("reviewer")
    page = reviewer_client.get(reverse("staff:claim-review", args=[claim.pk])).content.decode()
    seen_version = re.search(r"publish/\?seen_version=(\d+)", page).group(1)
    confirm = reviewer_client.get(
        reverse("staff:transition", args=[claim.pk, "publish"]), {"seen_version": seen_version}, **HTMX
    ).content.decode()
    assert f'name="seen_version" value="{seen_version}"' in confirm

    # Meanwhile the fact-checker changes a quote.
    statement = claim.statements.get()
    statement.quote = "We finished the dam in 2021."
    services.claim_item_update(item=statement, by=factchecker)

    data = {"seen_state": "in_review", "verdict": verdict.pk, "seen_version": seen_version}
    response = reviewer_client.post(reverse("staff:transition", args=[claim.pk, "publish"]), data, **HTMX)
    assert response.status_code == 409
    message = response.content.decode()
    assert "content changed after you loaded the page" in message
    assert f"statement #{statement.pk} (quote) edited by factchecker" in message
    assert "Nothing was published" in message
    assert f"publish/?seen_version={seen_version}" in message  # publishing again needs a reload first
    assert fresh(verdict).state == "in_review"
    assert Claim.objects.get(pk=claim.pk).state == "in_review"

    # Reloaded, the reviewer sees the new version and publishes it.
    page = reviewer_client.get(reverse("staff:claim-review", args=[claim.pk])).content.decode()
    data["seen_version"] = re.search(r"publish/\?seen_version=(\d+)", page).group(1)
    response = reviewer_client.post(reverse("staff:transition", args=[claim.pk, "publish"]), data, **HTMX)
    assert response.status_code == 200
    assert fresh(verdict).published_record["statements"][0]["quote"] == "We finished the dam in 2021."


def test_publish_without_the_version_seen_is_refused(in_review, client_for):
    claim, verdict = in_review
    data = {"seen_state": "in_review", "verdict": verdict.pk}
    response = client_for("reviewer").post(reverse("staff:transition", args=[claim.pk, "publish"]), data, **HTMX)
    assert response.status_code == 409
    assert fresh(verdict).state == "in_review"


def test_an_internal_edit_does_not_move_the_version(in_review, reviewer, factchecker):
    claim, verdict = in_review
    seen = workflow.content_version(fresh(verdict))
    evidence = claim.evidence.get()
    evidence.internal_note = "Note to self."
    services.claim_item_update(item=evidence, by=factchecker)
    assert workflow.verdict_publish(verdict=fresh(verdict), by=reviewer, seen_version=seen).state == "published"


# --- One place decides what is public ---------------------------------------------------------

# Written by the workflow when it publishes, never by an edit.
WORKFLOW_FIELDS = {
    Verdict: {"author", "reviewer", "supersedes", "published_at", "state", "submitted_at", "published_record"}
}


def _other_value(field, current):
    if field.choices:
        return next(value for value, _label in field.flatchoices if value != current)
    if isinstance(field, models.BooleanField):
        return not current
    if isinstance(field, models.DateTimeField):
        return timezone.now() - datetime.timedelta(days=3)
    if isinstance(field, models.DateField):
        return datetime.date(2001, 2, 3)
    if isinstance(field, models.IntegerField):
        return (current or 0) + 5
    if isinstance(field, models.ForeignKey):
        related = field.related_model
        factories = {Actor: ActorFactory, Source: SourceFactory}
        if related is apps.get_model("claims", "User"):
            return UserFactory().pk
        if related is apps.get_model("claims", "Feed"):
            return FeedFactory().pk
        return factories[related]().pk
    if isinstance(field, (models.CharField, models.TextField, models.FileField)):
        return f"{current}-changed"[: field.max_length] if field.max_length else f"{current} changed"
    return None


def test_no_field_outside_public_fields_reaches_the_record(factchecker):
    """Changing any other field leaves the record as it was: a hole here would let edits go unattributed."""
    claim = ClaimFactory(first_appearance=SourceFactory())
    rows = [
        claim,
        claim.claimant,
        claim.first_appearance,
        StatementFactory(claim=claim),
        EvidenceFactory(claim=claim),
        ClaimSourceFactory(claim=claim),
        OutreachFactory(claim=claim),
        submitted(claim, author=factchecker),
    ]

    def record():
        built = build_public_record(claim=Claim.all_objects.get(pk=claim.pk), verdict=fresh(rows[-1]))
        return {key: value for key, value in built.items() if key != "frozen_at"}

    before = record()
    checked = 0
    for row in rows:
        model = type(row)
        skipped = set(PUBLIC_FIELDS[model]) | WORKFLOW_FIELDS.get(model, set())
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in skipped or (field.is_relation and field.related_model is Claim):
                continue
            value = _other_value(field, getattr(row, field.attname))
            if value is None:
                continue
            model._base_manager.filter(pk=row.pk).update(**{field.attname: value})
            assert record() == before, f"{model.__name__}.{field.name} reaches the public record"
            checked += 1
    assert checked > 20


# --- The migration fills contributions in from the history on file ---------------------------


def test_migration_fills_contributors_from_history(factchecker, reviewer, third_reviewer):
    fill_from_history = importlib.import_module("claims.migrations.0009_contributions").fill_from_history
    published_claim = ClaimFactory()
    early_editor = UserFactory(groups=[permissions.REVIEWERS])
    services.claim_update(claim=published_claim, by=early_editor, text="Edited before publication.")
    workflow.verdict_publish(verdict=fresh(submitted(published_claim, author=factchecker)), by=third_reviewer)
    correction = submitted(published_claim, author=factchecker, kind="correction", public_note="Fixed.")
    evidence = EvidenceFactory(claim=published_claim)
    evidence.summary = "Edited for the correction, under another wording."
    _save_with_history(evidence, by=reviewer, reason="Polished")

    open_claim = ClaimFactory()
    statement = StatementFactory(claim=open_claim)
    statement.quote = "Changed quote."
    _save_with_history(statement, by=reviewer, reason="Whatever")
    statement.stance = Statement.Stance.ASSERTS
    _save_with_history(statement, by=third_reviewer, reason="Another")
    evidence = EvidenceFactory(claim=open_claim)
    evidence.internal_note = "Internal only."
    _save_with_history(evidence, by=early_editor, reason="Edited")
    open_verdict = submitted(open_claim, author=factchecker)

    Contribution.objects.all().delete()
    fill_from_history(apps, None)

    assert workflow.verdict_contributor_ids(fresh(correction)) == {factchecker.pk, reviewer.pk}
    assert workflow.verdict_contributor_ids(fresh(open_verdict)) == {factchecker.pk, reviewer.pk, third_reviewer.pk}
    edited = Contribution.objects.get(claim=open_claim, by=third_reviewer)
    assert (edited.item_type, edited.item_id, edited.change, edited.fields) == (
        "statement",
        statement.pk,
        "edited",
        ["stance"],
    )


def _save_with_history(item, *, by, reason):
    """A save on record that no contribution watches, as before this version."""
    item._history_user, item._change_reason = by, reason
    item.save()


def test_public_fields_name_real_fields():
    for model, names in PUBLIC_FIELDS.items():
        for name in names:
            model._meta.get_field(name)
    assert {ClaimSource, Statement, Evidence, Outreach, Verdict, Claim} <= set(PUBLIC_FIELDS)
