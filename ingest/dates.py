"""Dates a document states about itself: adoption, revisions, entry into force, expiry, plan period.

Pure functions over the document's own text (title and clause texts); nothing is guessed from
file names. Dates are ISO strings (``"2024-01-01"``), ``""`` when the text does not state them.

>>> f = doc_dates("中华人民共和国行政复议法", [
...     "中华人民共和国行政复议法 1999年4月29日 第九届全国人民代表大会常务委员会第九次会议通过 "
...     "2023年9月1日 第十四届全国人民代表大会常务委员会第五次会议修订",
...     "第九十条 本法自2024年1月1日起施行。"])
>>> f.adopted, f.revised, f.version_date, f.effective_date
('1999-04-29', ['2023-09-01'], '2023-09-01', '2024-01-01')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.meta import iso_date
from ingest.normalize import fold
from lang.dates import PLAN_RX, read_years
from lang.dates import SPAN_RX as _PERIOD_RX

_D = r"((?:19|20)\d{2}|[〇零O一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日"
DATE_RX = re.compile(_D)
# "2009年8月27日 第十一届…会议《关于修改部分法律的决定》第一次修正" (one event per date, up to the next date)
_EVENT_RX = re.compile(_D + r"([^。；\n]{0,120}?)(通过|修订|修正|批准|公布|发布|印发)(?![的之])")
_EFFECTIVE_RX = re.compile(r"自\s*(?:" + _D + r"|(公布|发布|印发|通过|颁布|下发)之日)\s*起\s*(?:施行|实施|执行|生效)")
_UNTIL_RX = re.compile(r"有效期(?:至|到)\s*" + _D)
_YEARS_RX = re.compile(r"有效期\s*(?:为)?\s*([\d一二三四五六七八九十]{1,2})\s*年")
_PERIOD_CUE = re.compile(r"(规划期|实施期|实施期限|执行期|期限为|规划期限)[为是:：]?\s*$")


@dataclass(frozen=True)
class DocDates:
    adopted: str = ""  # first 通过 / 公布 / 印发 date
    revised: list[str] = field(default_factory=list)  # 修订 / 修正 dates, in order
    version_date: str = ""  # the date of this text: the latest adoption / revision date
    effective_date: str = ""  # 自…起施行
    expires: str = ""  # 有效期至… / 有效期N年 from the effective date
    plan_period: str = ""  # "2021-2025" when the title (or a 规划期为… line) states one


def _iso(m: re.Match[str], start: int = 1) -> str:
    return iso_date(f"{m.group(start)}年{m.group(start + 1)}月{m.group(start + 2)}日")


def _add_years(date: str, years: int) -> str:
    if not date:
        return ""
    y, rest = date[:4], date[4:]
    if rest == "-02-29":
        rest = "-02-28"
    return f"{int(y) + years:04d}{rest}"


def history(text: str) -> list[tuple[str, str]]:
    """(date, event) pairs of an adoption / revision history, in the order written.

    >>> history("2009年8月27日 第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》第一次修正")
    [('2009-08-27', '修正')]
    """
    out = []
    for m in _EVENT_RX.finditer(fold(text)):
        d = _iso(m)
        if d and not DATE_RX.search(m.group(4)):
            out.append((d, m.group(5)))
    return out


def plan_period(title: str, texts: Sequence[str] = ()) -> str:
    """``"2021-2025"`` from a title ``…（2021—2025年）`` or ``“十四五”…规划``, or a ``规划期为…`` line.

    >>> plan_period("扬州市全民科学素质行动实施方案（2021—2025年）"), plan_period("某省“十四五”科普发展规划")
    ('2021-2025', '2021-2025')
    >>> plan_period("某省科学技术普及条例")
    ''
    """
    t = fold(title)
    m = _PERIOD_RX.search(t)
    if m and int(m.group(1)) < int(m.group(2)):
        return f"{m.group(1)}-{m.group(2)}"
    if PLAN_RX.search(t):
        p = next(p for p in read_years(t).periods if p.label)
        return f"{p.start}-{p.end}"
    for text in texts:
        for m in _PERIOD_RX.finditer(fold(text)):
            before = fold(text)[max(0, m.start() - 8) : m.start()]
            if _PERIOD_CUE.search(before) and int(m.group(1)) < int(m.group(2)):
                return f"{m.group(1)}-{m.group(2)}"
    return ""


def doc_dates(title: str, texts: Sequence[str], issue_date: str = "") -> DocDates:
    """What the document says about its own dates (see module docstring).

    ``texts`` are the clause texts in reading order (the header first); ``issue_date`` is the
    signature / 印发 date already read by ``ingest.meta`` (used for 自印发之日起施行).

    >>> doc_dates("某市科普工作方案", ["……", "本方案自印发之日起施行，有效期5年。"], "2023-05-09").expires
    '2028-05-09'
    """
    head = " ".join(texts[:3])
    events = history(head)
    adopted = next((d for d, e in events if e in ("通过", "公布", "发布", "印发", "批准")), "")
    revised = [d for d, e in events if e in ("修订", "修正")]
    version = max([d for d, _ in events] + ([issue_date] if issue_date else []), default="")
    effective = expires = ""
    for text in reversed(texts):  # the closing article states it; the last statement wins
        f = fold(text)
        m = _EFFECTIVE_RX.search(f)
        if m and not effective:
            effective = _iso(m) if m.group(1) else (issue_date or version)
        u = _UNTIL_RX.search(f)
        if u and not expires:
            expires = _iso(u)
        y = _YEARS_RX.search(f)
        if y and not expires and not u:
            n = int(y.group(1)) if y.group(1).isdigit() else "一二三四五六七八九十".find(y.group(1)) + 1
            expires = ("+" + str(n)) if n > 0 else ""
        if effective and expires:
            break
    if expires.startswith("+"):
        expires = _add_years(effective or issue_date or version, int(expires[1:]))
    return DocDates(adopted=adopted, revised=revised, version_date=version or effective,
                    effective_date=effective, expires=expires, plan_period=plan_period(title, texts[:4]))


def annotate(meta: object, texts: Sequence[str]) -> None:
    """Set the date, period and relation fields of a ``DocMeta`` from its clause texts."""
    from ingest.relations import references, repeals

    d = doc_dates(meta.title, texts, meta.date)  # type: ignore[attr-defined]
    for name in ("adopted", "revised", "version_date", "effective_date", "expires", "plan_period"):
        setattr(meta, name, getattr(d, name))
    meta.references = references(texts, meta.title)  # type: ignore[attr-defined]
    meta.repeals = repeals(texts)  # type: ignore[attr-defined]
