"""Sentence-level text tools over clause text: splitting, responsible-unit groups, figures, overlap.

Everything here is a pure function of strings, so the composer and the refusal rules can be
tested without an index.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lang.figures import has_figure as _has_figure
from lang.numbering import strip_marker
from lang.text import DOC_NUMBER_RX
from lang.units import BODY_RX, LABEL_RX
from lang.words import CJK_RUN as _CJK_RUN
from lang.words import FUNCTION_CHARS, STOP_PHRASES, content_runs  # noqa: F401  (re-exported: the rules live in lang/)
from lang.words import YEAR_WORD as YEAR

OPEN = "（(〔[【“‘《"
CLOSE = "）)〕]】”’》"
_PAIR = dict(zip(OPEN, CLOSE, strict=True))
SENT_END = "。；！？;!?"
HEAD_END = "\u2029"  # marks the end of a heading line inside a clause text

RESP_LABEL = re.compile(r"^\s*" + LABEL_RX.pattern)  # the unit labels of lang.units
RESP_TAIL = re.compile(r"(按职责分工负责|分工负责|共同负责|负责落实|[局委厅办会部协院府团联室]负责)\s*$")

BOOK_TITLE = re.compile(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》")
@dataclass(frozen=True)
class Sentence:
    """One sentence of a clause, as displayed in an answer (responsible groups removed)."""

    text: str  # display text, ends with 。 (or the original end mark)
    raw: str  # the sentence exactly as in the clause (with responsible groups)
    index: int  # position within the clause


def bracket_groups(text: str) -> list[tuple[int, int]]:
    """Top-level bracketed spans ``(start, end)`` (end exclusive), nesting-aware.

    >>> t = "开展活动。[牵头单位：县教育局、各镇（园区）]"
    >>> [t[s:e] for s, e in bracket_groups(t)]
    ['[牵头单位：县教育局、各镇（园区）]']
    """
    spans: list[tuple[int, int]] = []
    stack: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in _PAIR and not (ch in "“‘" and stack and stack[-1] == _PAIR[ch]):
            if not stack:
                start = i
            stack.append(_PAIR[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                spans.append((start, i + 1))
        elif ch in CLOSE and stack and ch in "）)" and stack[-1] in "）)":
            stack.pop()  # （…) mixed full/half width
            if not stack:
                spans.append((start, i + 1))
    return spans


UNIT_SUFFIX = BODY_RX  # a body's name ends in one of lang.units.BODY_SUFFIXES
UNIT_PREFIX = re.compile(r"^(省|市|县|区|镇|各|团|中共|共青团|国家)")


def is_unit_list(inner: str) -> bool:
    """A bare list of responsible bodies: ``县全民科学素质工作领导小组办公室``, ``县教育局、县科协``.

    >>> is_unit_list("县委组织部、县科技局、各镇（园区）")
    True
    >>> is_unit_list("以下简称科普")
    False
    """
    inner = re.sub(r"[（(][^（()）]*[)）]", "", inner).strip()
    parts = [re.sub(r"等$", "", p.strip()) for p in re.split(r"[、，,；;]", inner) if p.strip()]
    return bool(parts) and all(
        (len(p) >= 3 or p.startswith("各")) and len(p) <= 24 and UNIT_SUFFIX.search(p) and UNIT_PREFIX.search(p) for p in parts
    )


def is_responsible_group(inner: str) -> bool:
    """True for the text inside a 责任单位-style parenthesis.

    >>> is_responsible_group("责任单位：省科协；配合单位：省教育厅")
    True
    >>> is_responsible_group("县总工会、县人力资源和社会保障局按职责分工负责")
    True
    >>> is_responsible_group("以下简称科普")
    False
    """
    inner = inner.strip()
    return bool(RESP_LABEL.match(inner) or (RESP_TAIL.search(inner) and len(inner) >= 4) or is_unit_list(inner))


def responsible_groups(text: str) -> list[str]:
    """Inner texts of the responsible-unit parentheses of a clause, in order.

    >>> responsible_groups("建设科普基地。（责任单位：省科协；配合单位：省科技厅，各市人民政府）")
    ['责任单位：省科协；配合单位：省科技厅，各市人民政府']
    """
    out = []
    for s, e in bracket_groups(text):
        inner = text[s + 1 : e - 1]
        if is_responsible_group(inner):
            out.append(inner.strip())
    return out


def strip_responsible(text: str) -> str:
    """Remove responsible-unit parentheses (they are cited separately for 谁负责 questions)."""
    spans = [(s, e) for s, e in bracket_groups(text) if is_responsible_group(text[s + 1 : e - 1])]
    for s, e in reversed(spans):
        text = text[:s] + text[e:]
    return text


def strip_numbering(text: str) -> str:
    """Drop the leading clause number.

    >>> strip_numbering("（二）强化企业科普社会责任。")
    '强化企业科普社会责任。'
    >>> strip_numbering("3. 加强科普人才队伍建设。")
    '加强科普人才队伍建设。'
    """
    return strip_marker(text)


def split_raw(text: str) -> list[str]:
    """Split at 。；！？ outside brackets and quotes; keep the end marks.

    >>> split_raw("到2025年，比例达到13%。（责任单位：省科协；配合单位：省教育厅）")
    ['到2025年，比例达到13%。', '（责任单位：省科协；配合单位：省教育厅）']

    A short heading line ends a sentence too:

    >>> split_raw("（三）主要目标\\n2025年，我市公民具备科学素质比例超过19%。")
    ['（三）主要目标', '2025年，我市公民具备科学素质比例超过19%。']
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    parts = []
    for i, ln in enumerate(lines):
        heading = (i < len(lines) - 1 and len(ln) <= 30 and ln[-1] not in SENT_END + "，,、：:" + CLOSE
                   and "\t" not in text)  # a table's rows stay together with its header row
        parts.append(ln + (HEAD_END if heading else ""))
    text = "".join(parts)
    out: list[str] = []
    depth: list[str] = []
    buf: list[str] = []
    for ch in text:
        buf.append(ch)
        if ch in _PAIR and not (ch in "“‘" and depth and depth[-1] == _PAIR[ch]):
            depth.append(_PAIR[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif depth and ch in "）)" and depth[-1] in "）)":
            depth.pop()
        elif ch == HEAD_END:
            buf.pop()
            if not depth and "".join(buf).strip():
                out.append("".join(buf).strip())
                buf = []
        elif ch in SENT_END and not depth:
            out.append("".join(buf).strip())
            buf = []
        if len(depth) > 4:  # unbalanced text: do not let one stray bracket swallow the clause
            depth = []
    rest = "".join(buf).strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]


def split_sentences(text: str) -> list[Sentence]:
    """Display sentences of a clause text: numbering and responsible groups removed, empties dropped.

    >>> [s.text for s in split_sentences("1. 提升基层科普服务能力。到2025年，创建示范县不少于20个。（责任单位：省科协）")]
    ['提升基层科普服务能力。', '到2025年，创建示范县不少于20个。']
    """
    return list(_split_sentences(text))  # memoised: a comparison splits the same clauses many times


@lru_cache(maxsize=4096)
def _split_sentences(text: str) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    for i, raw in enumerate(split_raw(text)):
        shown = strip_responsible(raw)
        if i == 0:
            shown = strip_numbering(shown)
        shown = shown.strip(" \t，,、")
        if shown.startswith("任务：") or shown.startswith("任务:"):
            shown = shown[3:]
        if len(re.sub(r"[\W_]", "", shown)) < 2:
            continue
        groups = bracket_groups(shown)
        if len(groups) == 1 and groups[0] == (0, len(shown.rstrip("。；;"))):
            continue  # a bare parenthetical note, not a sentence of the clause
        out.append(Sentence(text=shown, raw=raw, index=i))
    return tuple(out)


def unquoted(text: str) -> str:
    """The text without 《…》 titles (a title's 2021—2035年 is not a target year).

    >>> unquoted("依据《全民科学素质行动规划纲要（2021—2035年）》，到2025年达到19%")
    '依据，到2025年达到19%'
    """
    return BOOK_TITLE.sub("", text)


def years_in(text: str) -> list[str]:
    """Years named in a text, outside 《…》 titles.

    >>> years_in("到 2025 年，力争达到16%；到2035年达到28%")
    ['2025', '2035']
    """
    return [m.group(1) for m in YEAR.finditer(unquoted(text))]


def has_figure(text: str) -> bool:
    """A quantity other than a year, a 文号 or a title's period (``lang.figures``): 16%, 1000 家, 六十日.

    >>> has_figure("到 2025 年，科普服务作用显著提升。")
    False
    >>> has_figure("到 2025 年，认定各类科普基地 1000 家以上。")
    True
    >>> has_figure("市级财政科技创新资金用于基础研究的比例不低于三分之一。")
    True
    """
    return _has_figure(DOC_NUMBER_RX.sub("", unquoted(text)))


def bigrams(text: str) -> set[str]:
    """Character bigrams within each run of Chinese / Latin text (digits and punctuation break runs)."""
    return set(_bigrams(text))  # memoised (the same candidate sentences are scored again and again)


@lru_cache(maxsize=16384)
def _bigrams(text: str) -> frozenset[str]:
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(grams)


def query_bigrams(question: str, drop: Iterable[str] = ()) -> set[str]:
    """Content bigrams of a question (stop phrases, numbers and ``drop`` terms removed)."""
    grams: set[str] = set()
    for run in content_runs(question, drop):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


UNSEEN_WEIGHT = 1.0  # a question bigram no document uses weighs as a common word


def idf_weights(query: set[str], texts: list[str], unseen: Iterable[str] = ()) -> dict[str, float]:
    """Weight of each query bigram by rarity among ``texts`` (the candidate sentences).

    Bigrams found in none of the texts get the highest weight, so a question about
    something the candidates never mention scores low. A bigram the whole collection never
    uses (``unseen``: an everyday word, or a pair across two words of the question) says
    nothing about which clause answers, and weighs ``UNSEEN_WEIGHT``: a topic other documents
    hold but the candidates lack still weighs most.

    >>> w = idf_weights({"起征", "跟太"}, ["建设太空旅游体验基地", "训练基地", "科普场馆"], unseen=["跟太"])
    >>> round(w["起征"], 2), w["跟太"]
    (1.95, 1.0)

    A seam of the question (a pair with a function character: 人每 in 按人口每人每年) that no candidate
    writes weighs the same, however large the collection (where some unrelated law may write it):

    >>> w = idf_weights({"人每", "起征", "经费"}, ["科普经费列入同级财政预算", "科协经费来源"])
    >>> w["人每"], round(w["起征"], 2), round(w["经费"], 2)
    (1.0, 1.61, 0.59)
    """
    n = max(len(texts), 1)
    sets = [_bigrams(t) for t in texts]
    out = {}
    for g in query:
        df = sum(1 for s in sets if g in s)
        out[g] = math.log(1.0 + n / (df + 0.5))
        if df == 0 and (g[0] in FUNCTION_CHARS or g[1] in FUNCTION_CHARS):
            out[g] = min(out[g], UNSEEN_WEIGHT)  # a seam of the question (人每, 按人) the candidates never write
    for g in unseen:
        if g in out:
            out[g] = min(out[g], UNSEEN_WEIGHT)
    return out


def overlap(query: set[str], weights: dict[str, float], text: str) -> float:
    """Weighted share of query bigrams present in ``text`` (0..1).

    >>> q = query_bigrams("认定多少家科普基地？")
    >>> round(overlap(q, {g: 1.0 for g in q}, "认定各类科普基地 1000 家以上。"), 2)
    0.8
    """
    total = sum(weights.get(g, 1.0) for g in query)
    if total <= 0:
        return 0.0
    grams = _bigrams(text)
    return sum(weights.get(g, 1.0) for g in query if g in grams) / total


def trim_to(sentence: str, max_chars: int, keep: Iterable[str] = ()) -> str:
    """Shorten an over-long sentence to a verbatim window of its comma-separated parts.

    The window keeps the parts that contain any of ``keep`` (e.g. the figure or year asked for).

    >>> trim_to("甲甲甲甲，乙乙乙乙，到2025年达到16%。", 18, keep=["16%"])
    '乙乙乙乙，到2025年达到16%。'
    """
    if len(sentence) <= max_chars:
        return sentence
    end = sentence[-1] if sentence[-1] in SENT_END else ""
    body = sentence[:-1] if end else sentence
    parts = re.split(r"(?<=[，,：:])", body)
    keep = [k for k in keep if k]
    best, best_key = body[:max_chars], (-1, 0)
    for i in range(len(parts)):
        acc = ""
        for j in range(i, len(parts)):
            acc += parts[j]
            if len(acc) + 1 > max_chars:
                break
            hits = sum(1 for k in keep if k in acc)
            key = (hits, len(acc))
            if key > best_key:
                best, best_key = acc, key
    best = best.rstrip("，,：:")
    return best + ("。" if end in "；;" or not end else end)
