"""Dense retrieval: L2-normalised passage vectors in FAISS (inner product = cosine), chosen by size.

- ``flat`` (``IndexFlatIP``, exact) below ``DenseParams.ann_threshold`` rows;
- ``ivf`` at or above it: ``nlist`` ≈ 2·√n coarse cells trained on a sample (40 vectors a
  cell) of the vectors present when it switched, ``nprobe`` cells searched. Codes are stored as
  8-bit scalar quantisation (``IndexIVFScalarQuantizer``, ``storage="sq8"``: 384 bytes a row
  instead of 1,536, so a million rows take 0.4 GB) or as fp32 (``storage="flat"``,
  ``IndexIVFFlat``; indexes saved before SQ8 load as they are). Chosen over
  HNSW by measurement on 2 cores (see the report of issue 13): it builds in seconds rather than
  minutes at 1M rows, costs 8 bytes a row instead of ~260, and appends cheaply. Its direct map
  lets stored vectors be read back (never stored twice);
- ``hnsw`` (``IndexHNSWFlat``) still loads (indexes saved by earlier versions) and can be asked for.

``add`` appends rows (an IVF keeps its trained cells; ``params.retrain_factor`` says how far
it may grow before a rebuild retrains). A search may be restricted to a set of rows so scope
filters apply before the top-k cut: a small set (≤ ``exact_rows``) is scored exactly from its
vectors, a larger one through an ``IDSelectorBatch`` (with more cells probed when too few hits
come back). Persisted with ``faiss.write_index`` (no pickle).

Example:
    >>> import numpy as np
    >>> d = DenseIndex.from_vectors(np.eye(3, dtype=np.float32))
    >>> d.search(np.array([0.0, 1.0, 0.0], dtype=np.float32), k=2)[0].tolist()
    [1, 0]
    >>> d.add(np.array([[0.0, 0.6, 0.8]], dtype=np.float32)); d.n, d.kind
    (4, 'flat')
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

KINDS = ("auto", "flat", "ivf", "hnsw")
STORAGES = ("sq8", "flat")
ADD_BATCH = 65536  # rows handed to FAISS at a time (bounds its temporary buffers)


@dataclass(frozen=True)
class DenseParams:
    """How the FAISS index is chosen and searched (typed defaults; ``IndexConfig`` carries them)."""

    kind: str = "auto"  # "auto": flat below ann_threshold rows, ivf at or above; or force one
    ann_threshold: int = 50000
    nprobe: int = 32  # IVF cells searched per query
    nlist: int = 0  # IVF cells; 0 = 2·√n at training time (at least 64)
    storage: str = "sq8"  # IVF codes: "sq8" (8-bit scalar quantiser) | "flat" (fp32)
    retrain_factor: float = 4.0  # a rebuild retrains the cells once n exceeds this × the trained size
    exact_rows: int = 20000  # a scoped search over at most this many rows is exact
    hnsw_m: int = 32
    hnsw_ef_search: int = 128

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"dense index kind is {self.kind!r}; expected one of {KINDS}")
        if self.storage not in STORAGES:
            raise ValueError(f"IVF storage is {self.storage!r}; expected one of {STORAGES}")

    def choose(self, n: int) -> str:
        """The index kind for ``n`` rows.

        >>> DenseParams(ann_threshold=1000).choose(999), DenseParams(ann_threshold=1000).choose(1000)
        ('flat', 'ivf')
        """
        if self.kind != "auto":
            return self.kind
        return "ivf" if n >= self.ann_threshold else "flat"

    def cells(self, n: int) -> int:
        return self.nlist or max(64, int(2 * math.sqrt(max(n, 1))))


class DenseIndex:
    def __init__(self, index: faiss.Index, dim: int, params: DenseParams | None = None,
                 trained_on: int = 0) -> None:
        self.index = index
        self.dim = dim
        self.params = params or DenseParams()
        self.trained_on = trained_on  # rows the IVF cells were trained on (0 for flat / hnsw)
        if isinstance(index, faiss.IndexIVF):
            index.nprobe = min(self.params.nprobe, index.nlist)
            if index.direct_map.type == faiss.DirectMap.NoMap:
                index.make_direct_map()
        elif isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = self.params.hnsw_ef_search

    @property
    def n(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        if isinstance(self.index, faiss.IndexIVF):
            return "ivf"
        return "hnsw" if isinstance(self.index, faiss.IndexHNSW) else "flat"

    def describe(self) -> dict[str, Any]:
        """What the manifest records: kind, size and the parameters in force."""
        d: dict[str, Any] = {"kind": self.kind, "rows": self.n, "dim": self.dim, "metric": "inner_product"}
        if self.kind == "ivf":
            d.update(nlist=int(self.index.nlist), nprobe=int(self.index.nprobe), trained_on=self.trained_on,
                     storage="sq8" if isinstance(self.index, faiss.IndexIVFScalarQuantizer) else "flat")
        elif self.kind == "hnsw":
            d.update(m=int(self.index.hnsw.nb_neighbors(1)), ef_search=int(self.index.hnsw.efSearch))
        d["params"] = asdict(self.params)
        return d

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, params: DenseParams | None = None,
                     like: DenseIndex | None = None) -> DenseIndex:
        """An index of the kind ``params`` chooses for this many rows. ``like``: an IVF whose
        trained cells are reused when it is still the right kind and not outgrown."""
        params = params or DenseParams()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"expected a 2-D array of vectors, got shape {vectors.shape}")
        n, dim = int(vectors.shape[0]), int(vectors.shape[1])
        kind = params.choose(n)
        trained_on = 0
        if kind == "ivf" and n == 0:
            kind = "flat"
        if kind == "ivf":
            if (like is not None and like.kind == "ivf" and like.dim == dim
                    and n <= params.retrain_factor * max(like.trained_on, 1)):
                index = faiss.clone_index(like.index)
                index.reset()
                trained_on = like.trained_on
            else:
                nlist = min(params.cells(n), n)
                index = _new_ivf(dim, nlist, params.storage)
                sample = vectors
                if n > nlist * 40:  # k-means on 40 points a cell (faiss warns below 39), 10 iterations
                    sample = vectors[np.random.default_rng(0).choice(n, nlist * 40, replace=False)]
                index.cp.niter = 10
                index.train(sample)
                trained_on = n
            index.make_direct_map()
        elif kind == "hnsw":
            index = faiss.IndexHNSWFlat(dim, params.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        else:
            index = faiss.IndexFlatIP(dim)
        for start in range(0, n, ADD_BATCH):
            index.add(vectors[start : start + ADD_BATCH])
        return cls(index, dim, params, trained_on)

    def add(self, vectors: np.ndarray) -> None:
        """Append rows ``n …`` (no rebuild; the caller decides when the size calls for another kind)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.size:
            if vectors.ndim != 2 or vectors.shape[1] != self.dim:
                raise ValueError(f"vectors of shape {vectors.shape} cannot be added to an index of dimension {self.dim}")
            self.index.add(vectors)

    def copy(self) -> DenseIndex:
        """An independent copy (FAISS ``clone_index``)."""
        return DenseIndex(faiss.clone_index(self.index), self.dim, self.params, self.trained_on)

    def outgrown(self) -> bool:
        """Does the current size call for another kind (or for retraining the IVF cells)?"""
        want = self.params.choose(self.n)
        if want != self.kind:
            return not (self.kind == "hnsw" and self.params.kind == "auto" and want == "ivf")
        return want == "ivf" and self.n > self.params.retrain_factor * max(self.trained_on, 1)

    def vectors(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Stored vectors (all, or of ``rows``), row order preserved."""
        if rows is None:
            if self.n == 0:
                return np.zeros((0, self.dim), dtype=np.float32)
            if self.kind == "flat":
                return faiss.rev_swig_ptr(self.index.get_xb(), self.n * self.dim).reshape(self.n, self.dim).copy()
            return self.index.reconstruct_n(0, self.n)
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.kind == "flat":
            return faiss.rev_swig_ptr(self.index.get_xb(), self.n * self.dim).reshape(self.n, self.dim)[rows]
        return self.index.reconstruct_batch(rows)

    def search(self, query: np.ndarray, k: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows (and inner products) for one query vector, optionally only among ``rows``."""
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if q.shape[1] != self.dim:
            raise ValueError(f"query vector has dimension {q.shape[1]}; the index holds dimension {self.dim}")
        empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if rows is not None:
            ids = np.asarray(rows, dtype=np.int64)
            if ids.size == 0 or k <= 0:
                return empty
            if ids.size <= self.params.exact_rows or self.kind == "flat":
                return _exact(self.vectors(ids), q[0], ids, k)
            return self._selected(q, k, ids)
        k = min(k, self.n)
        if k <= 0:
            return empty
        scores, idx = self.index.search(q, k)
        keep = idx[0] >= 0
        return idx[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def _selected(self, q: np.ndarray, k: int, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, int(ids.size))
        sel = faiss.IDSelectorBatch(ids)
        if self.kind == "hnsw":
            params: Any = faiss.SearchParametersHNSW(sel=sel, efSearch=max(self.index.hnsw.efSearch, k))
            scores, idx = self.index.search(q, k, params=params)
        else:
            nprobe = int(self.index.nprobe)
            while True:  # a scope that is thin in the probed cells: probe more cells
                scores, idx = self.index.search(q, k, params=faiss.SearchParametersIVF(sel=sel, nprobe=nprobe))
                if (idx[0] >= 0).sum() >= k or nprobe >= self.index.nlist:
                    break
                nprobe = min(nprobe * 4, int(self.index.nlist))
        keep = idx[0] >= 0
        return idx[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, params: DenseParams | None = None, trained_on: int = 0) -> DenseIndex:
        index = faiss.read_index(str(path))
        return cls(index, int(index.d), params, trained_on)


def _new_ivf(dim: int, nlist: int, storage: str) -> faiss.IndexIVF:
    """An untrained inner-product IVF with ``nlist`` cells and ``storage`` codes."""
    quantizer = faiss.IndexFlatIP(dim)
    if storage == "sq8":
        index = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT, False)  # codes of the vectors, not residuals
    else:
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    return index


def _exact(vectors: np.ndarray, q: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k of ``ids`` by inner product (ties: lower row first, as FAISS)."""
    scores = vectors @ q
    k = min(k, int(ids.size))
    top = np.argpartition(-scores, k - 1)[:k] if k < ids.size else np.arange(ids.size)
    order = top[np.lexsort((ids[top], -scores[top]))]
    return ids[order], scores[order].astype(np.float32)
