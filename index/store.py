"""``ClauseIndex``: hybrid clause retrieval (dense e5 + BM25, reciprocal rank fusion), scoped,
persisted and incrementally updated.

One row per chunk (``ingest.chunk.make_chunks``: one clause, or a sentence-aligned part of a
long one). Dense vectors live in FAISS (``index.dense``: exact below a size threshold, IVF
above it), BM25 in a sparse matrix (``index.lexical``); both rank only rows of in-scope
documents (the scope filter is applied before the top-k cut), and RRF fuses the two lists
(``index.ranking``). Files and atomic saving: ``index.persist``.

Growing: adding documents (``add``, or ``update`` when only new documents come) appends their
rows: only their chunks are embedded, FAISS gets their vectors appended and BM25 a new segment
(refit over everything only once the appended rows exceed ``config.bm25_refit_fraction`` of the
last fit); the dense index switches kind (flat → IVF) or retrains its cells only when the size
calls for it. Replacing or removing documents re-installs every row from the stored vectors and
chunks (still no re-embedding of untouched documents).

Example:
    >>> from index.fake import HashEmbedder  # doctest: +SKIP
    >>> idx = ClauseIndex.build(documents, HashEmbedder(), IndexConfig())  # doctest: +SKIP
    >>> [h.meta.region for h in idx.search("扬州市2025年公民具备科学素质的比例", k=3)]  # doctest: +SKIP
    ['扬州市', '扬州市', '砀山县']
"""

from __future__ import annotations

import copy
import gc
import hashlib
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.config import IndexConfig
from index.dense import DenseIndex
from index.lexical import LexicalIndex
from index.persist import FORMAT_VERSION, read_index, write_index
from index.ranking import QUERY_CACHE_SIZE, STRUCTURAL_KINDS, Ranking  # noqa: F401  (re-exported)
from index.types import Embedder, IndexError_
from ingest.types import Chunk, Clause, DocMeta, Document

__all__ = ["FORMAT_VERSION", "QUERY_CACHE_SIZE", "ChunkFn", "ClauseIndex", "clause_chunks", "corpus_files", "default_chunk_fn",
           "open_or_build", "settle"]

ChunkFn = Callable[[Document], list[Chunk]]
FREEZE_ROWS = 50_000  # an index at least this large is moved out of the cyclic GC's reach (``settle``)


def settle(n_rows: int) -> bool:
    """``gc.freeze()`` once an index of ``n_rows`` chunks is in memory, when it is large: its
    million-odd objects (clauses, chunks, their lists) then stay out of every later full
    collection, which otherwise walks them all (0.7 s CPU at 150k chunks, once every few answers,
    triggered by the answers' own caches). Frozen objects are still freed by reference counting;
    the index holds no reference cycles. Small indexes (tests, the bundled corpus) are left alone."""
    if n_rows < FREEZE_ROWS:
        return False
    gc.freeze()
    return True


def default_chunk_fn(ingest_config: Any = None) -> ChunkFn:
    """``ingest.chunk.make_chunks`` with the given (or default) ``IngestConfig``."""
    from ingest.chunk import make_chunks

    if ingest_config is None:
        from ingest.config import IngestConfig

        ingest_config = IngestConfig()
    return lambda doc: make_chunks(doc, ingest_config)


def clause_chunks(doc: Document) -> list[Chunk]:
    """One chunk per clause, embed text = title + heading chain + text (a simple chunk_fn for tests).

    >>> from ingest.types import Clause, DocMeta
    >>> d = Document(DocMeta("yz#0", "yz.txt", title="扬州市全民科学素质行动实施方案"),
    ...              [Clause("yz#0/一、", "yz#0", "yz.txt", "一、", ["一、前言"], "科学素质是国民素质的重要组成部分。")])
    >>> clause_chunks(d)[0].embed_text
    '扬州市全民科学素质行动实施方案\\n一、前言\\n科学素质是国民素质的重要组成部分。'
    """
    return [
        Chunk(chunk_id=c.clause_id, clause_id=c.clause_id, doc_id=c.doc_id, text=c.text,
              embed_text="\n".join([doc.meta.title, *c.headings, c.text]).strip())
        for c in doc.clauses
    ]


