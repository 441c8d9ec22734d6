"""The read side of ``ClauseIndex``: scopes, hybrid ranking, per-document search and ``retrieve``.

A mixin over the state ``index.store.ClauseIndex`` holds (documents, clauses, chunks, the dense
and lexical indexes); it writes nothing but its query cache. Costs grow with the
number of rows only where they must: BM25 sums the query terms' columns, the lexical top-n is
an ``argpartition``, a scope's rows are cached per scope, and per-document search ranks the
documents first and then ranks clauses only within the best ``config.per_doc_max_docs`` of them.

Example:
    >>> from index.fake import HashEmbedder  # doctest: +SKIP
    >>> idx = ClauseIndex.build(documents, HashEmbedder())  # doctest: +SKIP
    >>> list(idx.search_per_doc("科普基地认定", k_per_doc=2))[:2]  # doctest: +SKIP
    ['zj#0', 'sc#0']
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import numpy as np

from index.fusion import rrf_rows
from index.scope import scope_doc_ids
from index.types import Hit, IndexError_, Scope
from ingest.types import Clause

QUERY_CACHE_SIZE = 256  # query vectors kept per index (the embedder is fixed for an index's life)
SCOPE_CACHE_SIZE = 64
STRUCTURAL_KINDS = ("header", "preamble", "closing")


def top_rows(scores: np.ndarray, pool: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` rows of ``pool`` with the highest scores, best first (ties: pool order).

    >>> top_rows(np.array([0.1, 0.9, 0.5, 0.9]), np.array([0, 1, 2, 3]), 3).tolist()
    [1, 3, 2]
    """
    vals = scores[pool]
    if n < pool.size:
        part = np.argpartition(-vals, n - 1)[:n]
        part.sort()  # pool order among the chosen, so the stable sort below breaks ties as before
        return pool[part[np.argsort(-vals[part], kind="stable")]]
    return pool[np.argsort(-vals, kind="stable")]


def best_documents(ranked: list[str], scope: Scope | None, metas: dict, n: int) -> list[str]:
    """The first ``n`` of ``ranked`` doc ids, spread over the scope's regions when it names two or
    more (round-robin, best first within each region) so a comparison keeps every side; documents
    the scope names by id (no more than ``n``; more is a filter) always stay. Rank order is kept.

    >>> from ingest.types import DocMeta
    >>> metas = {d: DocMeta(d, d + ".txt", region=r) for d, r in
    ...          [("ah1", "安徽省"), ("ah2", "安徽省"), ("ah3", "安徽省"), ("ds1", "砀山县")]}
    >>> best_documents(["ah1", "ah2", "ah3", "ds1"], Scope(regions=["安徽省", "砀山县"]), metas, 2)
    ['ah1', 'ds1']
    >>> best_documents(["ah1", "ah2", "ah3", "ds1"], Scope(doc_ids=["ah1", "ah2", "ah3", "ds1"]), metas, 2)
    ['ah1', 'ds1']
    """
    from index.scope import region_matches

    named_ids = set(scope.doc_ids) if scope is not None and len(scope.doc_ids) <= n else set()  # else a filter
    keep = [d for d in ranked if d in named_ids]
    regions = list(scope.regions) if scope is not None else []
    if len(regions) >= 2:
        groups = [[d for d in ranked if region_matches(r, metas[d].region)] for r in regions]
        groups.append([d for d in ranked if not any(region_matches(r, metas[d].region) for r in regions)])
    elif scope is not None and len(scope.doc_ids) > n:  # a filter of named places' documents: every place keeps some
        by_region: dict[str, list[str]] = {}
        for d in ranked:
            by_region.setdefault(metas[d].region, []).append(d)
        groups = list(by_region.values())
    else:
        groups = []
    if groups:
        for i in range(max(len(g) for g in groups)):
            keep.extend(g[i] for g in groups if i < len(g))
    keep.extend(ranked)
    chosen = set(list(dict.fromkeys(keep))[: max(n, 0)])
    return [d for d in ranked if d in chosen]


