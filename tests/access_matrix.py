"""Who gets what from every named URL: the expectations tests/test_access.py checks.

tests/test_access.py walks the whole URLconf and fails for any named URL that
is missing here, so a new view cannot ship without saying who may open it.

To add a URL, add one line to MATRIX under its full name ("namespace:name"):

    "staff:claim": staff_page(kwargs=lambda: {"pk": ClaimFactory().pk}),

- The outcome for each role (anonymous, factchecker, reviewer, admin) is a
  status code (200, 403, 404, 405...), LOGIN (a redirect that ends at
  /accounts/login/?next=<the URL asked for>) or Redirect("url-name").
- `everyone` and `staff_page` build the common rows; write
  Expect(...) for anything else.
- `kwargs` builds the URL's parameters from tests/factories.py; it runs in the
  test's database transaction, once per role. `query` adds a query string.
- `method="POST"` for views that take only POST: the test posts (no data) and
  checks that GET answers 405 for every signed-in role that is not refused.

Beyond the matrix, test_access.py checks that every "staff:*", "admin:*" and
password response carries the security headers, and that every "staff:*" and
"admin:*" URL answers 403 to a signed-in user who holds no role.

The Django admin ("admin:*") is not listed name by name: admin_expectation()
is one rule for all of it, derived from claims.admin.admin_site's registry.
A new model registered there needs a row in ADMIN_SAMPLES (how to make one);
a model that must not be added or hard-deleted in the admin goes in
NOT_ADDABLE_IN_ADMIN / NOT_DELETABLE_IN_ADMIN.

Unnamed patterns are not walked: they cannot be reversed. They are the
admin's catch-all and object-id redirect, and (with DEBUG on) the media
files served by django.conf.urls.static. Static files are served by
WhiteNoise's middleware, not by URL patterns.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.admin import admin_site
from claims.fetched_files import unguessable_name
from claims.maintenance import record_heartbeat
from claims.models import (
    Actor,
    Alert,
    ApiToken,
    ArticleMatch,
    Claim,
    ClaimLink,
    ClaimReviewSource,
    ClaimSearchText,
    ClaimSlug,
    ClaimSource,
    Contribution,
    DocumentVector,
    EmailPreferences,
    ErrorReport,
    Evidence,
    Export,
    ExternalFactCheck,
    ExternalMatch,
    Feed,
    FeedEntry,
    FetchStatus,
    FormSubmission,
    Heartbeat,
    ImportRun,
    IndexGeneration,
    Intervention,
    Invitation,
    Notification,
    Outreach,
    PendingJob,
    Rating,
    RatingScale,
    RatingScaleTranslation,
    RatingTranslation,
    Repeat,
    SiteSettings,
    Source,
    StaffChange,
    Statement,
    Tip,
    TipGroup,
    TipMatch,
    Topic,
    TriageDigest,
    User,
    Verdict,
    WebhookDelivery,
    WebhookSubscription,
    WorkflowEvent,
)
from claims.people import invitation_tokens
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ArticleMatchFactory,
    ClaimFactory,
    ClaimLinkFactory,
    ClaimSourceFactory,
    ErrorReportFactory,
    EvidenceFactory,
    FeedEntryFactory,
    FeedFactory,
    ImportRunFactory,
    NotificationFactory,
    OutreachFactory,
    RatingFactory,
    RatingScaleFactory,
    SourceFactory,
    StatementFactory,
    TipFactory,
    TopicFactory,
    UserFactory,
    VerdictFactory,
    WorkflowEventFactory,
)
from tests.publishing import approved_repeat, publish, recorded_intervention, recorded_repeat


class _Login:
    """A redirect that ends at the login page, with ?next= pointing back at the URL asked for."""

    def __repr__(self):
        return "LOGIN"


LOGIN = _Login()


@dataclass(frozen=True)
class Redirect:
    """A 302 to a URL of this name (whatever its parameters)."""

    to: str


Outcome = int | _Login | Redirect


@dataclass(frozen=True)
class Expect:
    anonymous: Outcome
    factchecker: Outcome
    reviewer: Outcome
    admin: Outcome
    method: str = "GET"
    kwargs: Callable[[], dict | tuple] | None = None  # a dict for kwargs, a tuple for positional args
    query: dict = field(default_factory=dict)

    def for_role(self, role: str) -> Outcome:
        return getattr(self, role)


def everyone(outcome: Outcome = 200, **options) -> Expect:
    return Expect(outcome, outcome, outcome, outcome, **options)


def staff_page(outcome: Outcome = 200, **options) -> Expect:
    """The newsroom's pages: anonymous users are sent to log in, every staff role gets `outcome`."""
    return Expect(LOGIN, outcome, outcome, outcome, **options)


