"""Word automatic numbering: render the ``一、`` / ``（一）`` / ``1.`` labels Word draws but does not
store in the paragraph text (python-docx returns the text without them).

A numbered paragraph has ``w:numPr`` (``numId`` + ``ilvl``), directly or through its style. The label
is the level's ``lvlText`` (e.g. ``%1、`` or ``（%1）``, ``%2.``) with each ``%k`` replaced by the counter
of level k-1 in that level's ``numFmt`` (decimal, chineseCounting, decimalEnclosedCircle…).
Counters are kept per ``numId``; a level's counter resets when a shallower level advances.

>>> chinese_count(28), chinese_count(10), chinese_count(105)
('二十八', '十', '一百零五')
"""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"


def chinese_count(n: int) -> str:
    """Chinese counting numeral (Word's chineseCounting / chineseCountingThousand)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else
                                     (_DIGITS[rest // 10] + "十" + (_DIGITS[rest % 10] if rest % 10 else "")))
        return _DIGITS[n // 100] + "百" + tail
    return str(n)


def _fmt(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "taiwaneseCounting", "chineseLegalSimplified"):
        return chinese_count(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(ord("①") + n - 1)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


def _val(el: Any, tag: str) -> str | None:
    child = el.find(W + tag) if el is not None else None
    return child.get(W + "val") if child is not None else None


class Numbering:
    """Label renderer for one document (``docx.Document``)."""

    def __init__(self, document: Any) -> None:
        # (numId, ilvl) -> start, numFmt, lvlText, suff
        self.levels: dict[tuple[str, int], tuple[int, str, str, str]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(W + "abstractNumId"): a for a in root.findall(W + "abstractNum")}
        for num in root.findall(W + "num"):
            num_id = num.get(W + "numId")
            a = abstract.get(_val(num, "abstractNumId"))
            if a is None:
                continue
            overrides = {int(o.get(W + "ilvl")): _val(o, "startOverride") for o in num.findall(W + "lvlOverride")}
            for lvl in a.findall(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl"))
                start = overrides.get(ilvl) or _val(lvl, "start") or "1"
                self.levels[(num_id, ilvl)] = (int(start), _val(lvl, "numFmt") or "decimal",
                                               _val(lvl, "lvlText") or "", _val(lvl, "suff") or "tab")
        for style in document.styles:
            ppr = getattr(style.element, "pPr", None)
            numpr = ppr.find(W + "numPr") if ppr is not None else None
            if numpr is not None and _val(numpr, "numId"):
                self.style_num[style.style_id] = (_val(numpr, "numId"), int(_val(numpr, "ilvl") or 0))

    def label(self, paragraph: Any) -> str:
        """The number label of a paragraph ("" when it is not numbered), advancing the counters."""
        p = paragraph._p
        numpr = p.pPr.find(W + "numPr") if p.pPr is not None else None
        num_id, ilvl = None, 0
        if numpr is not None:
            num_id, ilvl = _val(numpr, "numId"), int(_val(numpr, "ilvl") or 0)
        elif paragraph.style is not None and paragraph.style.style_id in self.style_num:
            num_id, ilvl = self.style_num[paragraph.style.style_id]
        if not num_id or num_id == "0" or (num_id, ilvl) not in self.levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = self.levels[(num_id, ilvl)][0]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = self.levels[(num_id, ilvl)][2]
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in text:
                lvl_start, fmt = self.levels.get((num_id, k), (1, "decimal", "", ""))[:2]
                text = text.replace(f"%{k + 1}", _fmt(counters.get(k, lvl_start), fmt))
        suff = self.levels[(num_id, ilvl)][3]
        if text and suff != "nothing" and text[-1].isascii():
            text += " "  # Word separates "1." from the text by a tab or space; "一、" needs none
        return text
