"""The 先例 (precedent) and 文件 (documents) tabs' handlers: a mixin of `chatbot.app.PolicyApp`.

They read ``self.index`` under ``self.lock.read()`` and return HTML / Gradio updates; tests call
them directly (see tests/test_app.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from chatbot import app_guide, render
from chatbot.export import to_docx, write_markdown
from chatbot.precedent import filter_choices, find_precedents, scope_from_filters


class BrowseHandlers:
    """Precedent search / export and the document table; needs ``index``, ``lock``, ``config``, ``export_dir``."""

    index: Any
    lock: Any
    config: Any
    export_dir: Path

    def _doc_clauses(self, doc_id: str) -> list:
        return sorted(self.index.doc_clauses(doc_id), key=lambda c: (c.order, c.start))

    # ----------------------------------------------------------------- precedent
    def _groups(self, topic: str, regions: Sequence[str] | None, levels, doc_types) -> list:
        scope = scope_from_filters(list(regions or []), list(levels or []), list(doc_types or []))
        with self.lock.read():
            return find_precedents(topic, self.index, scope=scope, k_per_doc=self.config.k_per_doc)

    def precedent(self, topic: str, regions=None, levels=None, doc_types=None) -> str:
        return render.precedent_html(self._groups(topic, regions, levels, doc_types), topic)

    def _export_name(self, topic: str, suffix: str) -> Path:
        stem = "".join(ch for ch in (topic or "precedent") if ch.isalnum())[:30] or "precedent"
        return (
            self.export_dir
            / f"先例_{stem}_{time.strftime('%Y%m%d-%H%M%S')}_{threading.get_ident() % 10000}{suffix}"
        )

    def export_markdown(self, topic: str, regions=None, levels=None, doc_types=None) -> str | None:
        groups = self._groups(topic, regions, levels, doc_types)
        if not groups:
            gr.Warning("没有可导出的条款：请先输入主题并检索。")
            return None
        return str(write_markdown(groups, self._export_name(topic, ".md"), topic=topic))

    def export_docx(self, topic: str, regions=None, levels=None, doc_types=None) -> str | None:
        groups = self._groups(topic, regions, levels, doc_types)
        if not groups:
            gr.Warning("没有可导出的条款：请先输入主题并检索。")
            return None
        return str(to_docx(groups, self._export_name(topic, ".docx"), topic=topic))

    def filter_updates(self) -> tuple[Any, Any, Any]:
        ch = filter_choices(self.index.metas)
        return (
            gr.Dropdown(choices=ch["regions"]),
            gr.Dropdown(choices=ch["levels"]),
            gr.Dropdown(choices=ch["doc_types"]),
        )

    # ----------------------------------------------------------------- documents
    def document_rows(self) -> list[list[Any]]:
        with self.lock.read():
            metas = sorted(self.index.metas.values(), key=lambda m: m.doc_id)
            counts = {m.doc_id: len(self.index.doc_clauses(m.doc_id)) for m in metas}
            statuses = app_guide.index_statuses(self.index, getattr(self.config.answer_config, "today", "") or "")
        return render.document_rows(metas, counts, statuses)

    def document_choices(self) -> list[tuple[str, str]]:
        metas = sorted(self.index.metas.values(), key=lambda m: m.doc_id)
        return [(f"{m.citation_label()} [{m.source}]", m.doc_id) for m in metas]

    def show_document(self, doc_id: str | None) -> str:
        if not doc_id or doc_id not in self.index.metas:
            return '<div class="pq-tree pq-empty">选择一个文件查看其条款结构。</div>'
        with self.lock.read():
            meta = self.index.metas[doc_id]
            clauses = self._doc_clauses(doc_id)
        return render.clause_tree_html(meta, clauses)

    def on_table_select(self, evt: gr.SelectData) -> tuple[Any, str]:
        row = getattr(evt, "row_value", None) or []
        doc_id = row[-1] if row else None  # the last column holds the doc_id
        return gr.update(value=doc_id), self.show_document(doc_id)

    def _documents_outputs(self, status: str) -> tuple[str, Any, Any, Any, Any, Any]:
        return (
            status,
            self.document_rows(),
            gr.Dropdown(choices=self.document_choices(), value=None),
            *self.filter_updates(),
        )
