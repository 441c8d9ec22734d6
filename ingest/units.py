"""Responsible units (责任单位 / 牵头单位 / 配合单位 / 责任部门 …) stated in a clause.

Three written forms are recognised:

1. labelled groups in （…）, 〔…〕, […] or (…): ``（责任单位：省科协；配合单位：省教育厅、省科技厅）``;
2. a trailing group that ends in 负责 / 牵头: ``（县教育局、团县委、县科协按职责分工负责）``;
3. a trailing group right after a full stop that lists only bodies: ``（县全民科学素质工作领导小组办公室）``.

Units keep their original wording (``各县(市、区)政府`` stays as written); a trailing 等 is dropped.

>>> responsible_units("开展活动。（责任单位：省科协；配合单位：省教育厅、省科技厅，各市人民政府）")
['省科协', '省教育厅', '省科技厅', '各市人民政府']
>>> responsible_units("加强培训。〔责任单位:市委组织部等,各县(市、区)政府、功能区管委会〕")
['市委组织部', '各县(市、区)政府', '功能区管委会']
>>> responsible_units("激发求知欲。（县教育局、县科协按职责分工负责）")
['县教育局', '县科协']
"""

from __future__ import annotations

import re

from ingest.normalize import fold
from lang.units import BODY_RX as _SUFFIX_RX
from lang.units import DUTY_RX as _DUTY_RX
from lang.units import LABEL_RX as _LABEL_RX
from lang.units import LABELS  # noqa: F401  (re-exported)

_OPEN = {"(": ")", "[": "]"}


def _match_close(folded: str, i: int) -> int:
    """Index of the bracket closing the one at ``i`` (or len(folded) when it never closes)."""
    stack = [_OPEN[folded[i]]]
    for j in range(i + 1, len(folded)):
        ch = folded[j]
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif ch in ")]":
            if stack and ch == stack[-1]:
                stack.pop()
            elif stack:
                stack.pop()
            if not stack:
                return j
    return len(folded)


def split_units(text: str) -> list[str]:
    """Split a list of bodies on 、，, at bracket depth 0 (original wording kept)."""
    f = fold(text)
    out, depth, start = [], 0, 0
    for j, ch in enumerate(f):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "、,，":
            out.append(text[start:j])
            start = j + 1
    out.append(text[start:])
    units = []
    for u in out:
        u = u.strip(" \u3000\t\n")
        u = re.sub(r"等$", "", u)
        if u:
            units.append(u)
    return units


def _base(unit: str) -> str:
    """A unit without a trailing parenthetical, for the suffix test: 各镇（园区） -> 各镇."""
    return re.sub(r"[(（][^()（）]*[)）]$", "", unit)


def _looks_like_units(units: list[str]) -> bool:
    return bool(units) and all(len(u) <= 30 and _SUFFIX_RX.search(fold(_base(u))) for u in units)


def responsible_units(text: str) -> list[str]:
    """The responsible bodies a clause names, in order of appearance, without duplicates."""
    f = fold(text)
    found: list[str] = []
    i = 0
    while i < len(f):
        ch = f[i]
        if ch not in _OPEN:
            i += 1
            continue
        j = _match_close(f, i)
        inner, inner_f = text[i + 1:j], f[i + 1:j]
        units: list[str] = []
        if _LABEL_RX.search(inner_f):
            for m_part in re.split(r"[;；]", inner):
                mf = fold(m_part)
                lm = _LABEL_RX.search(mf)
                body = m_part[lm.end():] if lm else m_part
                body = re.sub(r"(按职责分工负责|负责)$", "", body.strip())
                units.extend(split_units(body))
        else:
            before = f[:i].rstrip()
            rest = f[j + 1:].lstrip(" 。")
            at_end = not rest or rest.startswith("\n")
            after_stop = before.endswith(("。", ";", "!", "?")) or not before
            stripped = _DUTY_RX.sub("", inner.strip())
            if _DUTY_RX.search(fold(inner.strip())) and (after_stop or at_end):
                cand = split_units(stripped)
                if _looks_like_units(cand):
                    units = cand
            elif after_stop and at_end:
                cand = split_units(inner)
                if _looks_like_units(cand):
                    units = cand
        if units:
            for u in units:
                if u not in found:
                    found.append(u)
            i = j + 1
        else:
            i += 1
    return found
