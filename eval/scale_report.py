"""The scale benchmark's real-model parts and its report: embedding throughput, answer quality with
distractors, the latency / memory plot and ``report.md``.

Example:
    >>> rows = size_rows([{"size": 10000, "build": {"chunks": 10000, "index_mb": 20.5},
    ...                    "serve": {"retrieve_ms": {"p50": 4.0, "p95": 9.0}}}])
    >>> rows[0][:3]
    ['10,000', '20.5', '']
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


class CachingEmbedder:
    """Wraps a real embedder; passages already embedded in this process are not embedded again."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.cache: dict[str, np.ndarray] = {}
        self.encoded = 0

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if todo:
            vecs = np.asarray(self.inner.encode_passages(todo, show_progress=show_progress), dtype=np.float32)
            self.cache.update(zip(todo, vecs, strict=True))
            self.encoded += len(todo)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


def embedding_speed(embedder: Any, texts: Sequence[str], questions: Sequence[str]) -> dict[str, Any]:
    """Passages per second over ``texts`` (one batch call) and single-query latency."""
    t0 = time.perf_counter()
    vecs = embedder.encode_passages(list(texts), show_progress=True)
    s = time.perf_counter() - t0
    q_ms = []
    for q in questions:
        t = time.perf_counter()
        embedder.encode_queries([q])
        q_ms.append((time.perf_counter() - t) * 1000)
    from eval.scale import percentiles

    return {"model": embedder.name, "passages": len(texts), "seconds": round(s, 1),
            "passages_per_s": round(len(texts) / max(s, 1e-9), 1), "query_ms": percentiles(q_ms),
            "vectors": np.asarray(vecs, dtype=np.float32)}


def quality_run(name: str, gold: Path, corpus: Path, distractors: Sequence[Path], embedder: Any, out: Path,
                ingest_config: Any, index_config: Any, progress: bool) -> dict[str, Any]:
    """R@5 and keyword accuracy of a gold set on its corpus alone and with ``distractors`` added."""
    from eval.gold_io import load_gold
    from eval.run import run_benchmark
    from index.store import ClauseIndex, corpus_files, default_chunk_fn
    from ingest.pipeline import ingest_paths

    items = load_gold(gold)
    own = ingest_paths(corpus_files(corpus), ingest_config, progress=False).documents
    extra = ingest_paths(list(distractors), ingest_config, progress=progress).documents if distractors else []
    res: dict[str, Any] = {"gold": str(gold), "corpus": str(corpus), "questions": len(items),
                           "distractor_documents": len(extra)}
    for label, docs in (("alone", own), ("with_distractors", own + extra)):
        t0 = time.perf_counter()
        idx = ClauseIndex.build(docs, embedder, index_config, default_chunk_fn(ingest_config), progress=progress)
        build_s = time.perf_counter() - t0
        summary = run_benchmark(items, idx, out / f"{name}-{label}", progress=progress, report=False)
        ov = summary["project"]["overall"]
        res[label] = {"documents": len(idx.metas), "chunks": len(idx.chunks), "build_seconds": round(build_s, 1),
                      "recall@5": ov.get("recall@5"), "keyword_accuracy": ov.get("keyword_accuracy"),
                      "answer_p50_ms": ov.get("latency_p50_ms"), "answer_p95_ms": ov.get("latency_p95_ms")}
    a, b = res["alone"], res["with_distractors"]
    res["recall@5_drop"] = None if a["recall@5"] is None or b["recall@5"] is None else round(a["recall@5"] - b["recall@5"], 4)
    return res


def _get(d: Mapping[str, Any], *path: str) -> Any:
    for p in path:
        if not isinstance(d, Mapping) or p not in d:
            return None
        d = d[p]
    return d


