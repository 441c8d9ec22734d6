"""Composers that answer across documents: a comparison (one cited line per document in scope)
and precedent wording (each document's best clause quoted verbatim with its citation)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from chatbot.align import aligned_lines
from chatbot.compose import (
    Candidate,
    Draft,
    Piece,
    clause_context,
    figure_tokens,
    short_title,
    with_body,
)
from chatbot.compose_resp import compose_responsible, responsible_text
from chatbot.config import AnswerConfig
from chatbot.sentences import (
    bigrams,
    idf_weights,
    overlap,
    query_bigrams,
    split_sentences,
    trim_to,
)
from index.types import Hit
from ingest.status import DocStatus
from ingest.types import DocMeta
from lang.aspects import states
from lang.numbering import LIST_ITEM
from lang.versions import BOTH_VERSIONS
from lang.words import ESCALATION
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
    picks = aligned_lines(question, per_doc, qt, drop)
    for doc_id, hs in per_doc.items():
        if not hs:
            continue
        stated = states(qt.aspect, hs[0].clause.text) if qt.aspect else ""
        if stated:  # the clause stating the aspect asked (retrieval put it first): that statement is the line
            title = short_title(hs[0])
            draft.support = max(draft.support, 1.0 if named else 0.5)
            draft.pieces.append(Piece(text=f"《{title}》{hs[0].clause.section_path}：{trim_to(stated, per_line)}。",
                                      hits=[hs[0]], line=True))
            continue
        # clause-level support against the shared weights, so documents are judged alike
        sup = max((overlap(q, weights, clause_context(h)) for h in hs), default=0.0)
        best = picks.get(doc_id)
        rows.append((short_title(hs[0]), sup, best, hs))
    rows = one_per_family(rows, set(qt.designated))
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
            if sub.pieces and sub.best is not None and "，" in sub.pieces[0].text and any(
                    responsible_text(h) for h in sub.pieces[0].hits):  # units stated; else the aligned line
                p = sub.pieces[0]
                body = p.text.split("，", 1)[1]
                sec = p.hits[0].clause.section_path  # the clause the line cites (its 责任单位 may close a later one)
                draft.pieces.append(Piece(text=f"《{title}》{sec}：{body}", hits=p.hits, line=True))
                continue
        keep = figure_tokens(best.sent.text) + list(qt.years)
        text = read_on(best, trim_to(with_body(best, per_line), per_line, keep), per_line)
        if qt.asks_consequence:  # "并处违法所得1倍以上…；没有违法所得的，处1万元以上…": the penalty's other branch too
            nxt = next((s.text for s in split_sentences(best.hit.clause.text) if s.index == best.sent.index + 1), "")
            if nxt and nxt not in text and ESCALATION.match(nxt) and len(text) + len(nxt) <= per_line + 60:
                text = text.rstrip("。；;") + "；" + nxt
        draft.pieces.append(Piece(text=f"《{title}》：{text}", hits=[best.hit], line=True))
    return draft


def read_on(c: Candidate, text: str, limit: int) -> str:
    """A compared provision read on: the sentences right after the line's own, in its clause, while the
    line stays within ``limit``. The rule's next sentence often holds what a comparison asks (how an
    objection is handled, in how many days) after the sentence setting the case.

    >>> from ingest.types import Chunk, Clause, DocMeta
    >>> t = "第十六条 公示期间，有异议的，可以书面提出。文化主管部门应当自收到异议之日起二十日内组织复核。"
    >>> cl = Clause("a#0/16", "a#0", "a.md", "第十六条", [], t)
    >>> h = Hit(Chunk(cl.clause_id, cl.clause_id, "a#0", t, ""), cl, DocMeta("a#0", "a.md"), 0.0)
    >>> first = split_sentences(t)[0]
    >>> c = Candidate(hit=h, rank=0, sent=first, score=1.0, ov=1.0, ov_clause=1.0)
    >>> read_on(c, first.text, 160)
    '公示期间，有异议的，可以书面提出。文化主管部门应当自收到异议之日起二十日内组织复核。'
    >>> read_on(c, first.text, 30)
    '公示期间，有异议的，可以书面提出。'
    """
    for s in split_sentences(c.hit.clause.text):
        if s.index <= c.sent.index or s.text in text:
            continue
        if len(text) + len(s.text) > limit or LIST_ITEM.match(s.text):
            break
        text = text.rstrip() + s.text
    return text


def one_per_family(rows: list[tuple[str, float, Candidate | None, list[Hit]]], designated: set[str] = frozenset()
                   ) -> list[tuple[str, float, Candidate | None, list[Hit]]]:
    """A forwarding notice, the plan it issues and the plan's attachments, of one region, are one
    document family and one line of a comparison: its best supported member's (a province's plan
    forwarded by a city is the province's; each member named one by one keeps its own line).
    Rows are (title, support, best candidate, hits)."""
    parent = {hs[0].meta.doc_id: hs[0].meta.parent_doc_id for _, _, _, hs in rows if hs}
    region = {hs[0].meta.doc_id: hs[0].meta.region for _, _, _, hs in rows if hs}

    def root(d: str) -> tuple[str, str]:
        seen, r = {d}, d
        while parent.get(r) in parent and parent[r] not in seen and region[parent[r]] == region[d]:
            r = parent[r]
            seen.add(r)
        return r, region[d]

    family = {hs[0].meta.doc_id: root(hs[0].meta.doc_id) for _, _, cand, hs in rows
              if cand is not None and hs[0].meta.doc_id not in designated}  # the rows that may give way
    best_of: dict[tuple[str, str], tuple[float, float]] = {}
    for _, sup, cand, hs in rows:
        f = family.get(hs[0].meta.doc_id)
        if f is not None:
            best_of[f] = max(best_of.get(f, (sup, cand.score)), (sup, cand.score))
    return [row for row in rows if (f := family.get(row[3][0].meta.doc_id)) is None
            or best_of[f] == (row[1], row[2].score)]


def rerank_per_doc(question: str, per_doc: dict[str, list[Hit]], qt: QType,
                   drop: Iterable[str] = (), also: str = "") -> dict[str, list[Hit]]:
    """Each document's hits with the clause of its line (``chatbot.align.aligned_lines``) first (the
    rest in their order): the per-document ranking a comparison records is the one it answers from.
    ``also``, the question in the documents' words (钱从哪儿出 → 经费来源), puts its line second.

    >>> from ingest.types import Chunk, Clause, DocMeta
    >>> def hit(i, text):
    ...     c = Clause(f"a#0/{i}", "a#0", "a.txt", str(i), [], text)
    ...     return Hit(Chunk(c.clause_id, c.clause_id, "a#0", text, ""), c, DocMeta("a#0", "a.txt"), 0.0)
    >>> hs = [hit(1, "加强科普宣传。"), hit(2, "到2025年，全市公民具备科学素质比例超过19%。")]
    >>> q = QType("", "扬州和安徽2025年公民科学素质比例分别是多少？", asks_number=True, years=("2025",))
    >>> [h.clause.section_path for h in rerank_per_doc(q.text, {"a#0": hs}, q)["a#0"]]
    ['2', '1']
    """
    out: dict[str, list[Hit]] = {}
    picks = [aligned_lines(text, per_doc, qt, drop) for text in (question, also) if text]
    for d, hs in per_doc.items():
        first: list[Hit] = []
        for p in picks:
            best = p.get(d)
            if best is not None and best.hit not in first:
                first.append(best.hit)
        out[d] = first + [h for h in hs if h not in first]
    return out


def compose_precedent(
    question: str, per_doc: dict[str, list[Hit]], qt: QType, config: AnswerConfig, drop: Iterable[str] = (),
    named: bool = False, floor: float | None = None,
) -> Draft:
    """The verbatim clause text per document (原文怎么写), best-matching clause of each (kept when its
    support reaches ``floor``; by default 0.15 for named documents, else 0.2 and 0.6 of the best)."""
    q = query_bigrams(question, drop)
    all_texts = [clause_context(h) for hs in per_doc.values() for h in hs]
    weights = idf_weights(q, all_texts or [""], qt.unseen)
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
    if floor is None:
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




def compared_versions(query: QType, statuses: Mapping[str, DocStatus], metas: Mapping[str, DocMeta]) -> set[str]:
    """Versions of one instrument a comparison sets side by side (kept, not replaced by the one in
    force): two or more of its versions named by document or by year ("2017年版和2023年版"),
    or all of them when the question compares its versions (新旧两版, 两个版本, 旧法和新法).

    >>> from ingest.status import DocStatus
    >>> st = {"a": DocStatus("a", "superseded", version_group="g"), "b": DocStatus("b", "in_force", version_group="g")}
    >>> ms = {"a": DocMeta("a", "a.md", date="2017-09-01"), "b": DocMeta("b", "b.md", date="2023-09-01")}
    >>> q = QType("", "行政复议法2017年版和2023年版，申请期限的起算有什么不同？")
    >>> sorted(compared_versions(q, st, ms))
    ['a', 'b']
    """
    groups: dict[str, list[str]] = {}
    for d, s in statuses.items():
        if s.version_group:
            groups.setdefault(s.version_group, []).append(d)
    years = set(re.findall(r"((?:19|20)\d{2})\s*年?", query.text))
    named = set(query.doc_ids)
    both = bool(BOTH_VERSIONS.search(query.text))
    out: set[str] = set()
    for ids in groups.values():
        if len(ids) < 2:
            continue
        picked = {d for d in ids if d in named}
        if len(picked) < 2:
            picked = {d for d in ids if d in metas and ({metas[d].date[:4], metas[d].effective_date[:4]} & years)}
        if len(picked) < 2 and both and (not named or named & set(ids)):
            picked = set(ids)
        if len(picked) >= 2:
            out |= picked
    return out
