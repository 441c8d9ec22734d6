"""Years and periods as policy text and questions write them.

- single years: ``2025年``, ``二〇二五年``, ``到2025年``;
- spans: ``2021—2025年``, ``2021-2025``, ``2021年至2025年``;
- five-year plans: ``“十四五”`` (2021—2025), ``十五五`` (2026—2030), ``十三五`` …;
- relative years against a ``today`` the caller passes: 今年, 明年, 去年, 后年, 目前/当前/现在.

>>> import datetime
>>> read_years("“十四五”期间，到2025年比例达到15%", today=datetime.date(2024, 5, 1))
Years(years=(2025,), periods=(Period(start=2021, end=2025, label='十四五'),))
>>> read_years("明年的目标是多少？", today=datetime.date(2024, 5, 1)).years
(2025,)
>>> five_year_plan(15)
Period(start=2026, end=2030, label='十五五')
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from lang.numerals import cn_to_int, int_to_cn
from lang.text import fold

_DASH = r"\s*(?:[-—–~～至到]+|年\s*[-—–~～至到]+)\s*"
SPAN_RX = re.compile(rf"(?<!\d)((?:19|20)\d{{2}}){_DASH}((?:19|20)\d{{2}})(?!\d)\s*年?")
YEAR_RX = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
CN_YEAR_RX = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
PLAN_RX = re.compile(
    r"[“\"「]十([一二三四五六七八九]?)五[”\"」]"
    r"|(?<![第\d〇零一二三四五六七八九十百千])十([一二三四五六七八九])五(?![条章节款项个年%万\d])"
    r"|(?<![第\d〇零一二三四五六七八九十百千])十()五(?=时期|期间|规划|计划)"
)
BARE_YEAR_RX = re.compile(r"(?<!\d)((?:19|20)\d{2})(?![\d年])")
# a line that starts with a full date and records an adoption or amendment, also when it runs on into
# the next one ("2004年6月28日 …《关于…的决定》第一次修正  根据"): a law's history, never its title
ADOPTION_LINE = re.compile(r"^((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日).*"
                           r"(通过|公布|发布|修订|修正|修改|批准|施行)")
RELATIVE = {"今年": 0, "本年": 0, "本年度": 0, "明年": 1, "来年": 1, "后年": 2, "去年": -1, "前年": -2}
# "now" words: the current state, a year only when the caller asks for it (``present=True``)
PRESENT = {"目前": 0, "当前": 0, "现在": 0, "现阶段": 0}


@dataclass(frozen=True)
class Period:
    start: int
    end: int
    label: str = ""  # 十四五 for a five-year plan, "" for a written span

    def contains(self, year: int) -> bool:
        return self.start <= year <= self.end

    def text(self) -> str:
        """``2021—2025年`` (with the plan name when it has one)."""
        span = f"{self.start}—{self.end}年"
        return f"“{self.label}”（{span}）" if self.label else span


@dataclass(frozen=True)
class Years:
    years: tuple[int, ...] = ()
    periods: tuple[Period, ...] = ()

    def is_empty(self) -> bool:
        return not (self.years or self.periods)


def five_year_plan(n: int) -> Period:
    """The n-th five-year plan (1st 1953—1957, 2nd 1958—1962; from the 3rd, 1966 + 5·(n−3))."""
    if n < 1:
        raise ValueError(f"five_year_plan: n must be ≥ 1, got {n}")
    start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return Period(start, start + 4, f"{int_to_cn(n)}五")


def read_years(text: str, today: datetime.date | None = None, present: bool = False) -> Years:
    """Years and periods named in ``text``; relative words need ``today`` (ignored without it).
    ``present``: 目前 / 现在 also name today's year (a question about "now" usually asks for the
    state the documents describe, not a figure set for this calendar year)."""
    t = fold(text)
    periods: list[Period] = []
    taken = [False] * len(t)
    for m in SPAN_RX.finditer(t):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b:
            periods.append(Period(a, b))
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
    for m in PLAN_RX.finditer(t):
        digit = next((g for g in m.groups() if g), "")
        n = 10 + (cn_to_int(digit) if digit else 0)
        p = five_year_plan(n)
        if p not in periods:
            periods.append(p)
    years: list[int] = []
    for m in YEAR_RX.finditer(t):
        if not taken[m.start()]:
            years.append(int(m.group(1)))
    for m in CN_YEAR_RX.finditer(t):
        years.append(cn_to_int(m.group(1)))
    for m in BARE_YEAR_RX.finditer(t):
        if not taken[m.start()]:
            years.append(int(m.group(1)))
    if today is not None:
        words = {**RELATIVE, **(PRESENT if present else {})}
        for m in re.finditer("|".join(sorted(words, key=len, reverse=True)), t):
            years.append(today.year + words[m.group(0)])
    return Years(tuple(dict.fromkeys(years)), tuple(periods))


def years_in(text: str) -> list[str]:
    """Four-digit years written with 年 (``2025年`` → "2025"), in order, once each.

    >>> years_in("2021—2025年，到2025年达到15%")
    ['2021', '2025']
    """
    out = [m.group(1) for m in YEAR_RX.finditer(fold(text))]
    for m in SPAN_RX.finditer(fold(text)):
        out[:0] = [m.group(1)] if m.group(1) not in out else []
    return list(dict.fromkeys(sorted(set(out), key=lambda y: fold(text).find(y))))


def strip_years(text: str) -> str:
    """``text`` without its years, spans and plan names (for comparing what else it says)."""
    t = SPAN_RX.sub(" ", text)
    t = YEAR_RX.sub(" ", t)
    return PLAN_RX.sub(" ", t)


def digit_years(text: str) -> str:
    """Years written in Chinese numerals (``二〇三五年``) written in digits, the form policy text and
    the rest of the query stage use; other numerals (第二十二条, 二〇二号) are left alone.

    >>> digit_years("那到二〇三五年呢？第二十二条呢？")
    '那到2035年呢？第二十二条呢？'
    """
    def to_digits(m: re.Match[str]) -> str:
        year = cn_to_int(m.group(1))
        return f"{year}年" if 1900 <= year <= 2099 else m.group(0)

    return CN_YEAR_RX.sub(to_digits, text)


def absolute_years(text: str, today: datetime.date | None) -> str:
    """今年 / 去年 / 明年 … written as the year they mean on ``today`` (unchanged without a today).

    >>> absolute_years("今年扬州的目标是多少？", datetime.date(2026, 3, 1))
    '2026年扬州的目标是多少？'
    """
    if today is None:
        return text
    rx = "|".join(sorted(RELATIVE, key=len, reverse=True))
    return re.sub(rx, lambda m: f"{today.year + RELATIVE[m.group(0)]}年", text)
