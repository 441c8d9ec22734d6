"""Composition by intent: one composer per ``Intent`` in ``COMPOSERS``.

A composer takes the Query, what was retrieved (``Retrieved``) and the config, and returns a
``Draft`` whose pieces cite hits of the retrieval (or clauses it reached through the document
structure, which the answer records). A 第X条 the question names is looked up first, whatever
the intent, when the documents are organised in articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from chatbot.agents import compose_agent
from chatbot.article import find_articles, find_chapter, penalty_for
from chatbot.compose import Draft, Piece, compose_fact, short_title
from chatbot.compose_docs import compose_compare, compose_precedent
from chatbot.compose_resp import compose_responsible, responsible_text
from chatbot.config import AnswerConfig
from chatbot.lookups import (
    aspect_lookup,
    columns_lookup,
    defining_clause,
    definition_lookup,
    formal_lookup,
    last_lookup,
)
from chatbot.meta import LABEL, MetaAsk, compose_meta
from chatbot.outline import compose_outline
from chatbot.retrieval import Retrieved
from chatbot.sentences import split_sentences
from index.scope import docs_in_regions
from lang.lists import lists_members
from lang.wording import PENALTY
from lang.words import ESCALATION
from query import Intent, Query

Composer = Callable[[Query, Retrieved, AnswerConfig], Draft]


def _named(q: Query) -> bool:
    return bool(q.regions or q.doc_ids)


def _best_wording(q: Query, draft_of: Callable[[str], Draft]) -> Draft:
    """The draft for the question as asked, or for it in the documents' own words (``Query.wording``:
    交钱 → 收取费用) when that is better supported."""
    draft = draft_of(q.scored)
    if q.wording:
        other = draft_of(q.wording)
        said = " ".join(h.clause.text for p in other.pieces for h in p.hits)
        if other.pieces and (not draft.pieces or other.support > draft.support) and any(
                re.search(m, said) for m in q.wording_marks):  # the clause says it in those words
            return other
        if other.pieces and other.support >= 0.8 * draft.support and _says(other, q.wording_marks) > _says(
                draft, q.wording_marks):
            return other  # about as well supported, and more of its lines say it in those words (钱从哪儿来 → 来源)
    return draft


def _says(draft: Draft, marks: Iterable[str]) -> int:
    """How many of the draft's lines say what ``marks`` match."""
    return sum(1 for p in draft.pieces if any(re.search(m, p.text) for m in marks))


