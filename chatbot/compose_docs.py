"""Composers that answer across documents: a comparison (one cited line per document in scope)
and precedent wording (each document's best clause quoted verbatim with its citation)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from chatbot.compose import (
    Candidate,
    Draft,
    Piece,
    clause_context,
    compose_responsible,
    figure_tokens,
    score_candidates,
    short_title,
    with_body,
    year_ok,
)
from chatbot.config import AnswerConfig
from chatbot.sentences import (
    bigrams,
    has_figure,
    idf_weights,
    overlap,
    query_bigrams,
    split_sentences,
    trim_to,
)
from index.types import Hit
from lang.aspects import states
from query import Query as QType


def compose_compare(
    question: str,
    per_doc: dict[str, list[Hit]],
    qt: QType,
    config: AnswerConfig,
    drop: Iterable[str] = (),
    neighbours: Callable[[Hit], list[Hit]] | None = None,
    named: bool = False,
) -> Draft:
    """One line per document: 《title》：best sentence [n] (or its 责任单位 for 谁负责 questions).

    A document gets a line when its best clause supports the question about as well as the best
    document does (``named``: the question named the documents, so each named one is kept unless
    it plainly says nothing on the topic). For a figure, the line is the sentence holding one.
    """
    q = query_bigrams(question, drop)
    all_texts = [s.text for hs in per_doc.values() for h in hs for s in split_sentences(h.clause.text)]
    weights = idf_weights(q, all_texts or [""])
    if named:  # judge the named documents on the terms at least one of them holds, not on the question's
        held = set().union(*(bigrams(clause_context(h)) for hs in per_doc.values() for h in hs))
        q = {g for g in q if g in held} or q  # framing (…数量上各有什么目标) would drown a long clause
    draft = Draft()
    per_line = max(80, min(160, config.max_answer_chars))
    rows: list[tuple[str, float, Candidate | None, list[Hit]]] = []
    for _doc_id, hs in per_doc.items():
        if not hs:
            continue
        stated = states(qt.aspect, hs[0].clause.text) if qt.aspect else ""
        if stated:  # the clause stating the aspect asked (retrieval put it first): that statement is the line
            title = short_title(hs[0])
            draft.support = max(draft.support, 1.0 if named else 0.5)
            draft.pieces.append(Piece(text=f"《{title}》{hs[0].clause.section_path}：{trim_to(stated, per_line)}。",
                                      hits=[hs[0]], line=True))
            continue
        cands = score_candidates(question, hs, qt, drop)
        # clause-level support against the shared weights, so documents are judged alike
        sup = max((overlap(q, weights, clause_context(h)) for h in hs), default=0.0)
        best = cands[0] if cands else None
        if best is not None and qt.asks_number:
            fig = [c for c in cands if has_figure(c.sent.text) and year_ok(qt, c.sent.text, c.hit)]
            if fig:
                best = fig[0]
            elif qt.asks_quantity:
                best = None
        if best is not None and qt.years and not year_ok(qt, best.sent.text, best.hit):
            best = None
        rows.append((short_title(hs[0]), sup, best, hs))
    top = max((sup for _, sup, b, _ in rows if b is not None), default=0.0)
    floor = 0.15 if named else max(0.2, 0.6 * top)
    for title, sup, best, hs in rows:
        if best is None or sup < floor:
            draft.missing_docs.append(title)
            continue
        draft.support = max(draft.support, sup)
        if draft.best is None or best.score > draft.best.score:
            draft.best = best
        if qt.asks_responsible:
            sub = compose_responsible(question, hs, qt, config, drop, neighbours)
            if sub.pieces and sub.best is not None and "，" in sub.pieces[0].text:
                p = sub.pieces[0]
                body = p.text.split("，", 1)[1]
                sec = sub.best.hit.clause.section_path
                draft.pieces.append(Piece(text=f"《{title}》{sec}：{body}", hits=p.hits, line=True))
                continue
        keep = figure_tokens(best.sent.text) + list(qt.years)
        text = trim_to(with_body(best, per_line), per_line, keep)
        draft.pieces.append(Piece(text=f"《{title}》：{text}", hits=[best.hit], line=True))
    return draft


def compose_precedent(
    question: str, per_doc: dict[str, list[Hit]], qt: QType, config: AnswerConfig, drop: Iterable[str] = (),
    named: bool = False,
) -> Draft:
    """The verbatim clause text per document (原文怎么写), best-matching clause of each."""
    q = query_bigrams(question, drop)
    all_texts = [clause_context(h) for hs in per_doc.values() for h in hs]
    weights = idf_weights(q, all_texts or [""])
    draft = Draft()
    rows = []
    for _doc_id, hs in per_doc.items():
        if not hs:
            continue
        scored = sorted(
            ((overlap(q, weights, clause_context(h)), r, h) for r, h in enumerate(hs)),
            key=lambda t: (-(t[0] + 0.1 / (1 + t[1])), t[1]),
        )
        rows.append(scored[0])
    top = max((sup for sup, _, _ in rows), default=0.0)
    floor = 0.15 if named else max(0.2, 0.6 * top)
    for sup, _, h in rows:
        title = short_title(h)
        if sup < floor:
            draft.missing_docs.append(title)
            continue
        draft.support = max(draft.support, sup)
        text = re.sub(r"\s*\n\s*", "", h.clause.text).strip()
        if len(text) > config.max_precedent_chars:
            text = text[: config.max_precedent_chars].rstrip() + "……"
        draft.pieces.append(Piece(text=f"《{title}》{h.clause.section_path}：“{text}”", hits=[h], line=True))
    return draft
