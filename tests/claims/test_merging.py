"""Merging duplicate claims (claims/merging.py): what moves, what is refused and why, and the screen."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from claims import merging, selectors, services, workflow
from claims.matching.store import matchable
from claims.models import (
    ArticleMatch,
    Claim,
    ClaimLink,
    ClaimSource,
    Contribution,
    ErrorReport,
    Evidence,
    Notification,
    Outreach,
    Statement,
    Tip,
    WorkflowEvent,
)
from claims.permissions import Action, may
from tests.factories import (
    ActorFactory,
    ArticleMatchFactory,
    ClaimFactory,
    ClaimLinkFactory,
    ClaimSourceFactory,
    ErrorReportFactory,
    EvidenceFactory,
    OutreachFactory,
    SourceFactory,
    StatementFactory,
    TipFactory,
    UserFactory,
    VerdictFactory,
)
from tests.publishing import fact_checker, publish, submitted

pytestmark = pytest.mark.django_db


def fresh(claim: Claim) -> Claim:
    return Claim.all_objects.get(pk=claim.pk)


def refusal(claim, into, by) -> list[str]:
    """The messages a refused merge gives; nothing is changed."""
    with pytest.raises(ValidationError) as refused:
        merging.claim_merge(claim=claim, into=into, by=by)
    assert fresh(claim).state == claim.state and fresh(claim).merged_into_id is None
    assert not WorkflowEvent.objects.filter(action__in=("merge", "merged_in")).exists()
    return refused.value.messages


# --- What moves -----------------------------------------------------------------------------


def test_statements_evidence_outreach_and_citations_move_to_the_survivor_after_its_own(factchecker):
    retired, survivor = ClaimFactory(), ClaimFactory()
    statement, outreach = StatementFactory(claim=retired), OutreachFactory(claim=retired)
    kept_evidence, moved_evidence = EvidenceFactory(claim=survivor, order=1), EvidenceFactory(claim=retired, order=1)
    kept_citation = ClaimSourceFactory(claim=survivor, order=1)
    moved_citation = ClaimSourceFactory(claim=retired, order=1)

    assert merging.claim_merge(claim=retired, into=survivor, by=factchecker) == survivor

    assert Statement.objects.get(pk=statement.pk).claim == survivor
    assert Outreach.objects.get(pk=outreach.pk).claim == survivor
    assert list(Evidence.objects.filter(claim=survivor).order_by("order")) == [kept_evidence, moved_evidence]
    assert list(ClaimSource.objects.filter(claim=survivor).order_by("order")) == [kept_citation, moved_citation]
    retired = fresh(retired)
    assert (retired.state, retired.merged_into) == (Claim.State.MERGED, survivor)
    assert not retired.statements.exists() and not retired.evidence.exists()


def test_the_merge_is_on_record_on_both_claims_and_in_the_history_of_what_moved(factchecker):
    retired, survivor = ClaimFactory(), ClaimFactory()
    statement = StatementFactory(claim=retired)
    merging.claim_merge(claim=retired, into=survivor, by=factchecker)

    merge = WorkflowEvent.objects.get(claim=retired, action="merge")
    assert (merge.from_state, merge.to_state, merge.by) == ("new", "merged", factchecker)
    assert f"merged into claim #{survivor.pk}" in merge.comment and "1 statement" in merge.comment
    assert WorkflowEvent.objects.get(claim=survivor, action="merged_in").comment == merge.comment
    moved = Statement.history.filter(id=statement.pk).latest("history_date")
    assert (moved.history_user, moved.claim_id) == (factchecker, survivor.pk)
    assert f"Moved from claim #{retired.pk}" in moved.history_change_reason


def test_the_survivors_history_carries_the_retired_claims_history(factchecker):
    retired, survivor = ClaimFactory(), ClaimFactory()
    statement = services.claim_item_create(
        item=StatementFactory.build(claim=retired, actor=ActorFactory(), source=None), by=factchecker
    )
    workflow.claim_start_research(claim=retired, by=factchecker)
    merging.claim_merge(claim=fresh(retired), into=survivor, by=factchecker)

    entries = selectors.claim_history(survivor)
    kinds = {(entry.record_type, entry.kind) for entry in entries}
    assert ("Statement", "Created") in kinds  # written on the retired claim, before the merge
    assert (f"Workflow of claim #{retired.pk}", "Research started") in kinds
    assert ("Workflow", "A duplicate claim merged in") in kinds
    statement_changes = [
        e for e in entries if e.record_type == "Statement" and e.record_label.endswith(statement.quote)
    ]
    assert any(change.field == "claim" for entry in statement_changes for change in entry.changes)


def test_a_source_both_cite_becomes_one_citation_with_both_notes(factchecker):
    retired, survivor, source = ClaimFactory(), ClaimFactory(), SourceFactory()
    kept = ClaimSourceFactory(claim=survivor, source=source, note="Where it first appeared")
    duplicate = ClaimSourceFactory(claim=retired, source=source, note="Quoted again here")
    merging.claim_merge(claim=retired, into=survivor, by=factchecker)

    assert list(ClaimSource.objects.filter(source=source)) == [kept]
    assert ClaimSource.objects.get(pk=kept.pk).note == "Where it first appeared; Quoted again here"
    assert ClaimSource.all_objects.get(pk=duplicate.pk).removed_at is not None


def test_links_between_the_two_are_dropped_and_links_to_third_claims_move_once(factchecker):
    retired, survivor, third, fourth, fifth = ClaimFactory.create_batch(5)
    between = ClaimLinkFactory(from_claim=retired, to_claim=survivor)
    back = ClaimLinkFactory(from_claim=survivor, to_claim=retired, kind=ClaimLink.Kind.SAME_CLAIM)
    outgoing = ClaimLinkFactory(from_claim=retired, to_claim=third)
    ClaimLinkFactory(from_claim=survivor, to_claim=fourth, kind=ClaimLink.Kind.PART_OF)
    repeated = ClaimLinkFactory(from_claim=retired, to_claim=fourth, kind=ClaimLink.Kind.PART_OF)
    incoming = ClaimLinkFactory(from_claim=fifth, to_claim=retired)
    merging.claim_merge(claim=retired, into=survivor, by=factchecker)

    for dropped in (between, back, repeated):
        assert ClaimLink.all_objects.get(pk=dropped.pk).removed_at is not None
    assert ClaimLink.objects.get(pk=outgoing.pk).from_claim == survivor
    assert ClaimLink.objects.get(pk=incoming.pk).to_claim == survivor
    assert set(ClaimLink.objects.filter(from_claim=survivor).values_list("to_claim", flat=True)) == {
        third.pk,
        fourth.pk,
    }
    assert not ClaimLink.objects.filter(to_claim=retired).exists()


def test_tips_error_reports_and_undecided_matches_point_at_the_survivor(factchecker):
    retired, survivor = ClaimFactory(), ClaimFactory()
    tip = TipFactory(claim=retired, state=Tip.State.ACCEPTED)
    report = ErrorReportFactory(claim=retired)
    suggestion = ArticleMatchFactory(claim=retired)
    already_suggested = ArticleMatchFactory(claim=survivor)
    repeat = ArticleMatchFactory(claim=retired, source=already_suggested.source)
    merging.claim_merge(claim=retired, into=survivor, by=factchecker)

    assert Tip.objects.get(pk=tip.pk).claim == survivor
    assert ErrorReport.objects.get(pk=report.pk).claim == survivor
    assert ArticleMatch.objects.get(pk=suggestion.pk).claim == survivor
    assert not ArticleMatch.objects.filter(pk=repeat.pk).exists()
    assert not matchable(fresh(retired).state, None)


def test_a_claim_merged_earlier_follows_the_claim_it_was_merged_into(factchecker):
    first, second, third = ClaimFactory.create_batch(3)
    merging.claim_merge(claim=first, into=second, by=factchecker)
    merging.claim_merge(claim=fresh(second), into=third, by=factchecker)
    assert fresh(first).merged_into == third


def test_with_work_open_on_both_the_survivor_keeps_its_people_and_the_retired_claims_are_told(factchecker):
    theirs, ours = UserFactory(groups=["fact-checkers"]), UserFactory(groups=["fact-checkers"])
    retired = ClaimFactory(state=Claim.State.RESEARCHING, assignee=theirs)
    survivor = ClaimFactory(state=Claim.State.RESEARCHING, assignee=ours)
    submitted(survivor)  # a verdict in the works on the survivor does not stop the merge
    merging.claim_merge(claim=retired, into=survivor, by=factchecker)

    assert fresh(survivor).assignee == ours
    told = Notification.objects.get(to=theirs.email)
    assert "merged" in told.subject and f"/staff/claims/{survivor.pk}/" in told.body


def test_a_survivor_nobody_holds_takes_the_retired_claims_assignee(factchecker):
    theirs = UserFactory(groups=["fact-checkers"])
    retired, survivor = ClaimFactory(assignee=theirs), ClaimFactory()
    merging.claim_merge(claim=retired, into=survivor, by=factchecker)
    assert fresh(survivor).assignee == theirs


# --- The two-person rule ---------------------------------------------------------------------------


def test_whoever_merged_or_wrote_the_retired_claims_content_may_not_publish_the_survivors_verdict():
    writer, merger, colleague = (UserFactory(groups=["reviewers"]) for _ in range(3))
    retired, survivor = ClaimFactory(), ClaimFactory()
    services.claim_item_create(item=EvidenceFactory.build(claim=retired, source=None), by=writer)
    verdict = submitted(survivor)
    merging.claim_merge(claim=retired, into=survivor, by=merger)

    verdict = workflow.open_verdict(fresh(survivor))
    assert not may(writer, Action.PUBLISH_VERDICT, verdict)
    assert not may(merger, Action.PUBLISH_VERDICT, verdict)
    assert may(colleague, Action.PUBLISH_VERDICT, verdict)
    added = Contribution.objects.filter(claim=survivor, by=merger, published_in__isnull=True)
    assert set(added.values_list("item_type", "change")) == {("evidence", "added")}


# --- Refusals, with their reasons ------------------------------------------------------------------


def test_a_claim_is_not_merged_into_itself(factchecker):
    claim = ClaimFactory()
    assert refusal(claim, claim, factchecker) == ["A claim cannot be merged into itself: pick the claim it repeats."]


def test_a_claim_is_not_merged_into_a_removed_dismissed_or_merged_claim(factchecker):
    removed = ClaimFactory(removed_at=timezone.now())
    dismissed = ClaimFactory(state=Claim.State.DISMISSED)
    survivor = ClaimFactory()
    merged = ClaimFactory(state=Claim.State.MERGED, merged_into=survivor)
    claim = ClaimFactory()
    assert "was removed" in refusal(claim, removed, factchecker)[0]
    assert "was dismissed" in refusal(claim, dismissed, factchecker)[0]
    assert f"was itself merged into claim #{survivor.pk}: merge into that one" in refusal(claim, merged, factchecker)[0]


def test_a_claim_with_a_verdict_in_the_works_is_not_retired(factchecker):
    claim = ClaimFactory()
    VerdictFactory(claim=claim, author=factchecker)
    (message,) = refusal(claim, ClaimFactory(), factchecker)
    assert "verdict in the works (draft, by factchecker)" in message
    assert "merge the other claim into this one instead" in message


def test_a_published_claim_is_not_merged_into_an_unpublished_one(reviewer):
    published = publish().claim
    (message,) = refusal(published, ClaimFactory(), reviewer)
    assert "This claim is published and" in message and "into this one instead" in message


def test_a_fact_checker_does_not_merge_into_a_published_claim_and_is_told_why(factchecker):
    published = publish().claim
    (message,) = refusal(ClaimFactory(), published, factchecker)
    assert message.endswith("is published: a reviewer merges published claims.")


# --- The screen ------------------------------------------------------------------------------------


def test_the_workspace_offers_the_merge_to_whoever_may(client_for):
    claim, published = ClaimFactory(), publish().claim
    merge_url = reverse("staff:claim-merge", args=[claim.pk])
    factchecker_client = client_for("factchecker")
    assert merge_url in factchecker_client.get(reverse("staff:claim", args=[claim.pk])).content.decode()
    published_page = factchecker_client.get(reverse("staff:claim", args=[published.pk])).content.decode()
    assert reverse("staff:claim-merge", args=[published.pk]) not in published_page
    reviewer_page = client_for("reviewer").get(reverse("staff:claim", args=[published.pk])).content.decode()
    assert reverse("staff:claim-merge", args=[published.pk]) in reviewer_page


def test_picking_shows_what_will_move_and_merging_goes_to_the_survivor(client_for):
    retired = ClaimFactory(text="Drones were sold to Russia.")
    survivor = ClaimFactory(text="Iran sold drones to Russia for the war.")
    StatementFactory.create_batch(2, claim=retired)
    TipFactory(claim=retired)
    client, url = client_for("factchecker"), reverse("staff:claim-merge", args=[retired.pk])
    assert client.get(url).status_code == 200

    preview = client.post(url, {"into_query": survivor.text})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "2 statements" in page and "1 tip from the public" in page and "never been published" in page
    assert fresh(retired).state == Claim.State.NEW  # nothing merged yet

    merged = client.post(url, {"into_pick": survivor.pk, "confirm": "1"})
    assert merged.status_code == 302 and merged["Location"] == reverse("staff:claim", args=[survivor.pk])
    assert fresh(retired).merged_into == survivor
    retired_page = client.get(reverse("staff:claim", args=[retired.pk])).content.decode()
    assert "This claim was merged into claim" in retired_page
    assert reverse("staff:claim", args=[survivor.pk]) in retired_page


def test_a_refused_merge_says_why_beside_the_picker_and_keeps_the_choice(client_for):
    claim = ClaimFactory()
    response = client_for("factchecker").post(
        reverse("staff:claim-merge", args=[claim.pk]), {"into_pick": claim.pk, "confirm": "1"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "cannot be merged into itself" in page and f'value="{claim.pk}" checked' in page
    assert fresh(claim).state == Claim.State.NEW


def test_the_merge_picker_suggests_claims_but_not_merged_ones(client_for):
    survivor = ClaimFactory(text="Drones were sold, said the minister.")
    ClaimFactory(text="Drones were sold, said the spokesman.", state=Claim.State.MERGED, merged_into=survivor)
    response = client_for("factchecker").get(
        reverse("staff:suggest", args=["claims"]), {"field": "into", "into_query": "drones were sold"}
    )
    assert response.status_code == 200
    assert survivor.text in response.content.decode() and "spokesman" not in response.content.decode()


def test_a_fact_checker_merges_claims_in_the_works_only():
    checker = fact_checker()
    assert may(checker, Action.MERGE_CLAIMS, ClaimFactory(state=Claim.State.RESEARCHING))
    assert not may(checker, Action.MERGE_CLAIMS, publish().claim)
