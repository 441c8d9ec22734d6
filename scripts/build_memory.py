"""Where a scale build's memory goes: resident and peak memory at each stage of one index build.

Builds an index of ``--size`` chunks the way ``policyqa bench`` does (``eval.scale``: the bench's
prepared corpus multiplied by copies, synthetic vectors from its ``sample_vectors.npy``), with
the stages of ``ClauseIndex.build`` wrapped: each stage prints the RSS before and after and its
own peak (``VmHWM``, reset before the stage through ``/proc/self/clear_refs``), plus wall and
CPU seconds. ``--save DIR`` saves it too, ``--serve`` then loads it back in a child and times
``retrieve`` (k=5, query vector cache cleared) over the gold questions.

    nice -n 10 python scripts/build_memory.py runs/bench/work --size 1000000 --save /tmp/ix-1m --serve
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAGES: list[dict[str, Any]] = []
PEAK = [0.0]  # the whole run's peak: VmHWM is read before every reset


def _status(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _reset_peak() -> None:
    PEAK[0] = max(PEAK[0], _status("VmHWM"))
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    except OSError:
        pass


def stage(name: str, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` as one stage and record its memory and time."""
    before = _status("VmRSS")
    _reset_peak()
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    row = {"stage": name, "rss_before_mb": before, "rss_after_mb": _status("VmRSS"), "peak_mb": _status("VmHWM"),
           "wall_s": round(time.perf_counter() - t, 1), "cpu_s": round(time.process_time() - c, 1)}
    STAGES.append(row)
    print(json.dumps(row), file=sys.stderr, flush=True)
    return out


def _wrap(cls: Any, method: str, name: str) -> None:
    orig = getattr(cls, method)

    def wrapped(*a: Any, **kw: Any) -> Any:
        return stage(name, lambda: orig(*a, **kw))

    setattr(cls, method, wrapped)


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    from eval import scale
    from index.config import IndexConfig
    from index.dense import DenseIndex
    from index.lexical import LexicalIndex
    from index.store import ClauseIndex

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("work", type=Path, help="the bench's work folder (docs.jsonl, chunks.jsonl, sample_vectors.npy)")
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--save", type=Path, default=None, help="save the index here")
    ap.add_argument("--serve", action="store_true", help="then load it in a child process and time retrieve")
    ap.add_argument("--out", type=Path, default=None, help="write the stages as JSON here")
    args = ap.parse_args(argv)
    if args.serve:
        return serve(args) if os.environ.get("BUILD_MEMORY_CHILD") else build_then_serve(args, argv)
    t0, c0 = time.perf_counter(), time.process_time()
    docs, chunks = stage("load prepared", lambda: scale.load_prepared(args.work))
    docs, chunks = stage("multiply", lambda: scale.multiply(docs, chunks, args.size))
    emb = scale.SampleVectors(np.load(args.work / "sample_vectors.npy"), name="sample-vectors")
    _wrap(ClauseIndex, "_embed", "embed (synthetic)")
    _wrap(DenseIndex, "from_vectors", "FAISS build")
    _wrap(LexicalIndex, "fit", "BM25 fit")
    _wrap(ClauseIndex, "_index_new", "structural rows")
    b0, bc0 = time.perf_counter(), time.process_time()
    idx = stage("ClauseIndex.build (total)",
                lambda: ClauseIndex.build(docs, emb, IndexConfig(), scale.chunk_lookup(chunks)))
    build = {"build_seconds": round(time.perf_counter() - b0, 1), "build_cpu_seconds": round(time.process_time() - bc0, 1)}
    if args.save:
        stage("save", lambda: idx.save(args.save))
    res = {"chunks": len(idx.chunks), "documents": len(idx.metas), **build,
           "total_seconds": round(time.perf_counter() - t0, 1), "total_cpu_seconds": round(time.process_time() - c0, 1),
           "peak_rss_mb_whole_run": max(PEAK[0], _status("VmHWM")), "stages": STAGES,
           "load_average": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps({k: v for k, v in res.items() if k != "stages"}), file=sys.stderr, flush=True)
    if args.out:
        args.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0


def build_then_serve(args: argparse.Namespace, argv: list[str] | None) -> int:
    """Build (this process, without --serve), then serve in a child (its own peak RSS)."""
    base = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--serve"]
    rc = subprocess.call([sys.executable, __file__, *base])
    if rc:
        return rc
    env = {**os.environ, "BUILD_MEMORY_CHILD": "1"}
    return subprocess.call([sys.executable, __file__, *base, "--serve"], env=env)


def serve(args: argparse.Namespace) -> int:
    import numpy as np

    from eval import scale
    from eval.latency import gold_questions
    from index.config import IndexConfig
    from index.store import ClauseIndex

    gold = [ROOT / "eval" / f for f in ("gold.jsonl", "gold_heldout.jsonl", "gold_dev.jsonl")]
    emb = scale.SampleVectors(np.load(args.work / "sample_vectors.npy"), name="sample-vectors")
    idx = stage("load", lambda: ClauseIndex.load(args.save, emb, IndexConfig()))
    qs = [q["question"] for q in gold_questions(gold, 60)]
    idx.retrieve(qs[0], k=5)
    ms, cpu = [], []
    _reset_peak()
    for q in qs:
        idx._qcache.clear()
        t, c = time.perf_counter(), time.process_time()
        idx.retrieve(q, k=5)
        ms.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    res = {"serve_rss_after_load_mb": STAGES[-1]["rss_after_mb"], "load_seconds": STAGES[-1]["wall_s"],
           "retrieve_ms": scale.percentiles(ms), "retrieve_cpu_ms": scale.percentiles(cpu),
           "serve_peak_rss_mb": max(STAGES[-1]["peak_mb"], _status("VmHWM")),
           "load_average": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(res), file=sys.stderr, flush=True)
    if args.out:
        out = args.out.with_name(args.out.stem + "-serve.json")
        out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
