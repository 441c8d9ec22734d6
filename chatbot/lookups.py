"""Questions about one document that its structure answers, not word overlap:

- its basis or entry into force, answered by the sentence that states it (``lang.aspects``:
  "根据《…》…，制定本方案", "本条例自…起施行"). Such a question rarely shares words with its answer
  ("上位依据是什么文件？" — "根据中共中央办公厅、国务院办公厅印发的《…》精神，…制定本方案");
- its last provision ("最后一条是关于什么的？", "收尾的那一项"), read at the end of its clauses;
- what a term means ("“科技成果”是什么意思？"), answered by the sentence that defines it ("本条例所称科技成果包括…"),
  which shares little with the question but the term, a word every clause of such a law repeats.
"""

from __future__ import annotations

import re

from chatbot.compose import Draft, Piece, short_title
from chatbot.retrieval import Retrieved
from chatbot.sentences import split_sentences, trim_to
from index.types import Clause, Hit
from lang.aspects import BY_NAME, defines
from lang.units import is_header_row, row_cells
from query import Query

LOOKED_UP = ("basis", "effective")  # stated once per document; a definition is stated per term


def _asked_doc(q: Query, r: Retrieved) -> str:
    """The one document a question is about: the one it names, else the best-ranked one."""
    docs = list(dict.fromkeys(q.doc_ids))
    if len(docs) != 1:
        docs = list(dict.fromkeys(h.meta.doc_id for h in r.hits[:1]))
    return docs[0] if docs else ""


def _asked_docs(q: Query, r: Retrieved, n: int) -> list[str]:
    """The documents a question is about: those it names, else the best-ranked ``n``."""
    return list(dict.fromkeys(q.doc_ids)) or list(dict.fromkeys(h.meta.doc_id for h in r.hits))[:n]


def last_lookup(q: Query, r: Retrieved, max_chars: int) -> Draft | None:
    """The last provision (an item or article, not the closing lines) of the asked document."""
    if not q.asks_last or q.per_document or not r.has_structure:
        return None
    doc = _asked_doc(q, r)
    body = [c for c in r.doc_clauses(doc) if c.kind in ("item", "article") and c.text.strip()]
    if not body:
        return None
    hit = r.clause_hit(body[-1])
    text = "".join(s.text for s in split_sentences(body[-1].text))
    if len(text) > max_chars:
        text = text[:max_chars] + "……"
    where = f"{body[-1].section_path}" if body[-1].section_path else "最后一条"
    return Draft(pieces=[Piece(text=f"《{short_title(hit)}》的最后一条是{where}：{text}", hits=[hit])],
                 support=1.0, kind="position")


def aspect_lookup(q: Query, r: Retrieved, max_chars: int = 200) -> Draft | None:
    """The sentence of the asked document that states ``q.aspect``, as a draft of kind "aspect";
    None when the question asks no such aspect of a document or the document does not state it."""
    if q.aspect not in LOOKED_UP or not q.asks_document or q.per_document or not r.has_structure:
        return None
    doc = _asked_doc(q, r)
    if not doc:
        return None
    aspect = BY_NAME[q.aspect]
    clauses = r.doc_clauses(doc)
    for c in reversed(clauses) if aspect.from_end else clauses:
        sent = next((s for s in split_sentences(c.text) if aspect.stated.search(s.text.replace(" ", ""))), None)
        if sent is None:
            continue
        stated = aspect.stated.search(sent.text.replace(" ", ""))
        return _stated(r.clause_hit(c), trim_to(sent.text, max_chars, [stated.group(0)[-12:]] if stated else []))
    return None


def defining_clause(q: Query, r: Retrieved, docs_searched: int = 5) -> tuple[Clause, str] | None:
    """The clause and sentence that define ``q.term`` in the documents asked about (the named ones,
    else the best-ranked few): a 所称X是指… sentence in any of them first, else the first sentence
    that says what X is ("科协是…的群众组织"); None when none does."""
    if not q.term or not r.has_structure:
        return None
    docs = _asked_docs(q, r, docs_searched)
    for loose in (False, True):
        for doc in docs:
            for c in r.doc_clauses(doc):
                if q.term not in c.text or not defines(q.term, c.text, loose):
                    continue
                sent = next((s for s in split_sentences(c.text) if defines(q.term, s.text, loose)), None)
                if sent is not None:
                    return c, sent.text
    return None


def definition_lookup(q: Query, r: Retrieved, max_chars: int = 300, docs_searched: int = 5) -> Draft | None:
    """The sentence that defines ``q.term`` (``defining_clause``), as a draft of kind "aspect"."""
    if q.per_document:
        return None
    found = defining_clause(q, r, docs_searched)
    if found is None:
        return None
    return _stated(r.clause_hit(found[0]), trim_to(found[1], max_chars, [q.term]))


def _stated(hit: Hit, text: str) -> Draft:
    """A draft of kind "aspect": the sentence a lookup found, cited to its clause."""
    return Draft(pieces=[Piece(text=f"根据《{short_title(hit)}》，{text}", hits=[hit])], support=1.0, kind="aspect")


_DRAFT_MARK = re.compile(r"[（(〔【](征求意见稿|草案|送审稿|讨论稿|修改稿|初稿)[)）〕】]")


def columns_lookup(q: Query, r: Retrieved) -> Draft | None:
    """The header row of the table asked about ("任务分解表要填哪几栏？"), read in the asked document."""
    if not q.asks_columns or q.per_document or not r.has_structure:
        return None
    for doc in _asked_docs(q, r, 3):
        found = next(((c, line) for c in r.doc_clauses(doc) for line in c.text.splitlines() if is_header_row(line)),
                     None)
        if found is not None:
            row, line = found
            hit = r.clause_hit(row)
            return Draft(pieces=[Piece(text=f"《{short_title(hit)}》的栏目：{'、'.join(row_cells(line))}", hits=[hit])],
                         support=1.0, kind="aspect")
    return None


def formal_lookup(q: Query, r: Retrieved) -> Draft | None:
    """Whether the asked document is a draft: the mark it carries (（征求意见稿）), quoted with its
    line; None when it carries none (the question is then answered as any other)."""
    if not q.asks_formal or q.per_document or not r.has_structure:
        return None
    doc = _asked_doc(q, r)
    for c in r.doc_clauses(doc)[:8]:  # the mark stands in the header, by the title
        m = _DRAFT_MARK.search(c.text)
        if m:
            hit = r.clause_hit(c)
            return Draft(pieces=[Piece(text=f"《{short_title(hit)}》标注为“{m.group(1)}”，不是正式印发的文本：{m.group(0)}",
                                       hits=[hit])], support=1.0, kind="aspect")
    return None
