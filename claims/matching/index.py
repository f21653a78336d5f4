"""The index of checkable documents and the fused match (docs/matching.md).

A checkable document is anything a new text can be matched against: a claim on file today, another
organisation's published fact-check later. It is known by (kind, id) and indexed by its text; a document
whose text has not changed is not re-processed when it is saved again.

`Index.match(text)` cleans the text; a long one (an article) is split into sentences and each sentence is
scored on its own, so an article matches on its best sentence and that sentence comes back with the match.
Each scorer's scores are standardised per query (z-scores over the documents on file, their mean and
spread shrunk towards reference figures measured on a full corpus while few documents are on file) and
summed with the weights in `fusion.json`, which `python -m claims.matching.train` tunes on the CLEF 2020
train split. A match's strength (strong, suggest, weak) reads its similarity instead — the mean of the
character n-gram and embedding cosines, 0 to 1 — because a z-score grows with the number of documents on
file and the thresholds must hold for a newsroom's first ten claims as for ten thousand. For the same
reason a long text's sentence for a document is the one most alike it, whatever else is on file.
"""

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from claims.matching.embeddings import EmbeddingCache, text_key
from claims.matching.scorers import BM25Scorer, CharNgramScorer, EmbeddingScorer
from claims.matching.text import clean, split_sentences

FUSION_FILE = Path(__file__).with_name("fusion.json")
# A text longer than this (or of more than LONG_TEXT_SENTENCES sentences) is matched sentence by sentence.
LONG_TEXT_CHARS = 400
LONG_TEXT_SENTENCES = 3
MAX_SENTENCES = 200  # an article longer than this is matched on its first 200 sentences


class Strength(StrEnum):
    STRONG = "strong"
    SUGGEST = "suggest"
    WEAK = "weak"


@dataclass(frozen=True)
class Document:
    id: str | int
    text: str
    kind: str = "claim"

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, str(self.id))


@dataclass(frozen=True)
class Match:
    doc_id: str | int
    kind: str
    score: float  # what the ranking is made on: the fused z-score (times the similarity for a long text)
    similarity: float  # 0-1: the mean of the character n-gram and embedding cosines, which strength reads
    sentence: str  # the part of the query that matched best (the whole text when it was short)
    strength: Strength


@dataclass(frozen=True)
class Reference:
    """A scorer's raw scores over a full corpus (CLEF train: per query, their mean and standard deviation
    over the 10,375 claims, averaged over the train tweets). With few documents on file the per-query
    figures are a poor estimate: they are shrunk towards these, as if `prior_documents` more were on file."""

    mean: float
    std: float


@dataclass(frozen=True)
class Fusion:
    weights: dict[str, float]
    suggest: float
    strong: float
    reference: dict[str, Reference] = field(default_factory=dict)
    prior_documents: float = 0.0

    @classmethod
    def from_file(cls, path: Path = FUSION_FILE) -> "Fusion":
        data = json.loads(path.read_text())
        return cls(
            weights=data["weights"],
            suggest=data["thresholds"]["suggest"],
            strong=data["thresholds"]["strong"],
            reference={name: Reference(**figures) for name, figures in data.get("reference", {}).items()},
            prior_documents=data.get("prior_documents", 0.0),
        )

    def standardise(self, name: str, scores: np.ndarray) -> np.ndarray:
        return standardise(scores, self.reference.get(name), self.prior_documents)

    def strength(self, similarity: float) -> Strength:
        if similarity >= self.strong:
            return Strength.STRONG
        return Strength.SUGGEST if similarity >= self.suggest else Strength.WEAK


@cache
def blas_controller() -> ThreadpoolController:
    return ThreadpoolController()


@cache
def default_fusion() -> Fusion:
    return Fusion.from_file()


@dataclass
class _Entry:
    document: Document
    version: str  # hash of the cleaned text
    states: dict[str, object] = field(default_factory=dict)


