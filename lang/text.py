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
