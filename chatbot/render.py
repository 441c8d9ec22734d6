"""HTML / Markdown rendering of answers, citations, clauses and precedent tables for the web app.

Every string that comes from a document (titles, 文号, clause text, section paths, file names)
goes through :func:`esc` (``html.escape``) before it is placed in markup: a clause is data,
never markup. Chatbot bubbles are Markdown, so their text is additionally backslash-escaped
(:func:`md_text`) so that ``*``, ``#``, ``[`` … in a clause are shown as written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from chatbot import cite
from chatbot.types import Answer, Citation
from ingest.types import Clause, DocMeta

REFUSAL_MARK = "文件中未找到"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def esc(value: Any) -> str:
    """``html.escape`` with quotes, for text and attribute values alike."""
    return html.escape("" if value is None else str(value), quote=True)


def md_text(text: str) -> str:
    """Plain text → Markdown that renders as exactly that text (``<>&`` escaped, punctuation escaped).

    Quotes are left as they are: Markdown text needs no quote escaping, and ``&#x27;`` would be
    escaped a second time by the chat's sanitizer and shown literally.

    >>> md_text("《科普法》第1条 it's <b>")
    "《科普法》第1条 it's &lt;b&gt;"
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape("" if text is None else str(text), quote=False))


LONG_CLAUSE_CHARS = 200  # longer clause text is shown shortened, the whole text behind <details>


def clause_text_html(text: str, limit: int = LONG_CLAUSE_CHARS) -> str:
    """Escaped clause text; a long one as its first ``limit`` characters + … and a 展开全文 <details>.

    >>> clause_text_html("加强<科普>宣传。" * 3, 5)
    '加强&lt;科普…<details class="pq-more"><summary>展开全文（共 27 字）</summary>加强&lt;科普&gt;宣传。加强&lt;科普&gt;宣传。加强&lt;科普&gt;宣传。</details>'
    """
    if limit <= 0 or len(text) <= limit:
        return esc(text)
    return (f'{esc(text[:limit])}…<details class="pq-more"><summary>展开全文（共 {len(text)} 字）</summary>'
            f"{esc(text)}</details>")


def clause_label(meta: DocMeta, clause: Clause) -> str:
    """《title》（文号）section path — the citation form used everywhere in the app."""
    return cite.citation_label(meta.title, meta.doc_number, clause.section_path, meta.source)


def citation_label(c: Citation) -> str:
    return c.label or cite.citation_label(c.title, c.doc_number, c.section_path, c.doc)


# ---------------------------------------------------------------------------------------- chat


def answer_markdown(answer: Answer) -> str:
    """The assistant bubble: 理解为 line for rewritten follow-ups, refusal banner, answer text."""
    parts: list[str] = []
    resolved = (answer.resolved_question or "").strip()
    if resolved and resolved != (answer.question or "").strip():  # a rewritten question: show its Query
        parts.append(f"*理解为：{md_text(answer.understood or resolved)}*")
    text = (answer.text or "").strip()
    if answer.refused:  # the refusal's first line, marked, then the rest (related clauses) as written
        head, _, rest = text.partition("\n")
        parts.append(f"**⚠ {md_text(head or REFUSAL_MARK + '相关规定。')}**")
        text = rest.strip()
    if text:
        parts.append(md_text(text))
    return "\n\n".join(parts)


def _chip(c: Citation, cls: str = "pq-chip") -> str:
    return (
        f'<button type="button" class="{cls}" data-clause="{esc(c.clause_id)}" data-n="{c.n}" '
        f'title="{esc(c.text[:200])}">'
        f'<span class="pq-n">[{c.n}]</span> {esc(citation_label(c))}{_status_badge(c)}</button>'
    )


def _status_badge(c: Citation) -> str:
    """The document's status on the chip (现行有效 green; replaced, repealed, ended … red)."""
    if not c.status:
        return ""
    cls = "pq-status" if c.status == "现行有效" else "pq-status pq-old"
    return f' <span class="{cls}" title="{esc(c.status_note)}">{esc(c.status)}</span>'


def citations_html(answer: Answer | None) -> str:
    """Citation chips under the chat; a refused answer is marked and lists 相关条款 instead."""
    if answer is None:
        return '<div class="pq-cites pq-empty">引用将显示在这里；点击引用可查看条款原文及上下文。</div>'
    out: list[str] = ['<div class="pq-cites">']
    if answer.refused:
        out.append(f'<div class="pq-refused">⚠ {REFUSAL_MARK}能回答该问题的条款。</div>')
        if answer.related:
            out.append('<div class="pq-cites-title">相关条款（仅供参考，并非答案）：</div>')
            out.extend(_chip(c, "pq-chip pq-related") for c in answer.related)
    elif answer.citations:
        out.append('<div class="pq-cites-title">引用（点击查看原文）：</div>')
        out.extend(_chip(c) for c in answer.citations)
    out.append("</div>")
    return "".join(out)


