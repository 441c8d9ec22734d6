"""Which text is in force, and for when: the status of every document of a collection on a given day.

``collection_status(metas, today)`` is a pure function over all documents' ``DocMeta`` (statuses
that depend on other documents — superseded, repealed — cannot be read from one file). ``today``
is passed in as data (``POLICYQA_TODAY`` at the CLI boundary), never read here.

Statuses, first that applies wins:

- 已废止: a document of the collection repeals it ("…《X》同时废止");
- 已被修订: a later version of the same instrument in the collection is in force;
- 尚未施行: its effective date (自…起施行) is after today;
- 已失效: its stated 有效期 ended before today;
- 规划期已结束: it states a plan period (2021—2025年) whose last year is before today's;
- 现行有效: otherwise.

>>> from ingest.types import DocMeta
>>> old = DocMeta("a#0", "a.md", title="中华人民共和国行政复议法", region="中华人民共和国", level="国家",
...               version_date="2017-09-01", effective_date="1999-10-01")
>>> new = DocMeta("b#0", "b.md", title="中华人民共和国行政复议法", region="中华人民共和国", level="国家",
...               version_date="2023-09-01", effective_date="2024-01-01")
>>> st = collection_status([old, new], "2026-12-03")
>>> st["a#0"].status, st["a#0"].superseded_by, st["b#0"].status, st["b#0"].previous
('已被修订', 'b#0', '现行有效', ['a#0'])
>>> collection_status([old, new], "2023-12-01")["b#0"].status
'尚未施行'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.types import DocMeta
from ingest.versions import find_titled, later_versions, sort_date, title_index, version_groups

IN_FORCE = "现行有效"
SUPERSEDED = "已被修订"
REPEALED = "已废止"
NOT_YET = "尚未施行"
EXPIRED = "已失效"
PLAN_ENDED = "规划期已结束"
STATUSES = (IN_FORCE, SUPERSEDED, REPEALED, NOT_YET, EXPIRED, PLAN_ENDED)
# statuses under which a document is still the text that applies (a plan past its period is
# not replaced by anything in the collection, but it is no longer current either)
CURRENT = (IN_FORCE,)


@dataclass(frozen=True)
class DocStatus:
    doc_id: str
    status: str = IN_FORCE
    effective_date: str = ""
    version_date: str = ""
    plan_period: str = ""
    superseded_by: str = ""  # doc_id of the nearest later version in force
    repealed_by: str = ""  # doc_id of the document that repeals it
    version_group: str = ""  # id shared by all versions of one instrument ("" when only one is held)
    previous: list[str] = field(default_factory=list)  # earlier versions, nearest first
    references: list[str] = field(default_factory=list)  # doc_ids of held documents it is based on
    note: str = ""  # one line for staff: "规划期2021—2025年已结束", "已被2023-09-01版修订"

    @property
    def in_force(self) -> bool:
        return self.status in CURRENT

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_today(value: str | None) -> str:
    """An ISO date for "today": the given ``YYYY-MM-DD`` (checked), or the system date.

    >>> parse_today("2026-12-03")
    '2026-12-03'
    """
    if not value:
        return _dt.date.today().isoformat()
    try:
        return _dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise ValueError(f"today is {value!r}; expected an ISO date YYYY-MM-DD, e.g. 2026-12-03") from exc


def period_label(period: str) -> str:
    """``"2021-2025"`` → ``"2021—2025年"`` (as the documents write it)."""
    a, _, b = period.partition("-")
    return f"{a}—{b}年" if b else period


def _in_force_on(m: DocMeta, today: str) -> bool:
    if not today:
        return True
    return not (m.effective_date and m.effective_date > today) and not (sort_date(m) and sort_date(m) > today)


def collection_status(metas: Iterable[DocMeta], today: str) -> dict[str, DocStatus]:
    """doc_id → ``DocStatus`` for every document (see module docstring).

    ``today`` is an ISO date; ``""`` judges nothing against a date (every later version supersedes).
    """
    ms = list(metas)
    by_id = {m.doc_id: m for m in ms}
    group_of: dict[str, str] = {}
    for gid, group in version_groups(ms).items():
        for m in group:
            group_of[m.doc_id] = gid
    later = later_versions(ms)
    earlier: dict[str, list[str]] = {}
    for d, ls in later.items():
        for n in ls:
            earlier.setdefault(n, []).insert(0, d)
    titles = title_index(ms)
    repealed_by: dict[str, str] = {}
    for m in ms:
        for t in m.repeals:
            for d in find_titled(t, titles, before=sort_date(m)):
                if d != m.doc_id and (not by_id[d].region or not m.region or by_id[d].region == m.region):
                    repealed_by.setdefault(d, m.doc_id)
    out: dict[str, DocStatus] = {}
    for m in ms:
        newer = [d for d in later.get(m.doc_id, []) if _in_force_on(by_id[d], today)]
        refs = [ids[-1] for ids in (find_titled(t, titles) for t in m.references) if ids and ids[-1] != m.doc_id]
        status, note, sup = IN_FORCE, "", ""
        if m.doc_id in repealed_by:
            status = REPEALED
            note = f"已被《{by_id[repealed_by[m.doc_id]].title}》废止"
        elif newer:
            status, sup = SUPERSEDED, newer[-1]
            n = by_id[sup]
            note = f"已被{sort_date(n)[:4]}年版修订（{sort_date(n)}）" if sort_date(n) else "已被新版本修订"
        elif not today:
            pass  # no day to judge on: only what the collection itself says (superseded, repealed)
        elif m.effective_date and m.effective_date > today:
            status, note = NOT_YET, f"自{m.effective_date}起施行"
        elif m.expires and m.expires < today:
            status, note = EXPIRED, f"有效期至{m.expires}，已届满"
        elif m.plan_period and int(m.plan_period[-4:]) < int(today[:4]):
            status, note = PLAN_ENDED, f"规划期{period_label(m.plan_period)}已结束"
        out[m.doc_id] = DocStatus(
            doc_id=m.doc_id, status=status, effective_date=m.effective_date, version_date=sort_date(m),
            plan_period=m.plan_period, superseded_by=sup, repealed_by=repealed_by.get(m.doc_id, ""),
            version_group=group_of.get(m.doc_id, ""), previous=earlier.get(m.doc_id, []),
            references=list(dict.fromkeys(refs)), note=note)
    return out


def document_status_rows(metas: Iterable[DocMeta], today: str) -> list[dict[str, Any]]:
    """One JSON-ready row per document for listings (``policyqa docs --json``, the 文件 tab).

    Keys: doc_id, title, source, region, level, doc_type, date, status, effective_date,
    version_date, plan_period, superseded_by, superseded_by_title, repealed_by, version_group,
    previous, references (held doc_ids), note.
    """
    ms = list(metas)
    by_id = {m.doc_id: m for m in ms}
    st = collection_status(ms, today)
    rows = []
    for m in ms:
        s = st[m.doc_id]
        row = {"doc_id": m.doc_id, "title": m.title, "source": m.source, "region": m.region, "level": m.level,
               "doc_type": m.doc_type, "date": m.date}
        row.update(s.to_dict())
        row["superseded_by_title"] = by_id[s.superseded_by].title if s.superseded_by else ""
        rows.append(row)
    return rows
