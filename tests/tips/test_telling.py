"""The sender of a tip who asked to be told hears once, through the outbox, when a verdict on the claim it led
to is published — only if they opted in and their contact is still held."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from claims import services, tips, workflow
from claims.maintenance import delete_expired_contacts
from claims.models import Notification, SiteSettings, Tip, Verdict
from tests.factories import ClaimFactory, TipFactory
from tests.publishing import publish, submitted

pytestmark = pytest.mark.django_db


def accepted_tip(claim, **fields) -> Tip:
    tip = TipFactory(**fields)
    services.tip_group_accept(group=tip.group, by=claim.created_by, claim=claim)
    return Tip.objects.get(pk=tip.pk)


@pytest.fixture
def claim(factchecker):
    return ClaimFactory(created_by=factchecker)


def test_publishing_tells_an_opted_in_sender_once(claim, enqueued, django_capture_on_commit_callbacks):
    tip = accepted_tip(claim, contact="reader@example.invalid", wants_answer=True)
    with django_capture_on_commit_callbacks(execute=True):
        verdict = publish(claim, headline="No evidence Iran sent the drones")
    assert enqueued["telling"] == [claim.pk]  # enqueued by the publish transition, on commit
    assert tips.tell_senders(claim.pk) == 1
    email = Notification.objects.get()
    assert email.to == "reader@example.invalid"
    assert "No evidence Iran sent the drones" in email.body
    assert email.body.endswith(f"{settings.SITE_URL}{reverse('claim', args=[verdict.claim.slug])}")
    tip.refresh_from_db()
    assert tip.told_at is not None
    # Delivered twice, swept, or published again (a correction): still one email.
    assert tips.tell_senders(claim.pk) == 0
    assert tips.tips_catch_up() == 0
    with django_capture_on_commit_callbacks(execute=True):
        publish(claim, kind=Verdict.Kind.CORRECTION, public_note="A date was wrong.")
    tips.tell_senders(claim.pk)
    assert Notification.objects.count() == 1


def test_a_sender_who_did_not_opt_in_is_not_told(claim, enqueued, django_capture_on_commit_callbacks):
    accepted_tip(claim, contact="reader@example.invalid", wants_answer=False)
    with django_capture_on_commit_callbacks(execute=True):
        publish(claim)
    assert enqueued["telling"] == []  # nobody waits: nothing is sent to the worker
    assert tips.tell_senders(claim.pk) == 0
    assert not Notification.objects.exists()


def test_a_sender_whose_contact_was_deleted_is_not_told(claim, client_for):
    old = timezone.now() - datetime.timedelta(days=SiteSettings.load().contact_retention_days + 1)
    tip = accepted_tip(claim, contact="reader@example.invalid", wants_answer=True, created_at=old)
    assert delete_expired_contacts() == 1
    publish(claim)
    assert tips.tell_senders(claim.pk) == 0
    assert tips.tips_catch_up() == 0
    assert not Notification.objects.exists()
    assert Tip.objects.get(pk=tip.pk).told_at is None
    page = client_for("factchecker").get(reverse("staff:tips"), {"state": "accepted"}).content.decode()
    assert "their contact was deleted: they will not be told" in page


def test_the_triage_list_says_when_the_sender_was_told(claim, client_for):
    accepted_tip(claim, contact="reader@example.invalid", wants_answer=True)
    client = client_for("factchecker")
    waiting = client.get(reverse("staff:tips"), {"state": "accepted"}).content.decode()
    assert "Sender asked to be told when this is checked" in waiting
    publish(claim)
    tips.tell_senders(claim.pk)
    told = client.get(reverse("staff:tips"), {"state": "accepted"}).content.decode()
    assert "Sender told of the verdict on" in told


def test_nothing_is_told_before_the_verdict_is_published(claim):
    accepted_tip(claim, contact="reader@example.invalid", wants_answer=True)
    submitted(claim)
    assert tips.tell_senders(claim.pk) == 0
    assert not Notification.objects.exists()


def test_tips_linked_to_a_claim_already_published_are_told_at_once(claim, enqueued, django_capture_on_commit_callbacks):
    publish(claim)
    tip = TipFactory(contact="reader@example.invalid", wants_answer=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.tip_group_accept(group=tip.group, by=claim.created_by, claim=claim)
    assert enqueued["telling"] == [claim.pk]
    assert tips.tell_senders(claim.pk) == 1


def test_the_sweep_tells_the_senders_the_worker_never_got(claim):
    accepted_tip(claim, contact="reader@example.invalid", wants_answer=True)
    publish(claim)  # its on-commit job never ran (the broker was down)
    assert tips.tips_catch_up() == 1
    assert Notification.objects.get().to == "reader@example.invalid"


def test_a_dismissed_group_is_never_told(claim):
    tip = TipFactory(contact="reader@example.invalid", wants_answer=True)
    services.tip_group_dismiss(group=tip.group, by=claim.created_by)
    Tip.objects.filter(pk=tip.pk).update(claim=claim)  # even if it somehow pointed at the claim
    publish(claim)
    assert tips.tell_senders(claim.pk) == 0


def test_the_publish_transition_leaves_the_telling_to_the_worker(claim, django_capture_on_commit_callbacks):
    accepted_tip(claim, contact="reader@example.invalid", wants_answer=True)
    verdict = submitted(claim)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.verdict_publish(verdict=Verdict.objects.get(pk=verdict.pk), by=_reviewer())
    assert callbacks  # the job waits for the commit
    assert not Notification.objects.exists()  # and nothing was queued inside the transition


def _reviewer():
    from tests.publishing import reviewer

    return reviewer()
