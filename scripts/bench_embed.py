"""Embedding backends side by side (onnx-fp32, onnx-int8, st-fp32 by default), one run.

Encodes the same passages (the first ``--n`` chunks of the corpus, as the index embeds them:
``embed_text`` with the ``passage: `` prompt; ``--n 0``: every chunk) and the same queries
(gold-set questions, one at a time, as ``policyqa ask`` does) with each backend, with the same
thread count, and prints passages/s (wall and CPU time of this process), the speed-up over
st-fp32, single-query p50/p95 latency, model load time and each backend's cosine to st-fp32's
vectors. A benchmark, not a test: numbers depend on the machine and its load (the load average
is printed with them).

    nice -n 10 python scripts/bench_embed.py --n 200 --threads 1 --json runs/bench-embed.json
    python scripts/bench_embed.py --n 0 --repeat 1 --backends onnx-fp32,st-fp32   # cosine on every chunk
    python scripts/bench_embed.py --corpus ../shared/dev-corpus   # 8 laws
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_chunks(corpora: list[Path], n: int) -> list[str]:
    from index.store import corpus_files, default_chunk_fn
    from ingest.config import IngestConfig
    from ingest.pipeline import ingest_paths

    config = IngestConfig()
    chunk_fn = default_chunk_fn(config)
    files = [f for corpus in corpora for f in corpus_files(corpus)]
    result = ingest_paths(files, config, progress=False)
    texts = [ch.embed_text for doc in result.documents for ch in chunk_fn(doc)]
    if n <= 0:
        return texts
    if len(texts) < n:
        raise SystemExit(f"{', '.join(map(str, corpora))} hold {len(texts)} chunks; asked for {n}. Pass a larger --corpus or a smaller --n")
    return texts[:n]


def gold_questions(paths: list[Path], n: int) -> list[str]:
    qs: list[str] = []
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                qs.append(json.loads(line)["question"])
    return qs[:n]


def measure(name: str, load: Any, passages: list[str], queries: list[str], repeat: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    emb = load()
    load_s = time.perf_counter() - t0
    emb.encode_passages(passages[:8])  # warm-up (allocations, kernels)
    best = best_cpu = float("inf")
    vecs = None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        vecs = emb.encode_passages(passages)
        best, best_cpu = min(best, time.perf_counter() - t), min(best_cpu, time.process_time() - c)
    lat, lat_cpu = [], []
    qvecs = []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        qvecs.append(emb.encode_queries([q])[0])
        lat.append((time.perf_counter() - t) * 1000)
        lat_cpu.append((time.process_time() - c) * 1000)
    return {"backend": name, "embedder": emb.name, "load_s": round(load_s, 2), "passages": len(passages),
            "passage_s": round(best, 2), "passages_per_s": round(len(passages) / best, 1),
            "query_p50_ms": round(float(np.percentile(lat, 50)), 1),
            "query_p95_ms": round(float(np.percentile(lat, 95)), 1),
            "passage_cpu_s": round(best_cpu, 2), "query_cpu_p50_ms": round(float(np.percentile(lat_cpu, 50)), 1),
            "_p": vecs, "_q": np.stack(qvecs)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, action="append", default=None,
                    help="document folder (repeatable; default: data/corpus and tests/fixtures/heldout)")
    ap.add_argument("--gold", type=Path, action="append", default=None, help="questions from here (repeatable)")
    ap.add_argument("--n", type=int, default=200, help="passages to encode (default 200; 0 = every chunk)")
    ap.add_argument("--queries", type=int, default=50, help="queries to time one by one (default 50)")
    ap.add_argument("--threads", type=int, default=1, help="CPU threads for every backend (default 1)")
    ap.add_argument("--repeat", type=int, default=2, help="passes over the passages; the best is kept")
    ap.add_argument("--backends", default="onnx-fp32,onnx-int8,st-fp32",
                    help="comma-separated; st-fp32 (the reference for cosines and speed-ups) is always added")
    ap.add_argument("--batch-size", type=int, default=0, help="ONNX texts per run (0: the backend's default, 1)")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = ap.parse_args(argv)

    from index.models import BACKENDS, ST_BACKEND, load_embedder

    backends = list(dict.fromkeys([b for b in args.backends.split(",") if b] + [ST_BACKEND]))
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown:
        ap.error(f"unknown backends {unknown}; expected some of {', '.join(BACKENDS)}")
    corpora = args.corpus or [ROOT / "data" / "corpus", ROOT / "tests" / "fixtures" / "heldout"]
    passages = corpus_chunks(corpora, args.n)
    golds = args.gold or [ROOT / "eval" / "gold.jsonl", ROOT / "eval" / "gold_heldout.jsonl"]
    queries = gold_questions(golds, args.queries)
    load_before = os.getloadavg()[0]

    def loader(backend: str) -> Any:
        def load() -> Any:
            if backend == ST_BACKEND:
                import torch

                torch.set_num_threads(args.threads)
            emb = load_embedder(backend=backend, threads=args.threads, progress=False)
            if args.batch_size and hasattr(emb, "session"):
                emb.batch_size = args.batch_size
            return emb
        return load

    runs = {b: measure(b, loader(b), passages, queries, args.repeat) for b in backends}
    ref = runs[ST_BACKEND]
    report: dict[str, Any] = {
        "threads": args.threads, "corpus": [str(c) for c in corpora], "passages": len(passages),
        "queries": len(queries), "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }
    for r in runs.values():
        cos_p, cos_q = (r["_p"] * ref["_p"]).sum(axis=1), (r["_q"] * ref["_q"]).sum(axis=1)
        r["cosine_to_st_fp32"] = {"passages_min": round(float(cos_p.min()), 7),
                                  "passages_mean": round(float(cos_p.mean()), 7),
                                  "queries_min": round(float(cos_q.min()), 7),
                                  "queries_mean": round(float(cos_q.mean()), 7)}
        r["passage_speedup"] = round(ref["passage_s"] / max(r["passage_s"], 1e-6), 2)
        # CPU seconds of this process: much less disturbed than wall time by other work on the machine
        r["passage_cpu_speedup"] = round(ref["passage_cpu_s"] / max(r["passage_cpu_s"], 1e-6), 2)
        r["query_cpu_p50_speedup"] = round(ref["query_cpu_p50_ms"] / max(r["query_cpu_p50_ms"], 1e-6), 2)
    report["backends"] = {b: {k: v for k, v in r.items() if not k.startswith("_")} for b, r in runs.items()}
    print(f"| backend | load | {len(passages)} passages (wall / CPU) | passages/s (wall / CPU) | vs st-fp32 (CPU) "
          "| query p50 (wall / CPU) | query p95 | cosine to st-fp32 passages min / mean |")
    print("|---|---|---|---|---|---|---|---|")
    for b, r in runs.items():
        c = r["cosine_to_st_fp32"]
        print(f"| {b} ({r['embedder']}) | {r['load_s']} s | {r['passage_s']} s / {r['passage_cpu_s']} s | "
              f"{r['passages_per_s']} / {round(len(passages) / max(r['passage_cpu_s'], 1e-6), 1)} | "
              f"{r['passage_cpu_speedup']}x | {r['query_p50_ms']} / {r['query_cpu_p50_ms']} ms | {r['query_p95_ms']} ms | "
              f"{c['passages_min']} / {c['passages_mean']} |")
    print(f"\nthreads={args.threads}; load average {report['load_average_1min']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
