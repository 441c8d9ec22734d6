"""Precedent search: a topic or phrase → the verbatim clauses of each document that address it.

Used by the app's 先例 tab (side-by-side columns, one per document) and its Markdown / .docx
export. Retrieval is ``index.search_per_doc``; filtering by region / level / type is a ``Scope``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from chatbot.render import clause_label
from index.types import Hit, Scope
from ingest.types import Clause, DocMeta

LEVEL_ORDER = {"国家": 0, "省": 1, "市": 2, "县": 3}


class PrecedentItem(NamedTuple):
    clause: Clause
    label: str  # 《title》（文号）section path
    score: float


@dataclass
class PrecedentGroup:
    meta: DocMeta
    items: list[PrecedentItem] = field(default_factory=list)

    @property
    def best(self) -> float:
        return max((it.score for it in self.items), default=0.0)


class PerDocSearcher(Protocol):
    def search_per_doc(
        self, query: str, k_per_doc: int = 3, scope: Scope | None = None
    ) -> dict[str, list[Hit]]: ...


def group_sort_key(meta: DocMeta) -> tuple[Any, ...]:
    """省 → 市 → 县 (国家 first, unknown last), then region, then date."""
    return (LEVEL_ORDER.get(meta.level, 9), meta.region, meta.date, meta.doc_id)


def relevance_filter(hits: list[Hit], lexical_ratio: float = 0.25, dense_margin: float = 0.015):
    """Keep hits that really address the topic, judged against the best hit of any document.

    ``search_per_doc`` returns the top clauses of *every* document, relevant or not; RRF scores
    are rank-based and cannot tell. A hit stays when its BM25 score is at least ``lexical_ratio``
    of the best one, or its dense similarity is within ``dense_margin`` of the best one (for
    paraphrases that share no words). Hits without either score are kept.
    """
    lex = [h.lexical_score for h in hits if h.lexical_score is not None]
    den = [h.dense_score for h in hits if h.dense_score is not None]
    max_lex = max(lex, default=0.0)
    max_den = max(den, default=None)
    if max_lex <= 0 and max_den is None:
        return lambda h: True

    def keep(h: Hit) -> bool:
        if max_lex > 0 and h.lexical_score is not None and h.lexical_score >= lexical_ratio * max_lex:
            return True
        return max_den is not None and h.dense_score is not None and h.dense_score >= max_den - dense_margin

    return keep


def find_precedents(
    topic: str,
    index: PerDocSearcher,
    scope: Scope | None = None,
    k_per_doc: int = 3,
    min_score: float | None = None,
    lexical_ratio: float = 0.25,
    dense_margin: float = 0.015,
) -> list[PrecedentGroup]:
    """Clauses of every document in ``scope`` that address ``topic``, grouped by document.

    Clause text is verbatim (``Clause.text``); a clause hit through several chunks appears once,
    at its best score, and items keep document order so a column reads like the document.
    Documents whose clauses do not address the topic (see :func:`relevance_filter`) are left out.
    """
    topic = (topic or "").strip()
    if not topic:
        return []
    per_doc = index.search_per_doc(topic, k_per_doc=k_per_doc, scope=scope)
    relevant = relevance_filter([h for hs in per_doc.values() for h in hs], lexical_ratio, dense_margin)
    groups: list[PrecedentGroup] = []
    for hits in per_doc.values():
        best: dict[str, Hit] = {}
        for h in hits:
            if (min_score is not None and h.score < min_score) or not relevant(h):
                continue
            cid = h.clause.clause_id
            if cid not in best or h.score > best[cid].score:
                best[cid] = h
        if not best:
            continue
        chosen = sorted(best.values(), key=lambda h: (h.clause.order, h.clause.clause_id))
        meta = chosen[0].meta
        items = [PrecedentItem(h.clause, clause_label(meta, h.clause), float(h.score)) for h in chosen]
        groups.append(PrecedentGroup(meta=meta, items=items))
    groups.sort(key=lambda g: group_sort_key(g.meta))
    return groups


def scope_from_filters(
    regions: list[str] | None = None,
    levels: list[str] | None = None,
    doc_types: list[str] | None = None,
) -> Scope | None:
    """A Scope from the precedent tab's filters (empty → no filter)."""
    scope = Scope(regions=list(regions or []), levels=list(levels or []), doc_types=list(doc_types or []))
    return None if scope.is_empty() else scope


def filter_choices(metas: dict[str, DocMeta]) -> dict[str, list[str]]:
    """Choices for the region / level / type filters, read from the index's metadata."""
    levels = sorted({m.level for m in metas.values() if m.level}, key=lambda x: (LEVEL_ORDER.get(x, 9), x))
    return {
        "regions": sorted({m.region for m in metas.values() if m.region}),
        "levels": levels,
        "doc_types": sorted({m.doc_type for m in metas.values() if m.doc_type}),
    }
