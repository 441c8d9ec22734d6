"""``ClauseIndex``: hybrid clause retrieval (dense e5 + BM25, reciprocal rank fusion), scoped,
persisted and incrementally updated.

One row per chunk (``ingest.chunk.make_chunks``: one clause, or a sentence-aligned part of a
long one). Dense vectors live in FAISS, BM25 in bm25s; both rank only rows of in-scope
documents (the scope filter is applied before the top-k cut), and RRF fuses the two lists.

Persisted layout of an index directory (no pickle anywhere)::

    DIR/manifest.json   format version, model name, dim, normalised, tokenizer, config,
                        per-document source / content hash / fingerprint / row counts,
                        created time, and sha256 + size of every other file
    DIR/dense.faiss     faiss.write_index (IndexFlatIP, or IndexHNSWFlat above hnsw_threshold)
    DIR/docs.json       list of DocMeta dicts, in index order
    DIR/clauses.jsonl   one Clause dict per line
    DIR/chunks.jsonl    one Chunk dict per line; line i is FAISS / BM25 row i
    DIR/bm25/           bm25s.save(allow_pickle=False): .npy arrays + JSON vocabulary

``save`` writes everything into a sibling ``.DIR.tmp-*`` directory, then swaps it in with two
renames (old → ``.DIR.old-*``, new → DIR) and deletes the old one: a crash at any point
leaves a complete index, found by ``load`` even between the two renames.

Example:
    >>> from index.fake import HashEmbedder  # doctest: +SKIP
    >>> idx = ClauseIndex.build(documents, HashEmbedder(), IndexConfig())  # doctest: +SKIP
    >>> [h.meta.region for h in idx.search("扬州市2025年公民具备科学素质的比例", k=3)]  # doctest: +SKIP
    ['扬州市', '扬州市', '砀山县']
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.config import IndexConfig
from index.dense import DenseIndex
from index.fusion import rrf
from index.lexical import LexicalIndex
from index.scope import scope_doc_ids
from index.txn import clean_orphans
from index.types import Embedder, Hit, IndexCorrupt, IndexError_, IndexIncompatible, IndexMissing, Scope
from ingest.errors import CorpusError
from ingest.types import Chunk, Clause, DocMeta, Document

FORMAT_VERSION = 1
QUERY_CACHE_SIZE = 256  # query vectors kept per index (the embedder is fixed for an index's life)
STRUCTURAL_KINDS = ("header", "preamble", "closing")
FILES = ("dense.faiss", "docs.json", "clauses.jsonl", "chunks.jsonl")
ChunkFn = Callable[[Document], list[Chunk]]


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


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _rebuild_hint(directory: Path) -> str:
    return f"run `policyqa index CORPUS --index {directory}` to rebuild it"


def _zh_rebuild(directory: Path, what: str) -> str:
    return f"索引 {directory} {what}。请运行 `policyqa index 语料目录 --index {directory}` 重建索引。"


class ClauseIndex:
    """The clause index: documents, clauses, chunks, dense and lexical structures, and a gazetteer."""

    def __init__(self, embedder: Embedder, config: IndexConfig | None = None,
                 chunk_fn: ChunkFn | None = None) -> None:
        self.embedder = embedder
        self.config = config or IndexConfig()
        self._chunk_fn = chunk_fn
        self.metas: dict[str, DocMeta] = {}
        self.clauses: dict[str, Clause] = {}
        self.chunks: list[Chunk] = []
        self.fingerprints: dict[str, str] = {}
        self.ingest_errors: list[Any] = []  # set by open_or_build
        self.last_update: dict[str, Any] = {}
        self.dirty = False  # in memory differs from what was loaded (e.g. BM25 refit for a new tokenizer)
        self.loaded_from: Path | None = None
        self.store_state: Any = None  # manifest["store"] of the loaded index (the document store's last transaction)
        self._doc_clause_ids: dict[str, list[str]] = {}
        self._doc_rows: dict[str, np.ndarray] = {}
        self._vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        self._dense = DenseIndex.from_vectors(self._vectors)
        self._lexical = LexicalIndex(self.config.tokenizer, self.config.bm25_k1, self.config.bm25_b)
        self._qcache: OrderedDict[str, np.ndarray] = OrderedDict()

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
        return idx

    def update(self, documents: Sequence[Document], progress: bool = False,
               reuse: Iterable[str] = ()) -> dict[str, Any]:
        """Make the index hold exactly ``documents``: embed new / changed ones only, drop the rest.

        Documents whose id is in ``reuse`` keep their stored chunks and vectors as they are.

        Returns ``{"added", "changed", "removed", "unchanged": [doc_id...], "embedded": n_chunks,
        "documents": n, "chunks": n}``.
        """
        return self._apply({d.meta.doc_id: d for d in documents}, progress, reuse=set(reuse) or None)

    def add(self, documents: Sequence[Document], progress: bool = False) -> dict[str, Any]:
        """Add or replace documents (a document replaces those with its doc_id or its source file)."""
        new_sources = {d.meta.source for d in documents}
        keep = {d: self._document(d) for d, m in self.metas.items() if m.source not in new_sources}
        reuse = set(keep)
        keep.update({d.meta.doc_id: d for d in documents})
        return self._apply(keep, progress, reuse=reuse - {d.meta.doc_id for d in documents})

    def staged(self) -> ClauseIndex:
        """A copy to change while this index keeps answering (copy-on-write).

        ``add`` / ``remove`` / ``update`` on the copy replace its structures wholesale and never
        touch this index's, so readers of this one need no lock while the copy embeds; swap the
        reference when the copy is ready.
        """
        new = copy.copy(self)
        new._qcache = OrderedDict(self._qcache)
        new.last_update = {}
        return new

    def remove(self, doc_ids: Iterable[str]) -> dict[str, Any]:
        """Drop documents (with all their clauses and chunks)."""
        drop = set(doc_ids)
        keep = {d: self._document(d) for d in self.metas if d not in drop}
        return self._apply(keep, False, reuse=set(keep))

    def _document(self, doc_id: str) -> Document:
        return Document(meta=self.metas[doc_id], clauses=self.doc_clauses(doc_id))

    def _apply(self, docs: dict[str, Document], progress: bool, reuse: set[str] | None = None) -> dict[str, Any]:
        """Install ``docs``; documents in ``reuse`` keep their stored chunks and vectors as they are."""
        order = sorted(docs, key=lambda d: (docs[d].meta.source, d))
        report: dict[str, Any] = {"added": [], "changed": [], "removed": sorted(set(self.metas) - set(docs)),
                                  "unchanged": []}
        plan: list[tuple[str, list[Chunk], str, np.ndarray | None]] = []
        to_embed: list[str] = []
        for d in order:
            doc = docs[d]
            if reuse and d in reuse and d in self._doc_rows:
                chunks, fp = [self.chunks[int(r)] for r in self._doc_rows[d]], self.fingerprints[d]
            else:
                chunks = self._chunks_of(doc)
                fp = _fingerprint(doc, chunks)
            if d in self.metas and self.fingerprints.get(d) == fp and d in self._doc_rows:
                plan.append((d, chunks, fp, self._vectors[self._doc_rows[d]]))
                report["unchanged"].append(d)
            else:
                plan.append((d, chunks, fp, None))
                report["changed" if d in self.metas else "added"].append(d)
                to_embed.extend(c.embed_text or c.text for c in chunks)
        fresh = self._embed(to_embed, progress)
        vecs: list[np.ndarray] = []
        pos = 0
        metas, clauses, doc_clause_ids, all_chunks, doc_rows, fps = {}, {}, {}, [], {}, {}
        for d, chunks, fp, old in plan:
            doc = docs[d]
            if old is None:
                old = fresh[pos : pos + len(chunks)]
                pos += len(chunks)
            vecs.append(old)
            metas[d] = doc.meta
            ordered = sorted(doc.clauses, key=lambda c: c.order)
            for c in ordered:
                clauses[c.clause_id] = c
            doc_clause_ids[d] = [c.clause_id for c in ordered]
            doc_rows[d] = np.arange(len(all_chunks), len(all_chunks) + len(chunks), dtype=np.int64)
            all_chunks.extend(chunks)
            fps[d] = fp
        vectors = np.concatenate(vecs) if vecs else np.zeros((0, self.embedder.dim), dtype=np.float32)
        self._install(metas, clauses, doc_clause_ids, all_chunks, doc_rows, fps, vectors, refit_lexical=True)
        report.update(embedded=len(to_embed), documents=len(metas), chunks=len(all_chunks))
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
            raise IndexError_(
                f"embedder {self.embedder.name} returned vectors of shape {vecs.shape}; expected "
                f"({len(texts)}, {self.embedder.dim})"
            )
        return vecs

    def _install(self, metas, clauses, doc_clause_ids, chunks, doc_rows, fps, vectors, refit_lexical: bool,
                 lexical: LexicalIndex | None = None, dense: DenseIndex | None = None) -> None:
        self.metas, self.clauses, self._doc_clause_ids = metas, clauses, doc_clause_ids
        self.chunks, self._doc_rows, self.fingerprints = chunks, doc_rows, fps
        self._vectors = vectors
        cfg = self.config
        self._dense = dense or DenseIndex.from_vectors(vectors, cfg.hnsw_threshold, cfg.hnsw_m, cfg.hnsw_ef_search)
        if refit_lexical or lexical is None:
            lexical = LexicalIndex(cfg.tokenizer, cfg.bm25_k1, cfg.bm25_b).fit([self._lexical_text(c) for c in chunks])
        self._lexical = lexical

    def _lexical_text(self, chunk: Chunk) -> str:
        if self.config.lexical_field == "text" or not chunk.embed_text:
            return chunk.text
        return chunk.embed_text

    # ------------------------------------------------------------------ reading

    def doc_clauses(self, doc_id: str) -> list[Clause]:
        """Clauses of a document in reading order ([] for an unknown doc_id)."""
        return [self.clauses[c] for c in self._doc_clause_ids.get(doc_id, [])]

    def docs_in_scope(self, scope: Scope | None) -> list[str]:
        ok = scope_doc_ids(self.metas, scope)
        return [d for d in self.metas if ok is None or d in ok]

    def _rows(self, scope: Scope | None) -> np.ndarray | None:
        ok = scope_doc_ids(self.metas, scope)
        if ok is None:
            return None
        parts = [self._doc_rows[d] for d in self.metas if d in ok]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def _query(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """Query vector (cached: the chatbot asks search and search_per_doc the same question) and
        BM25 scores of every row."""
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
        return qvec, self._lexical.scores(query)

    def _hits(self, qvec: np.ndarray, lex: np.ndarray, rows: np.ndarray | None, k: int,
              candidates: int | None = None, structural: bool = False) -> list[Hit]:
        cfg = self.config
        n = candidates or cfg.candidates
        d_rows, d_scores = self._dense.search(qvec, n, rows)
        if rows is None:
            pool = np.flatnonzero(lex > 0)
        else:
            pool = rows[lex[rows] > 0]
        l_rows = pool[np.argsort(-lex[pool], kind="stable")[:n]]
        dense_rank = {int(r): (i + 1, float(s)) for i, (r, s) in enumerate(zip(d_rows, d_scores, strict=True))}
        lex_rank = {int(r): (i + 1, float(lex[r])) for i, r in enumerate(l_rows)}
        lists = {"dense": [int(r) for r in d_rows], "lexical": [int(r) for r in l_rows]}
        weights = {"dense": cfg.dense_weight, "lexical": cfg.lexical_weight}
        if structural and cfg.structure_weight > 0:
            lists["structure"] = self._structural_rows(rows)
            weights["structure"] = cfg.structure_weight
        fused = rrf(lists, k=cfg.rrf_k, weights=weights)
        out = []
        for row, score in fused[:k]:
            ch = self.chunks[row]
            dr = dense_rank.get(row, (None, None))
            lr = lex_rank.get(row, (None, None))
            out.append(Hit(chunk=ch, clause=self.clauses[ch.clause_id], meta=self.metas[ch.doc_id], score=score,
                           dense_rank=dr[0], dense_score=dr[1], lexical_rank=lr[0], lexical_score=lr[1]))
        return out

    def _structural_rows(self, rows: np.ndarray | None) -> list[int]:
        """Header / preamble / closing chunks (where 文号, issuer, date and basis are written), the
        first of each document first, then the second of each, …"""
        allowed = None if rows is None else {int(r) for r in rows}
        per_doc: list[list[int]] = []
        for doc_rows in self._doc_rows.values():
            mine = [int(r) for r in doc_rows if (allowed is None or int(r) in allowed)
                    and self.clauses[self.chunks[int(r)].clause_id].kind in STRUCTURAL_KINDS]
            if mine:
                per_doc.append(mine)
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
        qvec, lex = self._query(query)
        return self._hits(qvec, lex, rows, k, structural=structural)

    def search_per_doc(self, query: str, k_per_doc: int = 3, scope: Scope | None = None,
                       structural: bool = False) -> dict[str, list[Hit]]:
        """The best ``k_per_doc`` chunks of every in-scope document (ranks computed within each document).

        Documents are ordered by their best chunk in the pooled ranking, so the most relevant
        document comes first; each document's hits carry its own within-document ranks and scores.
        """
        return self._search_per_doc(query, k_per_doc, scope, structural)

    def _search_per_doc(self, query: str, k_per_doc: int, scope: Scope | None,
                        structural: bool = False) -> dict[str, list[Hit]]:
        docs = [d for d in self.docs_in_scope(scope) if self._doc_rows[d].size]
        if not docs or k_per_doc <= 0:
            return {}
        qvec, lex = self._query(query)
        rows = np.concatenate([self._doc_rows[d] for d in docs])
        pooled = self._hits(qvec, lex, rows, k=len(rows), candidates=len(rows))
        first: dict[str, int] = {}
        for i, h in enumerate(pooled):
            first.setdefault(h.meta.doc_id, i)
        docs.sort(key=lambda d: first.get(d, len(pooled)))
        return {d: self._hits(qvec, lex, self._doc_rows[d], k_per_doc, structural=structural) for d in docs}

    def retrieve(self, terms: str, k: int = 5, scope: Scope | None = None, per_doc: bool = False,
                 structural: bool = False) -> list[Hit]:
        """Terms, filters and k in; hits out. With ``per_doc`` the top-k of *each* in-scope document,
        interleaved rank by rank (best document first); otherwise the top-k of the pooled ranking.
        """
        use = None if scope is None or scope.is_empty() else scope
        if per_doc:
            docs = self._search_per_doc(terms, k, use, structural)
            out: list[Hit] = []
            for i in range(k):
                out.extend(hs[i] for hs in docs.values() if i < len(hs))
            return out
        return self._search(terms, k, use, structural)

    # ------------------------------------------------------------------ persistence

    def manifest(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "model": self.embedder.name,
            "dim": int(self.embedder.dim),
            "normalized": True,
            "metric": "inner_product",
            "faiss_index": self._dense.kind,
            "tokenizer": self.config.tokenizer,
            "config": self.config.to_dict(),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "counts": {"documents": len(self.metas), "clauses": len(self.clauses), "chunks": len(self.chunks)},
            "documents": {
                d: {"source": m.source, "content_hash": m.content_hash, "fingerprint": self.fingerprints[d],
                    "clauses": len(self._doc_clause_ids[d]), "chunks": int(self._doc_rows[d].size)}
                for d, m in self.metas.items()
            },
        }

    def save(self, directory: Path | str, store: dict[str, Any] | None = None) -> Path:
        """Write the index atomically (temp directory + rename swap). Returns the directory.

        ``store`` (e.g. the document store's transaction id) is recorded as ``manifest["store"]``.
        """
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = directory.parent / f".{directory.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            tmp.mkdir()
            self._dense.save(tmp / "dense.faiss")
            _write_json(tmp / "docs.json", [m.to_dict() for m in self.metas.values()])
            _write_jsonl(tmp / "clauses.jsonl", (c.to_dict() for d in self.metas for c in self.doc_clauses(d)))
            _write_jsonl(tmp / "chunks.jsonl", (c.to_dict() for c in self.chunks))
            self._lexical.save(tmp / "bm25")
            man = self.manifest()
            if store is not None:
                man["store"] = store
            man["files"] = {
                str(p.relative_to(tmp)): {"sha256": _sha256_file(p), "size": p.stat().st_size}
                for p in sorted(tmp.rglob("*")) if p.is_file()
            }
            man["manifest_sha256"] = _manifest_digest(man)
            _write_json(tmp / "manifest.json", man)
            _fsync_dir(tmp)
            old = None
            if directory.exists():
                old = directory.parent / f".{directory.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
                os.replace(directory, old)
            os.replace(tmp, directory)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self.dirty = False
        except OSError as e:
            raise IndexError_(f"cannot write the index to {directory}: {e}. Check that the directory is "
                              "writable and the disk has space, then run the command again.",
                              zh=f"无法写入索引 {directory}（{e.strerror or e}）：请检查目录是否可写、磁盘空间是否充足，"
                                 "然后重新运行。原有索引未改动。") from e
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return directory

    @classmethod
    def load(cls, directory: Path | str, embedder: Embedder, config: IndexConfig | None = None,
             chunk_fn: ChunkFn | None = None) -> ClauseIndex:
        """Open a saved index, verifying it. Raises ``IndexError_`` (with a rebuild hint) when it is
        missing, truncated, of another format, or built with another embedding model.

        ``config`` may change query-time settings (weights, rrf_k, candidates); a different
        tokenizer refits BM25 in memory from the stored chunks (no re-embedding).
        """
        directory = _resolve_dir(Path(directory))
        clean_orphans(directory)
        man = _read_manifest(directory)
        hint = _rebuild_hint(directory)
        if man.get("model") != embedder.name or int(man.get("dim", -1)) != int(embedder.dim):
            raise IndexIncompatible(
                f"the index at {directory} was built with model '{man.get('model')}' (dim {man.get('dim')}); "
                f"the embedder given is '{embedder.name}' (dim {embedder.dim}). Open it with --model "
                f"{man.get('model')}, or rebuild it for this model: `policyqa index CORPUS --index {directory} "
                f"--model {embedder.name}`",
                zh=f"索引 {directory} 是用模型 {man.get('model')} 建立的，当前模型是 {embedder.name}。请加 "
                   f"--model {man.get('model')} 打开它，或运行 `policyqa index 语料目录 --index {directory}` 重建。")
        for rel, info in man.get("files", {}).items():
            p = directory / rel
            if not p.is_file():
                raise IndexCorrupt(f"the index at {directory} is incomplete: {rel} is missing; {hint}",
                                   zh=_zh_rebuild(directory, f"不完整（缺少 {rel}）"))
            if p.stat().st_size != info["size"] or _sha256_file(p) != info["sha256"]:
                raise IndexCorrupt(f"the index at {directory} is corrupt: {rel} has {p.stat().st_size} bytes, "
                                   f"expected {info['size']} with the recorded checksum; {hint}",
                                   zh=_zh_rebuild(directory, f"已损坏（{rel} 与校验和不符）"))
        stored = IndexConfig.from_dict(man.get("config", {}))
        config = config or stored
        idx = cls(embedder, config, chunk_fn)
        try:
            metas = [DocMeta.from_dict(m) for m in json.loads((directory / "docs.json").read_text("utf-8"))]
            clause_list = [Clause.from_dict(d) for d in _read_jsonl(directory / "clauses.jsonl")]
            chunks = [Chunk.from_dict(d) for d in _read_jsonl(directory / "chunks.jsonl")]
            dense = DenseIndex.load(directory / "dense.faiss")
            lexical = LexicalIndex.load(directory / "bm25")
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as e:
            raise IndexCorrupt(f"the index at {directory} cannot be read ({type(e).__name__}: {e}); {hint}",
                               zh=_zh_rebuild(directory, "无法读取")) from e
        counts = man.get("counts", {})
        found = {"documents": len(metas), "clauses": len(clause_list), "chunks": len(chunks)}
        if found != counts or dense.n != len(chunks) or lexical.n != len(chunks) or dense.dim != embedder.dim:
            raise IndexCorrupt(
                f"the index at {directory} is inconsistent: manifest counts {counts}, files hold {found}, "
                f"FAISS {dense.n} rows of dim {dense.dim}, BM25 {lexical.n} rows; {hint}",
                zh=_zh_rebuild(directory, "内部不一致"))
        metas_by_id = {m.doc_id: m for m in metas}
        clauses = {c.clause_id: c for c in clause_list}
        doc_clause_ids: dict[str, list[str]] = {d: [] for d in metas_by_id}
        for c in clause_list:
            doc_clause_ids.setdefault(c.doc_id, []).append(c.clause_id)
        doc_rows: dict[str, list[int]] = {d: [] for d in metas_by_id}
        for i, ch in enumerate(chunks):
            if ch.doc_id not in metas_by_id or ch.clause_id not in clauses:
                raise IndexCorrupt(f"the index at {directory} is inconsistent: chunk {ch.chunk_id} has no "
                                   f"document / clause; {hint}", zh=_zh_rebuild(directory, "内部不一致"))
            doc_rows[ch.doc_id].append(i)
        docs_info = man.get("documents", {})
        fps = {d: docs_info.get(d, {}).get("fingerprint", "") for d in metas_by_id}
        refit = stored.index_affecting() != config.index_affecting()
        rebuild_dense = stored.hnsw_threshold != config.hnsw_threshold
        idx._install(metas_by_id, clauses, doc_clause_ids, chunks,
                     {d: np.asarray(r, dtype=np.int64) for d, r in doc_rows.items()}, fps, dense.vectors(),
                     refit_lexical=refit, lexical=lexical, dense=None if rebuild_dense else dense)
        idx.loaded_from = directory
        idx.dirty = refit or rebuild_dense
        idx.store_state = man.get("store")
        return idx


# ---------------------------------------------------------------------- files


def _write_json(path: Path, obj: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, ensure_ascii=False, indent=1) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _resolve_dir(directory: Path) -> Path:
    """The index directory, or the previous one left aside by a save interrupted between its renames."""
    if (directory / "manifest.json").is_file() or directory.exists():
        return directory
    olds = sorted(directory.parent.glob(f".{directory.name}.old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds:
        if (old / "manifest.json").is_file():
            os.replace(old, directory)
            return directory
    return directory


def _manifest_digest(man: dict[str, Any]) -> str:
    body = {k: v for k, v in man.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _read_manifest(directory: Path) -> dict[str, Any]:
    hint = _rebuild_hint(directory)
    path = directory / "manifest.json"
    if not directory.exists():
        raise IndexMissing(f"no index at {directory}; {hint}",
                           zh=f"没有找到索引 {directory}。请运行 `policyqa index 语料目录 --index {directory}` 建立索引。")
    if not path.is_file():
        raise IndexCorrupt(f"{directory} holds no manifest.json, so it is not a complete policyqa index; {hint}",
                           zh=_zh_rebuild(directory, "不完整（缺少 manifest.json）"))
    try:
        man = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise IndexCorrupt(f"{path} is unreadable or truncated ({e}); {hint}",
                           zh=_zh_rebuild(directory, "已损坏（manifest.json 无法读取或被截断）")) from e
    if isinstance(man, dict) and "manifest_sha256" in man and man["manifest_sha256"] != _manifest_digest(man):
        raise IndexCorrupt(f"{path} does not match its own checksum (damaged on disk); {hint}",
                           zh=_zh_rebuild(directory, "已损坏（manifest.json 与其校验和不符）"))
    if not isinstance(man, dict) or man.get("format_version") != FORMAT_VERSION:
        got = man.get("format_version") if isinstance(man, dict) else None
        raise IndexIncompatible(f"{path} has index format version {got}; this policyqa reads version "
                                f"{FORMAT_VERSION}; {hint}",
                                zh=_zh_rebuild(directory, f"的格式版本是 {got}，本程序读取版本 {FORMAT_VERSION}"))
    return man


# ---------------------------------------------------------------------- corpus → index


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Files of a corpus directory (recursive, hidden files and directories skipped), sorted."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus directory {corpus_dir} does not exist; pass a directory of .txt/.docx/"
                          ".pdf/.html/.md policy documents",
                          zh=f"语料目录 {corpus_dir} 不存在：请指定存放政策文件（.txt .md .html .docx .pdf）的目录。")
    return sorted(p for p in corpus_dir.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts))


def open_or_build(corpus_dir: Path | str, index_dir: Path | str, embedder: Embedder, ingest_config: Any = None,
                  index_config: IndexConfig | None = None, progress: bool = True) -> ClauseIndex:
    """Ingest the corpus, open the saved index when compatible (else start afresh), update it
    incrementally (only new / changed documents are embedded, deleted ones dropped), save it if
    anything changed, and return it. Ingest errors are printed (when ``progress``) and kept in
    ``index.ingest_errors``; they never stop the other files.
    """
    from ingest.pipeline import ingest_paths

    if ingest_config is None:
        from ingest.config import IngestConfig

        ingest_config = IngestConfig()
    index_dir = Path(index_dir)
    result = ingest_paths(corpus_files(Path(corpus_dir)), ingest_config, progress=progress)
    for err in result.errors:
        if progress:
            print(f"ingest error: {err}", file=sys.stderr)
    chunk_fn = default_chunk_fn(ingest_config)
    fresh = False
    try:
        idx = ClauseIndex.load(index_dir, embedder, index_config, chunk_fn)
    except IndexError_ as e:
        if progress and (index_dir.exists()):
            print(f"{e.zh} 正在从语料目录重建……", file=sys.stderr)
        idx = ClauseIndex(embedder, index_config, chunk_fn)
        fresh = True
    report = idx.update(result.documents, progress=progress)
    if fresh or idx.dirty or report["added"] or report["changed"] or report["removed"]:
        idx.save(index_dir)
    if progress:
        print(f"index {index_dir}: {report['documents']} documents, {report['chunks']} chunks "
              f"(added {len(report['added'])}, changed {len(report['changed'])}, removed "
              f"{len(report['removed'])}, embedded {report['embedded']} chunks)", file=sys.stderr)
    idx.ingest_errors = list(result.errors)
    return idx
