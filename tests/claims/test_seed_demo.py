"""`manage.py seed_demo`: the demo users and the seed article, modelled faithfully and loaded once,
with one claim's sample verdict waiting for review and the other's published, all through the workflow."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims import permissions, workflow
from claims.demo import CLAIM_A, CLAIM_B, DENIAL_QUOTE, DemoLoader
from claims.models import (
    Actor,
    Claim,
    ClaimLink,
    ClaimSource,
    Evidence,
    Intervention,
    Notification,
    Outreach,
    Repeat,
    Source,
    Statement,
    Topic,
    User,
    Verdict,
    WorkflowEvent,
)
from claims.permissions import ADMINS, FACT_CHECKERS, REVIEWERS, Action
from claims.publishing import record as schema

pytestmark = pytest.mark.django_db

MODELS = (
    User, Source, Actor, Topic, Claim, ClaimSource, Statement, Evidence, ClaimLink, Outreach, Verdict,
    WorkflowEvent, Notification, Repeat, Intervention,
)  # fmt: skip


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    seed()


def counts():
    counted = {model.__name__: getattr(model, "all_objects", model.objects).count() for model in MODELS}
    counted.update(
        {f"{model.__name__} history": model.history.count() for model in MODELS if hasattr(model, "history")}
    )
    return counted


def test_demo_users_have_their_roles(seeded):
    groups = {user.username: set(user.groups.values_list("name", flat=True)) for user in User.objects.all()}
    assert groups == {"factchecker": {FACT_CHECKERS}, "reviewer": {REVIEWERS}, "admin": {ADMINS}}
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert User.objects.get(username="factchecker").check_password("demo-password")


def test_article_is_a_source_without_url_or_date(seeded):
    source = Source.objects.get(publisher="Mehr News Agency")
    assert source.url == ""
    assert source.date is None
    assert source.date_precision == "unknown"
    assert source.date_note == "Not stated in the article"
    assert source.licence == "CC BY 4.0"
    assert "Creative Commons Attribution 4.0" in source.attribution
    assert source.language == "en"
    assert source.text.startswith("TEHRAN- Iran's Foreign Minister Hossein Amir Abdollahian")
    assert source.created_by.username == "factchecker"


def test_claim_a_statements(seeded):
    claim = Claim.objects.get(slug=CLAIM_A.slug)
    assert claim.is_sample
    assert claim.claimant.name == "Western governments"
    assert claim.first_appearance is None
    assert claim.assignee.username == "factchecker"
    assert {topic.slug for topic in claim.topics.all()} == {"russia-ukraine-war", "iran"}
    cited = claim.claim_sources.get()
    assert cited.source.publisher == "Mehr News Agency"
    assert cited.role == ClaimSource.Role.APPEARANCE

    by_actor = {(s.actor.name, s.stance): s for s in claim.statements.select_related("actor", "source")}
    assert all(s.source == cited.source for s in by_actor.values())

    sullivan = by_actor["Jake Sullivan", Statement.Stance.ASSERTS]
    assert sullivan.second_hand
    assert sullivan.date is None and sullivan.date_precision == "unknown"
    assert sullivan.date_note == "July, year not stated"
    assert "up to several hundred drones, including weapons-capable UAVs on an expedited timeline" in sullivan.quote

    denial = by_actor["Hossein Amir Abdollahian", Statement.Stance.DENIES]
    assert denial.quote.startswith("We have not sold and will not sell any weapons and drones")
    assert not denial.second_hand and not denial.translated
    assert denial.date_note == "A Monday; date not stated"
    nuance = by_actor["Hossein Amir Abdollahian", Statement.Stance.CLARIFIES]
    assert "but not during the Ukraine conflict" in nuance.quote

    spokesperson = by_actor["Nasser Kanaani", Statement.Stance.DENIES]
    assert spokesperson.second_hand
    assert "dismissed fabricated charges" in spokesperson.quote

    president = by_actor["Ebrahim Raisi", Statement.Stance.CONTEXT]
    assert president.quote == "The Islamic Republic of Iran would utilize all of efforts to terminate the war"
    assert president.date_note == "A Thursday; date not stated"
    assert len(by_actor) == 5

    evidence = claim.evidence.get()
    assert evidence.stance == Evidence.Stance.CONTEXT
    assert evidence.internal_note.startswith("Demo data:")
    assert evidence.added_by.username == "factchecker"


def test_claim_b_is_a_counter_claim_to_a(seeded):
    claim_a, claim_b = Claim.objects.get(slug=CLAIM_A.slug), Claim.objects.get(slug=CLAIM_B.slug)
    assert claim_b.is_sample and claim_b.assignee is None
    assert claim_b.evidence.get().internal_note.startswith("Demo data:")
    assert claim_b.claimant.name == "Hossein Amir Abdollahian"
    link = ClaimLink.objects.get()
    assert (link.from_claim, link.to_claim, link.kind) == (claim_b, claim_a, ClaimLink.Kind.COUNTER_CLAIM)
    statement = claim_b.statements.get()
    assert statement.stance == Statement.Stance.ASSERTS
    assert statement.quote.startswith("We have not sold and will not sell")


def assert_sample_outreach(claim, expected: int):
    outreach = list(claim.outreach.select_related("added_by"))
    assert len(outreach) == expected
    for item in outreach:
        # The article shows no contact: each entry says it is a sample, and nobody is given words.
        assert item.request.startswith("Sample, for the demo only; no request was actually sent.")
        assert item.method == Outreach.Method.EMAIL
        assert item.contacted and item.contacted_on == datetime.date(2024, 1, 8)
        assert item.response == "" and item.responded_on is None
        assert item.added_by.username == "factchecker"
    return outreach


def assert_sample_verdict(verdict):
    assert verdict.kind == Verdict.Kind.FIRST
    assert verdict.author.username == "factchecker"
    assert (verdict.rating.scale.slug, verdict.rating.label) == ("default", "Unproven")
    assert verdict.headline.startswith("Sample: ")
    # Markdown, as a fact-checker types it: paragraphs separated by blank lines.
    assert verdict.explanation.startswith("Sample verdict for the demo, written from the Mehr News Agency article")
    assert "alone.\n\nThe article" in verdict.explanation and "<p>" not in verdict.explanation
    assert verdict.submitted_at is not None
    assert workflow.verdict_contributor_ids(verdict) == {verdict.author_id}


def test_claim_a_waits_for_the_reviewer(seeded):
    claim = Claim.objects.get(slug=CLAIM_A.slug)
    assert claim.state == Claim.State.IN_REVIEW
    assert (claim.assignee.username, claim.reviewer.username) == ("factchecker", "reviewer")
    whom = {item.contacted for item in assert_sample_outreach(claim, 2)}
    assert whom == {"U.S. National Security Council, press office", "Ministry of Foreign Affairs of Iran, press office"}

    verdict = claim.verdicts.get()
    assert verdict.state == Verdict.State.IN_REVIEW
    assert_sample_verdict(verdict)
    assert verdict.reviewer is None and verdict.published_at is None and verdict.published_record is None
    assert "article provides no evidence for either side" in verdict.explanation
    events = [(e.action, e.to_state, e.by.username) for e in claim.events.order_by("pk")]
    assert events == [
        ("start_research", "researching", "factchecker"),
        ("draft", "draft", "factchecker"),
        ("submit", "in_review", "factchecker"),
    ]
    # The demo reviewer may act on it at once; its author may not.
    reviewer, author = User.objects.get(username="reviewer"), User.objects.get(username="factchecker")
    assert permissions.may(reviewer, Action.PUBLISH_VERDICT, verdict)
    assert permissions.may(reviewer, Action.REQUEST_CHANGES, verdict)
    assert not permissions.may(author, Action.PUBLISH_VERDICT, verdict)
    assert Notification.objects.filter(to="reviewer@example.invalid", subject__contains=claim.text[:40]).exists()


def test_claim_b_is_published_by_the_reviewer(seeded):
    claim = Claim.objects.get(slug=CLAIM_B.slug)
    assert claim.state == Claim.State.PUBLISHED
    assert claim.reviewer.username == "reviewer"
    assert_sample_outreach(claim, 1)

    verdict = claim.verdicts.get()
    assert verdict.state == Verdict.State.PUBLISHED
    assert_sample_verdict(verdict)
    assert verdict.reviewer.username == "reviewer" and verdict.published_at is not None
    events = [(e.action, e.to_state, e.by.username) for e in claim.events.order_by("pk")]
    assert events[-2:] == [("submit", "in_review", "factchecker"), ("publish", "published", "reviewer")]


def test_claim_b_published_record_is_public_only(seeded):
    record = Claim.objects.get(slug=CLAIM_B.slug).verdicts.get().published_record
    assert record["claim"]["text"] == CLAIM_B.text and record["claim"]["is_sample"]
    assert record["verdict"]["rating"]["label"] == "Unproven"
    assert record["verdict"]["reviewer"]["username"] == "reviewer"
    assert record["verdict"]["author"]["username"] == "factchecker"
    assert record["verdict"]["headline"].startswith("Sample: ")
    assert [item["contacted"] for item in record["outreach"]] == ["Ministry of Foreign Affairs of Iran, press office"]
    assert record["outreach"][0]["request"].startswith("Sample, for the demo only")
    assert [item["summary"] for item in record["evidence"]] == [
        Claim.objects.get(slug=CLAIM_B.slug).evidence.get().summary
    ]
    as_text = json.dumps(record, ensure_ascii=False)
    assert "internal_note" not in as_text
    for note in Evidence.all_objects.values_list("internal_note", flat=True):
        assert note and note not in as_text


def test_the_demo_feed_article_is_on_record_as_an_approved_repeat_of_claim_b(seeded, settings):
    repeat = Repeat.objects.select_related("claim", "source", "actor", "recorded_by", "approved_by").get()
    assert repeat.claim.slug == CLAIM_B.slug
    assert repeat.source.url == f"{settings.SITE_URL}/static/demo-feed/article-1.html"
    assert repeat.source.origin == Source.Origin.FEED and repeat.source.fetch_status == "done"
    assert DENIAL_QUOTE in repeat.source.text  # as the demo feed's import would extract it
    assert (repeat.actor.name, repeat.sentence, repeat.state) == ("Hossein Amir Abdollahian", DENIAL_QUOTE, "approved")
    assert (repeat.recorded_by.username, repeat.approved_by.username) == ("factchecker", "reviewer")
    (intervention,) = repeat.interventions.all()
    assert intervention.state == "approved" and intervention.request.startswith("Sample, for the demo only")
    record = schema.read_record(repeat.claim.verdicts.get().published_record)
    assert record.claim.is_sample  # its page is labelled as sample data
    (shown,) = record.repeats
    assert (shown.id, shown.sentence, shown.url) == (repeat.pk, DENIAL_QUOTE, repeat.source.url)
    assert [i.id for i in shown.interventions] == [intervention.pk]


def test_everything_is_on_record(seeded):
    for model in (Source, Actor, ClaimSource, Statement, Evidence, ClaimLink, Outreach):
        users = set(model.history.values_list("history_user__username", flat=True))
        assert users == {"factchecker"}, model.__name__
    # The reviewer's only writes: publishing claim B, and approving its sample repeat as an addendum.
    by_reviewer = Claim.history.filter(history_user__username="reviewer")
    assert set(by_reviewer.values_list("history_change_reason", flat=True)) == {"Published"}
    for model in (Claim, Verdict):
        assert set(model.history.values_list("history_user__username", flat=True)) == {"factchecker", "reviewer"}
    reasons = list(
        Verdict.history.filter(claim__slug=CLAIM_B.slug)
        .order_by("history_id")
        .values_list("history_change_reason", "history_user__username")
    )
    repeat, intervention = Repeat.objects.get(), Intervention.objects.get()
    assert reasons == [
        ("Drafted", "factchecker"),
        ("Edited", "factchecker"),
        ("Submitted for review", "factchecker"),
        ("Published", "reviewer"),
        (f"Addendum: repeat #{repeat.pk} approved", "reviewer"),
        (f"Addendum: intervention #{intervention.pk} approved", "reviewer"),
    ]
    for model in (Repeat, Intervention):
        history = model.history.order_by("history_id").values_list("history_change_reason", "history_user__username")
        assert list(history) == [("Recorded", "factchecker"), ("Approved", "reviewer")], model.__name__
    assert Statement.history.count() == Statement.objects.count() == 6


def test_running_twice_creates_nothing_twice(seeded):
    before = counts()
    output = seed()
    assert counts() == before
    assert "Created" not in output
    assert f"Kept claim {CLAIM_A.slug}" in output
    assert f"Kept the workflow of claim {CLAIM_A.slug} (in review, 1 verdict(s))" in output
    assert f"Kept the workflow of claim {CLAIM_B.slug} (published, 1 verdict(s))" in output
    assert f"Kept the sample repeat of claim {CLAIM_B.slug}" in output


def test_claims_loaded_before_the_workflow_get_it_unless_moved_on(settings, monkeypatch):
    """A demo loaded by an earlier version has no verdicts: a new run adds them, leaving alone a dismissed claim."""
    settings.DEBUG = True
    with monkeypatch.context() as patched:
        patched.setattr(DemoLoader, "workflow", lambda self, demo, claim: None)
        seed()
    assert not Verdict.objects.exists() and not Outreach.objects.exists()
    reviewer = User.objects.get(username="reviewer")
    workflow.claim_dismiss(claim=Claim.objects.get(slug=CLAIM_A.slug), by=reviewer, reason="Testing the demo")

    output = seed()
    assert f"Skipped the workflow of claim {CLAIM_A.slug}: it is dismissed" in output
    claim_a, claim_b = Claim.objects.get(slug=CLAIM_A.slug), Claim.objects.get(slug=CLAIM_B.slug)
    assert claim_a.state == "dismissed" and not claim_a.verdicts.exists() and not claim_a.outreach.exists()
    assert claim_b.state == Claim.State.PUBLISHED and claim_b.verdicts.get().state == Verdict.State.PUBLISHED


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        seed()
    assert not User.objects.filter(username="factchecker").exists() and not Claim.objects.exists()
    seed(force=True)
    assert Claim.objects.filter(is_sample=True).count() == 2
