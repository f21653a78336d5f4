"""The workspace page is kept while nothing on it changes, and rendered again as soon as anything does,
however the change was made (docs/architecture.md "The workspace's kept pages").

The changes below are made with QuerySet.update() and delete(): no service, no signal, no history row, as
the admin, a bulk update or a worker might make them.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import (
    Actor,
    Claim,
    ClaimSource,
    Evidence,
    Outreach,
    Rating,
    Source,
    Statement,
    Topic,
    User,
    Verdict,
    WorkflowEvent,
)
from claims.permissions import ADMINS, FACT_CHECKERS
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ClaimLinkFactory,
    ClaimSourceFactory,
    EvidenceFactory,
    OutreachFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
    UserFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db

ALREADY_SAVED = "This form was sent twice; it was saved once, and here it is."


@pytest.fixture
def staff(client_for):
    return client_for("factchecker")


@pytest.fixture
def claim(reviewer):
    """The worked example, with something in every region."""
    minister = ActorFactory(name="Hossein Amir Abdollahian", title="Foreign Minister of Iran")
    article = SourceFactory(title="Mehr News: Iran denies drone deliveries")
    claim = ClaimFactory(
        text="Iran has supplied drones to Russia for use in the war in Ukraine.",
        claimant=ActorFactory(name="Ukrainian officials"),
        first_appearance=SourceFactory(title="Kyiv briefing"),
    )
    claim.topics.add(TopicFactory(name="Ukraine war"))
    ClaimSourceFactory(claim=claim, source=article, note="The denial, in full.")
    StatementFactory(claim=claim, actor=minister, source=article, quote="Iran has not sent drones to Russia.")
    EvidenceFactory(claim=claim, summary="Wreckage shows Iranian parts.", added_by=UserFactory(username="analyst"))
    ClaimLinkFactory(from_claim=claim, to_claim=ClaimFactory(text="Drones hit Kyiv in October."))
    ClaimLinkFactory(from_claim=ClaimFactory(text="Russia bought drones abroad."), to_claim=claim)
    OutreachFactory(claim=claim, response="The ministry repeated its denial.")
    VerdictFactory(
        claim=claim,
        headline="Drones were delivered",
        author=UserFactory(username="writer"),
        rating=Rating.objects.order_by("pk").first(),
    )
    return claim


def workspace(client, claim) -> str:
    response = client.get(reverse("staff:claim", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens, which are masked afresh for every answer."""
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", page)


def request_changes(claim, reviewer):
    verdict = claim.verdicts.get()
    return WorkflowEvent.objects.create(
        claim=claim, verdict=verdict, action="request_changes", by=reviewer, comment="Cite the customs records."
    )


# (what is changed, the change, what the page then shows)
CHANGES = [
    ("the claim", lambda c: Claim.objects.filter(pk=c.pk).update(text="Iran sold drones."), "Iran sold drones."),
    (
        "the claimant",
        lambda c: Actor.objects.filter(pk=c.claimant_id).update(name="Kyiv officials"),
        "Kyiv officials",
    ),
    (
        "where it first appeared",
        lambda c: Source.objects.filter(pk=c.first_appearance_id).update(title="Kyiv press conference"),
        "Kyiv press conference",
    ),
    ("a topic", lambda c: Topic.objects.filter(claims=c).update(name="War in Ukraine"), "War in Ukraine"),
    (
        "a cited source",
        lambda c: Source.objects.filter(claim_sources__claim=c).update(title="Mehr News, 23 July"),
        "Mehr News, 23 July",
    ),
    ("a citation", lambda c: ClaimSource.objects.filter(claim=c).update(note="Read it all."), "Read it all."),
    (
        "a statement",
        lambda c: Statement.objects.filter(claim=c).update(quote="We sent no drones."),
        "We sent no drones.",
    ),
    (
        "who made a statement",
        lambda c: Actor.objects.filter(statements__claim=c).update(name="Amir-Abdollahian"),
        "Amir-Abdollahian",
    ),
    ("evidence", lambda c: Evidence.objects.filter(claim=c).update(summary="Serial numbers."), "Serial numbers."),
    (
        "who added evidence",
        lambda c: User.objects.filter(username="analyst").update(username="osint-desk"),
        "osint-desk",
    ),
    (
        "a claim linked to",
        lambda c: Claim.objects.filter(links_in__from_claim=c).update(text="Drones hit Odesa."),
        "Drones hit Odesa.",
    ),
    (
        "a claim linking here",
        lambda c: Claim.objects.filter(links_out__to_claim=c).update(text="Russia bought Shaheds."),
        "Russia bought Shaheds.",
    ),
    (
        "the right of reply",
        lambda c: Outreach.objects.filter(claim=c).update(response="No further comment."),
        "No further comment.",
    ),
    (
        "the verdict",
        lambda c: Verdict.objects.filter(claim=c).update(headline="Drones were sold"),
        "Drones were sold",
    ),
    (
        "the verdict's rating",
        lambda c: Rating.objects.filter(verdicts__claim=c).update(label="Largely untrue"),
        "Largely untrue",
    ),
    (
        "the verdict's author",
        lambda c: User.objects.filter(username="writer").update(username="desk-editor"),
        "desk-editor",
    ),
    (
        "another claim citing the same source",
        lambda c: ClaimSourceFactory(claim=ClaimFactory(), source=c.claim_sources.get().source),
        "cited by 2 claims",
    ),
]


@pytest.mark.parametrize("change", CHANGES, ids=[what for what, _change, _shown in CHANGES])
def test_a_change_made_any_way_shows_on_the_next_view(staff, claim, change):
    _what, make_change, shown = change
    assert shown not in workspace(staff, claim)
    assert without_tokens(workspace(staff, claim)) == without_tokens(workspace(staff, claim))  # kept
    make_change(claim)
    assert shown in workspace(staff, claim)


