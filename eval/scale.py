"""The scale benchmark's measurements: a real corpus, multiplied synthetically to any size.

Pieces (each a function; ``policyqa bench`` wires them, ``eval.scale_report`` writes the report):

- ``extract_corpus``: the scale corpus tarball unpacked once into a cache folder (never the repo);
- ``prepare``: ingest + chunk the real corpus (timed: ingest clauses/s, chunk rate) and store it
  as JSONL in the work folder, so each size runs in its own process from the same input;
- ``multiply``: documents and chunks grown to a target number of chunks by copies of the real
  ones (doc ids ``<id>~<k>``, the copy number in the title so texts differ);
- ``SampleVectors``: a stand-in embedder for sizes that cannot be embedded here (a million
  chunks would take a day with the fp32 model): every text gets a real e5 vector of a small real
  sample (chosen by a hash of the text) plus Gaussian noise, renormalised. Queries too, so
  timings exclude the model; the model's own query time is measured separately;
- ``measure_size``: in a child process, build an index of N chunks (build time, peak RSS),
  save it (size on disk), then in another child load it and time ``retrieve`` and the full
  ``chatbot.answer.answer`` per question type, adding one document and saving again.

Example:
    >>> percentiles([12.0, 10.0, 11.0, 50.0])
    {'p50': 11.5, 'p95': 44.3}
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys
import tarfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ingest.types import Chunk, Document


def peak_rss_mb() -> float:
    """Peak resident memory of this process: ``VmHWM`` (ru_maxrss survives exec on Linux, so a child
    started by a large parent would report the parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentiles(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p95": float("nan")}
    a = np.asarray(values, dtype=np.float64)
    return {"p50": round(float(np.percentile(a, 50)), 2), "p95": round(float(np.percentile(a, 95)), 2)}


def extract_corpus(tarball: Path, cache_dir: Path) -> Path:
    """Unpack ``tarball`` into ``cache_dir/<name>/`` once (a ``.complete`` marker says it finished)."""
    name = tarball.name.split(".tar")[0]
    target = Path(cache_dir) / name
    if (target / ".complete").is_file():
        return target
    if not tarball.is_file():
        raise FileNotFoundError(f"scale corpus {tarball} not found; pass --corpus-tar PATH or --corpus DIR")
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as tf:
        tf.extractall(target, filter="data")
    (target / ".complete").write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), encoding="utf-8")
    return target


def every_nth(files: list[Path], limit: int) -> list[Path]:
    """``limit`` files spread evenly over the sorted list (all when ``limit`` <= 0)."""
    if limit <= 0 or limit >= len(files):
        return files
    step = len(files) / limit
    return [files[int(i * step)] for i in range(limit)]


def prepare(corpus_dir: Path, work: Path, ingest_config: Any, limit_files: int = 0,
            progress: bool = True) -> dict[str, Any]:
    """Ingest and chunk the real corpus into ``work/docs.jsonl`` + ``work/chunks.jsonl``; timings."""
    from tqdm import tqdm

    from index.store import corpus_files, default_chunk_fn
    from ingest.pipeline import ingest_paths

    files = every_nth(corpus_files(corpus_dir), limit_files)
    t0 = time.perf_counter()
    result = ingest_paths(files, ingest_config, progress=progress)
    ingest_s = time.perf_counter() - t0
    chunk_fn = default_chunk_fn(ingest_config)
    t0 = time.perf_counter()
    n_chunks = 0
    work.mkdir(parents=True, exist_ok=True)
    with open(work / "docs.jsonl", "w", encoding="utf-8") as fd, open(work / "chunks.jsonl", "w", encoding="utf-8") as fc:
        for doc in tqdm(result.documents, desc="chunk", unit="doc", disable=not progress, file=sys.stderr):
            fd.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
            chunks = chunk_fn(doc)
            n_chunks += len(chunks)
            fc.write(json.dumps([c.to_dict() for c in chunks], ensure_ascii=False) + "\n")
    chunk_s = time.perf_counter() - t0
    n_clauses = sum(len(d.clauses) for d in result.documents)
    return {"files": len(files), "documents": len(result.documents), "ingest_errors": len(result.errors),
            "clauses": n_clauses, "chunks": n_chunks, "ingest_seconds": round(ingest_s, 1),
            "ingest_clauses_per_s": round(n_clauses / max(ingest_s, 1e-9), 1),
            "chunk_seconds": round(chunk_s, 1), "chunks_per_s": round(n_chunks / max(chunk_s, 1e-9), 1)}


