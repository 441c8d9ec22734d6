"""问答 tab additions: document filters (as in 先例对照, plus document, status, date range), suggested
questions on an empty chat, and follow-ups after each answer. Kept out of ``chatbot.app``: that
module only creates these components (``chat_filters``, ``guide_datasets``) and wires them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gradio as gr

from chatbot.filters import DocFilter, select_docs
from chatbot.precedent import filter_choices
from chatbot.suggest import follow_ups, suggested_questions
from chatbot.versions import index_statuses
from index.filtered import FilteredIndex
from ingest.status import STATUSES, SUPERSEDED, parse_today


def chat_filters(index: Any) -> list[Any]:
    """Filter components (地区, 层级, 文件, 状态, 起止日期) inside a collapsed 筛选 accordion."""
    ch = filter_choices(index.metas)
    docs = [(f"{m.title or m.source}（{m.version_date or m.date or m.source}）", d) for d, m in index.metas.items()]
    with gr.Accordion("筛选文件（地区、层级、文件、状态、日期）", open=False, elem_id="pq-chat-filters"):
        with gr.Row():
            regions = gr.Dropdown(ch["regions"], value=[], multiselect=True, label="地区", elem_id="pq-f-region")
            levels = gr.Dropdown(ch["levels"], value=[], multiselect=True, label="层级", elem_id="pq-f-level")
            statuses = gr.Dropdown(list(STATUSES), value=[], multiselect=True, label="状态", elem_id="pq-f-status")
        with gr.Row():
            doc_ids = gr.Dropdown(docs, value=[], multiselect=True, label="文件", scale=3, elem_id="pq-f-doc")
            since = gr.Textbox(value="", label="起始日期", placeholder="YYYY-MM-DD", scale=1, elem_id="pq-f-since")
            until = gr.Textbox(value="", label="截止日期", placeholder="YYYY-MM-DD", scale=1, elem_id="pq-f-until")
    return [regions, levels, doc_ids, statuses, since, until]


def _date(label: str, value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return parse_today(value)
    except ValueError as exc:
        raise gr.Error(f"{label}：{value} 不是日期，请写成 YYYY-MM-DD，例如 2024-01-01") from exc


def filtered_index(index: Any, today: str, regions: Sequence[str] | None = None, levels: Sequence[str] | None = None,
                   doc_ids: Sequence[str] | None = None, statuses: Sequence[str] | None = None,
                   since: str | None = "", until: str | None = "") -> Any:
    """The index itself when no filter is set, else a view over the documents that pass.

    Document choices carry doc_ids, so ``docs`` filters by id (exact)."""
    f = DocFilter(regions=tuple(regions or ()), levels=tuple(levels or ()), statuses=tuple(statuses or ()),
                  since=_date("起始日期", since), until=_date("截止日期", until))
    if f.is_empty() and not doc_ids:
        return index
    ok = select_docs(index.metas, index_statuses(index, today), f)
    if doc_ids:
        ok = [d for d in ok if d in set(doc_ids)]
    return FilteredIndex(index, ok)


def suggestions(index: Any, answer_fn: Any, config: Any = None, n: int = 4) -> list[str]:
    """Suggested questions for an empty chat: drawn from clauses, kept only when they are answered."""
    today = getattr(config, "today", "") if config is not None else ""
    st = index_statuses(index, today)
    skip = [d for d, s in st.items() if s.status == SUPERSEDED]

    def answered(q: str) -> bool:
        kwargs = {"config": config} if config is not None else {}
        try:
            return not answer_fn(q, index, **kwargs).refused
        except Exception:  # noqa: BLE001 - a suggestion that fails is simply not offered
            return False

    docs = ((index.metas[d], index.doc_clauses(d)) for d in index.metas)
    return suggested_questions(docs, n=n, check=answered, skip=skip)


def follow_up_questions(index: Any, clause_id: str | None, history: Sequence[dict] | None) -> list[str]:
    """Follow-ups grounded in the first cited clause of the last answer."""
    clause = index.clauses.get(clause_id) if clause_id else None
    if clause is None:
        return []
    asked = next((m.get("content", "") for m in reversed(list(history or [])) if m.get("role") == "user"), "")

    class _Cit:  # what follow_ups reads from a Citation
        doc_id, clause_id = clause.doc_id, clause.clause_id

    return follow_ups([_Cit()], index.metas, index.doc_clauses, asked)


def guide_datasets(index: Any, answer_fn: Any, config: Any, question: Any) -> tuple[Any, Any]:
    """(suggested questions, follow-ups) as clickable datasets feeding the question box."""
    qs = suggestions(index, answer_fn, config)
    sugg = gr.Dataset(components=[question], samples=[[q] for q in qs], label="可以这样问（取自文件条款）",
                      visible=bool(qs), elem_id="pq-suggest")
    fol = gr.Dataset(components=[question], samples=[], label="接着问", visible=False, elem_id="pq-followups")
    return sugg, fol


def after_answer(index: Any, clause_id: str | None, history: Sequence[dict] | None) -> tuple[Any, Any]:
    """Hide the suggestions once the chat has started; show the follow-ups of the last answer."""
    fus = follow_up_questions(index, clause_id, history)
    started = bool(history)
    return (gr.Dataset(visible=not started),
            gr.Dataset(samples=[[q] for q in fus], visible=bool(fus)))


def pick(sample: Any) -> str:
    """The question text of a clicked dataset sample."""
    if isinstance(sample, (list, tuple)):
        return str(sample[0]) if sample else ""
    return str(sample or "")