def standardise(scores: np.ndarray, reference: Reference | None = None, prior_documents: float = 0.0) -> np.ndarray:
    """z-scores along the last axis (per query), so scorers on different scales can be added.

    With a reference, the mean and variance are those of the documents on file pooled with
    `prior_documents` documents of the reference's: with two documents on file, every plain z-score is
    ±1 whatever the scores, so the vote of the heaviest scorer would decide alone; with thousands, the
    reference no longer counts.
    """
    mean = scores.mean(axis=-1, keepdims=True)
    variance = scores.var(axis=-1, keepdims=True)
    if reference is not None and prior_documents > 0:
        n = scores.shape[-1]
        mean = (n * mean + prior_documents * reference.mean) / (n + prior_documents)
        variance = (n * variance + prior_documents * reference.std**2) / (n + prior_documents)
    return (scores - mean) / np.maximum(np.sqrt(variance), 1e-6)


def similarity(scores: dict[str, np.ndarray]) -> np.ndarray:
    """How alike a text and each document are, on a scale that does not depend on how many documents are
    on file (unlike the z-scores): the mean of the cosines of the scorers that have one."""
    cosines = [scores[name] for name in ("char", "embedding") if name in scores]
    if not cosines:
        return np.zeros_like(next(iter(scores.values())))
    return np.clip(sum(cosines) / len(cosines), 0.0, 1.0)


def top_positions(scores: np.ndarray, top: int) -> np.ndarray:
    """The positions of the `top` highest scores, best first; a tie goes to the document on file first
    (the same claim is sometimes on file twice, and the older entry is the one people link to)."""
    top = min(top, len(scores))
    if top <= 0:
        return np.zeros(0, dtype=np.int64)
    cutoff = np.partition(scores, len(scores) - top)[len(scores) - top]
    candidates = np.flatnonzero(scores >= cutoff)
    return candidates[np.lexsort((candidates, -scores[candidates]))][:top]


def query_units(text: str) -> list[str]:
    """What a text is matched on: itself when short (a tweet, a claim), else its sentences — split before
    cleaning, which joins the lines, so that a title or a byline stays out of the sentence after it."""
    cleaned = clean(text)
    if not cleaned:
        return []
    if len(cleaned) <= LONG_TEXT_CHARS:
        return [cleaned]
    sentences = [unit for unit in (clean(sentence) for sentence in split_sentences(text)) if unit]
    if len(sentences) <= LONG_TEXT_SENTENCES and len(cleaned) <= 2 * LONG_TEXT_CHARS:
        return [cleaned]
    return sentences[:MAX_SENTENCES]


