"""Telling the people who must act: an alert under the bell in the staff navigation, and an email through
the outbox (claims/notifications.py) for those whose preferences ask for it.

Nothing here runs inside a transition. A transition that someone must act on enqueues `alert_event` on
commit (claims/jobs.py); the worker locks the event, tells each person once and marks it told
(`WorkflowEvent.alerted_at`), so a second delivery tells nobody twice; the `alerts-catch-up` beat task
tells what a broker that was down left waiting. Tips and error reports are told as a digest
(`send_triage_digest`, a beat task): a flood of tips is one alert per person, not a flood of mail.

Who is told:
* submitted for review: the reviewer asked for, or else every reviewer who may publish it (never one of
  its contributors: they could not publish it);
* changes requested, published, dismissed: the claim's assignee and the verdict's author;
* tips and error reports: everyone who triages them;
never the person who acted.

Each person is told in their own language (claims/languages.py): the texts are lazy until then.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, ngettext

from claims.languages import staff_language_of
from claims.models import Alert, Claim, EmailPreferences, ErrorReport, Tip, TriageDigest, User, WorkflowEvent
from claims.notifications import notify, single_line
from claims.permissions import Action, may, reviewer_users

# The transitions someone must act on (their names in claims/workflow.py's table).
ALERTED_ACTIONS = frozenset({"submit", "request_changes", "publish", "dismiss"})
# Events older than this are not told by the catch-up sweep: news that stale would only mislead.
CATCH_UP_WINDOW = timedelta(days=1)
# A tip committed a moment after the digest was cut still has a created_at before it: leave it a margin.
DIGEST_MARGIN = timedelta(seconds=30)
# The first digest reaches back no further than this.
FIRST_DIGEST_WINDOW = timedelta(days=1)
TEXT_MAX_LENGTH = 300
CLAIM_IN_TEXT = 100


def _claim_words(claim: Claim) -> str:
    return single_line(claim.text, CLAIM_IN_TEXT)


def _wants_email(user: User, preference: str) -> bool:
    return bool(getattr(EmailPreferences.of(user), preference))


def _tell(
    people: Iterable[User],
    *,
    kind: str,
    text: str | Promise,
    path: str,
    preference: str,
    body: str | Promise,
    **source: object,
) -> int:
    """An alert for each person (once per event or digest: the unique constraints), and an email to those
    whose preferences ask for it, each in the person's language. Returns how many were told."""
    told = 0
    for person in people:
        with translation.override(staff_language_of(person)):
            _alert, created = Alert.objects.get_or_create(
                recipient=person, **source, defaults={"kind": kind, "text": str(text)[:TEXT_MAX_LENGTH], "path": path}
            )
        if not created:
            continue
        told += 1
        if _wants_email(person, preference):
            notify(user=person, subject=text, body=body, path=path)
    return told


def _people(*candidates: User | None, besides: User | None) -> list[User]:
    """The active people named, each once, in a fixed order, without the one who acted."""
    found = {person.pk: person for person in candidates if person is not None and person.is_active}
    if besides is not None:
        found.pop(besides.pk, None)
    return [found[pk] for pk in sorted(found)]


def _reviewers_for(event: WorkflowEvent) -> list[User]:
    claim, verdict = event.claim, event.verdict
    if claim.reviewer is not None:
        return _people(claim.reviewer, besides=event.by)
    if verdict is None:
        return []
    # `may` asks the two-person rule on the verdict as it is now: a contributor could not publish it.
    eligible = [person for person in reviewer_users() if may(person, Action.PUBLISH_VERDICT, verdict)]
    return _people(*eligible, besides=event.by)


def _author_of(event: WorkflowEvent) -> User | None:
    verdict = event.verdict or event.claim.verdicts.order_by("-created_at", "-pk").first()
    return verdict.author if verdict is not None else None


def _tell_event(event: WorkflowEvent) -> int:
    claim, by = event.claim, event.by
    who = by.get_username() if by is not None else gettext_lazy("Someone")
    words = _claim_words(claim)
    workspace = reverse("staff:claim", args=[claim.pk])
    match event.action:
        case "submit":
            return _tell(
                _reviewers_for(event),
                kind=Alert.Kind.REVIEW_REQUESTED,
                text=format_lazy(gettext_lazy("Ready for review: {claim}"), claim=words),
                path=reverse("staff:claim-review", args=[claim.pk]),
                preference="review_requests" if claim.reviewer is None else "assignments",
                body=format_lazy(
                    gettext_lazy("{who} sent the verdict on “{claim}” for review."), who=who, claim=claim.text
                ),
                event=event,
            )
        case "request_changes":
            return _tell(
                _people(claim.assignee, _author_of(event), besides=by),
                kind=Alert.Kind.CHANGES_REQUESTED,
                text=format_lazy(gettext_lazy("Changes requested: {claim}"), claim=words),
                path=workspace,
                preference="assignments",
                body=format_lazy(
                    gettext_lazy("{who} asked for changes to the verdict on “{claim}”:\n\n{comment}"),
                    who=who,
                    claim=claim.text,
                    comment=event.comment,
                ),
                event=event,
            )
        case "publish":
            return _tell(
                _people(claim.assignee, _author_of(event), besides=by),
                kind=Alert.Kind.PUBLISHED,
                text=format_lazy(gettext_lazy("Published: {claim}"), claim=words),
                path=workspace,
                preference="outcomes",
                body=format_lazy(gettext_lazy("{who} published the verdict on “{claim}”."), who=who, claim=claim.text),
                event=event,
            )
        case "dismiss":
            return _tell(
                _people(claim.assignee, _author_of(event), besides=by),
                kind=Alert.Kind.DISMISSED,
                text=format_lazy(gettext_lazy("Dismissed: {claim}"), claim=words),
                path=workspace,
                preference="outcomes",
                body=format_lazy(
                    gettext_lazy("{who} dismissed the claim “{claim}”:\n\n{comment}"),
                    who=who,
                    claim=claim.text,
                    comment=event.comment,
                ),
                event=event,
            )
    return 0


