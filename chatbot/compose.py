"""The offline answer composer: answers built from the sentences of the retrieved clauses.

Every piece of an answer is a sentence (or a verbatim part of one) taken from a clause, with
at most a short connector ("根据《…》，"), so each piece is grounded by construction and carries
the hit it came from. ``answer.py`` numbers the hits into citations.

The functions here are pure: they take hits (``index.types.Hit``) and a ``QType`` and return
a ``Draft``; no index access except the optional ``neighbours`` callable used to find the
责任单位 of a clause that states them once for a group of items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from chatbot.article import article_no
from chatbot.config import AnswerConfig
from chatbot.sentences import (
    Sentence,
    has_figure,
    idf_weights,
    overlap,
    query_bigrams,
    split_sentences,
    trim_to,
    years_in,
)
from index.types import Hit
from lang.figures import figure_tokens
from lang.numbering import article_refs
from lang.units import asked_act, bars_others, does_act
from lang.wording import FIGURE_UNIT_MARKS, PENALTY, penalty_asked, penalty_fit
from lang.words import ESCALATION, level_fit
from query import Intent
from query import Query as QType

TARGET_S = re.compile(r"力争|达到|超过|不少于|不低于|以上|目标|建成|创建")
YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*[—\-–~至到]+\s*((?:19|20)\d{2})")


@dataclass
class Piece:
    """One answer sentence and the hits (clauses) it comes from."""

    text: str  # without the [n] marker
    hits: list[Hit]
    line: bool = False  # render on its own line (comparison / precedent lists)


@dataclass
class Candidate:
    hit: Hit
    rank: int
    sent: Sentence
    score: float
    ov: float  # overlap of the sentence with the question
    ov_clause: float  # overlap of the clause (headings + text) with the question


@dataclass
class Draft:
    pieces: list[Piece] = field(default_factory=list)
    support: float = 0.0  # best clause-level overlap with the question's content terms
    best: Candidate | None = None
    notes: list[str] = field(default_factory=list)  # uncited remarks shown after the answer
    missing_docs: list[str] = field(default_factory=list)  # doc titles without support (compare)
    kind: str = ""  # what answered: the intent, or "meta" / "article" / "outline" for a lookup


def clause_context(hit: Hit) -> str:
    return " ".join(hit.clause.headings) + " " + hit.clause.text


def short_title(hit: Hit) -> str:
    """The title as written inside 《》 in an answer: a title quoted within it takes 〈〉.

    >>> from ingest.types import DocMeta
    >>> m = DocMeta("j#0", "j.txt", title="关于贯彻落实《关于新时代进一步加强科学技术普及工作的意见》的实施方案")
    >>> short_title(Hit(None, None, m, 0.0))
    '关于贯彻落实〈关于新时代进一步加强科学技术普及工作的意见〉的实施方案'
    """
    return (hit.meta.title or hit.meta.source).replace("《", "〈").replace("》", "〉")




def year_covered(year: str, hit: Hit) -> bool:
    """Does the document's own period (title range like 2021—2025年) include ``year``?"""
    for a, b in YEAR_RANGE.findall(hit.meta.title):
        if a <= year <= b:
            return True
    return False


def year_ok(qt: QType, sentence: str, hit: Hit) -> bool:
    """For a figure asked for a year: the supporting sentence must be about that year.

    Accepted when the sentence names the year, or names no year at all and the clause or the
    document's period covers it. A sentence that sets a target for *another* year is not support.
    """
    if not qt.years:
        return True
    named = set(years_in(sentence))
    if any(y in named for y in qt.years):
        return True
    if named:
        return False
    return all(y in years_in(hit.clause.text) or year_covered(y, hit) for y in qt.years)


_REACHED = re.compile(r"(?<![不未])(?:满|达到|超过)(\d+)\s*(年|个月|周岁|岁|日|天|人|万元|元)")


def thresholds(question: str) -> list[tuple[str, str]]:
    """The amounts a question says are reached ("工作满10年" → [("10", "年")]).

    >>> thresholds("职工累计工作满10年，一年能休几天年休假？"), thresholds("不满10年的呢？")
    ([('10', '年')], [])
    """
    return [(m.group(1), m.group(2)) for m in _REACHED.finditer(question)]