def _share_card_address() -> dict:
    verdict = publish()
    return {"slug": verdict.claim.slug, "version": verdict.pk}


MATRIX: dict[str, Expect] = {
    # --- public ---
    "home": everyone(200),
    "claim": everyone(200, kwargs=lambda: {"slug": publish().claim.slug}),
    "claim-share-card": everyone(200, kwargs=lambda: _share_card_address()),
    "topic": everyone(200, kwargs=lambda: {"slug": _published_topic().slug}),
    "claimant": everyone(200, kwargs=lambda: {"pk": publish().claim.claimant_id}),
    "byline": everyone(200, kwargs=lambda: {"pk": publish().author_id}),
    "corrections": everyone(200),
    "ratings": everyone(200),
    "methodology": everyone(200),
    "corrections-policy": everyone(200),
    "about": everyone(200),
    "feed": everyone(200),
    "claimreview-export": everyone(200),
    "sitemap": everyone(200),
    "robots-txt": everyone(200),
    "healthz": everyone(200),
    # --- search, tips and error reports (forms from the public; their thank-you pages) ---
    "search": everyone(200, query={"q": "drones"}),
    "tip": everyone(200),
    "tip-thanks": everyone(200),
    "report-error": everyone(200, kwargs=lambda: {"slug": publish().claim.slug}),
    "report-error-thanks": everyone(200, kwargs=lambda: {"slug": publish().claim.slug}),
    # --- the JSON API, asked with a session (tests/api/test_access_matrix.py asks every operation with tokens):
    # published data for anyone; the newsroom's operations take an API token only, never a session ---
    "api:api-root": everyone(404),
    "api:openapi-json": everyone(200),
    "api:openapi-view": everyone(200),
    "api:claim_list": everyone(200),
    "api:claim_detail": everyone(200, kwargs=lambda: {"slug": publish().claim.slug}),
    "api:topic_list": everyone(200),
    "api:claimant_list": everyone(200),
    "api:rating_list": everyone(200),
    "api:correction_list": everyone(200),
    "api:claims_search": everyone(200, query={"query": "drones"}),
    "api:me": everyone(401),
    "api:claim_create": everyone(401, method="POST"),
    "api:claim_source_add": everyone(401, method="POST", kwargs=lambda: {"claim_id": ClaimFactory().pk}),
    "api:statement_create": everyone(401, method="POST", kwargs=lambda: {"claim_id": ClaimFactory().pk}),
    "api:evidence_create": everyone(401, method="POST", kwargs=lambda: {"claim_id": ClaimFactory().pk}),
    "api:tip_create": everyone(401, method="POST"),
    # --- accounts ---
    "login": Expect(200, Redirect("staff:home"), Redirect("staff:home"), Redirect("staff:home")),
    "logout": everyone(Redirect("home"), method="POST"),
    "password_change": Expect(LOGIN, 200, 200, 200),
    "password_change_done": Expect(LOGIN, 200, 200, 200),
    "password_reset": everyone(200),
    "password_reset_done": everyone(200),
    "password_reset_confirm": everyone(200, kwargs=lambda: {"uidb64": "MA", "token": "no-such-token"}),  # "link used"
    "password_reset_complete": everyone(200),
    # The second step: nothing to enter for users without an authenticator (two-factor is off in the tests)
    "two-factor-verify": Expect(LOGIN, Redirect("staff:home"), Redirect("staff:home"), Redirect("staff:home")),
    "two-factor-setup": Expect(LOGIN, 200, 200, 200),
    # --- my account: everyone on staff, each for their own account only ---
    "staff:account": staff_page(200),
    "staff:account-recovery-codes": staff_page(Redirect("staff:account")),  # shown once, right after they are made
    "staff:account-recovery-codes-new": staff_page(Redirect("staff:account"), method="POST"),
    "staff:account-authenticator-remove": staff_page(  # someone else's authenticator
        404, method="POST", kwargs=lambda: {"pk": TOTPDevice.objects.create(user=UserFactory(), name="Phone").pk}
    ),
    "staff:account-sessions-end-others": staff_page(Redirect("staff:account"), method="POST"),
    "staff:markdown-preview": staff_page(200, method="POST"),  # renders what is posted, writes nothing
    "staff:account-email": staff_page(Redirect("staff:account"), method="POST"),
    "staff:account-language": staff_page(Redirect("staff:account"), method="POST"),  # nothing sent: the browser's
    "staff:alerts": staff_page(200),
    "staff:alerts-count": staff_page(200),
    "staff:alerts-read": staff_page(Redirect("staff:alerts"), method="POST"),
    "staff:settings": Expect(LOGIN, 403, 403, 200),
    "staff:account-api-token-create": staff_page(422, method="POST"),  # no name sent
    "staff:account-api-token-created": staff_page(Redirect("staff:account")),  # shown once, right after it is made
    "staff:account-api-token-revoke": staff_page(  # someone else's token
        404, method="POST", kwargs=lambda: {"pk": _api_token_of(UserFactory()).pk}
    ),
    # Anyone holding an invitation link (the token is the permission); a bad link gets a page that says so.
    "invitation-accept": everyone(200, kwargs=lambda: _invitation_link_kwargs()),
    # --- newsroom ---
    "staff:home": staff_page(200),
    "staff:claim-new": staff_page(200),
    "staff:claim-new-similar": staff_page(200, query={"text": "Iran has supplied drones to Russia."}),
    "staff:claim-related": staff_page(200, kwargs=lambda: {"pk": ClaimFactory().pk}),
    "staff:claim": staff_page(200, kwargs=lambda: {"pk": ClaimFactory().pk}),
    "staff:claim-edit": staff_page(200, kwargs=lambda: {"pk": ClaimFactory().pk}),
    "staff:claim-history": staff_page(200, kwargs=lambda: {"pk": ClaimFactory().pk}),
    "staff:claim-merge": staff_page(200, kwargs=lambda: {"pk": ClaimFactory().pk}),
    "staff:claim-assign": staff_page(Redirect("staff:claim"), method="POST", kwargs=lambda: {"pk": ClaimFactory().pk}),
    "staff:claim-assign-reviewer": staff_page(
        Redirect("staff:claim"), method="POST", kwargs=lambda: {"pk": ClaimFactory().pk}
    ),
    "staff:claim-review": staff_page(200, kwargs=lambda: {"pk": VerdictFactory().claim_id}),
    "staff:verdict-edit": staff_page(200, kwargs=lambda: {"pk": VerdictFactory().claim_id}),
    "staff:transition": staff_page(200, kwargs=lambda: {"pk": ClaimFactory().pk, "name": "start-research"}),
    "staff:region": staff_page(200, kwargs=lambda: {"pk": ClaimFactory().pk, "region": "statements"}),
    "staff:region-add": staff_page(200, kwargs=lambda: {"pk": ClaimFactory().pk, "region": "statements"}),
    "staff:region-edit": staff_page(200, kwargs=lambda: _region_item(StatementFactory(), "statements")),
    "staff:region-remove": staff_page(
        Redirect("staff:claim"), method="POST", kwargs=lambda: _region_item(StatementFactory(), "statements")
    ),
    "staff:region-restore": staff_page(
        Redirect("staff:claim"),
        method="POST",
        kwargs=lambda: _region_item(StatementFactory(removed_at=timezone.now()), "statements"),
    ),
    "staff:region-move": staff_page(
        Redirect("staff:claim"), method="POST", kwargs=lambda: _region_item(ClaimSourceFactory(), "sources")
    ),
    "staff:suggest": staff_page(200, kwargs=lambda: {"kind": "actors"}, query={"field": "actor", "actor_query": "Ab"}),
    # --- triage of tips and error reports: everyone on staff may triage (and sees the contacts) ---
    "staff:tips": staff_page(200),
    "staff:tip-group-accept": staff_page(
        Redirect("staff:claim"), method="POST", kwargs=lambda: {"pk": TipFactory().group_id}
    ),
    "staff:tip-group-dismiss": staff_page(
        Redirect("staff:tips"), method="POST", kwargs=lambda: {"pk": TipFactory().group_id}
    ),
    "staff:tip-ungroup": staff_page(Redirect("staff:tips"), method="POST", kwargs=lambda: {"pk": TipFactory().pk}),
    "staff:tip-move": staff_page(Redirect("staff:tips"), method="POST", kwargs=lambda: {"pk": TipFactory().pk}),
    "staff:error-reports": staff_page(200),
    "staff:error-report-answer": staff_page(  # no answer sent: the list again, with the error beside the report
        422, method="POST", kwargs=lambda: {"pk": ErrorReportFactory().pk}
    ),
    "staff:error-report-corrected": staff_page(
        Redirect("staff:error-reports"), method="POST", kwargs=lambda: {"pk": ErrorReportFactory().pk}
    ),
    "staff:error-report-dismiss": staff_page(
        Redirect("staff:error-reports"), method="POST", kwargs=lambda: {"pk": ErrorReportFactory().pk}
    ),
    # --- background import: everyone on staff sees feeds and runs; admins manage feeds ---
    "staff:claim-source-url": staff_page(422, method="POST", kwargs=lambda: {"pk": ClaimFactory().pk}),  # no URL sent
    "staff:claim-source-fetch-status": staff_page(  # to htmx a badge or the region; otherwise back to the workspace
        Redirect("staff:claim"), kwargs=lambda: {"pk": (cited := ClaimSourceFactory()).claim_id, "item_pk": cited.pk}
    ),
    "staff:claim-source-fetch-retry": staff_page(
        Redirect("staff:claim"), method="POST", kwargs=lambda: _cited_failed_fetch()
    ),
    # A source's page (our template) and its snapshot: fetched bytes, so not even a login page for anonymous
    "staff:source": staff_page(200, kwargs=lambda: {"pk": SourceFactory().pk}),
    "staff:source-snapshot": Expect(404, 200, 200, 200, kwargs=lambda: {"pk": _source_with_snapshot().pk}),
    "staff:feeds": staff_page(200),
    # --- other organisations' ClaimReview: everyone on staff sees it; reviewers and admins manage sources ---
    "staff:claimreviews": staff_page(200),
    "staff:claimreview-source-add": Expect(LOGIN, 403, 422, 422, method="POST"),  # no address sent
    "staff:claimreview-file-import": Expect(LOGIN, 403, 422, 422, method="POST"),  # no file sent
    "staff:claimreview-source-read": Expect(
        LOGIN,
        403,
        Redirect("staff:claimreviews"),
        Redirect("staff:claimreviews"),
        method="POST",
        kwargs=lambda: {
            "pk": ClaimReviewSource.objects.create(name="Desk", url=f"https://d.invalid/{uuid.uuid4().hex}").pk
        },
    ),
    "staff:claimreview-source-active": Expect(
        LOGIN,
        403,
        Redirect("staff:claimreviews"),
        Redirect("staff:claimreviews"),
        method="POST",
        kwargs=lambda: {
            "pk": ClaimReviewSource.objects.create(name="Desk", url=f"https://d.invalid/{uuid.uuid4().hex}").pk
        },
    ),
    # --- Incoming: everyone on staff reads the inbox and decides on matches (claims/inbox.py) ---
    "staff:incoming": staff_page(200),
    "staff:incoming-count": staff_page(200),
    "staff:incoming-dismiss": staff_page(Redirect("staff:incoming"), method="POST"),  # nothing ticked: a message
    "staff:incoming-article": staff_page(200, kwargs=lambda: {"pk": ArticleFactory().pk}),
    "staff:incoming-claim-new": staff_page(  # no sentence chosen: back to the article with a message
        Redirect("staff:incoming-article"), method="POST", kwargs=lambda: {"pk": ArticleFactory().pk}
    ),
    "staff:match-dismiss": staff_page(
        Redirect("staff:incoming-article"), method="POST", kwargs=lambda: {"pk": ArticleMatchFactory().pk}
    ),
    "staff:match-cite": staff_page(
        Redirect("staff:incoming-article"), method="POST", kwargs=lambda: {"pk": ArticleMatchFactory().pk}
    ),
    "staff:match-statement": staff_page(200, kwargs=lambda: {"pk": ArticleMatchFactory().pk}),
    "staff:match-evidence": staff_page(200, kwargs=lambda: {"pk": ArticleMatchFactory().pk}),
    # --- Repeats of published claims (claims/repeats.py): staff record, another reviewer approves ---
    "staff:match-repeat": staff_page(200, kwargs=lambda: {"pk": ArticleMatchFactory().pk}),
    "staff:repeats": staff_page(200),
    "staff:claim-repeats": staff_page(200, kwargs=lambda: {"pk": ClaimFactory().pk}),
    "staff:repeat-approve": Expect(  # a fact-checker may not; the repeat was recorded by someone else
        LOGIN,
        403,
        Redirect("staff:claim-repeats"),
        Redirect("staff:claim-repeats"),
        method="POST",
        kwargs=lambda: {"pk": recorded_repeat().pk},
    ),
    "staff:repeat-withdraw": Expect(  # pending: its recorder or a reviewer
        LOGIN,
        403,
        Redirect("staff:claim-repeats"),
        Redirect("staff:claim-repeats"),
        method="POST",
        kwargs=lambda: {"pk": recorded_repeat().pk},
    ),
    "staff:intervention-add": staff_page(422, method="POST", kwargs=lambda: {"pk": recorded_repeat().pk}),  # empty
    "staff:intervention-approve": Expect(
        LOGIN,
        403,
        Redirect("staff:claim-repeats"),
        Redirect("staff:claim-repeats"),
        method="POST",
        kwargs=lambda: {"pk": recorded_intervention(approved_repeat()).pk},
    ),
    "staff:intervention-withdraw": Expect(
        LOGIN,
        403,
        Redirect("staff:claim-repeats"),
        Redirect("staff:claim-repeats"),
        method="POST",
        kwargs=lambda: {"pk": recorded_intervention(approved_repeat()).pk},
    ),
    "staff:feed": staff_page(200, kwargs=lambda: {"pk": FeedFactory().pk}),
    "staff:import-run": staff_page(200, kwargs=lambda: {"pk": ImportRunFactory().pk}),
    "staff:feed-add": Expect(LOGIN, 403, 403, 200),
    "staff:feed-active": Expect(
        LOGIN, 403, 403, Redirect("staff:feed"), method="POST", kwargs=lambda: {"pk": FeedFactory().pk}
    ),
    "staff:feed-poll": Expect(
        LOGIN, 403, 403, Redirect("staff:import-run"), method="POST", kwargs=lambda: {"pk": FeedFactory().pk}
    ),
    # --- webhooks out: admins only (claims/webhooks.py) ---
    "staff:webhooks": Expect(LOGIN, 403, 403, 200),
    "staff:webhook-created": Expect(LOGIN, 403, 403, Redirect("staff:webhooks")),  # shown once, right after
    "staff:webhook": Expect(LOGIN, 403, 403, 200, kwargs=lambda: {"pk": _subscription().pk}),
    "staff:webhook-active": Expect(
        LOGIN, 403, 403, Redirect("staff:webhook"), method="POST", kwargs=lambda: {"pk": _subscription().pk}
    ),
    "staff:webhook-delete": Expect(
        LOGIN, 403, 403, Redirect("staff:webhooks"), method="POST", kwargs=lambda: {"pk": _subscription().pk}
    ),
    "staff:webhook-test": Expect(
        LOGIN, 403, 403, Redirect("staff:webhook"), method="POST", kwargs=lambda: {"pk": _subscription().pk}
    ),
    # --- exports: everyone on staff, each their own (claims/exports.py) ---
    "staff:exports": staff_page(200),
    "staff:export": staff_page(404, kwargs=lambda: {"pk": _someone_elses_export().pk}),
    "staff:export-download": staff_page(404, kwargs=lambda: {"pk": _someone_elses_export().pk}),
    # --- people: admins only ---
    "staff:people": Expect(LOGIN, 403, 403, 200),
    "staff:person-invite": Expect(LOGIN, 403, 403, 422, method="POST"),  # no address sent
    "staff:person-role": Expect(  # no role sent: the page again, with the reason
        LOGIN, 403, 403, Redirect("staff:people"), method="POST", kwargs=lambda: {"pk": UserFactory().pk}
    ),
    "staff:person-deactivate": Expect(LOGIN, 403, 403, 200, kwargs=lambda: {"pk": UserFactory().pk}),
    "staff:person-reactivate": Expect(
        LOGIN, 403, 403, Redirect("staff:people"), method="POST", kwargs=lambda: {"pk": UserFactory().pk}
    ),
    "staff:invitation-resend": Expect(
        LOGIN, 403, 403, Redirect("staff:people"), method="POST", kwargs=lambda: {"pk": _invited().pk}
    ),
    "staff:invitation-revoke": Expect(
        LOGIN, 403, 403, Redirect("staff:people"), method="POST", kwargs=lambda: {"pk": _invited().pk}
    ),
}


