"""A read-only view of a ``ClauseIndex`` restricted to some documents (the 问答 filters, ``--in-force``).

Everything the answerer calls (``metas``, ``search``, ``search_per_doc``,
``retrieve``, ``doc_clauses`` …) behaves as if the index held only the allowed documents; the
underlying index is not copied or changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from index.types import Scope


class FilteredIndex:
    """``FilteredIndex(index, doc_ids)``: the same query API over the documents in ``doc_ids`` only."""

    def __init__(self, index: Any, doc_ids: Iterable[str]) -> None:
        self._index = index
        self.allowed = [d for d in index.metas if d in set(doc_ids)]
        self.metas = {d: index.metas[d] for d in self.allowed}

    @property
    def all_metas(self) -> dict:
        """Every document of the underlying index (statuses are judged over the whole collection)."""
        return getattr(self._index, "all_metas", self._index.metas)

    def _scope(self, scope: Scope | None) -> Scope:
        if scope is None:
            return Scope(doc_ids=list(self.allowed) or ["\x00none"])
        ids = [d for d in scope.doc_ids if d in self.metas] if scope.doc_ids else list(self.allowed)
        return replace(scope, doc_ids=ids or ["\x00none"])  # a filter that matches nothing returns nothing

    def search(self, query: str, k: int = 10, scope: Scope | None = None, structural: bool = False) -> list:
        return self._index.search(query, k=k, scope=self._scope(scope), structural=structural)

    def search_per_doc(self, query: str, k_per_doc: int = 3, scope: Scope | None = None,
                       structural: bool = False) -> dict:
        return self._index.search_per_doc(query, k_per_doc=k_per_doc, scope=self._scope(scope), structural=structural)

    def retrieve(self, terms: str, k: int = 5, scope: Scope | None = None, per_doc: bool = False,
                 structural: bool = False) -> list:
        return self._index.retrieve(terms, k=k, scope=self._scope(scope), per_doc=per_doc, structural=structural)

    def docs_in_scope(self, scope: Scope | None) -> list[str]:
        return self._index.docs_in_scope(self._scope(scope))

    def doc_clauses(self, doc_id: str) -> list:
        return self._index.doc_clauses(doc_id)

    def __getattr__(self, name: str) -> Any:  # clauses, chunks …: the underlying index's
        return getattr(self._index, name)
