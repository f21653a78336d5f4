"""claims.workflow.TRANSITIONS: each transition is refused from every state outside its source set and to
every role without its action — by `may` (the buttons) and by the transition function itself."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from claims import merging, workflow
from claims.models import Claim, Verdict, WorkflowEvent
from claims.permissions import FACT_CHECKERS, WORKFLOW_ACTIONS, Action, may
from tests.factories import ClaimFactory, UserFactory, VerdictFactory

pytestmark = pytest.mark.django_db

# The spec, written out independently of claims/permissions.py: which roles hold each workflow action.
WRITERS = {"factchecker", "reviewer", "admin"}
HOLDERS = {
    Action.START_RESEARCH: WRITERS,
    Action.DRAFT_VERDICT: WRITERS,
    Action.EDIT_VERDICT: WRITERS,
    Action.SUBMIT_VERDICT: WRITERS,
    Action.REQUEST_CHANGES: {"reviewer", "admin"},
    Action.PUBLISH_VERDICT: {"reviewer", "admin"},
    Action.DISMISS_CLAIM: {"reviewer", "admin"},
    Action.MERGE_CLAIMS: WRITERS,  # a reviewer when the claim is published: REVIEWED_WHEN_PUBLISHED
}
# Actions that a fact-checker may take on a claim in the works but that need a reviewer once it is published.
REVIEWED_WHEN_PUBLISHED = {Action.MERGE_CLAIMS}
PEOPLE = {
    "anonymous": lambda: AnonymousUser(),
    "no role": lambda: UserFactory(),
    "inactive fact-checker": lambda: UserFactory(groups=[FACT_CHECKERS], is_active=False),
    "factchecker": lambda: UserFactory(groups=["fact-checkers"]),
    "reviewer": lambda: UserFactory(groups=["reviewers"]),
    "admin": lambda: UserFactory(groups=["admins"]),
}
# How each row of the table is made, with whatever else the function asks for.
MAKE = {
    "start_research": lambda obj, by: workflow.claim_start_research(claim=obj, by=by),
    "draft": lambda obj, by: workflow.verdict_draft(claim=obj, by=by, kind=Verdict.Kind.CORRECTION),
    "edit": lambda obj, by: workflow.verdict_edit(verdict=obj, by=by, rating=None, headline="H", explanation="E"),
    "submit": lambda obj, by: workflow.verdict_submit(verdict=obj, by=by),
    "request_changes": lambda obj, by: workflow.verdict_request_changes(verdict=obj, by=by, comment="More."),
    "publish": lambda obj, by: workflow.verdict_publish(verdict=obj, by=by),
    "dismiss": lambda obj, by: workflow.claim_dismiss(claim=obj, by=by, reason="Out of scope."),
    "merge": lambda obj, by: merging.claim_merge(claim=obj, into=ClaimFactory(), by=by),
}


def in_state(model, state):
    """A claim (with no verdict), or a verdict on a claim of its own, in `state`, written by nobody else."""
    if model is Claim:
        merged_into = ClaimFactory() if state == Claim.State.MERGED else None
        return ClaimFactory(state=state, merged_into=merged_into)
    done = state in (Verdict.State.PUBLISHED, Verdict.State.SUPERSEDED)
    return VerdictFactory(state=state, published_at=timezone.now() if done else None)


def refused(row, obj, user) -> bool:
    """`may` says no, and the function refuses and changes nothing."""
    if may(user, row.action, obj):
        return False
    with pytest.raises(PermissionDenied):
        MAKE[row.name](obj, user)
    fresh = Claim.all_objects.get(pk=obj.pk) if isinstance(obj, Claim) else Verdict.objects.get(pk=obj.pk)
    return fresh.state == obj.state and not WorkflowEvent.objects.exists()


def cases_outside_source():
    return [
        pytest.param(row, state, id=f"{row.name}-from-{state}")
        for row in workflow.TRANSITIONS.values()
        for state in row.model.State
        if state not in row.source
    ]


def cases_inside_source():
    return [
        pytest.param(row, state, id=f"{row.name}-from-{state}")
        for row in workflow.TRANSITIONS.values()
        for state in sorted(row.source)
    ]


def test_the_table_states_the_workflow_of_docs_architecture():
    C, V = Claim.State, Verdict.State
    assert {name: (row.source, row.target) for name, row in workflow.TRANSITIONS.items()} == {
        "start_research": ({C.NEW}, C.RESEARCHING),
        "draft": ({C.NEW, C.RESEARCHING, C.IN_REVIEW, C.PUBLISHED}, V.DRAFT),
        "edit": ({V.DRAFT}, V.DRAFT),
        "submit": ({V.DRAFT}, V.IN_REVIEW),
        "request_changes": ({V.IN_REVIEW}, V.DRAFT),
        "publish": ({V.IN_REVIEW}, V.PUBLISHED),
        "dismiss": ({C.NEW, C.RESEARCHING, C.IN_REVIEW}, C.DISMISSED),
        "merge": ({C.NEW, C.RESEARCHING, C.IN_REVIEW, C.PUBLISHED}, C.MERGED),
    }


def test_the_table_has_one_row_for_each_workflow_action_and_says_how_to_make_it():
    actions = [row.action for row in workflow.TRANSITIONS.values()]
    assert sorted(actions) == sorted(WORKFLOW_ACTIONS) == sorted(HOLDERS)
    assert set(MAKE) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize(("row", "state"), cases_outside_source())
def test_a_transition_is_refused_from_every_state_outside_its_source(row, state):
    # An admin holds every workflow action, so only the state can refuse.
    assert refused(row, in_state(row.model, state), UserFactory(groups=["admins"]))


@pytest.mark.parametrize(("row", "state"), cases_inside_source())
@pytest.mark.parametrize("person", list(PEOPLE))
def test_a_transition_is_refused_to_every_role_without_its_action(row, state, person):
    obj, user = in_state(row.model, state), PEOPLE[person]()
    holders = HOLDERS[row.action]
    if row.action in REVIEWED_WHEN_PUBLISHED and state == Claim.State.PUBLISHED:
        holders = holders - {"factchecker"}
    if person in holders:
        assert may(user, row.action, obj)  # the state and the guard allow it: the role decides
    else:
        assert refused(row, obj, user)