def threshold_fit(reached: list[tuple[str, str]], sentence: str) -> int:
    """+1 when a sentence states the tier that starts at an amount the question says is reached
    ("已满10年不满20年的"), −1 when it only states the tier that ends there ("已满1年不满10年的"), else 0.

    >>> t = thresholds("职工累计工作满10年，一年能休几天年休假？")
    >>> threshold_fit(t, "已满10年不满20年的，年休假10天"), threshold_fit(t, "已满1年不满10年的，年休假5天")
    (1, -1)
    """
    fit = 0
    for n, unit in reached:
        amount = re.escape(n) + r"\s*" + re.escape(unit)
        if re.search(r"(?<![不未])(?:满|以上|达到|超过)" + amount, sentence) or re.search(amount + r"以上", sentence):
            return 1
        if re.search(r"[不未]满" + amount, sentence):
            fit = -1
    return fit


FINES_OR_ORDERS = re.compile(r"责令|警告|罚款|没收|处以?")
HISTORY_LINE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^。；;]{0,40}?(?:通过|修正|修订|批准|公布)")
_QUOTED_NAME = re.compile(r"[“\"][^”\"]{2,16}[”\"]")


def score_candidates(
    question: str, hits: list[Hit], qt: QType, drop: Iterable[str] = ()
) -> list[Candidate]:
    """Score every sentence of every hit against the question (best first)."""
    q = query_bigrams(question, drop)
    reached = thresholds(question)
    act = asked_act(question) if qt.asks_responsible else ""
    escalation_unasked = not ESCALATION.search(question)
    breach = penalty_asked(question)
    marks = [m for m in qt.wording_marks if m not in FIGURE_UNIT_MARKS]  # a figure's unit is weighed above
    # a comparison of provisions is not answered by title blocks ("…会议通过"); a short notice's header may
    # hold its content (报送 instructions, 传真), so a single-document question still reads it
    skip_head = qt.intent == Intent.COMPARISON and not (qt.asks_document or qt.meta_field or qt.aspect)
    sents = [(r, h, s) for r, h in enumerate(hits) if not (skip_head and h.clause.kind == "header")
             for s in split_sentences(h.clause.text)]
    weights = idf_weights(q, [s.text for _, _, s in sents] or [""], qt.unseen)
    following = {(h.clause.clause_id, s.index - 1): s.text for _, h, s in sents}  # each sentence's next one
    preceding = {(h.clause.clause_id, s.index + 1): s.text for _, h, s in sents}
    ctx_cache: dict[str, float] = {}
    punished: dict[tuple[str, int], float] = {}  # (document, article): how well the rule asked about matches
    linked: list[tuple[int, float]] = []  # (candidate, its rule's match): penalties naming a rule ranked on top
    if qt.asks_consequence:  # "违反本条例第三十五条第二款规定的，处…罚款" is read in the light of 第三十五条
        for h in hits[:3]:
            n = article_no(h.clause)
            if n:
                key = (h.meta.doc_id, n)
                punished[key] = max(punished.get(key, 0.0), overlap(q, weights, clause_context(h)))
    out: list[Candidate] = []
    for r, h, s in sents:
        cid = h.clause.clause_id
        if cid not in ctx_cache:
            ctx_cache[cid] = overlap(q, weights, clause_context(h))
        ov = overlap(q, weights, " ".join(h.clause.headings[-1:]) + " " + s.text)
        # a next step asked ("不改的话罚多少"): "拒不改正的，处…" is read with the rule it follows
        base = preceding.get((cid, s.index), "") if not escalation_unasked and ESCALATION.match(s.text) else ""
        if base:
            ov = max(ov, overlap(q, weights, base))
        ovc = ctx_cache[cid]
        links = [punished[k] for a, _ in article_refs(s.text) if (k := (h.meta.doc_id, a)) in punished] if (
            punished and PENALTY.search(s.text)) else []
        score = 0.55 * ov + 0.3 * ovc + 0.15 / (1 + r)
        if links:  # scored as the rule it names, when no penalty sentence says the question's words as well
            linked.append((len(out), max(links)))
        nxt = following.get((cid, s.index), "")  # "…由…责令改正；拒不改正的，处5万元…": the rule's fine is next
        if qt.asks_number:
            if has_figure(s.text) or (ESCALATION.match(nxt) and has_figure(nxt) and FINES_OR_ORDERS.search(s.text)):
                score += 0.25
                if qt.unit == "%" and re.search(r"[%％]", s.text):
                    score += 0.1
                elif qt.unit and re.search(r"[\d" + "一二三四五六七八九十百千万两" + r"]\s*" + re.escape(qt.unit), s.text):
                    score += 0.1
            if qt.asks_target and TARGET_S.search(s.text):
                score += 0.1  # a target asked: "力争达到 / 超过 / 不少于" over a baseline figure
            if qt.years:
                if any(y in years_in(s.text) for y in qt.years):
                    score += 0.25
                elif years_in(s.text):
                    score -= 0.1
        score += 0.2 * threshold_fit(reached, s.text)
        score += 0.15 * level_fit(qt.levels, s.text)  # 县级的: the sentence on 县（市、区）, not on 省级和设区的市
        if qt.asks_name and _QUOTED_NAME.search(s.text):
            score += 0.2  # a name asked (哪几个平台): the names are written in quotes (“学习强国”)
        if act and does_act(act, s.text):
            score += 0.2  # names the body doing what the question asks who does (由…部门责令改正)
        said = s.text + (nxt if ESCALATION.match(nxt) else "")  # a rule is said with its next step
        if any(re.search(m, said) for m in marks):
            score += 0.15  # says what the question asks in the documents' words (钱从哪儿来 → 来源)
        score += 0.15 * penalty_fit(breach, s.text)  # a fine asked: the sentence stating it; unasked: not a fine
        if qt.asks_responsible and bars_others(s.text):
            score -= 0.15  # "其他组织和个人不得发布…" says who may not, not who does
        if escalation_unasked and ESCALATION.match(s.text):
            score -= 0.1  # "逾期不改正的，处…": the next step of a penalty the question did not ask about
        if h.clause.kind == "header" and not (qt.meta_field or qt.asks_document) and (
                s.text.strip() == h.meta.title or HISTORY_LINE.search(s.text)):
            score -= 0.2  # the title and its history ("…会议通过…修订") are not what the document provides
        if len(s.text) < 12 and not has_figure(s.text):  # a bare heading says little on its own
            score -= 0.05
        out.append(Candidate(hit=h, rank=r, sent=s, score=score, ov=ov, ov_clause=ovc))
    via = dict(linked)
    direct = max((c.ov for i, c in enumerate(out) if i not in via and PENALTY.search(c.sent.text)), default=0.0)
    for i, rule in linked:
        c = out[i]
        if rule > max(direct, c.ov_clause):  # "违反本条例第七条规定的，处…": the rule asked, two hops away
            c.score += 0.3 * (rule - c.ov_clause) + 0.3
            c.ov_clause = rule
    out.sort(key=lambda c: (-c.score, c.rank, c.sent.index))
    return out


