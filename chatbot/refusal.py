"""Why an answer is refused (``Refusal``), the rules that decide it, and the one Chinese message of
each reason, naming what was looked for and what the documents do cover.

>>> Refusal.REGION_NOT_COVERED.message("浙江省到2025年公民科学素质比例目标", places="浙江省", covered="安徽省、甘肃省")
'文件中没有找到关于浙江省到2025年公民科学素质比例目标的规定。现有文件未涵盖浙江省（已收录地区：安徽省、甘肃省）。'
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from chatbot.cite import make_citation, number_hits
from chatbot.compose import Draft, clause_context, has_figure, year_ok
from chatbot.config import AnswerConfig
from chatbot.sentences import bigrams, query_bigrams
from chatbot.types import AnswerSentence, Citation
from index.scope import docs_in_regions
from index.types import Hit
from lang.divisions import find_divisions, same_region
from lang.everyday import EVERYDAY_MARKS
from lang.figures import (
    MEASURE_UNITS,
    OBJECT_UNITS,
    counts_in,
    fee_named,
    fines_only,
    has_days,
    has_money,
    names_fee,
    payment_named,
    states_date,
    states_measure,
    states_period,
)
from lang.units import is_header_row
from query import Intent, Query


class Refusal(StrEnum):
    """A refusal reason; the value is what ``Answer.refusal_reason`` and the benchmark record."""

    REGION_NOT_COVERED = "unknown_place"  # a place no document covers, and none that one does
    YEAR_NOT_COVERED = "unknown_year"  # a year / period no in-scope document mentions
    YEAR_MISMATCH = "year_mismatch"  # a figure asked for a year the support does not set
    NO_FIGURE = "no_figure"  # a quantity asked, the support holds none
    NOT_LISTED = "not_listed"  # members asked (哪些预警信号), the support only mentions the thing
    REGION_MISMATCH = "region_mismatch"  # the support is another region's
    TOPIC_ABSENT = "low_relevance"  # no clause covers enough of the question's content
    NO_ARTICLE = "no_article"  # a 第X条 the named documents lack
    NO_METADATA = "no_metadata"  # a document field (文号 …) the document does not state
    OUT_OF_SCOPE = "out_of_scope"  # chit-chat, or nothing a policy document answers
    LLM_REFUSED = "llm_refused"

    def message(self, topic: str, **facts: str) -> str:
        """The refusal's first line: ``facts`` fill in what was looked for and what is covered."""
        if self is Refusal.OUT_OF_SCOPE:
            return f"这个问题不在现有政策文件的范围内。现有文件：{facts.get('covered', '')}。请就其中的规定提问。"
        head = f"文件中没有找到关于{topic}的规定。"
        tail = {
            Refusal.REGION_NOT_COVERED: "现有文件未涵盖{places}（已收录地区：{covered}）。",
            Refusal.YEAR_NOT_COVERED: "现有文件未设定{years}的相应规定或目标（检索范围：{covered}）。",
            Refusal.YEAR_MISMATCH: "现有文件未设定{years}的相应规定或目标（检索范围：{covered}）。",
            Refusal.NO_FIGURE: "相关条款没有给出所问的具体数字（检索范围：{covered}）。",
            Refusal.NOT_LISTED: "相关条款提到了{members}，但没有列出具体有哪些（检索范围：{covered}）。",
            Refusal.REGION_MISMATCH: "找到的条款属于其他地区的文件（所问地区：{places}）。",
            Refusal.TOPIC_ABSENT: "（检索范围：{covered}）",
            Refusal.NO_ARTICLE: "所涉文件中没有{articles}。",
            Refusal.NO_METADATA: "该文件未载明{field}。",
            Refusal.LLM_REFUSED: "",
        }[self]
        need = set(re.findall(r"{(\w+)}", tail))
        return head + (tail.format(**facts) if need <= set(facts) and all(facts[n] for n in need) else "")


