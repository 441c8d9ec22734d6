"""The storage-backend interface behind ``ClauseIndex`` search, and the built-in FAISS + BM25 one.

A backend holds one row per chunk (``StoreRow``: ids, vector, lexical text, the document
metadata a filter needs) and answers three ranked searches, each restricted by a
``RowFilter`` *before* the top-k cut:

- ``dense(vector, k, flt)``: inner product over L2-normalised vectors;
- ``lexical(text, k, flt)``: BM25 over the row's lexical text (the backend tokenises it with
  ``IndexConfig.tokenizer``, so every backend sees the same tokens);
- ``hybrid(vector, text, k, flt, candidates, rrf_k)``: both lists fused by reciprocal rank.

``RowFilter`` is what a ``Scope`` becomes once resolved against the indexed documents'
metadata (``scope_filter``): exact region values, levels, a date range, named documents (with
the documents attached to them), so a backend can push it down (Milvus: a filter
expression; built-in: a row predicate). ``BuiltinBackend`` (FAISS ``DenseIndex`` + bm25s
``LexicalIndex``) is the reference implementation; ``index.milvus_store.MilvusBackend`` the
scale-out one.

Example:
    >>> from ingest.types import DocMeta
    >>> metas = {"yz#0": DocMeta("yz#0", "yz.txt", region="扬州市", level="市", date="2022-04-19"),
    ...          "gs#0": DocMeta("gs#0", "gs.txt", region="甘肃省", level="省")}
    >>> f = scope_filter(metas, Scope(regions=["扬州"]))
    >>> f.regions, sorted(d for d, m in metas.items() if f.matches(m.doc_id, m.region, m.level, m.date, ""))
    (('扬州市',), ['yz#0'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from index.fusion import rrf
from index.scope import doc_matches, region_matches
from index.types import Scope
from ingest.types import DocMeta

Ranked = list[tuple[str, float]]  # (chunk_id, score), best first


@dataclass(frozen=True)
class StoreRow:
    """One chunk as a backend stores it."""

    chunk_id: str
    doc_id: str
    vector: np.ndarray  # float32, L2-normalised
    text: str  # what BM25 sees (IndexConfig.lexical_field)
    region: str = ""
    level: str = ""
    date: str = ""
    kind: str = ""  # clause kind (header, preamble, closing, ...)
    parent_doc_id: str = ""
    fingerprint: str = ""  # the document's fingerprint (backends report it per document)
    seq: int = 0  # position of the chunk in its document


@dataclass(frozen=True)
class RowFilter:
    """A resolved scope. ``None`` = no condition on that field; an empty tuple matches nothing.

    A row passes when it passes every set condition; with ``doc_ids`` set, a row of a document
    attached to a named one (``parent_doc_id``) also passes, on the conditions other than region
    (as ``index.scope.scope_doc_ids``).
    """

    doc_ids: tuple[str, ...] | None = None
    regions: tuple[str, ...] | None = None  # exact stored region values
    levels: tuple[str, ...] | None = None
    date_from: str = ""  # ISO, inclusive; a row without a date fails a date condition
    date_to: str = ""
    restrict: tuple[str, ...] | None = None  # doc ids a condition no backend field holds resolved to

    def matches(self, doc_id: str, region: str, level: str, date: str, parent_doc_id: str) -> bool:
        """The reference semantics every backend's pushdown must reproduce."""
        base = ((self.levels is None or level in self.levels)
                and (not self.date_from or (bool(date) and date >= self.date_from))
                and (not self.date_to or (bool(date) and date <= self.date_to))
                and (self.restrict is None or doc_id in self.restrict))
        if not base:
            return False
        own = (self.regions is None or region in self.regions) and (self.doc_ids is None or doc_id in self.doc_ids)
        return own or (self.doc_ids is not None and bool(parent_doc_id) and parent_doc_id in self.doc_ids)


def scope_filter(metas: Mapping[str, DocMeta], scope: Scope | None) -> RowFilter | None:
    """The ``RowFilter`` of a scope (None: no filter), region forms resolved to the held values.

    A region named in short form (扬州) selects the stored region it designates (扬州市); a
    document-type filter (a title ending) has no backend field, so it resolves to doc ids.
    """
    if scope is None or scope.is_empty():
        return None
    regions = None
    if scope.regions:
        held = sorted({m.region for m in metas.values() if m.region})
        regions = tuple(r for r in held if any(region_matches(w, r) for w in scope.regions))
    restrict = None
    if scope.doc_types:
        types = Scope(doc_types=list(scope.doc_types))
        restrict = tuple(sorted(d for d, m in metas.items() if doc_matches(m, types)))
    return RowFilter(doc_ids=tuple(scope.doc_ids) if scope.doc_ids else None, regions=regions,
                     levels=tuple(scope.levels) if scope.levels else None, date_from=scope.date_from,
                     date_to=scope.date_to, restrict=restrict)


