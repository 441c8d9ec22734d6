"""Scopes: which documents a search may return. The index filters; it never reads a question
(what a question names is the query stage's work: ``query.understand``).

Region filters are strict (a document is in a region's scope by its own ``region``, in any of the
lexicon's forms: 新疆 / 新疆自治区 / 新疆维吾尔自治区); a document named by id brings along the
documents attached to or forwarded by it.

>>> from ingest.types import DocMeta
>>> metas = {"xj#0": DocMeta("xj#0", "xj.txt", region="新疆维吾尔自治区"), "yz#0": DocMeta("yz#0", "yz.txt", region="扬州市")}
>>> sorted(scope_doc_ids(metas, Scope(regions=["新疆自治区"])))
['xj#0']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from index.types import Scope
from ingest.types import DocMeta
from lang.divisions import ids_in_regions, same_region
from lang.text import core_title


def region_matches(wanted: str, region: str) -> bool:
    """Does a region filter value (full or short form) designate this document region?

    >>> region_matches("吉林", "吉林省"), region_matches("吉林市", "吉林省")
    (True, False)
    """
    return same_region(wanted, region)


def docs_in_regions(metas: Mapping[str, DocMeta], regions: Sequence[str]) -> list[str]:
    """Ids of the documents whose region one of ``regions`` designates, in order; each distinct
    document region is compared once (thousands of documents share a few dozen regions).

    >>> docs_in_regions({"a": DocMeta("a", "a.txt", region="吉林省"), "b": DocMeta("b", "b.txt", region="甘肃省")}, ["吉林"])
    ['a']
    """
    return ids_in_regions({d: m.region for d, m in metas.items()}, regions)


def doc_matches(meta: DocMeta, scope: Scope, region_memo: dict[str, bool] | None = None) -> bool:
    """Does one document pass every non-empty filter of the scope (without parent expansion)?
    ``region_memo`` keeps the region test's result per document region (one scope, many documents)."""
    if scope.doc_ids and meta.doc_id not in scope.doc_ids:
        return False
    if scope.regions:
        ok = region_memo.get(meta.region) if region_memo is not None else None
        if ok is None:
            ok = any(region_matches(r, meta.region) for r in scope.regions)
            if region_memo is not None:
                region_memo[meta.region] = ok
        if not ok:
            return False
    if scope.levels and meta.level not in scope.levels:
        return False
    if scope.doc_types and not any(t and (meta.doc_type == t or core_title(meta.title).endswith(t))
                                   for t in scope.doc_types):
        return False
    if scope.date_from and not (meta.date and meta.date >= scope.date_from):
        return False
    if scope.date_to and not (meta.date and meta.date <= scope.date_to):
        return False
    return True


def scope_doc_ids(metas: Mapping[str, DocMeta], scope: Scope | None) -> set[str] | None:
    """Documents in scope (None: no filter).

    A region filter is strict: a document is in it only by its own region (a city notice
    forwarding a provincial plan is the city's; the plan is the province's). A document named
    by id brings along the documents attached to / forwarded by it (``parent_doc_id``).
    """
    if scope is None or scope.is_empty():
        return None
    memo: dict[str, bool] = {}
    if scope.doc_ids and not scope.regions:  # only the named documents can pass: look them up, not every document
        named_metas = [metas[d] for d in dict.fromkeys(scope.doc_ids) if d in metas]
        ok = {m.doc_id for m in named_metas if doc_matches(m, scope)}
    else:
        ok = {d for d, m in metas.items() if doc_matches(m, scope, memo)}
    if scope.doc_ids:
        named = set(scope.doc_ids)
        base = Scope(levels=scope.levels, doc_types=scope.doc_types, date_from=scope.date_from, date_to=scope.date_to)
        ok |= {d for d, m in metas.items() if m.parent_doc_id in named and doc_matches(m, base)}
    return ok
