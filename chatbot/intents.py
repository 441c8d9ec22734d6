"""Composition by intent: one composer per ``Intent`` in ``COMPOSERS``.

A composer takes the Query, what was retrieved (``Retrieved``) and the config, and returns a
``Draft`` whose pieces cite hits of the retrieval (or clauses it reached through the document
structure, which the answer records). A 第X条 the question names is looked up first, whatever
the intent, when the documents are organised in articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from chatbot.article import find_articles
from chatbot.compose import Draft, Piece, compose_fact, compose_responsible, short_title
from chatbot.compose_docs import compose_compare, compose_precedent
from chatbot.config import AnswerConfig
from chatbot.meta import LABEL, MetaAsk, compose_meta
from chatbot.outline import compose_outline
from chatbot.retrieval import Retrieved
from index.scope import docs_in_regions
from query import Intent, Query

Composer = Callable[[Query, Retrieved, AnswerConfig], Draft]


def _named(q: Query) -> bool:
    return bool(q.regions or q.doc_ids)


def fact(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    if q.intent == Intent.FACT and r.has_structure:
        outline = compose_outline(q.scored, r.hits, q, config, q.drop, r.doc_clauses, r.clause_hit)
        if outline is not None:
            outline.kind = "fact"
            return outline
    return compose_fact(q.scored, r.hits, q, config, q.drop)


def responsible(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    return compose_responsible(q.scored, r.hits, q, config, q.drop, r.neighbours_fn())


def compare(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    return compose_compare(q.scored, r.per_doc, q, config, q.drop, r.neighbours_fn(), _named(q))


def precedent(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    return compose_precedent(q.scored, r.per_doc, q, config, q.drop, _named(q))


def _meta_docs(q: Query, r: Retrieved) -> list[str]:
    """Documents a question about 文号 / 日期 / 发文机关 … is about: those it names, else the top hit's."""
    if q.doc_ids:
        return list(dict.fromkeys(q.doc_ids))
    if q.regions:
        exact = docs_in_regions(r.index.metas, q.regions)
        if exact:
            return exact
    return list(dict.fromkeys(h.meta.doc_id for h in r.hits[:3]))[:1]


def document(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    """The verbatim line stating the document field asked (文号, 日期 …), one line per document."""
    if not (q.meta_field and r.has_structure):
        return fact(q, r, config)
    ask = MetaAsk(q.meta_field)
    docs = _meta_docs(q, r)
    draft, missing = compose_meta(ask, docs, r.index, r.clause_hit)
    if not draft.pieces and not _named(q):
        for d in dict.fromkeys(h.meta.doc_id for h in r.hits[:5]):  # not named: the first that states it
            draft, missing = compose_meta(ask, [d], r.index, r.clause_hit)
            if draft.pieces:
                break
    if not (draft.pieces or docs):
        return fact(q, r, config)
    if missing and draft.pieces:
        draft.notes.append(f"未载明{LABEL[ask.field]}：" + "、".join(f"《{t}》" for t in missing))
    draft.kind = "meta"
    return draft


def overview(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    """A region or document named with nothing asked about it: which documents cover it, each
    cited by its first clause, and an invitation to name the topic."""
    docs = list(q.doc_ids) or [d for d, m in r.index.metas.items()
                               if m.region and any(_same(x, m.region) for x in q.regions)]
    draft = Draft(support=1.0, kind="overview")
    for d in docs[: config.max_sentences + 2]:
        clauses = r.doc_clauses(d)
        if not clauses:
            continue
        h = r.clause_hit(clauses[0])
        label = h.meta.doc_number and f"（{h.meta.doc_number}）"
        draft.pieces.append(Piece(text=f"《{short_title(h)}》{label or ''}。", hits=[h], line=True))
    if draft.pieces:
        where = "、".join(q.regions) or "所指文件"
        draft.pieces.insert(0, Piece(text=f"关于{where}，现有文件有：", hits=[], line=False))
        draft.notes.append("请说明想了解的内容，例如目标、重点任务、责任单位或保障措施")
    return draft


def _same(a: str, b: str) -> bool:
    from lang.divisions import same_region

    return same_region(a, b)


def out_of_scope(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    return Draft(kind="out_of_scope")


COMPOSERS: dict[Intent, Composer] = {
    Intent.FACT: fact,
    Intent.NUMBER: fact,
    Intent.RESPONSIBILITY: responsible,
    Intent.COMPARISON: compare,
    Intent.PRECEDENT: precedent,
    Intent.DOCUMENT: document,
    Intent.OVERVIEW: overview,
    Intent.OUT_OF_SCOPE: out_of_scope,
}


def article_lookup(q: Query, r: Retrieved, config: AnswerConfig, allowed: set[str] | None,
                   excluded: set[str] = frozenset()) -> Draft | None:
    """The 第X条 the question names, verbatim (None when the documents are not organised in articles)."""
    if not q.articles or q.meta_field or not r.has_structure:
        return None
    found, has_articles = find_articles(r.index, list(q.articles), allowed)
    if allowed is None:
        found = _best_ranked_docs(found, r)
    found = [c for c in found if c.doc_id not in excluded] or found  # the version in force unless asked
    if not found:
        return Draft(kind="article") if has_articles else None
    draft = Draft(support=1.0, kind="article")
    for c in found[: config.max_sentences]:
        h = r.clause_hit(c)
        text = re.sub(r"\s*\n\s*", "", c.text).strip()
        if len(text) > config.max_precedent_chars:
            text = text[: config.max_precedent_chars] + "……"
        draft.pieces.append(Piece(text=f"《{short_title(h)}》{c.section_path}：“{text}”", hits=[h], line=len(found) > 1))
    return draft


def _best_ranked_docs(found: list, r: Retrieved) -> list:
    """With no document named, a 第X条 is read in the best-ranked document that has it (and that
    document's other versions, same core title), not in every document with a 第X条."""
    from query.known import core_title

    have = {c.doc_id for c in found}
    first = next((h.meta for h in r.ranked() if h.meta.doc_id in have), None)
    if first is None:
        return found
    core = core_title(first.title)
    keep = {d for d in have if core_title(r.index.metas[d].title) == core} | {first.doc_id}
    return [c for c in found if c.doc_id in keep]


def compose(q: Query, r: Retrieved, config: AnswerConfig, allowed: set[str] | None,
            excluded: set[str] = frozenset()) -> Draft:
    """The draft for a Query: a named article first, else the composer of its intent."""
    draft = article_lookup(q, r, config, allowed, excluded)
    if draft is None:
        draft = COMPOSERS[q.intent](q, r, config)
    draft.kind = draft.kind or q.kind
    return draft
