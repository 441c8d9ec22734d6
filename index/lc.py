"""LangChain adapters: the embedder as ``Embeddings``, the clause index as a ``BaseRetriever``.

Example:
    >>> from index.fake import HashEmbedder
    >>> len(PolicyEmbeddings(HashEmbedder()).embed_query("扬州市科普基础设施"))
    256
    >>> retriever = ClauseRetriever(index=idx, k=5)  # doctest: +SKIP
    >>> docs = retriever.invoke("甘肃的若干措施对科普人才有何规定？")  # doctest: +SKIP
    >>> docs[0].metadata["citation"]  # doctest: +SKIP
    '《甘肃省关于新时代进一步加强科学技术普及工作的若干措施》（甘科才〔2023〕1号）二、（五）'
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.types import Hit, Scope


class PolicyEmbeddings(Embeddings):
    """``Embeddings`` over an ``index.types.Embedder`` (keeps its query / passage prompts)."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.encode_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.encode_queries([text])[0].tolist()


def hit_to_document(hit: Hit) -> LCDocument:
    """A LangChain Document: the clause text, with citation fields and scores as metadata."""
    meta = hit.meta
    citation = meta.citation_label() + (hit.clause.section_path or "")
    md = hit.to_dict()
    md.pop("text", None)
    md.update(citation=citation, region=meta.region, level=meta.level, issuers=list(meta.issuers),
              date=meta.date, responsible=list(hit.clause.responsible))
    return LCDocument(page_content=hit.clause.text, metadata=md, id=hit.chunk.chunk_id)


class ClauseRetriever(BaseRetriever):
    """Retrieves clauses from a ``ClauseIndex``.

    mode ``"auto"`` and ``"search"`` use the pooled ranking (``ClauseIndex.retrieve``), ``"per_doc"``
    the best ``k`` of each in-scope document. The query string is ranked as given (the index
    never parses a question); ``scope`` is the filter.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Any
    k: int = 5
    scope: Scope | None = None
    mode: str = "auto"

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        if self.mode == "search":
            hits = self.index.search(query, k=self.k, scope=self.scope)
        elif self.mode == "per_doc":
            per = self.index.search_per_doc(query, k_per_doc=self.k, scope=self.scope)
            hits = [h for hs in per.values() for h in hs]
        elif self.mode == "auto":
            hits = self.index.retrieve(query, k=self.k, scope=self.scope)  # terms, filters, k
        else:
            raise ValueError(f"ClauseRetriever.mode is {self.mode!r}; expected 'auto', 'search' or 'per_doc'")
        return [hit_to_document(h) for h in hits]
