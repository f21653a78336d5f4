"""Sentence embeddings from a model whose weights ship inside its wheel, and a cache keyed by text hash.

The model is WordLlama (`l2_supercat_256`: 256 dimensions, 16 MB of weights in the `wordllama` wheel):
a bag of token embeddings distilled from large language models, pooled — no PyTorch, no download, about
half a second to load. It is loaded once per process, on first use.

`EmbeddingCache` keeps one vector per distinct cleaned text, keyed by the text's SHA-256, so a document
version is embedded once. `vectors` is a plain dict: the app can persist it however suits it (`save` /
`load` write an .npz file; a database table of (hash, bytes) rows works the same way through
`to_rows` / `from_rows`).
"""

import hashlib
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np

MODEL_CONFIG = "l2_supercat"
DIMENSIONS = 256


@cache
def load_model():
    """WordLlama from the weights and tokenizer inside the installed package; never touches the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import wordllama
    from wordllama import WordLlama

    # The package looks for its bundled tokenizer in the wrong folder and would download it: pointing
    # cache_dir at the package itself finds both files (docs/matching.md).
    return WordLlama.load(
        config=MODEL_CONFIG, dim=DIMENSIONS, cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class EmbeddingCache:
    """Unit-length float32 vectors by text hash; computes the missing ones in one batch."""

    def __init__(self, vectors: dict[str, np.ndarray] | None = None, *, embed=None):
        self.vectors: dict[str, np.ndarray] = vectors if vectors is not None else {}
        self._embed = embed  # a function list[str] -> (n, d) array; the WordLlama model by default

    def embed(self, texts: list[str], *, remember: bool = True) -> np.ndarray:
        """Unit vectors for `texts`; those not cached are computed, and kept if `remember` (documents,
        not queries: a query's vector is not worth keeping)."""
        if self._embed is None:
            model = load_model()
            self._embed = lambda batch: model.embed(batch, norm=True)
        keys = [text_key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}
        if missing:
            vectors = np.asarray(self._embed(list(missing.values())), dtype=np.float32)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
            computed = dict(zip(missing, vectors, strict=True))
            if remember:
                self.vectors.update(computed)
        else:
            computed = {}
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([computed[k] if k in computed else self.vectors[k] for k in keys])

    def forget(self, keep: Iterable[str]) -> None:
        """Drop every vector whose text is not among `keep` (old document versions)."""
        wanted = {text_key(t) for t in keep}
        for key in [k for k in self.vectors if k not in wanted]:
            del self.vectors[key]

    def save(self, path: Path) -> None:
        keys = list(self.vectors)
        matrix = np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, DIMENSIONS), np.float32)
        np.savez(path, keys=np.array(keys, dtype="U64"), vectors=matrix.astype(np.float32))

    @classmethod
    def load(cls, path: Path, **kwargs) -> "EmbeddingCache":
        with np.load(path, allow_pickle=False) as data:
            return cls(dict(zip(data["keys"].tolist(), data["vectors"], strict=True)), **kwargs)

    def to_rows(self) -> list[tuple[str, bytes]]:
        return [(k, v.astype(np.float32).tobytes()) for k, v in self.vectors.items()]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, bytes]], **kwargs) -> "EmbeddingCache":
        return cls({k: np.frombuffer(b, dtype=np.float32) for k, b in rows}, **kwargs)
