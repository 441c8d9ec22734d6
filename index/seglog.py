"""The append-only part of a saved index: segments and tombstones after the base files.

A save after adds and removals writes only what changed since the index was loaded or last
saved, into the index directory next to the base files (``index.persist``)::

    DIR/seg-<pid>-<n>-<tag>/   one per save that added rows: docs.json, clauses.jsonl, chunks.jsonl
                               (the new rows, in row order), vectors.npy and bm25/ (``index.segments``)
    DIR/del-<pid>-<n>-<tag>.json   a tombstone list: the documents (and their chunk ids) removed

then atomically replaces ``manifest.json``, whose ``"log"`` lists them in order (with every file's
size and SHA-256 under ``"files"``, the document store's transaction id under ``"store"``). The
manifest stays the single commit point: files it does not list are ignored on load and removed
by the next save once their writer is dead. Loading replays the log over the base (``replay``).

``plan`` decides whether a save can append: the index in memory must be the one on disk with
rows removed (``drop_documents``, order kept, BM25 statistics of the last fit kept) and rows
appended at the end, the same dense kind and IVF cells, the same BM25 fit (its N, avgdl and
vocabulary; segments merged in memory since are cut to the new rows); and the log must stay
under ``IndexConfig.compact_segments`` entries and ``compact_fraction`` of the base rows.
Otherwise (or on ``policyqa index --compact``) the whole index is rewritten (compaction).

Example:
    >>> import tempfile
    >>> from index.fake import HashEmbedder
    >>> from index.store import ClauseIndex, clause_chunks
    >>> from ingest.types import Document
    >>> def law(i, text):
    ...     d = f"law{i}#0"
    ...     return Document(DocMeta(d, f"law{i}.txt", title="湖南省科学技术普及条例"),
    ...                     [Clause(f"{d}/第{i}条", d, f"law{i}.txt", f"第{i}条", [], text)])
    >>> idx = ClauseIndex.build([law(i, f"第{i}条 科普场馆应当向公众免费开放。") for i in range(1, 6)],
    ...                         HashEmbedder(), chunk_fn=clause_chunks)
    >>> ix = Path(tempfile.mkdtemp()) / "ix"
    >>> _ = idx.save(ix)
    >>> _ = idx.add([law(6, "第六条 县级以上人民政府应当将科普经费列入同级财政预算。")])
    >>> _ = idx.save(ix)
    >>> [e["kind"] for e in json.loads((ix / "manifest.json").read_text("utf-8"))["log"]]
    ['add']
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from index.dense import DenseIndex
from index.fsutil import fsync_dir, sha256_file
from index.segments import (
    drop_rows,
    load_dense_segment,
    load_lexical_segment,
    save_dense_segment,
    save_lexical_segment,
)
from ingest.types import Chunk, Clause, DocMeta

PREFIXES = ("seg-", "del-", ".manifest.json.tmp-")


@dataclass(frozen=True)
class OnDisk:
    """What the index directory holds, as the index in memory last saw it (loaded or saved)."""

    directory: Path
    manifest_sha256: str
    chunks: list[Chunk]  # a copy of the row list (the same objects)
    docs: dict[str, tuple[DocMeta, str]]  # doc id -> (meta, fingerprint)
    dense: tuple[str, int, int]  # kind, IVF cells, rows the cells were trained on
    lexical: tuple[int, float | None, str]  # fitted rows, avgdl, tokenizer
    vocab: tuple[str, ...]
    log: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, Any] = field(default_factory=dict)
    base_rows: int = 0


def dense_key(dense: DenseIndex) -> tuple[str, int, int]:
    return dense.kind, int(getattr(dense.index, "nlist", 0)), int(dense.trained_on)


def remember(idx: Any, directory: Path, man: dict[str, Any]) -> None:
    """Record on ``idx`` that ``directory`` now holds exactly it (after a load or a save)."""
    lex = idx._lexical
    idx.on_disk = OnDisk(Path(directory).resolve(), _digest(man), list(idx.chunks),
                         {d: (m, idx.fingerprints[d]) for d, m in idx.metas.items()}, dense_key(idx._dense),
                         (lex.fitted_n, lex.avgdl, lex.tokenizer), tuple(lex.vocab), list(man.get("log", [])),
                         dict(man.get("files", {})), int(man.get("base_rows", len(idx.chunks))))
    idx.lex_trust = (tuple(lex.segments), lex.n)


def forget(idx: Any) -> None:
    """The index in memory no longer matches its directory in a way a segment can express."""
    idx.on_disk = None
    idx.lex_trust = None


@dataclass(frozen=True)
class Plan:
    removed: list[str]  # doc ids on disk that are gone (or replaced) in memory
    removed_chunks: list[str]
    first_new: int  # rows first_new … are new
    new_docs: list[str]
    lex_kept: tuple[Any, ...] = ()  # BM25 segments holding on-disk rows; those after them hold only new rows
    lex_cut: bool = False  # new rows also sit inside lex_kept (merged or renumbered since): cut them out


def plan(idx: Any, directory: Path) -> Plan | None:
    """How to save ``idx`` to ``directory`` by appending, or None when it must be rewritten."""
    disk: OnDisk | None = getattr(idx, "on_disk", None)
    trust = getattr(idx, "lex_trust", None)
    if disk is None or trust is None or disk.directory != Path(directory).resolve():
        return None
    man = _disk_manifest(directory)
    if man is None or _digest(man) != disk.manifest_sha256:
        return None  # another writer committed since, or the directory is damaged
    lex = idx._lexical
    if (lex.fitted_n, lex.avgdl, lex.tokenizer) != disk.lexical or dense_key(idx._dense) != disk.dense:
        return None
    if idx._dense.kind == "hnsw" or len(lex.vocab) < len(disk.vocab):
        return None
    segs, trusted_n = trust
    if len(lex.segments) < len(segs) or any(a is not b for a, b in zip(lex.segments, segs, strict=False)):
        segs, trusted_n = tuple(lex.segments), len(idx.chunks) + 1  # merged since (same fit): cut the new rows out
    if tuple(islice(lex.vocab, len(disk.vocab))) != disk.vocab:
        return None
    kept = {d for d, (m, fp) in disk.docs.items() if d in idx.metas and idx.fingerprints.get(d) == fp
            and idx.metas[d] == m}
    removed = sorted(set(disk.docs) - kept)
    prefix = [c for c in disk.chunks if c.doc_id in kept] if removed else disk.chunks
    m = len(prefix)
    if idx.chunks[:m] != prefix:
        return None
    new_docs = [d for d in idx.metas if d not in kept]
    tail = {c.doc_id for c in idx.chunks[m:]}
    if not tail <= set(new_docs) or any(int(idx._doc_rows[d].min(initial=m)) < m for d in new_docs):
        return None
    if removed and idx._dense.params.choose(m) != disk.dense[0] and disk.dense[0] != "flat":
        return None  # replaying the removal would switch the dense kind
    rows_logged = sum(e.get("rows", 0) if e["kind"] == "add" else e.get("removed_rows", 0) for e in disk.log)
    n_removed = len(disk.chunks) - m
    entries = len(disk.log) + bool(removed) + (len(idx.chunks) > m)
    if entries > idx.config.compact_segments or \
            rows_logged + n_removed + len(idx.chunks) - m > idx.config.compact_fraction * max(disk.base_rows, 1):
        return None
    if trusted_n < m:
        return None
    removed_chunks = [c.chunk_id for c in disk.chunks if c.doc_id not in kept] if removed else []
    return Plan(removed, removed_chunks, m, new_docs, segs, trusted_n > m)


def _digest(man: dict[str, Any]) -> str:
    """The manifest's own checksum (computed for manifests written before it was recorded)."""
    from index.persist import manifest_digest

    return man.get("manifest_sha256") or manifest_digest(man)


