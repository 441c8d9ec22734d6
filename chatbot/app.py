"""The web app (Gradio): 问答 (chat with citations), 先例 (side-by-side precedents), 文件 (documents).

``create_app(index, ...)`` builds the ``gr.Blocks`` and never starts a server, so the UI is
testable without one; ``launch(app, ...)`` serves it. All event handlers are methods of
:class:`PolicyApp`, plain functions of their inputs, and tests call them directly.

Everything taken from a document is escaped (``chatbot.render``): text, never markup.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from chatbot import app_guide, app_revision, render
from chatbot.app_browse import BrowseHandlers
from chatbot.app_write import WriteHandlers, add_documents, remove_documents  # noqa: F401 (re-exported)
from chatbot.precedent import filter_choices
from chatbot.rwlock import RWLock  # noqa: F401 (re-exported)
from chatbot.types import Answer

log = logging.getLogger(__name__)

AnswerFn = Callable[..., Answer]  # (question, index, history=[...], config=...) -> Answer
IngestFn = Callable[[list[Path]], Any]  # paths -> object with .documents and .errors
ChangeFn = Callable[[Any], None]  # called with the index after an upload / removal (persist it)


@dataclass
class AppConfig:
    title: str = "科普政策文件问答"
    context_window: int = 2  # neighbouring clauses shown on each side of a cited clause
    k_per_doc: int = 3  # clauses per document in the precedent tab
    max_history_messages: int = 8  # conversation messages passed to answer() for follow-ups
    answer_config: Any = None  # chatbot.config.AnswerConfig, passed through when given
    ingest_config: Any = None  # ingest.config.IngestConfig for uploads, when given
    export_dir: Path | None = None  # where exported .md / .docx files go (a temp dir by default)
    # questions offered on an empty chat; empty → drawn from the collection's clauses (chatbot.suggest)
    examples: list[str] = field(default_factory=list)


def _default_answer_fn() -> AnswerFn:
    from chatbot.answer import answer

    return answer


def _default_ingest_fn(config: Any) -> IngestFn:
    def ingest(paths: list[Path]) -> Any:
        from ingest.pipeline import ingest_paths

        if config is None:
            from ingest.config import IngestConfig

            return ingest_paths(paths, IngestConfig(), progress=False)
        return ingest_paths(paths, config, progress=False)

    return ingest


class PolicyApp(BrowseHandlers, WriteHandlers):
    """State and event handlers of the app (one per process; per-session state lives in gr.State)."""

    def __init__(
        self,
        index: Any,
        answer_fn: AnswerFn | None = None,
        config: AppConfig | None = None,
        store: Any = None,
        on_change: ChangeFn | None = None,
        ingest_fn: IngestFn | None = None,
        admin_token: str = "",
        read_only: bool = False,
    ) -> None:
        self.store = store
        self.index = index if index is not None else store.index
        self.config = config or AppConfig()
        self._answer_fn = answer_fn
        self._ingest_fn = ingest_fn
        self.on_change = on_change
        self.admin_token = admin_token or ""
        self.read_only = read_only
        self.lock = RWLock()
        self._write_mutex = threading.Lock()  # one upload / removal at a time (readers never wait on it)
        self._export_dir: Path | None = Path(self.config.export_dir) if self.config.export_dir else None

    @property
    def export_dir(self) -> Path:
        """Where exports go: ``config.export_dir``, else a temp dir made on the first export and
        removed when the app is garbage-collected or the process exits."""
        if self._export_dir is None:
            self._export_dir = Path(tempfile.mkdtemp(prefix="policyqa-export-"))
            weakref.finalize(self, shutil.rmtree, self._export_dir, True)
        return self._export_dir

    # ------------------------------------------------------------------ helpers
    @property
    def answer_fn(self) -> AnswerFn:
        if self._answer_fn is None:
            self._answer_fn = _default_answer_fn()
        return self._answer_fn

    @property
    def ingest_fn(self) -> IngestFn:
        if self._ingest_fn is None:
            self._ingest_fn = _default_ingest_fn(self.config.ingest_config)
        return self._ingest_fn

    # ---------------------------------------------------------------------- chat
    @staticmethod
    def _no_answer(display: list[Any], history: list[Any]) -> tuple[Any, ...]:
        """The ``ask`` outputs when there is no answer to show (empty question or an error)."""
        return (display, history, render.citations_html(None), "", gr.Dropdown(choices=[], value=None), "", "")

    def ask(
        self, question: str, history: list[dict] | None, display: list[dict] | None, *filters: Any
    ) -> tuple[list[dict], list[dict], str, str, Any, str, str]:
        """→ (chatbot messages, history, citations HTML, copy text, citation dropdown, context HTML, "").

        ``filters``: the 筛选 values (地区, 层级, 文件, 状态, 起始日期, 截止日期; see ``chatbot.app_guide``)."""
        history = list(history or [])
        display = list(display or [])
        question = (question or "").strip()
        if not question:
            return self._no_answer(display, history)
        kwargs: dict[str, Any] = {"history": history[-self.config.max_history_messages :]}
        if self.config.answer_config is not None:
            kwargs["config"] = self.config.answer_config
        try:
            with self.lock.read():
                today = getattr(self.config.answer_config, "today", "") or ""
                index = app_guide.filtered_index(self.index, today, *filters) if filters else self.index
                ans = self.answer_fn(question, index, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:  # shown in the chat; the app keeps serving
            log.exception("answer failed for %r", question)
            display += [
                {"role": "user", "content": render.md_text(question)},
                {"role": "assistant", "content": render.md_text(
                    getattr(exc, "zh", "") or "回答时出错了：请稍后重试，或换一种问法（详情已记录在日志中）。")},
            ]
            return self._no_answer(display, history)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": ans.text}]
        display += [
            {"role": "user", "content": render.md_text(question)},
            {"role": "assistant", "content": render.answer_markdown(ans)},
        ]
        cites = ans.related if ans.refused else ans.citations
        choices = [(f"[{c.n}] {render.citation_label(c)}", c.clause_id) for c in cites]
        first = cites[0].clause_id if cites else None
        context = self.open_clause(first) if first else ""
        return (
            display,
            history,
            render.citations_html(ans),
            render.answer_copy_text(ans),
            gr.Dropdown(choices=choices, value=first),
            context,
            "",
        )

    def open_clause(self, clause_id: str | None) -> str:
        """The clause in the context of its document, highlighted."""
        if not clause_id:
            return ""
        with self.lock.read():
            clause = self.index.clauses.get(clause_id)
            if clause is None or clause.doc_id not in self.index.metas:
                return render.clause_context_html(None, [], clause_id)  # type: ignore[arg-type]
            meta = self.index.metas[clause.doc_id]
            clauses = self._doc_clauses(clause.doc_id)
        return render.clause_context_html(meta, clauses, clause_id, self.config.context_window)

    def on_chip(self, evt: gr.EventData) -> tuple[Any, str]:
        clause_id = getattr(evt, "_data", None) or {}
        cid = clause_id.get("clause_id") if isinstance(clause_id, dict) else None
        if not cid:
            return gr.skip(), gr.skip()
        return gr.update(value=cid), self.open_clause(cid)

    def clear(self) -> tuple[list, list, str, str, Any, str]:
        return [], [], render.citations_html(None), "", gr.Dropdown(choices=[], value=None), ""

# ------------------------------------------------------------------------ the UI

_CHIPS_JS = """
element.addEventListener('click', (e) => {
  const chip = e.target.closest('.pq-chip');
  if (chip) { trigger('click', {clause_id: chip.dataset.clause}); }
});
"""

_COPY_JS = """
element.addEventListener('click', async (e) => {
  const b = e.target.closest('.pq-copy');
  if (!b) return;
  const text = b.dataset.copy || '';
  try { await navigator.clipboard.writeText(text); }
  catch (err) {
    const ta = document.createElement('textarea'); ta.value = text; document.body.appendChild(ta);
    ta.select(); document.execCommand('copy'); ta.remove();
  }
  const old = b.textContent; b.textContent = '已复制'; setTimeout(() => { b.textContent = old; }, 1200);
});
"""

_SCROLL_TO_CITED_JS = """
const show = () => {
  const box = element.querySelector('.pq-context');
  const cited = element.querySelector('#pq-cited');
  if (box && cited) { box.scrollTop = Math.max(0, cited.offsetTop - box.offsetTop - 48); }
};
watch('value', show);
show();
"""

_CONFIRM_REMOVE_JS = "(d) => (d && confirm('确定从索引中移除该文件？')) ? d : null"
_CONFIRM_REMOVE_JS_TOKEN = "(d, t) => [(d && confirm('确定从索引中移除该文件？')) ? d : null, t]"


def create_app(
    index: Any,
    *,
    answer_fn: AnswerFn | None = None,
    config: AppConfig | None = None,
    store: Any = None,
    on_change: ChangeFn | None = None,
    ingest_fn: IngestFn | None = None,
    admin_token: str = "",
    read_only: bool = False,
) -> gr.Blocks:
    """Build the Blocks app around a loaded index. No server is started here.

    ``store`` (an ``index.docstore.DocStore``): uploads / removals are transactions on the corpus
    folder and the saved index (``index`` may then be None: the store's). ``admin_token``: upload /
    remove ask for it. ``read_only``: no upload / remove at all (neither shown nor served).
    """
    pa = PolicyApp(index, answer_fn, config, store, on_change, ingest_fn, admin_token, read_only)
    index = pa.index
    cfg = pa.config
    ch = filter_choices(index.metas)
    with gr.Blocks(title=cfg.title, analytics_enabled=False) as app:
        app.policyqa = pa  # type: ignore[attr-defined]  # handlers, for tests and scripts
        gr.Markdown(f"## {cfg.title}\n每句回答都注明出处条款；文件中没有的，直接说明未找到。")
        with gr.Tab("问答", id="chat"):
            history = gr.State([])
            chatbot = gr.Chatbot(
                label="对话",
                height=600,
                buttons=["copy"],
                sanitize_html=True,
                render_markdown=True,
                allow_tags=False,
                feedback_options=None,
                elem_id="pq-chatbot",
            )
            with gr.Row():
                question = gr.Textbox(
                    label="问题",
                    placeholder=("例如：" + cfg.examples[0]) if cfg.examples else "输入问题，或点击下方“可以这样问”",
                    scale=5,
                    elem_id="pq-question",
                )
                send = gr.Button("提问", variant="primary", scale=1, elem_id="pq-send")
            chat_filters = app_guide.chat_filters(index)
            suggest, follow = app_guide.guide_datasets(index, pa.answer_fn, cfg.answer_config, question)
            cites = gr.HTML(render.citations_html(None), js_on_load=_CHIPS_JS, elem_id="pq-cites")
            with gr.Row():
                with gr.Column(scale=3):
                    cite_dd = gr.Dropdown(
                        label="查看引用原文", choices=[], value=None, interactive=True, elem_id="pq-cite-dd"
                    )
                    context = gr.HTML("", js_on_load=_SCROLL_TO_CITED_JS, elem_id="pq-context")
                with gr.Column(scale=2):
                    copy_box = gr.Textbox(
                        label="复制回答与引用",
                        lines=8,
                        buttons=["copy"],
                        interactive=False,
                        elem_id="pq-copy",
                    )
                    clear = gr.Button("清空对话")
            if cfg.examples:
                gr.Examples(cfg.examples, inputs=question, label="示例问题")
            outs = [chatbot, history, cites, copy_box, cite_dd, context, question]
            ask_in = [question, history, chatbot, *chat_filters]
            for ev in (send.click(pa.ask, ask_in, outs, api_name="ask"),
                       question.submit(pa.ask, ask_in, outs, api_visibility="private")):
                ev.then(lambda c, h: app_guide.after_answer(pa.index, c, h), [cite_dd, history], [suggest, follow],
                        api_visibility="private")
            for ds in (suggest, follow):
                ds.click(app_guide.pick, ds, question, api_visibility="private").then(
                    pa.ask, ask_in, outs, api_visibility="private").then(
                    lambda c, h: app_guide.after_answer(pa.index, c, h), [cite_dd, history], [suggest, follow],
                    api_visibility="private")
            cites.click(pa.on_chip, None, [cite_dd, context], api_visibility="private")
            cite_dd.input(pa.open_clause, cite_dd, context, api_name="open_clause")
            clear.click(
                pa.clear,
                None,
                [chatbot, history, cites, copy_box, cite_dd, context],
                api_visibility="private",
            )

        with gr.Tab("先例对照", id="precedent"):
            with gr.Row():
                topic = gr.Textbox(
                    label="主题或措辞", placeholder="例如：科普基础设施", scale=3, elem_id="pq-topic"
                )
                regions = gr.Dropdown(ch["regions"], multiselect=True, label="地区", scale=1)
                levels = gr.Dropdown(ch["levels"], multiselect=True, label="层级", scale=1)
                types = gr.Dropdown(ch["doc_types"], multiselect=True, label="类型", scale=1)
            with gr.Row():
                search = gr.Button("检索先例", variant="primary", elem_id="pq-prec-search")
                md_btn = gr.Button("导出 Markdown")
                docx_btn = gr.Button("导出 Word (.docx)")
            prec = gr.HTML("", js_on_load=_COPY_JS, elem_id="pq-prec")
            export_file = gr.File(label="导出文件", interactive=False, height=80)
            pin = [topic, regions, levels, types]
            search.click(pa.precedent, pin, prec, api_name="precedent")
            topic.submit(pa.precedent, pin, prec, api_visibility="private")
            md_btn.click(pa.export_markdown, pin, export_file, api_name="export_markdown")
            docx_btn.click(pa.export_docx, pin, export_file, api_name="export_docx")

        app_revision.revision_tab(pa)

        with gr.Tab("文件", id="documents"):
            table = gr.Dataframe(
                value=pa.document_rows(),
                headers=render.DOCUMENT_HEADERS,
                interactive=False,
                wrap=True,
                column_widths=render.DOCUMENT_WIDTHS,
                label="已索引的文件",
            )
            writable = not pa.read_only
            with gr.Row():
                doc_dd = gr.Dropdown(pa.document_choices(), label="选择文件", value=None, scale=4)
                if writable:
                    remove_btn = gr.Button("移除所选文件", variant="stop", scale=1)
            with gr.Row():
                with gr.Column(scale=3):
                    tree = gr.HTML(pa.show_document(None), elem_id="pq-tree")
                if writable:
                    with gr.Column(scale=2):
                        token = gr.Textbox(label="管理口令（上传、移除文件需要）", type="password",
                                           visible=bool(pa.admin_token), elem_id="pq-token")
                        upload = gr.File(
                            label="上传文件（.txt .md .html .docx .pdf，可多选；增量建立索引）",
                            file_count="multiple",
                            type="filepath",
                            height=140,
                            elem_id="pq-upload",
                        )
                        status = gr.Markdown("", elem_id="pq-upload-status")
            doc_dd.change(pa.show_document, doc_dd, tree, api_visibility="private")
            table.select(pa.on_table_select, None, [doc_dd, tree], api_visibility="private")
            if writable:  # read-only: the write handlers are neither shown nor served
                doc_outs = [status, table, doc_dd, regions, levels, types]
                upload.upload(pa.upload, [upload, token], doc_outs, api_name="upload")
                remove_btn.click(pa.remove, [doc_dd, token], doc_outs, js=_CONFIRM_REMOVE_JS_TOKEN,
                                 api_name="remove")
    return app


def launch(
    app: gr.Blocks,
    host: str = "127.0.0.1",
    port: int = 7860,
    share: bool = False,
    concurrency: int = 4,
    block: bool = True,
    quiet: bool = False,
) -> gr.Blocks:
    """Serve the app. ``block=False`` returns once the server is up (tests, scripts)."""
    app.queue(default_concurrency_limit=concurrency, max_size=256)
    app.launch(
        server_name=host,
        server_port=port,
        share=share,
        prevent_thread_lock=not block,
        ssr_mode=False,
        show_error=True,
        quiet=quiet,
        css=render.APP_CSS,
        footer_links=[],
    )
    return app
