import json

import numpy as np
import pytest

from claims.matching.embeddings import EmbeddingCache
from claims.matching.index import FUSION_FILE, Document, Fusion, Index, Reference, Strength, default_fusion, standardise
from claims.matching.text import clean
from tests.matching.conftest import CLAIMS, FILLER


@pytest.fixture(scope="module")
def index():
    # One index (and one model load) for the module's read-only tests.
    built = Index()
    built.add(CLAIMS + FILLER)
    return built


def ids(matches):
    return [m.doc_id for m in matches]


def test_paraphrased_tweet_finds_its_claim_first(index):
    matches = index.match("BREAKING: Iran sends its drones to Russia for the war #Ukraine https://t.co/x")
    assert ids(matches)[0] == 1
    assert matches[0].score > matches[1].score


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Is it true that measles shots give kids autism?", 4),
        ("Paris to tear down the Eiffel Tower in 2025, officials say", 5),
        ("hot water kills covid!!", 6),
        ("Fuel prices went up 40% in January", 3),
    ],
)
def test_ranking_order_on_a_small_corpus(index, query, expected):
    assert ids(index.match(query, top=3))[0] == expected


def test_persian_query_matches_the_persian_quote(index):
    # Typed with Arabic yeh (ي) and without the zero-width non-joiner, as often on the web
    matches = index.match("وزیر خارجه: ما پهپادي براي جنگ اوكراين نفروخته ايم", kinds=["quote"])
    assert ids(matches)[0] == 8
    assert matches[0].kind == "quote"


def test_a_long_article_matches_on_its_best_sentence(index):
    article = (
        "The foreign ministry held its weekly briefing on Monday in Tehran, with journalists from many countries. "
        "The spokesperson talked about trade, the nuclear talks and the weather for a long while. "
        "Asked again, he said Iran has not sold any weapons or drones to be used in the war against Ukraine. "
        "He then took questions about a football match and the price of bread in the capital city. "
        "The briefing ended after an hour, and reporters left for lunch in the old town nearby."
    )
    best = index.match(article, top=1)[0]
    assert best.doc_id == 2
    assert (
        best.sentence
        == "Asked again, he said Iran has not sold any weapons or drones to be used in the war against Ukraine."
    )


def test_kinds_filter_and_empty_queries(index):
    assert {m.kind for m in index.match("drones Ukraine", kinds=["claim"])} == {"claim"}
    assert index.match("") == []
    assert index.match("https://t.co/abc pic.twitter.com/x") == []


def test_index_follows_documents_added_edited_and_removed():
    embedded = []

    def embed(texts):
        embedded.extend(texts)
        return np.ones((len(texts), 256), dtype=np.float32)

    index = Index(embeddings=EmbeddingCache(embed=embed))
    assert index.match("anything") == []
    index.add([Document(1, "The bridge over the river collapsed."), Document(2, "Bananas are berries.")])
    assert ids(index.match("bridge collapsed", top=1)) == [1]

    embedded.clear()
    assert index.update(Document(1, "The bridge over the river collapsed.")) is False  # same text: nothing to do
    assert embedded == []
    assert index.update(Document(1, "The dam on the river burst.")) is True
    assert embedded == ["The dam on the river burst."]  # only the edited document is embedded again
    assert ids(index.match("dam burst", top=1)) == [1]

    index.add([Document(3, "A new bridge opened in the north.")])
    assert ids(index.match("bridge", top=1)) == [3]
    assert index.remove("claim", 3) is True
    assert index.remove("claim", 3) is False
    assert 3 not in ids(index.match("bridge"))
    assert len(index) == 2


def test_embeddings_are_stored_once_per_text_and_survive_a_restart(tmp_path):
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return np.random.default_rng(len(calls)).standard_normal((len(texts), 256)).astype(np.float32)

    cache = EmbeddingCache(embed=embed)
    Index(embeddings=cache).add([Document(1, "One claim."), Document(2, "One claim."), Document(3, "Other.")])
    assert [len(c) for c in calls] == [2]  # two distinct texts
    cache.save(tmp_path / "vectors.npz")

    restored = EmbeddingCache.load(tmp_path / "vectors.npz", embed=embed)
    index = Index(embeddings=restored)
    index.add([Document(1, "One claim."), Document(3, "Other.")])
    index.match("claim")
    assert [len(c) for c in calls] == [2, 1]  # after the restart only the query was embedded
    assert len(restored.vectors) == 2  # and the query's vector was not kept

    rows = restored.to_rows()
    again = EmbeddingCache.from_rows(rows)
    assert all(np.array_equal(again.vectors[k], v) for k, v in restored.vectors.items())


def test_strength_follows_the_thresholds():
    fusion = Fusion({"bm25": 1.0}, suggest=0.5, strong=0.7)
    assert fusion.strength(0.7) is Strength.STRONG
    assert fusion.strength(0.69) is Strength.SUGGEST
    assert fusion.strength(0.49) is Strength.WEAK


def test_the_shipped_fusion_file_is_complete_and_ordered():
    data = json.loads(FUSION_FILE.read_text())
    assert set(data["weights"]) == {"bm25", "char", "embedding"}
    assert sum(data["weights"].values()) == pytest.approx(1.0)
    fusion = default_fusion()
    assert 0 < fusion.suggest < fusion.strong < 1


