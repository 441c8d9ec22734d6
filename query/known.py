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
from lang.words import text_bigrams


@dataclass(frozen=True)
class Known:
    """The collection as data: documents by id, every written form of every held region, and
    the years each document's text mentions (for "no document sets a figure for 2030")."""

    metas: Mapping[str, DocMeta] = field(default_factory=dict)
    forms: Mapping[str, str] = field(default_factory=dict)  # written form -> the documents' region name
    doc_years: Mapping[str, frozenset[int]] = field(default_factory=dict)
    cited: frozenset[str] = frozenset()  # titles the documents cite (《…》, squeezed): named, not held
    written: frozenset[str] = frozenset()  # every character bigram the documents' texts and titles use

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
        texts = list((doc_texts or {}).values()) + [m.title for m in ms.values()]
        return cls(ms, forms, years, frozenset(cited), frozenset(text_bigrams(texts)))

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
    def full_titles(self) -> tuple[str, ...]:
        """Every document's title as written, in collection order (what abbreviations are read against)."""
        return tuple(m.title for m in self.metas.values() if m.title)

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

    # ---- lookups the question path makes per question, built once per collection (see ``occurring``)

    @cached_property
    def order(self) -> dict[str, int]:
        """doc_id → its position in the collection (to list found documents in collection order)."""
        return {d: i for i, d in enumerate(self.metas)}

    @cached_property
    def docs_by_title(self) -> dict[str, list[str]]:
        """squeezed core title → its documents (versions of one law share a title), collection order."""
        out: dict[str, list[str]] = {}
        for d, t in self.titles.items():
            out.setdefault(t, []).append(d)
        return out

    @cached_property
    def docs_by_number(self) -> dict[str, list[str]]:
        """squeezed 文号 → its documents (documents without one are not listed)."""
        out: dict[str, list[str]] = {}
        for d, n in self.numbers.items():
            if n:
                out.setdefault(n, []).append(d)
        return out

    @cached_property
    def docs_by_title_end(self) -> dict[str, list[str]]:
        """the last four characters of a title (of four or more) → its documents."""
        out: dict[str, list[str]] = {}
        for d, t in self.titles.items():
            if len(t) >= 4:
                out.setdefault(t[-4:], []).append(d)
        return out

    def forms_of(self, region: str) -> list[str]:
        """The written forms (keys of ``forms``) that designate the held region ``region``."""
        return list(self._forms_by_region.get(region, ()))

    @cached_property
    def _forms_by_region(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for f, r in self.forms.items():
            out.setdefault(r, []).append(f)
        return out

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """parent doc_id → the documents attached to / forwarded by it."""
        out: dict[str, list[str]] = {}
        for d, m in self.metas.items():
            if m.parent_doc_id:
                out.setdefault(m.parent_doc_id, []).append(d)
        return out

    @cached_property
    def _by_prefix(self) -> dict[int, tuple[Mapping[str, object], dict[str, list[str]]]]:
        return {}

    def occurring(self, text: str, keys: Mapping[str, object]) -> set[str]:
        """The keys of ``keys`` (one of the tables above) that occur in ``text``: each key is looked
        up by its first two characters at each position of the text, not by scanning every key.

        >>> k = Known.from_metas([DocMeta("yz#0", "yz.txt", title="扬州市全民科学素质行动实施方案")])
        >>> k.occurring("扬州市全民科学素质行动实施方案的目标", k.docs_by_title)
        {'扬州市全民科学素质行动实施方案'}
        """
        held = self._by_prefix.get(id(keys))
        if held is None or held[0] is not keys:  # (the table, its prefix index): kept alive together
            prefixes: dict[str, list[str]] = {}
            for key in keys:
                if key:
                    prefixes.setdefault(key[:2], []).append(key)
            held = self._by_prefix[id(keys)] = (keys, prefixes)
        table = held[1]
        found: set[str] = set()
        for i in range(len(text)):
            for pre in (text[i:i + 1], text[i:i + 2]):  # one-character keys sit under themselves
                for key in table.get(pre, ()):
                    if text.startswith(key, i):
                        found.add(key)
        return found

    def one_title_ends(self, tail: str) -> bool:
        """Is ``tail`` the ending of one (squeezed core) title only? Memoised per collection."""
        memo = self._tail_memo
        if tail not in memo:
            memo[tail] = len({c for c in self.titles.values() if c.endswith(tail)}) == 1
        return memo[tail]

    @cached_property
    def _tail_memo(self) -> dict[str, bool]:
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
