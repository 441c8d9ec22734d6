"""Choosing each document's line of a comparison together: the clause of one document that answers
the asked aspect is the one that says what the other documents' best clauses say.

A comparison asks one thing of several documents ("安徽、吉林、甘肃在地方科普条例上分别打算怎么做？").
Ranked alone, a document's best sentence may be about something else that merely shares the
question's words (吉林's "加强对科普产品科学性、准确性的审核检查" for 科普条例); its answering clause
("推进《吉林省科学技术普及条例》…的出台工作") shares with the other documents' answers what the question
is about. So each document's candidate sentences are scored on the question (``score_candidates``)
plus their agreement with the best candidates of the other documents (the weighted share of the
shorter sentence's bigrams the two have in common, rarer bigrams weighing more, so shared
boilerplate counts little and a long clause is not penalised for saying more).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from chatbot.compose import Candidate, score_candidates, year_ok
from chatbot.sentences import bigrams, has_figure
from index.types import Hit
from lang.figures import states_period
from query import Query as QType

AGREEMENT = 0.5  # weight of the agreement with the other documents, beside the question score (0..~1)
PEERS = (1.0, 0.6)  # each other document's best candidates a candidate is compared with, and their weights
MARGIN = 0.15  # how far below its document's best a candidate may score on the question and still be chosen
CANDIDATES = 40  # a document's best candidates on the question that are aligned (a long table clause has hundreds)


def eligible(question: str, hs: list[Hit], qt: QType, drop: Iterable[str] = ()) -> list[Candidate]:
    """One document's candidate sentences a comparison may answer from, best first: all of them,
    a quoted name first when a name is asked; for a figure asked, those holding one (none when a
    quantity is asked and no sentence holds one); for a year asked, those about that year."""
    cands = score_candidates(question, hs, qt, drop)
    if qt.asks_name:  # score_candidates already weighs a quoted name; order as it does
        cands.sort(key=lambda c: (-c.score, c.rank, c.sent.index))
    if qt.asks_number:
        schedule = qt.period == "frequency"  # 多久一次: "定期组织" answers it without a figure
        fig = [c for c in cands if (has_figure(c.sent.text) or (schedule and states_period(c.sent.text)))
               and year_ok(qt, c.sent.text, c.hit)]
        on_topic = max((max(c.ov, c.ov_clause) for c in cands), default=0.0)
        if on_topic > 0 and not qt.years and not any(max(c.ov, c.ov_clause) >= 0.5 * on_topic for c in fig):
            fig = []  # no figure on the topic: the line that speaks of it ("一定数额的开办资金"), not a fine
        if fig:
            cands = fig
        elif qt.asks_quantity and (qt.years or on_topic == 0):
            cands = []
    if qt.years:
        cands = [c for c in cands if year_ok(qt, c.sent.text, c.hit)]
    return cands


def aligned_lines(question: str, per_doc: dict[str, list[Hit]], qt: QType,
                  drop: Iterable[str] = ()) -> dict[str, Candidate | None]:
    """Each document's line of a comparison (None: no sentence fits): its best candidate on the
    question plus ``AGREEMENT`` × its agreement with the other documents' best candidates.

    >>> from ingest.types import Chunk, Clause, DocMeta
    >>> def hit(d, i, text):
    ...     c = Clause(f"{d}#0/{i}", f"{d}#0", f"{d}.txt", str(i), [], text)
    ...     return Hit(Chunk(c.clause_id, c.clause_id, f"{d}#0", text, ""), c, DocMeta(f"{d}#0", f"{d}.txt"), 0.0)
    >>> per_doc = {"ah": [hit("ah", 1, "推动修订《安徽省科学技术普及条例》，健全相关配套政策。")],
    ...            "jl": [hit("jl", 1, "加强对科普产品科学性、准确性的审核检查，发挥科普工作价值导向作用。"),
    ...                   hit("jl", 2, "推进《吉林省科学技术普及条例》等相关政策法规的出台工作。")]}
    >>> q = QType("", "安徽和吉林的科普条例分别有什么打算？")
    >>> aligned_lines(q.text, per_doc, q)["jl"].hit.clause.section_path
    '2'
    """
    cands = {d: eligible(question, hs, qt, drop)[:CANDIDATES] for d, hs in per_doc.items() if hs}
    if len(cands) < 2:
        return {d: (cs[0] if cs else None) for d, cs in cands.items()}
    grams = {id(c): _content(c.sent.text) for cs in cands.values() for c in cs}
    n = max(len(grams), 1)
    df: dict[str, int] = {}
    for g in grams.values():
        for x in g:
            df[x] = df.get(x, 0) + 1
    idf = {x: math.log(1.0 + n / (k + 0.5)) for x, k in df.items()}
    peers = {d: cs[:len(PEERS)] for d, cs in cands.items()}
    out: dict[str, Candidate | None] = {}
    for d, cs in cands.items():
        others = [ps for e, ps in peers.items() if e != d]
        best, best_score = None, -1.0
        lead: dict[str, Candidate] = {}  # each clause answers by its best sentence on the question
        for c in cs:
            lead.setdefault(c.hit.clause.clause_id, c)
        for c in cs:
            first = lead[c.hit.clause.clause_id]
            if first.score < cs[0].score - MARGIN:
                continue
            agree = [max((w * _agree(grams[id(c)], grams[id(p)], idf)
                          for p, w in zip(ps, PEERS, strict=False)), default=0.0) for ps in others]
            score = first.score + AGREEMENT * (sum(agree) / len(agree) if agree else 0.0)
            if score > best_score + 1e-9:
                best, best_score = first, score
        out[d] = best
    return out


def _content(text: str) -> set[str]:
    """The bigrams a line says something with (a place name differs between documents anyway)."""
    return bigrams(text)


def _agree(a: set[str], b: set[str], idf: dict[str, float]) -> float:
    """Weighted overlap coefficient of two bigram sets (0..1): shared weight over the smaller set's."""
    if not a or not b:
        return 0.0
    shared = sum(idf.get(x, 0.0) for x in a & b)
    small = min(sum(idf.get(x, 0.0) for x in a), sum(idf.get(x, 0.0) for x in b))
    return shared / small if small > 0 else 0.0
