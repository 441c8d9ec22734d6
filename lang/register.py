"""Spoken wording ↔ the register of policy text: a question said the way people talk, rewritten
into the words the documents use, so that matching it against clauses counts what it is about.

Two kinds of entries, both general Chinese (nothing about a particular document):

- ``FILLERS``: conversational padding and asking turns that are never content (能不能告诉我,
  展开说说, 叫什么名字, 讲的是什么, 大家, 到底 …);
- ``OFFICIAL``: a colloquial expression and the official wording written for it (免税 → 免征,
  几号前 → 日前, 交到哪 → 报送, 多少天内 → 日内, 年假 → 年休假, 找谁联系 → 联系人, 啥 → 什么 …).

``official(text)`` applies both; the question stage keeps the result as the wording clauses are
scored on (``Query.wording``), never as the question shown to the user.

>>> official("安徽进口科普用品能免税吗？")
'安徽进口科普用品 免征吗？'
>>> official("能不能告诉我亳州的工作提示让大家几号前交到哪儿？")
'亳州的工作提示让 日前 报送？'
>>> official("知道行政行为后多少天内可以申请行政复议？")
'知道行政行为后 日内 可以申请行政复议？'
"""

from __future__ import annotations

import re

# padding and asking turns: removed (they are how the question is said, not what it is about);
# words the documents themselves use (可以, 没有, 已经) are not padding
FILLERS = (
    "能不能告诉我", "能否告诉我", "可不可以告诉我", "可以告诉我", "告诉我", "麻烦问一下", "想问一下", "问一下", "请问",
    "我想知道", "想了解一下", "想了解", "帮我查一下", "帮我看看", "帮我", "查一下",
    "展开说说", "展开讲讲", "具体说说", "详细说说", "具体讲讲", "介绍一下", "都说一下", "说一下", "讲一下", "说说", "讲讲",
    "讲的是什么", "说的是什么", "讲的什么", "说了什么", "讲了什么", "是关于什么的", "叫什么名字", "叫啥名字", "叫什么", "叫啥",
    "什么名字", "名字", "大家", "咱们", "到底", "究竟", "一般来说", "可不可以", "能不能", "能否", "是不是",
    "会不会", "有没有", "原话", "条文", "说法", "出自", "都找出来", "找出来", "给我", "提到的", "提到", "打算", "自己", "承认",
    "啊", "呀", "吧", "哦", "嘛", "呗", "哈",
)
# colloquial → official, longest first; patterns may use regex
OFFICIAL: tuple[tuple[str, str], ...] = (
    (r"(?:多少|几)(?:天|日)(?:之内|以内|内)|多长时间(?:之内|以内|内)|多久(?:之内|以内|内)", " 日内 "),
    (r"(?:多少|几)个工作日", " 工作日 "),
    (r"(?:多少|几)(?:天|日)", " 日 "),
    (r"几号(?:之前|以前|前)|哪天(?:之前|以前|前)|什么时候(?:之前|以前|前)|截止(?:时间|日期)|最晚(?:哪天|什么时候)", " 日前 "),
    (r"交到哪(?:儿|里)?|交给谁|交到什么(?:地方|单位)|报到哪(?:儿|里)?|送到哪(?:儿|里)?|交给哪(?:个单位|里)?"
     r"|接收单位|交(?=[^\s，。？?]{0,6}(?:意见|材料|报告|方案))", " 报送 "),
    (r"能?免税|不用交税|不交税", " 免征"),
    (r"年假", "年休假"),
    (r"没休完|没有休完|没休|未休完", "未休"),
    (r"找谁联系|联系谁|找谁|问谁", " 联系人 "),
    (r"谁来定|谁定|谁制定", " 制定 "),
    (r"牵头(?:办|搞|抓|做)", "牵头"),
    (r"城市名片", "城市品牌"),
    (r"GDP|ＧＤＰ", "生产总值"),
    (r"(?<!行)履职", "履行职责"),
    (r"免责", "免除责任"),
    (r"地方性?法规", "条例"),
    (r"啥", "什么"),
    (r"咋(?:样|么)?", "怎么"),
)
_FILLER_RX = re.compile("|".join(sorted(map(re.escape, FILLERS), key=len, reverse=True)))
_OFFICIAL_RX = [(re.compile(p), r) for p, r in OFFICIAL]
_SPACES = re.compile(r" {2,}")
_HEAD = re.compile(r"^[\s，,：:]+")


def official(text: str) -> str:
    """``text`` with its colloquial expressions in official wording and its padding removed."""
    t = text
    for rx, repl in _OFFICIAL_RX:
        t = rx.sub(repl, t)
    t = _FILLER_RX.sub(" ", t)
    t = _SPACES.sub(" ", t)
    t = re.sub(r" (?=[？?。！!，,]|$)", "", t)
    return _HEAD.sub("", t)
