"""Document filters shared by the CLI (``--region --doc --in-force --since``) and the app's 问答 / 先例对照 tabs.

``select_docs`` is a pure function over the documents' metadata and their statuses (from
``ingest.status.collection_status`` on the answer's today).

>>> from ingest.types import DocMeta
>>> from ingest.status import collection_status
>>> ms = {"a#0": DocMeta("a#0", "a.md", title="某省科普条例", region="某省", level="省", version_date="2003-09-27"),
...       "b#0": DocMeta("b#0", "b.md", title="某省科普条例", region="某省", level="省", version_date="2024-09-27"),
...       "c#0": DocMeta("c#0", "c.txt", title="某市科普方案（2021—2025年）", region="某市", level="市",
...                      date="2022-04-19", plan_period="2021-2025")}
>>> st = collection_status(ms.values(), "2026-12-03")
>>> select_docs(ms, st, DocFilter(in_force=True)), select_docs(ms, st, DocFilter(since="2023-01-01"))
(['b#0'], ['b#0'])
>>> select_docs(ms, st, DocFilter(statuses=("规划期已结束",), levels=("市",)))
['c#0']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.status import DocStatus
from ingest.types import DocMeta
from ingest.versions import sort_date


@dataclass(frozen=True)
class DocFilter:
    regions: tuple[str, ...] = ()  # full or short form (扬州市 / 扬州)
    levels: tuple[str, ...] = ()  # 国家 / 省 / 市 / 县
    docs: tuple[str, ...] = ()  # doc_id, file name or stem, or part of the title
    statuses: tuple[str, ...] = ()  # 现行有效 / 已被修订 / …
    in_force: bool = False  # only 现行有效
    since: str = ""  # ISO date: the text dated on or after (its own version date, else issue / effective date)
    until: str = ""

    def is_empty(self) -> bool:
        return not (self.regions or self.levels or self.docs or self.statuses or self.in_force or self.since
                    or self.until)


def _region_ok(wanted: Sequence[str], region: str) -> bool:
    from index.scope import region_matches

    return any(region_matches(w, region) for w in wanted)


def doc_named(meta: DocMeta, spec: str) -> bool:
    """Does ``spec`` (doc_id, file name or stem, or 2+ characters of the title) name this document?"""
    stem = meta.source.rsplit(".", 1)[0]
    return spec in (meta.doc_id, meta.source, stem) or (len(spec) >= 2 and spec in meta.title)


def select_docs(metas: Mapping[str, DocMeta], statuses: Mapping[str, DocStatus], f: DocFilter) -> list[str]:
    """doc_ids that pass every filter given (all documents when the filter is empty), in index order."""
    out = []
    for d, m in metas.items():
        st = statuses.get(d)
        date = sort_date(m)
        if f.regions and not _region_ok(f.regions, m.region):
            continue
        if f.levels and m.level not in f.levels:
            continue
        if f.docs and not any(doc_named(m, s) for s in f.docs):
            continue
        if f.in_force and not (st is not None and st.in_force):
            continue
        if f.statuses and not (st is not None and st.status in f.statuses):
            continue
        if f.since and not (date and date >= f.since):
            continue
        if f.until and not (date and date <= f.until):
            continue
        out.append(d)
    return out


def unmatched_docs(metas: Mapping[str, DocMeta], specs: Sequence[str]) -> list[str]:
    """The ``--doc`` values that name no document (for a clear error)."""
    return [s for s in specs if not any(doc_named(m, s) for m in metas.values())]