def alert_event(event_id: int) -> int:
    """Tell the people who must act on a workflow event, once. Returns how many were told."""
    with transaction.atomic():
        event = (
            WorkflowEvent.objects.select_for_update(of=("self",))
            .select_related("claim__assignee", "claim__reviewer", "verdict__author", "by")
            .filter(pk=event_id, alerted_at__isnull=True, action__in=ALERTED_ACTIONS)
            .first()
        )
        if event is None:
            return 0  # told already (another delivery), or nothing to tell
        told = _tell_event(event)
        WorkflowEvent.objects.filter(pk=event.pk).update(alerted_at=timezone.now())
    return told


def alerts_catch_up() -> int:
    """Tell what a lost job left waiting (the broker was down when the transition committed)."""
    waiting = WorkflowEvent.objects.filter(
        alerted_at__isnull=True, action__in=ALERTED_ACTIONS, at__gte=timezone.now() - CATCH_UP_WINDOW
    ).values_list("pk", flat=True)
    return sum(alert_event(pk) for pk in list(waiting[:100]))


# --- Tips and error reports, as a digest ---------------------------------------------------------


def triage_staff() -> list[User]:
    """Everyone who triages tips and error reports, in a fixed order."""
    return [person for person in User.objects.filter(is_active=True).order_by("pk") if may(person, Action.TRIAGE_TIPS)]


def _digest_text(tips: int, reports: int) -> str:
    """In the active language."""
    tips_text = ngettext("%(count)d new tip", "%(count)d new tips", tips) % {"count": tips}
    reports_text = ngettext("%(count)d new error report", "%(count)d new error reports", reports) % {"count": reports}
    if tips and reports:
        return gettext("From the public: %(tips)s and %(reports)s") % {"tips": tips_text, "reports": reports_text}
    return gettext("From the public: %(news)s") % {"news": tips_text if tips else reports_text}


def _digest_body(tips: int, reports: int, since: str) -> str:
    return gettext("%(news)s since %(since)s. They wait in triage.") % {
        "news": _digest_text(tips, reports),
        "since": since,
    }


# Written in each person's language when they are told.
_digest_text_lazy = lazy(_digest_text, str)
_digest_body_lazy = lazy(_digest_body, str)


def send_triage_digest() -> TriageDigest | None:
    """One alert (and email) per triaging person for the tips and error reports since the last digest;
    None when nothing came in, or when another sweep wrote this period's digest."""
    until = timezone.now() - DIGEST_MARGIN
    last = TriageDigest.objects.order_by("-until").first()
    since = last.until if last is not None else until - FIRST_DIGEST_WINDOW
    if since >= until:
        return None
    tips = Tip.objects.filter(created_at__gt=since, created_at__lte=until).count()
    reports = ErrorReport.objects.filter(created_at__gt=since, created_at__lte=until).count()
    if not tips and not reports:
        return None  # the next digest starts from the same moment
    text = _digest_text_lazy(tips, reports)
    path = reverse("staff:tips" if tips else "staff:error-reports")
    try:
        with transaction.atomic():
            digest = TriageDigest.objects.create(since=since, until=until, tips=tips, error_reports=reports)
            _tell(
                triage_staff(),
                kind=Alert.Kind.TRIAGE_DIGEST,
                text=text,
                path=path,
                preference="triage_digest",
                body=_digest_body_lazy(tips, reports, f"{timezone.localtime(since):%Y-%m-%d %H:%M}"),
                digest=digest,
            )
    except IntegrityError:
        return None  # another sweep wrote this period's digest
    return digest


# --- The bell -------------------------------------------------------------------------------------


def unread_count(user: User | AnonymousUser) -> int:
    return Alert.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


ALERTS_SHOWN = 100


def alerts_for(user: User | AnonymousUser) -> list[Alert]:
    """The user's latest alerts, newest first."""
    return list(Alert.objects.filter(recipient_id=user.pk)[:ALERTS_SHOWN])
