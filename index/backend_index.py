"""``ClauseIndex`` searching through a ``SearchBackend`` (Milvus), and the store switch.

``BackendClauseIndex`` is a ``ClauseIndex`` (same documents, clauses, chunks, scope
understanding, ``retrieve`` / ``search`` / ``search_per_doc``, save / load of the index
folder) whose dense and BM25 rankings come from a backend, with the scope pushed down as a
``RowFilter``. The two lists are fused here with ``index.fusion.rrf`` exactly as the built-in
store fuses them (same ``rrf_k``, weights and structural list), so the rest of the product
cannot tell the stores apart. After every install (build, update, add, remove, load) the
backend is brought in line with the index: documents it holds with another fingerprint or no
longer indexed are deleted, missing ones inserted from the stored vectors (never re-embedded).

``store_class(uri, …)`` is the switch: ``""`` / ``"builtin"`` → ``ClauseIndex``;
``milvus:///path/x.db`` (or a path ending in ``.db``) → Milvus Lite in that file;
``http(s)://host:19530`` or ``milvus://host:19530`` → a Milvus server or cluster.

Example:
    >>> parse_store_uri("milvus:///var/lib/policyqa/chunks.db"), parse_store_uri("http://10.0.0.5:19530")
    (('milvus-lite', '/var/lib/policyqa/chunks.db'), ('milvus', 'http://10.0.0.5:19530'))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from index.backend import RowFilter, SearchBackend, StoreRow, scope_filter
from index.config import IndexConfig
from index.fusion import rrf
from index.milvus_store import MAX_TOPK
from index.store import ClauseIndex
from index.types import Embedder, Hit, IndexError_, Scope

STORE_FORMS = "'' or 'builtin' (FAISS + BM25 in the index folder), milvus:///path/x.db, http://host:19530"


def parse_store_uri(uri: str) -> tuple[str, str]:
    """(kind, target): kind is 'builtin', 'milvus-lite' (target: the .db path) or 'milvus' (target: URL)."""
    u = (uri or "").strip()
    if u in ("", "builtin", "faiss"):
        return "builtin", ""
    if u.startswith("milvus://"):
        rest = u[len("milvus://"):]
        if rest.endswith(".db"):
            return "milvus-lite", rest
        if rest:
            return "milvus", "http://" + rest
    elif u.startswith(("http://", "https://")):
        return "milvus", u
    elif u.endswith(".db"):
        return "milvus-lite", u
    raise ValueError(f"store {uri!r} is not understood; expected {STORE_FORMS}")


def open_backend(uri: str, embedder: Embedder, config: IndexConfig, token: str = "") -> SearchBackend | None:
    """The backend a store URI designates (None for the built-in store)."""
    kind, target = parse_store_uri(uri)
    if kind == "builtin":
        return None
    from index.milvus_store import MilvusBackend

    if kind == "milvus-lite":
        Path(target).expanduser().parent.mkdir(parents=True, exist_ok=True)
        target = str(Path(target).expanduser())
    return MilvusBackend(target, embedder.name, embedder.dim, config.tokenizer, config.lexical_field,
                         config.bm25_k1, config.bm25_b, token=token, hnsw_m=config.hnsw_m,
                         ef_search=config.hnsw_ef_search)


def store_class(uri: str, embedder: Embedder, config: IndexConfig, token: str = "") -> type[ClauseIndex]:
    """``ClauseIndex`` for the built-in store, else ``BackendClauseIndex`` bound to the opened backend."""
    backend = open_backend(uri, embedder, config, token)
    return ClauseIndex if backend is None else BackendClauseIndex.bound(backend)


class BackendClauseIndex(ClauseIndex):
    """A ``ClauseIndex`` whose rankings come from ``self.backend`` (filters pushed down)."""

    default_backend: SearchBackend | None = None  # set on the subclass ``bound`` returns

    def __init__(self, embedder: Embedder, config: IndexConfig | None = None, chunk_fn: Any = None,
                 backend: SearchBackend | None = None) -> None:
        super().__init__(embedder, config, chunk_fn)
        self.backend = backend or type(self).default_backend
        if self.backend is None:
            raise IndexError_("BackendClauseIndex needs a backend; open one with index.backend_index.open_backend")
        self._row_of: dict[str, int] = {}
        self.sync_report: dict[str, int] = {}

    @classmethod
    def bound(cls, backend: SearchBackend) -> type[BackendClauseIndex]:
        """A subclass whose instances (built, loaded or opened by ``open_or_build``) use ``backend``."""
        return type(f"{type(backend).__name__}ClauseIndex", (cls,), {"default_backend": backend})

    # ------------------------------------------------------------------ keeping the backend in line

    def _install(self, *args: Any, **kwargs: Any) -> None:
        super()._install(*args, **kwargs)
        self._row_of = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self.sync_backend()

    def sync_backend(self) -> dict[str, int]:
        """Delete what the backend holds that the index does not (or holds with another fingerprint),
        insert what it lacks. A document's first chunk (seq 0, which marks it as held) goes in last."""
        held = self.backend.documents()
        stale = [d for d, fp in held.items() if self.fingerprints.get(d) != fp]
        missing = [d for d in self.metas if held.get(d) != self.fingerprints[d] and self._doc_rows[d].size]
        if stale:
            self.backend.delete_documents(stale)
        rows: list[StoreRow] = []
        firsts: list[StoreRow] = []
        for d in missing:
            m = self.metas[d]
            for seq, r in enumerate(self._doc_rows[d]):
                ch = self.chunks[int(r)]
                row = StoreRow(chunk_id=ch.chunk_id, doc_id=d, vector=self._vectors[int(r)],
                               text=self._lexical_text(ch), region=m.region, level=m.level, date=m.date,
                               kind=self.clauses[ch.clause_id].kind, parent_doc_id=m.parent_doc_id,
                               fingerprint=self.fingerprints[d], seq=seq)
                (firsts if seq == 0 else rows).append(row)
        if rows or firsts:
            self.backend.add(rows + firsts)
        self.sync_report = {"deleted_documents": len(stale), "inserted_documents": len(missing),
                            "inserted_chunks": len(rows) + len(firsts)}
        return self.sync_report

    def manifest(self) -> dict[str, Any]:
        man = super().manifest()
        man["store"] = {"backend": type(self.backend).__name__, "uri": getattr(self.backend, "uri", ""),
                        "collection": getattr(self.backend, "collection", "")}
        return man

    # ------------------------------------------------------------------ searching

    def _backend_hits(self, query: str, flt: RowFilter | None, rows: np.ndarray | None, k: int,
                      candidates: int, structural: bool) -> list[Hit]:
        cfg = self.config
        qvec = self._query_vector(query)
        n = min(candidates, MAX_TOPK)
        dense = [(self._row_of[c], s) for c, s in self.backend.dense(qvec, n, flt) if c in self._row_of]
        lexical = [(self._row_of[c], s) for c, s in self.backend.lexical(query, n, flt) if c in self._row_of]
        lists = {"dense": [r for r, _ in dense], "lexical": [r for r, _ in lexical]}
        weights = {"dense": cfg.dense_weight, "lexical": cfg.lexical_weight}
        if structural and cfg.structure_weight > 0:
            lists["structure"] = self._structural_rows(rows)
            weights["structure"] = cfg.structure_weight
        dense_rank = {r: (i + 1, s) for i, (r, s) in enumerate(dense)}
        lex_rank = {r: (i + 1, s) for i, (r, s) in enumerate(lexical)}
        out = []
        for row, score in rrf(lists, k=cfg.rrf_k, weights=weights)[:k]:
            ch = self.chunks[row]
            dr, lr = dense_rank.get(row, (None, None)), lex_rank.get(row, (None, None))
            out.append(Hit(chunk=ch, clause=self.clauses[ch.clause_id], meta=self.metas[ch.doc_id], score=score,
                           dense_rank=dr[0], dense_score=dr[1], lexical_rank=lr[0], lexical_score=lr[1]))
        return out

    def _search(self, query: str, k: int, scope: Scope | None, structural: bool = False) -> list[Hit]:
        rows = self._rows(scope)
        if not self.chunks or (rows is not None and rows.size == 0) or k <= 0:
            return []
        return self._backend_hits(query, scope_filter(self.metas, scope), rows, k, self.config.candidates,
                                  structural)

    def _search_per_doc(self, query: str, k_per_doc: int, scope: Scope | None,
                        structural: bool = False) -> dict[str, list[Hit]]:
        docs = [d for d in self.docs_in_scope(scope) if self._doc_rows[d].size]
        if not docs or k_per_doc <= 0:
            return {}
        rows = np.concatenate([self._doc_rows[d] for d in docs])
        pooled = self._backend_hits(query, scope_filter(self.metas, scope), rows, len(rows), len(rows), False)
        first: dict[str, int] = {}
        for i, h in enumerate(pooled):
            first.setdefault(h.meta.doc_id, i)
        docs.sort(key=lambda d: first.get(d, len(pooled)))
        return {d: self._backend_hits(query, RowFilter(restrict=(d,)), self._doc_rows[d], k_per_doc,
                                      self.config.candidates, structural) for d in docs}