def load_prepared(work: Path) -> tuple[list[Document], dict[str, list[Chunk]]]:
    docs: list[Document] = []
    chunks: dict[str, list[Chunk]] = {}
    with open(work / "docs.jsonl", encoding="utf-8") as fd, open(work / "chunks.jsonl", encoding="utf-8") as fc:
        for dl, cl in zip(fd, fc, strict=True):
            doc = Document.from_dict(json.loads(dl))
            docs.append(doc)
            chunks[doc.meta.doc_id] = [Chunk.from_dict(c) for c in json.loads(cl)]
    return docs, chunks


def _copy(doc: Document, chunks: list[Chunk], k: int) -> tuple[Document, list[Chunk]]:
    """Copy ``k`` of a document: new ids, the copy number in the title, same clause texts."""
    did = f"{doc.meta.doc_id}~{k}"
    title = f"{doc.meta.title}（副本{k}）"
    meta = replace(doc.meta, doc_id=did, title=title, source=f"{Path(doc.meta.source).stem}~{k}{Path(doc.meta.source).suffix}",
                   content_hash=hashlib.sha256(f"{doc.meta.content_hash}/{k}".encode()).hexdigest())
    cmap = {c.clause_id: c.clause_id.replace(doc.meta.doc_id, did, 1) for c in doc.clauses}
    clauses = [replace(c, clause_id=cmap[c.clause_id], doc_id=did, source=meta.source) for c in doc.clauses]
    # a chunk that is its whole clause shares the clause's new id (as ``index.persist.read_shared`` does)
    new_chunks = [replace(c, chunk_id=cmap[c.clause_id] if c.chunk_id == c.clause_id
                          else c.chunk_id.replace(doc.meta.doc_id, did, 1), clause_id=cmap[c.clause_id],
                          doc_id=did, embed_text=c.embed_text.replace(doc.meta.title, title, 1))
                  for c in chunks]
    return Document(meta=meta, clauses=clauses), new_chunks


def multiply(docs: list[Document], chunks: dict[str, list[Chunk]], target: int,
             progress: bool = False) -> tuple[list[Document], dict[str, list[Chunk]]]:
    """Documents whose chunks add up to about ``target`` (the real ones first, then copies)."""
    from tqdm import tqdm

    out_docs: list[Document] = []
    out_chunks: dict[str, list[Chunk]] = {}
    total, k = 0, 0
    bar = tqdm(total=target, desc="multiply", unit="chunk", disable=not progress, file=sys.stderr)
    while total < target and docs:
        for doc in docs:
            if total >= target:
                break
            d, cs = (doc, chunks[doc.meta.doc_id]) if k == 0 else _copy(doc, chunks[doc.meta.doc_id], k)
            out_docs.append(d)
            out_chunks[d.meta.doc_id] = cs
            total += len(cs)
            bar.update(len(cs))
        k += 1
    bar.close()
    return out_docs, out_chunks


class SampleVectors:
    """Embedder stand-in: a real vector of the sample chosen by the text's hash, plus noise (see module doc)."""

    def __init__(self, sample: np.ndarray, name: str, noise: float = 0.35, seed: int = 0) -> None:
        self.sample = np.asarray(sample, dtype=np.float32)
        self.dim = int(self.sample.shape[1])
        self.name = name
        rng = np.random.default_rng(seed)
        self.bank = (rng.normal(size=(4096, self.dim)) / np.sqrt(self.dim)).astype(np.float32)
        self.noise = noise

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), 65536):  # batches: no full-size temporaries beside the result
            out[start : start + 65536] = self._encode_batch(texts[start : start + 65536])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        h = np.array([int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") >> 1
                      for t in texts], dtype=np.int64)
        v = self.sample[h % len(self.sample)] + self.noise * self.bank[(h >> 20) % len(self.bank)]
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(texts)


def chunk_lookup(chunks: dict[str, list[Chunk]]) -> Any:
    """A chunk_fn returning the prepared chunks of a document (no re-chunking)."""
    return lambda doc: chunks[doc.meta.doc_id]


