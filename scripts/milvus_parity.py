"""Benchmark parity of the stores: gold-set retrieval through the built-in store (FAISS + bm25s)
and through Milvus (Milvus Lite in a temporary file, or ``--store URI``), same model, same
index, side by side: R@1/5/10 and MRR@10 per mode, retrieve latency p50 / p95.

The built-in index is built (or opened, ``--index``) once with the real model; the Milvus
store is filled from that index's stored vectors (nothing is embedded twice), so the numbers
differ only by the store: its vector search, its BM25 (Milvus' own, over the same tokens) and
its filter pushdown. Target: |ΔR@5| ≤ 0.01 in every mode.

    nice -n 10 .venv/bin/python scripts/milvus_parity.py                 # eval/gold.jsonl + retrieval fixture
    .venv/bin/python scripts/milvus_parity.py --store http://127.0.0.1:19530 --json parity.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from retrieval_report import DEFAULT_GOLD, evaluate, percentile, summarise  # noqa: E402

from eval.gold_io import load_gold  # noqa: E402
from index.config import IndexConfig  # noqa: E402
from index.store import open_or_build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, action="append", default=None, help="gold JSONL (repeatable)")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    ap.add_argument("--index", type=Path, default=None, help="built-in index dir (default: a fresh temporary one)")
    ap.add_argument("--store", default="", help="Milvus URI (default: Milvus Lite in a temporary .db file)")
    ap.add_argument("--model", default="multilingual-e5-small")
    ap.add_argument("--modes", default="retrieve,hybrid,dense,bm25")
    ap.add_argument("--json", type=Path, default=None, help="also write all numbers here")
    args = ap.parse_args(argv)

    from index.backend_index import store_class
    from policyqa.config import Settings, load_embedder

    embedder = load_embedder(Settings(model=args.model), progress=False)
    tmp = tempfile.TemporaryDirectory(prefix="policyqa-parity-")
    index_dir = args.index or Path(tmp.name) / "index"
    config = IndexConfig(model=args.model)
    t0 = time.perf_counter()
    builtin = open_or_build(args.corpus, index_dir, embedder, None, config, progress=True)
    t_build = time.perf_counter() - t0
    uri = args.store or f"milvus://{tmp.name}/parity.db"
    cls = store_class(uri, embedder, config)
    t1 = time.perf_counter()
    milvus = cls.load(index_dir, embedder, config)
    t_fill = time.perf_counter() - t1
    print(f"corpus {args.corpus}: {len(builtin.metas)} documents, {len(builtin.chunks)} chunks; model "
          f"{embedder.name}; built-in index {t_build:.1f} s; Milvus ({uri}) filled in {t_fill:.1f} s "
          f"({milvus.sync_report})", file=sys.stderr)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    report: dict[str, Any] = {"corpus": str(args.corpus), "model": embedder.name, "store": uri,
                              "chunks": len(builtin.chunks), "milvus_fill_s": round(t_fill, 2), "gold": {}}
    worst = 0.0
    for gold_path in args.gold or [p for p in DEFAULT_GOLD if p.exists()]:
        items = load_gold(gold_path)
        res = {name: evaluate(idx, items, modes) for name, idx in (("builtin", builtin), ("milvus", milvus))}
        name = gold_path.relative_to(ROOT) if gold_path.is_relative_to(ROOT) else gold_path
        print(f"\n## {name} ({sum(it.answerable for it in items)} answerable)")
        print(f"{'mode':<9} {'builtin R@5':>11} {'milvus R@5':>11} {'ΔR@5':>7} {'builtin MRR':>11} {'milvus MRR':>11}")
        g: dict[str, Any] = {}
        for mode in modes:
            b, m = summarise(res["builtin"][mode])["ALL"], summarise(res["milvus"][mode])["ALL"]
            worst = max(worst, abs(m["R@5"] - b["R@5"]))
            g[mode] = {"builtin": b, "milvus": m, "delta_R@5": m["R@5"] - b["R@5"]}
            print(f"{mode:<9} {b['R@5']:>11.3f} {m['R@5']:>11.3f} {m['R@5'] - b['R@5']:>+7.3f} "
                  f"{b['MRR@10']:>11.3f} {m['MRR@10']:>11.3f}")
        if "retrieve" in modes:
            for store in ("builtin", "milvus"):
                lat = [r["ms@10"] for r in res[store]["retrieve"]]
                g[f"{store}_latency_ms"] = {"p50": percentile(lat, 50), "p95": percentile(lat, 95)}
                print(f"retrieve latency {store}: p50 {percentile(lat, 50):.1f} ms, p95 {percentile(lat, 95):.1f} ms")
        report["gold"][str(name)] = g
    report["max_abs_delta_R@5"] = worst
    print(f"\nmax |ΔR@5| over gold sets and modes: {worst:.3f} (target ≤ 0.01)")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    cls.default_backend.close()
    tmp.cleanup()
    return 0 if worst <= 0.01 else 1


if __name__ == "__main__":
    raise SystemExit(main())
