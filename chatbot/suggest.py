"""A chat that guides: suggested questions drawn from the collection's own clauses, and follow-ups
grounded in the clauses an answer just cited. Rules over clause text; no question is hard-coded.

- a target with a figure ("到2025年，我市公民具备科学素质比例超过19%") → "扬州到2025年公民具备科学素质比例要达到多少？"
- a clause naming its responsible units → "扬州加强学校科学教育由哪些单位负责？"
- an article of a law or regulation → "《浙江省科学技术普及条例》第十二条是怎么规定的？"

>>> from ingest.types import Clause
>>> c = Clause("y#0/二、", "y#0", "y.txt", "二、", ["二、发展目标"], "到2025年，我市公民具备科学素质比例超过19%。")
>>> target_question(c, "扬州市")
'扬州到2025年公民具备科学素质比例要达到多少？'
>>> clause_topic(Clause("q#0/1.", "q#0", "q.txt", "1.", [], "1. 加强学校科学教育。推动中小学开齐开足科学课程。"))
'加强学校科学教育'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ingest.types import Clause, DocMeta
from lang.numbering import strip_marker

_TARGET = re.compile(r"(?:到|至)?((?:19|20)\d{2})年(?:底|前)?[，,]?\s*([^，,。；;：:]{4,28}?)"
                     r"(?:达到|超过|提高到|提升到|不低于|不少于|力争达到|稳定在)\s*([\d.]+\s*(?:%|个|万|人|家|所|场|次))")
_LOCAL = re.compile(r"^(?:我省|我市|我县|我区|全省|全市|全县|全区|本省|本市|本县|各地|全国)")
_ADMIN = re.compile(r"(特别行政区|自治区|自治州|自治县|省|市|县|区)$")
_GENERIC = ("总则", "附则", "总体要求", "指导思想", "基本原则", "法律责任", "工作要求", "其他")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|元|万|日|天|个|次|人)|[一二三四五六七八九十百]+(?:日|天|元|万元)")


def short_region(region: str) -> str:
    """扬州市 → 扬州 (as people ask), 中华人民共和国 → "" (a national text names no place)."""
    if not region or region == "中华人民共和国":
        return ""
    s = _ADMIN.sub("", region)
    return s if len(s) >= 2 else region


def clause_topic(clause: Clause) -> str:
    """A short topic phrase for a clause: its lead sentence when short, else its own heading."""
    text = strip_marker(clause.text.strip()).strip()
    lead = re.split(r"[。：:；;！]", text, maxsplit=1)[0].strip()
    if 4 <= len(lead) <= 16 and not re.search(r"\d|[，,、]", lead):
        return lead
    for h in reversed(clause.headings):
        h = re.sub(r"[\s\u3000]+", "", strip_marker(h.strip()))
        if 4 <= len(h) <= 16 and "、" not in h and not any(g in h for g in _GENERIC):
            return h
    return ""


def target_question(clause: Clause, region: str) -> str:
    """A question about the first target with a figure in the clause, or ""."""
    m = _TARGET.search(clause.text)
    if not m:
        return ""
    subject = _LOCAL.sub("", m.group(2).strip())
    subject = re.sub(r"^(?:的|将|要|使)", "", subject)
    if len(subject) < 4 or re.search(r"\d", subject):
        return ""
    return f"{short_region(region)}到{m.group(1)}年{subject}要达到多少？"


def responsible_question(clause: Clause, region: str) -> str:
    topic = clause_topic(clause)
    if not clause.responsible or not topic:
        return ""
    return f"{short_region(region)}{topic}由哪些单位负责？"


def article_question(clause: Clause, meta: DocMeta, need_figure: bool = True) -> str:
    """An article that sets a figure (a time limit, an amount, a share) → "《title》第X条是怎么规定的？"."""
    m = re.match(r"\s*(第[一二三四五六七八九十百零〇两\d]+条)", clause.text)
    if clause.kind != "article" or not m or not meta.title:
        return ""
    body = re.sub(r"(?:19|20)\d{2}年(?:\d{1,2}月)?(?:\d{1,2}日)?", "", clause.text[m.end():])  # dates are no figure
    if need_figure and not _FIGURE.search(body):
        return ""
    return f"《{meta.title}》{m.group(1)}是怎么规定的？"


def _clause_questions(c: Clause, meta: DocMeta) -> list[tuple[str, str]]:
    out = []
    for kind, q in (("target", target_question(c, meta.region)), ("responsible", responsible_question(c, meta.region)),
                    ("article", article_question(c, meta))):
        if q:
            out.append((kind, q))
    return out


def suggested_questions(docs: Iterable[tuple[DocMeta, Sequence[Clause]]], n: int = 4,
                        check: Callable[[str], bool] | None = None, skip: Iterable[str] = ()) -> list[str]:
    """Up to ``n`` questions from different documents and kinds (targets first, then responsibilities,
    then articles). ``check`` (e.g. "is it answered, not refused?") filters candidates; ``skip``
    holds doc_ids left out (superseded versions)."""
    skip = set(skip)
    per_kind: dict[str, list[tuple[str, str]]] = {"target": [], "responsible": [], "article": []}
    for meta, clauses in docs:
        if meta.doc_id in skip or meta.parent_doc_id:
            continue
        taken: set[str] = set()
        for c in clauses:
            for kind, q in _clause_questions(c, meta):
                if kind not in taken:
                    per_kind[kind].append((meta.doc_id, q))
                    taken.add(kind)
    out: list[str] = []
    used_docs: set[str] = set()
    order = [k for k in ("target", "responsible", "article") if per_kind[k]]
    for rnd in range(2):  # first pass: one per document; second: fill up
        for kind in order * max(1, n):
            for d, q in per_kind[kind]:
                if len(out) >= n:
                    return out
                if q in out or (rnd == 0 and d in used_docs):
                    continue
                if check is not None and not check(q):
                    continue
                out.append(q)
                used_docs.add(d)
                break
    return out


def follow_ups(citations: Sequence[Any], metas: Mapping[str, DocMeta], clauses_of: Callable[[str], Sequence[Clause]],
               asked: str = "", n: int = 3) -> list[str]:
    """Two or three next questions grounded in the cited clauses (``Citation`` objects).

    For the first cited clause: who is responsible for it (when it names units), how other
    documents handle its topic (when the collection holds several regions), and what the
    clause that follows it in the same document says.
    """
    out: list[str] = []
    regions = {m.region for m in metas.values() if m.region}
    for cit in citations:
        meta = metas.get(cit.doc_id)
        if meta is None:
            continue
        clauses = list(clauses_of(cit.doc_id))
        pos = next((i for i, c in enumerate(clauses) if c.clause_id == cit.clause_id), None)
        if pos is None:
            continue
        c = clauses[pos]
        topic = clause_topic(c)
        cands = [responsible_question(c, meta.region)]
        if topic and len(regions) > 1:
            cands.append(f"各地对{topic}分别是怎么规定的？")
        for nxt in clauses[pos + 1 : pos + 4]:
            q = (target_question(nxt, meta.region) or responsible_question(nxt, meta.region)
                 or article_question(nxt, meta, need_figure=False))
            if q:
                cands.append(q)
                break
        for q in cands:
            if q and q not in out and q.rstrip("？") not in asked:
                out.append(q)
            if len(out) >= n:
                return out
    return out
