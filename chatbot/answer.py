"""``answer()``: question → cited ``Answer`` (or a refusal), over a ``ClauseIndex``.

The question is understood once (``query.understand`` → ``Query``); the clauses come from one
retrieval (``chatbot.retrieval.retrieve``), whose recorded list is what the answer reports; the
composer of the Query's intent drafts the answer (``chatbot.intents``); the refusal rules
(``chatbot.refusal``) decide whether to answer; the optional LLM rewrites from the same clauses.

Refusal reasons (``Answer.refusal_reason``) are the values of ``chatbot.refusal.Refusal``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from chatbot import timeaware, versions
from chatbot.assemble import from_draft, from_llm
from chatbot.cite import with_status
from chatbot.compose import Draft
from chatbot.compose_docs import compared_versions
from chatbot.config import AnswerConfig
from chatbot.intents import compose
from chatbot.meta import LABEL
from chatbot.refusal import Refusal, allowed_docs, refusal_reason, refusal_text
from chatbot.retrieval import Retrieved, known_of, retrieve, scope_of
from chatbot.sources import missing_titles
from chatbot.types import Answer
from index.types import Scope
from query import Query, understand
from query.asks import strip_ask


def answer(
    question: str,
    index: Any,
    history: Sequence[dict[str, Any]] | None = None,
    config: AnswerConfig | None = None,
    llm: Any | None = None,
    today: datetime.date | None = None,
) -> Answer:
    """Answer a question (see ``_answer``); every citation carries its document's status on ``config.today``."""
    config = config or AnswerConfig()
    ans = _answer(question, index, history, config, llm, today)
    statuses = versions.index_statuses(index, config.today)
    with_status(ans.citations, statuses)
    with_status(ans.related, statuses)
    return ans


def _answer(question: str, index: Any, history: Sequence[dict[str, Any]] | None, config: AnswerConfig,
            llm: Any | None, today: datetime.date | None) -> Answer:
    """Answer a question from the indexed documents, citing a clause after every sentence.

    ``index`` is an ``index.store.ClauseIndex`` (anything with ``search``, ``search_per_doc``,
    ``metas`` and ``doc_clauses``); ``history`` the conversation so far in messages format; ``llm``
    an optional LangChain chat model (built from ``config`` when None and an endpoint is set).

    Example: ``answer("扬州市到2025年公民具备科学素质比例要达到多少？", index).text`` →
    ``"根据《扬州市全民科学素质行动实施方案（2021—2025年）》，2025年，我市公民具备科学素质比例超过19%[1]。"``
    """
    when = today or (datetime.date.fromisoformat(config.today) if config.today else None)
    query = understand(question, history, known_of(index), when)
    found = retrieve(index, query, config)
    statuses = versions.index_statuses(index, config.today)  # version in force unless another is asked
    excluded = versions.excluded_docs(query.text, scope_of(query) or Scope(), getattr(index, "all_metas", index.metas),
                                      statuses, config.prefer_in_force)
    excluded = (excluded | set(query.other_versions)) - set(query.versions)  # the version the question picked
    if query.per_document or query.meta_field:  # versions set side by side are each answered from
        excluded -= compared_versions(query, statuses, getattr(index, "all_metas", index.metas))
    found.hits = versions.prefer_current(found.hits, excluded)
    found.per_doc = versions.prefer_current_per_doc(found.per_doc, excluded)
    allowed = allowed_docs(index.metas, query)
    if allowed is not None and query.versions:
        allowed -= set(query.other_versions)
    draft = compose(query, found, config, allowed, excluded)
    if query.per_document:
        found.lead_with([h for p in draft.pieces for h in p.hits])
    found.record_draft([h for p in draft.pieces for h in p.hits])  # clauses reached through the structure
    base = dict(question=question, resolved_question=query.text, qtype=draft.kind, retrieved=found.recorded,
                scope=query.to_dict(), support=round(draft.support, 4), understood=query.describe())
    reason = Refusal.TOPIC_ABSENT if query.unknown_titles else refusal_reason(query, draft, allowed, config)
    if reason is not None:
        return refuse(query, reason, draft, found, config, base)
    if query.unknown_places:
        draft.notes.append("现有文件未涵盖：" + "、".join(query.unknown_places))
    warnings: list[str] = []
    if llm is None and config.llm_enabled:
        from chatbot.llm import make_chat_model

        llm = make_chat_model(config)
    if llm is not None:
        from chatbot.llm import llm_answer

        pool = [h for p in draft.pieces for h in p.hits] + found.ranked()
        res = llm_answer(query.text, list({h.chunk.chunk_id: h for h in pool}.values()), llm, config)
        warnings.extend(res.warnings)
        if res.refused:
            return refuse(query, Refusal.LLM_REFUSED, draft, found, config, {**base, "warnings": warnings})
        if not res.failed:
            return from_llm(res, base, warnings)
    # a question that picked a version is answered from that version alone (no earlier wording)
    draft.pieces.extend(versions.version_pieces(draft, index, statuses, earlier=not query.versions))
    found.record_draft([h for p in draft.pieces for h in p.hits])  # earlier wording cited after the answer
    base["retrieved"] = found.recorded
    draft.missing_docs = missing_titles(draft, index)
    draft.notes.extend(timeaware.time_notes(draft, statuses, config.today, query.text))
    return from_draft(draft, base, warnings)


def covered(index: Any, query: Query) -> str:
    """What the documents in scope are, for a refusal message."""
    regions = list(dict.fromkeys(m.region for m in index.metas.values() if m.region))
    if query.unknown_places or not (query.regions or query.doc_ids):
        return "、".join(regions) if query.unknown_places else f"全部{len(index.metas)}份文件"
    allowed = allowed_docs(index.metas, query) or set()  # once, not once per document
    docs = [m for d, m in index.metas.items() if d in allowed]
    return "、".join(f"《{m.title or m.source}》" for m in docs[:4]) + ("等" if len(docs) > 4 else "")


def refuse(query: Query, reason: Refusal, draft: Draft, found: Retrieved, config: AnswerConfig,
           base: dict[str, Any]) -> Answer:
    """A refusal naming what was looked for and what the documents cover, with related clauses."""
    index = found.index
    topic = strip_ask(query.text)
    if query.intent.value == "overview":  # a bare mention: the place (or document) is what was looked for
        topic = "、".join(query.unknown_places or query.regions) or query.topic
    if query.unknown_titles:  # a document the collection does not hold
        topic = "、".join(f"《{t}》" for t in query.unknown_titles)
    facts = dict(covered=covered(index, query), places="、".join(query.unknown_places or query.regions),
                 years="、".join([f"{y}年" for y in (query.unknown_years or query.years)]
                                + [p.text() for p in query.periods]) or "该年份",
                 articles="、".join(list(query.articles) + [c if c.startswith("第") else f"“{c}”一章"
                                                           for c in query.chapters]), field=LABEL.get(query.meta_field, query.meta_field),
                 members=query.members)
    if reason is Refusal.OUT_OF_SCOPE:
        facts["covered"] = "、".join(f"《{m.title or m.source}》" for m in list(index.metas.values())[:5])
    head = reason.message(topic, **facts)
    pool = [h for p in draft.pieces for h in p.hits] + found.ranked()
    if reason is Refusal.OUT_OF_SCOPE:
        pool = []
    text, sents, related = refusal_text(head, pool, config)
    return Answer(text=text, sentences=sents, citations=[], refused=True, related=related,
                  refusal_reason=reason.value, **base)
