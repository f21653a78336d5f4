"""Two people merge the same two claims into each other at the same moment, on two PostgreSQL connections:
both lock the claims in primary-key order, so one waits for the other instead of deadlocking, and is told
what happened."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from claims import merging
from claims.models import Claim, WorkflowEvent
from tests.factories import ClaimFactory, StatementFactory, UserFactory
from tests.integration.test_concurrent_review import run_at_once

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]


def test_merging_two_claims_into_each_other_at_once_merges_one_way_only():
    assert connection.vendor == "postgresql"
    first, second = UserFactory(groups=["fact-checkers"]), UserFactory(groups=["fact-checkers"])
    one, other = ClaimFactory(), ClaimFactory()
    StatementFactory(claim=one)
    StatementFactory(claim=other)

    outcomes = run_at_once(
        lambda: merging.claim_merge(claim=Claim.objects.get(pk=one.pk), into=Claim.objects.get(pk=other.pk), by=first),
        lambda: merging.claim_merge(claim=Claim.objects.get(pk=other.pk), into=Claim.objects.get(pk=one.pk), by=second),
    )

    assert sorted(kind for kind, _ in outcomes) == ["done", "refused"]
    refusal = next(result for kind, result in outcomes if kind == "refused")
    assert isinstance(refusal, ValidationError)
    assert "merged into claim #" in " ".join(refusal.messages)
    survivor = next(result for kind, result in outcomes if kind == "done")
    states = {claim.pk: claim.state for claim in Claim.all_objects.filter(pk__in=(one.pk, other.pk))}
    assert set(states.values()) == {Claim.State.NEW, Claim.State.MERGED} and states[survivor.pk] == Claim.State.NEW
    assert survivor.statements.count() == 2
    assert WorkflowEvent.objects.filter(action="merge").count() == 1