class Index:
    """Checkable documents in memory, followed one change at a time, matched by fused scores.

    Thread-safe: a change's costly part (cleaning, tokenising, embedding) runs outside the lock; storing
    it, re-assembling and answering a query hold it, so a query never sees one scorer re-assembled and
    another not.
    """

    def __init__(
        self,
        *,
        fusion: Fusion | None = None,
        embeddings: EmbeddingCache | None = None,
        scorers: Iterable[str] | None = None,
    ):
        self.fusion = fusion or default_fusion()
        self.embeddings = embeddings if embeddings is not None else EmbeddingCache()
        available = {
            "bm25": BM25Scorer,
            "char": CharNgramScorer,
            "embedding": lambda: EmbeddingScorer(self.embeddings),
        }
        wanted = list(scorers) if scorers is not None else [n for n, w in self.fusion.weights.items() if w]
        self.scorers = {name: available[name]() for name in wanted}
        self._entries: dict[tuple[str, str], _Entry] = {}
        self._order: list[_Entry] = []
        self._dirty = False
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._entries

    # --- Following the documents ---------------------------------------------------------------------

    def add(self, documents: Iterable[Document]) -> int:
        """Add or update documents; returns how many were (re)processed (an unchanged text is skipped)."""
        todo: dict[tuple[str, str], _Entry] = {}
        for document in documents:
            cleaned = clean(document.text)
            version = text_key(cleaned)
            current = self._entries.get(document.key)
            if current is not None and current.version == version:
                if current.document != document:
                    current.document = document
                continue
            todo[document.key] = _Entry(document, version, {"text": cleaned})
        if not todo:
            return 0
        texts = [entry.states["text"] for entry in todo.values()]
        for name, scorer in self.scorers.items():
            for entry, state in zip(todo.values(), scorer.prepare(texts), strict=True):
                entry.states[name] = state
        with self._lock:
            self._entries.update(todo)
            self._dirty = True
        return len(todo)

    def update(self, document: Document) -> bool:
        return bool(self.add([document]))

    def remove(self, kind: str, doc_id: str | int) -> bool:
        with self._lock:
            removed = self._entries.pop((kind, str(doc_id)), None) is not None
            self._dirty = self._dirty or removed
        return removed

    def texts(self) -> list[str]:
        """The cleaned texts on file (what the embedding cache must keep)."""
        return [entry.states["text"] for entry in self._entries.values()]

    def _assemble(self) -> list[_Entry]:
        with self._lock:
            if self._dirty:
                order = list(self._entries.values())
                for name, scorer in self.scorers.items():
                    scorer.assemble([entry.states[name] for entry in order])
                self._order, self._dirty = order, False
            return self._order

    # --- Matching ------------------------------------------------------------------------------------

    def scores(self, unit: str) -> dict[str, np.ndarray]:
        """Each scorer's raw scores of one cleaned text against every document, in assembly order."""
        self._assemble()
        # One query is a few small products: BLAS threads only contend with the other worker processes.
        with blas_controller().limit(limits=1, user_api="blas"):
            return {name: scorer.score(unit) for name, scorer in self.scorers.items()}

    def fused(self, units: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every document's fused score, the unit it was matched on (the one most alike it), and that
        unit's similarity to it."""
        with self._lock:
            return self._fused(units)

    def _fused(self, units: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        order = self._assemble()
        fused = np.zeros(len(order), dtype=np.float32)
        best_unit = np.zeros(len(order), dtype=np.int64)
        best_similarity = np.full(len(order), -1.0, dtype=np.float32)
        for u, unit in enumerate(units):
            scores = self.scores(unit)
            total = np.zeros(len(order), dtype=np.float32)
            for name, raw in scores.items():
                total += self.fusion.weights.get(name, 0.0) * self.fusion.standardise(name, raw)
            # A document is matched on the sentence most alike it (the first of equals), not on the one
            # where it stands out most from the others: that depends on what else is on file, and with
            # few documents one rare shared word is enough to stand out.
            alike = similarity(scores)
            better = alike > best_similarity
            fused[better], best_unit[better], best_similarity[better] = total[better], u, alike[better]
        if len(units) > 1:
            # Across sentences a z-score alone misleads (every sentence has some document it stands out
            # for): a document is ranked on how it stands out times how alike its sentence is.
            fused *= best_similarity
        return fused, best_unit, best_similarity

    def match(self, text: str, *, top: int = 10, kinds: Iterable[str] | None = None) -> list[Match]:
        """The documents that best match `text`, best first, each with its score, the matching sentence
        and its strength (strong / suggest / weak against the fusion's thresholds)."""
        units = query_units(text)
        with self._lock:
            order = self._assemble()
            if not units or not order:
                return []
            fused, unit_of, similarities = self._fused(units)
        if kinds is not None:
            allowed = set(kinds)
            fused = np.where([e.document.kind in allowed for e in order], fused, -np.inf)
        candidates = top_positions(fused, top)
        matches = []
        for position in candidates:
            if not np.isfinite(fused[position]):
                break
            entry, score = order[position], float(fused[position])
            matches.append(
                Match(
                    doc_id=entry.document.id,
                    kind=entry.document.kind,
                    score=round(score, 4),
                    similarity=round(float(similarities[position]), 4),
                    sentence=units[unit_of[position]],
                    strength=self.fusion.strength(float(similarities[position])),
                )
            )
        return matches
