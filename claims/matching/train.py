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
4. Reference: per scorer, the mean and standard deviation of its raw scores over the claims, averaged
   over the train tweets. A corpus with few documents pools its own figures with `prior_documents` of
   these (index.standardise); the prior is the one with the best mean MRR over small corpora sampled from
   the claims (2, 5, 20 and 100 claims, drawn at random or the nearest the tweet; `small_corpus_figures`,
   which bench/matching_eval.py --small reports on dev). This step takes about a quarter of an hour.
"""

import argparse
import dataclasses
import itertools
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from claims.matching import clef
from claims.matching.embeddings import EmbeddingCache
from claims.matching.index import (
    FUSION_FILE,
    Document,
    Fusion,
    Index,
    Reference,
    Strength,
    query_units,
    similarity,
    standardise,
    top_positions,
)
from claims.matching.text import clean

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "clef2020-task2"
POOL = 100
SMALL_SIZES = (2, 5, 20, 100)  # claims on file in the sampled small corpora
PRIORS = (0, 10, 30, 100, 300, 1000)  # the prior_documents tried
SCORERS = ("bm25", "char", "embedding")


@dataclass
class Candidates:
    """Per query: candidate document ids, per scorer the (units by candidates) z-scores, and per scorer
    the mean and standard deviation of its raw scores over every document (for the reference)."""

    doc_ids: list[np.ndarray]
    z: dict[str, list[np.ndarray]]
    similarity: list[np.ndarray]
    qids: list[str]
    spread: dict[str, list[tuple[float, float]]]


def build_index(claims_tsv: Path, **kwargs) -> Index:
    index = Index(fusion=Fusion(dict.fromkeys(SCORERS, 1.0), 0.0, 0.0), **kwargs)
    index.add(Document(doc_id, text) for doc_id, text in clef.read_claims(claims_tsv))
    return index


def collect(index: Index, queries: list[tuple[str, str]], pool: int = POOL) -> Candidates:
    order = np.array([str(e.document.id) for e in index._assemble()])
    doc_ids, z, similarities, qids = [], {name: [] for name in index.scorers}, [], []
    spread: dict[str, list[tuple[float, float]]] = {name: [] for name in index.scorers}
    for qid, text in queries:
        units = query_units(text) or [""]
        raw_scores = [index.scores(unit) for unit in units]
        for scores in raw_scores:
            for name, raw in scores.items():
                spread[name].append((float(raw.mean()), float(raw.std())))
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
    return Candidates(doc_ids, z, similarities, qids, spread)


def matched_units(cands: Candidates, i: int) -> np.ndarray:
    """Per candidate, the unit it is matched on: the one most alike it (the first of equals), as in the index."""
    return cands.similarity[i].argmax(axis=0)


def fused_top(cands: Candidates, weights: dict[str, float], i: int) -> np.ndarray:
    units = matched_units(cands, i)
    total = sum(w * np.take_along_axis(cands.z[name][i], units[None, :], axis=0)[0] for name, w in weights.items() if w)
    if len(cands.similarity[i]) > 1:
        total = total * cands.similarity[i].max(axis=0)
    return total


def similarity_of_best_unit(cands: Candidates, i: int) -> np.ndarray:
    return cands.similarity[i].max(axis=0)


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
        units = matched_units(cands, i)
        columns = np.arange(len(units))
        stacked = np.stack([cands.z[name][i][units, columns] for name in names])  # scorers x candidates
        fused = grid @ stacked  # grid points x candidates
        if len(cands.similarity[i]) > 1:
            fused = fused * cands.similarity[i].max(axis=0)
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
        sims = similarity_of_best_unit(cands, i)
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


def reference(cands: Candidates) -> dict[str, Reference]:
    """Per scorer, the mean and standard deviation of its raw scores over the full corpus, averaged over
    the queries: what the z-scores of a corpus with few documents are shrunk towards."""
    return {
        name: Reference(mean=round(float(np.mean(means)), 4), std=round(float(np.mean(stds)), 4))
        for name, (means, stds) in ((name, zip(*pairs, strict=True)) for name, pairs in cands.spread.items())
    }


def small_corpora(
    others: list[str], relevant: set[str], size: int, rng: np.random.Generator
) -> tuple[list[str], list[str]]:
    """Two corpora of `size` claims in random order: one holding a true claim of the tweet and the first
    `size - 1` of `others`, one holding the first `size` of `others` (which hold no true claim, nor a copy
    of one: the same claim is on file more than once)."""
    with_true = [*others[: size - 1], sorted(relevant)[0]]
    without = others[:size]
    rng.shuffle(with_true)
    rng.shuffle(without)
    return with_true, without


def small_corpus_figures(
    documents: list[Document],
    queries: list[tuple[str, str]],
    qrels: dict[str, set[str]],
    fusions: dict[str, Fusion],
    sizes: Iterable[int] = SMALL_SIZES,
    seed: int = 0,
) -> dict[tuple[str, str, int], dict[str, float]]:
    """Each judged query against small corpora of `documents` (`small_corpora`), matched with `Index.match`
    under each fusion. The other claims are drawn at random, or are the ones the full index ranks nearest
    the query (a newsroom's claims share their subjects: the demo's two are both about drones).

    Per fusion, sampling and size: MRR and accuracy of the top match where a true claim is on file; how
    often the top match reaches suggest / strong there and how often it is then right; how often it reaches
    them where no true claim is on file (a false suggestion); and the true claim's mean similarity."""
    by_id = {str(d.id): d for d in documents}
    texts = {doc: clean(d.text).casefold() for doc, d in by_id.items()}
    embeddings = EmbeddingCache()
    first = next(iter(fusions.values()))
    full = Index(fusion=first, embeddings=embeddings)
    full.add(documents)
    sizes = list(sizes)
    tallies: dict[tuple[str, str, int], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    rng = np.random.default_rng(seed)
    for qid, text in queries:
        relevant = qrels.get(qid)
        if not relevant:
            continue
        true_texts = {texts[doc] for doc in relevant if doc in texts}
        drawn = {
            "random": rng.permutation(list(by_id))[: 3 * max(sizes)].tolist(),
            "nearest": [str(m.doc_id) for m in full.match(text, top=2 * max(sizes) + 10)],
        }
        samplings = {
            name: [doc for doc in candidates if doc not in relevant and texts[doc] not in true_texts]
            for name, candidates in drawn.items()
        }
        for sampling, others in samplings.items():
            for size in sizes:
                with_true, without = small_corpora(others, relevant, size, rng)
                for corpus, holds_true in ((with_true, True), (without, False)):
                    index = Index(fusion=first, embeddings=embeddings)
                    index.add(by_id[doc] for doc in corpus)
                    for label, fusion in fusions.items():
                        index.fusion = fusion
                        tally_match(
                            tallies[label, sampling, size], index.match(text, top=size), relevant, fusion, holds_true
                        )
    return {key: {name: float(np.mean(values)) for name, values in tally.items()} for key, tally in tallies.items()}


def tally_match(
    tally: dict[str, list[float]], matches: list, relevant: set[str], fusion: Fusion, holds_true: bool
) -> None:
    top = matches[0]
    if not holds_true:
        tally["false suggest"].append(top.strength != Strength.WEAK)
        tally["false strong"].append(top.strength == Strength.STRONG)
        return
    rank = next(r for r, m in enumerate(matches, start=1) if str(m.doc_id) in relevant)
    tally["MRR"].append(1 / rank)
    tally["accuracy"].append(rank == 1)
    tally["true similarity"].append(matches[rank - 1].similarity)
    for name in ("suggest", "strong"):
        reached = top.similarity >= getattr(fusion, name)
        tally[f"{name} reached"].append(reached)
        if reached:
            tally[f"{name} precision"].append(rank == 1)


def tune_prior(figures: dict[tuple[str, str, int], dict[str, float]], priors: Iterable[float]) -> float:
    """The prior with the best MRR over the small corpora, averaged over samplings and sizes; ties to the
    smaller."""
    by_prior = {
        prior: np.mean([f["MRR"] for (label, _, _), f in figures.items() if label == str(prior)]) for prior in priors
    }
    return max(by_prior, key=lambda prior: (round(float(by_prior[prior]), 4), -prior))


def print_small_corpus_figures(figures: dict[tuple[str, str, int], dict[str, float]]) -> None:
    columns = ("MRR", "accuracy", "suggest reached", "suggest precision", "false suggest",
               "strong reached", "strong precision", "false strong", "true similarity")  # fmt: skip
    print(f"  {'fusion':<26}{'others':<8}{'claims':>6}" + "".join(f"{c.replace(' ', '_'):>18}" for c in columns))
    for (label, sampling, size), values in sorted(figures.items(), key=lambda item: (item[0][1], item[0][2])):
        print(
            f"  {label:<26}{sampling:<8}{size:>6}" + "".join(f"{values.get(c, float('nan')):>18.4f}" for c in columns)
        )


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
    references = reference(cands)
    print(f"reference (mean, std of the raw scores over the claims): {references}")

    started = time.perf_counter()
    fusion = Fusion(weights, suggest, strong, references)
    documents = [Document(doc_id, text) for doc_id, text in clef.read_claims(args.data / "verified_claims.docs.tsv")]
    variants = {str(prior): dataclasses.replace(fusion, prior_documents=prior) for prior in PRIORS}
    figures = small_corpus_figures(documents, queries, qrels, variants)
    prior = tune_prior(figures, PRIORS)
    print(f"small corpora of {SMALL_SIZES} train claims, by prior_documents ({time.perf_counter() - started:.0f} s):")
    print_small_corpus_figures(figures)
    print(f"prior_documents {prior}: the best mean MRR over the small corpora")

    result = {
        "weights": weights,
        "thresholds": {"suggest": suggest, "strong": strong},
        "reference": {name: dataclasses.asdict(figures) for name, figures in references.items()},
        "prior_documents": prior,
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
