"""The app's index of claims: one per process, built at first use, kept current by a generation number.

Every process that matches (the web process, each worker) holds its own `Index` of the claims on file
(live, not dismissed or merged). The claim services raise `IndexGeneration` on commit (`bump_generation`); before
a match, a process reads that number (one query) and, when it differs from the one it last saw, re-reads
only the claims changed since (by `updated_at`, with a margin for transactions that committed late) and
adds or removes those: a claim edited in the web process is matched with its new text by the worker.

Embeddings are stored once per document version in `DocumentVector` (the SHA-256 of the cleaned text,
per model), so a restart or another process embeds nothing twice. See docs/matching.md.
"""

import threading
from collections.abc import Iterable
from datetime import datetime, timedelta

from claims.matching.embeddings import DIMENSIONS, MODEL_CONFIG, EmbeddingCache, text_key
from claims.matching.generation import read_generation
from claims.matching.index import Document, Index
from claims.matching.text import clean
from claims.models import Claim, DocumentVector

VECTOR_MODEL = f"wordllama-{MODEL_CONFIG}-{DIMENSIONS}"
# A claim saved in a transaction that committed after a later one may carry an older updated_at: re-read
# a little before the newest change seen (re-adding an unchanged text costs a hash, no model work).
LATE_COMMIT_MARGIN = timedelta(minutes=5)
LOOKUP_CHUNK = 500


def matchable(claim_state: str, removed_at) -> bool:
    return removed_at is None and claim_state not in (Claim.State.DISMISSED, Claim.State.MERGED)


class ClaimIndex:
    """The process's `Index` of claims, refreshed when the generation in the database moves."""

    def __init__(self, *, embed=None):
        self._embed = embed  # tests may inject a stand-in for the model
        self._lock = threading.Lock()
        self.index: Index | None = None
        self.generation: int | None = None
        self.seen_until: datetime | None = None

    def current(self) -> Index:
        generation = read_generation()  # read first: a change committed meanwhile is caught next time
        with self._lock:
            if self.index is None:
                self.index = Index(embeddings=EmbeddingCache(embed=self._embed))
                self._follow(Claim.all_objects.all())
            elif generation != self.generation:
                changed = Claim.all_objects.all()
                if self.seen_until is not None:
                    changed = changed.filter(updated_at__gte=self.seen_until - LATE_COMMIT_MARGIN)
                self._follow(changed)
            self.generation = generation
            return self.index

    def _follow(self, claims) -> None:
        rows = list(claims.values_list("pk", "text", "state", "removed_at", "updated_at"))
        live = [Document(id=pk, text=text) for pk, text, state, removed_at, _at in rows if matchable(state, removed_at)]
        for pk, _text, state, removed_at, _at in rows:
            if not matchable(state, removed_at):
                self.index.remove("claim", pk)
        self._load_vectors(live)
        self.index.add(live)
        self._store_vectors(live)
        self.index.embeddings.forget(keep=self.index.texts())  # old versions' vectors stay stored, not held
        newest = max((at for *_rest, at in rows), default=None)
        if newest is not None and (self.seen_until is None or newest > self.seen_until):
            self.seen_until = newest

    def _load_vectors(self, documents: Iterable[Document]) -> None:
        cache = self.index.embeddings
        wanted = [key for key in {text_key(clean(d.text)) for d in documents} if key not in cache.vectors]
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            rows = DocumentVector.objects.filter(
                model=VECTOR_MODEL, text_hash__in=wanted[start : start + LOOKUP_CHUNK]
            ).values_list("text_hash", "vector")
            cache.vectors.update(EmbeddingCache.from_rows((key, bytes(vector)) for key, vector in rows).vectors)

    def _store_vectors(self, documents: Iterable[Document]) -> None:
        """Keep the vectors of these documents' texts that are not stored yet (another process may be
        storing the same ones: a conflict is ignored)."""
        cache = self.index.embeddings
        keys = {text_key(clean(d.text)) for d in documents} & set(cache.vectors)
        if not keys:
            return
        stored = set()
        key_list = list(keys)
        for start in range(0, len(key_list), LOOKUP_CHUNK):
            stored.update(
                DocumentVector.objects.filter(
                    model=VECTOR_MODEL, text_hash__in=key_list[start : start + LOOKUP_CHUNK]
                ).values_list("text_hash", flat=True)
            )
        new = [
            DocumentVector(model=VECTOR_MODEL, text_hash=key, vector=cache.vectors[key].astype("float32").tobytes())
            for key in sorted(keys - stored)
        ]
        DocumentVector.objects.bulk_create(new, ignore_conflicts=True, batch_size=LOOKUP_CHUNK)


_process_index = ClaimIndex()


def claim_index() -> Index:
    """The process's index of the claims on file, current with the database."""
    return _process_index.current()


def reset_process_index(*, embed=None) -> None:
    """Forget the process's index (tests: a fresh database, or a stand-in for the model)."""
    global _process_index
    _process_index = ClaimIndex(embed=embed)