def answer_copy_text(answer: Answer) -> str:
    """Plain text for the copy box, the same form as ``policyqa ask``: answer, then 来源 with clause text."""
    return cite.render_answer(answer, show_clause_text=True)


def clause_context_html(meta: DocMeta, clauses: Sequence[Clause], clause_id: str, window: int = 2) -> str:
    """The cited clause in the context of its document: neighbours around it, the clause in <mark>."""
    pos = next((i for i, c in enumerate(clauses) if c.clause_id == clause_id), None)
    if pos is None:
        return (
            f'<div class="pq-context pq-empty">条款 {esc(clause_id)} 不在索引中（文件可能已被移除）。</div>'
        )
    lo, hi = max(0, pos - window), min(len(clauses), pos + window + 1)
    out = [
        '<div class="pq-context">',
        f'<div class="pq-doc-head">{esc(meta.citation_label())}{_meta_line(meta)}</div>',
    ]
    if lo > 0:
        out.append(f'<div class="pq-gap">…（前文 {lo} 条）</div>')
    for i in range(lo, hi):
        c = clauses[i]
        body = f"{_path_html(c.section_path, c.text)}{clause_text_html(c.text)}"
        if i == pos:
            out.append(f'<div class="pq-clause pq-cited" id="pq-cited"><mark>{body}</mark></div>')
        else:
            out.append(f'<div class="pq-clause">{body}</div>')
    if hi < len(clauses):
        out.append(f'<div class="pq-gap">…（后文 {len(clauses) - hi} 条）</div>')
    out.append("</div>")
    return "".join(out)


def _path_html(section_path: str, text: str) -> str:
    """The section path before a clause, without the part the clause text itself starts with.

    >>> _path_html("二、（二）", "（二）开展科普活动。")
    '<span class="pq-path">二、</span>'
    >>> _path_html("一、", "一、总体目标")
    ''
    >>> _path_html("三、（一）1.", "加强学校科学教育。")
    '<span class="pq-path">三、（一）1.</span> '
    """
    head = text.lstrip()
    for i in range(len(section_path)):
        tail = section_path[i:]
        if len(tail) >= 2 and head.startswith(tail):
            return f'<span class="pq-path">{esc(section_path[:i])}</span>' if i else ""
    return f'<span class="pq-path">{esc(section_path)}</span> ' if section_path else ""


def _meta_line(meta: DocMeta) -> str:
    bits = [", ".join(meta.issuers), meta.date, meta.region]
    text = " · ".join(b for b in bits if b)
    return f'<div class="pq-meta">{esc(text)}</div>' if text else ""


# ----------------------------------------------------------------------------------- precedent


def precedent_html(groups: Sequence[Any], topic: str = "") -> str:
    """Precedent groups side by side: one CSS-grid column per document, each clause copyable."""
    if not groups:
        what = f"“{esc(topic)}”" if topic else "该主题"
        return f'<div class="pq-prec pq-empty">没有找到与{what}相关的条款。</div>'
    cols: list[str] = []
    for g in groups:
        meta: DocMeta = g.meta
        items = []
        for it in g.items:
            copy = f"{it.label}\n{it.clause.text}"
            where = it.clause.section_path or "（正文）"
            items.append(
                f'<div class="pq-pitem" title="{esc(it.label)}">'
                f'<div class="pq-plabel">{esc(where)}</div>'
                f'<div class="pq-ptext">{clause_text_html(it.clause.text)}</div>'
                f'<button type="button" class="pq-copy" data-copy="{esc(copy)}">复制（含引用）</button>'
                "</div>"
            )
        tags = " · ".join(x for x in (meta.region, meta.level, meta.doc_type) if x)
        cols.append(
            '<div class="pq-col">'
            f'<div class="pq-col-head"><div class="pq-title">{esc(meta.citation_label())}</div>'
            f'<div class="pq-meta">{esc(tags)}</div></div>{"".join(items)}</div>'
        )
    n = len(cols)
    return (
        f'<div class="pq-prec" data-docs="{n}" '
        f'style="grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));">{"".join(cols)}</div>'
    )


# ----------------------------------------------------------------------------------- documents


