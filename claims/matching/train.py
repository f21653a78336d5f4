"""Tune the fusion weights and the match thresholds on the CLEF 2020 Task 2 train split; write fusion.json.

    .venv/bin/python -m claims.matching.train [--data ../shared/data/clef2020-task2] [--write]

Only the train split is read: dev is for reporting (bench/matching_eval.py), never for choosing.

1. Every scorer scores every train tweet against the 10,375 verified claims once; the z-scores of each
   scorer's top 100 documents per tweet are cached (their union is the candidate pool), so trying a set of
   weights re-ranks a few hundred candidates per tweet and the whole search takes seconds.
2. Weights: a grid over the simplex (steps of 0.05), best MAP@5 on train, ties to the more even weights.
3. Thresholds on the similarity of the top match (the mean of its character n-gram and embedding
   cosines, which unlike the fused z-score does not grow with the size of the index). "strong": the
   lowest similarity at which the top match is right for at least 95% of train tweets, while at most 2%
   of the same tweets reach it once their true claim (and its copies) is masked out of the candidates
   (a tweet with nothing on file). "suggest": the same at 90% and 15%.
"""

import argparse
import itertools
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from claims.matching import clef
from claims.matching.index import (
    FUSION_FILE,
    Document,
    Fusion,
    Index,
    query_units,
    similarity,
    standardise,
    top_positions,
)

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "clef2020-task2"
POOL = 100
SCORERS = ("bm25", "char", "embedding")


@dataclass
class Candidates:
    """Per query: candidate document ids, and per scorer the (units by candidates) z-scores."""

    doc_ids: list[np.ndarray]
    z: dict[str, list[np.ndarray]]
    similarity: list[np.ndarray]
    qids: list[str]


def build_index(claims_tsv: Path, **kwargs) -> Index:
    index = Index(fusion=Fusion(dict.fromkeys(SCORERS, 1.0), 0.0, 0.0), **kwargs)
    index.add(Document(doc_id, text) for doc_id, text in clef.read_claims(claims_tsv))
    return index


def collect(index: Index, queries: list[tuple[str, str]], pool: int = POOL) -> Candidates:
    order = np.array([str(e.document.id) for e in index._assemble()])
    doc_ids, z, similarities, qids = [], {name: [] for name in index.scorers}, [], []
    for qid, text in queries:
        units = query_units(text) or [""]
        raw_scores = [index.scores(unit) for unit in units]
        per_unit = [{name: standardise(raw) for name, raw in scores.items()} for scores in raw_scores]
        pooled = set()
        for scores in per_unit:
            for values in scores.values():
                pooled.update(top_positions(values, pool).tolist())
        columns = np.array(sorted(pooled))
        doc_ids.append(order[columns])
        for name in index.scorers:
            z[name].append(np.stack([scores[name][columns] for scores in per_unit]))
        similarities.append(np.stack([similarity(scores)[columns] for scores in raw_scores]))
        qids.append(qid)
    return Candidates(doc_ids, z, similarities, qids)


def fused_top(cands: Candidates, weights: dict[str, float], i: int) -> np.ndarray:
    total = sum(w * cands.z[name][i] for name, w in weights.items() if w)
    return total.max(axis=0)


def similarity_of_best_unit(cands: Candidates, weights: dict[str, float], i: int) -> np.ndarray:
    total = sum(w * cands.z[name][i] for name, w in weights.items() if w)
    return np.take_along_axis(cands.similarity[i], total.argmax(axis=0)[None, :], axis=0)[0]


def rankings(cands: Candidates, weights: dict[str, float], k: int = 5) -> dict[str, list[str]]:
    out = {}
    for i, qid in enumerate(cands.qids):
        fused = fused_top(cands, weights, i)
        out[qid] = cands.doc_ids[i][np.argsort(-fused, kind="stable")[:k]].tolist()
    return out


