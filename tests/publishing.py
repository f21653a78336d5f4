"""Published claims for the tests of the public side, made through the workflow's own functions (claims.workflow)."""

import datetime

from claims import repeats, workflow
from claims.models import Claim, Intervention, Rating, Repeat, Verdict
from claims.permissions import FACT_CHECKERS, REVIEWERS
from tests.factories import ActorFactory, ArticleFactory, ClaimFactory, OutreachFactory, UserFactory


def unproven() -> Rating:
    return Rating.objects.get(scale__slug="default", label="Unproven")


def fact_checker():
    return UserFactory(groups=[FACT_CHECKERS], first_name="Farah", last_name="Checker")


def reviewer():
    return UserFactory(groups=[REVIEWERS], first_name="Reza", last_name="Reviewer")


def submitted(
    claim: Claim,
    *,
    author=None,
    kind: str = "",
    rating: Rating | None = None,
    headline: str = "The evidence does not settle it",
    explanation: str = "Nothing published so far settles it.",
    public_note: str = "",
) -> Verdict:
    """A verdict drafted, written and submitted for review: a first one, or a `kind` of follow-up."""
    author = author or fact_checker()
    claim = Claim.objects.get(pk=claim.pk)
    if not claim.outreach.exists():
        OutreachFactory(claim=claim)
    verdict = workflow.verdict_draft(claim=claim, by=author, kind=kind)
    verdict = workflow.verdict_edit(
        verdict=verdict,
        by=author,
        rating=rating or unproven(),
        headline=headline,
        explanation=explanation,
        public_note=public_note,
    )
    return workflow.verdict_submit(verdict=verdict, by=author)


def publish(claim: Claim | None = None, *, reviewer_user=None, **verdict_fields) -> Verdict:
    """Publish a verdict on `claim` (a new claim if None): a first verdict, or a follow-up if `kind` says so."""
    claim = claim or ClaimFactory()
    verdict = submitted(claim, **verdict_fields)
    return workflow.verdict_publish(verdict=Verdict.objects.get(pk=verdict.pk), by=reviewer_user or reviewer())


def recorded_repeat(claim: Claim | None = None, *, by=None, **fields) -> Repeat:
    """A repeat of a published claim (a new one if None) in a new article, recorded by a fact-checker, pending."""
    arguments = {
        "claim": claim or publish().claim,
        "source": ArticleFactory(title="Minister repeats the denial", publisher="Other News"),
        "actor": ActorFactory(name="A. Minister", title="Foreign Minister"),
        "sentence": "He said Iran has never supplied drones to Russia for the war in Ukraine.",
        "date": datetime.date(2024, 3, 5),
        "date_precision": "day",
        **fields,
    }
    return repeats.repeat_record(by=by or fact_checker(), **arguments)


def recorded_intervention(repeat: Repeat, *, by=None, **fields) -> Intervention:
    arguments = {
        "asked": Intervention.Asked.PUBLISHER,
        "asked_on": datetime.date(2024, 3, 6),
        "method": Intervention.Method.EMAIL,
        "request": "Please link our fact-check.",
        "outcome": "",
        **fields,
    }
    return repeats.intervention_record(repeat=repeat, by=by or fact_checker(), **arguments)


def approved_repeat(claim: Claim | None = None, **fields) -> Repeat:
    return repeats.repeat_approve(repeat=recorded_repeat(claim, **fields), by=reviewer())
