"""Run a gold set through the answer path (and optionally the baseline), score it, write the run.

Writes into ``out_dir``: ``results.jsonl`` (one line per question), ``results_baseline.jsonl``
(with a baseline), ``summary.json`` and ``report.md`` with its PNG plots (``eval.report``).

``answer_fn`` has the chat app's signature, ``answer_fn(question, index, history=...) -> Answer``
(default ``chatbot.answer.answer``), so the benchmark drives the same code path as the app.
Follow-up items pass their ``history``. One failing question is recorded (``error``) and the
run goes on.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval.gold_io import GoldItem
from eval.scoring import aggregate_by_type, score_record

Ask = Callable[[str, list[dict[str, str]] | None], Any]



def _citation_dict(c: Any) -> dict[str, Any]:
    d = c.to_dict() if hasattr(c, "to_dict") else dict(c)
    return {k: d.get(k, "") for k in ("n", "doc", "clause_id", "section_path", "title", "doc_number", "label", "text")}


def _retrieved_dict(h: dict[str, Any]) -> dict[str, Any]:
    return {k: h.get(k, "") for k in ("doc", "clause_id", "section_path", "text", "score")}


def answer_record(item: GoldItem, ans: Any, latency_ms: float) -> dict[str, Any]:
    """One ``results.jsonl`` line from an ``Answer``: the issue's fields plus what scoring needs
    (numbered sentences, refusal reason, ids of everything retrieved)."""
    retrieved = list(ans.retrieved or [])
    return {
        "id": item.id,
        "type": item.type,
        "question": item.question,
        "answer": ans.text,
        "refused": bool(ans.refused),
        "refusal_reason": getattr(ans, "refusal_reason", ""),
        "citations": [_citation_dict(c) for c in ans.citations],
        "retrieved": [_retrieved_dict(h) for h in retrieved],  # everything the answer retrieved, ranked first
        "latency_ms": round(latency_ms, 2),
        "sentences": [{"text": s.text, "citations": list(s.citations)} for s in ans.sentences],
        "retrieved_clause_ids": [h.get("clause_id", "") for h in retrieved],
        "scope": {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in (getattr(ans, "scope", None) or {}).items()
                  if k in ("intent", "regions", "doc_ids")},  # what the question named (out-of-scope citations)
    }


def error_record(item: GoldItem, exc: BaseException, latency_ms: float) -> dict[str, Any]:
    return {"id": item.id, "type": item.type, "question": item.question, "answer": "", "refused": False,
            "refusal_reason": "", "citations": [], "retrieved": [], "latency_ms": round(latency_ms, 2),
            "sentences": [], "retrieved_clause_ids": [], "error": f"{type(exc).__name__}: {exc}"}


def run_system(items: Sequence[GoldItem], ask: Ask, tau: float = 0.8, progress: bool = True,
               desc: str = "project") -> list[dict[str, Any]]:
    """Ask every question, time it (``time.perf_counter``), score it; records carry ``scores``."""
    from tqdm import tqdm

    records = []
    for item in tqdm(items, desc=desc, unit="q", disable=not progress):
        t0 = time.perf_counter()
        try:
            ans = ask(item.question, item.history or None)
            rec = answer_record(item, ans, (time.perf_counter() - t0) * 1000)
        except Exception as exc:  # noqa: BLE001 - one failing question must not stop the run
            rec = error_record(item, exc, (time.perf_counter() - t0) * 1000)
        rec["scores"] = score_record(item, rec, tau)
        records.append(rec)
    return records


def summarize(items: Sequence[GoldItem], records: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return aggregate_by_type([i.type for i in items], [r["scores"] for r in records],
                             [r["latency_ms"] for r in records])


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def write_json(path: Path, obj: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def run_benchmark(
    gold_items: Sequence[GoldItem],
    index: Any,
    out_dir: Path,
    answer_fn: Callable[..., Any] | None = None,
    baseline: Any = None,
    progress: bool = True,
    tau: float = 0.8,
    info: dict[str, Any] | None = None,
    report: bool = True,
) -> dict[str, Any]:
    """Run, score and write everything; returns the summary (also in ``summary.json``).

    ``baseline`` is anything with ``ask(question, history) -> Answer`` (``eval.baseline.LangChainBaseline``).
    ``info`` (run parameters: corpus, build time, peak memory, ...) is stored in the summary and report.
    """
    if answer_fn is None:
        from chatbot.answer import answer as answer_fn
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    def ask(question: str, history: list[dict[str, str]] | None) -> Any:
        return answer_fn(question, index, history=history)

    records = run_system(gold_items, ask, tau, progress, "project")
    write_jsonl(out_dir / "results.jsonl", records)
    base_records = None
    if baseline is not None:
        base_records = run_system(gold_items, baseline.ask, tau, progress, "baseline")
        write_jsonl(out_dir / "results_baseline.jsonl", base_records)

    summary: dict[str, Any] = {
        "tau": tau,
        "min_overlap_ratio": 0.6,
        "n_items": len(gold_items),
        "run": {**(info or {}), "questions_seconds": round(time.perf_counter() - t0, 2)},
        "project": summarize(gold_items, records),
        "baseline": summarize(gold_items, base_records) if base_records is not None else None,
    }
    if baseline is not None:
        summary["run"]["baseline"] = {"name": getattr(baseline, "name", type(baseline).__name__),
                                      "build_seconds": round(getattr(baseline, "build_seconds", 0.0), 2),
                                      "chunks": getattr(baseline, "n_chunks", None)}
    write_json(out_dir / "summary.json", summary)
    if report:
        from eval.report import write_report

        write_report(out_dir, summary, list(gold_items), records, base_records)
    return summary
