"""The review workflow: every state, action and role; the two-person rule, corrections, locked ratings."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import alerts, permissions, services, workflow
from claims.models import Claim, Notification, Outreach, Rating, Verdict, WorkflowEvent
from claims.permissions import Action
from claims.selectors import my_work
from tests.factories import ClaimFactory, EvidenceFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def unproven():
    return Rating.objects.get(scale__slug="default", label="Unproven")


def add_outreach(claim, by):
    return services.claim_item_create(
        item=Outreach(
            claim=claim, method="email", contacted="Ministry press office", contacted_on=datetime.date(2022, 10, 20)
        ),
        by=by,
    )


def drafted(claim, author, *, headline="No evidence either way"):
    verdict = workflow.verdict_draft(claim=claim, by=author)
    return workflow.verdict_edit(
        verdict=verdict, by=author, rating=unproven(), headline=headline, explanation="Because."
    )


def in_review(claim, author):
    add_outreach(claim, author)
    return workflow.verdict_submit(verdict=drafted(claim, author), by=author)


def published(claim, author, publisher):
    return workflow.verdict_publish(verdict=in_review(claim, author), by=publisher)


@pytest.fixture
def other_reviewer(db):
    return UserFactory(username="reviewer2", groups=["reviewers"])


@pytest.fixture
def claim_in(factchecker, other_reviewer):
    """A claim in one of the workflow's situations; verdicts are written by `factchecker`."""

    def make(situation: str) -> Claim:
        claim = ClaimFactory()
        if situation == "new":
            return claim
        if situation == "researching":
            workflow.claim_start_research(claim=claim, by=factchecker)
        elif situation == "draft":
            add_outreach(claim, factchecker)
            drafted(claim, factchecker)
        elif situation == "in_review":
            in_review(claim, factchecker)
        elif situation == "published":
            published(claim, factchecker, other_reviewer)
        elif situation == "dismissed":
            workflow.claim_dismiss(claim=claim, by=other_reviewer, reason="Out of scope")
        claim.refresh_from_db()
        return claim

    return make


SITUATIONS = ("new", "researching", "draft", "in_review", "published", "dismissed")
ROLES = ("factchecker", "reviewer", "admin")
# Who may do what, in which situation. Anything not listed is refused with 403.
ALLOWED = {
    "start-research": {"new": ROLES},
    "draft": {"new": ROLES, "researching": ROLES, "published": ROLES},
    "submit": {"draft": ROLES},
    "request-changes": {"in_review": ("reviewer", "admin")},
    "publish": {"in_review": ("reviewer", "admin")},
    "dismiss": {s: ("reviewer", "admin") for s in ("new", "researching", "draft", "in_review")},
}
FORM_DATA = {"request-changes": {"comment": "Cite the primary source."}, "dismiss": {"reason": "Out of scope."}}
VERDICT_ACTIONS = {"submit", "request-changes", "publish"}


