"""How alike two tips must be to be grouped: TIP_GROUP_THRESHOLD chosen on CLEF 2020 Task 2 train.

A tip is matched against the other open tips with the app's matcher (`Index`, documents of kind "tip")
and joins the group of the most alike when their similarity reaches the threshold (claims/tips.py). The
CLEF tweets stand in for tips: two tweets judged against the same verified claim ask about the same
thing. Each train tweet is matched against the other 799; its best match is a right grouping when the
two share their claim. For each threshold the table gives how many tweets would join a group, how many
of those groupings are right, and, among the tweets whose claim no other tweet shares (a tip about
something nobody else asked), how many would wrongly join one.

The threshold is the lowest similarity at which the groupings are right at least 90% of the time,
counted over at least 10 of them (fewer make the figure a coin toss), and at most 1% of the lone tweets
are grouped. Precision comes first: deciding a group decides its tips, so a tip grouped wrongly would be
answered with someone else's verdict unless a fact-checker takes it out (each tip is shown in its group,
and taking it out is one click), while a missed grouping costs one more row. Dev is reported, not used.

    .venv/bin/python bench/tip_grouping_eval.py [--data ../shared/data/clef2020-task2]
"""

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.matching import clef
from claims.matching.index import Document, Index
from claims.matching.text import clean

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clef2020-task2"
CLAIMS = "verified_claims.docs.tsv"
PRECISION = 0.90
MIN_GROUPINGS = 10
LONE_GROUPED = 0.01


def best_other_tweets(split: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per tweet: the similarity of its most alike other tweet, whether they share a claim, whether any
    other tweet shares its claim."""
    tweets = clef.read_queries(split / "tweets.queries.tsv")
    # The verified claims hold some claims twice (differing in their quotation marks): a claim is known
    # by its cleaned text, so two tweets judged against copies of one claim share it.
    claim_texts = {doc: clean(text).casefold() for doc, text in clef.read_claims(split.parent / CLAIMS)}
    qrels = {
        qid: {claim_texts.get(doc, doc) for doc in docs}
        for qid, docs in clef.read_qrels(split / "tweet-vclaim-pairs.qrels").items()
    }
    index = Index()
    index.add(Document(qid, text, kind="tip") for qid, text in tweets)
    asked_by: dict[str, int] = {}
    for qid, _text in tweets:
        for claim in qrels.get(qid, ()):
            asked_by[claim] = asked_by.get(claim, 0) + 1
    similarities, right, shared = [], [], []
    for qid, text in tweets:
        best = next((m for m in index.match(text, top=3, kinds=["tip"]) if str(m.doc_id) != qid), None)
        if best is None:
            continue
        similarities.append(best.similarity)
        right.append(bool(qrels.get(qid, set()) & qrels.get(str(best.doc_id), set())))
        shared.append(any(asked_by[claim] > 1 for claim in qrels.get(qid, ())))
    return np.array(similarities), np.array(right), np.array(shared)


def table(similarities: np.ndarray, right: np.ndarray, shared: np.ndarray, thresholds) -> None:
    print(f"  {len(similarities)} tweets, {int(shared.sum())} whose claim another tweet shares")
    print("  threshold  grouped (tweets)  right  of the groupable  lone tweets grouped")
    for t in thresholds:
        above = similarities >= t
        precision = right[above].mean() if above.any() else float("nan")
        recall = (above & right).sum() / max(shared.sum(), 1)
        lone = (similarities[~shared] >= t).mean()
        print(f"  {t:9.2f}  {above.mean():7.1%} ({above.sum():3d})  {precision:5.1%}  {recall:15.1%}  {lone:6.1%}")


def choose(similarities: np.ndarray, right: np.ndarray, shared: np.ndarray) -> float:
    for t in np.round(np.arange(0.30, 1.0, 0.01), 2):
        above = similarities >= t
        if above.sum() < MIN_GROUPINGS:
            break
        if right[above].mean() >= PRECISION and (similarities[~shared] >= t).mean() <= LONE_GROUPED:
            return float(t)
    return 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    train = best_other_tweets(args.data / "train")
    chosen = choose(*train)
    print("train:")
    table(*train, sorted({0.4, 0.45, 0.5, 0.52, 0.54, 0.56, 0.58, 0.6, 0.62, 0.65, 0.7, chosen}))
    print(f"chosen on train: TIP_GROUP_THRESHOLD = {chosen}")
    print("dev (reported only):")
    table(*best_other_tweets(args.data / "dev"), [chosen])


if __name__ == "__main__":
    main()
