"""Who is responsible: the 责任单位 a clause states (verbatim, from its text or its ``responsible``
field), found for the clause that best matches the question's topic, with what is done when asked.
Pure functions over hits, like ``chatbot.compose``; split from it to keep each module short.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from chatbot.compose import (
    Candidate,
    Draft,
    Piece,
    clause_support,
    compose_fact,
    score_candidates,
    short_title,
)
from chatbot.config import AnswerConfig
from chatbot.sentences import responsible_groups, split_sentences
from index.types import Hit
from lang.units import LABEL_RX, asked_act, does_act, enforces
from lang.wording import CONSEQUENCE_ASK, FINES
from query import Query as QType


def responsible_text(hit: Hit) -> str:
    """The 责任单位 statement of a clause, from its text (verbatim) or its ``responsible`` field.

    >>> from ingest.types import Clause, DocMeta, Chunk
    >>> cl = Clause("d#0/1", "d#0", "d.txt", "1.", [], "开展活动。（责任单位：省科协；配合单位：省教育厅）")
    >>> h = Hit(Chunk("d#0/1", "d#0/1", "d#0", cl.text, cl.text), cl, DocMeta("d#0", "d.txt"), 1.0)
    >>> responsible_text(h)
    '责任单位：省科协；配合单位：省教育厅'
    """
    groups = responsible_groups(hit.clause.text)
    if groups:
        parts = []
        for g in groups:
            g = g.strip().rstrip("。")
            if not re.match(r"^\s*\S{2,6}\s*[:：]", g):
                g = "由" + g
            parts.append(g)
        return "；".join(parts)
    if hit.clause.responsible:
        return "责任单位：" + "、".join(hit.clause.responsible)
    return ""


def _topic_of(hit: Hit) -> str:
    """The clause's own short title sentence ("加强科普人才队伍建设"), only if it is in its text."""
    sents = split_sentences(hit.clause.text)
    if sents and len(sents[0].text) <= 40:
        return sents[0].text.rstrip("。；;")
    return ""


def _what_is_done(hit: Hit, topic: str, max_chars: int) -> str:
    """What a clause says is done, without its title sentence and its unit labels (for a question
    that asks what is done as well as who does it).

    >>> from ingest.types import Chunk, Clause, DocMeta
    >>> t = "（四）老年人科学素质提升行动。依托老年大学开展智能手机使用等科普活动。（责任单位：县科协）"
    >>> c = Clause("d#0/4", "d#0", "d.txt", "二、（四）", [], t)
    >>> _what_is_done(Hit(Chunk(c.clause_id, c.clause_id, "d#0", t, ""), c, DocMeta("d#0", "d.txt"), 0.0), "老年人科学素质提升行动", 200)
    '依托老年大学开展智能手机使用等科普活动。'
    """
    out = ""
    for s in split_sentences(hit.clause.text):
        t = s.text
        if t.rstrip("。；;") == topic or LABEL_RX.search(t):
            continue
        if len(out) + len(t) > max_chars:
            break
        out += t
    return out


def compose_responsible(
    question: str,
    hits: list[Hit],
    qt: QType,
    config: AnswerConfig,
    drop: Iterable[str] = (),
    neighbours: Callable[[Hit], list[Hit]] | None = None,
) -> Draft:
    """Who is responsible: the 责任单位 of the clause that best matches the question's topic.

    When the best clause states no units itself, ``neighbours(hit)`` (the following clauses
    of the same group, then its ancestors) supplies the clause that does; that clause is
    cited too, so the citation still points to the text that names the units.
    """
    cands = score_candidates(question, hits[: config.candidate_hits], qt, drop)
    draft = Draft(support=clause_support(cands))
    if not cands:
        return draft
    seen: set[str] = set()
    clause_rank: list[Candidate] = []
    act = asked_act(question)  # 由谁制定: the clause whose body 制定 it, not the penalty for not following it

    def fit(c: Candidate) -> float:
        return 0.6 * c.ov_clause + 0.4 * c.ov + 0.15 / (1 + c.rank) + (0.2 if does_act(act, c.sent.text) else 0.0)

    for c in sorted(cands, key=lambda c: (-fit(c), c.rank)):
        if c.hit.clause.clause_id not in seen:
            seen.add(c.hit.clause.clause_id)
            clause_rank.append(c)
    penalty_unasked = not CONSEQUENCE_ASK.search(question) and not enforces(act)
    for c in clause_rank[:3]:
        if penalty_unasked and FINES.search(c.hit.clause.text):
            continue  # who approves / sets a rule: not the body that fines those who break it
        resp = responsible_text(c.hit)
        source = c.hit
        if not resp and neighbours is not None:
            for nb in neighbours(c.hit):
                resp = responsible_text(nb)
                if resp:
                    source = nb
                    break
        if not resp:
            if does_act(act, c.sent.text):
                break  # its subject does the act asked (省中医药主管部门…制定…规范): the sentence answers it
            continue
        draft.best = c
        topic = _topic_of(c.hit)
        sec = c.hit.clause.section_path
        where = f"根据《{short_title(c.hit)}》{sec}" + (f"“{topic}”" if topic else "")
        hits_used = [c.hit] if source is c.hit else [c.hit, source]
        said = _what_is_done(c.hit, topic, config.max_answer_chars) if qt.asks_what else ""
        draft.pieces.append(Piece(text=f"{where}：{said}{resp}。" if said else f"{where}，{resp}。", hits=hits_used))
        return draft
    return compose_fact(question, hits, qt, config, drop)  # no units stated: answer the fact