def _subscription() -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        name="Partner", url="https://partner.invalid/hook", events=["claim.published"], secret="whsec_c2VjcmV0"
    )


def _someone_elses_export() -> Export:
    return Export.objects.create(requested_by=UserFactory(), format="csv")


def _api_token_of(user: User) -> ApiToken:
    return ApiToken.objects.create(user=user, name="Bot", key_hash=uuid.uuid4().hex, prefix="fct_abcdef")


def _invited() -> User:
    """A person invited and not yet joined (made directly: the service would need an acting admin)."""
    user = UserFactory(is_active=False)
    Invitation.objects.create(user=user)
    return user


def _invitation_link_kwargs() -> dict:
    user = _invited()
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": invitation_tokens.make_token(user)}


def _published_topic() -> Topic:
    claim = ClaimFactory()
    claim.topics.add(topic := TopicFactory())
    publish(claim)
    return topic


def _cited_failed_fetch() -> dict:
    cited = ClaimSourceFactory(source=SourceFactory(fetch_status=FetchStatus.FAILED, fetch_error="Timed out"))
    return {"pk": cited.claim_id, "item_pk": cited.pk}


def _source_with_snapshot() -> Source:
    source = SourceFactory()
    source.snapshot.save(unguessable_name(".html"), ContentFile(b"<!DOCTYPE html><p>A fetched page</p>"))
    return source


