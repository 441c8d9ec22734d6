"""``Known``: what the collection holds — its documents' regions, titles, 文号 and the years their
texts mention — as plain data built once from ``DocMeta`` (never by querying an index).

>>> from ingest.types import DocMeta
>>> k = Known.from_metas([DocMeta("xj#0", "xj.txt", title="新疆维吾尔自治区科普条例", region="新疆维吾尔自治区")])
>>> k.region_of("新疆"), k.region_of("新疆自治区"), k.region_of("甘肃")
('新疆维吾尔自治区', '新疆维吾尔自治区', '')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ingest.types import DocMeta
from ingest.versions import sort_date, version_groups
from lang.dates import read_years
from lang.divisions import ids_in_regions, lookup, region_forms, same_region
from lang.text import core_title, squeeze


@dataclass(frozen=True)
class Known:
    """The collection as data: documents by id, every written form of every held region, and
    the years each document's text mentions (for "no document sets a figure for 2030")."""

    metas: Mapping[str, DocMeta] = field(default_factory=dict)
    forms: Mapping[str, str] = field(default_factory=dict)  # written form -> the documents' region name
    doc_years: Mapping[str, frozenset[int]] = field(default_factory=dict)
    cited: frozenset[str] = frozenset()  # titles the documents cite (《…》, squeezed): named, not held

    @classmethod
    def from_metas(cls, metas: Iterable[DocMeta], doc_texts: Mapping[str, str] | None = None) -> Known:
        ms = {m.doc_id: m for m in metas}
        forms: dict[str, str] = {}
        for m in ms.values():
            for f in region_forms(m.region):
                forms.setdefault(squeeze(f), m.region)
        years = {}
        for d, t in (doc_texts or {}).items():
            y = read_years(t)
            years[d] = frozenset(y.years) | frozenset(
                yr for p in y.periods for yr in range(p.start, p.end + 1))
        cited = {squeeze(t) for text in (doc_texts or {}).values() for t in re.findall(r"《([^《》]{2,60})》", text)}
        cited |= {squeeze(t.strip("《》")) for m in ms.values() for t in m.references}
        return cls(ms, forms, years, frozenset(cited))

    @property
    def regions(self) -> list[str]:
        """The documents' regions, in collection order, once each."""
        return list(self._regions)

    @cached_property
    def _regions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.region for m in self.metas.values() if m.region))

    @cached_property
    def titles(self) -> dict[str, str]:
        """doc_id → squeezed core title (computed once: the question path reads it per question).

        >>> Known.from_metas([DocMeta("yz#0", "yz.txt", title="扬州市全民科学素质行动实施方案（2021—2025年）")]).titles
        {'yz#0': '扬州市全民科学素质行动实施方案'}
        """
        return {d: squeeze(core_title(m.title)) for d, m in self.metas.items()}

    @cached_property
    def versions(self) -> dict[str, tuple[str, ...]]:
        """doc_id → every held version of its instrument, oldest first (only for amended instruments).

        >>> a = DocMeta("a#0", "a.md", title="某省科普条例", region="某省", version_date="2010-09-17")
        >>> b = DocMeta("b#0", "b.md", title="某省科普条例（2024年修订）", region="某省", version_date="2024-05-10")
        >>> Known.from_metas([b, a]).versions["b#0"]
        ('a#0', 'b#0')
        """
        out: dict[str, tuple[str, ...]] = {}
        for group in version_groups(self.metas.values()).values():
            ids = tuple(m.doc_id for m in group)
            out.update({d: ids for d in ids})
        return out

    def version_year(self, doc_id: str) -> tuple[str, str]:
        """(the year of a version's own text, the year it took effect), "" where not stated."""
        m = self.metas[doc_id]
        return sort_date(m)[:4], (m.effective_date or "")[:4]

    @cached_property
    def numbers(self) -> dict[str, str]:
        """doc_id → squeezed 文号 ("" when the document states none)."""
        return {d: squeeze(m.doc_number) for d, m in self.metas.items()}

    @cached_property
    def _region_docs(self) -> dict[str, list[str]]:
        return {}

    def region_of(self, name: str) -> str:
        """The held region a name designates (any form of the lexicon), or ""."""
        n = squeeze(name)
        if n in self.forms:
            return self.forms[n]
        d = lookup(n)
        if d is None:
            return ""
        return next((r for r in self.regions if same_region(r, d.full)), "")

    def region_docs(self, region: str) -> list[str]:
        """Documents whose own region is ``region`` (strict: a city's notice is the city's)."""
        cached = self._region_docs.get(region)
        if cached is None:
            cached = self._region_docs[region] = ids_in_regions({d: m.region for d, m in self.metas.items()}, [region])
        return list(cached)

    def mentions_year(self, year: int, doc_ids: Iterable[str] | None = None) -> bool:
        """Does some (in-scope) document's text mention ``year`` (a span 2021—2025 covers 2023)?
        True when no texts were given (nothing to check against)."""
        if not self.doc_years:
            return True
        ids = list(self.doc_years) if doc_ids is None else [d for d in doc_ids if d in self.doc_years]
        return any(year in self.doc_years[d] for d in ids)