def build_size(work: Path, size: int, index_dir: Path, config: Any, progress: bool) -> dict[str, Any]:
    """Child process: build and save an index of ``size`` chunks; timings and peak RSS."""
    from index.store import ClauseIndex

    docs, chunks = load_prepared(work)
    docs, chunks = multiply(docs, chunks, size, progress)
    emb = SampleVectors(np.load(work / "sample_vectors.npy"), name="sample-vectors")
    t0 = time.perf_counter()
    idx = ClauseIndex.build(docs, emb, config, chunk_lookup(chunks), progress=False)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    idx.save(index_dir)
    save_s = time.perf_counter() - t0
    size_bytes = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
    return {"chunks": len(idx.chunks), "documents": len(idx.metas), "build_seconds": round(build_s, 1),
            "save_seconds": round(save_s, 1), "index_mb": round(size_bytes / 1e6, 1), "index_bytes": size_bytes,
            "dense": idx._dense.describe(), "build_peak_rss_mb": peak_rss_mb()}


def change_check(corpus_dir: Path, ingest_config: Any, repeat: int = 3) -> dict[str, Any]:
    """Time ``index.changes.scan`` (what ``policyqa index`` runs to find changed files: stats, and
    hashes of files whose stats moved; nothing parsed) over the corpus folder, against recorded stats:
    nothing changed, and one file changed (its recorded stats and hash made stale, so the scan
    stats every file and hashes that one; the folder itself is never written). Best of ``repeat``."""
    from index.changes import scan
    from index.sync import accept_for

    accept = accept_for(ingest_config)
    t = time.perf_counter()
    known = scan(corpus_dir, {}, accept).stats
    first = time.perf_counter() - t
    rel = sorted(known)[len(known) // 2]
    stale = {**known, rel: {**known[rel], "mtime_ns": int(known[rel]["mtime_ns"]) - 1, "sha256": "0" * 64}}
    out: dict[str, Any] = {"files": len(known), "first_scan_seconds": round(first, 3)}
    for name, rec, want in (("unchanged", known, ()), ("one_changed", stale, (rel,))):
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            got = scan(corpus_dir, rec, accept)
            best = min(best, time.perf_counter() - t)
            assert got.modified == want and not got.added and not got.deleted, got.to_dict()
        out[f"{name}_seconds"] = round(best, 3)
    return out


def serve_size(work: Path, index_dir: Path, questions: list[dict[str, Any]], config: Any,
               extra_doc: int = 0, document_questions: int = 8) -> dict[str, Any]:
    """Child process: load the index, time ``retrieve`` and the full answer per question type
    (``eval.latency``: the gold questions, follow-ups with their history, plus
    ``document_questions`` about the loaded index's own documents), add one document."""
    from chatbot.answer import answer
    from eval import latency
    from index.store import ClauseIndex

    emb = SampleVectors(np.load(work / "sample_vectors.npy"), name="sample-vectors")
    t0 = time.perf_counter()
    idx = ClauseIndex.load(index_dir, emb, config)
    load_s = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()
    retrieve_ms: list[float] = []
    for q in questions[:1]:  # warm-up: first calls pay imports and caches
        answer(q["question"], idx)
    for q in questions:
        idx._qcache.clear()
        t = time.perf_counter()
        idx.retrieve(q["question"], k=5)
        retrieve_ms.append((time.perf_counter() - t) * 1000)
    timed = latency.time_answers(idx, list(questions) + latency.document_questions(idx.metas, document_questions))
    docs, chunks = load_prepared(work)
    new_doc, new_chunks = _copy(docs[extra_doc % len(docs)], chunks[docs[extra_doc % len(docs)].meta.doc_id], 10**6)
    idx._chunk_fn = chunk_lookup({new_doc.meta.doc_id: new_chunks})
    t = time.perf_counter()
    rep = idx.add([new_doc])
    add_s = time.perf_counter() - t
    before = {p: p.stat().st_mtime_ns for p in index_dir.rglob("*") if p.is_file()}
    t = time.perf_counter()
    idx.save(index_dir)
    resave_s = time.perf_counter() - t
    written = [p for p in index_dir.rglob("*") if p.is_file() and before.get(p) != p.stat().st_mtime_ns]
    return {"load_seconds": round(load_s, 1), "serve_rss_after_load_mb": rss_loaded,
            "retrieve_ms": percentiles(retrieve_ms), "answer_ms": timed["all"],
            "answer_ms_by_type": timed["by_type"], "answer_cpu_ms_by_type": timed["cpu_by_type"],
            "slowest_answers": timed["slowest"],
            "add_one_document": {"chunks": len(new_chunks), "mode": rep.get("mode"), "seconds": round(add_s, 3),
                                 "save_seconds": round(resave_s, 2), "files_written": len(written),
                                 "bytes_written": sum(p.stat().st_size for p in written)},
            "serve_peak_rss_mb": peak_rss_mb()}