def test_the_verdict_given_a_rating_shows_it(staff, claim):
    rating = Rating.objects.order_by("-pk").first()
    Verdict.objects.filter(claim=claim).update(rating=None)
    workspace(staff, claim)
    Verdict.objects.filter(claim=claim).update(rating=rating)
    assert f"{rating.label}</span>" in workspace(staff, claim)


@pytest.mark.parametrize(
    "removal",
    [
        lambda c: Statement.objects.filter(claim=c).update(removed_at="2026-01-01T00:00:00Z"),
        lambda c: Statement.objects.filter(claim=c).delete(),
        lambda c: c.topics.clear(),
    ],
    ids=["removed", "deleted", "topic taken off"],
)
def test_what_is_removed_leaves_the_next_view(staff, claim, removal):
    claim.topics.set([Topic.objects.get(name="Ukraine war")])
    page = workspace(staff, claim)
    assert "Iran has not sent drones to Russia." in page and "Ukraine war" in page
    removal(claim)
    page = workspace(staff, claim)
    assert "Iran has not sent drones to Russia." not in page or "Ukraine war" not in page


def test_a_reviewers_request_for_changes_shows_on_the_next_view(staff, claim, reviewer):
    workspace(staff, claim)
    request_changes(claim, reviewer)
    assert "Cite the customs records." in workspace(staff, claim)


def test_a_kept_page_is_served_without_the_claims_queries(staff, claim):
    first = workspace(staff, claim)
    with CaptureQueriesContext(connection) as captured:
        again = workspace(staff, claim)
    assert without_tokens(again) == without_tokens(first)
    # The user with their roles (the session is in the cache), and the fingerprint: none of the claim's reads.
    assert len(captured) == 2, [query["sql"][:80] for query in captured]


def csrf_token_in(page: str) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1, tokens  # the stand-in replaced everywhere, by one token
    return tokens.pop()


def test_each_browser_gets_a_page_whose_forms_it_can_send(factchecker, claim):
    """The kept page holds a stand-in for the CSRF token; every copy served carries its reader's own."""
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for browser in browsers:
        browser.force_login(factchecker)
    pages = [workspace(browser, claim) for browser in browsers]
    assert csrf_token_in(pages[0]) != csrf_token_in(pages[1])
    for browser, page in zip(browsers, pages, strict=True):
        assign = browser.post(
            reverse("staff:claim-assign", args=[claim.pk]),
            {"assignee": "me", "csrfmiddlewaretoken": csrf_token_in(page)},
        )
        assert assign.status_code == 302  # not 403: the token was good
    claim.refresh_from_db()
    assert claim.assignee == factchecker


def test_each_viewer_has_their_own_page(staff, client_for, claim, factchecker):
    other = UserFactory(username="second-checker", groups=[FACT_CHECKERS])
    Claim.objects.filter(pk=claim.pk).update(assignee=factchecker)
    second = Client()
    second.force_login(other)
    mine, theirs = workspace(staff, claim), workspace(second, claim)
    assert "factchecker</bdi>" in mine and "second-checker</bdi>" in theirs
    assert "Assign to me" not in mine  # already theirs
    assert "Assign to me" in theirs


def test_a_role_taken_away_takes_its_buttons_with_it(client_for, claim, admin_user):
    admin = client_for("admin")
    assert reverse("staff:people") in workspace(admin, claim)
    admin_user.groups.remove(admin_user.groups.get(name=ADMINS))
    User.objects.filter(pk=admin_user.pk).update(is_superuser=False)
    admin_user.groups.add(*admin_user.groups.model.objects.filter(name=FACT_CHECKERS))
    assert reverse("staff:people") not in workspace(admin, claim)


def test_a_message_for_the_reader_is_shown_though_nothing_changed(staff, claim):
    """Without JavaScript, a form sent twice is redirected to the workspace with a message; the page is
    unchanged, but the message must be on it."""
    add = reverse("staff:region-add", args=[claim.pk, "evidence"])
    token = re.search(r'name="submission_token" value="([^"]+)"', staff.get(add).content.decode())[1]
    data = {"stance": "refutes", "summary": "Shipping records show nothing.", "submission_token": token}
    staff.post(add, data, follow=True)
    workspace(staff, claim)  # kept, without a message
    second = staff.post(add, data, follow=True)
    assert ALREADY_SAVED in second.content.decode()
    assert ALREADY_SAVED not in workspace(staff, claim)  # shown once


def test_without_row_versions_the_page_is_rendered_each_time(staff, claim, monkeypatch):
    """SQLite (`make run`) has no row versions to tell a change by: nothing is kept."""
    monkeypatch.setattr(connection, "vendor", "sqlite")
    workspace(staff, claim)
    with CaptureQueriesContext(connection) as captured:
        workspace(staff, claim)
    assert len(captured) > 8  # the claim read again
    assert not any("claims_workspace_fingerprint" in query["sql"] for query in captured)


def test_a_new_colleague_is_offered_in_the_pickers_at_the_next_view(staff, claim, django_capture_on_commit_callbacks):
    assert "new-checker" not in workspace(staff, claim)
    with django_capture_on_commit_callbacks(execute=True):
        UserFactory(username="new-checker", groups=[FACT_CHECKERS])
    assert "new-checker" in workspace(staff, claim)


def test_an_address_with_a_query_string_is_rendered_not_kept(staff, claim):
    """One kept page per viewer and claim: made-up query strings cannot fill the cache."""
    url = reverse("staff:claim", args=[claim.pk])
    staff.get(url + "?view=1")
    with CaptureQueriesContext(connection) as captured:
        assert staff.get(url + "?view=1").status_code == 200
    assert len(captured) > 8  # the claim read again
