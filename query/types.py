"""The types the query stage produces: ``Intent`` and the frozen ``Query``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from lang.dates import Period


class Intent(StrEnum):
    """What a question asks for; one composer per intent answers it."""

    FACT = "fact"
    NUMBER = "number"  # a figure or target
    RESPONSIBILITY = "responsible"  # who is responsible (牵头单位 / 责任单位)
    COMPARISON = "compare"  # across documents / regions
    PRECEDENT = "precedent"  # the wording itself (原文怎么写)
    DOCUMENT = "document"  # the document itself (文号, 日期, 发文机关 …) or a named article
    OVERVIEW = "overview"  # names a region / document but no topic ("那甘肃呢？" with no history)
    OUT_OF_SCOPE = "out_of_scope"  # chit-chat or nothing a policy document answers


@dataclass(frozen=True)
class Query:
    """A question understood once: everything later stages need, so none re-reads the raw string.

    ``text`` is the standalone question (a follow-up rewritten from the conversation); ``terms``
    the content the index ranks on (region names the filter already applies are left out);
    ``drop`` the words that name places or documents and so are not content to score clauses by;
    ``plain`` the text without padding (能不能告诉我, 叫什么名字) and with a free who-is-responsible
    ask read 单位, which the composers score clauses on; ``wording`` that text in the documents'
    own words (免税 → 免征), tried as well.
    """

    question: str  # as asked
    text: str  # standalone rewritten question
    intent: Intent = Intent.FACT
    regions: tuple[str, ...] = ()  # held regions, the documents' own names
    doc_ids: tuple[str, ...] = ()  # documents named by 文号 / title
    years: tuple[str, ...] = ()  # years named ("2025")
    periods: tuple[Period, ...] = ()  # spans and five-year plans named
    unknown_places: tuple[str, ...] = ()  # places named that no document covers
    unknown_years: tuple[str, ...] = ()  # years named that no in-scope document mentions
    topic: str = ""  # the question without places, years and the ask ("公民科学素质比例目标")
    terms: str = ""  # what the index ranks on
    plain: str = ""  # ``text`` without padding, a free who-is-responsible ask read 单位: what clauses are scored on
    drop: tuple[str, ...] = ()  # place / title words not scored as content
    mentions: tuple[str, ...] = ()  # how the places were written in ``text`` (for follow-up edits)
    titles: tuple[str, ...] = ()  # the title words ``text`` names documents by ("家庭教育促进法")
    # flags of the ask
    asks_number: bool = False  # prefer sentences holding a figure
    asks_quantity: bool = False  # a quantity is asked: no figure in the support → refuse
    asks_responsible: bool = False
    asks_verbatim: bool = False
    asks_list: bool = False  # 如何 / 哪些措施: more of the best clause is welcome
    asks_target: bool = False  # 目标 / 要达到 / 力争: prefer target sentences
    asks_outline: bool = False  # 哪些 / 包括 / 分为: sub-headings of a heading
    asks_document: bool = False  # about the document itself: rank header / preamble / closing
    asks_consequence: bool = False  # 违反了会怎么处理: the article that sets the penalty for a rule
    period: str = ""  # how often (frequency: 多久一次) or how long (span: 多长时间) is asked (lang.figures)
    collective: bool = False  # 各地 / 各省: every document, not one region
    unit: str = ""  # the measure word asked for: 个 / 人 / 家 / % / 元 (a sum of money) …
    post: str = ""  # a post whose holder is asked for (主席, 联系人 …): the support must name it
    meta_field: str = ""  # doc_number | date | issuers | cc | contact | attachments | recipients | …
    articles: tuple[str, ...] = ()  # 第X条 named in this turn (canonical: 第十二条)
    wording: str = ""  # ``text`` in the documents' own words (lang.wording: 交钱 → 收取费用), "" when the same
    wording_marks: tuple[str, ...] = ()  # what a clause must say to be answered in that wording (regexes)
    unknown_titles: tuple[str, ...] = ()  # titles named that no held (or cited) document carries
    chapters: tuple[str, ...] = ()  # chapters named in this turn: 第五章, or a title ("法律责任一章" → 法律责任)
    versions: tuple[str, ...] = ()  # versions of an amended instrument the question picks (query.versions)
    other_versions: tuple[str, ...] = ()  # the versions of those instruments it did not pick
    version_years: tuple[str, ...] = ()  # the years that picked them ("2017年版"), not target years
    aspect: str = ""  # basis | effective | definition | publicity (lang.aspects): stated in one conventional sentence
    term: str = ""  # the term whose meaning is asked (lang.aspects.asked_term: “科技成果”是什么意思 → 科技成果)
    asks_name: bool = False  # 叫什么 / 名称: a name, often written in quotes (“皖事通办”)
    doc_terms: str = ""  # what each document's clauses are ranked on in a comparison (framing and names removed)
    asks_last: bool = False  # 最后一条 / 收尾的那一项: the document's last provision
    unseen: tuple[str, ...] = ()  # content bigrams of the question no document uses (weighed as common words)
    designated: tuple[str, ...] = ()  # of ``doc_ids``, those named one by one (the rest stand for a place named)
    several: bool = False  # 哪些文件 / 哪几个条例: several documents of one place are asked for
    asks_what: bool = False  # besides who is responsible, what is done (a two-part question)
    members: str = ""  # a thing whose members are asked (lang.lists: 规定了哪些预警信号 → 预警信号)
    asks_columns: bool = False  # 要填哪几栏 / 表头: a table's header row
    asks_formal: bool = False  # 是正式印发稿吗: the draft mark (征求意见稿, 草案) a document carries, or none
    absent: tuple[str, ...] = ()  # content bigrams of the question the collection never writes (养鱼, 停水)
    levels: tuple[str, ...] = ()  # levels of government named ("省里和地级市" → 省, 市: lang.words.levels_asked)
    asks_place: bool = False  # 建在哪个市: the support must name a place besides those asked about

    @property
    def scored(self) -> str:
        """What clauses are scored on: ``plain``, or ``text`` when that is the same."""
        return self.plain or self.text

    @property
    def kind(self) -> str:
        """The intent's name (what the composers and the benchmark call the question type)."""
        return self.intent.value

    @property
    def per_document(self) -> bool:
        """Is the answer one line per document in scope (comparisons, precedent wording)?"""
        return self.intent in (Intent.COMPARISON, Intent.PRECEDENT)

    def describe(self) -> str:
        """The 理解为 line: the standalone question and what was read from it.

        >>> Query("那甘肃呢？", "甘肃到2025年公民科学素质比例目标是多少？", Intent.NUMBER, regions=("甘肃省",),
        ...       years=("2025",)).describe()
        '甘肃到2025年公民科学素质比例目标是多少？（数字/目标；地区：甘肃省；年份：2025）'
        """
        parts = [INTENT_NAMES[self.intent]]
        if self.regions:
            parts.append("地区：" + "、".join(self.regions))
        if self.unknown_places or self.unknown_titles:
            parts.append("未收录：" + "、".join(self.unknown_places + self.unknown_titles))
        if self.years or self.periods:
            parts.append("年份：" + "、".join(list(self.years) + [p.text() for p in self.periods]))
        if self.articles:
            parts.append("条文：" + "、".join(self.articles))
        if self.chapters:
            parts.append("章：" + "、".join(self.chapters))
        if self.versions:
            parts.append("版本：" + ("、".join(f"{y}年" for y in self.version_years) or "指定版本"))
        return f"{self.text}（{'；'.join(parts)}）"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["intent"] = self.intent.value
        d["periods"] = [p.text() for p in self.periods]
        return d


INTENT_NAMES = {Intent.FACT: "事实", Intent.NUMBER: "数字/目标", Intent.RESPONSIBILITY: "责任单位",
                Intent.COMPARISON: "比较", Intent.PRECEDENT: "原文", Intent.DOCUMENT: "文件信息",
                Intent.OVERVIEW: "概况", Intent.OUT_OF_SCOPE: "范围外"}
