"""Small things a new fact-checker met: an empty sources list, language names, whose new claim it is, My work."""

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.selectors import my_work
from tests.factories import ClaimFactory, StatementFactory
from tests.publishing import submitted

pytestmark = pytest.mark.django_db


def test_an_empty_sources_list_is_a_sentence_not_a_numbered_item(client_for):
    claim = ClaimFactory()
    page = client_for("factchecker").get(reverse("staff:claim", args=[claim.pk])).content.decode()
    sources = page[page.index('id="sources"') : page.index('id="statements"')]
    assert '<p class="empty">No sources cited yet.' in sources
    assert "<ol" not in sources


def test_the_workspace_names_languages_rather_than_their_codes(client_for):
    claim = ClaimFactory(language="fa")
    StatementFactory(claim=claim, translated=True, original_language="fa", original_quote="ما هیچ پهپادی نفروخته‌ایم")
    page = client_for("factchecker").get(reverse("staff:claim", args=[claim.pk])).content.decode()
    assert "translated from Persian" in page
    assert "translated from fa" not in page
    assert "<dd>Persian</dd>" in page


def new_claim(client, **extra):
    data = {"text": "Iran has supplied drones to Russia for use in the war in Ukraine.", "language": "en", **extra}
    return client.post(reverse("staff:claim-new"), {**data, "anyway": "1"})


def test_a_fact_checker_is_offered_their_new_claim_ticked(client_for, factchecker):
    client = client_for("factchecker")
    form = client.get(reverse("staff:claim-new")).content.decode()
    assert 'name="assign_to_me" id="id_assign_to_me" checked' in form

    new_claim(client, assign_to_me="on")
    claim = Claim.objects.get()
    assert claim.assignee == factchecker
    assert claim.history.latest().history_change_reason == f"Assigned to {factchecker.username}"


def test_unticked_the_new_claim_stays_unassigned(client_for):
    new_claim(client_for("factchecker"))
    assert Claim.objects.get().assignee is None


def test_a_reviewer_is_offered_it_unticked_and_an_admin_is_not_offered_it(client_for):
    reviewer_form = client_for("reviewer").get(reverse("staff:claim-new")).content.decode()
    assert 'name="assign_to_me"' in reviewer_form
    assert 'name="assign_to_me" id="id_assign_to_me" checked' not in reviewer_form
    admin_form = client_for("admin").get(reverse("staff:claim-new")).content.decode()
    assert 'name="assign_to_me"' not in admin_form  # an admin is not assigned claims


def test_assigned_to_me_counts_my_claims_in_review(factchecker):
    mine = ClaimFactory(text="Mine, submitted", assignee=factchecker)
    submitted(mine)
    ClaimFactory(text="Mine, new", assignee=factchecker)
    ClaimFactory(text="Someone else's")
    assert {claim.text for claim in my_work(factchecker)["assigned"]} == {"Mine, submitted", "Mine, new"}
