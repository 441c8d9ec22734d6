"""Benchmark metrics, all without an LLM judge: pure functions over plain dicts.

Passages (retrieved hits, citations) are dicts with at least ``doc`` (source file name) and
``text``; citations also carry ``n`` and ``clause_id``. A gold evidence is
``{"doc": <source file name>, "evidence": <verbatim substring>}``. Coverage follows
``eval.matching.passage_covers`` (same file + normalised containment or a ≥60% common substring).

Per-item functions return ``None`` when the metric does not apply to the item (e.g. citation
precision of an answer with no citation); aggregation skips ``None``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eval.matching import normalize, passage_covers

Passage = Mapping[str, Any]
Evidence = Mapping[str, Any]

# ----------------------------------------------------------------------------- retrieval


def covered_evidences(passages: Sequence[Passage], gold: Sequence[Evidence], min_ratio: float = 0.6) -> list[bool]:
    """For each gold evidence: does any of the passages cover it?

    >>> p = [{"doc": "a.txt", "text": "到2025年，我县公民具备科学素质的比例达到15%。"}]
    >>> covered_evidences(p, [{"doc": "a.txt", "evidence": "公民具备科学素质的比例达到15%"},
    ...                       {"doc": "a.txt", "evidence": "每年培训高素质农民500人次以上"}])
    [True, False]
    """
    return [
        any(passage_covers(p.get("doc", ""), p.get("text", ""), g["doc"], g["evidence"], min_ratio) for p in passages)
        for g in gold
    ]


def evidence_recall(passages: Sequence[Passage], gold: Sequence[Evidence], k: int) -> float | None:
    """Share of the gold evidences covered by the top-k passages (None for an unanswerable item).

    >>> p = [{"doc": "a.txt", "text": "牵头单位：县教育局"}, {"doc": "a.txt", "text": "人均不低于2元"}]
    >>> g = [{"doc": "a.txt", "evidence": "人均不低于2元"}]
    >>> evidence_recall(p, g, 1), evidence_recall(p, g, 5)
    (0.0, 1.0)
    """
    if not gold:
        return None
    hits = covered_evidences(list(passages)[:k], gold)
    return sum(hits) / len(hits)


def first_relevant_rank(passages: Sequence[Passage], gold: Sequence[Evidence], k: int = 10) -> int | None:
    """1-based rank of the first of the top-k passages that covers any gold evidence, else None.

    >>> p = [{"doc": "a.txt", "text": "牵头单位：县教育局"}, {"doc": "a.txt", "text": "人均不低于2元"}]
    >>> first_relevant_rank(p, [{"doc": "a.txt", "evidence": "人均不低于2元"}])
    2
    """
    for rank, p in enumerate(list(passages)[:k], start=1):
        if any(covered_evidences([p], gold)):
            return rank
    return None


def reciprocal_rank(passages: Sequence[Passage], gold: Sequence[Evidence], k: int = 10) -> float | None:
    """MRR@k contribution of one item: 1/rank of the first relevant passage, 0 if none in top k.

    >>> p = [{"doc": "a.txt", "text": "甲"}, {"doc": "a.txt", "text": "乙"}, {"doc": "a.txt", "text": "人均不低于2元"}]
    >>> round(reciprocal_rank(p, [{"doc": "a.txt", "evidence": "人均不低于2元"}]), 3)
    0.333
    """
    if not gold:
        return None
    rank = first_relevant_rank(passages, gold, k)
    return 1.0 / rank if rank else 0.0


# ----------------------------------------------------------------------------- citations


def citation_precision(citations: Sequence[Passage], gold: Sequence[Evidence]) -> float | None:
    """Cited clauses that cover some gold evidence ÷ all citations (None without citations or gold).

    >>> g = [{"doc": "a.txt", "evidence": "县财政将科普经费列入年度预算"}]
    >>> cites = [{"doc": "a.txt", "text": "县财政将科普经费列入年度预算。"}, {"doc": "a.txt", "text": "牵头单位：县教育局"}]
    >>> citation_precision(cites, g)
    0.5
    """
    if not citations or not gold:
        return None
    good = sum(any(covered_evidences([c], gold)) for c in citations)
    return good / len(citations)


def citation_recall(citations: Sequence[Passage], gold: Sequence[Evidence]) -> float | None:
    """Gold evidences covered by some cited clause ÷ gold evidences (0 when nothing is cited).

    >>> g = [{"doc": "ah.txt", "evidence": "科普人才队伍建设"}, {"doc": "gs.txt", "evidence": "科普人才队伍建设"}]
    >>> citation_recall([{"doc": "ah.txt", "text": "加强科普人才队伍建设。"}], g)
    0.5
    """
    if not gold:
        return None
    return evidence_recall(citations, gold, k=len(citations)) if citations else 0.0


def citation_validity(citations: Sequence[Passage], retrieved_clause_ids: Iterable[str]) -> float | None:
    """Share of citations whose clause was among the retrieved ones (cited ⊆ retrieved → 1.0).

    >>> citation_validity([{"clause_id": "a#0/一、"}, {"clause_id": "a#0/九、"}], ["a#0/一、", "a#0/二、"])
    0.5
    """
    if not citations:
        return None
    ids = set(retrieved_clause_ids)
    return sum(c.get("clause_id") in ids for c in citations) / len(citations)


# ----------------------------------------------------------------------------- answer text

_MARKER = re.compile(r"\[\d+(?:[,，、]\s*\d+)*\]")
_TITLE = re.compile(r"《[^《》]*》")
_DOC_NUMBER = re.compile(r"[〔\[(（]\s*\d{4}\s*[〕\])）]\s*\d+\s*号")


def strip_attribution(text: str, citations: Sequence[Passage] = ()) -> str:
    """Remove what only attributes a claim: [n] markers, 《titles》 (nested too), 文号, the cited
    section paths, and status metadata (ISO dates, 2017年版, 规划期…已结束). Each removed span
    becomes a space, so no bigram is formed across it.

    >>> strip_attribution("（规划期2021—2025年已结束，截至2026-12-03）2017年版第一条曾规定")
    '（ ，截至 ） 第一条曾规定'

    >>> c = [{"section_path": "二、（一）1.", "doc_number": "青政办发〔2022〕15号"}]
    >>> strip_attribution("根据《青田县全民科学素质行动实施方案（2021—2025年）》二、（一）1.，牵头单位：县教育局[1]。", c)
    '根据  ，牵头单位：县教育局 。'
    """
    out = _MARKER.sub(" ", text)
    for c in citations:
        for key in ("label", "doc_number", "section_path"):
            value = c.get(key) or ""
            if value:  # never inside a number: section path "1." must not eat the "1." of "1.5%"
                out = re.sub(rf"(?<!\d){re.escape(value)}(?!\d)", " ", out)
    while True:
        stripped = _TITLE.sub(" ", out)
        if stripped == out:
            break
        out = stripped
    out = _STATUS_META.sub(" ", out)
    return _DOC_NUMBER.sub(" ", out)


# document status read from metadata, not from clause text: ISO dates (截至2026-12-03, 施行日期), the
# version a quoted earlier article belongs to (2017年版), an ended plan period (规划期2021—2025年已结束)
_STATUS_META = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}年版|规划期\d{4}\s*[—–-]+\s*\d{4}年已结束")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def extract_numbers(text: str) -> list[str]:
    """Arabic numbers (incl. decimals; full-width digits and thousands commas normalised), in order.

    >>> extract_numbers("到２０２５年，比例达到15.5%，经费1,200万元")
    ['2025', '15.5', '1200']
    """
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", t)
    return [_canon_number(m) for m in _NUMBER.findall(t)]


def _canon_number(s: str) -> str:
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s.lstrip("0") or "0"


def number_fidelity(answer_text: str, citations: Sequence[Passage]) -> tuple[int, list[str]]:
    """(count of numbers in the answer, those not found in any cited clause).

    Numbers are compared as numbers: the answer's 15 needs a 15 in a cited clause, not
    just the digits inside 2015. Attribution (markers, titles, 文号, section paths) is skipped.

    >>> cites = [{"text": "到2025年，我县公民具备科学素质的比例达到15%。", "section_path": "一、"}]
    >>> number_fidelity("到2025年，比例达到15%[1]。", cites)
    (2, [])
    >>> number_fidelity("到2025年，比例达到18%[1]。", cites)
    (2, ['18'])
    """
    numbers = extract_numbers(strip_attribution(answer_text, citations))
    available: set[str] = set()
    for c in citations:
        available.update(extract_numbers(c.get("text", "")))
    return len(numbers), [n for n in numbers if n not in available]


def keyword_missing(answer_text: str, keywords: Sequence[str]) -> list[str]:
    """Keywords absent from the answer after normalisation (NFKC, whitespace removed) on both sides.

    >>> keyword_missing("牵头单位：县教育局；配合单位：县科协、团县委", ["县教育局", "县 科协", "县财政局"])
    ['县财政局']
    """
    text = normalize(answer_text)
    return [k for k in keywords if normalize(k) not in text]


def keyword_hit(answer_text: str, keywords: Sequence[str]) -> bool | None:
    """All keywords present (None when the item lists none).

    >>> keyword_hit("比例达到15%", ["15%"]), keyword_hit("比例达到15%", ["15%", "2025"])
    (True, False)
    """
    if not keywords:
        return None
    return not keyword_missing(answer_text, keywords)


# ----------------------------------------------------------------------------- lexical support

_NON_WORD = re.compile(r"[\W_]+")


def char_bigrams(text: str) -> set[str]:
    """Character bigrams after NFKC and [n]-marker removal, within runs of word characters
    (whitespace and punctuation separate runs, so no bigram spans them).

    >>> sorted(char_bigrams("科普，经费[1]。"))
    ['科普', '经费']
    """
    t = unicodedata.normalize("NFKC", _MARKER.sub(" ", text))
    return {run[i : i + 2] for run in _NON_WORD.split(t) for i in range(len(run) - 1)}


def bigram_support(sentence: str, sources: Sequence[str]) -> float | None:
    """Share of the sentence's bigrams found in the sources (None if the sentence has no bigram).

    >>> bigram_support("县财政将科普经费列入年度预算", ["县财政将科普经费列入年度预算。"])
    1.0
    >>> round(bigram_support("市政府设立专项奖励基金", ["县财政将科普经费列入年度预算"]), 2)
    0.0
    """
    grams = char_bigrams(sentence)
    if not grams:
        return None
    pool: set[str] = set()
    for s in sources:
        pool |= char_bigrams(s)
    return len(grams & pool) / len(grams)


def lexical_support(
    sentences: Sequence[Mapping[str, Any]], citations: Sequence[Passage], tau: float = 0.8
) -> tuple[int, int]:
    """(answer sentences counted, sentences supported by their own cited clauses at ≥ τ).

    A sentence is ``{"text": ..., "citations": [n, ...]}``; its support is the share of its
    bigrams (attribution stripped) found in the clauses it cites. Uncited sentences count as
    unsupported; sentences with no bigram left (pure attribution) are not counted.

    >>> cites = [{"n": 1, "text": "县财政将科普经费列入年度预算，逐步提高人均科普经费标准。", "section_path": "三、（二）"}]
    >>> lexical_support([{"text": "县财政将科普经费列入年度预算[1]。", "citations": [1]},
    ...                  {"text": "市政府设立科普专项奖励基金。", "citations": []}], cites)
    (2, 1)
    """
    by_n = {c.get("n"): c for c in citations}
    counted = supported = 0
    for s in sentences:
        own = [by_n[n] for n in s.get("citations", []) if n in by_n]
        text = strip_attribution(s.get("text", ""), own or citations)
        share = bigram_support(text, [c.get("text", "") for c in own])
        if share is None:
            continue
        counted += 1
        if own and share >= tau:
            supported += 1
    return counted, supported


# ----------------------------------------------------------------------------- aggregation


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), None for no values.

    >>> percentile([10, 20, 30, 40], 50), percentile([10, 20, 30, 40], 95)
    (25.0, 38.5)
    """
    if not values:
        return None
    xs = sorted(float(v) for v in values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def mean(values: Iterable[float | bool | None]) -> float | None:
    """Mean of the values that apply (None skipped; bools count as 0/1).

    >>> mean([1.0, None, 0.0, True])
    0.6666666666666666
    >>> mean([None]) is None
    True
    """
    xs = [float(v) for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None
