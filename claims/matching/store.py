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

from django.utils import timezone

from claims.matching.embeddings import DIMENSIONS, MODEL_CONFIG, EmbeddingCache, text_key
from claims.matching.generation import read_generation
from claims.matching.index import MAX_SENTENCES, Document, Index
from claims.matching.text import clean, sentence_spans
from claims.models import Claim, DocumentVector, ExternalFactCheck, Source

VECTOR_MODEL = f"wordllama-{MODEL_CONFIG}-{DIMENSIONS}"
# A claim saved in a transaction that committed after a later one may carry an older updated_at: re-read
# a little before the newest change seen (re-adding an unchanged text costs a hash, no model work).
LATE_COMMIT_MARGIN = timedelta(minutes=5)
LOOKUP_CHUNK = 500
# Another organisation's published fact-check (claims.models.ExternalFactCheck): a document beside the claims.
FACT_CHECK = "factcheck"
# A stored vector no document uses is kept this long: a process may be storing it for a text being saved.
UNUSED_VECTOR_GRACE = timedelta(days=1)


def matchable(claim_state: str, removed_at) -> bool:
    return removed_at is None and claim_state not in (Claim.State.DISMISSED, Claim.State.MERGED)


class ClaimIndex:
    """The process's `Index` of claims, refreshed when the generation in the database moves."""

    def __init__(self, *, embed=None):
        self.embed = embed  # tests may inject a stand-in for the model
        self._lock = threading.Lock()
        self.index: Index | None = None
        self.generation: int | None = None
        self.seen_until: datetime | None = None
        self.fact_checks_seen_until: datetime | None = None
        self.fact_check_ids: set[int] = set()

    def current(self) -> Index:
        generation = read_generation()  # read first: a change committed meanwhile is caught next time
        with self._lock:
            if self.index is None:
                self.index = Index(embeddings=EmbeddingCache(embed=self.embed))
                self._follow(Claim.all_objects.all())
                self._follow_fact_checks()
            elif generation != self.generation:
                changed = Claim.all_objects.all()
                if self.seen_until is not None:
                    changed = changed.filter(updated_at__gte=self.seen_until - LATE_COMMIT_MARGIN)
                self._follow(changed)
                self._follow_fact_checks()
            self.generation = generation
            return self.index

    def _follow(self, claims) -> None:
        rows = list(claims.values_list("pk", "text", "state", "removed_at", "updated_at"))
        live = [Document(id=pk, text=text) for pk, text, state, removed_at, _at in rows if matchable(state, removed_at)]
        for pk, _text, state, removed_at, _at in rows:
            if not matchable(state, removed_at):
                self.index.remove("claim", pk)
        load_vectors(self.index.embeddings, live)
        self.index.add(live)
        store_vectors(self.index.embeddings, live)
        self.index.embeddings.forget(keep=self.index.texts())  # old versions' vectors stay stored, not held
        newest = max((at for *_rest, at in rows), default=None)
        if newest is not None and (self.seen_until is None or newest > self.seen_until):
            self.seen_until = newest

    def _follow_fact_checks(self) -> None:
        """Other organisations' fact-checks (kind "factcheck"): those changed since the newest seen are
        added again, those deleted leave."""
        assert self.index is not None
        on_file = set(ExternalFactCheck.objects.values_list("pk", flat=True))
        for pk in self.fact_check_ids - on_file:
            self.index.remove(FACT_CHECK, pk)
        changed = ExternalFactCheck.objects.all()
        if self.fact_checks_seen_until is not None:
            changed = changed.filter(updated_at__gte=self.fact_checks_seen_until - LATE_COMMIT_MARGIN)
        rows = list(changed.values_list("pk", "claim_text", "updated_at"))
        documents = [Document(id=pk, text=text, kind=FACT_CHECK) for pk, text, _at in rows]
        load_vectors(self.index.embeddings, documents)
        self.index.add(documents)
        store_vectors(self.index.embeddings, documents)
        self.index.embeddings.forget(keep=self.index.texts())
        self.fact_check_ids = on_file
        newest = max((at for *_rest, at in rows), default=None)
        if newest is not None and (self.fact_checks_seen_until is None or newest > self.fact_checks_seen_until):
            self.fact_checks_seen_until = newest


def load_vectors(cache: EmbeddingCache, documents: Iterable[Document]) -> None:
    """Load the stored vectors of these documents' texts that the cache does not hold."""
    wanted = [key for key in {text_key(clean(d.text)) for d in documents} if key not in cache.vectors]
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        rows = DocumentVector.objects.filter(
            model=VECTOR_MODEL, text_hash__in=wanted[start : start + LOOKUP_CHUNK]
        ).values_list("text_hash", "vector")
        cache.vectors.update(EmbeddingCache.from_rows((key, bytes(vector)) for key, vector in rows).vectors)


