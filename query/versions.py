"""Which version of an amended instrument a question asks about.

When the documents a question names (or its regions' documents) include two or more versions of
one instrument (``Known.versions``), a year written as a version ("2017年版", "2010年那版",
"2024年新条例") picks the version of that year — the year of its own text first, then the year it
took effect — and "新修订的" / "现行" / "修订前" pick the newest or the earlier one. The year that
picked a version is not a target year of the question ("2024年新条例要求…多少" asks no 2024 figure).

>>> from ingest.types import DocMeta
>>> a = DocMeta("a#0", "a.md", title="某省科普条例", region="某省", version_date="2010-09-17",
...             effective_date="2010-11-01")
>>> b = DocMeta("b#0", "b.md", title="某省科普条例", region="某省", version_date="2024-05-10",
...             effective_date="2024-06-01")
>>> k = Known.from_metas([a, b])
>>> select_versions("2010年版某省科普条例第十条怎么规定？", ("a#0", "b#0"), (), k)
Choice(doc_ids=('a#0',), versions=('a#0',), others=('b#0',), years=('2010',))
>>> select_versions("新修订的某省科普条例从哪天开始施行？", ("a#0", "b#0"), (), k).versions
('b#0',)
>>> select_versions("某省科普条例第十条怎么规定？", ("a#0", "b#0"), (), k).versions
()

Named by place alone, the scope is the amended instruments' versions picked (a place's other
documents were never amended, so "新条例" is not one of them):

>>> c = DocMeta("c#0", "c.md", title="某省消防条例", region="某省")
>>> select_versions("某省新条例怎么规定科普？", (), ("某省",), Known.from_metas([a, b, c])).doc_ids
('b#0',)
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from lang.versions import version_words, version_years
from query.known import Known
from query.mentions import spoken_of


@dataclass(frozen=True)
class Choice:
    doc_ids: tuple[str, ...]  # the documents in scope once the other versions are left out
    versions: tuple[str, ...] = ()  # the versions chosen
    others: tuple[str, ...] = ()  # the versions of the same instruments not chosen
    years: tuple[str, ...] = ()  # the years that chose them


def _newest_in_force(group: Sequence[str], known: Known, today: datetime.date | None) -> str:
    """The newest version, or the one before it when the newest has not taken effect on ``today``."""
    if today is not None and len(group) > 1:
        eff = known.metas[group[-1]].effective_date
        if eff and eff > today.isoformat():
            return group[-2]
    return group[-1]


def _instrument_spoken_of(text: str, years: Sequence[str], known: Known) -> list[tuple[str, ...]]:
    """The amended instrument a question that names none picks versions of: the one with versions
    of every year written, else of some; among several, the one whose title the question speaks
    of ("行政复议机关…2017年版和2023年版" → 行政复议法, not another law amended those years); [] when
    none stands out.

    >>> from ingest.types import DocMeta
    >>> ms = [DocMeta(f"{t}{y}", "x.md", title=t, version_date=f"{y}-01-01") for t, y in
    ...       [("行政复议法", 2017), ("行政复议法", 2023), ("公司法", 2017), ("公司法", 2023)]]
    >>> _instrument_spoken_of("行政复议机关不履职，2017年版和2023年版分别处分哪些人？", ["2017", "2023"], Known.from_metas(ms))
    [('行政复议法2017', '行政复议法2023')]
    """
    groups = list(dict.fromkeys(known.versions.values()))
    if years:
        some = [g for g in groups if any(y in known.version_year(d) for d in g for y in years)]
        every = [g for g in some if all(any(y in known.version_year(d) for d in g) for y in years)]
        groups = every or some
        if len(groups) == 1:
            return groups
    picked = set(spoken_of(text, [d for g in groups for d in g], known))
    return [g for g in groups if picked & set(g)]


def select_versions(text: str, doc_ids: Sequence[str], regions: Sequence[str], known: Known,
                    today: datetime.date | None = None) -> Choice:
    """The versions ``text`` picks among the named documents (``Choice.versions`` empty: none picked)."""
    named = list(doc_ids) or [d for r in regions for d in known.region_docs(r)]
    groups = list(dict.fromkeys(known.versions[d] for d in named if d in known.versions))
    years = version_years(text)
    word = version_words(text)
    if not named and (years or word):  # "2017年版", "旧法和新法" with no document named: the one amended
        groups = _instrument_spoken_of(text, years, known)  # instrument of those years, or the one the question speaks of
    if not groups:
        return Choice(tuple(doc_ids))
    chosen: list[str] = []
    used: list[str] = []
    for g in groups:
        pick: list[str] = []
        for y in years:
            own = [d for d in g if known.version_year(d)[0] == y]
            hit = own or [d for d in g if known.version_year(d)[1] == y]
            if hit:
                pick.append(hit[-1])
                used.append(y)
        if not pick and word == "both":
            pick = list(g)
        elif not pick and word:
            newest = _newest_in_force(g, known, today) if "现行" in text else g[-1]
            pick = [newest] if word == "new" else [g[max(0, g.index(newest) - 1)]]
        chosen.extend(pick)
    if not chosen:
        return Choice(tuple(doc_ids))
    others = tuple(d for g in groups if set(g) & set(chosen) for d in g if d not in chosen)
    if not doc_ids:  # "上海新条例", "上海2024年条例": a place's amended instruments, in the version picked
        return Choice(tuple(dict.fromkeys(chosen)), tuple(dict.fromkeys(chosen)), others, tuple(dict.fromkeys(used)))
    scope = tuple(dict.fromkeys([d for d in doc_ids if d not in others] + chosen))
    return Choice(scope, tuple(dict.fromkeys(chosen)), others, tuple(dict.fromkeys(used)))