def _region_item(item, region: str) -> dict:
    """URL parameters for an item in a region of its claim's workspace."""
    return {"pk": item.claim_id, "region": region, "item_pk": item.pk}


# --- The Django admin: one rule for every admin URL ----------------------------------

# How to make a row of each model registered in the admin (for change, history, delete...).
ADMIN_SAMPLES: dict[type, Callable[[], object]] = {
    Actor: ActorFactory,
    Source: SourceFactory,
    Claim: ClaimFactory,
    ClaimSource: ClaimSourceFactory,
    ClaimLink: ClaimLinkFactory,
    Statement: StatementFactory,
    Evidence: EvidenceFactory,
    Topic: TopicFactory,
    SiteSettings: lambda: _saved(SiteSettings.load()),  # the one row, with a change on record
    Heartbeat: lambda: record_heartbeat(name="worker"),
    PendingJob: lambda: PendingJob.objects.create(task="claims.tasks.match_tip", args=[1], error="Connection refused"),
    User: UserFactory,
    Group: lambda: Group.objects.get_or_create(name="fact-checkers")[0],
    Outreach: OutreachFactory,
    RatingScale: RatingScaleFactory,
    Rating: RatingFactory,  # one no verdict uses yet, so it may still change
    RatingScaleTranslation: lambda: RatingScaleTranslation.objects.create(
        scale=RatingScaleFactory(), language="fa", name="مقیاس", description="توضیح"
    ),
    RatingTranslation: lambda: RatingTranslation.objects.create(
        rating=RatingFactory(), language="es", label="Verdadero", description="Qué significa."
    ),
    Verdict: VerdictFactory,
    WorkflowEvent: WorkflowEventFactory,
    Notification: NotificationFactory,
    Tip: TipFactory,
    TipGroup: lambda: TipFactory().group,
    TipMatch: lambda: TipMatch.objects.create(tip=TipFactory(), claim=ClaimFactory(), similarity=0.5, sentence="A."),
    ErrorReport: ErrorReportFactory,
    Feed: FeedFactory,
    ImportRun: ImportRunFactory,
    FeedEntry: FeedEntryFactory,
    Invitation: lambda: Invitation.objects.get(user=_invited()),
    StaffChange: lambda: StaffChange.objects.create(person_name="someone@example.invalid", kind="invited"),
    ClaimSlug: lambda: ClaimSlug.objects.create(claim=ClaimFactory(), slug=f"old-address-{uuid.uuid4().hex[:12]}"),
    Contribution: lambda: Contribution.objects.create(
        claim=ClaimFactory(), by=UserFactory(), item_type="claim", item_id=1, change="added"
    ),
    FormSubmission: lambda: FormSubmission.objects.create(user=UserFactory(), token=uuid.uuid4().hex),
    ArticleMatch: ArticleMatchFactory,
    DocumentVector: lambda: DocumentVector.objects.create(model="test", text_hash=uuid.uuid4().hex, vector=b"\0" * 8),
    IndexGeneration: lambda: IndexGeneration.objects.get_or_create(name="claims")[0],
    Alert: lambda: Alert.objects.create(recipient=UserFactory(), kind=Alert.Kind.PUBLISHED, text="Published", path="/"),
    TriageDigest: lambda: TriageDigest.objects.create(since=timezone.now(), until=timezone.now(), tips=1),
    EmailPreferences: lambda: EmailPreferences.objects.create(user=UserFactory()),
    Repeat: lambda: recorded_repeat(),
    Intervention: lambda: recorded_intervention(approved_repeat()),
    ApiToken: lambda: ApiToken.objects.create(
        user=UserFactory(), name="Bot", key_hash=uuid.uuid4().hex, prefix="fct_sample"
    ),
    ClaimSearchText: lambda: ClaimSearchText.objects.create(claim=ClaimFactory(), weight_a="Drones"),
    WebhookSubscription: lambda: _subscription(),
    WebhookDelivery: lambda: WebhookDelivery.objects.create(
        subscription=_subscription(), event_id=f"msg_test_{uuid.uuid4().hex[:12]}", event="webhook.test", payload={}
    ),
    Export: lambda: _someone_elses_export(),
    ClaimReviewSource: lambda: ClaimReviewSource.objects.create(name="Check Desk", url="https://checkdesk.invalid/x"),
    ExternalFactCheck: lambda: _external_fact_check(),
    ExternalMatch: lambda: ExternalMatch.objects.create(
        fact_check=_external_fact_check(), source=ArticleFactory(), similarity=0.6, sentence="Drones."
    ),
}
# On the public record: soft-deleted through the services, never hard-deleted
# (docs/architecture.md, "History and soft delete").
PUBLIC_RECORD = {Actor, Source, Claim, ClaimSource, ClaimLink, Statement, Evidence, Outreach}
# Verdicts move only through the workflow, and its log is never rewritten; nor is the import log (runs, entries).
NOT_DELETABLE_IN_ADMIN = PUBLIC_RECORD | {SiteSettings, Verdict, WorkflowEvent, ImportRun, FeedEntry}
# The settings row exists from the first migration on; heartbeats are written by the worker,
# verdicts and workflow events by the workflow, notifications by whatever they tell of, import runs and
# feed entries by the import pipeline.
NOT_ADDABLE_IN_ADMIN = {SiteSettings, Heartbeat, Verdict, WorkflowEvent, Notification, ImportRun, FeedEntry}

