"""The 修订对照 tab: pick two versions, see the article-by-article comparison, export .md / .docx.

Document text is escaped; deleted words are shown as <del>, inserted words as <ins>.
"""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

import gradio as gr

from chatbot.revision import RevisionRow, compare_clauses
from chatbot.revision_export import KIND_LABEL, summary_line, write_docx, write_markdown
from chatbot.versions import index_statuses
from ingest.versions import sort_date

# styles: chatbot.render.APP_CSS (.pq-rev)


def _cells(r: RevisionRow) -> tuple[str, str]:
    if r.kind != "changed":
        return html.escape(r.old_text), html.escape(r.new_text)
    old, new = [], []
    for tag, text in r.diff:
        t = html.escape(text)
        if tag == "equal":
            old.append(t)
            new.append(t)
        elif tag == "delete":
            old.append(f"<del>{t}</del>")
        else:
            new.append(f"<ins>{t}</ins>")
    return "".join(old), "".join(new)


def revision_html(rows: list[RevisionRow], old_title: str, new_title: str, include_same: bool = False) -> str:
    """The comparison as an HTML table (escaped text, marked words)."""
    out = [f'<div class="pq-rev-head"><b>{html.escape(old_title)}</b> → <b>{html.escape(new_title)}</b>：'
           f'{html.escape(summary_line(rows))}</div>',
           '<table class="pq-rev"><tr><th class="pq-lab">原条</th><th class="pq-lab">现条</th>'
           '<th class="pq-lab">变化</th><th>原条文</th><th>修订后条文</th></tr>']
    for r in rows:
        if r.kind == "same" and not include_same:
            continue
        old, new = _cells(r)
        kind = KIND_LABEL[r.kind] + ("（移动）" if r.moved else "")
        out.append(f'<tr class="pq-{r.kind}"><td>{html.escape(r.old_label)}</td><td>{html.escape(r.new_label)}</td>'
                   f"<td>{kind}</td><td>{old}</td><td>{new}</td></tr>")
    out.append("</table>")
    return "".join(out)


class RevisionView:
    """Handlers of the tab (the index is read under the app's read lock when one is given)."""

    def __init__(self, pa: Any) -> None:
        self.pa = pa

    def choices(self) -> list[tuple[str, str]]:
        metas = self.pa.index.metas
        return [(f"{m.title or m.source}（{sort_date(m) or m.source}）", d) for d, m in metas.items()]

    def default_pair(self) -> tuple[str | None, str | None]:
        """The first version pair of the collection (earlier, later), if any."""
        st = index_statuses(self.pa.index, getattr(self.pa.config.answer_config, "today", "") or "")
        for d, s in st.items():
            if s.superseded_by:
                return d, s.superseded_by
        return None, None

    def _rows(self, a: str | None, b: str | None) -> tuple[list[RevisionRow], str, str] | None:
        idx = self.pa.index
        if not a or not b or a not in idx.metas or b not in idx.metas or a == b:
            return None
        ma, mb = idx.metas[a], idx.metas[b]
        if sort_date(mb) and sort_date(ma) and sort_date(mb) < sort_date(ma):
            a, b, ma, mb = b, a, mb, ma
        with self.pa.lock.read():
            rows = compare_clauses(idx.doc_clauses(a), idx.doc_clauses(b))
        return rows, f"{ma.title}（{sort_date(ma)}）", f"{mb.title}（{sort_date(mb)}）"

    def show(self, a: str | None, b: str | None) -> str:
        got = self._rows(a, b)
        if got is None:
            return '<div class="pq-empty">选择同一文件的两个版本（原文本、修订后文本）进行对照。</div>'
        return revision_html(*got)

    def export(self, a: str | None, b: str | None, fmt: str) -> str | None:
        got = self._rows(a, b)
        if got is None:
            gr.Warning("请先选择两个不同的文件。")
            return None
        path = Path(self.pa.export_dir) / f"修订对照_{time.strftime('%Y%m%d-%H%M%S')}.{fmt}"
        return str((write_docx if fmt == "docx" else write_markdown)(got[0], path, got[1], got[2]))


def revision_tab(pa: Any) -> RevisionView:
    """Build the 修订对照 tab inside the current ``gr.Blocks``."""
    view = RevisionView(pa)
    a0, b0 = view.default_pair()
    with gr.Tab("修订对照", id="revision"):
        with gr.Row():
            a = gr.Dropdown(view.choices(), value=a0, label="原文本（较早版本）", scale=2, elem_id="pq-rev-a")
            b = gr.Dropdown(view.choices(), value=b0, label="修订后文本", scale=2, elem_id="pq-rev-b")
        with gr.Row():
            go = gr.Button("对照", variant="primary", elem_id="pq-rev-go")
            md = gr.Button("导出 Markdown")
            docx = gr.Button("导出 Word (.docx)")
        out = gr.HTML(view.show(a0, b0), elem_id="pq-rev")
        f = gr.File(label="导出文件", interactive=False, height=80)
        go.click(view.show, [a, b], out, api_name="revision")
        md.click(lambda x, y: view.export(x, y, "md"), [a, b], f, api_visibility="private")
        docx.click(lambda x, y: view.export(x, y, "docx"), [a, b], f, api_visibility="private")
    return view
