"""Width folding: one character to one character, so positions in folded text match the original.

>>> fold("（一）强化责任。（责任单位：省科协）")
'(一)强化责任。(责任单位:省科协)'
>>> fold("１．提升能力：〔责任单位：市科协〕")
'1.提升能力:[责任单位:市科协]'
"""

from __future__ import annotations

import re
import unicodedata

_FOLD_MAP = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FOLD_MAP.update({0x3000: 0x20, 0x3014: ord("["), 0x3015: ord("]"), 0x3010: ord("["), 0x3011: ord("]"),
                  0xFE5D: ord("["), 0xFE5E: ord("]"), 0x2474: ord("("), 0x00A0: 0x20, 0xFEFF: 0x20})
_FOLD_TABLE = {k: chr(v) for k, v in _FOLD_MAP.items()}
_SPACE = re.compile(r"\s+")
CJK = re.compile(r"[\u4e00-\u9fff]")
# a 文号: issuer abbreviation, the year in any bracket (raw or folded), the serial number
DOC_NUMBER_RX = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[(（【]\s*((?:19|20)\d{2})\s*[〕\])）】]\s*第?\s*\d{1,5}\s*号")


_TITLE_TAIL = re.compile(r"[（(][^（）()]*[）)]\s*$")


# The kind words a document title ends with (…实施方案, …若干措施, …条例, …法), longest forms included.
DOC_TYPES = ("实施细则", "实施方案", "工作方案", "行动方案", "方案", "实施意见", "指导意见", "意见", "若干措施",
             "措施", "通知", "通报", "条例", "法", "办法", "细则", "规定", "规划", "纲要", "计划", "要点", "决定",
             "决议", "公告", "通告", "批复", "函", "报告", "纪要", "规则", "指南", "清单", "分解表", "表")
_TYPES_LONGEST = sorted(DOC_TYPES, key=len, reverse=True)
_KIND_MODIFIERS = ("实施", "工作", "行动", "指导", "若干")  # 实施方案 is a kind of 方案


def type_word(title: str, shortest: bool = False) -> str:
    """The document-kind word a (squeezed) title or title ending ends with ("" when none): the
    longest form, or with ``shortest`` the plain kind a question writes (方案 for …工作方案).

    >>> type_word("志愿服务促进条例"), type_word("实施方案"), type_word("工作方案", shortest=True), type_word("科学素质")
    ('条例', '实施方案', '方案', '')
    >>> type_word("国家工作人员宪法宣誓办法", shortest=True), type_word("若干措施", shortest=True)
    ('办法', '措施')
    """
    word = next((w for w in _TYPES_LONGEST if title.endswith(w)), "")
    while shortest and word[:2] in _KIND_MODIFIERS and word[2:] in DOC_TYPES:
        word = word[2:]  # 工作方案 → 方案; 办法 stays 办法 (办 modifies nothing: 法 is not its kind)
    return word


def in_order(short: str, long: str) -> bool:
    """Are the characters of ``short`` in ``long``, in order (how an abbreviation names a title)?

    >>> in_order("节水条例", "节约用水条例"), in_order("水节条例", "节约用水条例")
    (True, False)
    """
    it = iter(long)
    return all(ch in it for ch in short)


def core_title(title: str) -> str:
    """A document title without 《》 and a trailing parenthetical such as （2021—2025年）.

    >>> core_title("《扬州市全民科学素质行动实施方案（2021—2025年）》")
    '扬州市全民科学素质行动实施方案'
    """
    t = title.strip().strip("《》").strip()
    while _TITLE_TAIL.search(t):
        t = _TITLE_TAIL.sub("", t).strip()
    return t


def fold(text: str) -> str:
    """Width-fold ``text`` (full-width ASCII, ideographic space, 〔〕【】 → half-width / []); same length."""
    return text.translate(_FOLD_TABLE)


def squeeze(text: str) -> str:
    """NFKC without any whitespace (line breaks inside a sentence included), for matching names.

    >>> squeeze("新疆维吾尔\\n自治区 ")
    '新疆维吾尔自治区'
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))