def size_rows(sizes: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    def f(v: Any, fmt: str = "{:.1f}") -> str:
        return "" if v is None else fmt.format(v)

    rows = []
    for s in sizes:
        b, v = s.get("build") or {}, s.get("serve") or {}
        rows.append([f"{b.get('chunks', s['size']):,}", f(b.get("index_mb")), f(b.get("build_seconds")),
                     f(b.get("build_peak_rss_mb"), "{:.0f}"), f(v.get("serve_peak_rss_mb"), "{:.0f}"),
                     f(v.get("serve_rss_after_load_mb"), "{:.0f}"), f(_get(v, "retrieve_ms", "p50")), f(_get(v, "retrieve_ms", "p95")),
                     f(_get(v, "answer_ms", "p50")), f(_get(v, "answer_ms", "p95")),
                     f(_get(v, "add_one_document", "seconds"), "{:.2f}"),
                     f(_get(v, "add_one_document", "save_seconds")), str(_get(b, "dense", "kind") or "")])
    return rows


def plot_scale(sizes: Sequence[Mapping[str, Any]], path: Path) -> Path | None:
    """Latency (retrieve p50/p95, answer p95) and peak RSS against the number of chunks (log x)."""
    from eval.report import _plt

    ok = [s for s in sizes if s.get("serve")]
    if not ok:
        return None
    plt = _plt()
    x = [s["build"]["chunks"] for s in ok]

    def ys(part: str, key: str) -> list[float]:
        return [float("nan") if s[part].get(key) is None else float(s[part][key]) for s in ok]

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    for key, pct, style in (("retrieve_ms", "p50", "o-"), ("retrieve_ms", "p95", "o--"), ("answer_ms", "p95", "s-")):
        a1.plot(x, [s["serve"][key][pct] for s in ok], style, label=f"{key.split('_')[0]} {pct}")
    a1.axhline(30, color="grey", lw=0.8, ls=":", label="30 ms")
    a1.axhline(300, color="grey", lw=0.8, ls="-.", label="300 ms")
    a1.set(xscale="log", yscale="log", xlabel="chunks", ylabel="ms", title="latency")
    a1.legend(fontsize=8)
    a2.plot(x, ys("serve", "serve_rss_after_load_mb"), "o-", label="RSS after load")
    a2.plot(x, ys("serve", "serve_peak_rss_mb"), "o--", label="serve peak RSS (incl. add + save)")
    a2.plot(x, ys("build", "build_peak_rss_mb"), "s--", label="build peak RSS")
    a2.plot(x, ys("build", "index_mb"), "^:", label="index on disk")
    a2.axhline(4096, color="grey", lw=0.8, ls=":", label="4 GB")
    a2.set(xscale="log", xlabel="chunks", ylabel="MB", title="memory and disk")
    a2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def render(summary: Mapping[str, Any]) -> str:
    """``report.md`` of a bench run."""
    from eval.report import _table

    lines = ["# Scale benchmark", "", f"Run {summary.get('finished', '')}; machine: {summary.get('machine', '')}", ""]
    p = summary.get("prepare") or {}
    if p:
        lines += ["## Real corpus", "",
                  f"{p['files']} files → {p['documents']} documents, {p['clauses']:,} clauses, {p['chunks']:,} chunks "
                  f"({p['ingest_errors']} ingest errors). Ingest {p['ingest_seconds']} s = "
                  f"**{p['ingest_clauses_per_s']} clauses/s**; chunking {p['chunk_seconds']} s = {p['chunks_per_s']} chunks/s.", ""]
    c = summary.get("change_check") or {}
    if c:
        lines += [f"Change check of the corpus folder ({c['files']:,} files, `index.changes.scan`: stats, hashes "
                  f"only of files whose stats moved, no parsing): nothing changed **{c['unchanged_seconds']} s**, "
                  f"one file changed **{c['one_changed_seconds']} s** (the first scan, hashing every file: "
                  f"{c['first_scan_seconds']} s).", ""]
    e = summary.get("embedding") or {}
    if e:
        lines += [f"Embedding ({e['model']}, real model, a sample of {e['passages']} chunks): "
                  f"**{e['passages_per_s']} chunks/s**; one query p50 {e['query_ms']['p50']} ms, "
                  f"p95 {e['query_ms']['p95']} ms.", ""]
    sizes = summary.get("sizes") or []
    if sizes:
        lines += ["## Sizes", "", str(summary.get("sizes_note", "")), "",
                  *_table(["chunks", "index MB", "build s", "build RSS MB", "serve peak MB", "loaded MB", "retrieve p50 ms",
                           "retrieve p95 ms", "answer p50 ms", "answer p95 ms", "add 1 doc s", "save s", "FAISS"],
                          size_rows(sizes)), "", "![latency and memory](scale.png)", ""]
        types = sorted({t for s in sizes for t in (_get(s, "serve", "answer_ms_by_type") or {})})
        if types:
            def cell(s: dict, t: str) -> str:
                row = _get(s, "serve", "answer_ms_by_type", t) or {}
                cpu = _get(s, "serve", "answer_cpu_ms_by_type", t) or {}
                return (f"{row['p50']} / {row['p95']}" + (f" (CPU {cpu['p50']} / {cpu['p95']})" if cpu else "")
                        + (f" n={row['n']}" if "n" in row else "")) if row else ""

            rows = [[f"{_get(s, 'build', 'chunks') or s['size']:,}"] + [cell(s, t) for t in types] for s in sizes]
            lines += ["Full answer p50 / p95 (ms) by question type, wall (this process's CPU: a busy machine inflates "
                      "wall time):", "", *_table(["chunks", *types], rows), ""]
            slow = [f"- {t}: {ms} ms, {q}" for s in sizes[-1:]
                    for t, v in sorted((_get(s, "serve", "slowest_answers") or {}).items()) for ms, q in v[:1]]
            if slow:
                lines += [f"Slowest answer of each type at {sizes[-1]['size']:,} chunks:", "", *slow, ""]
    q = summary.get("quality") or []
    if q:
        rows = [[r["gold"], str(r["questions"]), str(r["distractor_documents"]),
                 f"{r['alone']['recall@5']:.3f}", f"{r['with_distractors']['recall@5']:.3f}", f"{r['recall@5_drop']:+.3f}",
                 f"{r['alone']['keyword_accuracy']:.3f}", f"{r['with_distractors']['keyword_accuracy']:.3f}",
                 str(r["with_distractors"]["chunks"])] for r in q]
        lines += ["## Answer quality with scale documents as distractors", "", str(summary.get("quality_note", "")), "",
                  *_table(["gold set", "questions", "distractor docs", "R@5 alone", "R@5 mixed", "drop",
                           "keywords alone", "keywords mixed", "chunks mixed"], rows), ""]
    return "\n".join(lines) + "\n"
