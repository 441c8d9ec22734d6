"""Full-answer latency per question type on a saved scale index (one the bench built), in one process.

Loads the index with the bench's synthetic query vectors (``eval.scale.SampleVectors`` seeded by the
``sample_vectors.npy`` of the bench's work folder: no model, so timings exclude the query
embedding, as in the bench), then times ``chatbot.answer.answer`` over ``--per-type`` questions of
each type of the gold sets plus questions about the index's own documents (``eval.latency``);
prints p50 / p95 / max per type and the slowest questions; ``--profile DIR`` writes cProfile text
per type.

    nice -n 10 python scripts/answer_latency.py runs/bench/work/index-150000 \\
        --vectors runs/bench/work/sample_vectors.npy --per-type 8 --out /tmp/latency.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GOLD = [ROOT / "eval" / f for f in ("gold.jsonl", "gold_heldout.jsonl", "gold_dev.jsonl")]


def main(argv: list[str] | None = None) -> int:
    from chatbot.config import AnswerConfig
    from eval.latency import document_questions, gold_questions, time_answers
    from eval.scale import SampleVectors
    from index.config import IndexConfig
    from index.store import ClauseIndex

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("index", type=Path, help="saved index folder (built with sample vectors, e.g. by policyqa bench)")
    ap.add_argument("--vectors", type=Path, required=True, help="the bench's sample_vectors.npy")
    ap.add_argument("--per-type", type=int, default=8, help="questions per type")
    ap.add_argument("--today", default="2026-12-03", help="AnswerConfig.today (statuses depend on it)")
    ap.add_argument("--out", type=Path, default=None, help="write the result as JSON here")
    ap.add_argument("--profile", type=Path, default=None, help="write cProfile text per type into this folder")
    args = ap.parse_args(argv)
    emb = SampleVectors(np.load(args.vectors, allow_pickle=False), name="sample-vectors")
    t = time.perf_counter()
    idx = ClauseIndex.load(args.index, emb, IndexConfig())
    load_s = time.perf_counter() - t
    print(f"loaded {args.index} in {load_s:.1f} s: {len(idx.metas)} documents, {len(idx.chunks)} chunks",
          file=sys.stderr, flush=True)
    qs = gold_questions(GOLD, 10**6)
    by_type: dict[str, list[dict]] = {}
    for q in qs:
        by_type.setdefault(q["type"], []).append(q)
    chosen = [q for v in by_type.values() for q in [v[int(i * len(v) / args.per_type)]
                                                     for i in range(min(args.per_type, len(v)))]]
    chosen += document_questions(idx.metas, args.per_type)
    res = time_answers(idx, chosen, AnswerConfig(today=args.today), args.profile)
    res = {"documents": len(idx.metas), "chunks": len(idx.chunks), "load_seconds": round(load_s, 1), **res}
    for typ, row in res["by_type"].items():
        print(f"{typ:12s} p50 {row['p50']:8.1f}  p95 {row['p95']:8.1f}  max {row['max']:8.1f} ms  n={row['n']}")
    if args.out:
        args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