# People are invited, and deactivated rather than deleted, on the People page (claims.people).
NOT_ADDABLE_IN_ADMIN |= {User, Invitation, StaffChange}
NOT_DELETABLE_IN_ADMIN |= {User, Invitation, StaffChange}

# Tips and error reports change only through triage in the newsroom.
NOT_ADDABLE_IN_ADMIN |= {Tip, TipGroup, TipMatch, ErrorReport}
NOT_DELETABLE_IN_ADMIN |= {Tip, TipGroup, TipMatch, ErrorReport}
# Contributions are written by the saves they record; the two-person rule reads them.
NOT_ADDABLE_IN_ADMIN |= {Contribution}
NOT_DELETABLE_IN_ADMIN |= {Contribution}

# The tokens of forms sent are written and pruned by the forms themselves (claims.services.submitted_once).
NOT_ADDABLE_IN_ADMIN |= {FormSubmission}
# Jobs wait in the outbox only when the broker did not take them (claims.jobs); an admin may drop one.
NOT_ADDABLE_IN_ADMIN |= {PendingJob}
NOT_DELETABLE_IN_ADMIN |= {FormSubmission}

# Alerts are written by claims.alerts and read by their recipients; each person sets their own email preferences.
NOT_ADDABLE_IN_ADMIN |= {Alert, TriageDigest, EmailPreferences}
NOT_DELETABLE_IN_ADMIN |= {Alert, TriageDigest, EmailPreferences}

