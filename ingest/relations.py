"""Documents a document names: the ones it is based on or carries out, and the ones it repeals.

Pure functions over clause texts. Titles are returned as written, without 《》.

>>> references(["第一条 为了实施全民健身和健康中国建设的国家战略，根据《中华人民共和国体育法》《全民健身条例》等法律，"
...             "结合本省实际，制定本条例。"])
['中华人民共和国体育法', '全民健身条例']
>>> references(["根据《国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知》（国发〔2021〕9号，以下简称"
...             "《科学素质纲要》）和《宿州市全民科学素质行动规划纲要实施方案》（宿政办秘〔2022〕25号）精神"])
['国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知', '宿州市全民科学素质行动规划纲要实施方案']
>>> repeals(["第五十一条 本条例自2018年3月1日起施行。2004年9月23日通过的《山东省全民体育健身条例》同时废止。"])
['山东省全民体育健身条例']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# 根据《A》《B》等 / 依据《A》和《B》 / 贯彻落实《A》精神 / 转发《A》: the verb, a few words, then titles
# a title may carry its 文号 and short name in brackets: 《A》（国发〔2021〕9号，以下简称《纲要》）、《B》
_NOTE = r"(?:[（(][^（）()]{0,60}[）)])?"
_REF_RX = re.compile(r"(根据|依据|依照|按照|遵照|贯彻落实|贯彻|落实|转发|对照)[^。；;，,《]{0,12}?"
                     r"((?:《[^《》]{2,80}》\s*" + _NOTE + r"\s*(?:[、和及与以及]|\s)*)+)")
_REPEAL_RX = re.compile(r"((?:《[^《》]{2,80}》\s*(?:[、和及与以及]|\s)*)+)(?:[（(][^）)]{0,30}[）)])?\s*"
                        r"(?:同时|相应|一并)?\s*(?:废止|停止执行|不再执行|失效)")
_TITLE_RX = re.compile(r"《([^《》]{2,80})》")


def _titles(span: str) -> list[str]:
    """Titles in ``span``; a bracketed note after a title (its 文号, 以下简称《…》) names no title of
    its own, while brackets inside a title (《…纲要（2021—2035年）》) belong to it."""
    kept: list[str] = []
    depth = note = 0  # inside 《》 / inside a bracketed note between titles
    for ch in span:
        if depth == 0 and ch in "（(":
            note += 1
        elif depth == 0 and note and ch in "）)":
            note -= 1
        elif not note:
            depth += (ch == "《") - (ch == "》")
            kept.append(ch)
    return [t.strip() for t in _TITLE_RX.findall("".join(kept))]


def references(texts: Sequence[str], own_title: str = "") -> list[str]:
    """Titles the document says it is based on / carries out / forwards, in order, without repeats."""
    out: list[str] = []
    for text in texts:
        for m in _REF_RX.finditer(text):
            for t in _titles(m.group(2)):
                if t not in out and t != own_title:
                    out.append(t)
    return out


def repeals(texts: Sequence[str]) -> list[str]:
    """Titles the document repeals ("…《X》同时废止"), in order, without repeats."""
    out: list[str] = []
    for text in texts:
        for m in _REPEAL_RX.finditer(text):
            before = text[max(0, m.start() - 4) : m.start()]
            if re.search(r"(变更|撤销|或者|决定)$", before):
                continue
            for t in _titles(m.group(1)):
                if t not in out:
                    out.append(t)
    return out
