"""Question type detection from the wording of the question (rules, no model).

Kinds, by priority (the first that matches wins):

- ``precedent``: asks for the wording itself — 原文 / 怎么写 / 如何表述 / 措辞 / 表述 / 原话.
- ``compare``: across documents — 各地 / 分别 / 有何不同 / 区别 / 差异 / 异同 / 相比 / 对比 / 比较,
  or two or more regions / documents named in the question (from ``Scope``).
- ``responsible``: who does it — 谁负责 / 责任单位 / 牵头 / 哪个部门 / 哪些单位 / 配合单位 / 由谁.
- ``number``: a figure or target — 多少 / 几个 / 比例 / 百分 / % / 达到 / 目标 / 数量 / 不少于.
- ``fact``: everything else.

Flags are independent of the kind, so a comparison can still ask for a number
("各地公民科学素质比例目标分别是多少？" → kind ``compare``, ``asks_number``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chatbot.sentences import years_in
from index.types import Scope

PRECEDENT = re.compile(r"原文|怎么写|如何写|怎样写|怎么表述|如何表述|怎样表述|措辞|表述|原话|怎么说的|如何规定的原文")
COMPARE = re.compile(r"各地|各省|各市|各文件|分别|有何不同|有什么不同|有哪些不同|不同之处|区别|差异|异同|相比|对比|比较|哪个更|哪些地方")
RESPONSIBLE = re.compile(
    r"谁负责|谁来负责|由谁|责任单位|责任部门|牵头|配合单位|哪个部门|哪些部门|什么部门|哪个单位|哪些单位|什么单位|"
    r"负责单位|负责部门|主管部门|谁牵头|谁主抓|哪家单位|谁来抓|谁抓|谁的责任|归谁|归哪|哪个局|哪个委|哪个厅|"
    r"哪些局|由哪|谁来做|谁来落实|负责[？?]?$"
)
NUMBER = re.compile(r"多少|(?<!哪)几[个项家名人所座次大批年万]|比例|百分|%|％|达到|目标|数量|不少于|不低于|超过|占比|规模")
LIST = re.compile(r"如何|怎样|怎么做|哪些|措施|举措|做法|任务|有什么|主要内容|内容是什么|安排")
QUANTITY = re.compile(r"多少|(?<!哪)几[个项家名人所座次批万]|比例|百分|%|％|占比|数量")
UNIT = re.compile(r"(?:多少|几)\s*([个项家名人所座次批万亿元])")


@dataclass(frozen=True)
class QType:
    """What the question asks for.

    >>> detect_qtype("安徽到2025年公民具备科学素质比例力争达到多少？")
    QType(kind='number', asks_number=True, asks_quantity=True, asks_responsible=False, asks_verbatim=False, unit='%', asks_list=False, years=('2025',))
    """

    kind: str  # fact | number | responsible | compare | precedent
    asks_number: bool = False  # prefer sentences holding a figure
    asks_quantity: bool = False  # explicitly asks for a quantity: no figure in the support → refuse
    asks_responsible: bool = False
    asks_verbatim: bool = False
    unit: str = ""  # the measure word asked for: 个 / 人 / 家 / % ...
    asks_list: bool = False  # 如何 / 哪些措施: more of the best clause is welcome
    years: tuple[str, ...] = field(default_factory=tuple)


def detect_qtype(question: str, scope: Scope | None = None) -> QType:
    """Classify a question by its wording (and the regions / documents it names).

    >>> detect_qtype("甘肃和吉林在科普人才队伍建设上有何不同？").kind
    'compare'
    >>> detect_qtype("砀山县青少年科学素质提升行动由哪个部门牵头？").kind
    'responsible'
    >>> detect_qtype("扬州关于科技志愿服务的原文怎么写？").kind
    'precedent'
    >>> detect_qtype("甘肃省如何加强科普人才队伍建设？").kind
    'fact'
    """
    q = question
    asks_verbatim = bool(PRECEDENT.search(q))
    named = 0
    if scope is not None:
        named = max(len(set(scope.regions)), len(set(scope.doc_ids)))
    compare = bool(COMPARE.search(q)) or named >= 2
    responsible = bool(RESPONSIBLE.search(q))
    number = bool(NUMBER.search(q))
    quantity = bool(QUANTITY.search(q))
    unit = ""
    m = UNIT.search(q)
    if m:
        unit = m.group(1)
    elif re.search(r"比例|百分|%|％|占比", q):
        unit = "%"
    if asks_verbatim:
        kind = "precedent"
    elif compare:
        kind = "compare"
    elif responsible:
        kind = "responsible"
    elif number:
        kind = "number"
    else:
        kind = "fact"
    return QType(
        kind=kind,
        asks_number=number and not responsible,
        asks_quantity=quantity and not responsible,
        asks_responsible=responsible,
        asks_verbatim=asks_verbatim,
        unit=unit,
        asks_list=bool(LIST.search(q)),
        years=tuple(dict.fromkeys(years_in(q))),
    )