def _fingerprint(doc: Document, chunks: Sequence[Chunk]) -> str:
    """Changes when the source file or what gets embedded changes (vectors are reused otherwise)."""
    h = hashlib.sha256(doc.meta.content_hash.encode())
    for c in chunks:
        h.update(b"\x00" + c.chunk_id.encode() + b"\x01" + c.embed_text.encode() + b"\x02" + c.text.encode())
    return h.hexdigest()


class ClauseIndex(Ranking):
    """The clause index: documents, clauses, chunks, dense and lexical structures."""

    def __init__(self, embedder: Embedder, config: IndexConfig | None = None,
                 chunk_fn: ChunkFn | None = None) -> None:
        self.embedder = embedder
        self.config = config or IndexConfig()
        self._chunk_fn = chunk_fn
        self.metas: dict[str, DocMeta] = {}
        self.clauses: dict[str, Clause] = {}
        self.chunks: list[Chunk] = []
        self.fingerprints: dict[str, str] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        self.store_state: Any = None  # manifest["store"] of the loaded index (the document store's last transaction)  # corpus file stats (index.changes), set by open_or_build
        self.ingest_errors: list[Any] = []  # set by open_or_build
        self.last_update: dict[str, Any] = {}
        self.dirty = False  # in memory differs from what was loaded (e.g. BM25 refit for a new tokenizer)
        self.loaded_from: Path | None = None
        self._doc_clause_ids: dict[str, list[str]] = {}
        self._doc_rows: dict[str, np.ndarray] = {}
        self._structural: dict[str, list[int]] = {}
        self._dense = DenseIndex.from_vectors(np.zeros((0, embedder.dim), dtype=np.float32), self.config.dense_params())
        self._lexical = self._new_lexical()
        self._reset_caches()

    @property
    def _vectors(self) -> np.ndarray:
        """All stored vectors (read back from FAISS once per change; for stores that copy them out)."""
        cached = getattr(self, "_vector_cache", None)
        if cached is None or len(cached) != self._dense.n:
            cached = self._vector_cache = self._dense.vectors()
        return cached

    # ------------------------------------------------------------------ building

    @property
    def chunk_fn(self) -> ChunkFn:
        if self._chunk_fn is None:
            self._chunk_fn = default_chunk_fn()
        return self._chunk_fn

    @classmethod
    def build(cls, documents: Iterable[Document], embedder: Embedder, config: IndexConfig | None = None,
              chunk_fn: ChunkFn | None = None, progress: bool = False) -> ClauseIndex:
        """Index documents from scratch (embeds every chunk once)."""
        idx = cls(embedder, config, chunk_fn)
        idx.update(list(documents), progress=progress)
        settle(len(idx.chunks))
        return idx

    def update(self, documents: Sequence[Document], progress: bool = False,
               reuse: Iterable[str] = ()) -> dict[str, Any]:
        """Make the index hold exactly ``documents``: embed new / changed ones only, drop the rest.
        Documents whose id is in ``reuse`` keep their stored chunks and vectors as they are.

        Returns ``{"added", "changed", "removed", "unchanged": [doc_id...], "embedded": n_chunks,
        "documents": n, "chunks": n, "mode": "append" | "rebuild"}``.
        """
        return self._apply({d.meta.doc_id: d for d in documents}, progress, reuse=set(reuse) or None)

    def add(self, documents: Sequence[Document], progress: bool = False) -> dict[str, Any]:
        """Add or replace documents (a document replaces those with its doc_id or its source file)."""
        new_sources = {d.meta.source for d in documents}
        new_ids = {d.meta.doc_id for d in documents}
        if not any(m.source in new_sources or d in new_ids for d, m in self.metas.items()):
            return self._append(list(documents), sorted(self.metas), progress)
        keep = {d: self._document(d) for d, m in self.metas.items() if m.source not in new_sources}
        reuse = set(keep)
        keep.update({d.meta.doc_id: d for d in documents})
        return self._apply(keep, progress, reuse=reuse - new_ids)

    def remove(self, doc_ids: Iterable[str]) -> dict[str, Any]:
        """Drop documents (with all their clauses and chunks): the other rows keep their order,
        vectors and BM25 impacts (``index.seglog.drop_documents``; a save writes a tombstone list)."""
        from index.seglog import drop_documents

        return drop_documents(self, doc_ids)

    def staged(self) -> ClauseIndex:
        """A copy to change while this index keeps answering (copy-on-write): containers, FAISS and
        BM25 are copied (an append on the copy never touches this index); nothing is re-embedded."""
        new = copy.copy(self)
        for name in ("metas", "clauses", "fingerprints", "sources", "_doc_clause_ids", "_doc_rows", "_structural"):
            setattr(new, name, dict(getattr(self, name)))
        new.chunks, new.last_update = list(self.chunks), {}
        new._dense, new._lexical = self._dense.copy(), self._lexical.copy()
        new._reset_caches()
        return new

    def _document(self, doc_id: str) -> Document:
        return Document(meta=self.metas[doc_id], clauses=self.doc_clauses(doc_id))

    def _apply(self, docs: dict[str, Document], progress: bool, reuse: set[str] | None = None) -> dict[str, Any]:
        """Install ``docs``; documents in ``reuse`` keep their stored chunks and vectors as they are."""
        order = sorted(docs, key=lambda d: (docs[d].meta.source, d))
        report: dict[str, Any] = {"added": [], "changed": [], "removed": sorted(set(self.metas) - set(docs)),
                                  "unchanged": []}
        plan: list[tuple[str, list[Chunk], str, bool]] = []
        for d in order:
            doc = docs[d]
            if reuse and d in reuse and d in self._doc_rows:
                chunks, fp = [self.chunks[int(r)] for r in self._doc_rows[d]], self.fingerprints[d]
            else:
                chunks = self._chunks_of(doc)
                fp = _fingerprint(doc, chunks)
            same = d in self.metas and self.fingerprints.get(d) == fp and d in self._doc_rows
            plan.append((d, chunks, fp, same))
            report["unchanged" if same else "changed" if d in self.metas else "added"].append(d)
        if self.metas and not report["removed"] and not report["changed"]:
            new = [docs[d] for d in report["added"]]
            pre = {d: (c, fp) for d, c, fp, same in plan if not same}
            return self._append(new, report["unchanged"], progress, pre)
        to_embed = [c.embed_text or c.text for _, chunks, _, same in plan if not same for c in chunks]
        fresh = self._embed(to_embed, progress)
        vecs: list[np.ndarray] = []
        pos = 0
        metas, clauses, doc_clause_ids, all_chunks, doc_rows, fps = {}, {}, {}, [], {}, {}
        for d, chunks, fp, same in plan:
            doc = docs[d]
            if same:
                vecs.append(self._dense.vectors(self._doc_rows[d]))
            else:
                vecs.append(fresh[pos : pos + len(chunks)])
                pos += len(chunks)
            metas[d] = doc.meta
            ordered = sorted(doc.clauses, key=lambda c: c.order)
            for c in ordered:
                clauses[c.clause_id] = c
            doc_clause_ids[d] = [c.clause_id for c in ordered]
            doc_rows[d] = np.arange(len(all_chunks), len(all_chunks) + len(chunks), dtype=np.int64)
            all_chunks.extend(chunks)
            fps[d] = fp
        if not any(same for *_, same in plan):  # all fresh, in plan order: no second copy of every vector
            vectors = fresh
        else:
            vectors = np.concatenate(vecs) if vecs else np.zeros((0, self.embedder.dim), dtype=np.float32)
        del vecs
        dense = DenseIndex.from_vectors(vectors, self.config.dense_params(), like=self._dense)
        del vectors, fresh  # FAISS holds them now (SQ8 codes above the threshold): free the fp32 copy before BM25
        self._install(metas, clauses, doc_clause_ids, all_chunks, doc_rows, fps, dense, None, progress)
        report.update(embedded=len(to_embed), documents=len(metas), chunks=len(all_chunks), mode="rebuild")
        self.last_update = report
        return report

    def _append(self, new: list[Document], unchanged: list[str], progress: bool,
                pre: dict[str, tuple[list[Chunk], str]] | None = None) -> dict[str, Any]:
        """Add documents none of which is indexed yet: only their rows are embedded, appended to
        FAISS and to BM25 (no rebuild, unless the size now calls for another FAISS kind)."""
        pre = pre or {}
        plan = []
        for doc in sorted(new, key=lambda x: (x.meta.source, x.meta.doc_id)):
            chunks, fp = pre.get(doc.meta.doc_id) or (lambda c: (c, _fingerprint(doc, c)))(self._chunks_of(doc))
            plan.append((doc, chunks, fp))
        new_chunks = [c for _, chunks, _ in plan for c in chunks]
        fresh = self._embed([c.embed_text or c.text for c in new_chunks], progress)  # may fail: nothing changed yet
        base = len(self.chunks)
        for doc, chunks, fp in plan:
            d = doc.meta.doc_id
            self.metas[d] = doc.meta
            ordered = sorted(doc.clauses, key=lambda c: c.order)
            for c in ordered:
                self.clauses[c.clause_id] = c
            self._doc_clause_ids[d] = [c.clause_id for c in ordered]
            self._doc_rows[d] = np.arange(len(self.chunks), len(self.chunks) + len(chunks), dtype=np.int64)
            self.chunks.extend(chunks)
            self.fingerprints[d] = fp
        self._dense.add(fresh)
        self._vector_cache = None
        if self._dense.outgrown():
            self._dense = DenseIndex.from_vectors(self._dense.vectors(), self.config.dense_params(), like=self._dense)
        if not self._lexical.needs_refit:
            self._lexical.add([self._lexical_text(c) for c in new_chunks])
        if self._lexical.needs_refit or self._lexical.n != len(self.chunks):  # drifted: one full refit
            self._lexical = self._fit_lexical(self.chunks, progress)
        if type(self)._install is not ClauseIndex._install:  # a store kept in line by _install (index.backend_index)
            self._install(self.metas, self.clauses, self._doc_clause_ids, self.chunks, self._doc_rows,
                          self.fingerprints, self._dense, self._lexical)
        else:
            self._index_new([doc for doc, _, _ in plan], base)
        report = {"added": [doc.meta.doc_id for doc, _, _ in plan], "changed": [], "removed": [],
                  "unchanged": list(unchanged), "embedded": len(new_chunks), "documents": len(self.metas),
                  "chunks": len(self.chunks), "mode": "append"}
        self.last_update = report
        return report

    def _chunks_of(self, doc: Document) -> list[Chunk]:
        chunks = list(self.chunk_fn(doc))
        known = {c.clause_id for c in doc.clauses}
        bad = [c.chunk_id for c in chunks if c.clause_id not in known or c.doc_id != doc.meta.doc_id]
        if bad:
            raise IndexError_(
                f"chunks {bad[:3]} of {doc.meta.doc_id} point to clauses that the document does not hold; "
                "the chunk function must return chunks of this document's clauses (check ingest.chunk.make_chunks)"
            )
        return chunks

    def _embed(self, texts: list[str], progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        if progress:
            print(f"embedding {len(texts)} chunks with {self.embedder.name} …", file=sys.stderr, flush=True)
        vecs = np.ascontiguousarray(self.embedder.encode_passages(texts, show_progress=progress), dtype=np.float32)
        if vecs.shape != (len(texts), self.embedder.dim):
            raise IndexError_(f"embedder {self.embedder.name} returned vectors of shape {vecs.shape}; "
                              f"expected ({len(texts)}, {self.embedder.dim})")
        return vecs

    def _new_lexical(self) -> LexicalIndex:
        c = self.config
        return LexicalIndex(c.tokenizer, c.bm25_k1, c.bm25_b, c.bm25_refit_fraction, c.bm25_max_postings)

    def _fit_lexical(self, chunks: Sequence[Chunk], progress: bool = False) -> LexicalIndex:
        return self._new_lexical().fit([self._lexical_text(c) for c in chunks], progress=progress)

    def _install(self, metas, clauses, doc_clause_ids, chunks, doc_rows, fps, dense: DenseIndex,
                 lexical: LexicalIndex | None, progress: bool = False) -> None:
        self.metas, self.clauses, self._doc_clause_ids = metas, clauses, doc_clause_ids
        self.chunks, self._doc_rows, self.fingerprints = chunks, doc_rows, fps
        self._dense, self._vector_cache = dense, None
        self._lexical = lexical if lexical is not None else self._fit_lexical(chunks, progress)
        self._structural = {}
        self._index_new([Document(meta=m, clauses=[]) for m in metas.values()], 0)

    def _index_new(self, docs: Sequence[Document], base: int) -> None:
        """Structural rows of documents just installed or appended."""
        for d in docs:
            rows = self._doc_rows[d.meta.doc_id]
            self._structural[d.meta.doc_id] = [
                int(r) for r in rows if self.clauses[self.chunks[int(r)].clause_id].kind in STRUCTURAL_KINDS]
        self._reset_caches()

    def _lexical_text(self, chunk: Chunk) -> str:
        if self.config.lexical_field == "text" or not chunk.embed_text:
            return chunk.text
        return chunk.embed_text

    # ------------------------------------------------------------------ persistence

    def manifest(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "model": self.embedder.name,
            "dim": int(self.embedder.dim),
            "normalized": True,
            "metric": "inner_product",
            "faiss_index": self._dense.kind,
            "dense": self._dense.describe(),
            "lexical": {"rows": self._lexical.n, "fitted_rows": self._lexical.fitted_n, "avgdl": self._lexical.avgdl,
                        "vocabulary": len(self._lexical.vocab), "nonzeros": self._lexical.nnz},
            "tokenizer": self.config.tokenizer,
            "config": self.config.to_dict(),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "counts": {"documents": len(self.metas), "clauses": len(self.clauses), "chunks": len(self.chunks)},
            "documents": {
                d: {"source": m.source, "content_hash": m.content_hash, "fingerprint": self.fingerprints[d],
                    "clauses": len(self._doc_clause_ids[d]), "chunks": int(self._doc_rows[d].size)}
                for d, m in self.metas.items()
            },
            "sources": self.sources,
        }

    def save(self, directory: Path | str, store: dict[str, Any] | None = None, compact: bool = False) -> Path:
        """Write the index atomically: only the segments added / removed since it was loaded or
        last saved when it can, else (or when ``compact``) the whole index (``index.persist``);
        ``store`` (e.g. the document store's transaction id) is recorded as ``manifest["store"]``."""
        out = write_index(self, Path(directory), store, compact)
        self.dirty = False
        return out

    @classmethod
    def load(cls, directory: Path | str, embedder: Embedder, config: IndexConfig | None = None,
             chunk_fn: ChunkFn | None = None) -> ClauseIndex:
        """Open a saved index, verifying it. Raises ``IndexError_`` (with a rebuild hint) when it is
        missing, truncated, of another format, or built with another embedding model.

        ``config`` may change query-time settings (weights, rrf_k, candidates, nprobe); a different
        tokenizer refits BM25 in memory from the stored chunks, another dense kind / threshold
        rebuilds FAISS from the stored vectors (no re-embedding either way).
        """
        idx = read_index(cls, Path(directory), embedder, config, chunk_fn)
        settle(len(idx.chunks))
        return idx


# ---------------------------------------------------------------------- corpus → index


from index.sync import corpus_files, open_or_build  # noqa: E402  (re-exported; sync imports store lazily)
