"""Emails to staff and to readers who asked to hear about their tip, through an outbox: a request never
waits on a mail server or a broker.

`notify` writes a Notification row and, once the transaction commits, asks the
worker to send it. If the broker is down the row simply waits: the periodic
`send_pending_notifications` task picks it up when the worker is back.
"""

import unicodedata

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from claims import jobs
from claims.languages import staff_language_of
from claims.links import absolute_url
from claims.models import Notification

MAX_ATTEMPTS = 5
SUBJECT_MAX_LENGTH = Notification._meta.get_field("subject").max_length


def single_line(text: str, max_length: int) -> str:
    """`text` as one line of at most `max_length` characters, for an email subject.

    Runs of whitespace, line breaks and control characters become one space (a mail header
    cannot hold a line break); a longer text is cut at the end of a word and ends with "…".
    """
    line = " ".join("".join(" " if unicodedata.category(char) == "Cc" else char for char in text).split())
    if len(line) <= max_length:
        return line
    kept = line[: max_length - 1]
    if line[max_length - 1] != " " and " " in kept:  # the cut fell inside a word: drop that word
        kept = kept.rsplit(" ", 1)[0]
    return kept.rstrip() + "…"


def notify(*, user, subject: str | Promise, body: str | Promise, path: str = "") -> Notification | None:
    """Queue an email to a staff member (nobody without an address is mailed), linking to `path` on this site.

    Written in the member's language (claims/languages.py): pass lazy texts (gettext_lazy, format_lazy)."""
    if not user.email:
        return None
    with translation.override(staff_language_of(user)):
        return queue_email(to=user.email, subject=str(subject), body=str(body), path=path)


def queue_email(*, to: str, subject: str, body: str, path: str = "") -> Notification:
    """Queue an email to `to`, with a link to `path` on the site after the body; sent once the
    transaction commits."""
    link = f"\n\n{absolute_url(path)}" if path else ""
    subject = single_line(subject, SUBJECT_MAX_LENGTH)
    notification = Notification.objects.create(to=to, subject=subject, body=body + link)
    transaction.on_commit(lambda: jobs.enqueue_sending(notification.pk))
    return notification


def send_notification_now(notification_id: int) -> bool:
    """Send one queued email. A conditional update claims it first, so two deliveries send it once."""
    notification = Notification.objects.filter(
        pk=notification_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS
    ).first()
    if notification is None:
        return False
    claimed = Notification.objects.filter(pk=notification.pk, attempts=notification.attempts, sent_at__isnull=True)
    if not claimed.update(attempts=notification.attempts + 1):
        return False  # another worker got it
    try:
        # One line again, for rows written before subjects were made single-line.
        subject = single_line(notification.subject, SUBJECT_MAX_LENGTH)
        send_mail(subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.to])
    except Exception as exc:  # recorded on the row; the sweep tries again
        Notification.objects.filter(pk=notification.pk).update(last_error=str(exc)[:1000])
        return False
    Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now(), last_error="")
    return True


def send_pending_notifications() -> int:
    pending = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)
    return sum(send_notification_now(pk) for pk in list(pending[:100]))
