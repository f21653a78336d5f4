"""Two reviewers act on the same claim at the same moment, on two PostgreSQL connections."""

import threading

import pytest
from django.db import connection

from claims import workflow
from claims.models import Verdict, WorkflowEvent
from tests.claims.test_workflow import in_review
from tests.factories import ClaimFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]


def run_at_once(*actions):
    """Run each action in its own thread (so its own database connection), released together."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("done", action())
        except Exception as exc:  # the outcome is what the test checks
            outcomes[index] = ("refused", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_reviewers_publishing_at_once_exactly_one_wins():
    assert connection.vendor == "postgresql"
    author = UserFactory(groups=["fact-checkers"])
    first, second = UserFactory(groups=["reviewers"]), UserFactory(groups=["reviewers"])
    verdict = in_review(ClaimFactory(), author)

    outcomes = run_at_once(
        lambda: workflow.verdict_publish(verdict=Verdict.objects.get(pk=verdict.pk), by=first),
        lambda: workflow.verdict_publish(verdict=Verdict.objects.get(pk=verdict.pk), by=second),
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["done", "refused"]
    refusal = next(result for kind, result in outcomes if kind == "refused")
    assert isinstance(refusal, workflow.TransitionConflict)
    assert "Nothing was changed by your action" in str(refusal)
    assert WorkflowEvent.objects.filter(verdict=verdict, action="publish").count() == 1
    assert Verdict.objects.get(pk=verdict.pk).state == "published"


def test_publish_and_request_changes_at_once_one_wins_and_nothing_is_half_done():
    author = UserFactory(groups=["fact-checkers"])
    publisher, critic = UserFactory(groups=["reviewers"]), UserFactory(groups=["reviewers"])
    verdict = in_review(ClaimFactory(), author)

    outcomes = run_at_once(
        lambda: workflow.verdict_publish(verdict=Verdict.objects.get(pk=verdict.pk), by=publisher),
        lambda: workflow.verdict_request_changes(
            verdict=Verdict.objects.get(pk=verdict.pk), by=critic, comment="Needs a second source."
        ),
    )

    assert sorted(kind for kind, _ in outcomes) == ["done", "refused"]
    verdict.refresh_from_db()
    claim_state = verdict.claim.state
    if verdict.state == "published":
        assert claim_state == "published"
        assert not WorkflowEvent.objects.filter(verdict=verdict, action="request_changes").exists()
    else:
        assert (verdict.state, claim_state) == ("draft", "researching")
        assert not WorkflowEvent.objects.filter(verdict=verdict, action="publish").exists()
