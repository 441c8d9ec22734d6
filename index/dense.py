"""Dense retrieval: L2-normalised passage vectors in FAISS (inner product = cosine).

``IndexFlatIP`` (exact) below ``hnsw_threshold`` rows, ``IndexHNSWFlat`` (inner product) at
or above it. Searches can be restricted to a set of rows (an ``IDSelectorBatch``), so scope
filters apply before the top-k cut. Persisted with ``faiss.write_index`` (no pickle); the
vectors are recovered with ``reconstruct_n`` so an incremental update never re-embeds
unchanged documents.

Example:
    >>> import numpy as np
    >>> d = DenseIndex.from_vectors(np.eye(3, dtype=np.float32))
    >>> d.search(np.array([0.0, 1.0, 0.0], dtype=np.float32), k=2)[0].tolist()
    [1, 0]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np


class DenseIndex:
    def __init__(self, index: faiss.Index, dim: int) -> None:
        self.index = index
        self.dim = dim

    @property
    def n(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self.index, faiss.IndexHNSW) else "flat"

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, hnsw_threshold: int = 50000, hnsw_m: int = 32,
                     ef_search: int = 128) -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"expected a 2-D array of vectors, got shape {vectors.shape}")
        dim = int(vectors.shape[1])
        if vectors.shape[0] >= hnsw_threshold:
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = ef_search
        else:
            index = faiss.IndexFlatIP(dim)
        if vectors.shape[0]:
            index.add(vectors)
        return cls(index, dim)

    def vectors(self) -> np.ndarray:
        """All stored vectors, row order preserved."""
        if self.n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.index.reconstruct_n(0, self.n)

    def search(self, query: np.ndarray, k: int, rows: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows (and inner products) for one query vector, optionally only among ``rows``."""
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if q.shape[1] != self.dim:
            raise ValueError(f"query vector has dimension {q.shape[1]}; the index holds dimension {self.dim}")
        params = None
        if rows is not None:
            ids = np.fromiter(rows, dtype=np.int64)
            if ids.size == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            k = min(k, int(ids.size))
            sel = faiss.IDSelectorBatch(ids)
            if self.kind == "hnsw":
                params = faiss.SearchParametersHNSW(sel=sel, efSearch=max(self.index.hnsw.efSearch, k))
            else:
                params = faiss.SearchParameters(sel=sel)
        k = min(k, self.n)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, idx = self.index.search(q, k, params=params)
        keep = idx[0] >= 0
        return idx[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        index = faiss.read_index(str(path))
        return cls(index, int(index.d))
