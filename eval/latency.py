"""Full-answer latency per question type: the questions the scale benchmark times, and the timing.

- ``gold_questions``: questions of the gold sets, round-robin over their types (follow-ups keep
  their conversation history, so a follow-up is timed as the app answers it);
- ``document_questions``: questions about documents of the index being timed (文号, issuer, date),
  written from its own metadata, so the structural path is timed on whatever corpus is loaded;
- ``time_answers``: ``chatbot.answer.answer`` per question (query vector cache cleared first),
  p50 / p95 / max per type and the slowest questions; ``profile_dir`` writes cProfile text per type.

``policyqa bench`` calls these in its serve step; ``scripts/answer_latency.py`` runs them on a
saved index (e.g. one the bench built) without rebuilding anything.

Example:
    >>> from ingest.types import DocMeta
    >>> metas = {"a": DocMeta("a", "a.txt", title="扬州市全民科学素质行动实施方案", doc_number="扬府办发〔2021〕12号")}
    >>> document_questions(metas, 2)
    [{'question': '《扬州市全民科学素质行动实施方案》的发文字号是什么？', 'type': 'document'}, \
{'question': '《扬州市全民科学素质行动实施方案》是由哪个部门发布的？', 'type': 'document'}]
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

# what a reader asks about a document as a whole (the header / closing clauses answer it)
MAX_TITLE = 40  # longer "titles" are usually a title run into its adoption history
DOCUMENT_ASKS = ("《{t}》的发文字号是什么？", "《{t}》是由哪个部门发布的？", "《{t}》是什么时候印发的？")


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """p50 / p95 in milliseconds, rounded (nan for no values).

    >>> percentiles([12.0, 10.0, 11.0, 50.0])
    {'p50': 11.5, 'p95': 44.3}
    """
    if not values:
        return {"p50": float("nan"), "p95": float("nan")}
    a = np.asarray(values, dtype=np.float64)
    return {"p50": round(float(np.percentile(a, 50)), 2), "p95": round(float(np.percentile(a, 95)), 2)}


def gold_questions(gold_files: Iterable[Path], n: int) -> list[dict[str, Any]]:
    """Up to ``n`` gold questions, round-robin over their types; a follow-up carries its ``history``."""
    from eval.gold_io import load_gold

    by_type: dict[str, list[dict[str, Any]]] = {}
    for path in gold_files:
        for it in load_gold(Path(path)):
            q: dict[str, Any] = {"question": it.question, "type": it.type}
            if it.history:
                q["history"] = [dict(m) for m in it.history]
            by_type.setdefault(it.type, []).append(q)
    out: list[dict[str, Any]] = []
    while len(out) < n and any(by_type.values()):
        for qs in by_type.values():
            if qs and len(out) < n:
                out.append(qs.pop(0))
    return out


def document_questions(metas: Mapping[str, Any], n: int) -> list[dict[str, Any]]:
    """``n`` questions about whole documents (文号, issuer, date) of titled documents spread evenly
    over the collection, asked by title (a document without a 文号 is not asked for one)."""
    titled = [m for _, m in sorted(metas.items()) if m.title]
    short = [m for m in titled if len(m.title) <= MAX_TITLE]  # as a reader writes a title out
    titled = short or titled
    if n <= 0 or not titled:
        return []
    picks = [titled[int(i * len(titled) / n)] for i in range(n)]  # spread (repeated when n exceeds them)
    out = []
    for i, m in enumerate(picks):
        asks = [a for a in DOCUMENT_ASKS if m.doc_number or "发文字号" not in a]
        out.append({"question": asks[i % len(asks)].format(t=m.title), "type": "document"})
    return out


def time_answers(index: Any, questions: Sequence[Mapping[str, Any]], config: Any = None,
                 profile_dir: Path | None = None, slowest: int = 3) -> dict[str, Any]:
    """Time ``answer`` on every question (one warm-up answer first, untimed). Returns
    ``{"all": {p50, p95}, "by_type": {type: {p50, p95, max, n}}, "slowest": {type: [[ms, question]]}}``."""
    from chatbot.answer import answer

    if questions:
        answer(questions[0]["question"], index, config=config)  # first calls pay imports and caches
    ms_of: dict[str, list[tuple[float, str]]] = {}
    profiles: dict[str, cProfile.Profile] = {}
    for q in questions:
        cache = getattr(index, "_qcache", None)
        if cache is not None:
            cache.clear()  # the query vector is part of the answer's cost
        prof = profiles.setdefault(q["type"], cProfile.Profile()) if profile_dir is not None else None
        if prof is not None:
            prof.enable()
        t = time.perf_counter()
        answer(q["question"], index, history=q.get("history") or None, config=config)
        ms = (time.perf_counter() - t) * 1000
        if prof is not None:
            prof.disable()
        ms_of.setdefault(q["type"], []).append((ms, q["question"]))
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        for typ, prof in profiles.items():
            s = io.StringIO()
            pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(60)
            (profile_dir / f"{typ}.prof.txt").write_text(s.getvalue(), encoding="utf-8")
    return {"all": percentiles([ms for v in ms_of.values() for ms, _ in v]),
            "by_type": {t: {**percentiles([ms for ms, _ in v]), "max": round(max(ms for ms, _ in v), 1), "n": len(v)}
                        for t, v in sorted(ms_of.items())},
            "slowest": {t: [[round(ms, 1), q] for ms, q in sorted(v, reverse=True)[:slowest]]
                        for t, v in sorted(ms_of.items())}}