# Repeats are recorded and approved on the staff repeats pages (claims.repeats); tokens are each person's own
# (My account); the search text is written at publication.
NOT_ADDABLE_IN_ADMIN |= {Repeat, Intervention, ApiToken, ClaimSearchText}
NOT_DELETABLE_IN_ADMIN |= {Repeat, Intervention, ApiToken, ClaimSearchText}

# Matches are decided in Incoming; vectors and the generation are the matcher's (claims/matching/store.py).
NOT_ADDABLE_IN_ADMIN |= {ArticleMatch, DocumentVector, IndexGeneration}
NOT_DELETABLE_IN_ADMIN |= {ArticleMatch, DocumentVector, IndexGeneration}

# Webhook subscriptions are managed on the staff Webhooks page, deliveries written by the worker; exports are asked
# for on the staff Export page and built by the worker (claims/webhooks.py, claims/exports.py).
NOT_ADDABLE_IN_ADMIN |= {WebhookSubscription, WebhookDelivery, Export}
NOT_DELETABLE_IN_ADMIN |= {WebhookSubscription, WebhookDelivery, Export}


# Other organisations' ClaimReview is read by the worker and managed on staff:claimreviews (claims/claimreviews.py).
NOT_ADDABLE_IN_ADMIN |= {ClaimReviewSource, ExternalFactCheck, ExternalMatch}
NOT_DELETABLE_IN_ADMIN |= {ClaimReviewSource, ExternalFactCheck, ExternalMatch}


