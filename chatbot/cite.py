"""Citations: from a retrieved hit to a numbered ``Citation``, and the text forms staff read."""

from __future__ import annotations

from chatbot.types import Answer, Citation
from index.types import Hit


def citation_label(title: str, doc_number: str, section_path: str, source: str = "") -> str:
    """《title》（文号）section path.

    >>> citation_label("安徽省新时代科学技术普及工作方案", "皖科才〔2023〕2号", "三、（一）1.")
    '《安徽省新时代科学技术普及工作方案》（皖科才〔2023〕2号）三、（一）1.'
    >>> citation_label("", "", "", "a.txt")
    '《a.txt》'
    """
    label = f"《{title or source}》"
    if doc_number:
        label += f"（{doc_number}）"
    return label + (section_path or "")


def make_citation(hit: Hit, n: int) -> Citation:
    """Numbered citation of the clause behind a hit (the whole clause text, verbatim)."""
    m, c = hit.meta, hit.clause
    return Citation(
        n=n,
        doc=m.source,
        doc_id=m.doc_id,
        clause_id=c.clause_id,
        title=m.title,
        doc_number=m.doc_number,
        issuers=list(m.issuers),
        date=m.version_date or m.date,  # the date of this text (a revised law: its latest revision)
        section_path=c.section_path,
        text=c.text,
        label=citation_label(m.title, m.doc_number, c.section_path, m.source),
    )


def format_citation(c: Citation) -> str:
    """One line for the 来源 list.

    >>> c = Citation(1, "a.txt", "a#0", "a#0/三、（一）1.", "安徽省新时代科学技术普及工作方案",
    ...              "皖科才〔2023〕2号", ["安徽省科学技术厅"], "2023-04-04", "三、（一）1.", "……")
    >>> format_citation(c)
    '[1] 《安徽省新时代科学技术普及工作方案》（皖科才〔2023〕2号） 三、（一）1. 发布：安徽省科学技术厅 日期：2023-04-04'
    """
    head = citation_label(c.title, c.doc_number, "", c.doc)
    parts = [f"[{c.n}] {head}"]
    if c.section_path:
        parts.append(c.section_path)
    if c.issuers:
        parts.append("发布：" + "、".join(c.issuers))
    if c.date:
        parts.append("日期：" + c.date)
    if c.effective_date:
        parts.append("施行：" + c.effective_date)
    if c.status:
        parts.append(f"【{c.status}{'：' + c.status_note if c.status_note and c.status_note != c.status else ''}】")
    return " ".join(parts)


SHORT_CLAUSE_CHARS = 200  # a longer clause is shown as its first characters + "…" in the 来源 list


def shorten(text: str, limit: int = SHORT_CLAUSE_CHARS) -> str:
    """The first ``limit`` characters of a clause on one line, "…（共 N 字）" when cut (0: no limit).

    >>> shorten("（三）主要目标 2025年，我市公民具备科学素质比例超过19%。", 10)
    '（三）主要目标 20…（共 32 字）'
    """
    flat = text.replace("\n", " ")
    if limit <= 0 or len(flat) <= limit:
        return flat
    return f"{flat[:limit]}…（共 {len(flat)} 字）"


def with_status(citations: list[Citation], statuses: dict) -> None:
    """Fill each citation's status fields from ``ingest.status.collection_status`` output (in place).

    >>> from ingest.status import DocStatus
    >>> c = Citation(1, "a.md", "a#0", "a#0/第六条", "中华人民共和国行政复议法", "", [], "", "第六条", "……")
    >>> with_status([c], {"a#0": DocStatus("a#0", "已被修订", "1999-10-01", superseded_by="b#0", note="已被2023年版修订")})
    >>> format_citation(c)
    '[1] 《中华人民共和国行政复议法》 第六条 施行：1999-10-01 【已被修订：已被2023年版修订】'
    """
    for c in citations:
        s = statuses.get(c.doc_id)
        if s is not None:
            c.status, c.effective_date, c.superseded_by, c.status_note = (
                s.status, s.effective_date, s.superseded_by, s.note)


def render_answer(answer: Answer, show_clause_text: bool = True, max_chars: int = SHORT_CLAUSE_CHARS) -> str:
    """Plain-text rendering for the CLI: the answer, then 来源 (or 相关条款 when refused).

    A clause longer than ``max_chars`` is shortened (``shorten``; 0 prints it whole)."""
    lines = []
    if answer.resolved_question and answer.resolved_question != answer.question:  # a rewritten follow-up
        lines.append(f"理解为：{answer.understood or answer.resolved_question}")
    lines.append(answer.text)
    sources = answer.citations
    if sources:
        lines.append("")
        lines.append("来源：")
        for c in sources:
            lines.append(format_citation(c))
            if show_clause_text:
                lines.append("    " + shorten(c.text, max_chars))
    if answer.warnings:
        lines.append("")
        lines.extend(f"注意：{w}" for w in answer.warnings)
    return "\n".join(lines)


def number_hits(hits: list[Hit], max_n: int) -> list[Hit]:
    """One hit per clause, in retrieval order, at most ``max_n``: these become [1]..[n]."""
    out: list[Hit] = []
    seen: set[str] = set()
    for h in hits:
        if h.clause.clause_id in seen:
            continue
        seen.add(h.clause.clause_id)
        out.append(h)
        if len(out) >= max_n:
            break
    return out