def _disk_manifest(directory: Path) -> dict[str, Any] | None:
    try:
        man = json.loads((Path(directory) / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return man if isinstance(man, dict) else None


def _name(kind: str) -> str:
    return f"{kind}-{os.getpid()}-{uuid.uuid4().hex[:12]}"


def write_append(idx: Any, directory: Path, p: Plan, store: dict[str, Any] | None) -> dict[str, Any]:
    """Write the tombstone list and the new segment, then the manifest (the commit point)."""
    from index import persist  # the writers (tests replace them to simulate a full disk)

    disk: OnDisk = idx.on_disk
    directory = Path(directory)
    collect_garbage(directory, disk.files, disk.log)
    made: list[Path] = []
    log = list(disk.log)
    files = dict(disk.files)
    committed = False
    try:
        if p.removed:
            name = _name("del") + ".json"
            made.append(directory / name)
            persist.write_json(directory / name, {"documents": p.removed, "chunks": p.removed_chunks})
            log.append({"kind": "remove", "file": name, "documents": p.removed, "removed_rows": len(p.removed_chunks)})
            files[name] = _file_info(directory / name)
        if len(idx.chunks) > p.first_new:
            seg = directory / _name("seg")
            made.append(seg)
            seg.mkdir()
            _write_segment(idx, seg, p, persist)
            for f in sorted(seg.rglob("*")):
                if f.is_file():
                    files[str(f.relative_to(directory))] = _file_info(f)
            for d in [seg, *(x for x in seg.rglob("*") if x.is_dir())]:
                fsync_dir(d)
            lex_meta = json.loads((seg / "segment.json").read_text("utf-8"))["lexical"]
            log.append({"kind": "add", "dir": seg.name, "rows": len(idx.chunks) - p.first_new,
                        "documents": len(p.new_docs), "lexical": lex_meta})
        fsync_dir(directory)
        man = idx.manifest()
        man.update(files=files, log=log, base_rows=disk.base_rows)
        if store is not None:
            man["store"] = store
        man["manifest_sha256"] = persist.manifest_digest(man)
        tmp = directory / f".manifest.json.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        made.append(tmp)
        persist.write_json(tmp, man)
        os.replace(tmp, directory / "manifest.json")  # the commit point
        committed = True
        fsync_dir(directory)
    finally:
        if not committed:
            for f in made:
                shutil.rmtree(f, ignore_errors=True) if f.is_dir() else f.unlink(missing_ok=True)
    return man


def _write_segment(idx: Any, seg: Path, p: Plan, persist: Any) -> None:
    first = p.first_new
    new_chunks = idx.chunks[first:]
    persist.write_json(seg / "docs.json", [idx.metas[d].to_dict() for d in p.new_docs])
    persist.write_jsonl(seg / "clauses.jsonl", (c.to_dict() for d in p.new_docs for c in idx.doc_clauses(d)))
    persist.write_jsonl(seg / "chunks.jsonl", (c.to_dict() for c in new_chunks))
    save_dense_segment(idx._dense, first, seg / "vectors.npy")
    lex_meta = save_lexical_segment(idx._lexical, first, len(idx.on_disk.vocab), seg / "bm25",
                                    kept=p.lex_kept, cut_kept=p.lex_cut)
    persist.write_json(seg / "segment.json", {"rows": [first, len(idx.chunks)], "lexical": lex_meta})


def _file_info(path: Path) -> dict[str, Any]:
    return {"sha256": sha256_file(path), "size": path.stat().st_size}


def collect_garbage(directory: Path, files: dict[str, Any], log: list[dict[str, Any]]) -> list[Path]:
    """Remove segment / tombstone / manifest temp files that the manifest does not list and whose
    writer (the pid in the name) is this process or dead: left by a save that never committed."""
    from index.txn import _writer_alive

    listed = {e.get("dir") or e.get("file") for e in log} | {rel.split("/", 1)[0] for rel in files}
    gone = []
    for p in Path(directory).iterdir() if Path(directory).is_dir() else ():
        if not p.name.startswith(PREFIXES) or p.name in listed:
            continue
        pid_name = p.name.replace(".manifest.json.tmp-", "x-").split(".")[0]
        if _writer_alive("." + pid_name):
            continue
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        gone.append(p)
    return gone


# ---------------------------------------------------------------------- loading


def replay(directory: Path, log: list[dict[str, Any]], metas: list[DocMeta], clauses: list[Clause],
           chunks: list[Chunk], dense: DenseIndex, lexical: Any, dense_params: Any) -> DenseIndex:
    """Apply the manifest's log to the base read from ``directory``; lists are changed in place.
    Returns the dense index (a removal makes a new one)."""
    from index.persist import read_jsonl

    for e in log:
        if e["kind"] == "remove":
            tomb = json.loads((directory / e["file"]).read_text("utf-8"))
            gone = set(tomb["documents"])
            keep = np.fromiter((c.doc_id not in gone for c in chunks), dtype=bool, count=len(chunks))
            dropped = [c.chunk_id for c, k in zip(chunks, keep, strict=True) if not k]
            if dropped != tomb["chunks"] or not gone <= {m.doc_id for m in metas}:
                raise ValueError(f"tombstone list {e['file']} names rows the index does not hold")
            metas[:] = [m for m in metas if m.doc_id not in gone]
            clauses[:] = [c for c in clauses if c.doc_id not in gone]
            chunks[:] = [c for c, k in zip(chunks, keep, strict=True) if k]
            dense = DenseIndex.from_vectors(dense.vectors()[keep], dense_params, like=dense)
            drop_rows(lexical, keep)
        elif e["kind"] == "add":
            seg = directory / e["dir"]
            metas.extend(DocMeta.from_dict(m) for m in json.loads((seg / "docs.json").read_text("utf-8")))
            clauses.extend(Clause.from_dict(d) for d in read_jsonl(seg / "clauses.jsonl"))
            new = [Chunk.from_dict(d) for d in read_jsonl(seg / "chunks.jsonl")]
            if len(new) != int(e["rows"]) or e["lexical"]["rows"] != [len(chunks), len(chunks) + len(new)]:
                raise ValueError(f"segment {e['dir']} holds {len(new)} rows; the manifest says {e['rows']}")
            chunks.extend(new)
            load_dense_segment(dense, seg / "vectors.npy", len(new))
            load_lexical_segment(lexical, seg / "bm25", e["lexical"])
        else:
            raise ValueError(f"unknown log entry {e.get('kind')!r} in the manifest")
    if len(lexical.segments) > 16:
        lexical.compact()
    return dense


# ---------------------------------------------------------------------- removing in memory


def drop_documents(idx: Any, doc_ids: Any) -> dict[str, Any]:
    """Remove documents from ``idx`` in memory exactly as a tombstone replays on load: the other
    rows keep their order, vectors (same IVF cells) and BM25 impacts; nothing is re-embedded."""
    drop = set(doc_ids) & set(idx.metas)
    report = {"added": [], "changed": [], "removed": sorted(drop), "unchanged": [d for d in idx.metas if d not in drop],
              "embedded": 0, "mode": "remove"}
    if drop:
        trust = getattr(idx, "lex_trust", None)
        keep = np.fromiter((c.doc_id not in drop for c in idx.chunks), dtype=bool, count=len(idx.chunks))
        new_id = np.cumsum(keep) - 1
        chunks = [c for c, k in zip(idx.chunks, keep, strict=True) if k]
        metas = {d: m for d, m in idx.metas.items() if d not in drop}
        clause_ids = {d: idx._doc_clause_ids[d] for d in metas}
        clauses = {c: idx.clauses[c] for ids in clause_ids.values() for c in ids}
        rows = {d: new_id[idx._doc_rows[d]].astype(np.int64) for d in metas}
        fps = {d: idx.fingerprints[d] for d in metas}
        dense = DenseIndex.from_vectors(idx._dense.vectors()[keep], idx.config.dense_params(), like=idx._dense)
        lexical = idx._lexical.copy()
        drop_rows(lexical, keep)
        idx._install(metas, clauses, clause_ids, chunks, rows, fps, dense, lexical)
        idx.lex_trust = (tuple(lexical.segments), lexical.n) if trust is not None else None
    report.update(documents=len(idx.metas), chunks=len(idx.chunks))
    idx.last_update = report
    return report