def tune_weights(cands: Candidates, qrels: dict[str, set[str]], step: float = 0.05) -> tuple[dict, float]:
    """The weights (on a grid over the simplex) with the best MAP@5; every grid point scored at once."""
    names = list(cands.z)
    steps = round(1 / step)
    grid = np.array(
        [
            [p / steps for p in parts] + [(steps - sum(parts)) / steps]
            for parts in itertools.product(range(steps + 1), repeat=len(names) - 1)
            if sum(parts) <= steps
        ],
        dtype=np.float32,
    )
    totals = np.zeros(len(grid))
    judged = [i for i, qid in enumerate(cands.qids) if qrels.get(qid)]
    for i in judged:
        stacked = np.stack([cands.z[name][i] for name in names])  # scorers x units x candidates
        fused = np.einsum("ws,suc->wuc", grid, stacked).max(axis=1)  # grid points x candidates
        relevant = np.isin(cands.doc_ids[i], list(qrels[cands.qids[i]]))
        # stable order: a tie goes to the candidate on file first, as in the index
        top5 = np.argsort(-fused, axis=1, kind="stable")[:, :5]
        hits = relevant[top5]
        precision = np.cumsum(hits, axis=1) / np.arange(1, 6)
        totals += (precision * hits).sum(axis=1) / min(int(relevant.sum()) or 1, 5)
    scores = totals / max(len(judged), 1)
    # the best MAP@5; among equals, the most even weights
    best = max(range(len(grid)), key=lambda k: (round(float(scores[k]), 6), -float(grid[k].max())))
    return {name: round(float(w), 2) for name, w in zip(names, grid[best], strict=True)}, float(scores[best])


def top_scores(cands: Candidates, weights: dict[str, float], qrels: dict[str, set[str]], texts: dict[str, str]):
    """Per judged query: (the top match's similarity, whether it is right), and the similarity of the top
    match once the true claims are out (and their copies: the same claim is on file more than once)."""
    positives, negatives = [], []
    for i, qid in enumerate(cands.qids):
        if qid not in qrels:
            continue
        fused = fused_top(cands, weights, i)
        sims = similarity_of_best_unit(cands, weights, i)
        best = int(np.argmax(fused))
        positives.append((float(sims[best]), cands.doc_ids[i][best] in qrels[qid]))
        true_texts = {texts[doc] for doc in qrels[qid] if doc in texts}
        keep = np.array([doc not in qrels[qid] and texts.get(doc) not in true_texts for doc in cands.doc_ids[i]])
        negatives.append(float(sims[keep][np.argmax(fused[keep])]))
    return positives, np.array(negatives)


def threshold(positives, negatives, *, precision: float, false_rate: float) -> float:
    """The lowest score whose top matches are right ≥ `precision` and reached by ≤ `false_rate` negatives."""
    scores = np.array([s for s, _ in positives])
    right = np.array([r for _, r in positives])
    for t in np.round(np.arange(0.0, 1.0, 0.01), 2):
        above = scores >= t
        if not above.any():
            break
        if right[above].mean() >= precision and (negatives >= t).mean() <= false_rate:
            return float(t)
    return float(scores.max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--write", action="store_true", help=f"write the result to {FUSION_FILE.name}")
    args = parser.parse_args()

    started = time.perf_counter()
    index = build_index(args.data / "verified_claims.docs.tsv")
    queries = clef.read_queries(args.data / "train" / "tweets.queries.tsv")
    qrels = clef.read_qrels(args.data / "train" / "tweet-vclaim-pairs.qrels")
    cands = collect(index, queries)
    print(f"scored {len(queries)} train tweets in {time.perf_counter() - started:.1f} s")

    for name in cands.z:
        print(f"  {name:<10} alone: MAP@5 {clef.evaluate(rankings(cands, {name: 1.0}), qrels)['MAP@5']:.4f}")
    started = time.perf_counter()
    weights, train_map = tune_weights(cands, qrels)
    print(f"weights {weights}: train MAP@5 {train_map:.4f} (searched in {time.perf_counter() - started:.1f} s)")

    texts = {e.document.key[1]: e.states["text"].casefold() for e in index._assemble()}
    positives, negatives = top_scores(cands, weights, qrels, texts)
    suggest = threshold(positives, negatives, precision=0.90, false_rate=0.15)
    strong = threshold(positives, negatives, precision=0.95, false_rate=0.02)
    for name, t in (("suggest", suggest), ("strong", strong)):
        reached = [r for s, r in positives if s >= t]
        print(
            f"{name} ≥ {t}: reached by {len(reached) / len(positives):.0%} of train tweets, right for "
            f"{np.mean(reached):.0%} of those; {np.mean(negatives >= t):.1%} of tweets with no claim on file"
        )
    result = {
        "weights": weights,
        "thresholds": {"suggest": suggest, "strong": strong},
        "trained_on": "CLEF 2020 CheckThat! Task 2, train split (python -m claims.matching.train)",
        "train_map_at_5": round(train_map, 4),
    }
    if args.write:
        FUSION_FILE.write_text(json.dumps(result, indent=2) + "\n")
        print(f"written to {FUSION_FILE}")
    else:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
