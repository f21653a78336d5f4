"""The people who must act are told: in the app (the bell) and by email as their preferences say, once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import accounts, alerts, jobs, services, workflow
from claims.models import Alert, Notification, TriageDigest, WorkflowEvent
from claims.permissions import FACT_CHECKERS, REVIEWERS
from tests.claims.test_workflow import add_outreach, drafted, in_review
from tests.factories import ClaimFactory, ErrorReportFactory, TipFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def event_alerts(monkeypatch):
    """Stand in for the broker: the workflow events sent to the worker to be told."""
    sent: list[int] = []
    monkeypatch.setattr(jobs, "enqueue_event_alerts", sent.append)
    return sent


def told(user) -> list[str]:
    return list(Alert.objects.filter(recipient=user).values_list("text", flat=True))


def mailed(user) -> list[str]:
    return list(Notification.objects.filter(to=user.email).values_list("subject", flat=True))


def test_a_verdict_sent_to_any_reviewer_tells_every_reviewer_who_may_publish_it_after_commit(
    factchecker, reviewer, admin_user, event_alerts, django_capture_on_commit_callbacks
):
    other = UserFactory(username="reviewer2", groups=[REVIEWERS])
    contributor = UserFactory(username="reviewer3", groups=[REVIEWERS])
    claim = ClaimFactory(text="Iran sent drones to Russia.")
    add_outreach(claim, factchecker)
    verdict = drafted(claim, factchecker)
    workflow.verdict_edit(verdict=verdict, by=contributor, rating=verdict.rating, headline="Edited", explanation="x")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.verdict_submit(verdict=verdict, by=factchecker)
        assert event_alerts == []  # nothing is told inside the transition
    event = WorkflowEvent.objects.get(action="submit")
    assert event_alerts == [event.pk]
    assert Alert.objects.count() == 0

    assert alerts.alert_event(event.pk) == 3
    for person in (reviewer, other, admin_user):
        assert told(person) == ["Ready for review: Iran sent drones to Russia."]
        assert mailed(person) == ["Ready for review: Iran sent drones to Russia."]
    assert told(contributor) == [] and told(factchecker) == []  # a contributor could not publish it
    assert Alert.objects.get(recipient=reviewer).path == reverse("staff:claim-review", args=[claim.pk])

    assert alerts.alert_event(event.pk) == 0  # a second delivery tells nobody twice
    assert Alert.objects.count() == 3 and Notification.objects.count() == 3


def test_a_verdict_sent_to_a_named_reviewer_tells_only_them(factchecker, reviewer, admin_user):
    claim = ClaimFactory(reviewer=reviewer)
    in_review(claim, factchecker)
    alerts.alerts_catch_up()

    assert told(reviewer) and not told(admin_user)


def test_publication_tells_the_author_and_the_assignee_but_not_the_publisher(factchecker, reviewer):
    assignee = UserFactory(username="assignee", groups=[FACT_CHECKERS])
    claim = ClaimFactory(text="Drones were sold.", assignee=assignee)
    workflow.verdict_publish(verdict=in_review(claim, factchecker), by=reviewer)
    alerts.alerts_catch_up()

    for person in (factchecker, assignee):
        assert "Published: Drones were sold." in told(person)
        assert "Published: Drones were sold." in mailed(person)
    assert not told(reviewer)


def test_dismissal_tells_the_assignee_with_the_reason(factchecker, reviewer):
    claim = ClaimFactory(text="Drones were sold.", assignee=factchecker)
    workflow.claim_dismiss(claim=claim, by=reviewer, reason="Out of scope.")
    alerts.alerts_catch_up()

    assert told(factchecker) == ["Dismissed: Drones were sold."]
    assert Notification.objects.get(to=factchecker.email).body.startswith(
        "reviewer dismissed the claim “Drones were sold.”:\n\nOut of scope."
    )


def test_email_preferences_stop_the_email_but_never_the_alert(factchecker, reviewer):
    accounts.email_preferences_update(by=factchecker, outcomes=False)
    claim = ClaimFactory(assignee=factchecker)
    workflow.verdict_publish(verdict=in_review(claim, factchecker), by=reviewer)
    alerts.alerts_catch_up()

    assert len(told(factchecker)) == 1
    assert mailed(factchecker) == []


def test_the_catch_up_sweep_leaves_old_events_alone(factchecker, reviewer):
    claim = ClaimFactory(assignee=factchecker)
    workflow.claim_dismiss(claim=claim, by=reviewer, reason="Old.")
    WorkflowEvent.objects.update(at=timezone.now() - datetime.timedelta(days=2))

    assert alerts.alerts_catch_up() == 0


# --- Tips and error reports: a digest -----------------------------------------------------------


def test_new_tips_and_error_reports_are_one_digest_per_person_not_one_email_per_tip(factchecker, reviewer):
    a_minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    for _ in range(5):
        TipFactory(created_at=a_minute_ago)
    ErrorReportFactory(created_at=a_minute_ago)

    digest = alerts.send_triage_digest()

    assert (digest.tips, digest.error_reports) == (5, 1)
    for person in (factchecker, reviewer):
        assert told(person) == ["From the public: 5 new tips and 1 new error report"]
        assert mailed(person) == ["From the public: 5 new tips and 1 new error report"]
    assert Alert.objects.get(recipient=factchecker).path == reverse("staff:tips")
    assert alerts.send_triage_digest() is None  # nothing new since: no second digest
    assert TriageDigest.objects.count() == 1

    TipFactory(created_at=digest.until + datetime.timedelta(microseconds=1))  # just after the first was cut
    assert alerts.send_triage_digest().tips == 1  # the next period starts where the last one ended


def test_no_digest_without_anything_new(factchecker):
    assert alerts.send_triage_digest() is None
    assert not Alert.objects.exists()


# --- The bell -------------------------------------------------------------------------------------


def _alert(user, text="Published: a claim"):
    return Alert.objects.create(recipient=user, kind=Alert.Kind.PUBLISHED, text=text, path="/staff/")


def test_the_bell_counts_unread_alerts_and_the_list_marks_them_read(client_for, factchecker, reviewer):
    first, second = _alert(factchecker, "First"), _alert(factchecker, "Second")
    someone_elses = _alert(reviewer, "Not yours")
    client = client_for("factchecker")

    assert "2<span" in client.get(reverse("staff:alerts-count")).content.decode()
    page = client.get(reverse("staff:alerts")).content.decode()
    assert "First" in page and "Second" in page and "Not yours" not in page

    answer = client.post(reverse("staff:alerts-read"), {"alert": [first.pk, someone_elses.pk]}, **HTMX)
    fragment = answer.content.decode()
    assert "<html" not in fragment
    assert 'id="alert-count" hx-swap-oob="true"' in fragment  # the bell's count follows
    first.refresh_from_db(), someone_elses.refresh_from_db()
    assert first.read_at is not None
    assert someone_elses.read_at is None  # nobody marks another person's alerts

    assert client.post(reverse("staff:alerts-read"), {"all": "1"})["Location"] == reverse("staff:alerts")
    second.refresh_from_db()
    assert second.read_at is not None
    assert client.get(reverse("staff:alerts-count")).content.decode().count("badge") == 0


def test_email_preferences_are_set_on_my_account(client_for, factchecker):
    client = client_for("factchecker")
    page = client.get(reverse("staff:account")).content.decode()
    assert 'name="triage_digest"' in page and "checked" in page

    client.post(reverse("staff:account-email"), {"assignments": "on", "review_requests": "on"})

    preferences = factchecker.email_preferences
    assert (preferences.assignments, preferences.review_requests) == (True, True)
    assert (preferences.outcomes, preferences.triage_digest) == (False, False)


def test_an_assignment_is_not_mailed_to_who_turned_it_off(factchecker, reviewer):
    accounts.email_preferences_update(by=factchecker, assignments=False)
    services.claim_assign(claim=ClaimFactory(), assignee=factchecker, by=reviewer)

    assert mailed(factchecker) == []