def document_rows(metas: Iterable[DocMeta], counts: dict[str, int], statuses: dict | None = None) -> list[list[Any]]:
    """Rows for the documents table (plain text cells; the Dataframe shows them as text): the title
    first, then status and dates; the doc_id last (what selecting a row opens)."""
    statuses = statuses or {}
    rows = []
    for m in metas:
        st = statuses.get(m.doc_id)
        rows.append([
            m.title or m.source,
            (st.status + ("：" + st.note if st.note else "")) if st is not None else "",
            m.effective_date,
            m.doc_number,
            "、".join(m.issuers),
            m.version_date or m.date,
            m.region,
            m.level,
            m.doc_type,
            counts.get(m.doc_id, 0),
            m.source,
            m.doc_id,
        ])
    return rows


DOCUMENT_HEADERS = ["标题", "状态", "施行日期", "文号", "发文机关", "日期", "地区", "层级", "类型", "条款数", "文件",
                    "doc_id"]
DOCUMENT_WIDTHS = ["22%", "13%", "7%", "9%", "11%", "7%", "6%", "4%", "4%", "4%", "7%", "6%"]


def clause_tree_html(meta: DocMeta, clauses: Sequence[Clause], preview: int = 60) -> str:
    """The clause tree of one document: section paths indented by depth, first characters of each."""
    out = [
        f'<div class="pq-tree"><div class="pq-doc-head">{esc(meta.citation_label())}{_meta_line(meta)}</div>'
    ]
    for c in clauses:
        depth = max(0, len(c.headings))
        text = c.text.strip().replace("\n", " ")
        short = text[:preview] + ("…" if len(text) > preview else "")
        path = _path_html(c.section_path, short)
        out.append(
            f'<div class="pq-node pq-kind-{esc(c.kind)}" style="margin-left:{depth * 1.2:.1f}em">{path}{esc(short)}</div>'
        )
    out.append("</div>")
    return "".join(out)


APP_CSS = """
.pq-cites{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:4px 0}
.pq-cites-title{width:100%;font-size:.9em;color:#555}
.pq-chip{border:1px solid #8aa4d6;background:#eef3fc;border-radius:14px;padding:3px 10px;cursor:pointer;font-size:.9em;text-align:left}
.pq-chip:hover{background:#dbe6fa}
.pq-chip.pq-related{border-color:#c9a227;background:#fdf6e3}
.pq-n{font-weight:600}
.pq-refused{width:100%;padding:6px 10px;background:#fdecea;border-left:4px solid #d93025;color:#8a1c13;font-weight:600}
.pq-context,.pq-tree{border:1px solid #ddd;border-radius:6px;padding:8px 12px;max-height:480px;overflow:auto}
.pq-doc-head{font-weight:600;margin-bottom:6px}
.pq-meta{font-weight:400;font-size:.85em;color:#666}
.pq-clause{padding:4px 0;border-bottom:1px dashed #eee;white-space:pre-wrap}
.pq-cited mark{background:#fff3a3;padding:2px}
.pq-gap{color:#999;font-size:.85em}
.pq-path{color:#1a56b0;font-weight:600}
.pq-prec{display:grid;gap:10px;overflow-x:auto}
.pq-col{border:1px solid #ddd;border-radius:6px;padding:8px;min-width:240px}
.pq-col-head{border-bottom:2px solid #8aa4d6;margin-bottom:6px;padding-bottom:4px}
.pq-title{font-weight:600}
.pq-pitem{margin:6px 0;padding:6px;background:#fafafa;border-radius:4px}
.pq-plabel{font-size:.85em;color:#1a56b0}
.pq-ptext{white-space:pre-wrap}
.pq-copy{font-size:.8em;margin-top:4px;cursor:pointer}
.pq-more summary{cursor:pointer;color:#1a56b0;font-size:.85em}
.pq-node{font-size:.9em;padding:1px 0}
.pq-empty{color:#777}
.pq-status{font-size:.8em;margin-left:4px;padding:0 5px;border-radius:8px;background:#e8f5e9;color:#1b5e20}
.pq-status.pq-old{background:#fdecea;color:#8a1c13}
.pq-rev{width:100%;border-collapse:collapse;table-layout:fixed}
.pq-rev td,.pq-rev th{border:1px solid #ddd;padding:6px;vertical-align:top;white-space:pre-wrap;word-break:break-all}
.pq-rev th{background:#f3f6fb}
.pq-rev .pq-lab{width:7em}
.pq-rev del{background:#fde2e1;color:#a11;text-decoration:line-through}
.pq-rev ins{background:#e1f0ff;color:#0a3d91;text-decoration:underline;font-weight:600}
.pq-rev tr.pq-added td{background:#f3fbf3}
.pq-rev tr.pq-removed td{background:#fdf3f3}
"""
