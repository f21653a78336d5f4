"""`manage.py seed_demo`: the demo users and the seed article, modelled faithfully and loaded once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.demo import CLAIM_A, CLAIM_B
from claims.models import Actor, Claim, ClaimLink, ClaimSource, Evidence, Source, Statement, Topic, User
from claims.rules import ADMINS, FACT_CHECKERS, REVIEWERS

pytestmark = pytest.mark.django_db

MODELS = (User, Source, Actor, Topic, Claim, ClaimSource, Statement, Evidence, ClaimLink)


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
    assert claim.state == Claim.State.NEW
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
    assert claim_b.claimant.name == "Hossein Amir Abdollahian"
    link = ClaimLink.objects.get()
    assert (link.from_claim, link.to_claim, link.kind) == (claim_b, claim_a, ClaimLink.Kind.COUNTER_CLAIM)
    statement = claim_b.statements.get()
    assert statement.stance == Statement.Stance.ASSERTS
    assert statement.quote.startswith("We have not sold and will not sell")


def test_everything_is_on_record_by_the_fact_checker(seeded):
    for model in (Source, Actor, Claim, ClaimSource, Statement, Evidence, ClaimLink):
        users = set(model.history.values_list("history_user__username", flat=True))
        assert users == {"factchecker"}, model.__name__
    assert Statement.history.count() == Statement.objects.count() == 6


def test_running_twice_creates_nothing_twice(seeded):
    before = counts()
    output = seed()
    assert counts() == before
    assert "Created" not in output
    assert f"Kept claim {CLAIM_A.slug}" in output


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        seed()
    assert not User.objects.filter(username="factchecker").exists() and not Claim.objects.exists()
    seed(force=True)
    assert Claim.objects.filter(is_sample=True).count() == 2
