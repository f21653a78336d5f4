"""Repeats after publication (claims/repeats.py): recorded from Incoming, approved by another reviewer as an addendum
to the published record, then shown on the public page, counted on the claimant's page and listed in ClaimReview."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import repeats, workflow
from claims.dates import DateCalendar, DatePrecision
from claims.models import ClaimSource, Contribution, MatchState, Repeat, ReviewState, Verdict
from claims.publishing import record as schema
from tests.factories import ActorFactory, ArticleMatchFactory, ClaimFactory
from tests.public.conftest import page_tree, texts
from tests.publishing import (
    approved_repeat,
    fact_checker,
    publish,
    recorded_intervention,
    recorded_repeat,
    reviewer,
    submitted,
)

pytestmark = pytest.mark.django_db

SENTENCE = "He said Iran has never supplied drones to Russia for the war in Ukraine."


def public_page(client, claim):
    return page_tree(client.get(reverse("claim", args=[claim.slug])))


def repeats_shown(client, claim) -> list[str]:
    return texts(public_page(client, claim), "//ol[@class='repeats']/li/blockquote")


def appearances(client, claim) -> list[dict]:
    tree = public_page(client, claim)
    (block,) = tree.xpath("//script[@type='application/ld+json']")
    return json.loads(block.text)["itemReviewed"].get("appearance", [])


def record_of(claim) -> schema.PublishedRecord:
    return schema.read_record(Verdict.objects.get(claim=claim, state="published").published_record)


# --- Recorded from Incoming ----------------------------------------------------------------------------------


def test_an_article_repeating_a_published_claim_is_recorded_from_incoming_and_waits_for_review(client):
    claim = publish().claim
    match = ArticleMatchFactory(claim=claim)
    minister = ActorFactory(name="A. Minister")
    checker = fact_checker()
    client.force_login(checker)

    card = client.get(reverse("staff:incoming-article", args=[match.source_id])).content.decode()
    assert reverse("staff:match-repeat", args=[match.pk]) in card
    form = client.get(reverse("staff:match-repeat", args=[match.pk]))
    assert form.context["form"].initial["sentence"] == SENTENCE
    response = client.post(
        reverse("staff:match-repeat", args=[match.pk]),
        {"actor": minister.pk, "sentence": SENTENCE, "date": "", "date_precision": "unknown", "date_note": ""},
    )

    repeat = Repeat.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('staff:claim-repeats', args=[claim.pk])}#repeat-{repeat.pk}"
    assert (repeat.claim, repeat.source, repeat.actor, repeat.sentence) == (claim, match.source, minister, SENTENCE)
    assert (repeat.state, repeat.recorded_by, repeat.match) == (ReviewState.PENDING, checker, match)
    match.refresh_from_db()
    assert (match.state, match.decided_by) == (MatchState.REPEAT, checker)
    # The verdict was checked without the article: it is not cited on the claim.
    assert not ClaimSource.objects.filter(claim=claim, source=match.source).exists()
    # Nothing public before a reviewer approves it.
    client.logout()
    assert repeats_shown(client, claim) == []
    assert all(work.get("url") != match.source.url for work in appearances(client, claim))
    assert record_of(claim).repeats == ()


def test_a_claim_without_a_published_verdict_offers_no_repeat_and_refuses_one(client):
    match = ArticleMatchFactory(claim=ClaimFactory())
    client.force_login(fact_checker())
    card = client.get(reverse("staff:incoming-article", args=[match.source_id])).content.decode()
    assert reverse("staff:match-repeat", args=[match.pk]) not in card
    data = {"actor": ActorFactory().pk, "sentence": SENTENCE, "date_precision": "unknown"}
    response = client.post(reverse("staff:match-repeat", args=[match.pk]), data)
    assert response.status_code == 422
    assert "Only a claim with a published verdict" in response.content.decode()
    assert not Repeat.objects.exists()
    match.refresh_from_db()
    assert match.state == MatchState.UNDECIDED


def test_bad_input_is_shown_next_to_the_field_and_what_was_typed_is_kept(client):
    match = ArticleMatchFactory(claim=publish().claim)
    client.force_login(fact_checker())
    data = {"actor": "", "sentence": "Typed by hand.", "date": "", "date_precision": "day"}
    response = client.post(reverse("staff:match-repeat", args=[match.pk]), data)
    assert response.status_code == 422
    form = response.context["form"]
    assert "actor" in form.errors
    assert "Typed by hand." in response.content.decode()
    assert not Repeat.objects.exists()


# --- Approved as an addendum ---------------------------------------------------------------------------------


def test_a_reviewer_approves_a_repeat_and_the_public_sees_it_without_the_verdict_reopened(
    client, django_capture_on_commit_callbacks
):
    repeat = recorded_repeat()
    claim = repeat.claim
    verdict = Verdict.objects.get(claim=claim)
    before = verdict.published_record
    assert repeats_shown(client, claim) == []  # cached for anonymous visitors before the approval

    approver = reviewer()
    client.force_login(approver)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff:repeat-approve", args=[repeat.pk]))
    assert response.status_code == 302
    client.logout()

    repeat.refresh_from_db()
    assert (repeat.state, repeat.approved_by) == (ReviewState.APPROVED, approver)
    after = Verdict.objects.get(pk=verdict.pk)
    assert (after.state, after.published_at, after.reviewer_id) == (
        "published",
        verdict.published_at,
        verdict.reviewer_id,
    )
    assert after.published_record["version"] == schema.CURRENT_VERSION
    # Every other part of the record is as it was published.
    assert {k: v for k, v in after.published_record.items() if k != "repeats"} == {
        k: v for k, v in before.items() if k != "repeats"
    }
    assert after.history.first().history_change_reason == f"Addendum: repeat #{repeat.pk} approved"
    # The public cache was renewed: the page shows it at once, and its ClaimReview lists the article.
    tree = public_page(client, claim)
    assert texts(tree, "//h2[@id='repeats-title']") == ["Repeated since we checked it"]
    assert texts(tree, "//ol[@class='repeats']/li/blockquote") == [SENTENCE]
    assert "A. Minister, Foreign Minister" in texts(tree, "//ol[@class='repeats']/li/p[@class='statement-head']")
    assert {
        "@type": "CreativeWork",
        "name": "Minister repeats the denial",
        "url": repeat.source.url,
        "datePublished": "2024-03-05",
        "publisher": {"@type": "Organization", "name": "Other News"},
    } in appearances(client, claim)
    (exported,) = client.get(reverse("claimreview-export")).json()["@graph"]
    assert repeat.source.url in [work.get("url") for work in exported["itemReviewed"]["appearance"]]


def test_nobody_approves_a_repeat_they_recorded_and_fact_checkers_approve_none():
    own = reviewer()
    repeat = recorded_repeat(by=own)
    for who in (own, fact_checker()):
        with pytest.raises(PermissionDenied):
            repeats.repeat_approve(repeat=repeat, by=who)
    repeat.refresh_from_db()
    assert repeat.state == ReviewState.PENDING
    assert record_of(repeat.claim).repeats == ()


def test_the_approve_button_is_shown_only_to_whom_may_approve(client):
    own = reviewer()
    repeat = recorded_repeat(by=own)
    approve = reverse("staff:repeat-approve", args=[repeat.pk])
    for who, shown in ((own, False), (fact_checker(), False), (reviewer(), True)):
        client.force_login(who)
        page = client.get(reverse("staff:claim-repeats", args=[repeat.claim_id])).content.decode()
        assert (approve in page) is shown, who
    queue = client.get(reverse("staff:repeats")).content.decode()
    assert approve in queue


def test_an_htmx_approval_answers_the_repeats_card(client):
    repeat = recorded_repeat()
    client.force_login(reviewer())
    queue = f"http://testserver{reverse('staff:repeats')}"
    response = client.post(
        reverse("staff:repeat-approve", args=[repeat.pk]), headers={"HX-Request": "true", "HX-Current-URL": queue}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith(f'<article id="repeat-{repeat.pk}"')
    assert "Approved" in page
    assert reverse("staff:claim-repeats", args=[repeat.claim_id]) in page  # the queue's card names its claim


def test_approving_twice_is_refused_and_changes_nothing():
    repeat = approved_repeat()
    record = Verdict.objects.get(claim=repeat.claim).published_record
    with pytest.raises(PermissionDenied):
        repeats.repeat_approve(repeat=repeat, by=reviewer())
    assert Verdict.objects.get(claim=repeat.claim).published_record == record


def test_a_withdrawn_approved_repeat_leaves_the_public_record(client, django_capture_on_commit_callbacks):
    repeat = approved_repeat()
    assert repeats_shown(client, repeat.claim) == [SENTENCE]
    with pytest.raises(PermissionDenied):  # taking it off the public page is a reviewer's call
        repeats.repeat_withdraw(repeat=repeat, by=repeat.recorded_by)
    with django_capture_on_commit_callbacks(execute=True):
        repeats.repeat_withdraw(repeat=repeat, by=reviewer())
    assert repeats_shown(client, repeat.claim) == []
    assert record_of(repeat.claim).repeats == ()


def test_whoever_recorded_a_pending_repeat_may_withdraw_it_and_nobody_else_on_their_level():
    repeat = recorded_repeat()
    with pytest.raises(PermissionDenied):
        repeats.repeat_withdraw(repeat=repeat, by=fact_checker())
    withdrawn = repeats.repeat_withdraw(repeat=repeat, by=repeat.recorded_by)
    assert withdrawn.state == ReviewState.WITHDRAWN
    with pytest.raises(ValidationError):
        recorded_intervention(withdrawn)


# --- What the newsroom did about it ---------------------------------------------------------------------------


def test_an_intervention_is_public_once_approved_under_its_approved_repeat(client, django_capture_on_commit_callbacks):
    repeat = recorded_repeat()
    intervention = recorded_intervention(repeat, outcome="The publisher added a link to our fact-check.")
    with pytest.raises(PermissionDenied):  # its repeat is not public yet
        repeats.intervention_approve(intervention=intervention, by=reviewer())
    repeats.repeat_approve(repeat=repeat, by=reviewer())
    tree = public_page(client, repeat.claim)
    assert texts(tree, "//div[@class='intervention']") == []

    with pytest.raises(PermissionDenied):
        repeats.intervention_approve(intervention=intervention, by=intervention.recorded_by)
    with django_capture_on_commit_callbacks(execute=True):
        repeats.intervention_approve(intervention=intervention, by=reviewer())
    (shown,) = texts(public_page(client, repeat.claim), "//div[@class='intervention']")
    assert "We asked the publisher to correct it (email) on 6 March 2024." in shown
    assert "The publisher added a link to our fact-check." in shown
    (entry,) = record_of(repeat.claim).repeats
    assert [i.id for i in entry.interventions] == [intervention.pk]

    with django_capture_on_commit_callbacks(execute=True):
        repeats.intervention_withdraw(intervention=intervention, by=reviewer())
    assert texts(public_page(client, repeat.claim), "//div[@class='intervention']") == []


def test_an_intervention_is_recorded_on_the_claims_repeats_page(client):
    repeat = approved_repeat()
    client.force_login(fact_checker())
    prefix = f"repeat-{repeat.pk}"
    url = reverse("staff:intervention-add", args=[repeat.pk])
    invalid = client.post(url, {f"{prefix}-asked": "publisher", f"{prefix}-request": "Kept as typed."})
    assert invalid.status_code == 422
    assert "Kept as typed." in invalid.content.decode()
    data = {
        f"{prefix}-asked": "claimant",
        f"{prefix}-asked_on": "2024-03-07",
        f"{prefix}-method": "phone",
        f"{prefix}-request": "Asked him to correct his statement.",
        f"{prefix}-outcome": "",
    }
    assert client.post(url, data).status_code == 302
    (intervention,) = repeat.interventions.all()
    assert (intervention.asked, intervention.state) == ("claimant", ReviewState.PENDING)


# --- The rest of the public side, and what a repeat is not -----------------------------------------------------


def test_the_claimants_page_counts_the_repeats(client):
    repeat = approved_repeat()
    recorded_repeat(repeat.claim, actor=ActorFactory())  # pending: not counted
    claimant = repeat.claim.claimant
    tree = page_tree(client.get(reverse("claimant", args=[claimant.pk])))
    assert texts(tree, "//p[@class='repeat-total']") == [
        "Claims of theirs that we checked have been repeated once since."
    ]
    assert texts(tree, "//span[contains(@class, 'repeat-count')]") == ["Repeated once since we checked it"]


def test_a_correction_carries_the_approved_repeats_over_as_they_were_approved(client):
    repeat = approved_repeat()
    claim = repeat.claim
    repeat.actor.name = "Renamed since"
    repeat.actor.save()
    correction = submitted(claim, kind="correction", public_note="Fixed a date.")
    workflow.verdict_publish(verdict=Verdict.objects.get(pk=correction.pk), by=reviewer())
    (entry,) = record_of(claim).repeats
    assert (entry.id, entry.actor.name) == (repeat.pk, "A. Minister")
    assert repeats_shown(client, claim) == [SENTENCE]


def test_a_repeat_is_nobodys_contribution_to_the_verdict():
    claim = publish().claim
    before = Contribution.objects.filter(claim=claim, published_in__isnull=True).count()
    own = reviewer()
    repeat = recorded_repeat(claim, by=own)
    repeats.repeat_approve(repeat=repeat, by=reviewer())
    assert Contribution.objects.filter(claim=claim, published_in__isnull=True).count() == before
    # The reviewer who recorded the repeat may still publish a correction written by someone else.
    correction = submitted(claim, kind="correction", public_note="Updated.")
    published = workflow.verdict_publish(verdict=Verdict.objects.get(pk=correction.pk), by=own)
    assert published.state == "published"


# --- Dates typed in either calendar ------------------------------------------------------------------------------


def test_a_repeat_from_incoming_is_dated_in_the_solar_hijri_calendar_as_typed(client):
    claim = publish().claim
    match = ArticleMatchFactory(claim=claim)
    client.force_login(fact_checker())
    response = client.post(
        reverse("staff:match-repeat", args=[match.pk]),
        {"actor": ActorFactory().pk, "sentence": SENTENCE, "date_text": "مهر ۱۴۰۱", "date_note": ""},
    )
    assert response.status_code == 302
    repeat = Repeat.objects.get()
    # Mehr 1401 is one month of its own: stored as its first day, 23 September 2022.
    assert (repeat.date, repeat.date_precision, repeat.date_calendar) == (
        datetime.date(2022, 9, 23),
        DatePrecision.MONTH,
        DateCalendar.SOLAR_HIJRI,
    )


def test_a_repeat_dated_with_no_such_day_is_refused_with_what_was_typed_kept(client):
    claim = publish().claim
    match = ArticleMatchFactory(claim=claim)
    client.force_login(fact_checker())
    response = client.post(
        reverse("staff:match-repeat", args=[match.pk]),
        {"actor": ActorFactory().pk, "sentence": SENTENCE, "date_text": "1401/12/30"},  # 1401 was not a leap year
    )
    assert response.status_code == 422
    assert "There is no such date." in response.content.decode()
    assert 'value="1401/12/30"' in response.content.decode()
    assert not Repeat.objects.exists()


@pytest.mark.parametrize("typed", ["1402/12/17", "۱۷ اسفند ۱۴۰۲", "2024-03-07"])
def test_an_intervention_is_dated_by_the_day_typed_in_either_calendar(client, typed):
    repeat = approved_repeat()
    client.force_login(fact_checker())
    prefix = f"repeat-{repeat.pk}"
    data = {f"{prefix}-asked": "claimant", f"{prefix}-asked_on": typed, f"{prefix}-method": "phone"}
    assert client.post(reverse("staff:intervention-add", args=[repeat.pk]), data).status_code == 302
    assert repeat.interventions.get().asked_on == datetime.date(2024, 3, 7)


def test_an_intervention_needs_the_day_not_only_the_month(client):
    repeat = approved_repeat()
    client.force_login(fact_checker())
    prefix = f"repeat-{repeat.pk}"
    data = {f"{prefix}-asked": "claimant", f"{prefix}-asked_on": "اسفند ۱۴۰۲", f"{prefix}-method": "phone"}
    response = client.post(reverse("staff:intervention-add", args=[repeat.pk]), data)
    assert response.status_code == 422
    assert "Give the day, not only the month or the year." in response.content.decode()