def test_strength_holds_on_a_small_index_as_on_a_large_one(index):
    same = index.match("Iran has supplied drones to Russia for the war in Ukraine!", top=1)[0]
    assert (same.doc_id, same.strength) == (1, Strength.STRONG)
    # "sells" is as near the denial (claim 2, "has not sold") as the supply claim: only the strength is asserted
    close = next(m for m in index.match("Iran sells drones", top=2) if m.doc_id == 1)
    assert close.strength is Strength.SUGGEST
    assert index.match("The moon is made of cheese", top=1)[0].strength is Strength.WEAK
    small = Index()
    small.add(CLAIMS[:2])
    assert (
        small.match("Iran has supplied drones to Russia for the war in Ukraine!", top=1)[0].strength is Strength.STRONG
    )


def test_tied_documents_rank_the_one_on_file_first():
    index = Index(embeddings=EmbeddingCache(embed=lambda texts: np.ones((len(texts), 256), np.float32)))
    index.add([Document(20, "Same claim twice."), Document(10, "Same claim twice."), Document(5, "Else.")])
    assert ids(index.match("same claim", top=2)) == [20, 10]


def test_queries_during_changes_see_one_consistent_index():
    import threading

    index = Index(embeddings=EmbeddingCache(embed=lambda texts: np.ones((len(texts), 256), np.float32)))
    index.add([Document(0, "The first claim on file about river floods.")])
    errors = []

    def edit():
        for i in range(1, 150):
            index.add([Document(i, f"Claim number {i} about river floods in town {i}.")])
            if i % 3 == 0:
                index.remove("claim", i - 1)

    def query():
        try:
            for _ in range(150):
                assert index.match("river floods", top=3)
        except Exception as exc:  # any failure in the thread fails the test
            errors.append(exc)

    threads = [threading.Thread(target=edit), threading.Thread(target=query)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


DRONE_CLAIM = Document(1, "Iran has supplied drones to Russia for use in the war in Ukraine.")
DENIAL_CLAIM = Document(2, "Iran has not sold and will not sell weapons or drones for use in the war against Ukraine.")
QUOTED_DENIAL = (
    '"We have not sold and will not sell any weapons and drones to be used in the war against Ukraine, and '
    'cooperation between Iran and Russia will continue without having anything to do with the Ukraine war," he '
    "said, answering claims by Western countries that Iran had sold drones and other military hardware to Russia "
    "for use against Ukraine."
)
ARTICLE = "\n".join(
    [
        "Sample: Iran's foreign minister denies selling drones for the war in Ukraine",
        "By Demo desk",
        "TEHRAN — Iran's Foreign Minister Hossein Amir Abdollahian told about 60 senior journalists attending a "
        "meeting of the Organization of Asia-Pacific News Agencies (OANA) in Tehran on Monday that his country had "
        "not supplied drones to Russia for the war in Ukraine.",
        QUOTED_DENIAL,
        'He added: "We have both received weapons from Russia and given weapons to Russia in the past, but not '
        'during the Ukraine conflict." Tehran and Moscow cooperate in a variety of ways, including in the defence '
        "sector, he said.",
        "The allegations were first made in July, when U.S. National Security Advisor Jake Sullivan said Washington "
        'had "information" that Iran was getting ready to give Russia "up to several hundred drones".',
    ]
)


def test_an_article_against_two_claims_is_matched_on_the_quoted_denial():
    # With two documents on file, every plain z-score is ±1: the sentence and the ranking must not hang on it.
    index = Index()
    index.add([DRONE_CLAIM, DENIAL_CLAIM])
    matches = index.match(ARTICLE)
    assert ids(matches) == [2, 1]  # the denial claim first: the article is the denial
    assert {m.sentence for m in matches} == {clean(QUOTED_DENIAL)}
    assert [m.strength for m in matches] == [Strength.STRONG, Strength.STRONG]


def test_an_articles_sentence_and_strength_for_a_claim_do_not_depend_on_the_others_on_file(index):
    small = Index()
    small.add([DRONE_CLAIM])
    large = Index()
    large.add([DRONE_CLAIM, DENIAL_CLAIM, *CLAIMS[2:], *FILLER])
    alone, among_others = small.match(ARTICLE, top=1)[0], next(m for m in large.match(ARTICLE) if m.doc_id == 1)
    assert alone.sentence == among_others.sentence == clean(QUOTED_DENIAL)
    assert alone.strength == among_others.strength


def test_with_few_documents_the_z_scores_lean_on_the_reference():
    scores = np.array([[1.0, 2.0]])
    assert standardise(scores).tolist() == [[-1.0, 1.0]]
    reference = Reference(mean=0.0, std=1.0)
    # two documents pooled with 20 of the reference's: both stand out above an ordinary document
    assert (standardise(scores, reference, prior_documents=20) > 0).all()
    many = np.random.default_rng(0).normal(5.0, 2.0, size=(1, 10_000))
    assert np.allclose(standardise(many, reference, prior_documents=20), standardise(many), atol=0.05)