def _external_fact_check() -> ExternalFactCheck:
    return ExternalFactCheck.objects.create(
        review_url=f"https://checkdesk.invalid/{uuid.uuid4().hex}",
        publisher_name="Check Desk",
        claim_text="Iran has supplied drones to Russia.",
        rating_text="True",
    )


def _saved(instance):
    instance.save()
    return instance


def admin_only(admin_outcome: Outcome = 200, **options) -> Expect:
    """The admin site: anonymous users are sent to log in, signed-in non-admins get a plain 403."""
    return Expect(LOGIN, 403, 403, admin_outcome, **options)


def _sample(model):
    try:
        make = ADMIN_SAMPLES[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} is registered in the admin: "
            "add how to make one to ADMIN_SAMPLES in tests/access_matrix.py"
        ) from None
    return make()


def _admin_model_urls() -> dict[str, tuple[type, str]]:
    """URL name -> (model, what the URL does), for every model registered in claims.admin.admin_site."""
    urls = {}
    for model in admin_site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}"
        for suffix in ("changelist", "add", "change", "history", "delete", "simple_history"):
            urls[f"{prefix}_{suffix}"] = (model, suffix)
        if model is User:
            urls["auth_user_password_change"] = (model, "password_change")  # UserAdmin names it so for any user model
    return urls


