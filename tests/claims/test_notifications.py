"""Staff emails go out whatever the claim's text holds: subjects are one line, cut at a word."""

import pytest
from django.core import mail

from claims import alerts, notifications, services, workflow
from claims.models import Notification
from claims.notifications import single_line
from tests.claims.test_workflow import in_review
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

MULTILINE_CLAIM = "Iran supplied drones\nto Russia,\r\nsays the minister\tin a statement that goes on for a long while."


@pytest.fixture(autouse=True)
def mail_that_checks_headers(settings):
    # The in-memory backend builds each message as SMTP would, refusing a header with a line break.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def sent(notification: Notification) -> bool:
    notifications.send_notification_now(notification.pk)
    notification.refresh_from_db()
    return notification.sent_at is not None and notification.last_error == ""


def test_assigning_a_claim_with_a_line_break_in_its_text_is_mailed(factchecker, reviewer):
    claim = ClaimFactory(text=MULTILINE_CLAIM)
    services.claim_assign(claim=claim, assignee=factchecker, by=reviewer)
    notification = Notification.objects.get(to=factchecker.email)
    assert sent(notification)
    assert mail.outbox[0].subject == (
        "Claim assigned to you: Iran supplied drones to Russia, says the minister in a statement that goes on…"
    )
    assert "Iran supplied drones\nto Russia" in mail.outbox[0].body  # the body keeps the text as written


def test_asking_for_changes_on_a_claim_with_a_line_break_is_mailed(factchecker, reviewer):
    claim = ClaimFactory(text="Drones\nwere sold.", assignee=factchecker)
    verdict = in_review(claim, factchecker)
    workflow.verdict_request_changes(verdict=verdict, by=reviewer, comment="Cite the primary source.")
    alerts.alerts_catch_up()  # the worker's job, enqueued when the transition committed
    notification = Notification.objects.get(to=factchecker.email)
    assert sent(notification)
    assert mail.outbox[0].subject == "Changes requested: Drones were sold."


def test_a_subject_written_with_a_line_break_is_mailed_on_one_line(factchecker):
    notification = notifications.notify(user=factchecker, subject="Two\r\nlines", body="Body")
    assert sent(notification)
    assert mail.outbox[0].subject == "Two lines"


def test_a_waiting_notification_stored_with_a_line_break_is_sent(factchecker):
    notification = Notification.objects.create(to=factchecker.email, subject="Stored\nbefore the fix", body="Body")
    assert sent(notification)
    assert mail.outbox[0].subject == "Stored before the fix"


@pytest.mark.parametrize(
    ("text", "limit", "line"),
    [
        ("short", 80, "short"),
        ("  a\n\nb\r\n c\t d\x0be\x1cf\u2028g\u0085h\x00i\x7fj  ", 80, "a b c d e f g h i j"),
        ("the quick brown fox", 12, "the quick…"),
        ("the quick brown fox", 10, "the quick…"),
        ("the quick brown fox", 9, "the…"),
        ("the quick brown fox", 19, "the quick brown fox"),
        ("Supercalifragilistic", 8, "Superca…"),
        ("ایران به روسیه پهپاد داده است", 16, "ایران به روسیه…"),
    ],
)
def test_single_line_collapses_whitespace_and_control_characters_and_cuts_at_a_word(text, limit, line):
    result = single_line(text, limit)
    assert result == line
    assert len(result) <= limit


def test_emails_link_to_the_staff_page_they_are_about_on_the_site_address(settings, factchecker, reviewer, admin_user):
    settings.SITE_URL = "https://claims.example.org"
    claim = ClaimFactory()
    services.claim_assign(claim=claim, assignee=factchecker, by=admin_user)
    services.claim_assign_reviewer(claim=claim, reviewer=reviewer, by=admin_user)
    assert Notification.objects.get(to=factchecker.email).body.endswith(
        f"\n\nhttps://claims.example.org/staff/claims/{claim.pk}/"
    )
    assert Notification.objects.get(to=reviewer.email).body.endswith(
        f"\n\nhttps://claims.example.org/staff/claims/{claim.pk}/review/"
    )
