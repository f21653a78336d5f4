"""The claim workspace and dashboard, as a fact-checker uses them (with and without htmx)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import selectors, services
from claims.dates import DatePrecision
from claims.models import Actor, Claim, ClaimSource, Evidence, Source, Statement, Verdict
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ClaimLinkFactory,
    ClaimSourceFactory,
    EvidenceFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
    UserFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def staff(client_for):
    return client_for("factchecker")


@pytest.fixture
def claim(factchecker):
    return ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")


def region_url(name, claim, region, *args):
    return reverse(f"staff:{name}", args=[claim.pk, region, *args])


# --- Dashboard -----------------------------------------------------------------


def test_dashboard_lists_claims_with_state_claimant_and_assignee(staff, factchecker):
    ClaimFactory(text="Drones were shipped.", claimant=ActorFactory(name="Jake Sullivan"), assignee=factchecker)
    page = staff.get(reverse("staff:home")).content.decode()
    assert "Drones were shipped." in page
    assert "Jake Sullivan" in page
    assert "factchecker" in page
    assert "New" in page


def test_dashboard_filters_by_state_topic_assignee_and_text(staff, factchecker):
    topic = TopicFactory(name="Iran")
    mine = ClaimFactory(text="Mine and researching", state=Claim.State.RESEARCHING, assignee=factchecker)
    mine.topics.add(topic)
    ClaimFactory(text="Someone else's new claim", assignee=UserFactory(groups=["fact-checkers"]))
    ClaimFactory(text="Claim of nobody")

    def listed(**params):
        # The table alone: the full page also lists "My work".
        return staff.get(reverse("staff:home"), params, **HTMX).content.decode()

    assert "Someone else" not in listed(state="researching")
    assert "Mine and researching" in listed(topic=topic.pk)
    assert "Claim of nobody" not in listed(topic=topic.pk)
    assert "Mine and researching" in listed(assignee="me")
    assert "Someone else" not in listed(assignee="me")
    assert "Claim of nobody" in listed(assignee="none")
    assert "Mine and researching" not in listed(assignee="none")
    assert "Claim of nobody" in listed(q="of nobody")


def test_dashboard_paginates(staff):
    ClaimFactory.create_batch(30)
    first = staff.get(reverse("staff:home"), **HTMX).content.decode()
    second = staff.get(reverse("staff:home"), {"page": 2}, **HTMX).content.decode()
    assert "Page 1 of 2" in first
    assert second.count("<tr>") == 5 + 1  # five claims and the header row


def test_dashboard_htmx_request_gets_only_the_table(staff):
    ClaimFactory(text="A claim in the table")
    fragment = staff.get(reverse("staff:home"), {"q": "table"}, **HTMX).content.decode()
    assert "A claim in the table" in fragment
    assert "<html" not in fragment
    assert 'id="claim-table"' in fragment


# --- New claim ---------------------------------------------------------------------


def test_new_claim_uses_the_actor_on_file_instead_of_a_duplicate(staff):
    minister = ActorFactory(name="Hossein Amir Abdollahian", title="Foreign Minister of Iran")
    response = staff.post(
        reverse("staff:claim-new"),
        {"text": "Iran has not sold drones.", "language": "en", "claimant_query": "hossein amir abdollahian"},
    )
    claim = Claim.objects.get(text="Iran has not sold drones.")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:claim", args=[claim.pk])
    assert claim.claimant == minister
    assert Actor.objects.filter(name__iexact="Hossein Amir Abdollahian").count() == 1


def test_new_claim_with_an_ambiguous_claimant_offers_the_matches_and_keeps_the_text(staff):
    ActorFactory(name="Nasser Kanaani")
    ActorFactory(name="Nasser Kanaani Jr.")
    response = staff.post(
        reverse("staff:claim-new"), {"text": "Typed text survives", "language": "en", "claimant_query": "Nasser"}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Typed text survives" in page
    assert 'name="claimant_pick"' in page
    assert "Nasser Kanaani Jr." in page
    assert not Claim.objects.exists()


def test_new_claim_can_create_its_claimant_in_place(staff, factchecker):
    ActorFactory(name="Western governments (old entry)")
    staff.post(
        reverse("staff:claim-new"),
        {
            "text": "Iran has supplied drones.",
            "language": "en",
            "claimant_query": "Western governments",
            "claimant_pick": "new",
            "new_actor_kind": "government",
        },
    )
    claim = Claim.objects.get()
    assert claim.claimant.name == "Western governments"
    assert claim.claimant.kind == Actor.Kind.GOVERNMENT
    assert claim.history.first().history_user == factchecker


# --- Regions: add, edit, invalid input -------------------------------------------------


def test_workspace_page_shows_every_region(staff, claim):
    page = staff.get(reverse("staff:claim", args=[claim.pk])).content.decode()
    for region in ("summary", "sources", "statements", "evidence", "links"):
        assert f'id="{region}"' in page


def test_htmx_add_form_is_only_the_region(staff, claim):
    fragment = staff.get(region_url("region-add", claim, "statements"), **HTMX).content.decode()
    assert "<html" not in fragment
    assert 'id="statements"' in fragment
    assert 'name="quote"' in fragment


def test_add_form_without_javascript_is_the_whole_page_with_the_form_open(staff, claim):
    page = staff.get(region_url("region-add", claim, "statements")).content.decode()
    assert "<html" in page
    assert 'name="quote"' in page
    assert 'id="evidence"' in page


def statement_data(actor, **overrides):
    data = {
        "actor_query": actor.name,
        "actor_pick": str(actor.pk),
        "stance": "denies",
        "quote": "We have not sold and will not sell any weapons and drones.",
        "quote_language": "en",
        "date_text": "",
        "date_note": "A Monday; date not stated",
    }
    return {**data, **overrides}


def test_htmx_post_adds_a_statement_and_returns_the_region(staff, claim, factchecker):
    actor = ActorFactory(name="Hossein Amir Abdollahian")
    response = staff.post(region_url("region-add", claim, "statements"), statement_data(actor), **HTMX)
    fragment = response.content.decode()
    statement = Statement.objects.get(claim=claim)
    assert response.status_code == 200
    assert "<html" not in fragment
    assert "We have not sold" in fragment
    assert statement.stance == Statement.Stance.DENIES
    assert statement.date_precision == DatePrecision.UNKNOWN
    assert statement.history.first().history_user == factchecker


def test_plain_post_adds_a_statement_and_redirects_to_the_region(staff, claim):
    actor = ActorFactory()
    response = staff.post(region_url("region-add", claim, "statements"), statement_data(actor))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:claim", args=[claim.pk]) + "#statements"
    assert Statement.objects.filter(claim=claim).count() == 1


def test_translated_persian_quote_is_stored_and_shown_right_to_left(staff, claim):
    actor = ActorFactory()
    data = statement_data(
        actor, translated="on", original_language="fa", original_quote="ما هیچ سلاح و پهپادی نفروخته‌ایم"
    )
    fragment = staff.post(region_url("region-add", claim, "statements"), data, **HTMX).content.decode()
    statement = Statement.objects.get()
    assert statement.translated and statement.original_language == "fa"
    assert 'lang="fa" dir="auto"' in fragment
    assert "ما هیچ سلاح" in fragment


def test_invalid_statement_shows_the_error_by_the_field_keeps_the_input_and_saves_nothing(staff, claim):
    actor = ActorFactory()
    data = statement_data(actor, translated="on", original_language="", date_text="July 2022")
    response = staff.post(region_url("region-add", claim, "statements"), data, **HTMX)
    fragment = response.content.decode()
    assert response.status_code == 422
    assert "Give the original language of a translated quote." in fragment
    assert "Write the date as 2022-07-18, 2022-07 or 2022" in fragment
    assert "We have not sold and will not sell" in fragment  # what was typed is kept
    assert not Statement.objects.exists()


def test_statement_date_known_to_the_month(staff, claim):
    staff.post(region_url("region-add", claim, "statements"), statement_data(ActorFactory(), date_text="2022-07"))
    statement = Statement.objects.get()
    assert statement.date_precision == DatePrecision.MONTH
    assert statement.date_display.startswith("July 2022")


def test_editing_a_statement_changes_it_on_record(staff, claim):
    statement = StatementFactory(claim=claim, quote="Old wording")
    data = statement_data(statement.actor, quote="New wording", stance="clarifies")
    staff.post(region_url("region-edit", claim, "statements", statement.pk), data, **HTMX)
    statement.refresh_from_db()
    assert statement.quote == "New wording"
    history = staff.get(reverse("staff:claim-history", args=[claim.pk])).content.decode()
    assert "Old wording" in history and "New wording" in history


def test_citing_a_new_source_without_url_and_with_a_month_date(staff, claim):
    data = {
        "role": "appearance",
        "note": "",
        "source_query": "",
        "new_source-title": "Speech at a rally",
        "new_source-url": "",
        "new_source-date_text": "",
        "new_source-date_note": "July, year not stated",
        "new_source-licence": "CC BY 4.0",
    }
    response = staff.post(region_url("region-add", claim, "sources"), data, **HTMX)
    cited = ClaimSource.objects.select_related("source").get(claim=claim)
    assert response.status_code == 200
    assert cited.source.url == ""
    assert cited.source.date_precision == DatePrecision.UNKNOWN
    assert cited.source.date_note == "July, year not stated"
    assert "July, year not stated" in response.content.decode()


def test_citing_a_url_already_on_file_cites_that_source(staff, claim):
    on_file = SourceFactory(url="https://news.example/article", title="Same article")
    data = {
        "role": "evidence",
        "new_source-title": "Same article",
        "new_source-url": "HTTPS://News.Example/article?utm_source=x#top",
    }
    staff.post(region_url("region-add", claim, "sources"), data, **HTMX)
    assert ClaimSource.objects.get(claim=claim).source == on_file
    assert Source.objects.count() == 1


def test_confidential_source_needs_a_public_description(staff, claim):
    data = {"role": "evidence", "new_source-title": "A ministry insider", "new_source-confidential": "on"}
    response = staff.post(region_url("region-add", claim, "sources"), data, **HTMX)
    assert response.status_code == 422
    assert "A confidential source needs a public description." in response.content.decode()
    assert not Source.objects.exists()


def test_cited_sources_can_be_reordered(staff, claim, factchecker):
    first = services.claim_source_add(claim=claim, source=SourceFactory(title="First"), by=factchecker)
    second = services.claim_source_add(claim=claim, source=SourceFactory(title="Second"), by=factchecker)
    staff.post(region_url("region-move", claim, "sources", second.pk), {"direction": "up"}, **HTMX)
    ordered = list(ClaimSource.objects.filter(claim=claim).order_by("order").values_list("pk", flat=True))
    assert ordered == [second.pk, first.pk]


def test_evidence_keeps_its_internal_note_apart_from_the_public_summary(staff, claim, factchecker):
    data = {"stance": "refutes", "summary": "Shipping records show nothing.", "internal_note": "Ask the port."}
    staff.post(region_url("region-add", claim, "evidence"), data, **HTMX)
    evidence = Evidence.objects.get()
    assert evidence.summary == "Shipping records show nothing."
    assert evidence.internal_note == "Ask the port."
    assert evidence.added_by == factchecker


def test_linking_a_counter_claim(staff, claim):
    counter = ClaimFactory(text="Iran has not sold drones for the war.")
    data = {"kind": "counter_claim", "to_claim_query": "", "to_claim_pick": str(counter.pk), "note": ""}
    fragment = staff.post(region_url("region-add", claim, "links"), data, **HTMX).content.decode()
    assert "Iran has not sold drones for the war." in fragment
    assert claim.links_out.get().to_claim == counter


def test_a_claim_cannot_be_linked_to_itself(staff, claim):
    data = {"kind": "same_claim", "to_claim_pick": str(claim.pk), "to_claim_query": ""}
    response = staff.post(region_url("region-add", claim, "links"), data, **HTMX)
    assert response.status_code == 422
    assert not claim.links_out.exists()


# --- Remove and undo ---------------------------------------------------------------------


def test_removing_a_statement_offers_undo_and_undo_restores_it(staff, claim, factchecker):
    statement = StatementFactory(claim=claim, quote="A quote to remove")
    removed = staff.post(region_url("region-remove", claim, "statements", statement.pk), **HTMX).content.decode()
    assert not Statement.objects.filter(pk=statement.pk).exists()
    assert "Undo" in removed
    restore_url = region_url("region-restore", claim, "statements", statement.pk)
    assert restore_url in removed

    restored = staff.post(restore_url, **HTMX).content.decode()
    assert Statement.objects.filter(pk=statement.pk).exists()
    assert "A quote to remove" in restored
    reasons = list(statement.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["Restored", "Removed"]


def test_removing_without_javascript_redirects_to_a_page_with_undo(staff, claim):
    evidence = EvidenceFactory(claim=claim)
    response = staff.post(region_url("region-remove", claim, "evidence", evidence.pk))
    assert response.status_code == 302
    page = staff.get(response["Location"]).content.decode()
    assert region_url("region-restore", claim, "evidence", evidence.pk) in page


def test_removing_needs_post(staff, claim):
    statement = StatementFactory(claim=claim)
    assert staff.get(region_url("region-remove", claim, "statements", statement.pk)).status_code == 405


def test_items_of_another_claim_cannot_be_touched_through_this_one(staff, claim):
    other = StatementFactory()
    assert staff.post(region_url("region-remove", claim, "statements", other.pk)).status_code == 404
    assert Statement.objects.filter(pk=other.pk).exists()


def test_history_tab_lists_changes_newest_first(staff, claim, factchecker):
    statement = StatementFactory(claim=claim)
    services.claim_item_remove(item=statement, by=factchecker)
    page = staff.get(reverse("staff:claim-history", args=[claim.pk])).content.decode()
    assert page.index("Removed statement") < page.index("Created statement")


# --- Assigning ---------------------------------------------------------------------------


def test_assign_to_me_and_to_a_colleague_is_on_record(staff, claim, factchecker):
    staff.post(reverse("staff:claim-assign", args=[claim.pk]), {"assignee": "me"}, **HTMX)
    claim.refresh_from_db()
    assert claim.assignee == factchecker
    colleague = UserFactory(username="colleague", groups=["fact-checkers"])
    fragment = staff.post(reverse("staff:claim-assign", args=[claim.pk]), {"assignee": colleague.pk}, **HTMX)
    claim.refresh_from_db()
    assert claim.assignee == colleague
    assert "<html" not in fragment.content.decode()
    assert claim.history.first().history_change_reason == "Assigned to colleague"


def test_only_fact_checkers_can_be_assigned(staff, claim):
    outsider = UserFactory(username="outsider")
    response = staff.post(reverse("staff:claim-assign", args=[claim.pk]), {"assignee": outsider.pk})
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.assignee is None


# --- Pickers ------------------------------------------------------------------------------


def test_actor_suggestions_offer_existing_actors_and_a_new_one(staff):
    ActorFactory(name="Hossein Amir Abdollahian", title="Foreign Minister of Iran")
    fragment = staff.get(
        reverse("staff:suggest", args=["actors"]), {"field": "actor", "actor_query": "abdoll"}
    ).content.decode()
    assert "Hossein Amir Abdollahian" in fragment
    assert 'name="actor_pick"' in fragment
    assert 'value="new"' in fragment


# --- Speed -----------------------------------------------------------------------------------


def fill(claim, count):
    for _ in range(count):
        source = ClaimSourceFactory(claim=claim).source
        StatementFactory(claim=claim, source=source)
        EvidenceFactory(claim=claim, source=source)
        ClaimLinkFactory(from_claim=claim)


def queries_for_workspace(client, claim):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("staff:claim", args=[claim.pk])).status_code == 200
    return len(captured)


def test_workspace_runs_the_same_number_of_queries_for_1_and_50_of_everything(staff):
    small, large = ClaimFactory(), ClaimFactory()
    fill(small, 1)
    fill(large, 50)
    queries_for_workspace(staff, ClaimFactory())  # warm the session and site settings
    assert queries_for_workspace(staff, small) == queries_for_workspace(staff, large)  # each rendered once


def test_the_workspace_reads_the_staff_list_only_when_it_has_changed(staff, claim, django_capture_on_commit_callbacks):
    url = reverse("staff:claim", args=[claim.pk])
    staff.get(url)  # warm the session, the site settings and the staff list
    with CaptureQueriesContext(connection) as captured:
        page = staff.get(url).content.decode()
    assert not [query for query in captured if 'SELECT DISTINCT "claims_user"' in query["sql"]]
    assert '<option value="" selected>Unassigned</option>' in page
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = UserFactory(username="newcomer", groups=["reviewers"])
    page = staff.get(url).content.decode()
    assert f'<option value="{newcomer.pk}">newcomer</option>' in page.split('id="id_assignee"')[1].split("</select>")[0]
    assert f'<option value="{newcomer.pk}">newcomer</option>' in page.split('id="id_reviewer"')[1].split("</select>")[0]


def test_the_workspace_shows_a_published_verdict_without_reading_its_record(staff, claim, reviewer):
    VerdictFactory(
        claim=claim,
        state=Verdict.State.PUBLISHED,
        reviewer=reviewer,
        published_at=timezone.now(),
        headline="Drones were supplied.",
        published_record={"statements": [{"quote": "A long record"}] * 200},
    )
    url = reverse("staff:claim", args=[claim.pk])
    with CaptureQueriesContext(connection) as captured:
        page = staff.get(url).content.decode()
    assert "Drones were supplied." in page
    assert "approved by reviewer" in page
    assert not [query for query in captured if "published_record" in query["sql"]]


def test_the_workspace_reads_no_source_s_extracted_text(staff, claim):
    fill(claim, 1)
    claim.first_appearance = claim.claim_sources.get().source
    claim.save()
    Source.objects.update(text="The whole fetched page. " * 1000)
    read = selectors.claim_for_workspace(claim.pk)
    sources = [
        read.first_appearance,
        *(cited.source for cited in read.claim_sources.all()),
        *(statement.source for statement in read.statements.all()),
        *(evidence.source for evidence in read.evidence.all()),
    ]
    assert all("text" in source.get_deferred_fields() for source in sources)
    assert claim.first_appearance.title in staff.get(reverse("staff:claim", args=[claim.pk])).content.decode()


def test_a_removed_claim_is_not_found(staff, claim):
    Claim.all_objects.filter(pk=claim.pk).update(removed_at=timezone.now())
    assert staff.get(reverse("staff:claim", args=[claim.pk])).status_code == 404
    assert staff.get(region_url("region", claim, "statements"), **HTMX).status_code == 404


def test_a_refused_statement_does_not_leave_its_new_actor_behind(staff, claim, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("Refused by the service.")

    monkeypatch.setattr(services, "claim_item_create", refuse)
    data = {**statement_data(ActorFactory(name="Someone else")), "actor_query": "Brand new person", "actor_pick": "new"}
    response = staff.post(region_url("region-add", claim, "statements"), data, **HTMX)
    assert response.status_code == 422
    assert "Refused by the service." in response.content.decode()
    assert not Actor.objects.filter(name="Brand new person").exists()