class Ranking:
    """Query methods of ``ClauseIndex`` (see there for the state they read)."""

    def _reset_caches(self) -> None:
        self._qcache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._scope_cache: OrderedDict[str, np.ndarray | None] = OrderedDict()

    def doc_clauses(self, doc_id: str) -> list[Clause]:
        """Clauses of a document in reading order ([] for an unknown doc_id)."""
        return [self.clauses[c] for c in self._doc_clause_ids.get(doc_id, [])]

    def docs_in_scope(self, scope: Scope | None) -> list[str]:
        if scope is None or scope.is_empty():
            return list(self.metas)
        key = "docs:" + json.dumps(scope.to_dict(), sort_keys=True, ensure_ascii=False)
        if key not in self._scope_cache:  # cached with the scopes' rows (reset when the documents change)
            ok = scope_doc_ids(self.metas, scope)
            self._scope_cache[key] = [d for d in self.metas if ok is None or d in ok]  # type: ignore[assignment]
            while len(self._scope_cache) > SCOPE_CACHE_SIZE:
                self._scope_cache.popitem(last=False)
        return list(self._scope_cache[key])  # type: ignore[arg-type]

    def _rows(self, scope: Scope | None) -> np.ndarray | None:
        if scope is None or scope.is_empty():
            return None
        key = json.dumps(scope.to_dict(), sort_keys=True, ensure_ascii=False)
        if key in self._scope_cache:
            self._scope_cache.move_to_end(key)
            return self._scope_cache[key]
        ok = scope_doc_ids(self.metas, scope)
        if ok is None:
            rows = None
        else:
            parts = [self._doc_rows[d] for d in self.metas if d in ok]
            rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        self._scope_cache[key] = rows
        while len(self._scope_cache) > SCOPE_CACHE_SIZE:
            self._scope_cache.popitem(last=False)
        return rows

    def _query_vector(self, query: str) -> np.ndarray:
        """The query's vector, cached (the chatbot asks search and search_per_doc the same question)."""
        qvec = self._qcache.get(query)
        if qvec is None:
            out = np.asarray(self.embedder.encode_queries([query]), dtype=np.float32)
            if out.shape != (1, self.embedder.dim):
                raise IndexError_(f"embedder {self.embedder.name} returned a query vector of shape {out.shape}; "
                                  f"expected (1, {self.embedder.dim})")
            qvec = out[0]
            self._qcache[query] = qvec
            while len(self._qcache) > QUERY_CACHE_SIZE:
                self._qcache.popitem(last=False)
        else:
            self._qcache.move_to_end(query)
        return qvec

    def _query(self, query: str, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Query vector and BM25 scores of every row; of a scope's ``rows`` by their own statistics
        when they are a sliver of a large index (``IndexConfig.local_idf_*``)."""
        cfg, n = self.config, len(self.chunks)
        if (rows is not None and cfg.local_idf_min_rows > 0 and n >= cfg.local_idf_min_rows
                and rows.size <= cfg.local_idf_max_share * n):
            return self._query_vector(query), self._lexical.scores_within(query, rows)
        return self._query_vector(query), self._lexical.scores(query)

    def _ranked(self, qvec: np.ndarray, lex: np.ndarray, rows: np.ndarray | None, n: int,
                structural: bool = False, docs: list[str] | None = None,
                detail: bool = True) -> tuple[list[tuple[int, float]], dict, dict]:
        """Fused (row, score) list and the dense / lexical (rank, score) of each row (those two
        only with ``detail``; a document pool needs the order alone)."""
        cfg = self.config
        d_rows, d_scores = self._dense.search(qvec, n, rows)
        pool = np.flatnonzero(lex > 0) if rows is None else rows[lex[rows] > 0]
        l_rows = top_rows(lex, pool, n)
        dense_rank: dict = {}
        lex_rank: dict = {}
        if detail:
            dense_rank = {int(r): (i + 1, float(s)) for i, (r, s) in enumerate(zip(d_rows, d_scores, strict=True))}
            lex_rank = {int(r): (i + 1, float(lex[r])) for i, r in enumerate(l_rows)}
        lists: dict[str, Any] = {"dense": d_rows, "lexical": l_rows}
        weights = {"dense": cfg.dense_weight, "lexical": cfg.lexical_weight}
        if structural and cfg.structure_weight > 0:
            lists["structure"] = self._structural_rows(rows, docs)
            weights["structure"] = cfg.structure_weight
        fused_rows, fused_scores = rrf_rows(lists, k=cfg.rrf_k, weights=weights)
        return list(zip(fused_rows.tolist(), fused_scores.tolist(), strict=True)), dense_rank, lex_rank

    def _hits(self, qvec: np.ndarray, lex: np.ndarray, rows: np.ndarray | None, k: int,
              candidates: int | None = None, structural: bool = False, docs: list[str] | None = None) -> list[Hit]:
        fused, dense_rank, lex_rank = self._ranked(qvec, lex, rows, candidates or self.config.candidates,
                                                   structural, docs)
        out = []
        for row, score in fused[:k]:
            ch = self.chunks[row]
            dr = dense_rank.get(row, (None, None))
            lr = lex_rank.get(row, (None, None))
            out.append(Hit(chunk=ch, clause=self.clauses[ch.clause_id], meta=self.metas[ch.doc_id], score=score,
                           dense_rank=dr[0], dense_score=dr[1], lexical_rank=lr[0], lexical_score=lr[1]))
        return out

    def _structural_rows(self, rows: np.ndarray | None, docs: list[str] | None = None) -> list[int]:
        """Header / preamble / closing chunks (where 文号, issuer, date and basis are written), the
        first of each document first, then the second of each, … (of ``docs``, or of the documents
        whose rows are in ``rows``)."""
        if docs is None:
            if rows is None:
                docs = list(self._structural)
            else:
                allowed = set(rows.tolist())
                docs = [d for d, rs in self._structural.items() if rs and rs[0] in allowed]
        per_doc = [self._structural[d] for d in docs if self._structural.get(d)]
        out: list[int] = []
        for i in range(max((len(m) for m in per_doc), default=0)):
            out.extend(m[i] for m in per_doc if i < len(m))
        return out

    def search(self, query: str, k: int = 10, scope: Scope | None = None, structural: bool = False) -> list[Hit]:
        """Top-k chunks for the query terms among in-scope documents, fused by RRF (one hit per chunk).

        ``structural`` also ranks header / preamble / closing clauses (where 文号, issuer, date and
        basis are written). The index ranks the terms it is given; it never parses a question.
        """
        return self._search(query, k, scope, structural)

    def _search(self, query: str, k: int, scope: Scope | None, structural: bool = False) -> list[Hit]:
        rows = self._rows(scope)
        if not self.chunks or (rows is not None and rows.size == 0) or k <= 0:
            return []
        qvec, lex = self._query(query, rows)
        return self._hits(qvec, lex, rows, k, structural=structural)

    def search_per_doc(self, query: str, k_per_doc: int = 3, scope: Scope | None = None,
                       structural: bool = False) -> dict[str, list[Hit]]:
        """The best ``k_per_doc`` chunks of each in-scope document (ranks computed within each document),
        for the ``config.per_doc_max_docs`` documents whose best chunk ranks highest (all of them
        when the scope holds fewer).

        Documents are ordered by their best chunk in the pooled ranking, so the most relevant
        document comes first; each document's hits carry its own within-document ranks and scores.
        """
        return self._search_per_doc(query, k_per_doc, scope, structural)

    def _search_per_doc(self, query: str, k_per_doc: int, scope: Scope | None,
                        structural: bool = False) -> dict[str, list[Hit]]:
        docs = [d for d in self.docs_in_scope(scope) if self._doc_rows[d].size]
        if not docs or k_per_doc <= 0:
            return {}
        rows = self._rows(scope)
        qvec, lex = self._query(query, rows)
        n_rows = len(self.chunks) if rows is None else int(rows.size)
        max_docs = self.config.per_doc_max_docs
        # rank documents by their best chunk: every row when few, else a pool deep enough for max_docs documents
        depth = n_rows if (max_docs <= 0 or n_rows <= self.config.per_doc_pool) else self.config.per_doc_pool
        fused, _, _ = self._ranked(qvec, lex, rows, depth, detail=False)
        first: dict[str, int] = {}
        chunks = self.chunks
        for i, (row, _score) in enumerate(fused):
            first.setdefault(chunks[row].doc_id, i)
        docs.sort(key=lambda d: first.get(d, len(fused)))
        if 0 < max_docs < len(docs):
            docs = best_documents(docs, scope, self.metas, max_docs)
        return {d: self._hits(qvec, lex, self._doc_rows[d], k_per_doc, structural=structural, docs=[d])
                for d in docs}

    def retrieve(self, terms: str, k: int = 5, scope: Scope | None = None, per_doc: bool = False,
                 structural: bool = False) -> list[Hit]:
        """Terms, filters and k in; hits out. With ``per_doc`` the top-k of *each* in-scope document
        (of the best ``config.per_doc_max_docs``), interleaved rank by rank (best document first);
        otherwise the top-k of the pooled ranking within the scope.
        """
        use = None if scope is None or scope.is_empty() else scope
        if per_doc:
            docs = self._search_per_doc(terms, k, use, structural)
            out: list[Hit] = []
            for i in range(k):
                out.extend(hs[i] for hs in docs.values() if i < len(hs))
            return out
        return self._search(terms, k, use, structural)
