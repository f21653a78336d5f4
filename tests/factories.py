"""factory_boy factories for the domain model: one valid row each, nothing more.

Dated rows default to an unknown date (the check constraint wants precision
"unknown" exactly when the date is empty); use the `dated` trait for a day.
"""

import datetime

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory, Password

from claims.dates import DatePrecision
from claims.models import (
    Actor,
    ArticleMatch,
    Claim,
    ClaimLink,
    ClaimSource,
    ErrorReport,
    Evidence,
    Feed,
    FeedEntry,
    ImportRun,
    Notification,
    Outreach,
    Rating,
    RatingScale,
    Source,
    Statement,
    Tip,
    TipGroup,
    Topic,
    User,
    Verdict,
    WorkflowEvent,
)
from claims.permissions import FACT_CHECKERS

PASSWORD = "correct-horse-battery-staple"

# The roles (docs/architecture.md, "Roles") as the tests name them; tests/conftest.py has a fixture for each.
ROLES = ("anonymous", "factchecker", "reviewer", "admin")


class UserFactory(DjangoModelFactory):
    """A user; `groups=["fact-checkers"]` gives roles by group name."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    first_name = factory.Sequence(lambda n: f"First{n}")
    password = Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            # get_or_create: a transactional test may have flushed the groups made by migration 0002.
            self.groups.set([Group.objects.get_or_create(name=name)[0] for name in names])


class ActorFactory(DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    kind = Actor.Kind.PERSON


class DatedFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    date = None
    date_precision = DatePrecision.UNKNOWN

    class Params:
        dated = factory.Trait(date=datetime.date(2022, 7, 13), date_precision=DatePrecision.DAY)


class SourceFactory(DatedFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example/articles/{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    publisher = "Example News"


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ClaimFactory(DatedFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Claim number {n} is checkable.")
    slug = factory.Sequence(lambda n: f"claim-{n}")
    claimant = factory.SubFactory(ActorFactory)


class ClaimSourceFactory(DjangoModelFactory):
    class Meta:
        model = ClaimSource

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    role = ClaimSource.Role.APPEARANCE


class ClaimLinkFactory(DjangoModelFactory):
    class Meta:
        model = ClaimLink

    from_claim = factory.SubFactory(ClaimFactory)
    to_claim = factory.SubFactory(ClaimFactory)
    kind = ClaimLink.Kind.COUNTER_CLAIM


class StatementFactory(DatedFactory):
    class Meta:
        model = Statement

    claim = factory.SubFactory(ClaimFactory)
    actor = factory.SubFactory(ActorFactory)
    source = factory.SubFactory(SourceFactory)
    quote = factory.Sequence(lambda n: f"Quote number {n}.")
    stance = Statement.Stance.DENIES


class EvidenceFactory(DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    summary = factory.Sequence(lambda n: f"Evidence summary {n}.")
    source = factory.SubFactory(SourceFactory)
    stance = Evidence.Stance.REFUTES


class RatingScaleFactory(DjangoModelFactory):
    class Meta:
        model = RatingScale

    name = factory.Sequence(lambda n: f"Scale {n}")
    slug = factory.Sequence(lambda n: f"scale-{n}")


class RatingFactory(DjangoModelFactory):
    class Meta:
        model = Rating

    scale = factory.SubFactory(RatingScaleFactory)
    label = factory.Sequence(lambda n: f"Rating {n}")
    description = "What this rating means."


class VerdictFactory(DjangoModelFactory):
    """A draft first verdict, written by a fact-checker."""

    class Meta:
        model = Verdict

    claim = factory.SubFactory(ClaimFactory)
    author = factory.SubFactory(UserFactory, groups=[FACT_CHECKERS])
    headline = factory.Sequence(lambda n: f"Headline {n}")


class OutreachFactory(DjangoModelFactory):
    class Meta:
        model = Outreach

    claim = factory.SubFactory(ClaimFactory)
    contacted = "Ministry of Foreign Affairs, press office"
    method = Outreach.Method.EMAIL
    contacted_on = datetime.date(2022, 7, 14)


class WorkflowEventFactory(DjangoModelFactory):
    class Meta:
        model = WorkflowEvent

    claim = factory.SubFactory(ClaimFactory)
    action = "start_research"
    from_state = "new"
    to_state = "researching"
    by = factory.SubFactory(UserFactory)


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    to = factory.Sequence(lambda n: f"person{n}@example.invalid")
    subject = "Changes requested"
    body = "Please have another look."


class FeedFactory(DjangoModelFactory):
    class Meta:
        model = Feed

    url = factory.Sequence(lambda n: f"https://wire.example/feeds/{n}.xml")
    name = factory.Sequence(lambda n: f"Feed {n}")


class ImportRunFactory(DjangoModelFactory):
    class Meta:
        model = ImportRun

    feed = factory.SubFactory(FeedFactory)


class FeedEntryFactory(DjangoModelFactory):
    class Meta:
        model = FeedEntry

    feed = factory.SubFactory(FeedFactory)
    guid = factory.Sequence(lambda n: f"urn:example:item:{n}")
    source = factory.SubFactory(SourceFactory, origin=Source.Origin.FEED)


class TipGroupFactory(DjangoModelFactory):
    class Meta:
        model = TipGroup


class TipFactory(DjangoModelFactory):
    """A tip in a group of its own, in the tip's state (pass `group` to put tips together)."""

    class Meta:
        model = Tip

    group = factory.SubFactory(TipGroupFactory, state=factory.SelfAttribute("..state"))
    state = Tip.State.NEW
    text = factory.Sequence(lambda n: f"Someone on television said claim number {n}.")
    url = factory.Sequence(lambda n: f"https://video.example/clips/{n}")
    contact = factory.Sequence(lambda n: f"reader{n}@example.invalid")


class ErrorReportFactory(DjangoModelFactory):
    class Meta:
        model = ErrorReport

    claim = factory.SubFactory(ClaimFactory)
    text = factory.Sequence(lambda n: f"The date in paragraph {n} is wrong.")
    contact = factory.Sequence(lambda n: f"reader{n}@example.invalid")


ARTICLE_TEXT = (
    "TEHRAN — The foreign minister spoke to reporters on Monday.\n\n"
    "He said Iran has never supplied drones to Russia for the war in Ukraine.\n\n"
    "Other matters were discussed as well."
)


class ArticleFactory(SourceFactory):
    """An article imported from a feed, its text extracted."""

    origin = Source.Origin.FEED
    fetch_status = "done"
    text = ARTICLE_TEXT


class ArticleMatchFactory(DjangoModelFactory):
    """A suggestion on the article's second sentence (see ARTICLE_TEXT)."""

    class Meta:
        model = ArticleMatch

    source = factory.SubFactory(ArticleFactory)
    claim = factory.SubFactory(ClaimFactory)
    score = 2.5
    similarity = 0.6
    strength = "strong"
    sentence_start = factory.LazyAttribute(lambda o: o.source.text.find("He said"))
    sentence_end = factory.LazyAttribute(lambda o: o.source.text.find("Ukraine.") + len("Ukraine."))
    sentence = factory.LazyAttribute(lambda o: o.source.text[o.sentence_start : o.sentence_end])
