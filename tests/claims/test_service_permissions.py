"""Every service that writes checks who is asking, so the admin, commands and a future API are as safe as the screens.

Each writing service is called as roles that may not use it: it raises PermissionDenied and writes nothing.
A public function added to a service module without a row here fails `test_every_service_is_listed`.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone

from claims import accounts, claimreviews, exports, inbox, merging, people, repeats, services, webhooks, workflow
from claims.dates import DatePrecision
from claims.models import ClaimReviewSource, FetchStatus, Outreach, SiteSettings, WebhookSubscription
from claims.permissions import FACT_CHECKERS, REVIEWERS
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ArticleMatchFactory,
    ClaimFactory,
    ClaimSourceFactory,
    ErrorReportFactory,
    EvidenceFactory,
    FeedFactory,
    OutreachFactory,
    SourceFactory,
    TipFactory,
    UserFactory,
)
from tests.publishing import approved_repeat, publish, recorded_intervention, recorded_repeat, submitted

SERVICE_MODULES = (services, workflow, merging, people, accounts, inbox, repeats, webhooks, exports)
SERVICE_MODULES = (services, workflow, merging, people, accounts, inbox, repeats, claimreviews)

NOBODY = ("anonymous", "no role")  # refused everything that writes
NOT_FACT_CHECKERS = (*NOBODY, "inactive fact-checker")
NOT_REVIEWERS = (*NOT_FACT_CHECKERS, "fact-checker")
NOT_ADMINS = (*NOT_REVIEWERS, "reviewer")


def _user(role: str):
    match role:
        case "anonymous":
            return None
        case "no role":
            return UserFactory(username="norole")
        case "inactive fact-checker":
            return UserFactory(username="gone", groups=[FACT_CHECKERS], is_active=False)
        case "fact-checker":
            return UserFactory(username="checker2", groups=[FACT_CHECKERS])
        case "reviewer":
            return UserFactory(username="reviewer2", groups=[REVIEWERS])
    raise ValueError(role)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    return request


def _removed_claim():
    claim = ClaimFactory()
    claim.removed_at = timezone.now()
    claim.save()
    return claim


@dataclass(frozen=True)
class Case:
    module: ModuleType
    refused: tuple[str, ...]
    arguments: Callable[[], dict] = dict  # makes what the service is given, all but `by`
    function: str = ""  # when the row's name is not the function's (a second row for one service)


def _fact_checker():
    return UserFactory(groups=[FACT_CHECKERS])


def _grouped_tip():
    return TipFactory(group=TipFactory().group)


def _subscription():
    return WebhookSubscription.objects.create(
        name="Partner", url="https://partner.invalid/hook", events=["claim.published"], secret="whsec_c2VjcmV0"
    )


def _claimreview_source():
    return ClaimReviewSource.objects.create(name="Check Desk", url="https://checkdesk.invalid/feed.json")


def _draft():
    return workflow.verdict_draft(claim=ClaimFactory(), by=_fact_checker())


# Every writing service (by its name in its module), the roles it refuses, and what it is given.
WRITES: dict[str, Case] = {
    # claims.services
    "record_remove": Case(services, NOT_FACT_CHECKERS, lambda: {"record": ClaimFactory()}),
    "record_restore": Case(services, NOT_FACT_CHECKERS, lambda: {"record": _removed_claim()}),
    "source_create": Case(services, NOT_FACT_CHECKERS, lambda: {"title": "A report"}),
    "source_update": Case(services, NOT_FACT_CHECKERS, lambda: {"source": SourceFactory(), "title": "Renamed"}),
    "source_fetch_retry": Case(
        services, NOT_FACT_CHECKERS, lambda: {"source": SourceFactory(fetch_status=FetchStatus.FAILED)}
    ),
    "actor_create": Case(services, NOT_FACT_CHECKERS, lambda: {"name": "A minister"}),
    "actor_update": Case(services, NOT_FACT_CHECKERS, lambda: {"actor": ActorFactory(), "name": "Renamed"}),
    "site_settings_update": Case(services, NOT_ADMINS, lambda: {"site_settings": SiteSettings.load()}),
    "claim_create": Case(services, NOT_FACT_CHECKERS, lambda: {"text": "The sea is dry."}),
    "claim_update": Case(services, NOT_FACT_CHECKERS, lambda: {"claim": ClaimFactory(), "text": "Reworded."}),
    "claim_assign": Case(services, NOT_FACT_CHECKERS, lambda: {"claim": ClaimFactory(), "assignee": _fact_checker()}),
    "claim_assign_reviewer": Case(
        services, NOT_FACT_CHECKERS, lambda: {"claim": ClaimFactory(), "reviewer": UserFactory(groups=[REVIEWERS])}
    ),
    "claim_source_add": Case(services, NOT_FACT_CHECKERS, lambda: {"claim": ClaimFactory(), "source": SourceFactory()}),
    "claim_source_move": Case(
        services, NOT_FACT_CHECKERS, lambda: {"claim_source": ClaimSourceFactory(), "direction": -1}
    ),
    "claim_source_add_by_url": Case(
        services, NOT_FACT_CHECKERS, lambda: {"claim": ClaimFactory(), "url": "https://news.example/a"}
    ),
    "claim_item_create": Case(
        services,
        NOT_FACT_CHECKERS,
        lambda: {"item": Outreach(claim=ClaimFactory(), method="not_possible", not_possible_reason="No contact.")},
    ),
    "claim_item_update": Case(services, NOT_FACT_CHECKERS, lambda: {"item": OutreachFactory()}),
    "claim_item_remove": Case(services, NOT_FACT_CHECKERS, lambda: {"item": EvidenceFactory()}),
    "claim_item_restore": Case(
        services, NOT_FACT_CHECKERS, lambda: {"item": EvidenceFactory(removed_at=timezone.now())}
    ),
    # claims.claimreviews: reviewers and admins manage other organisations' ClaimReview sources
    "claimreview_source_add": Case(claimreviews, NOT_REVIEWERS, lambda: {"url": "https://checkdesk.invalid/feed.json"}),
    "claimreview_file_import": Case(claimreviews, NOT_REVIEWERS, lambda: {"content": b'{"@type": "ClaimReview"}'}),
    "claimreview_source_read_now": Case(claimreviews, NOT_REVIEWERS, lambda: {"source": _claimreview_source()}),
    "claimreview_source_set_active": Case(
        claimreviews, NOT_REVIEWERS, lambda: {"source": _claimreview_source(), "active": False}
    ),
    "feed_create": Case(services, NOT_ADMINS, lambda: {"url": "https://wire.example/new.xml", "name": "Wire"}),
    "feed_set_active": Case(services, NOT_ADMINS, lambda: {"feed": FeedFactory(active=True), "active": False}),
    "feed_update": Case(services, NOT_ADMINS, lambda: {"feed": FeedFactory()}),
    "feed_poll_now": Case(services, NOT_ADMINS, lambda: {"feed": FeedFactory()}),
    "tip_group_accept": Case(services, NOT_FACT_CHECKERS, lambda: {"group": TipFactory().group}),
    "tip_group_dismiss": Case(services, NOT_FACT_CHECKERS, lambda: {"group": TipFactory().group}),
    "tip_ungroup": Case(services, NOT_FACT_CHECKERS, lambda: {"tip": _grouped_tip()}),
    "tip_move": Case(services, NOT_FACT_CHECKERS, lambda: {"tip": TipFactory(), "into": TipFactory().group}),
    "error_report_answer": Case(
        services, NOT_FACT_CHECKERS, lambda: {"report": ErrorReportFactory(), "answer": "Fixed, thank you."}
    ),
    "error_report_mark_corrected": Case(services, NOT_FACT_CHECKERS, lambda: {"report": ErrorReportFactory()}),
    "error_report_dismiss": Case(services, NOT_FACT_CHECKERS, lambda: {"report": ErrorReportFactory()}),
    # The workflow's transitions
    "claim_start_research": Case(workflow, NOT_FACT_CHECKERS, lambda: {"claim": ClaimFactory()}),
    "verdict_draft": Case(workflow, NOT_FACT_CHECKERS, lambda: {"claim": ClaimFactory()}),
    "verdict_edit": Case(
        workflow,
        NOT_FACT_CHECKERS,
        lambda: {"verdict": _draft(), "rating": None, "headline": "Not so", "explanation": "No."},
    ),
    "verdict_submit": Case(workflow, NOT_FACT_CHECKERS, lambda: {"verdict": _draft()}),
    "verdict_request_changes": Case(
        workflow, NOT_REVIEWERS, lambda: {"verdict": submitted(ClaimFactory()), "comment": "Source it."}
    ),
    "verdict_publish": Case(workflow, NOT_REVIEWERS, lambda: {"verdict": submitted(ClaimFactory())}),
    "claim_dismiss": Case(workflow, NOT_REVIEWERS, lambda: {"claim": ClaimFactory(), "reason": "Out of scope."}),
    # claims.repeats: anyone on staff records; a reviewer other than the recorder approves or withdraws
    "repeat_record": Case(
        repeats,
        NOT_FACT_CHECKERS,
        lambda: {
            "claim": publish().claim,
            "source": SourceFactory(),
            "actor": ActorFactory(),
            "sentence": "Said again.",
            "date": None,
            "date_precision": "unknown",
        },
    ),
    "intervention_record": Case(
        repeats,
        NOT_FACT_CHECKERS,
        lambda: {
            "repeat": recorded_repeat(),
            "asked": "publisher",
            "asked_on": timezone.localdate(),
            "method": "email",
        },
    ),
    "repeat_approve": Case(repeats, NOT_REVIEWERS, lambda: {"repeat": recorded_repeat()}),
    "repeat_withdraw": Case(repeats, NOT_REVIEWERS, lambda: {"repeat": recorded_repeat()}),
    "intervention_approve": Case(
        repeats, NOT_REVIEWERS, lambda: {"intervention": recorded_intervention(approved_repeat())}
    ),
    "intervention_withdraw": Case(
        repeats, NOT_REVIEWERS, lambda: {"intervention": recorded_intervention(approved_repeat())}
    ),
    # claims.merging: a fact-checker merges claims in the works, a reviewer published ones
    "claim_merge": Case(merging, NOT_FACT_CHECKERS, lambda: {"claim": ClaimFactory(), "into": ClaimFactory()}),
    "claim_merge (published)": Case(
        merging,
        NOT_REVIEWERS,
        lambda: {"claim": publish().claim, "into": publish().claim},
        function="claim_merge",
    ),
    # claims.people
    "person_invite": Case(people, NOT_ADMINS, lambda: {"email": "new@example.invalid", "role": FACT_CHECKERS}),
    "invitation_resend": Case(people, NOT_ADMINS, lambda: {"user": UserFactory()}),
    "invitation_revoke": Case(people, NOT_ADMINS, lambda: {"user": UserFactory()}),
    "person_change_role": Case(people, NOT_ADMINS, lambda: {"user": UserFactory(), "role": REVIEWERS}),
    "person_deactivate": Case(people, NOT_ADMINS, lambda: {"user": UserFactory()}),
    "person_reactivate": Case(people, NOT_ADMINS, lambda: {"user": UserFactory(is_active=False)}),
    # claims.inbox: deciding on an imported article's matches
    "match_dismiss": Case(inbox, NOT_FACT_CHECKERS, lambda: {"match": ArticleMatchFactory()}),
    "matches_dismiss": Case(inbox, NOT_FACT_CHECKERS, lambda: {"match_ids": [ArticleMatchFactory().pk]}),
    "match_cite": Case(inbox, NOT_FACT_CHECKERS, lambda: {"match": ArticleMatchFactory()}),
    "match_add_evidence": Case(
        inbox, NOT_FACT_CHECKERS, lambda: {"match": ArticleMatchFactory(), "summary": "Denied.", "stance": "refutes"}
    ),
    "match_add_statement": Case(
        inbox,
        NOT_FACT_CHECKERS,
        lambda: {
            "match": ArticleMatchFactory(),
            "actor": ActorFactory(),
            "stance": "denies",
            "quote": "We never did.",
            "date": None,
            "date_precision": DatePrecision.UNKNOWN,
        },
    ),
    "match_record_repeat": Case(
        inbox,
        NOT_FACT_CHECKERS,
        lambda: {
            "match": ArticleMatchFactory(claim=publish().claim),
            "actor": ActorFactory(),
            "sentence": "Said again.",
            "date": None,
            "date_precision": DatePrecision.UNKNOWN,
        },
    ),
    "source_claim_create": Case(inbox, NOT_FACT_CHECKERS, lambda: {"source": ArticleFactory(), "start": 0, "end": 1}),
    # claims.accounts: everyone on staff manages their own account
    "totp_device_pending": Case(accounts, NOBODY),
    "totp_device_confirm": Case(
        accounts, NOBODY, lambda: {"request": _request(), "device": None, "code": "000000", "name": ""}
    ),
    "totp_device_remove": Case(accounts, NOBODY, lambda: {"request": _request(), "device_pk": 0}),
    "recovery_codes_regenerate": Case(accounts, NOBODY, lambda: {"request": _request()}),
    "sessions_end_others": Case(accounts, NOBODY, lambda: {"request": _request()}),
    "email_preferences_update": Case(accounts, NOBODY, lambda: {"outcomes": False}),
    "user_language_update": Case(accounts, NOBODY, lambda: {"language": "fa"}),
    "alerts_mark_read": Case(accounts, NOBODY),
    "api_token_create": Case(accounts, NOBODY, lambda: {"request": _request(), "name": "Bot"}),
    "api_token_revoke": Case(accounts, NOBODY, lambda: {"request": _request(), "token_pk": 0}),
    # claims.webhooks: admins manage the partners' subscriptions
    "webhook_subscription_create": Case(
        webhooks,
        NOT_ADMINS,
        lambda: {"name": "Partner", "url": "https://partner.invalid/hook", "events": ["claim.published"]},
    ),
    "webhook_subscription_set_active": Case(
        webhooks, NOT_ADMINS, lambda: {"subscription": _subscription(), "active": False}
    ),
    "webhook_subscription_delete": Case(webhooks, NOT_ADMINS, lambda: {"subscription": _subscription()}),
    "webhook_test_send": Case(webhooks, NOT_ADMINS, lambda: {"subscription": _subscription()}),
    # claims.exports: everyone on staff asks for exports (what is in them depends on the role)
    "export_request": Case(exports, NOT_FACT_CHECKERS, lambda: {"format": "csv", "filters": {}}),
}

# Open to anyone by design: what the public sends in, and accepting one's own invitation (its link is the key).
PUBLIC_WRITES = {"tip_create", "error_report_create", "invitation_accept"}

# Public functions of the service modules that write nothing, or only as part of a listed service.
NOT_SERVICES = {
    # claims.services
    "unique_claim_slug", "claim_ever_published",
    "submitted_once",  # guards a listed service's transaction; records the sender's own form token
    # claims.workflow: reading the workflow's state
    "group_names", "is_admin", "is_reviewer", "is_fact_checker", "is_staff_member", "verdict_contributor_ids",
    "content_version", "fact_checker_users", "reviewer_users", "admin_users", "may", "require", "open_verdict",
    "rating_is_locked", "scale_has_locked_ratings", "moved_on_message", "content_moved_message", "own_part",
    # claims.repeats: reads
    "claim_repeats", "repeat_for_card", "waiting_for_review", "published_verdict", "repeatable_claim_ids",
    # claims.merging: what a merge would do, for the confirmation page
    "merge_plan",
    # claims.people
    "role_of", "pending_invitation", "status_of", "invitation_links_shown", "invitation_path",
    "invitation_for_link",
    # claims.inbox: reading Incoming, and the background work that writes matches and forgets old text (no person)
    "sentence_spans", "locate_sentence", "strength_of", "undecided_count", "incoming_articles", "article_for_inbox",
    "match_for_decision", "passages", "article_sentences", "actors_named_in", "statement_initial",
    "match_source_by_id", "source_match", "delete_expired_article_text",
    # claims.accounts
    "two_factor_required", "authenticators", "has_authenticator", "two_factor_state", "recovery_codes_left",
    "totp_secret", "otpauth_url", "qr_code_data_uri",
    "remember_two_factor_state",  # the signed-in person's own session
    "verify_code",  # signing in: the person proves who they are
    "api_token_hash", "api_tokens", "api_token_needs_verified_session",
    "api_token_holder",  # an API request proving who it is (notes when the token was last used)
    # claims.webhooks: signing, and the background work that queues and sends deliveries (no person)
    "new_secret", "sign", "signed_headers", "verify", "body_of", "publication_payload", "retry_delays",
    "queue_publication_events",  # part of verdict_publish, in its transaction
    "deliver", "deliver_due",
    # claims.exports: what an export holds, and the worker's building and sweeping (no person)
    "neutralise", "claim_document", "csv_row", "documents", "build_export", "exports_sweep",
}  # fmt: skip


def _public_functions(module) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("_")
    }


def test_every_service_is_listed():
    """A new service function needs a row in WRITES (with the roles it refuses) or a reason to be left out."""
    listed = set(WRITES) | PUBLIC_WRITES | NOT_SERVICES
    unlisted = set().union(*map(_public_functions, SERVICE_MODULES)) - listed
    assert not unlisted, f"Add these to WRITES (or NOT_SERVICES if they write nothing): {sorted(unlisted)}"


def _everything_on_file() -> dict:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in ("claims", "auth", "otp_totp", "otp_static")
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "role"), [(service, role) for service, case in WRITES.items() for role in case.refused]
)
def test_a_service_refuses_a_role_that_may_not_and_writes_nothing(service, role, django_capture_on_commit_callbacks):
    case = WRITES[service]
    by, arguments = _user(role), case.arguments()
    before = _everything_on_file()
    with django_capture_on_commit_callbacks() as after_commit, pytest.raises(PermissionDenied):
        getattr(case.module, case.function or service)(**arguments, by=by)
    assert _everything_on_file() == before
    assert after_commit == []  # nothing enqueued, no cache bumped
