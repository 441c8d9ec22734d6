"""The write side of the web app: upload and remove, behind an optional admin token.

With a document store (``index.docstore.DocStore``) every change goes through its
transactions (the same code path as ``policyqa add`` / ``policyqa remove``); without one the
change stays in memory (``on_change`` may persist it). Either way the new index is built on a
copy while the current one keeps answering, and swapped in under a short write lock.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from chatbot import render
from ingest.types import IngestError

log = logging.getLogger(__name__)

DENIED = "需要管理口令：请在“管理口令”框中填写正确的口令后重试（口令由管理员通过 POLICYQA_ADMIN_TOKEN 设置）。"
READ_ONLY = "本服务为只读模式，不能上传或移除文件。"


class WriteHandlers:
    """Mixin of :class:`chatbot.app.PolicyApp`: ``upload`` / ``remove`` and the access check."""

    index: Any
    lock: Any
    store: Any
    on_change: Any
    admin_token: str
    read_only: bool
    _write_mutex: threading.Lock

    _documents_outputs: Any  # defined by chatbot.app_browse.BrowseHandlers

    @property
    def ingest_fn(self) -> Any: ...  # defined by PolicyApp

    def can_write(self, token: str | None) -> str:
        """"" when the caller may change documents, else the Chinese reason."""
        if self.read_only:
            return READ_ONLY
        if self.admin_token and not hmac.compare_digest((token or "").encode(), self.admin_token.encode()):
            return DENIED
        return ""

    def _swap(self, new: Any) -> None:
        with self.lock.write():  # readers finish with the old object; the swap itself is instant
            self.index = new

    # ------------------------------------------------------------------ upload
    def upload(self, files: Sequence[Any] | None, token: str | None = None,
               progress: gr.Progress = gr.Progress()) -> tuple:
        """Validate, then add uploaded files (per-file status in Chinese); the index answers meanwhile."""
        denied = self.can_write(token)
        if denied:
            return self._documents_outputs(denied)
        paths = [Path(getattr(f, "name", f)) for f in (files or [])]
        if not paths:
            return self._documents_outputs("未选择文件。")
        progress(0.1, desc=f"解析并建立索引（{len(paths)} 个文件）…")
        with self._write_mutex:
            try:
                lines = self._upload_store(paths) if self.store is not None else self._upload_memory(paths)
            except Exception as exc:  # a known error is shown in Chinese; the app keeps serving
                log.exception("upload failed: %s", [str(p) for p in paths])
                lines = [render.md_text(getattr(exc, "zh", "") or "上传失败：请稍后重试（详情已记录在日志中）。")]
        progress(1.0, desc="完成")
        return self._documents_outputs("\n\n".join(lines) or "没有可添加的文件。")

    def _upload_store(self, paths: list[Path]) -> list[str]:
        report = self.store.add(paths, on_commit=self._swap)
        lines = []
        for f in report.files:
            if f.ok:
                label = "；".join(f"《{t}》" for t in f.titles if t) or f.file
                lines.append(f"✓ {render.md_text(label)}（{render.md_text(f.file)}）：{f.clauses} 条")
            else:
                log.info("upload rejected: %s", f.detail)
                lines.append(f"✗ {render.md_text(f.error)}")
        return lines

    def _upload_memory(self, paths: list[Path]) -> list[str]:
        try:
            result = self.ingest_fn(paths)
            documents, errors = list(result.documents), list(result.errors)
        except IngestError as exc:  # a pipeline that raises instead of collecting
            documents, errors = [], [exc]
        lines = []
        for e in errors:
            log.info("upload rejected: %s", e)
            lines.append(f"✗ {render.md_text(e.zh)}")
        if documents:
            new = self.index.staged() if hasattr(self.index, "staged") else self.index
            summary = add_documents(new, documents)  # embeds outside the lock (on a copy)
            if self.on_change:
                self.on_change(new)
            self._swap(new)
            log.info("upload: %s", summary)
            for d in documents:
                lines.append(
                    f"✓ {render.md_text(d.meta.citation_label())}（{render.md_text(d.meta.source)}）：{len(d.clauses)} 条"
                )
        return lines

    # ------------------------------------------------------------------ remove
    def remove(self, doc_id: str | None, token: str | None = None) -> tuple:
        """Drop a document's file (all its documents) from the index; with a store the file goes to trash."""
        denied = self.can_write(token)
        if denied:
            return self._documents_outputs(denied)
        if not doc_id or doc_id not in self.index.metas:
            return self._documents_outputs("未移除任何文件（请先选择文件并确认）。")
        meta = self.index.metas[doc_id]
        with self._write_mutex:
            try:
                if self.store is not None:
                    n = len(self.store.remove(doc_id, on_commit=self._swap).files[0].doc_ids)
                else:
                    new = self.index.staged() if hasattr(self.index, "staged") else self.index
                    n = remove_documents(new, [doc_id])
                    if self.on_change:
                        self.on_change(new)
                    self._swap(new)
            except Exception as exc:
                log.exception("remove failed: %s", doc_id)
                return self._documents_outputs(render.md_text(getattr(exc, "zh", "") or "移除失败：请稍后重试。"))
        return self._documents_outputs(f"已移除 {render.md_text(meta.citation_label())}（{n} 个文件）。")


# ------------------------------------------------------------------ index adapters


def _all_documents(index: Any) -> list[Any]:
    from ingest.types import Document

    return [Document(meta=m, clauses=list(index.doc_clauses(d))) for d, m in index.metas.items()]


def add_documents(index: Any, documents: list[Any]) -> Any:
    """Add / replace documents in the index, re-embedding only what changed."""
    if hasattr(index, "add"):
        return index.add(documents)
    new_ids = {d.meta.doc_id for d in documents}
    new_sources = {d.meta.source for d in documents}
    keep = [
        d for d in _all_documents(index) if d.meta.doc_id not in new_ids and d.meta.source not in new_sources
    ]
    return index.update(keep + list(documents))


def remove_documents(index: Any, doc_ids: list[str]) -> int:
    """Remove documents (and all their clauses / chunks) from the index; returns how many."""
    present = [d for d in doc_ids if d in index.metas]
    if hasattr(index, "remove"):
        index.remove(present)
    else:
        drop = set(present)
        index.update([d for d in _all_documents(index) if d.meta.doc_id not in drop])
    return len(present)
