"""Score one result record against its gold item, and aggregate scores overall and per type.

A result record is one line of ``results.jsonl`` (see ``eval.run.answer_record``):
``answer``, ``refused``, ``sentences`` [{text, citations}], ``citations`` [{n, doc, clause_id,
section_path, doc_number, text}], ``retrieved`` (top 10) [{doc, clause_id, section_path, text,
score}], ``retrieved_clause_ids`` (everything the answer retrieved), ``latency_ms``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eval import metrics as m
from eval.gold_io import TYPES, GoldItem

KS = (1, 5, 10)


def score_record(item: GoldItem, rec: Mapping[str, Any], tau: float = 0.8) -> dict[str, Any]:
    """Per-item scores; ``None`` where a metric does not apply to the item.

    >>> item = GoldItem("n1", "青田县到2025年公民具备科学素质的比例要达到多少？", "number",
    ...                 [{"doc": "qt.txt", "evidence": "我县公民具备科学素质的比例达到15%"}], "15%", ["15%"])
    >>> clause = {"n": 1, "doc": "qt.txt", "clause_id": "qt#0/一、", "section_path": "一、",
    ...           "text": "到2025年，我县公民具备科学素质的比例达到15%。"}
    >>> rec = {"answer": "到2025年，我县公民具备科学素质的比例达到15%[1]。", "refused": False,
    ...        "sentences": [{"text": "到2025年，我县公民具备科学素质的比例达到15%[1]。", "citations": [1]}],
    ...        "citations": [clause], "retrieved": [clause], "retrieved_clause_ids": ["qt#0/一、"]}
    >>> s = score_record(item, rec)
    >>> s["recall@1"], s["citation_precision"], s["keyword_hit"], s["number_fidelity"], s["lexical_support"]
    (1.0, 1.0, True, True, 1.0)
    """
    gold = item.gold
    answerable = item.answerable
    refused = bool(rec.get("refused"))
    retrieved = list(rec.get("retrieved") or [])
    citations = list(rec.get("citations") or [])
    text = rec.get("answer") or ""
    s: dict[str, Any] = {"answerable": answerable, "refused": refused, "error": bool(rec.get("error"))}

    covered10 = m.covered_evidences(retrieved[:10], gold) if answerable else []
    for k in KS:
        s[f"recall@{k}"] = m.evidence_recall(retrieved, gold, k) if answerable else None
        s[f"covered@{k}"] = sum(m.covered_evidences(retrieved[:k], gold)) if answerable else 0
    s["n_evidence"] = len(gold)
    s["mrr@10"] = m.reciprocal_rank(retrieved, gold, 10) if answerable else None
    s["missed_evidence"] = [g["evidence"] for g, ok in zip(gold, covered10, strict=True) if not ok]

    s["citation_precision"] = m.citation_precision(citations, gold) if answerable else None
    s["citation_recall"] = m.citation_recall(citations, gold) if answerable else None
    ids = rec.get("retrieved_clause_ids")
    if ids is None:
        ids = [r.get("clause_id") for r in retrieved]
    s["citation_validity"] = m.citation_validity(citations, ids)

    # a refusal answers nothing: keywords in the related clauses it lists for reference do not count
    s["keyword_hit"] = (m.keyword_hit(text, item.keywords) and not refused) if answerable else None
    s["missing_keywords"] = (list(item.keywords) if refused else m.keyword_missing(text, item.keywords)) if answerable else []

    n_numbers, bad_numbers = m.number_fidelity(text, citations) if not refused else (0, [])
    s["n_numbers"] = n_numbers
    s["unfaithful_numbers"] = bad_numbers
    s["number_fidelity"] = (not bad_numbers) if n_numbers else None

    counted, supported = m.lexical_support(rec.get("sentences") or [], citations, tau) if not refused else (0, 0)
    s["sentences_counted"], s["sentences_supported"] = counted, supported
    s["lexical_support"] = supported / counted if counted else None

    s["correct_refusal"] = refused if not answerable else None
    s["false_refusal"] = refused if answerable else None
    return s


def _sum(scores: Sequence[Mapping[str, Any]], key: str) -> int:
    return sum(int(s.get(key) or 0) for s in scores)


def aggregate(scores: Sequence[Mapping[str, Any]], latencies: Sequence[float]) -> dict[str, Any]:
    """Means over the items each metric applies to, micro versions, refusal rates, latency.

    >>> agg = aggregate([{"recall@5": 1.0, "answerable": True, "false_refusal": False},
    ...                  {"recall@5": None, "answerable": False, "correct_refusal": True}], [120.0, 80.0])
    >>> agg["n"], agg["recall@5"], agg["refusal_rate_unanswerable"], agg["latency_p50_ms"]
    (2, 1.0, 1.0, 100.0)
    """
    out: dict[str, Any] = {
        "n": len(scores),
        "n_answerable": sum(bool(s.get("answerable")) for s in scores),
        "n_unanswerable": sum(not s.get("answerable") for s in scores),
        "errors": sum(bool(s.get("error")) for s in scores),
    }
    for k in KS:
        out[f"recall@{k}"] = m.mean(s.get(f"recall@{k}") for s in scores)
        n_ev = _sum(scores, "n_evidence")
        out[f"recall@{k}_micro"] = _sum(scores, f"covered@{k}") / n_ev if n_ev else None
    for key in ("mrr@10", "citation_precision", "citation_recall", "citation_validity", "lexical_support"):
        out[key] = m.mean(s.get(key) for s in scores)
    out["keyword_accuracy"] = m.mean(s.get("keyword_hit") for s in scores)
    out["number_fidelity"] = m.mean(s.get("number_fidelity") for s in scores)
    n_num = _sum(scores, "n_numbers")
    out["number_fidelity_micro"] = (
        1 - sum(len(s.get("unfaithful_numbers") or []) for s in scores) / n_num if n_num else None
    )
    n_sent = _sum(scores, "sentences_counted")
    out["lexical_support_micro"] = _sum(scores, "sentences_supported") / n_sent if n_sent else None
    out["refusal_rate_unanswerable"] = m.mean(s.get("correct_refusal") for s in scores)
    out["false_refusal_rate"] = m.mean(s.get("false_refusal") for s in scores)
    out["latency_p50_ms"] = m.percentile(latencies, 50)
    out["latency_p95_ms"] = m.percentile(latencies, 95)
    out["latency_mean_ms"] = m.mean(latencies)
    return out


def aggregate_by_type(
    types: Sequence[str], scores: Sequence[Mapping[str, Any]], latencies: Sequence[float]
) -> dict[str, dict[str, Any]]:
    """``{"overall": ..., "<type>": ...}`` for every type present, in the format's type order."""
    out = {"overall": aggregate(scores, latencies)}
    for t in TYPES:
        idx = [i for i, ty in enumerate(types) if ty == t]
        if idx:
            out[t] = aggregate([scores[i] for i in idx], [latencies[i] for i in idx])
    return out