def with_body(c: Candidate, max_chars: int) -> str:
    """A bare heading sentence ("加强科普人才队伍建设。") says little: add the clause's next sentence."""
    text = c.sent.text
    sents = split_sentences(c.hit.clause.text)
    nxt = [s for s in sents if s.index > c.sent.index]
    if re.search(r"[：:]\s*(?:[（(][一1][)）].*)?$", text):  # "其资金的来源：（一）…": the items are the line
        for s in nxt:
            if len(text) + len(s.text) > max_chars or not re.match(r"\s*[（(][一二三四五六七八九十\d]+[)）]", s.text):
                break
            text += s.text
        return text
    if len(text) >= 25 or has_figure(text):
        return text
    if nxt and len(text) + len(nxt[0].text) <= max_chars:
        return text + nxt[0].text
    return text


def beside(cands: list[Candidate], c: Candidate, offset: int) -> Candidate | None:
    """The candidate ``offset`` sentences after ``c`` in its clause (before it when negative), if scored."""
    return next((x for x in cands if x.hit.clause.clause_id == c.hit.clause.clause_id
                 and x.sent.index == c.sent.index + offset), None)


def next_step(cands: list[Candidate], c: Candidate) -> Candidate | None:
    """The penalty's next step right after ``c`` ("可以处五十元罚款；拒不改正的，处两百元罚款"), if any."""
    nxt = beside(cands, c, 1)
    return nxt if nxt is not None and ESCALATION.match(nxt.sent.text) else None


