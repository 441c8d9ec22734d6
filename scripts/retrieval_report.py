"""Retrieval report: evidence recall@1/5/10 and MRR@10 per question type, with the real model.

Builds the index of a corpus from scratch (cold, model cached) into a temporary directory
unless ``--index`` is given, then for every answerable gold item retrieves clauses and checks
which gold evidences they cover (``eval.matching``: same source file, NFKC + whitespace-free
containment or a common substring of at least 60% of the evidence).

Modes (rows of the tables):
- ``retrieve``: ``ClauseIndex.retrieve`` — the scope understood from the question; comparison
  questions get the union of the top-k of each in-scope document (what the chatbot uses);
- ``hybrid``: ``search`` over all documents (RRF of dense + BM25), no scope;
- ``dense`` / ``bm25``: one retriever alone (the other's weight and the document-level prior
  set to 0), no scope.

Also prints the figures for the closing note: index build time, query latency p50/p95
(``retrieve``), index size on disk, peak RSS.

    .venv/bin/python scripts/retrieval_report.py                       # both gold files
    .venv/bin/python scripts/retrieval_report.py --gold eval/gold.jsonl --json out.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.gold_io import GoldItem, check_evidence, load_gold  # noqa: E402
from eval.metrics import evidence_recall, reciprocal_rank  # noqa: E402
from index.config import IndexConfig  # noqa: E402
from index.store import ClauseIndex, open_or_build  # noqa: E402

KS = (1, 5, 10)
DEFAULT_GOLD = [ROOT / "eval" / "gold.jsonl", ROOT / "tests" / "fixtures" / "retrieval_gold.jsonl"]


def passages(hits: list[Any]) -> list[dict[str, str]]:
    return [{"doc": h.meta.source, "text": h.clause.text, "clause_id": h.clause.clause_id} for h in hits]


def run_mode(idx: ClauseIndex, mode: str, question: str, k: int) -> list[Any]:
    """``retrieve``: the question understood by the query stage (terms, scope, per-document for
    comparisons), as the answerer does; otherwise the raw question as terms, no scope."""
    if mode == "retrieve":
        from chatbot.retrieval import known_of, scope_of
        from query import understand

        q = understand(question, None, known_of(idx))
        return idx.retrieve(q.terms, k=k, scope=scope_of(q), per_doc=q.per_document,
                            structural=q.asks_document)
    return idx.search(question, k=k)


def with_weights(idx: ClauseIndex, mode: str) -> IndexConfig:
    base = idx.config
    if mode == "dense":
        return dataclasses.replace(base, lexical_weight=0.0, structure_weight=0.0)
    if mode == "bm25":
        return dataclasses.replace(base, dense_weight=0.0, structure_weight=0.0)
    return base


def evaluate(idx: ClauseIndex, items: list[GoldItem], modes: list[str]) -> dict[str, Any]:
    """Per mode, per item: recall@k for each k, reciprocal rank, and the latency of the k=10 call."""
    results: dict[str, list[dict[str, Any]]] = {}
    original = idx.config
    for mode in modes:
        idx.config = with_weights(idx, mode)
        rows = []
        for it in items:
            if not it.answerable:
                continue
            row: dict[str, Any] = {"id": it.id, "type": it.type}
            idx._qcache.clear()  # time the first (uncached) call of each question
            for k in sorted(KS, reverse=True):
                t = time.perf_counter()
                hits = run_mode(idx, mode, it.question, k)
                row[f"ms@{k}"] = (time.perf_counter() - t) * 1000
                ps = passages(hits)
                row[f"r@{k}"] = evidence_recall(ps, it.gold, k=len(ps) if mode == "retrieve" else k)
                row[f"n@{k}"] = len(ps)
                if k == 10:
                    row["rr"] = reciprocal_rank(ps, it.gold, k=len(ps))
                if k == 5:
                    row["top5"] = [p["clause_id"] for p in ps]
            rows.append(row)
        results[mode] = rows
    idx.config = original
    return results


def summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[r["type"]].append(r)
        groups["ALL"].append(r)
    out = {}
    for t, rs in sorted(groups.items(), key=lambda kv: (kv[0] == "ALL", kv[0])):
        out[t] = {"n": len(rs), **{f"R@{k}": statistics.fmean(r[f"r@{k}"] for r in rs) for k in KS},
                  "MRR@10": statistics.fmean(r["rr"] or 0.0 for r in rs)}
    return out


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    i = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[i]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, action="append", default=None, help="gold JSONL (repeatable)")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    ap.add_argument("--index", type=Path, default=None, help="index dir (default: a fresh temporary one)")
    ap.add_argument("--model", default="multilingual-e5-small")
    ap.add_argument("--tokenizer", default="char", choices=("char", "jieba"))
    ap.add_argument("--lexical-field", default="embed_text", choices=("embed_text", "text"))
    ap.add_argument("--modes", default="retrieve,hybrid,dense,bm25")
    ap.add_argument("--json", type=Path, default=None, help="also write all numbers and per-item rows here")
    ap.add_argument("--misses", action="store_true", help="list items whose evidence is missed at k=5")
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch default)")
    args = ap.parse_args(argv)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)

    from index.models import load_embedder

    t0 = time.perf_counter()
    embedder = load_embedder(args.model, progress=False)
    t_model = time.perf_counter() - t0
    tmp = None
    index_dir = args.index
    if index_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="policyqa-report-")
        index_dir = Path(tmp.name) / "index"
    config = IndexConfig(model=args.model, tokenizer=args.tokenizer, lexical_field=args.lexical_field)
    t1 = time.perf_counter()
    idx = open_or_build(args.corpus, index_dir, embedder, None, config, progress=False)
    t_build = time.perf_counter() - t1
    t2 = time.perf_counter()
    ClauseIndex.load(index_dir, embedder)
    t_load = time.perf_counter() - t2

    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    report: dict[str, Any] = {
        "corpus": str(args.corpus), "model": embedder.name, "tokenizer": args.tokenizer,
        "lexical_field": args.lexical_field, "documents": len(idx.metas), "clauses": len(idx.clauses),
        "chunks": len(idx.chunks), "model_load_s": round(t_model, 2), "build_s": round(t_build, 2),
        "embedded": idx.last_update.get("embedded"), "load_s": round(t_load, 3),
        "index_bytes": dir_size(index_dir), "ingest_errors": [str(e) for e in idx.ingest_errors], "gold": {},
    }
    print(f"corpus {args.corpus}: {report['documents']} documents, {report['clauses']} clauses, "
          f"{report['chunks']} chunks; model {embedder.name} ({args.tokenizer} BM25 over {args.lexical_field})")
    for gold_path in args.gold or [p for p in DEFAULT_GOLD if p.exists()]:
        items = load_gold(gold_path)
        problems = check_evidence(items, args.corpus)
        results = evaluate(idx, items, modes)
        g: dict[str, Any] = {"problems": problems, "modes": {}}
        print(f"\n## {gold_path.relative_to(ROOT) if gold_path.is_relative_to(ROOT) else gold_path} "
              f"({sum(it.answerable for it in items)} answerable of {len(items)})")
        for p in problems:
            print(f"  gold problem: {p}")
        print(f"{'mode':<9} {'type':<12} {'n':>3} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MRR@10':>7}")
        for mode, rows in results.items():
            summary = summarise(rows)
            g["modes"][mode] = {"summary": summary, "rows": rows}
            for t, s in summary.items():
                print(f"{mode:<9} {t:<12} {s['n']:>3} {s['R@1']:>6.3f} {s['R@5']:>6.3f} {s['R@10']:>6.3f} "
                      f"{s['MRR@10']:>7.3f}")
        if "retrieve" in results:
            lat = [r["ms@10"] for r in results["retrieve"]]
            g["latency_ms"] = {"p50": percentile(lat, 50), "p95": percentile(lat, 95), "n": len(lat)}
            print(f"retrieve latency: p50 {g['latency_ms']['p50']:.1f} ms, p95 {g['latency_ms']['p95']:.1f} ms "
                  f"({len(lat)} calls)")
            if args.misses:
                for r in results["retrieve"]:
                    if r["r@5"] < 1:
                        it = next(i for i in items if i.id == r["id"])
                        print(f"  miss@5 {r['id']} ({r['type']}, R@5 {r['r@5']:.2f}): {it.question}")
                        print(f"     got {r['top5']}")
        report["gold"][str(gold_path)] = g
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"\nbuild (cold, model cached): {report['build_s']:.2f} s for {report['chunks']} chunks "
          f"(model load {report['model_load_s']:.2f} s; ingest + embed + save); reopen {report['load_s']:.3f} s")
    print(f"index on disk: {report['index_bytes'] / 1e6:.2f} MB; peak RSS {report['peak_rss_mb']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
