"""Reading the CLEF 2020 CheckThat! Task 2 files and scoring a ranking against its relevance judgements.

Shared by `manage.py rank_claims`, the training script and the benchmark, so all three read the data and
count the figures the same way. Files are tab-separated with a header row; fields may be quoted.
"""

import csv
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

csv.field_size_limit(sys.maxsize)


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return [row for row in rows[1:] if row]


def read_claims(path: Path) -> list[tuple[str, str]]:
    """(id, text) per verified claim; the text is the claim followed by the fact-check's title."""
    claims = []
    for row in _rows(path):
        if len(row) < 2:
            raise ValueError(f"{path}: expected id, claim [, title]; got {row!r}")
        claims.append((row[0], " ".join(part for part in row[1:3] if part)))
    return claims


def read_queries(path: Path) -> list[tuple[str, str]]:
    queries = []
    for row in _rows(path):
        if len(row) < 2:
            raise ValueError(f"{path}: expected id, text; got {row!r}")
        queries.append((row[0], row[1]))
    return queries


def read_qrels(path: Path) -> dict[str, set[str]]:
    """Relevant document ids by query id, from `qid 0 docid relevance` lines."""
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4 and int(parts[3]) > 0:
            relevant[parts[0]].add(parts[2])
    return dict(relevant)


def average_precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k) if relevant else 0.0


def evaluate(rankings: dict[str, Sequence[str]], qrels: dict[str, set[str]]) -> dict[str, float]:
    """MAP@1, MAP@5, MRR and Recall@5 over the judged queries (a query with no ranking scores 0)."""
    judged = [q for q in qrels if qrels[q]]
    figures = {"MAP@1": 0.0, "MAP@5": 0.0, "MRR": 0.0, "Recall@5": 0.0}
    for qid in judged:
        ranked, relevant = list(rankings.get(qid, ())), qrels[qid]
        figures["MAP@1"] += average_precision(ranked, relevant, 1)
        figures["MAP@5"] += average_precision(ranked, relevant, 5)
        first = next((rank for rank, doc in enumerate(ranked, start=1) if doc in relevant), None)
        figures["MRR"] += 1 / first if first else 0.0
        figures["Recall@5"] += len(relevant & set(ranked[:5])) / len(relevant)
    return {name: value / max(len(judged), 1) for name, value in figures.items()}


def trec_lines(qid: str, ranked: Iterable[tuple[str, float]], tag: str) -> list[str]:
    return [f"{qid}\tQ0\t{doc}\t{rank}\t{score:.4f}\t{tag}" for rank, (doc, score) in enumerate(ranked, start=1)]
