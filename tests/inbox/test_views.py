"""Incoming's pages and the decisions on a match, as staff use them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import inbox
from claims.models import Actor, ArticleMatch, ClaimSource, Evidence, MatchState, Statement
from tests.factories import ActorFactory, ArticleFactory, ArticleMatchFactory, FeedFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_imported_articles_newest_first_with_their_best_matches(client_for):
    older = ArticleMatchFactory(source__title="Older article").source
    newer = ArticleFactory(title="Newer article")
    SourceFactory(title="Entered by hand")

    response = client_for("factchecker").get(reverse("staff:incoming"))

    page = response.content.decode()
    assert page.index("Newer article") < page.index("Older article")
    assert "Entered by hand" not in page
    assert older.matches.get().claim.text in page
    assert newer.title in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"matched": "yes"}, "Matched one", "Unmatched one"),
        ({"matched": "no"}, "Unmatched one", "Matched one"),
        ({"decided": "decided"}, "Decided one", "Matched one"),
        ({"decided": "undecided"}, "Matched one", "Decided one"),
    ],
)
def test_the_list_filters(client_for, query, shown, hidden):
    ArticleMatchFactory(source__title="Matched one")
    ArticleMatchFactory(source__title="Decided one", state=MatchState.DISMISSED)
    ArticleFactory(title="Unmatched one")

    page = client_for("factchecker").get(reverse("staff:incoming"), query).content.decode()

    assert shown in page
    assert hidden not in page


def test_the_list_filters_by_feed_and_claim(client_for):
    feed = FeedFactory()
    in_feed = ArticleFactory(title="From the feed", feed=feed)
    match = ArticleMatchFactory(source__title="About the claim")
    client = client_for("factchecker")

    by_feed = client.get(reverse("staff:incoming"), {"feed": feed.pk}).content.decode()
    by_claim = client.get(reverse("staff:incoming"), {"claim": match.claim_id}).content.decode()

    assert in_feed.title in by_feed and "About the claim" not in by_feed
    assert "About the claim" in by_claim and in_feed.title not in by_claim


def test_htmx_gets_the_list_region_only(client_for):
    response = client_for("factchecker").get(reverse("staff:incoming"), headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert 'id="incoming-list"' in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_the_count_of_undecided_matches(client_for):
    ArticleMatchFactory.create_batch(2)
    ArticleMatchFactory(state=MatchState.DISMISSED)
    response = client_for("factchecker").get(reverse("staff:incoming-count"), headers={"HX-Request": "true"})
    assert ">2<" in response.content.decode()


def test_the_article_highlights_its_matched_sentence_and_escapes_the_rest(client_for):
    article = ArticleFactory(
        text="<script>alert(1)</script> First part here.\n\n"
        "He said Iran has never supplied drones to Russia for the war in Ukraine."
    )
    match = ArticleMatchFactory(source=article)

    page = client_for("factchecker").get(reverse("staff:incoming-article", args=[article.pk])).content.decode()

    assert f'<mark id="sentence-1" class="matched-sentence">{match.sentence}<sup' in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "0.60" in page


def test_dismissing_with_htmx_swaps_the_card_and_the_pair_stays_decided(client_for, factchecker):
    match = ArticleMatchFactory()
    response = client_for("factchecker").post(
        reverse("staff:match-dismiss", args=[match.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Dismissed" in response.content.decode()
    match.refresh_from_db()
    assert (match.state, match.decided_by) == (MatchState.DISMISSED, factchecker)


def test_a_match_decided_meanwhile_is_refused_with_who_decided_it(client_for, reviewer):
    match = ArticleMatchFactory()
    inbox.match_dismiss(match=match, by=reviewer)
    response = client_for("factchecker").post(
        reverse("staff:match-cite", args=[match.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "already decided by" in response.content.decode()
    assert not ClaimSource.objects.exists()


def test_bulk_dismiss(client_for):
    first, second, kept = ArticleMatchFactory.create_batch(3)
    response = client_for("factchecker").post(
        reverse("staff:incoming-dismiss"), {"match": [first.pk, second.pk], "query": "matched=yes"}
    )
    assert response["Location"] == reverse("staff:incoming") + "?matched=yes"
    states = dict(ArticleMatch.objects.values_list("pk", "state"))
    assert states == {first.pk: "dismissed", second.pk: "dismissed", kept.pk: "undecided"}


def test_citing_only_cites_the_article_on_the_claim(client_for):
    match = ArticleMatchFactory()
    client_for("factchecker").post(reverse("staff:match-cite", args=[match.pk]))
    assert ClaimSource.objects.filter(claim=match.claim, source=match.source).exists()
    match.refresh_from_db()
    assert match.state == MatchState.CITED


def test_the_statement_form_is_prefilled_and_suggests_the_actors_named(client_for):
    named = ActorFactory(name="Hossein Amir Abdollahian")
    ActorFactory(name="Someone Else")
    article = ArticleFactory(
        text="Intro that is long enough.\n\nAbdollahian said Iran has never supplied drones to Russia.", date=None
    )
    match = ArticleMatchFactory(
        source=article,
        sentence_start=article.text.index("Abdollahian"),
        sentence_end=len(article.text),
        sentence=article.text[article.text.index("Abdollahian") :],
    )

    page = client_for("factchecker").get(reverse("staff:match-statement", args=[match.pk])).content.decode()

    assert "Abdollahian said Iran has never supplied drones to Russia.</textarea>" in page
    named_group = page[page.index("Named in the sentence") : page.index('type="search"')]
    assert f'name="actor_pick" value="{named.pk}">' in named_group  # offered, one click, not picked
    assert "Someone Else" not in page
    assert "checked" not in page
    assert 'value="" selected' in page  # no stance is chosen for the person
    assert 'name="actor_query"' in page and reverse("staff:suggest", args=["actors"]) in page  # search any actor


def test_the_statement_names_a_new_actor_made_in_the_picker(client_for):
    match = ArticleMatchFactory()
    response = client_for("factchecker").post(
        reverse("staff:match-statement", args=[match.pk]),
        {
            "actor_query": "Nasser Kanaani",
            "actor_pick": "new",
            "new_actor_title": "Foreign ministry spokesperson",
            "new_actor_kind": "person",
            "stance": "denies",
            "quote": match.sentence,
            "date_precision": "unknown",
        },
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert (statement.actor.name, statement.actor.title) == ("Nasser Kanaani", "Foreign ministry spokesperson")


def test_a_refused_statement_keeps_the_actor_picked(client_for):
    match = ArticleMatchFactory()
    actor = ActorFactory(name="Hossein Amir Abdollahian")
    response = client_for("factchecker").post(
        reverse("staff:match-statement", args=[match.pk]),
        {"actor_query": "Abdollahian", "actor_pick": actor.pk, "stance": "", "quote": match.sentence},
    )
    assert response.status_code == 422
    assert f'value="{actor.pk}" checked' in response.content.decode()


def test_a_new_actor_is_not_kept_when_the_service_refuses_the_statement(client_for, monkeypatch):
    match = ArticleMatchFactory()

    def refuse(**kwargs):
        raise ValidationError("The claim was removed meanwhile. Nothing was changed.")

    monkeypatch.setattr(inbox, "match_add_statement", refuse)
    response = client_for("factchecker").post(
        reverse("staff:match-statement", args=[match.pk]),
        {"actor_query": "Someone New", "actor_pick": "new", "stance": "denies", "quote": match.sentence,
         "date_precision": "unknown"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "removed meanwhile" in response.content.decode()
    assert not Actor.objects.filter(name="Someone New").exists()


def test_a_statement_needs_a_stance_chosen_by_the_person(client_for):
    match = ArticleMatchFactory()
    actor = ActorFactory()
    response = client_for("factchecker").post(
        reverse("staff:match-statement", args=[match.pk]),
        {"actor_pick": actor.pk, "stance": "", "quote": match.sentence, "date_precision": "unknown"},
    )
    assert response.status_code == 422
    assert not Statement.objects.exists()


def test_accepting_as_a_statement_creates_it_with_its_source_cited(client_for, factchecker):
    match = ArticleMatchFactory()
    actor = ActorFactory()
    response = client_for("factchecker").post(
        reverse("staff:match-statement", args=[match.pk]),
        {"actor_pick": actor.pk, "stance": "denies", "quote": match.sentence, "date_precision": "unknown"},
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert (statement.claim, statement.actor, statement.source, statement.stance) == (
        match.claim,
        actor,
        match.source,
        "denies",
    )
    assert statement.quote == match.sentence
    assert ClaimSource.objects.filter(claim=match.claim, source=match.source).exists()
    match.refresh_from_db()
    assert (match.state, match.decided_by) == (MatchState.STATEMENT, factchecker)


def test_accepting_as_evidence(client_for):
    match = ArticleMatchFactory()
    client_for("factchecker").post(
        reverse("staff:match-evidence", args=[match.pk]), {"stance": "refutes", "summary": "The minister denies it."}
    )
    evidence = Evidence.objects.get()
    assert (evidence.claim, evidence.source, evidence.stance) == (match.claim, match.source, "refutes")
    assert ClaimSource.objects.get(claim=match.claim).role == "evidence"
    match.refresh_from_db()
    assert match.state == MatchState.EVIDENCE


def test_an_unmatched_article_becomes_a_claim_from_a_chosen_sentence(client_for):
    article = ArticleFactory()
    start, end, sentence = inbox.article_sentences(article)[1]

    response = client_for("factchecker").post(
        reverse("staff:incoming-claim-new", args=[article.pk]), {"sentence": f"{start}-{end}"}
    )

    match = ArticleMatch.objects.get(source=article)
    assert response["Location"] == reverse("staff:claim", args=[match.claim_id])
    assert (match.claim.text, match.claim.first_appearance, match.state) == (sentence, article, "cited")
    assert ClaimSource.objects.filter(claim=match.claim, source=article).exists()


def test_a_service_refuses_someone_without_the_right(client_for):
    nobody = get_user_model().objects.create_user("nobody", password="x" * 12)
    with pytest.raises(PermissionDenied):
        inbox.match_dismiss(match=ArticleMatchFactory(), by=nobody)


def test_a_statement_from_incoming_starts_with_the_articles_date_as_it_was_typed(client_for):
    match = ArticleMatchFactory(
        source__date=datetime.date(2022, 9, 23), source__date_precision="month", source__date_calendar="solar_hijri"
    )
    response = client_for("factchecker").get(reverse("staff:match-statement", args=[match.pk]))
    assert response.context["form"].initial["date_text"] == "1401/07"


def test_a_statement_from_incoming_is_dated_in_the_solar_hijri_calendar_as_typed(client_for):
    match = ArticleMatchFactory()
    response = client_for("factchecker").post(
        reverse("staff:match-statement", args=[match.pk]),
        {"actor_pick": ActorFactory().pk, "stance": "denies", "quote": match.sentence, "date_text": "۵ مهر ۱۴۰۱"},
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert (statement.date, statement.date_precision, statement.date_calendar) == (
        datetime.date(2022, 9, 27),
        "day",
        "solar_hijri",
    )