def post_transition(client, claim, name):
    open_verdict = claim.verdicts.filter(state__in=("draft", "in_review")).first()
    seen = open_verdict if name in VERDICT_ACTIONS and open_verdict else claim
    data = {"seen_state": seen.state, **FORM_DATA.get(name, {})}
    if open_verdict:
        data["verdict"] = open_verdict.pk
    if name == "draft" and claim.state == "published":
        data["kind"] = "correction"
    if name == "publish" and open_verdict:
        data["seen_version"] = workflow.content_version(open_verdict)
    return client.post(reverse("staff:transition", args=[claim.pk, name]), data, **HTMX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_every_state_action_and_role(client_for, claim_in, name, situation, role):
    claim = claim_in(situation)
    before = WorkflowEvent.objects.filter(claim=claim).count()
    response = post_transition(client_for(role), claim, name)
    if role in ALLOWED[name].get(situation, ()):
        assert response.status_code == 200, response.content.decode()[:500]
        assert WorkflowEvent.objects.filter(claim=claim).count() == before + 1
    else:
        assert response.status_code == 403
        assert WorkflowEvent.objects.filter(claim=claim).count() == before


def test_anonymous_transitions_go_to_login(client, claim_in):
    claim = claim_in("in_review")
    response = post_transition(client, claim, "publish")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_transition_buttons_shown_are_the_allowed_ones(client_for, claim_in):
    claim = claim_in("in_review")
    author_page = client_for("factchecker").get(reverse("staff:claim", args=[claim.pk])).content.decode()
    reviewer_page = client_for("reviewer").get(reverse("staff:claim", args=[claim.pk])).content.decode()
    publish_url = reverse("staff:transition", args=[claim.pk, "publish"])
    assert publish_url not in author_page
    assert publish_url in reviewer_page


# --- The two-person rule -------------------------------------------------------------------


def test_reviewer_cannot_publish_a_verdict_they_wrote(reviewer, other_reviewer):
    claim = ClaimFactory()
    verdict = in_review(claim, reviewer)
    assert not permissions.may(reviewer, Action.PUBLISH_VERDICT, verdict)
    with pytest.raises(PermissionDenied):
        workflow.verdict_publish(verdict=verdict, by=reviewer)
    assert workflow.verdict_publish(verdict=verdict, by=other_reviewer).state == "published"


def test_reviewer_who_edited_the_draft_cannot_publish_it(factchecker, reviewer, other_reviewer):
    claim = ClaimFactory()
    add_outreach(claim, factchecker)
    verdict = drafted(claim, factchecker)
    workflow.verdict_edit(verdict=verdict, by=reviewer, rating=unproven(), headline="Tweaked", explanation="x")
    verdict = workflow.verdict_submit(verdict=Verdict.objects.get(pk=verdict.pk), by=factchecker)
    assert not permissions.may(reviewer, Action.PUBLISH_VERDICT, verdict)
    assert permissions.may(other_reviewer, Action.PUBLISH_VERDICT, verdict)


def test_admin_cannot_publish_own_verdict(admin_user, reviewer):
    claim = ClaimFactory()
    verdict = in_review(claim, admin_user)
    assert not permissions.may(admin_user, Action.PUBLISH_VERDICT, verdict)
    assert permissions.may(reviewer, Action.PUBLISH_VERDICT, verdict)


def test_forged_publish_by_the_author_is_refused(client_for, claim_in):
    claim = claim_in("in_review")
    response = post_transition(client_for("factchecker"), claim, "publish")
    assert response.status_code == 403
    assert claim.verdicts.get().state == "in_review"


# --- Right of reply, request changes, reassignment -----------------------------------------------


def test_a_verdict_cannot_be_submitted_before_outreach_is_recorded(client_for, factchecker):
    claim = ClaimFactory()
    drafted(claim, factchecker)
    response = post_transition(client_for("factchecker"), claim, "submit")
    assert response.status_code == 422
    assert "Record the right of reply first" in response.content.decode()
    assert claim.verdicts.get().state == "draft"


def test_outreach_says_whom_and_when_or_why_not(factchecker):
    claim = ClaimFactory()
    with pytest.raises(ValidationError):
        services.claim_item_create(item=Outreach(claim=claim, method="email"), by=factchecker)
    with pytest.raises(ValidationError):
        services.claim_item_create(item=Outreach(claim=claim, method="not_possible"), by=factchecker)
    services.claim_item_create(
        item=Outreach(claim=claim, method="not_possible", not_possible_reason="No public contact exists."),
        by=factchecker,
    )


def test_request_changes_needs_a_comment_and_goes_back_to_the_author(client_for, claim_in, factchecker):
    claim = claim_in("in_review")
    claim.assignee = factchecker
    claim.save()
    reviewer_client = client_for("reviewer")
    refused = reviewer_client.post(
        reverse("staff:transition", args=[claim.pk, "request-changes"]),
        {"seen_state": "in_review", "verdict": claim.verdicts.get().pk, "comment": ""},
        **HTMX,
    )
    assert refused.status_code == 422
    assert post_transition(reviewer_client, claim, "request-changes").status_code == 200
    claim.refresh_from_db()
    verdict = claim.verdicts.get()
    assert (claim.state, verdict.state) == ("researching", "draft")
    alerts.alerts_catch_up()  # the worker's job, enqueued when the transition committed
    assert Notification.objects.filter(to=factchecker.email, subject__startswith="Changes requested").exists()
    page = client_for("factchecker").get(reverse("staff:claim", args=[claim.pk])).content.decode()
    assert "Cite the primary source." in page
    # The author revises and resubmits; the reviewer can still publish.
    workflow.verdict_edit(verdict=verdict, by=factchecker, rating=unproven(), headline="Revised", explanation="y")
    verdict = workflow.verdict_submit(verdict=Verdict.objects.get(pk=verdict.pk), by=factchecker)
    assert post_transition(reviewer_client, claim, "publish").status_code == 200
    assert Verdict.objects.get(pk=verdict.pk).headline == "Revised"


def test_reassigning_claim_and_review_is_logged_and_notified(factchecker, reviewer, other_reviewer):
    claim = ClaimFactory()
    services.claim_assign(claim=claim, assignee=factchecker, by=reviewer)
    services.claim_assign_reviewer(claim=claim, reviewer=reviewer, by=factchecker)
    services.claim_assign_reviewer(claim=claim, reviewer=other_reviewer, by=factchecker)
    reasons = list(claim.history.values_list("history_change_reason", flat=True)[:3])
    assert reasons == ["Review assigned to reviewer2", "Review assigned to reviewer", "Assigned to factchecker"]
    assert Notification.objects.filter(to=other_reviewer.email).exists()
    with pytest.raises(ValidationError):
        services.claim_assign_reviewer(claim=claim, reviewer=factchecker, by=factchecker)


def test_notifications_are_sent_once_by_the_outbox(factchecker, reviewer, settings):
    from claims import notifications

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notification = notifications.notify(user=factchecker, subject="Hello", body="Body")
    assert notifications.send_notification_now(notification.pk)
    assert not notifications.send_notification_now(notification.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [factchecker.email]


# --- Published record, corrections ---------------------------------------------------------------


def test_publishing_freezes_the_public_record_without_internal_fields(factchecker, reviewer):
    claim = ClaimFactory(text="Iran has supplied drones.")
    EvidenceFactory(claim=claim, summary="Public summary", internal_note="SECRET NOTE")
    verdict = published(claim, factchecker, reviewer)
    record = verdict.published_record
    assert record["claim"]["text"] == "Iran has supplied drones."
    assert record["verdict"]["rating"]["label"] == "Unproven"
    assert record["evidence"][0]["summary"] == "Public summary"
    assert "SECRET NOTE" not in str(record)
    claim.text = "Edited after publication"
    claim.save()
    assert Verdict.objects.get(pk=verdict.pk).published_record["claim"]["text"] == "Iran has supplied drones."


def test_the_explanation_is_kept_as_typed_and_published_as_sanitised_html(factchecker, reviewer):
    claim = ClaimFactory()
    add_outreach(claim, factchecker)
    typed = (
        "First *paragraph*\nsame paragraph, next line.\n\n"
        '<p onclick="x()">Ok</p> [link](javascript:alert(1)) <script>alert(1)</script>\n\n- one\n- two'
    )
    verdict = workflow.verdict_draft(claim=claim, by=factchecker)
    verdict = workflow.verdict_edit(verdict=verdict, by=factchecker, rating=unproven(), headline="h", explanation=typed)
    assert verdict.explanation == typed  # the Markdown, for the next edit

    verdict = workflow.verdict_submit(verdict=verdict, by=factchecker)
    verdict = workflow.verdict_publish(verdict=verdict, by=reviewer)
    html = verdict.published_record["verdict"]["explanation"]
    assert html.startswith("<p>First <em>paragraph</em><br>\nsame paragraph, next line.</p>")
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    # HTML typed into Markdown is text, and a script address is no link.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;p onclick" in html
    assert "<script" not in html and "<p onclick" not in html and 'href="javascript:' not in html


def test_a_correction_is_a_new_verdict_that_leaves_the_published_one_alone_until_published(
    factchecker, reviewer, other_reviewer
):
    claim = ClaimFactory()
    first = published(claim, factchecker, reviewer)
    frozen = dict(first.published_record)
    correction = workflow.verdict_draft(claim=Claim.objects.get(pk=claim.pk), by=factchecker, kind="correction")
    correction = workflow.verdict_edit(
        verdict=correction, by=factchecker, rating=unproven(), headline="Corrected", explanation="z",
        public_note="We misnamed the ministry.",
    )  # fmt: skip
    correction = workflow.verdict_submit(verdict=correction, by=factchecker)
    first.refresh_from_db()
    claim.refresh_from_db()
    assert claim.state == "published"  # while its correction is under review
    assert first.state == "published"
    assert first.published_record == frozen
    workflow.verdict_publish(verdict=correction, by=other_reviewer)
    first.refresh_from_db()
    correction.refresh_from_db()
    assert first.state == "superseded"
    assert first.published_record == frozen
    assert correction.state == "published"
    assert correction.supersedes == first
    assert correction.published_record["verdict"]["public_note"] == "We misnamed the ministry."


def test_a_correction_needs_a_public_note(factchecker, reviewer):
    claim = ClaimFactory()
    published(claim, factchecker, reviewer)
    correction = workflow.verdict_draft(claim=Claim.objects.get(pk=claim.pk), by=factchecker, kind="update")
    with pytest.raises(ValidationError, match="what changed"):
        workflow.verdict_submit(verdict=correction, by=factchecker)


# --- Ratings ----------------------------------------------------------------------------------


def test_a_rating_used_by_a_published_verdict_is_locked(client_for, admin_user, factchecker, reviewer):
    rating = unproven()
    assert permissions.may(admin_user, Action.EDIT_RATING, rating)
    published(ClaimFactory(), factchecker, reviewer)
    assert not permissions.may(admin_user, Action.EDIT_RATING, rating)
    admin_client = client_for("admin")
    change_url = reverse("admin:claims_rating_change", args=[rating.pk])
    response = admin_client.post(change_url, {"label": "Renamed", "description": "x", "colour": "grey", "order": 1})
    assert response.status_code == 403
    assert Rating.objects.get(pk=rating.pk).label == "Unproven"
    assert (
        admin_client.post(reverse("admin:claims_rating_delete", args=[rating.pk]), {"post": "yes"}).status_code == 403
    )


def test_default_scales_ship_with_the_app():
    labels = list(Rating.objects.filter(scale__slug="default").values_list("label", flat=True))
    assert labels == ["True", "Mostly true", "Half true", "Mostly false", "False", "Misleading", "Unproven"]
    assert Rating.objects.get(scale__slug="default", label="Misleading").value is None
    from claims.models import RatingScale, SiteSettings

    assert RatingScale.objects.get(slug="conclusion-only").conclusion_only
    assert SiteSettings.load().active_rating_scale.slug == "default"


def test_a_stale_page_gets_a_clear_message_and_changes_nothing(client_for, claim_in):
    claim = claim_in("in_review")
    verdict = claim.verdicts.get()
    reviewer_client = client_for("reviewer")
    assert post_transition(reviewer_client, claim, "publish").status_code == 200
    stale = reviewer_client.post(
        reverse("staff:transition", args=[claim.pk, "request-changes"]),
        {"seen_state": "in_review", "verdict": verdict.pk, "comment": "Too late"},
        **HTMX,
    )
    assert stale.status_code == 409
    assert "Nothing was changed by your action" in stale.content.decode()
    assert Verdict.objects.get(pk=verdict.pk).state == "published"


# --- My work and the History tab -----------------------------------------------------------------


def test_my_work_lists_what_each_person_has_to_do(client_for, factchecker, reviewer, other_reviewer):
    assigned = ClaimFactory(text="Assigned and new", assignee=factchecker)
    awaiting = ClaimFactory(text="Awaiting review")
    in_review(awaiting, factchecker)
    sent_back = ClaimFactory(text="Sent back", assignee=factchecker)
    workflow.verdict_request_changes(verdict=in_review(sent_back, factchecker), by=other_reviewer, comment="More.")
    done = ClaimFactory(text="Done and published")
    published(done, factchecker, other_reviewer)

    work = my_work(factchecker)
    assert {c.text for c in work["assigned"]} == {"Sent back", assigned.text}
    assert work["awaiting_review"] == []  # a fact-checker reviews nothing
    assert [c.text for c in work["changes_requested"]] == ["Sent back"]
    assert [v.claim.text for v in work["recently_published"]] == ["Done and published"]

    reviewer_work = my_work(reviewer)
    assert [c.text for c in reviewer_work["awaiting_review"]] == ["Awaiting review"]
    page = client_for("reviewer").get(reverse("staff:home")).content.decode()
    assert "Awaiting my review" in page and "Awaiting review" in page


def test_history_tab_covers_verdicts_and_review_comments(client_for, factchecker, other_reviewer):
    claim = ClaimFactory()
    verdict = in_review(claim, factchecker)
    workflow.verdict_request_changes(verdict=verdict, by=other_reviewer, comment="Name the primary source.")
    page = client_for("factchecker").get(reverse("staff:claim-history", args=[claim.pk])).content.decode()
    assert "Changes requested" in page
    assert "Name the primary source." in page
    assert "No evidence either way" in page  # the verdict's headline, as drafted
    assert "Created verdict" in page