def refusal_reason(query: Query, draft: Draft, allowed: set[str] | None, config: AnswerConfig) -> Refusal | None:
    """The reason to refuse this draft for this Query (None: answer it)."""
    if query.intent == Intent.OUT_OF_SCOPE:
        return Refusal.OUT_OF_SCOPE
    if query.unknown_places and not query.regions:
        return Refusal.REGION_NOT_COVERED  # a document matched only by a generic title ending does not count
    if draft.kind == "meta":
        return None if draft.pieces else Refusal.NO_METADATA
    if draft.kind == "article":
        return None if draft.pieces else Refusal.NO_ARTICLE
    if query.unknown_years:
        return Refusal.YEAR_NOT_COVERED
    if not draft.pieces:
        return Refusal.TOPIC_ABSENT
    if draft.kind == "not_listed":
        return Refusal.NOT_LISTED
    if query.asks_responsible and all(is_header_row(h.clause.text) for p in draft.pieces for h in p.hits):
        return Refusal.TOPIC_ABSENT  # a table's header row: a form to fill names no unit
    if draft.kind in ("aspect", "position"):  # the asked document's own basis / 施行 sentence (chatbot.lookups)
        return None if allowed is None or draft.pieces[0].hits[0].meta.doc_id in allowed else Refusal.REGION_MISMATCH
    if draft.kind == "overview":
        return None
    if not query.per_document:
        threshold = config.min_overlap_scoped if allowed is not None else config.min_overlap
        weak = draft.support < threshold
        if weak and not says_the_things_named(query, draft) and not says_the_rest(query, draft):
            return Refusal.TOPIC_ABSENT
        if weak and query.asks_number and not any(has_figure(p.text) for p in draft.pieces):
            return Refusal.NO_FIGURE  # weakly supported, and no figure for a question asking one (多长时间)
        best = draft.best
        if best is not None and query.intent != Intent.RESPONSIBILITY:
            if query.asks_number and query.years and not year_ok(query, best.sent.text, best.hit):
                return Refusal.YEAR_MISMATCH
            if query.asks_quantity and not any(has_figure(p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE
            if query.asks_quantity and query.unit == "元" and not any(has_money(p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE  # a sum of money asked: a count of people is not its answer
            if query.asks_quantity and query.unit == "元" and not re.search(r"罚|处罚", query.text) and fines_only(
                    "。".join(p.text for p in draft.pieces)):
                return Refusal.NO_FIGURE  # a fee or grant asked (管理费): a fine is not its amount
            if query.asks_quantity and re.search(r"罚(?:款)?(?:多少|几)|罚了?多少", query.text) and not any(
                    re.search(r"罚", p.text) and has_figure(p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE  # 罚款多少 asked: a sentence stating no fine is not its answer
            fee = fee_named(query.text) if query.asks_quantity and query.unit == "元" else ""
            if fee and not any(names_fee(fee, p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE  # 物业费 asked: a sum for another charge (筹备经费) is not its amount
            paid = payment_named(query.text) if query.asks_quantity and query.unit == "元" else ""
            if paid and not any(re.search(paid, p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE  # 每户补助多少钱: losses in 元 that grade a disaster are not a grant
            if query.asks_quantity and query.unit in MEASURE_UNITS and not any(
                    states_measure(query.unit, p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE  # 最高时速多少公里: a fine in 元 is not its answer
            if query.period and any(has_figure(p.text) for p in draft.pieces) and not any(
                    states_period(p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE  # 多久检定一次: a fine for skipping the check is not how often it is made
            if query.asks_quantity and query.unit == "月日" and not any(states_date(p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE  # 从几月几号到几月几号: "县级以上人民政府可以设立禁渔期" names no day
            if query.asks_quantity and query.unit == "日" and not any(has_days(p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE  # a number of days asked: 12个月 is not its answer
            if query.asks_quantity and query.unit in OBJECT_UNITS and not any(
                    counts_in(query.unit, p.text) for p in draft.pieces):
                return Refusal.NO_FIGURE  # 大篷车配了几辆: 巡展10场次 is not its answer
            if query.asks_place and all(any(same_region(d.full, r) for r in query.regions)
                                        for p in draft.pieces for d in find_divisions(p.text)):
                return Refusal.TOPIC_ABSENT  # where it is to be built: the support names no place but those asked
            if query.post and not any(query.post in clause_context(h) for p in draft.pieces for h in p.hits):
                return Refusal.TOPIC_ABSENT  # who holds a post the clauses never name
            if query.asks_quantity and query.regions and not any(
                    same_region(r, best.hit.meta.region) for r in query.regions):
                return Refusal.REGION_MISMATCH  # a province's target is not its city's own target
    if allowed is not None and draft.pieces[0].hits[0].meta.doc_id not in allowed:
        return Refusal.REGION_MISMATCH
    return None


def says_the_things_named(query: Query, draft: Draft) -> bool:
    """Does the cited clause say, in the texts' words, most of the everyday things the question names
    (two at least)? "狗死了能扔垃圾桶吗" shares few characters with "犬只死亡的，…不得随意遗弃", but says
    犬, 死亡 and 遗弃: what the question is about, as ``lang.everyday`` maps it.

    >>> from chatbot.compose import Piece
    >>> from ingest.types import Chunk, Clause, DocMeta
    >>> t = "第四条 犬只死亡的，养犬人应当将犬尸深埋，不得随意遗弃。"
    >>> cl = Clause("k#0/4", "k#0", "k.md", "第四条", [], t)
    >>> h = Hit(Chunk(cl.clause_id, cl.clause_id, "k#0", t, t), cl, DocMeta("k#0", "k.md"), 1.0)
    >>> q = Query("", "", wording_marks=("犬", "死亡", "丢弃|遗弃|抛弃", "垃圾|收集容器"))
    >>> says_the_things_named(q, Draft(pieces=[Piece("…", [h])])), says_the_things_named(Query("", "", wording_marks=("犬",)), Draft(pieces=[Piece("…", [h])]))
    (True, False)
    """
    marks = [m for m in query.wording_marks if m in EVERYDAY_MARKS]
    text = " ".join(clause_context(h) for p in draft.pieces for h in p.hits)
    said = sum(bool(re.search(m, text)) for m in marks)
    return said >= 2 and 2 * said >= len(marks)


def says_the_rest(query: Query, draft: Draft, share: float = 0.6) -> bool:
    """Does the cited clause hold most of the question's words that the collection writes, the question's
    other words being ones no document uses (everyday words: 养鱼, 停水, 喂药)?

    >>> from chatbot.compose import Piece
    >>> from ingest.types import Chunk, Clause, DocMeta
    >>> t = "第二十九条 禁止用自来水进行水产养殖和农业灌溉。"
    >>> cl = Clause("z#0/29", "z#0", "z.md", "第二十九条", [], t)
    >>> h = Hit(Chunk(cl.clause_id, cl.clause_id, "z#0", t, t), cl, DocMeta("z#0", "z.md"), 1.0)
    >>> q = Query("", "", plain="禁止拿自来水养鱼", absent=("养鱼", "拿自", "水养"))
    >>> says_the_rest(q, Draft(pieces=[Piece("…", [h])])), says_the_rest(Query("", "", plain="禁止拿自来水养鱼"), Draft(pieces=[Piece("…", [h])]))
    (True, False)
    """
    if not query.absent:
        return False
    seen = query_bigrams(query.wording or query.scored, query.drop) - set(query.absent) - set(query.unseen)
    if len(seen) < 2:
        return False
    best = max((len(seen & bigrams(clause_context(h))) for p in draft.pieces for h in p.hits), default=0)
    return best >= share * len(seen)


def allowed_docs(metas: dict[str, Any], query: Query) -> set[str] | None:
    """Documents a Query that names regions / documents may be answered from (None: any)."""
    if not (query.regions or query.doc_ids):
        return None
    ok = set(query.doc_ids)
    ok |= set(docs_in_regions(metas, query.regions))
    for m in metas.values():  # a document forwarded by / attached to an allowed one is allowed too
        if m.parent_doc_id in ok:
            ok.add(m.doc_id)
    for m in list(metas.values()):
        if m.doc_id in ok and m.parent_doc_id:
            ok.add(m.parent_doc_id)
    return ok


def refusal_text(head: str, related_hits: list[Hit], config: AnswerConfig
                 ) -> tuple[str, list[AnswerSentence], list[Citation]]:
    """Text, sentences and related citations of a refusal (related clauses carry no [n] in the text)."""
    related: list[Citation] = [make_citation(h, i) for i, h in
                               enumerate(number_hits(related_hits, config.related_k), 1)]
    lines = [head]
    if related:
        lines.append("相关条款（仅供参考，并非上述问题的答案）：")
        for c in related:
            snippet = re.sub(r"\s+", "", c.text)
            snippet = snippet[:60] + ("……" if len(snippet) > 60 else "")
            lines.append(f"· {c.label}：{snippet}")
    return "\n".join(lines), [AnswerSentence(text=head, citations=[])], related
