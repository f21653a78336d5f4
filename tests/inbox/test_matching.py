"""Imported articles matched against the claims on file: suggestions with their sentence, kept current."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims import inbox, services
from claims.inbox import source_match
from claims.matching import store
from claims.matching.embeddings import text_key
from claims.matching.generation import read_generation
from claims.matching.text import clean
from claims.models import ArticleMatch, Claim, DocumentVector, MatchState
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

DRONE_CLAIM = "Iran has supplied drones to Russia for use in the war in Ukraine."
ARTICLE = (
    "TEHRAN — Iran's foreign minister spoke to about 60 journalists at a meeting of news agencies on Monday. "
    "The meeting also discussed the state of the press in the region and the training of young reporters.\n\n"
    "He said that Tehran had not sent any drones to Moscow to be used in the fighting in Ukraine.\n\n"
    "The ministry later published a transcript of the meeting and photographs of the guests. "
    "The next meeting of the agencies will be held in Kuala Lumpur in the spring of next year."
)
PARAPHRASE = "He said that Tehran had not sent any drones to Moscow to be used in the fighting in Ukraine."
FILLER = [
    "The mayor raised taxes on small shops.",
    "A new study found microplastics in tap water.",
    "The central bank sold the national airline.",
    "The health ministry closed every public library.",
]


@pytest.fixture
def claims_on_file(factchecker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        drone = services.claim_create(by=factchecker, text=DRONE_CLAIM)
        for text in FILLER:
            services.claim_create(by=factchecker, text=text)
    return drone


def test_an_article_paraphrasing_a_claim_is_suggested_on_the_right_sentence(claims_on_file):
    article = ArticleFactory(text=ARTICLE)

    source_match(source=article)

    match = ArticleMatch.objects.get(source=article)
    assert match.claim == claims_on_file
    assert match.state == MatchState.UNDECIDED
    assert match.sentence == PARAPHRASE
    assert article.text[match.sentence_start : match.sentence_end] == PARAPHRASE
    assert match.similarity >= 0.37


def test_nothing_is_suggested_below_the_suggest_threshold(claims_on_file, settings):
    settings.MATCH_SUGGEST_THRESHOLD = 0.99
    article = ArticleFactory(text=ARTICLE)
    source_match(source=article)
    assert not ArticleMatch.objects.exists()


def test_a_dismissed_pair_is_never_suggested_again(claims_on_file, factchecker):
    article = ArticleFactory(text=ARTICLE)
    source_match(source=article)
    inbox.match_dismiss(match=ArticleMatch.objects.get(), by=factchecker)

    source_match(source=article)
    source_match(source=article)

    assert list(ArticleMatch.objects.values_list("state", flat=True)) == [MatchState.DISMISSED]
    assert inbox.undecided_count() == 0


def test_the_index_follows_an_edit_made_elsewhere(claims_on_file, factchecker, django_capture_on_commit_callbacks):
    article = ArticleFactory(text=ARTICLE)
    other = ClaimFactory(text="The price of petrol rose by 40 percent in January.")
    store.claim_index()  # this process has built its index; another process edits the claim

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_update(
            claim=other, by=factchecker, text="Tehran has sent drones to Moscow for the fighting in Ukraine."
        )
    source_match(source=article)

    assert ArticleMatch.objects.filter(claim=other).exists()


def test_removed_and_dismissed_claims_are_no_longer_matched(
    claims_on_file, factchecker, reviewer, django_capture_on_commit_callbacks
):
    article = ArticleFactory(text=ARTICLE)
    source_match(source=article)
    assert ArticleMatch.objects.filter(claim=claims_on_file).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.record_remove(record=claims_on_file, by=factchecker)
    source_match(source=article)

    assert not ArticleMatch.objects.filter(claim=claims_on_file).exists()
    assert ("claim", str(claims_on_file.pk)) not in store.claim_index()


def test_claim_writes_raise_the_generation_on_commit(factchecker, django_capture_on_commit_callbacks):
    before = read_generation()
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.claim_create(by=factchecker, text="A claim.")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_update(claim=claim, by=factchecker, text="A claim, edited.")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_remove(record=claim, by=factchecker)
    assert read_generation() == before + 3


def test_embeddings_are_stored_once_per_text_and_reused_by_a_new_process(claims_on_file):
    store.claim_index()
    stored = DocumentVector.objects.count()
    assert stored == Claim.objects.count()

    calls = []
    store.reset_process_index(embed=lambda texts: calls.append(texts) or [])
    store.claim_index()  # a restart: every claim's vector comes from the table

    assert calls == []
    assert DocumentVector.objects.count() == stored


def test_vectors_no_claim_uses_are_deleted_after_the_grace_period(
    claims_on_file, factchecker, django_capture_on_commit_callbacks, settings
):
    store.claim_index()
    filler = Claim.objects.exclude(pk=claims_on_file.pk).first()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_update(claim=claims_on_file, by=factchecker, text="Iran sold drones to Russia in 2022.")
        services.record_remove(record=filler, by=factchecker)
    store.claim_index()  # the edited text's vector is stored beside the old version's
    DocumentVector.objects.create(model="an-older-model", text_hash="0" * 64, vector=b"")
    assert DocumentVector.objects.count() == 7

    assert store.delete_unused_vectors() == 0  # within the grace period
    later = timezone.now() + store.UNUSED_VECTOR_GRACE + timedelta(minutes=1)
    assert store.delete_unused_vectors(now=later) == 3  # the old version, the removed claim, the other model

    live = {text_key(clean(claim.text)) for claim in Claim.objects.all()}
    assert set(DocumentVector.objects.values_list("text_hash", flat=True)) == live
    calls = []
    store.reset_process_index(embed=lambda texts: calls.append(texts) or [])
    store.claim_index()  # a restart still embeds nothing
    assert calls == []
    entry = settings.CELERY_BEAT_SCHEDULE["delete-unused-vectors"]  # the worker's daily sweep runs it
    assert entry == {"task": "claims.tasks.delete_unused_vectors", "schedule": 24 * 3600.0}


def test_a_sentence_is_located_in_text_with_quotation_marks():
    text = 'Intro sentence that is long enough.\n\n"We have not sold any drones," he said.\n\nThe end of it all.'
    start, end = inbox.locate_sentence(text, "We have not sold any drones, he said.")
    assert text[start:end] == '"We have not sold any drones," he said.'


def test_the_match_query_costs_one_generation_read_when_nothing_changed(claims_on_file, django_assert_num_queries):
    store.claim_index()
    with django_assert_num_queries(1):
        store.claim_index()