def store_vectors(cache: EmbeddingCache, documents: Iterable[Document]) -> None:
    """Keep the vectors of these documents' texts that are not stored yet (another process may be storing
    the same ones: a conflict is ignored)."""
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


def delete_unused_vectors(*, now: datetime | None = None) -> int:
    """Delete the stored vectors that no document on file uses any more — an edited claim's old versions,
    a removed or dismissed claim's text, another model's vectors — once older than the grace period.
    The worker's maintenance sweep runs it; returns how many were deleted."""
    cutoff = (now or timezone.now()) - UNUSED_VECTOR_GRACE
    rows = Claim.all_objects.values_list("text", "state", "removed_at")
    used = {text_key(clean(text)) for text, state, removed_at in rows.iterator() if matchable(state, removed_at)}
    used |= {
        text_key(clean(text)) for text in ExternalFactCheck.objects.values_list("claim_text", flat=True).iterator()
    }
    stored = DocumentVector.objects.filter(created_at__lt=cutoff).values_list("pk", "model", "text_hash")
    unused = [pk for pk, model, key in stored.iterator() if model != VECTOR_MODEL or key not in used]
    for start in range(0, len(unused), LOOKUP_CHUNK):
        DocumentVector.objects.filter(pk__in=unused[start : start + LOOKUP_CHUNK]).delete()
    return len(unused)


# The imported articles a claim's workspace looks through for "possibly related": the most recent ones.
RECENT_ARTICLE_DAYS = 30
RECENT_ARTICLE_LIMIT = 200
IMPORTED_ORIGINS = (Source.Origin.FEED, Source.Origin.API)
ARTICLE = "article"


def article_sentence_id(source_id: int, start: int, end: int) -> str:
    return f"{source_id}:{start}:{end}"


def parse_article_sentence_id(doc_id: str | int) -> tuple[int, int, int]:
    source_id, start, end = (int(part) for part in str(doc_id).split(":"))
    return source_id, start, end


class ArticleIndex:
    """The sentences of the recent imported articles, each a document of kind "article", so that a claim's
    text finds the articles that speak to it and the sentence that does (the reverse of Incoming).

    Before each match the process reads the recent articles' ids and `updated_at` (one query) and indexes
    again only the articles that are new or changed; those gone out of the window, removed or emptied leave.
    Vectors stay in memory: sentences of articles come and go, so they are not stored.
    """

    def __init__(self, *, embed=None):
        self._embed = embed
        self._lock = threading.Lock()
        self.index: Index | None = None
        self.versions: dict[int, datetime] = {}
        self.sentence_ids: dict[int, list[str]] = {}

    def current(self) -> Index:
        cutoff = timezone.now() - timedelta(days=RECENT_ARTICLE_DAYS)
        recent = dict(
            Source.objects.filter(origin__in=IMPORTED_ORIGINS, created_at__gte=cutoff)
            .exclude(text="")
            .order_by("-created_at", "-pk")
            .values_list("pk", "updated_at")[:RECENT_ARTICLE_LIMIT]
        )
        with self._lock:
            if self.index is None:
                self.index = Index(embeddings=EmbeddingCache(embed=self._embed))
            changed = [pk for pk, at in recent.items() if self.versions.get(pk) != at]
            for pk in [pk for pk in self.versions if pk not in recent] + changed:
                for doc_id in self.sentence_ids.pop(pk, []):
                    self.index.remove(ARTICLE, doc_id)
            documents = []
            for pk, text in Source.objects.filter(pk__in=changed).values_list("pk", "text"):
                spans = sentence_spans(text)[:MAX_SENTENCES]
                ids = [article_sentence_id(pk, start, end) for start, end in spans]
                documents += [
                    Document(id=i, text=text[s:e], kind=ARTICLE) for i, (s, e) in zip(ids, spans, strict=True)
                ]
                self.sentence_ids[pk] = ids
            self.index.add(documents)
            self.index.embeddings.forget(keep=self.index.texts())
            self.versions = recent
            return self.index


_process_index = ClaimIndex()
_process_article_index = ArticleIndex()


def new_embedding_cache() -> EmbeddingCache:
    """An embedding cache for an index of other documents (the open tips), with the process's model."""
    return EmbeddingCache(embed=_process_index.embed)


def claim_index() -> Index:
    """The process's index of the claims on file, current with the database."""
    return _process_index.current()


def article_index() -> Index:
    """The process's index of the recent imported articles' sentences, current with the database."""
    return _process_article_index.current()


def reset_process_index(*, embed=None) -> None:
    """Forget the process's indexes (tests: a fresh database, or a stand-in for the model)."""
    global _process_index, _process_article_index
    _process_index = ClaimIndex(embed=embed)
    _process_article_index = ArticleIndex(embed=embed)