def clause_support(cands: list[Candidate]) -> float:
    return max((max(c.ov_clause, c.ov) for c in cands), default=0.0)


def _lead(hit: Hit) -> str:
    return f"根据《{short_title(hit)}》，"


def compose_fact(question: str, hits: list[Hit], qt: QType, config: AnswerConfig, drop: Iterable[str] = ()) -> Draft:
    """A short answer: the best 1–3 sentences of the top clauses, in document order.

    For "扬州市到2025年公民具备科学素质比例要达到多少？" the sentence holding the figure and the
    year wins: "根据《扬州市全民科学素质行动实施方案（2021—2025年）》，2025年，我市公民具备科学素质
    比例超过19%。"
    """
    cands = score_candidates(question, hits[: config.candidate_hits], qt, drop)
    draft = Draft(support=clause_support(cands))
    if not cands:
        return draft
    best = cands[0]
    draft.best = best
    limit = 2 if qt.kind == "number" else config.max_sentences
    reached = thresholds(question)
    keep = figure_tokens(best.sent.text) + list(qt.years)
    chosen: list[Candidate] = []
    texts: dict[int, str] = {}
    budget = config.max_answer_chars - len(_lead(best.hit))
    used = 0

    def take(c: Candidate, text: str | None = None) -> None:
        nonlocal used
        chosen.append(c)
        texts[id(c)] = c.sent.text if text is None else text
        used += len(texts[id(c)])

    take(best, trim_to(with_body(best, budget), max(budget, 60), keep))
    step = next_step(cands, best)
    base = beside(cands, best, -1) if ESCALATION.match(best.sent.text) else None
    for c in (step, base):  # "…由民政部门没收违法所得；情节严重的，处以罚款": a penalty and its next step go together
        if c is not None and used + len(c.sent.text) <= budget:
            take(c)
    for c in cands[1:]:
        if len(chosen) >= limit:
            break
        if c.score < config.second_sentence_ratio * best.score or c.ov <= 0:
            continue
        if c.hit.meta.doc_id != best.hit.meta.doc_id:
            continue  # a single-document answer stays in one document
        if any(c.sent.text in texts[id(o)] for o in chosen):
            continue
        if qt.asks_number and not has_figure(c.sent.text):
            continue
        if reached and threshold_fit(reached, c.sent.text) < 0:
            continue  # the tier below the one the question has reached
        if qt.years and not year_ok(qt, c.sent.text, c.hit):
            continue
        if used + len(c.sent.text) > budget:
            continue
        take(c)
    if penalty_asked(question):  # what follows a breach asked: each penalty chosen with its next step
        for c in list(chosen[1:]):
            nxt = next_step(cands, c)
            if nxt is not None and nxt not in chosen and used + len(nxt.sent.text) <= budget:
                take(nxt)
    if qt.asks_list and qt.kind == "fact":  # 如何 / 哪些措施: more of the best clause, in document order
        same = sorted((c for c in cands if c.hit.clause.clause_id == best.hit.clause.clause_id),
                      key=lambda c: c.sent.index)
        for c in same:
            if any(c.sent.text in texts[id(o)] for o in chosen) or used + len(c.sent.text) > budget:
                continue
            take(c)
    chosen.sort(key=lambda c: (c.hit.clause.order, c.hit.clause.clause_id, c.sent.index))
    for i, c in enumerate(chosen):
        text = texts[id(c)]
        if i == 0:
            text = _lead(c.hit) + text
        draft.pieces.append(Piece(text=text, hits=[c.hit]))
    return draft
