"""Questions about a document itself rather than its clauses: 文号, 印发日期, 发文机关, 抄送, 联系人,
附件, 主送 (which one a question asks is read by ``query.asks.meta_field``). The answer is the verbatim line of the document that states it (header, signature or
closing part), cited like any clause; when the document states nothing (no 文号), it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from chatbot.compose import Draft, Piece, short_title
from index.types import Hit

LABEL = {"doc_number": "文号", "cc": "抄送", "contact": "联系人", "attachments": "附件", "issuers": "发文机关",
         "date": "印发日期", "recipients": "主送", "effective": "施行日期", "adopted": "通过会议",
         "validity": "有效期"}


@dataclass(frozen=True)
class MetaAsk:
    field: str  # doc_number | cc | contact | attachments | issuers | date | recipients (query.asks.meta_field)


def _cn_date(iso: str) -> list[str]:
    """2022-04-19 → forms a document writes: 2022年4月19日."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})$", iso or "")
    if not m:
        return []
    y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    return [f"{y}年{mo}月{d}日", f"{y}年{mo:02d}月{d:02d}日"]


def _lines(text: str) -> list[str]:
    return [ln.strip(" -\t") for ln in text.splitlines() if ln.strip(" -\t")]


_SPACE = re.compile(r"\s+")
_EFFECTIVE = re.compile(r"起施行|起实施|起生效|施行之日")
_CONTACT = re.compile(r"联系人[:：]|电话[:：]")


def _norm(s: str) -> str:
    return _SPACE.sub("", s)


def find_line(clauses: list, field: str, meta) -> tuple[object, str] | None:
    """The clause and its verbatim line(s) stating ``field`` of the document, or None."""
    def first(pred: Callable[[str], bool], span: int = 1, contains: bool = False):
        """``contains``: pred tests for a substring, so a clause whose whole text fails it holds no
        such line (one test per clause instead of one per line: laws run to thousands of lines)."""
        for c in clauses:
            if contains and not pred(_norm(c.text)):
                continue
            lines = _lines(c.text)
            for i, ln in enumerate(lines):
                if pred(_norm(ln)):
                    return c, "".join(lines[i : i + span]) if span > 1 else ln
        return None

    if field == "doc_number":
        return first(lambda ln: bool(meta.doc_number) and _norm(meta.doc_number) in ln, contains=True) if meta.doc_number else None
    if field == "date":
        forms = _cn_date(meta.date)
        return first(lambda ln: any(f in ln for f in forms), contains=True) if forms else None
    if field == "cc":
        return first(lambda ln: ln.startswith("抄送"))
    if field == "contact":
        return first(lambda ln: ln.startswith("联系人") or ln.startswith("联系电话")) or first(
            lambda ln: bool(_CONTACT.search(ln)))
    if field == "effective":
        return first(lambda ln: bool(_EFFECTIVE.search(ln)), contains=True)
    if field == "adopted":
        return first(lambda ln: "会议通过" in ln or "会议审议通过" in ln, contains=True)
    if field == "validity":
        return first(lambda ln: "有效期" in ln, contains=True)
    if field == "recipients":
        for c in clauses[:6]:
            for ln in _lines(c.text):
                if re.match(r"^各.*[：:]$", _norm(ln)):
                    return c, ln
        return None
    if field == "attachments":
        for c in clauses:
            lines = _lines(c.text)
            for i, ln in enumerate(lines):
                if _norm(ln).startswith("附件"):
                    more = [x for x in lines[i + 1 : i + 6] if re.match(r"^\d+[.．、]", _norm(x))]
                    return c, "；".join([ln] + more)
        return None
    if field == "issuers":
        names = [n for n in meta.issuers if n]
        if not names:
            return None
        best, best_n = None, 0
        for c in clauses:
            t = _norm(c.text)
            k = sum(1 for n in names if _norm(n) in t)
            if k > best_n:
                best, best_n = c, k
        if best is None:
            return None
        return best, "、".join(n for n in names if _norm(n) in _norm(best.text))
    return None


def compose_meta(ask: MetaAsk, docs: list[str], index, make_hit: Callable[[object], Hit]) -> tuple[Draft, list[str]]:
    """One line per document with the verbatim statement; returns the draft and the titles that state none."""
    draft = Draft(support=1.0)
    missing: list[str] = []
    for d in docs:
        meta = index.metas[d]
        clauses = index.doc_clauses(d)
        found = find_line(clauses, ask.field, meta)
        title = (meta.title or meta.source).replace("《", "〈").replace("》", "〉")
        if found is None and clauses:
            # stated in the header the parser turned into metadata (not a clause): the value is the
            # document's own (its citation label carries it), cited by the document's first part
            value = {"doc_number": meta.doc_number, "date": (_cn_date(meta.date) or [""])[0],
                     "issuers": "、".join(meta.issuers)}.get(ask.field, "")
            if value:
                found = (clauses[0], value)
        if found is None:
            missing.append(title)
            continue
        clause, line = found
        hit = make_hit(clause)
        line = line.rstrip("。；;，,")
        label = LABEL[ask.field] if ask.field == "recipients" else ""
        draft.pieces.append(Piece(text=f"《{short_title(hit)}》{label}：{line}。", hits=[hit],
                                  line=len(docs) > 1))
    return draft, missing