def _object_kwargs(model) -> Callable[[], dict]:
    return lambda: {"object_id": str(_sample(model).pk)}


def _version_args(model) -> Callable[[], tuple]:
    def args():
        instance = _sample(model)
        return (str(instance.pk), str(instance.history.latest().history_id))

    return args


def admin_expectation(name: str) -> Expect:
    """What each role gets from the admin URL `name` ("admin:..."), by one rule."""
    view = name.removeprefix("admin:")
    site_pages = {
        "index": admin_only(),
        "password_change": admin_only(),
        "password_change_done": admin_only(),
        "jsi18n": admin_only(),
        "app_list": admin_only(kwargs=lambda: {"app_label": "claims"}),
        # One login page for the whole app: the admin's own sends there, or on to the admin.
        "login": Expect(Redirect("login"), 403, 403, Redirect("admin:index")),
        "logout": Expect(Redirect("admin:index"), 403, 403, Redirect("home"), method="POST"),
        "autocomplete": admin_only(
            query={"app_label": "claims", "model_name": "claim", "field_name": "claimant", "term": "a"}
        ),
        # A user has no public page: the admin says so rather than guessing one.
        "view_on_site": admin_only(
            404,
            kwargs=lambda: {
                "content_type_id": ContentType.objects.get_for_model(User).pk,
                "object_id": UserFactory().pk,
            },
        ),
    }
    if view in site_pages:
        return site_pages[view]
    model_urls = _admin_model_urls()
    if view not in model_urls:
        raise LookupError(f"No rule for {name}: add one to admin_expectation() in tests/access_matrix.py")
    model, action = model_urls[view]
    if action == "changelist":
        return admin_only()
    if action == "add":
        return admin_only(403 if model in NOT_ADDABLE_IN_ADMIN else 200)
    if action == "delete":
        return admin_only(403 if model in NOT_DELETABLE_IN_ADMIN else 200, kwargs=_object_kwargs(model))
    if action == "simple_history":
        return admin_only(kwargs=_version_args(model))
    if action == "password_change":  # nobody's password is set in the admin: each person sets their own
        return admin_only(403, kwargs=lambda: {"id": str(_sample(model).pk)})
    return admin_only(kwargs=_object_kwargs(model))  # change, history


def expectation(name: str) -> Expect:
    """The expected answers for the URL `name`; LookupError when nobody wrote them down."""
    if name.startswith("admin:"):
        return admin_expectation(name)
    try:
        return MATRIX[name]
    except KeyError:
        raise LookupError(
            f"The URL {name!r} is not in the access matrix: add it to MATRIX in tests/access_matrix.py, "
            "saying what each role gets."
        ) from None
