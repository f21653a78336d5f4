"""The three scorers the matcher fuses. Each one scores a query against every document on file.

Each scorer splits its work in two, so the index can follow documents one at a time:

- `prepare(texts)` does the costly per-document work once per document version (tokenising and stemming,
  hashing character n-grams, embedding) and returns one state per text;
- `assemble(states)` lays the states of the documents on file into the arrays a query reads (a sparse
  matrix per lexical scorer, a dense matrix of vectors) and computes the collection statistics (idf,
  average length). It is linear in the index's size, with no per-document model work: about 30 ms at 10k
  documents, so the index re-assembles after a batch of changes instead of recomputing anything.
- `score(query_text)` returns one float per document, in the order the states were assembled.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from claims.matching.embeddings import DIMENSIONS, EmbeddingCache
from claims.matching.text import tokens


def _gather(matrix: sp.csc_matrix, columns: np.ndarray, weights: np.ndarray, n_rows: int) -> np.ndarray:
    """Σ_j weights[j] · matrix[:, columns[j]]: only the stored entries of those columns are read."""
    if not len(columns) or not n_rows:
        return np.zeros(n_rows, dtype=np.float32)
    return np.asarray(matrix[:, columns] @ weights, dtype=np.float32).ravel()


@dataclass(frozen=True)
class LexicalState:
    term_ids: np.ndarray
    counts: np.ndarray
    length: int


class BM25Scorer:
    """Okapi BM25 over stemmed words (Lucene's idf), with a vocabulary that only grows.

    Written on scipy.sparse rather than bm25s because bm25s builds its index in one go; the scores are
    the same formula (the benchmark checks it against bm25s where that is installed).
    """

    name = "bm25"

    def __init__(self, *, k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.vocabulary: dict[str, int] = {}
        self._weights = sp.csc_matrix((0, 0), dtype=np.float32)
        self._n = 0

    def _ids(self, words: list[str], *, grow: bool) -> np.ndarray:
        if grow:
            return np.array([self.vocabulary.setdefault(w, len(self.vocabulary)) for w in words], dtype=np.int64)
        return np.array([self.vocabulary[w] for w in words if w in self.vocabulary], dtype=np.int64)

    def prepare(self, texts: list[str]) -> list[LexicalState]:
        states = []
        for text in texts:
            words = tokens(text)
            ids, counts = np.unique(self._ids(words, grow=True), return_counts=True)
            states.append(LexicalState(ids, counts.astype(np.float32), len(words)))
        return states

    def assemble(self, states: list[LexicalState]) -> None:
        n, n_terms = len(states), len(self.vocabulary)
        self._n = n
        if not n:
            self._weights = sp.csc_matrix((0, n_terms), dtype=np.float32)
            return
        lengths = np.array([s.length for s in states], dtype=np.float32)
        per_doc = np.array([len(s.term_ids) for s in states])
        rows = np.repeat(np.arange(n), per_doc)
        cols = np.concatenate([s.term_ids for s in states])
        tf = np.concatenate([s.counts for s in states])
        df = np.bincount(cols, minlength=n_terms)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = self.k1 * (1 - self.b + self.b * lengths / max(lengths.mean(), 1.0))
        values = idf[cols] * tf * (self.k1 + 1) / (tf + norm[rows])
        self._weights = sp.csr_matrix((values, (rows, cols)), shape=(n, n_terms)).tocsc()

    def score(self, text: str) -> np.ndarray:
        ids = np.unique(self._ids(tokens(text), grow=False))
        ids = ids[ids < self._weights.shape[1]]
        return _gather(self._weights, ids, np.ones(len(ids), dtype=np.float32), self._n)


class CharNgramScorer:
    """Cosine similarity of character 3-5-gram TF-IDF vectors (sublinear tf, smooth idf), over the n-grams of
    the query that are in at most `max_df` of the documents (on CLEF train, 20% costs 0.001 MAP@5 and
    halves the time).

    The n-grams are hashed (scikit-learn's HashingVectorizer), so there is no vocabulary to refit when a
    document arrives; idf is recomputed from the stored counts at assembly.
    """

    name = "char"

    def __init__(self, *, ngram_range: tuple[int, int] = (3, 5), n_features: int = 2**21, max_df: float = 0.2):
        self.max_df = max_df
        self.vectorizer = HashingVectorizer(
            analyzer="char_wb", ngram_range=ngram_range, n_features=n_features,
            alternate_sign=False, norm=None, lowercase=True, dtype=np.float32,
        )  # fmt: skip
        self._matrix = sp.csc_matrix((0, n_features), dtype=np.float32)
        self._idf = np.ones(n_features, dtype=np.float32)
        self._common = np.zeros(n_features, dtype=bool)
        self._n = 0

    def _counts(self, texts: list[str]) -> sp.csr_matrix:
        matrix = self.vectorizer.transform(texts).tocsr()
        matrix.data = 1 + np.log(matrix.data)  # sublinear tf
        return matrix

    def prepare(self, texts: list[str]) -> list[LexicalState]:
        if not texts:
            return []
        matrix = self._counts(texts)
        ptr, indices, data = matrix.indptr, matrix.indices, matrix.data
        return [LexicalState(indices[ptr[i] : ptr[i + 1]], data[ptr[i] : ptr[i + 1]], 0) for i in range(len(texts))]

    def assemble(self, states: list[LexicalState]) -> None:
        n_features = self.vectorizer.n_features
        self._n = len(states)
        if not states:
            self._matrix = sp.csc_matrix((0, n_features), dtype=np.float32)
            return
        indptr = np.concatenate(([0], np.cumsum([len(s.term_ids) for s in states])))
        matrix = sp.csr_matrix(
            (np.concatenate([s.counts for s in states]), np.concatenate([s.term_ids for s in states]), indptr),
            shape=(self._n, n_features),
        )
        df = np.bincount(matrix.indices, minlength=n_features)
        self._idf = (np.log((1 + self._n) / (1 + df)) + 1).astype(np.float32)
        self._common = df > max(self.max_df * self._n, 50)
        matrix.data *= self._idf[matrix.indices]
        lengths = np.diff(indptr)
        squares = np.bincount(np.repeat(np.arange(self._n), lengths), weights=matrix.data**2, minlength=self._n)
        matrix.data *= np.repeat((1 / np.maximum(np.sqrt(squares), 1e-9)).astype(np.float32), lengths)
        self._matrix = matrix.tocsc()

    def score(self, text: str) -> np.ndarray:
        query = self._counts([text])
        weights = query.data * self._idf[query.indices]
        weights /= max(float(np.linalg.norm(weights)), 1e-9)
        # The n-grams in more than max_df of the documents (" th", "the") are most of the work of a query
        # and add least to its ranking: they are left out of the query, not the index (docs/matching.md).
        rare = ~self._common[query.indices]
        return _gather(self._matrix, query.indices[rare].astype(np.int64), weights[rare], self._n)


class EmbeddingScorer:
    """Cosine similarity of sentence embeddings (unit vectors from the shared EmbeddingCache)."""

    name = "embedding"

    def __init__(self, cache: EmbeddingCache | None = None):
        self.cache = cache if cache is not None else EmbeddingCache()
        self._matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)

    def prepare(self, texts: list[str]) -> list[np.ndarray]:
        return list(self.cache.embed(texts)) if texts else []

    def assemble(self, states: list[np.ndarray]) -> None:
        self._matrix = np.stack(states).astype(np.float32) if states else np.zeros((0, DIMENSIONS), np.float32)

    def score(self, text: str) -> np.ndarray:
        return self._matrix @ self.cache.embed([text], remember=False)[0]
