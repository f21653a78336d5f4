"""What a reviewer relies on: why Publish is missing when they contributed, their dashboard lists, and a
correction's changes against the published version on the review screen."""

import pytest
from django.test import Client
from django.urls import reverse

from claims import services, workflow
from claims.models import Verdict
from claims.publishing import changes
from claims.selectors import my_work
from tests.factories import ClaimFactory, StatementFactory, UserFactory
from tests.publishing import publish, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_reviewer(db):
    return UserFactory(username="reviewer2", groups=["reviewers"])


def edit_quote(claim, by, quote):
    statement = claim.statements.get()
    statement.quote = quote
    return services.claim_item_update(item=statement, by=by)


def test_a_reviewer_who_edited_the_draft_is_told_why_they_cannot_publish(client_for, reviewer, other_reviewer):
    claim = ClaimFactory()
    StatementFactory(claim=claim, quote="We have not sold any drones.")
    edit_quote(claim, reviewer, "We have not sold any weapons or drones.")
    submitted(claim)

    page = client_for("reviewer").get(reverse("staff:claim-review", args=[claim.pk])).content.decode()
    assert "Another reviewer must publish this verdict." in page
    assert "statement #" in page and "(quote) edited at" in page  # what they did, from the contributions
    assert reverse("staff:transition", args=[claim.pk, "publish"]) not in page

    # The other reviewer reads the same screen with Publish and no note.
    client = Client()
    client.force_login(other_reviewer)
    page = client.get(reverse("staff:claim-review", args=[claim.pk])).content.decode()
    assert "Another reviewer must publish" not in page
    assert reverse("staff:transition", args=[claim.pk, "publish"]) in page


def test_the_author_of_the_verdict_is_told_they_wrote_it(client, reviewer):
    claim = ClaimFactory()
    submitted(claim, author=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("staff:claim", args=[claim.pk])).content.decode()
    assert "Another reviewer must publish this verdict." in page and "you wrote the verdict" in page


def test_a_fact_checker_sees_no_note_meant_for_reviewers(client_for, factchecker):
    claim = ClaimFactory()
    submitted(claim, author=factchecker)
    page = client_for("factchecker").get(reverse("staff:claim", args=[claim.pk])).content.decode()
    assert "Another reviewer must publish" not in page


def test_claims_a_reviewer_contributed_to_are_listed_apart(client_for, reviewer, other_reviewer):
    touched = ClaimFactory(text="A claim the reviewer edited")
    StatementFactory(claim=touched)
    edit_quote(touched, reviewer, "Edited by the reviewer.")
    submitted(touched)
    untouched = ClaimFactory(text="A claim nobody on the desk touched")
    submitted(untouched)
    elsewhere = ClaimFactory(text="A claim assigned to the other reviewer", reviewer=other_reviewer)
    StatementFactory(claim=elsewhere)
    edit_quote(elsewhere, reviewer, "Edited too.")
    submitted(elsewhere)

    work = my_work(reviewer)
    assert [claim.text for claim in work["awaiting_review"]] == [untouched.text]
    assert {claim.text for claim in work["contributed_to_review"]} == {touched.text, elsewhere.text}
    assert {claim.text for claim in my_work(other_reviewer)["awaiting_review"]} == {
        touched.text,
        untouched.text,
        elsewhere.text,
    }

    page = client_for("reviewer").get(reverse("staff:home")).content.decode()
    assert "You contributed: another reviewer must publish" in page
    # Both lists lead to the review screen, not the workspace.
    for claim in (touched, untouched, elsewhere):
        assert f'href="{reverse("staff:claim-review", args=[claim.pk])}"' in page


def test_the_contributed_list_is_not_shown_when_empty(client_for, reviewer):
    submitted(ClaimFactory())
    page = client_for("reviewer").get(reverse("staff:home")).content.decode()
    assert "You contributed" not in page


# --- A correction against the published version --------------------------------------------------


def correction_in_review(reviewer_user):
    first = publish(
        headline="Nothing settles it",
        explanation="The first paragraph.\n\nThe ministry said so.",
        reviewer_user=reviewer_user,
    )
    claim = first.claim
    StatementFactory(claim=claim, quote="Iran sent <b>drones</b> & more.")
    submitted(
        claim,
        kind=Verdict.Kind.CORRECTION,
        headline="Nothing settles it yet",
        explanation="The first paragraph.\n\nThe foreign ministry said so.",
        public_note="We named the wrong ministry.",
    )
    return claim


def test_the_review_screen_of_a_correction_shows_what_changed(client_for, other_reviewer, reviewer):
    claim = correction_in_review(other_reviewer)
    page = client_for("reviewer").get(reverse("staff:claim-review", args=[claim.pk])).content.decode()
    assert "Changes against the published version" in page
    assert 'Headline: Nothing settles it<ins><span class="visually-hidden">added: </span> yet</ins>' in page
    assert 'The<ins><span class="visually-hidden">added: </span> foreign</ins> ministry said so.' in page
    assert "Public note: We named the wrong ministry." in page
    # A statement added since: the whole line, escaped (never the markup typed in it).
    assert "Iran sent &lt;b&gt;drones&lt;/b&gt; &amp; more." in page
    assert "<b>drones</b>" not in page


def test_a_first_verdict_has_nothing_to_compare(client_for):
    claim = ClaimFactory()
    submitted(claim)
    page = client_for("reviewer").get(reverse("staff:claim-review", args=[claim.pk])).content.decode()
    assert "Changes against the published version" not in page


def test_a_correction_not_yet_changed_says_so(client_for, other_reviewer, factchecker):
    first = publish(reviewer_user=other_reviewer)
    workflow.verdict_draft(claim=first.claim, by=factchecker, kind=Verdict.Kind.CORRECTION)
    page = client_for("reviewer").get(reverse("staff:claim-review", args=[first.claim.pk])).content.decode()
    assert "Nothing differs from the published version yet." in page


def test_the_diff_keeps_context_around_changes_and_marks_what_it_leaves_out():
    before = [f"line {n}" for n in range(10)]
    after = [*before[:5], "line five, reworded", *before[6:]]
    diff = changes.diff(before, after, context=1)
    kinds = [line.change for line in diff.lines]
    assert kinds == ["gap", "same", "changed", "same", "gap"]
    changed = diff.lines[2].pieces
    assert [(piece.text, piece.change) for piece in changed] == [
        ("line ", ""),
        ("5", "del"),
        ("five, reworded", "ins"),
    ]
    assert not changes.diff(before, list(before)).changed
    added = changes.diff(["a"], ["a", "b"])
    assert [line.change for line in added.lines] == ["same", "added"]
