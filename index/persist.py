"""Saving and loading a ``ClauseIndex`` directory atomically, without pickle.

Layout (format 3: the base files of format 2 plus an append-only log; formats 1 and 2 still load)::

    DIR/manifest.json   format version, model, dim, tokenizer, config, the dense index's kind and
                        parameters ("dense"), BM25 statistics ("lexical"), per-document source /
                        content hash / fingerprint / row counts, the corpus files' stats
                        ("sources", for ``index.changes.scan``), and sha256 + size of every other file
    DIR/dense.faiss     faiss.write_index (IndexFlatIP below the ANN threshold, IndexIVFFlat above)
    DIR/docs.json       list of DocMeta dicts, in index order
    DIR/clauses.jsonl   one Clause dict per line
    DIR/chunks.jsonl    one Chunk dict per line; line i is FAISS / BM25 row i
    DIR/bm25/           index.lexical's .npy arrays (allow_pickle=False) + JSON
    DIR/seg-*/, DIR/del-*.json   segments (rows added since the base was written) and tombstone
                        lists (documents removed), in the order of ``manifest["log"]`` (``index.seglog``)

``write_index`` appends when it can (``index.seglog.plan``): the new segment and tombstone files,
then ``manifest.json`` replaced by one rename. Otherwise (the first save, a refit BM25, another
dense kind, too many segments, ``compact=True``) it writes everything into a sibling
``.DIR.tmp-*`` directory, then swaps it in with two renames (old → ``.DIR.old-*``, new → DIR) and
deletes the old one. Either way a crash at any point leaves the previous or the new index, found by
``read_manifest`` even between the two renames.

Example:
    >>> read_manifest(Path("/nonexistent/ix"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    index.types.IndexMissing: no index at /nonexistent/ix; run `policyqa index CORPUS --index /nonexistent/ix` to rebuild it
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from index.config import IndexConfig
from index.dense import DenseIndex
from index.fsutil import fsync_dir, sha256_file
from index.lexical import LexicalIndex
from index.txn import clean_orphans
from index.types import IndexCorrupt, IndexError_, IndexIncompatible, IndexMissing
from ingest.types import Chunk, Clause, DocMeta

FORMAT_VERSION = 3
READABLE_VERSIONS = (1, 2, 3)  # 1: HNSW / flat FAISS and bm25s' own BM25 files (still read, BM25 refit on add);
#                                 2: the base files only (no log)


def rebuild_hint(directory: Path) -> str:
    return f"run `policyqa index CORPUS --index {directory}` to rebuild it"


def zh_rebuild(directory: Path, what: str) -> str:
    return f"索引 {directory} {what}。请运行 `policyqa index 语料目录 --index {directory}` 重建索引。"


def manifest_digest(man: dict[str, Any]) -> str:
    body = {k: v for k, v in man.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def write_json(path: Path, obj: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, ensure_ascii=False, indent=1) + "\n")
        f.flush()
        os.fsync(f.fileno())


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return list(iter_jsonl(path))


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a JSONL file one by one (a million parsed rows are never held at once)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def resolve_dir(directory: Path) -> Path:
    """The index directory, or the previous one left aside by a save interrupted between its renames."""
    if (directory / "manifest.json").is_file() or directory.exists():
        return directory
    olds = sorted(directory.parent.glob(f".{directory.name}.old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds:
        if (old / "manifest.json").is_file():
            os.replace(old, directory)
            return directory
    return directory


def read_manifest(directory: Path) -> dict[str, Any]:
    hint = rebuild_hint(directory)
    path = directory / "manifest.json"
    if not directory.exists():
        raise IndexMissing(f"no index at {directory}; {hint}",
                           zh=f"没有找到索引 {directory}。请运行 `policyqa index 语料目录 --index {directory}` 建立索引。")
    if not path.is_file():
        raise IndexCorrupt(f"{directory} holds no manifest.json, so it is not a complete policyqa index; {hint}",
                           zh=zh_rebuild(directory, "不完整（缺少 manifest.json）"))
    try:
        man = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise IndexCorrupt(f"{path} is unreadable or truncated ({e}); {hint}",
                           zh=zh_rebuild(directory, "已损坏（manifest.json 无法读取或被截断）")) from e
    if isinstance(man, dict) and "manifest_sha256" in man and man["manifest_sha256"] != manifest_digest(man):
        raise IndexCorrupt(f"{path} does not match its own checksum (damaged on disk); {hint}",
                           zh=zh_rebuild(directory, "已损坏（manifest.json 与其校验和不符）"))
    if not isinstance(man, dict) or man.get("format_version") not in READABLE_VERSIONS:
        got = man.get("format_version") if isinstance(man, dict) else None
        raise IndexIncompatible(f"{path} has index format version {got}; this policyqa reads versions "
                                f"{', '.join(map(str, READABLE_VERSIONS))}; {hint}",
                                zh=zh_rebuild(directory, f"的格式版本是 {got}，本程序读取版本 {FORMAT_VERSION}"))
    return man


def verify_files(directory: Path, man: dict[str, Any]) -> None:
    hint = rebuild_hint(directory)
    for rel, info in man.get("files", {}).items():
        p = directory / rel
        if not p.is_file():
            raise IndexCorrupt(f"the index at {directory} is incomplete: {rel} is missing; {hint}",
                               zh=zh_rebuild(directory, f"不完整（缺少 {rel}）"))
        if p.stat().st_size != info["size"] or sha256_file(p) != info["sha256"]:
            raise IndexCorrupt(f"the index at {directory} is corrupt: {rel} has {p.stat().st_size} bytes, "
                               f"expected {info['size']} with the recorded checksum; {hint}",
                               zh=zh_rebuild(directory, f"已损坏（{rel} 与校验和不符）"))


def write_index(idx: Any, directory: Path, store: dict[str, Any] | None = None, compact: bool = False) -> Path:
    """Write ``idx`` (a ClauseIndex) atomically: appended segments when ``index.seglog.plan``
    allows and not ``compact``, else the whole index (temp directory + rename swap). ``store``
    (the document store's transaction) is recorded as ``manifest["store"]``."""
    from index import seglog

    p = None if compact else seglog.plan(idx, directory)
    if p is not None:
        try:
            man = seglog.write_append(idx, directory, p, store)
        except OSError as e:
            raise _write_error(directory, e) from e
        seglog.remember(idx, directory, man)
        return directory
    if compact and (idx._lexical.n != idx._lexical.fitted_n or idx._lexical.avgdl is None):
        idx._lexical = idx._fit_lexical(idx.chunks)  # rows added or removed since the last fit
        idx._reset_caches()
    man = _write_full(idx, directory, store)
    seglog.remember(idx, directory, man)
    return directory


def _write_error(directory: Path, e: OSError) -> IndexError_:
    return IndexError_(f"cannot write the index to {directory}: {e}. Check that the directory is "
                       "writable and the disk has space, then run the command again.",
                       zh=f"无法写入索引 {directory}（{e.strerror or e}）：请检查目录是否可写、磁盘空间是否充足，"
                          "然后重新运行。原有索引未改动。")


def _write_full(idx: Any, directory: Path, store: dict[str, Any] | None) -> dict[str, Any]:
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = directory.parent / f".{directory.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir()
        idx._dense.save(tmp / "dense.faiss")
        write_json(tmp / "docs.json", [m.to_dict() for m in idx.metas.values()])
        write_jsonl(tmp / "clauses.jsonl", (c.to_dict() for d in idx.metas for c in idx.doc_clauses(d)))
        write_jsonl(tmp / "chunks.jsonl", (c.to_dict() for c in idx.chunks))
        idx._lexical.save(tmp / "bm25")
        man = idx.manifest()
        man["files"] = {
            str(p.relative_to(tmp)): {"sha256": sha256_file(p), "size": p.stat().st_size}
            for p in sorted(tmp.rglob("*")) if p.is_file()
        }
        man.update(log=[], base_rows=len(idx.chunks))
        if store is not None:
            man["store"] = store
        man["manifest_sha256"] = manifest_digest(man)
        write_json(tmp / "manifest.json", man)
        fsync_dir(tmp)
        old = None
        if directory.exists():
            old = directory.parent / f".{directory.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            os.replace(directory, old)
        os.replace(tmp, directory)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        raise _write_error(directory, e) from e
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return man


def read_shared(directory: Path) -> tuple[list[Clause], list[Chunk]]:
    """The saved clauses and chunks, each repeated string held once: a document's id and source
    are one object for all its clauses, and a chunk that is its whole clause shares the clause's id
    and text (at 150k clauses 426 → 262 MB of objects). Shared while reading, so the copies that
    JSON makes are freed line by line rather than after the whole file."""
    pool: dict[str, str] = {}
    clauses: list[Clause] = []
    by_id: dict[str, Clause] = {}
    for d in iter_jsonl(directory / "clauses.jsonl"):
        for key in ("doc_id", "source", "section_path", "kind"):
            if isinstance(d.get(key), str):
                d[key] = pool.setdefault(d[key], d[key])
        c = Clause.from_dict(d)
        clauses.append(c)
        by_id[c.clause_id] = c
    chunks: list[Chunk] = []
    for d in iter_jsonl(directory / "chunks.jsonl"):
        c = by_id.get(d.get("clause_id", ""))
        if c is not None:
            d["clause_id"], d["doc_id"] = c.clause_id, c.doc_id
            if d.get("chunk_id") == c.clause_id:
                d["chunk_id"] = c.clause_id
            if d.get("text") == c.text:
                d["text"] = c.text
        chunks.append(Chunk.from_dict(d))
    return clauses, chunks


def read_index(cls: Any, directory: Path, embedder: Any, config: IndexConfig | None, chunk_fn: Any) -> Any:
    """``ClauseIndex.load`` (see there): verify the files, read them, install them into ``cls(...)``."""
    directory = resolve_dir(Path(directory))
    clean_orphans(directory)
    man = read_manifest(directory)
    hint = rebuild_hint(directory)
    if man.get("model") != embedder.name or int(man.get("dim", -1)) != int(embedder.dim):
        raise IndexIncompatible(
            f"the index at {directory} was built with model '{man.get('model')}' (dim {man.get('dim')}); "
            f"the embedder given is '{embedder.name}' (dim {embedder.dim}). Open it with --model "
            f"{man.get('model')}, or rebuild it for this model: `policyqa index CORPUS --index {directory} "
            f"--model {embedder.name}`",
            zh=f"索引 {directory} 是用模型 {man.get('model')} 建立的，当前模型是 {embedder.name}。请加 "
               f"--model {man.get('model')} 打开它，或运行 `policyqa index 语料目录 --index {directory}` 重建。")
    verify_files(directory, man)
    stored = IndexConfig.from_dict(man.get("config", {}))
    config = config or stored
    idx = cls(embedder, config, chunk_fn)
    try:
        metas = [DocMeta.from_dict(m) for m in json.loads((directory / "docs.json").read_text("utf-8"))]
        clause_list, chunks = read_shared(directory)
        dense = DenseIndex.load(directory / "dense.faiss", config.dense_params(),
                                int(man.get("dense", {}).get("trained_on", 0)))
        lexical = LexicalIndex.load(directory / "bm25")
        if man.get("log"):
            from index.seglog import replay

            dense = replay(directory, man["log"], metas, clause_list, chunks, dense, lexical, stored.dense_params())
            dense = DenseIndex(dense.index, dense.dim, config.dense_params(), dense.trained_on)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as e:
        raise IndexCorrupt(f"the index at {directory} cannot be read ({type(e).__name__}: {e}); {hint}",
                           zh=zh_rebuild(directory, "无法读取")) from e
    lexical.refit_fraction, lexical.max_postings = config.bm25_refit_fraction, config.bm25_max_postings
    counts = man.get("counts", {})
    found = {"documents": len(metas), "clauses": len(clause_list), "chunks": len(chunks)}
    if found != counts or dense.n != len(chunks) or lexical.n != len(chunks) or dense.dim != embedder.dim:
        raise IndexCorrupt(
            f"the index at {directory} is inconsistent: manifest counts {counts}, files hold {found}, "
            f"FAISS {dense.n} rows of dim {dense.dim}, BM25 {lexical.n} rows; {hint}",
            zh=zh_rebuild(directory, "内部不一致"))
    metas_by_id = {m.doc_id: m for m in metas}
    clauses = {c.clause_id: c for c in clause_list}
    doc_clause_ids: dict[str, list[str]] = {d: [] for d in metas_by_id}
    for c in clause_list:
        doc_clause_ids.setdefault(c.doc_id, []).append(c.clause_id)
    doc_rows: dict[str, list[int]] = {d: [] for d in metas_by_id}
    for i, ch in enumerate(chunks):
        if ch.doc_id not in metas_by_id or ch.clause_id not in clauses:
            raise IndexCorrupt(f"the index at {directory} is inconsistent: chunk {ch.chunk_id} has no "
                               f"document / clause; {hint}", zh=zh_rebuild(directory, "内部不一致"))
        doc_rows[ch.doc_id].append(i)
    docs_info = man.get("documents", {})
    fps = {d: docs_info.get(d, {}).get("fingerprint", "") for d in metas_by_id}
    refit = stored.index_affecting() != config.index_affecting()
    rebuild_dense = (stored.dense_kind, stored.ann_threshold) != (config.dense_kind, config.ann_threshold)
    if rebuild_dense:
        dense = DenseIndex.from_vectors(dense.vectors(), config.dense_params())
    idx._install(metas_by_id, clauses, doc_clause_ids, chunks,
                 {d: np.asarray(r, dtype=np.int64) for d, r in doc_rows.items()}, fps, dense,
                 None if refit else lexical)
    idx.sources = dict(man.get("sources") or {})
    idx.store_state = man.get("store")
    idx.loaded_from = directory
    idx.dirty = refit or rebuild_dense
    from index.seglog import forget, remember

    forget(idx) if idx.dirty else remember(idx, directory, man)
    return idx
