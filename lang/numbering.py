"""The numbering ladder of 公文 and laws: 一、 （一） 1. （1） ① and 第X编/章/节/条 (款/项 in references).

A marker is recognised whatever width its source used (``（一）`` / ``(一)``, ``１．`` / ``1.``); its
display form is canonical (full-width parentheses, half-width dot, no spaces), so section paths
agree across documents.

>>> m = detect_marker("(二十八) 完善科普激励机制。")
>>> (m.type, m.num, m.display)
('cn_paren', 28, '（二十八）')
>>> detect_marker("第十二条　县级以上人民政府应当……").display
'第十二条'
>>> detect_marker("2025年，比例达到16%") is None, detect_marker("第三条规定的情形") is None
(True, True)
>>> strip_marker("（三）加强科普基础设施建设。")
'加强科普基础设施建设。'
>>> article_refs("依照本法第十二条第二款和第三十条的规定")
[(12, 2), (30, 0)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lang.numerals import CN_CHARS, cn_to_int
from lang.text import fold

LAW_UNITS = "编章节条"
LAW_TYPES = {"编": "law_bian", "章": "law_zhang", "节": "law_jie", "条": "law_tiao"}
LAW_RANK = {"law_bian": 0, "law_zhang": 1, "law_jie": 2, "law_tiao": 3}
MARKER_TYPES = ("cn", "cn_paren", "ar_dot", "ar_paren", "circled", *LAW_TYPES.values())
_N = rf"[{CN_CHARS}\d]+"
_LAW_RX = re.compile(rf"^第\s*({_N})\s*([{LAW_UNITS}])")
_CN_TOP_RX = re.compile(rf"^([{CN_CHARS}]+)\s*、\s*")
_CN_PAREN_RX = re.compile(rf"^\(\s*([{CN_CHARS}]+)\s*\)\s*")
_AR_DOT_RX = re.compile(r"^(\d{1,3})\s*[.、](?!\d)\s*")
_AR_PAREN_RX = re.compile(r"^\(\s*(\d{1,3})\s*\)\s*")
_CIRCLED_RX = re.compile(r"^([①-⑳])\s*")
# 第三条规定… / 第五条所称… is a cross-reference, not an article heading
_XREF_AFTER = re.compile(r"^(规定|所|的|之|中|至|和|或|、|,|第|款|项|以|及|有关|明确)")
_LEADING = re.compile(
    rf"^\s*(?:第\s*{_N}\s*[{LAW_UNITS}款项]\s*|[{CN_CHARS}]+\s*、\s*|\(\s*{_N}\s*\)\s*"
    r"|\d+(?:\.\d+)*\s*[.、](?!\d)\s*|[①-⑳]\s*)"
)
_REF_RX = re.compile(rf"第({_N})条(?:第({_N})款)?")
# an item of a list inside a clause ("（四）将档案赠送给境外组织或个人的", "(2)…", "③…"), either width
LIST_ITEM = re.compile(rf"\s*(?:[(（]\s*{_N}\s*[)）]|[①-⑳])")


@dataclass(frozen=True)
class Marker:
    """A numbering mark at the start of a paragraph."""

    type: str  # one of MARKER_TYPES
    num: int
    display: str  # canonical display form used in section paths
    end: int  # where the marker (and following spaces) ends in the paragraph text
    spaced: bool = False  # followed by whitespace (laws: "第一条　…")


def detect_marker(text: str) -> Marker | None:
    """The numbering marker ``text`` starts with (any width), or None."""
    folded = fold(text)
    m = _LAW_RX.match(folded)
    if m:
        rest = folded[m.end():]
        if _XREF_AFTER.match(rest.lstrip()) and not rest[:1].isspace():
            return None
        num = cn_to_int(m.group(1))
        if num <= 0:
            return None
        end = m.end() + (len(rest) - len(rest.lstrip()))
        label = m.group(1) if not m.group(1).isdigit() else m.group(1)
        return Marker(LAW_TYPES[m.group(2)], num, f"第{label}{m.group(2)}", end, rest[:1].isspace() or not rest)
    for rx, typ in ((_CN_TOP_RX, "cn"), (_CN_PAREN_RX, "cn_paren"), (_AR_PAREN_RX, "ar_paren"),
                    (_AR_DOT_RX, "ar_dot"), (_CIRCLED_RX, "circled")):
        m = rx.match(folded)
        if not m:
            continue
        g = m.group(1)
        if typ == "circled":
            return Marker(typ, ord(g) - ord("①") + 1, g, m.end())
        num = cn_to_int(g)
        if num <= 0:
            return None
        display = {"cn": f"{g}、", "cn_paren": f"（{g}）", "ar_paren": f"（{num}）", "ar_dot": f"{num}."}[typ]
        return Marker(typ, num, display, m.end())
    return None


def is_marker_start(text: str) -> bool:
    """Does ``text`` start with a numbering mark (any level, any width)?"""
    return detect_marker(text) is not None


def starts_numbered(text: str) -> bool:
    """Does ``text`` start with something written like a numbering mark (cross-references included)?

    >>> starts_numbered("(二)强化责任"), starts_numbered("第三条规定的"), starts_numbered("2025年，比例达到16%")
    (True, True, False)
    """
    return bool(_LEADING.match(fold(text)))


def strip_marker(text: str) -> str:
    """``text`` without its leading numbering mark (one level; any width)."""
    m = _LEADING.match(fold(text))
    return text[m.end():] if m else text


def leading_marker(text: str) -> str:
    """The leading numbering mark as written ("" when none)."""
    m = _LEADING.match(fold(text))
    return text[: m.end()].strip() if m else ""


def article_refs(text: str) -> list[tuple[int, int]]:
    """(article, paragraph) pairs named as 第X条 / 第X条第Y款 (paragraph 0: the whole article)."""
    return list(_article_refs(text))


@lru_cache(maxsize=1 << 16)
def _article_refs(text: str) -> tuple[tuple[int, int], ...]:
    """``article_refs``, memoised: article lookups read the same section paths on every question."""
    return tuple((cn_to_int(a), cn_to_int(b) if b else 0) for a, b in _REF_RX.findall(fold(text)))


def article_names(text: str) -> list[str]:
    """The 第X条 a text names, as written with Chinese numerals (第6条 → 第六条), in order, once each.

    >>> article_names("第6条和第十二条怎么规定？")
    ['第六条', '第十二条']
    """
    from lang.numerals import int_to_cn

    out: list[str] = []
    for a, _ in article_refs(text):
        name = f"第{int_to_cn(a)}条" if 0 < a < 10000 else ""
        if name and name not in out:
            out.append(name)
    return out


_CHAPTER_NO = re.compile(rf"第({_N})章")
_CHAPTER_NAMED = re.compile(r"[“\"‘]?([\u4e00-\u9fff]{2,8}?)[”\"’]?(?:这一章|那一章|一章|这章|那章|章节)")
_NOT_IN_NAME = re.compile(r".*[的之里中在和与及对]")


def chapter_names(text: str) -> list[str]:
    """Chapters a text names: 第X章 (canonical, Chinese numerals) or a chapter title ("法律责任一章").

    >>> chapter_names("郑州市科普条例的法律责任一章是怎么规定的？"), chapter_names("第3章和第五章讲什么？")
    (['法律责任'], ['第三章', '第五章'])
    >>> chapter_names("条例第十一章讲什么？"), chapter_names("条例第一章讲什么？")
    (['第十一章'], ['第一章'])
    """
    from lang.numerals import int_to_cn

    out = [f"第{int_to_cn(cn_to_int(n))}章" for n in _CHAPTER_NO.findall(fold(text))]
    for m in _CHAPTER_NAMED.finditer(text):
        name = _NOT_IN_NAME.sub("", m.group(1))  # "条例的法律责任" → "法律责任"
        if len(name) >= 2 and "第" not in name:  # 第十一章 is a number, read above
            out.append(name)
    return list(dict.fromkeys(out))


def chapter_of(heading: str) -> tuple[int, str] | None:
    """(number, title) of a 第X章 heading, None for any other heading.

    >>> chapter_of("第七章\u3000法律\u3000责任")
    (7, '法律责任')
    """
    m = re.match(rf"\s*第({_N})章\s*(.*)$", fold(heading))
    return (cn_to_int(m.group(1)), re.sub(r"\s+", "", m.group(2))) if m else None