def fact(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    stated = (aspect_lookup(q, r, config.max_answer_chars) or definition_lookup(q, r, config.max_answer_chars)
              or last_lookup(q, r, config.max_precedent_chars) or columns_lookup(q, r) or formal_lookup(q, r))
    if stated is not None:
        return stated
    if q.intent == Intent.FACT and r.has_structure:
        outline = compose_outline(q.scored, r.hits, q, config, q.drop, r.doc_clauses, r.clause_hit)
        if outline is not None:
            outline.kind = "fact"
            return outline
    draft = _best_wording(q, lambda text: compose_fact(text, r.hits, q, config, q.drop))
    draft = whole_list(draft, config)
    if q.members and only_mentions(draft, q.members):
        draft.kind = "not_listed"  # 规定了哪些预警信号 answered by "预警信号由…发布": not the list asked
    if not q.asks_consequence:
        return draft
    draft = with_penalty(q, r, draft)
    for p in draft.pieces[1:]:  # the rule is said first: a penalty after it need not restate it
        p.text = _consequence(p.text)
    return draft


def only_mentions(draft: Draft, thing: str) -> bool:
    """Do the draft's sentences name ``thing`` without listing its members (lang.lists)?"""
    said = [re.sub(r"\s+", "", p.text) for p in draft.pieces]
    return any(thing in s for s in said) and not any(lists_members(thing, s) for s in said)


_LIST_INTRO = re.compile(r"[:：]\s*[（(][一1][)）]")


def whole_list(draft: Draft, config: AnswerConfig) -> Draft:
    """An answer from a clause that enumerates ("经费来源：（一）…；（二）…；（三）…") gives every item:
    the items are the answer, and the best two or three of them would leave the rest out."""
    best = draft.best
    if best is None or not _LIST_INTRO.search(best.hit.clause.text) or best.sent.index > 1:
        return draft
    sents = [x.text for x in split_sentences(best.hit.clause.text)]
    text = "".join(sents)
    if len(sents) < 3 or len(text) > config.max_answer_chars * 2:
        return draft
    draft.pieces = [Piece(text=f"根据《{short_title(best.hit)}》，" + text, hits=[best.hit])]
    return draft


def with_penalty(q: Query, r: Retrieved, draft: Draft) -> Draft:
    """A consequence question answered by the rule: add the article that sets its penalty, which
    names the rule's article by number rather than its words (laws' 法律责任 chapters). Answered by
    the penalty article itself: its graded consequences are said whole ("责令改正；情节严重的，撤销…")."""
    best = draft.best
    if best is None or not r.has_structure:
        return draft
    if PENALTY.search(best.hit.clause.text):
        return _whole_penalty(draft, best.hit)
    pen = penalty_for(r.doc_clauses(best.hit.meta.doc_id), best.hit.clause)
    if pen is None:
        return draft
    sents = [s.text for s in split_sentences(pen.text)]
    said = [s for s in sents if PENALTY.search(s)] or sents[:1]
    draft.pieces.append(Piece(text="".join(said[:2]), hits=[r.clause_hit(pen)]))  # fact() trims the restated rule
    return draft


def _consequence(sentence: str) -> str:
    """A penalty sentence without the restatement of the rule it punishes (the answer has just said
    the rule): "违反本办法第二十五条第三款规定，在…充电的，由…处…罚款" → "违反本办法第二十五条第三款规定的，由…".

    >>> _consequence("违反本办法第二十五条第三款规定，在楼梯间停放电动自行车或者为其充电的，由消防救援机构责令改正，处五百元以上一千元以下罚款。")
    '违反本办法第二十五条第三款规定的，由消防救援机构责令改正，处五百元以上一千元以下罚款。'
    """
    m = re.match(r"(违反[^，,。；]{0,40}?规定)[，,][^。；]*?的[，,]", sentence)
    return m.group(1) + "的，" + sentence[m.end():] if m else sentence


def _whole_penalty(draft: Draft, hit) -> Draft:
    """The piece quoting a penalty article, with the article's next penalty sentence when it names
    a heavier consequence the piece leaves out (至多两句)."""
    sents = [s.text for s in split_sentences(hit.clause.text)]
    for p in draft.pieces:
        if not p.hits or p.hits[0].clause.clause_id != hit.clause.clause_id:
            continue
        said = [i for i, t in enumerate(sents) if t in p.text]
        nxt = said[-1] + 1 if said else len(sents)
        if len(said) == 1 and nxt < len(sents) and (PENALTY.search(sents[nxt]) or ESCALATION.match(sents[nxt])) \
                and not any(sents[nxt].rstrip("。；;") in o.text for o in draft.pieces):
            p.text = p.text.rstrip("。；;") + "；" + sents[nxt]
        break
    return draft


def responsible(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    """The 责任单位 a clause lists; for a law, which lists none, the sentence naming who acts."""
    draft = _best_wording(q, lambda text: compose_responsible(text, r.hits, q, config, q.drop, r.neighbours_fn()))
    if any(responsible_text(h) for p in draft.pieces for h in p.hits):
        return draft
    agent = compose_agent(q.wording or q.scored, r.hits, q, config, q.drop)
    return agent if agent is not None and agent.pieces else draft


def compare(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    return _best_wording(q, lambda text: compose_compare(text, r.per_doc, q, config, q.drop, r.neighbours_fn(), _named(q)))


def precedent(q: Query, r: Retrieved, config: AnswerConfig) -> Draft:
    """The verbatim clause of each document; of the one document named, the clause that defines the
    term asked ("科协的性质原文怎么写" → "科协是…的群众组织"), which shares little else with the question."""
    found = defining_clause(q, r) if len(set(q.doc_ids)) == 1 else None
    if found is not None:
        hit = r.clause_hit(found[0])
        draft = compose_precedent(q.scored, {hit.meta.doc_id: [hit]}, q, config, q.drop, named=True, floor=0.0)
        draft.kind = "aspect"  # read from the clause that states it, not ranked (reported first)
        return draft
    draft = _best_wording(q, lambda text: compose_precedent(text, r.per_doc, q, config, q.drop, _named(q)))
    if len(r.per_doc) != 1:
        return draft
    (doc, hs), = r.per_doc.items()  # one document asked: its clauses the pooled ranking found may say it better
    seen = {h.chunk.chunk_id for h in hs}
    more = {doc: hs + [h for h in r.hits if h.meta.doc_id == doc and h.chunk.chunk_id not in seen]}
    other = _best_wording(q, lambda text: compose_precedent(text, more, q, config, q.drop, _named(q)))
    better = other.pieces and (not draft.pieces or _says(other, q.wording_marks) > _says(draft, q.wording_marks))
    return other if better else draft


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
    labels = list(q.articles)
    if q.doc_ids:  # the named documents only, not every document of a region also named
        found, has_articles = find_articles(r.index, labels, [d for d in q.doc_ids if allowed is None or d in allowed])
    else:
        found, has_articles = _in_best_ranked_doc(r, labels, allowed)
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


def _in_best_ranked_doc(r: Retrieved, labels: list[str], allowed: set[str] | None) -> tuple[list, bool]:
    """With no document named, a 第X条 is read in the best-ranked document that has it (and that
    document's other versions, same core title), not in every document with a 第X条. Ranked
    documents are tried first, so a large collection is not scanned article by article."""
    from query.known import core_title

    metas = r.index.metas
    ranked = [d for d in dict.fromkeys(h.meta.doc_id for h in r.ranked()) if allowed is None or d in allowed]
    has_articles = False
    for d in ranked:
        found, has = find_articles(r.index, labels, [d])
        has_articles = has_articles or has
        if found:
            core = core_title(metas[d].title)
            versions = [v for v in (allowed if allowed is not None else metas)
                        if v != d and core_title(metas[v].title) == core]
            return found + find_articles(r.index, labels, versions)[0], True
    found, has = find_articles(r.index, labels, allowed)  # none ranked has it: every candidate
    if not found:
        return found, has_articles or has
    first = found[0].doc_id
    core = core_title(metas[first].title)
    return [c for c in found if core_title(metas[c.doc_id].title) == core], True


def chapter_lookup(q: Query, r: Retrieved, config: AnswerConfig, allowed: set[str] | None,
                   excluded: set[str] = frozenset()) -> Draft | None:
    """The chapter the question names ("法律责任一章", 第五章), its first articles verbatim; an empty
    ``article`` draft (refused) when the documents have chapters but not that one; None when they
    are not organised in chapters."""
    if not q.chapters or q.articles or q.meta_field or not r.has_structure:
        return None
    if q.doc_ids:  # the documents the question names, not every document of their places
        docs = [d for d in q.doc_ids if d in r.index.metas]
    elif allowed is not None:
        docs = [d for d in r.index.metas if d in allowed]
    else:
        docs = list(dict.fromkeys(h.meta.doc_id for h in r.ranked()))[:1]
    docs = [d for d in docs if d not in excluded] or docs
    draft, any_chapters = Draft(support=1.0, kind="article"), False
    for d in docs:
        found, has_chapters = find_chapter(r.doc_clauses(d), list(q.chapters))
        any_chapters = any_chapters or has_chapters
        for c in found[: config.max_sentences]:
            h = r.clause_hit(c)
            text = re.sub(r"\s*\n\s*", "", c.text).strip()
            if len(text) > config.max_precedent_chars:
                text = text[: config.max_precedent_chars] + "……"
            draft.pieces.append(Piece(text=f"《{short_title(h)}》{c.section_path}：“{text}”", hits=[h], line=True))
        if len(found) > config.max_sentences:
            draft.notes.append(f"该章共{len(found)}条，以上为前{config.max_sentences}条")
    return draft if draft.pieces or any_chapters else None


def compose(q: Query, r: Retrieved, config: AnswerConfig, allowed: set[str] | None,
            excluded: set[str] = frozenset()) -> Draft:
    """The draft for a Query: a named article or chapter first, else the composer of its intent."""
    draft = article_lookup(q, r, config, allowed, excluded)
    if draft is None:
        draft = chapter_lookup(q, r, config, allowed, excluded)
    if draft is None:
        draft = COMPOSERS[q.intent](q, r, config)
    draft.kind = draft.kind or q.kind
    if draft.kind in LOOKUPS:
        r.pin([h for p in draft.pieces for h in p.hits])
    return draft


LOOKUPS = ("article", "meta", "aspect", "position")  # drafts read from the clause the question names, not ranked
