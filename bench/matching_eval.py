"""Matcher evaluation: CLEF 2020 CheckThat! Task 2 dev split, and latency and memory at scale.

Prints, from one run on the dev split (dev is for reporting only: the weights and thresholds come from
train, `python -m claims.matching.train`):

- MAP@5, MAP@1, MRR and Recall@5 of each scorer alone (BM25, character n-grams, embeddings), of
  reciprocal-rank fusion of the three (k = 60, the baseline), and of the app's matcher (`Index.match`,
  the code path the app and `manage.py rank_claims` use);
- milliseconds per query (median and 95th percentile) for the matcher and for BM25 alone in the same run,
  and their ratio;
- the model's load time, the index's build time over the 10,375 verified claims (cold, then with every
  embedding cached as after a restart), the time to add one claim and answer the next query, and the
  process's peak memory.

    .venv/bin/python bench/matching_eval.py [--data ../shared/data/clef2020-task2]
    .venv/bin/python bench/matching_eval.py --scale [--sizes 100000 1000000] [--budget 900]
    .venv/bin/python bench/matching_eval.py --demo   # the thresholds on the demo feed's articles
    .venv/bin/python bench/matching_eval.py --small [--split dev]   # corpora of 2, 5, 20 and 100 claims

`--scale` builds synthetic documents (words of the verified claims drawn at random, 8 to 30 a document)
and times each scorer at each size: build, memory of its arrays, and per-query latency for 200 dev tweets.
At 1M only the lexical (BM25) and embedding scorers are measured, as docs/matching.md explains; the
embedding scorer at 1M gets random unit vectors (the search cost is the same; the embedding time is the
100k rate times ten). A size whose expected time exceeds --budget seconds is skipped, and said so.
`--small` samples, for each judged tweet of the split, corpora of 2, 5, 20 and 100 verified claims, one
holding its true claim and one not, and reports the top match's MRR and accuracy and the suggest / strong
thresholds' reach, precision and false-suggestion rate, for the shipped fusion and for plain per-query
z-scores (`claims.matching.train.small_corpus_figures`, which training uses on train to choose the prior).
Nothing here runs in CI.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from claims.matching import clef
from claims.matching.embeddings import DIMENSIONS, EmbeddingCache, load_model
from claims.matching.index import Document, Index, blas_controller, query_units, top_positions
from claims.matching.scorers import BM25Scorer, CharNgramScorer, EmbeddingScorer
from claims.matching.text import clean

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clef2020-task2"
RRF_K = 60
RRF_DEPTH = 1000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000


def figures_row(name: str, figures: dict[str, float]) -> str:
    return f"  {name:<28}" + "".join(f"{figures[k]:>10.4f}" for k in ("MAP@5", "MAP@1", "MRR", "Recall@5"))


def evaluate_dev(data: Path) -> None:
    started = time.perf_counter()
    load_model()
    print(f"model load (WordLlama, offline): {time.perf_counter() - started:.2f} s, peak memory {peak_mb():.0f} MB")

    documents = [Document(doc_id, text) for doc_id, text in clef.read_claims(data / "verified_claims.docs.tsv")]
    cache = EmbeddingCache()
    started = time.perf_counter()
    index = Index(embeddings=cache)
    index.add(documents)
    index.scores("warm up")
    cold = time.perf_counter() - started
    started = time.perf_counter()
    restarted = Index(embeddings=EmbeddingCache(dict(cache.vectors)))  # every vector already stored
    restarted.add(documents)
    restarted.scores("warm up")
    warm = time.perf_counter() - started
    del restarted
    print(
        f"index build, {len(documents)} claims: {cold:.1f} s cold, {warm:.1f} s with the embeddings stored; "
        f"peak memory {peak_mb():.0f} MB"
    )

    queries = clef.read_queries(data / "dev" / "tweets.queries.tsv")
    qrels = clef.read_qrels(data / "dev" / "tweet-vclaim-pairs.qrels")
    order = [str(entry.document.id) for entry in index._assemble()]
    runs: dict[str, dict[str, list[str]]] = {n: {} for n in ("bm25", "char", "embedding", "rrf", "matcher")}
    matcher_times, bm25_times, matcher_cpu, bm25_cpu = [], [], [], []
    bm25 = index.scorers["bm25"]
    for qid, text in queries:
        started, cpu = time.perf_counter(), time.process_time()
        matches = index.match(text, top=5)
        matcher_times.append(time.perf_counter() - started)
        matcher_cpu.append(time.process_time() - cpu)
        runs["matcher"][qid] = [str(m.doc_id) for m in matches]

        started, cpu = time.perf_counter(), time.process_time()
        units = query_units(text)
        bm25_top = top_positions(np.max([bm25.score(u) for u in units], axis=0), 5) if units else []
        bm25_times.append(time.perf_counter() - started)
        bm25_cpu.append(time.process_time() - cpu)

        rrf = np.zeros(len(order))
        for name, raw in index.scores(units[0] if units else "").items():
            ranked = top_positions(raw, RRF_DEPTH)
            runs[name][qid] = [order[i] for i in ranked[:5]]
            rrf[ranked] += 1 / (RRF_K + np.arange(1, len(ranked) + 1))
        runs["rrf"][qid] = [order[i] for i in top_positions(rrf, 5)]
        assert runs["bm25"][qid] == [order[i] for i in bm25_top] or len(units) > 1

    print(f"\nCLEF 2020 Task 2, dev split: {len(queries)} tweets, {len(documents)} verified claims")
    print(f"  {'':<28}" + "".join(f"{k:>10}" for k in ("MAP@5", "MAP@1", "MRR", "Recall@5")))
    labels = {
        "bm25": "BM25 alone",
        "char": "char 3-5-gram TF-IDF alone",
        "embedding": "WordLlama alone",
        "rrf": "reciprocal-rank fusion",
        "matcher": "the app's matcher",
    }
    for name, label in labels.items():
        print(figures_row(label, clef.evaluate(runs[name], qrels)))
    print("  (MRR over the top 5 returned)")

    for label, matcher, alone in (("wall", matcher_times, bm25_times), ("CPU", matcher_cpu, bm25_cpu)):
        m50, m95 = percentiles(matcher)
        b50, b95 = percentiles(alone)
        print(
            f"\nper query ({label} time): matcher {m50:.2f} ms median, {m95:.2f} ms p95; "
            f"BM25 alone {b50:.2f} ms, {b95:.2f} ms p95; ratio {m50 / b50:.1f}x median, {m95 / b95:.1f}x p95"
        )
    print(
        f"  (load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores)"
    )

    started = time.perf_counter()
    index.add([Document("new-1", "A newly filed claim about drones sold to Russia by Iran")])
    index.match("Iran sold drones to Russia")
    print(f"add one claim and answer the next query: {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"peak memory of the process: {peak_mb():.0f} MB")
    with contextlib.suppress(ImportError):
        reference_bm25s(data, documents, queries, qrels)


def reference_bm25s(data, documents, queries, qrels) -> None:
    """BM25 through bm25s (when installed) on the same tokens: as bm25s ranks (a word repeated in the
    query counts each time, ties in its own order), and with each query word once and ties to the document
    on file first, as the matcher's scorer does, which checks the scorer's formula."""
    import bm25s

    from claims.matching.text import tokens

    corpus = [tokens(clean(d.text)) for d in documents]
    retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    retriever.index(corpus, show_progress=False)
    native, same_ties = {}, {}
    for qid, text in queries:
        query = [w for w in tokens(clean(text)) if w] or ["_"]
        ids, _ = retriever.retrieve([query], k=5, show_progress=False)
        native[qid] = [str(documents[i].id) for i in ids[0]]
        scores = retriever.get_scores(list(dict.fromkeys(query)))
        same_ties[qid] = [str(documents[i].id) for i in top_positions(scores, 5)]
    print(figures_row("bm25s as it ranks", clef.evaluate(native, qrels)))
    print(figures_row("bm25s, words once, ties first", clef.evaluate(same_ties, qrels)))


# --- Scale -------------------------------------------------------------------------------------------


def synthetic_texts(words: list[str], n: int, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    vocab = np.array(words)
    lengths = rng.integers(8, 31, size=n)
    picks = rng.integers(0, len(vocab), size=int(lengths.sum()))
    out, at = [], 0
    for length in lengths:
        out.append(" ".join(vocab[picks[at : at + length]]))
        at += length
    return out


def array_mb(scorer) -> float:
    matrix = scorer._weights if hasattr(scorer, "_weights") else scorer._matrix
    if hasattr(matrix, "indptr"):
        return (matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes) / 2**20
    return matrix.nbytes / 2**20


def scale(data: Path, sizes: list[int], budget: float) -> None:
    claims = clef.read_claims(data / "verified_claims.docs.tsv")
    words = " ".join(text for _, text in claims).split()
    queries = [clean(text) for _, text in clef.read_queries(data / "dev" / "tweets.queries.tsv")][:200]
    rate: dict[str, float] = {}  # seconds per document to prepare, measured at the smallest size
    print("scale: synthetic documents; per-query latency over 200 dev tweets")
    print(f"  load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(
        f"  {'documents':>10} {'scorer':<10} {'build s':>9} {'arrays MB':>10} {'p50 ms':>8} {'p95 ms':>8}"
        f" {'CPU p50':>8} {'CPU p95':>8}"
    )
    for n in sizes:
        texts = synthetic_texts(words, n)
        scorers = [BM25Scorer(), EmbeddingScorer(EmbeddingCache())]
        if n <= 100_000:
            scorers.insert(1, CharNgramScorer())
        for scorer in scorers:
            random_vectors = scorer.name == "embedding" and n > 100_000
            expected = 0 if random_vectors else rate.get(scorer.name, 0) * n
            if expected > budget:
                print(f"  {n:>10} {scorer.name:<10} skipped: about {expected:.0f} s to build, over --budget {budget}")
                continue
            started = time.perf_counter()
            if random_vectors:
                rng = np.random.default_rng(1)
                states = rng.standard_normal((n, DIMENSIONS), dtype=np.float32)
                states /= np.linalg.norm(states, axis=1, keepdims=True)
                states = list(states)
                known = f"about {rate['embedding'] * n:.0f} s" if "embedding" in rate else "not timed in this run"
                note = f" (vectors random; embedding them: {known})"
            else:
                states = scorer.prepare(texts)
                rate[scorer.name] = (time.perf_counter() - started) / n
                note = ""
            scorer.assemble(states)
            del states
            built = time.perf_counter() - started
            samples, cpu = [], []
            with blas_controller().limit(limits=1, user_api="blas"):
                for query in queries:
                    begun, begun_cpu = time.perf_counter(), time.process_time()
                    top_positions(scorer.score(query), 5)
                    samples.append(time.perf_counter() - begun)
                    cpu.append(time.process_time() - begun_cpu)
            p50, p95 = percentiles(samples)
            c50, c95 = percentiles(cpu)
            print(
                f"  {n:>10} {scorer.name:<10} {built:>9.1f} {array_mb(scorer):>10.0f} {p50:>8.2f} {p95:>8.2f}"
                f" {c50:>8.2f} {c95:>8.2f}{note}"
            )
        print(f"  peak memory of the process so far: {peak_mb():.0f} MB")
        del texts, scorers


def demo_feed(data: Path) -> None:
    """The thresholds checked on the demo feed: its three articles against the demo's two claims, filed
    among the 10,375 CLEF claims (none of which is about the demo's subject)."""
    import re

    import trafilatura

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from claims.demo import CLAIM_A, CLAIM_B

    index = Index()
    index.add([Document("demo-A", CLAIM_A.text), Document("demo-B", CLAIM_B.text)])
    index.add(Document(doc_id, text) for doc_id, text in clef.read_claims(data / "verified_claims.docs.tsv"))
    fusion = index.fusion
    print(f"demo feed: thresholds suggest {fusion.suggest}, strong {fusion.strong} (similarity of the top match)")
    feed = Path(__file__).resolve().parent.parent / "static" / "demo-feed"
    for page in sorted(feed.glob("article-*.html")):
        text = trafilatura.extract(page.read_text(encoding="utf-8")) or ""
        title = re.search(r"<title>([^<]*)", page.read_text(encoding="utf-8"))
        print(f"\n{page.name}: {title.group(1) if title else ''} ({len(text)} characters)")
        for match in index.match(text, top=4):
            print(f"  {match.strength:<8} {match.similarity:.2f}  {match.doc_id:<7} on: {match.sentence[:90]}")


def small_corpora(data: Path, split: str) -> None:
    import dataclasses

    from claims.matching.index import default_fusion
    from claims.matching.train import print_small_corpus_figures, small_corpus_figures

    shipped = default_fusion()
    fusions = {
        f"shipped (prior {shipped.prior_documents:g})": shipped,
        "per-query z-scores only": dataclasses.replace(shipped, prior_documents=0),
    }
    documents = [Document(doc_id, text) for doc_id, text in clef.read_claims(data / "verified_claims.docs.tsv")]
    queries = clef.read_queries(data / split / "tweets.queries.tsv")
    qrels = clef.read_qrels(data / split / "tweet-vclaim-pairs.qrels")
    started = time.perf_counter()
    figures = small_corpus_figures(documents, queries, qrels, fusions)
    print(f"small corpora sampled from the verified claims, {split} tweets ({time.perf_counter() - started:.0f} s):")
    print_small_corpus_figures(figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--scale", action="store_true", help="latency and memory on synthetic documents")
    parser.add_argument("--demo", action="store_true", help="the demo feed's articles and their matches")
    parser.add_argument("--small", action="store_true", help="the matcher on corpora of 2 to 100 claims")
    parser.add_argument("--split", default="dev", choices=["dev", "train"], help="the tweets for --small")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--budget", type=float, default=900.0, help="seconds one scorer may take to build")
    args = parser.parse_args()
    if args.scale:
        scale(args.data, args.sizes, args.budget)
    elif args.demo:
        demo_feed(args.data)
    elif args.small:
        small_corpora(args.data, args.split)
    else:
        evaluate_dev(args.data)


if __name__ == "__main__":
    main()