class SearchBackend(Protocol):
    """What ``BackendClauseIndex`` needs from a store of chunk rows."""

    def documents(self) -> dict[str, str]:
        """doc_id -> fingerprint of every document held."""
        ...

    def add(self, rows: Sequence[StoreRow]) -> None: ...

    def delete_documents(self, doc_ids: Iterable[str]) -> None: ...

    def count(self) -> int: ...

    def dense(self, vector: np.ndarray, k: int, flt: RowFilter | None = None) -> Ranked: ...

    def lexical(self, text: str, k: int, flt: RowFilter | None = None) -> Ranked: ...

    def hybrid(self, vector: np.ndarray, text: str, k: int, flt: RowFilter | None = None,
               candidates: int = 50, rrf_k: int = 60) -> Ranked: ...

    def close(self) -> None: ...


def fuse(dense: Ranked, lexical: Ranked, k: int, rrf_k: int) -> Ranked:
    """Client-side RRF of two ranked lists, exactly as ``ClauseIndex`` fuses them.

    >>> fuse([("a", 0.9), ("b", 0.8)], [("b", 7.0)], k=2, rrf_k=60)
    [('b', 0.03252247488101534), ('a', 0.01639344262295082)]
    """
    return rrf({"dense": [c for c, _ in dense], "lexical": [c for c, _ in lexical]}, k=rrf_k)[:k]


class BuiltinBackend:
    """FAISS (exact inner product) + bm25s over rows held in memory; filters as a row predicate."""

    def __init__(self, dim: int, tokenizer: str = "char", k1: float = 1.5, b: float = 0.75) -> None:
        self.dim, self.tokenizer, self.k1, self.b = dim, tokenizer, k1, b
        self._rows: list[StoreRow] = []
        self._dense = None
        self._lexical = None

    def documents(self) -> dict[str, str]:
        return {r.doc_id: r.fingerprint for r in self._rows}

    def add(self, rows: Sequence[StoreRow]) -> None:
        new = {r.chunk_id for r in rows}
        self._rows = [r for r in self._rows if r.chunk_id not in new] + list(rows)
        self._dense = self._lexical = None

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        drop = set(doc_ids)
        self._rows = [r for r in self._rows if r.doc_id not in drop]
        self._dense = self._lexical = None

    def count(self) -> int:
        return len(self._rows)

    def _allowed(self, flt: RowFilter | None) -> np.ndarray | None:
        if flt is None:
            return None
        return np.array([i for i, r in enumerate(self._rows)
                         if flt.matches(r.doc_id, r.region, r.level, r.date, r.parent_doc_id)], dtype=np.int64)

    def dense(self, vector: np.ndarray, k: int, flt: RowFilter | None = None) -> Ranked:
        from index.dense import DenseIndex, DenseParams

        if self._dense is None:
            vecs = np.stack([r.vector for r in self._rows]) if self._rows else np.zeros((0, self.dim), np.float32)
            self._dense = DenseIndex.from_vectors(vecs, DenseParams(kind="flat"))  # exact: the reference ranking
        rows, scores = self._dense.search(vector, k, self._allowed(flt))
        return [(self._rows[int(r)].chunk_id, float(s)) for r, s in zip(rows, scores, strict=True)]

    def lexical(self, text: str, k: int, flt: RowFilter | None = None) -> Ranked:
        from index.lexical import LexicalIndex

        if self._lexical is None:
            self._lexical = LexicalIndex(self.tokenizer, self.k1, self.b).fit([r.text for r in self._rows])
        scores = self._lexical.scores(text)
        allowed = self._allowed(flt)
        pool = np.flatnonzero(scores > 0) if allowed is None else allowed[scores[allowed] > 0]
        top = pool[np.argsort(-scores[pool], kind="stable")[:k]]
        return [(self._rows[int(r)].chunk_id, float(scores[r])) for r in top]

    def hybrid(self, vector: np.ndarray, text: str, k: int, flt: RowFilter | None = None,
               candidates: int = 50, rrf_k: int = 60) -> Ranked:
        return fuse(self.dense(vector, candidates, flt), self.lexical(text, candidates, flt), k, rrf_k)

    def close(self) -> None:
        pass
