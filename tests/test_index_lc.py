"""LangChain adapters over the clause index (hash embedder)."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda
from test_index_store import build

from index.fake import HashEmbedder
from index.lc import ClauseRetriever, PolicyEmbeddings
from index.types import Scope


def test_embeddings_adapter_returns_float_lists_of_model_dimension():
    emb = PolicyEmbeddings(HashEmbedder(dim=64))
    assert isinstance(emb, Embeddings)
    docs = emb.embed_documents(["扬州市科普基础设施", "甘肃省科普人才"])
    q = emb.embed_query("科普人才")
    assert len(docs) == 2 and all(len(v) == 64 for v in docs) and len(q) == 64
    assert all(isinstance(x, float) for x in q)


def test_retriever_returns_clause_documents_with_citation_metadata():
    r = ClauseRetriever(index=build(), k=2)
    assert isinstance(r, BaseRetriever)
    docs = r.invoke("扬州市2025年公民具备科学素质的比例")
    assert docs[0].page_content.startswith("到2025年，我市公民具备科学素质的比例超过19%")
    md = docs[0].metadata
    assert md["citation"] == "《扬州市全民科学素质行动实施方案（2021—2025年）》（扬府办发〔2022〕37号）一、"
    assert md["region"] == "扬州市" and md["score"] > 0 and md["dense_rank"] >= 1


def test_retriever_per_doc_mode_and_fixed_scope():
    r = ClauseRetriever(index=build(), k=1, mode="per_doc", scope=Scope(regions=["安徽", "甘肃"]))
    docs = r.invoke("科普人才队伍建设")
    assert {d.metadata["doc_id"] for d in docs} == {"bz#1", "gs#0"}


def test_retriever_plugs_into_a_chain():
    r = ClauseRetriever(index=build(), k=1)
    chain = r | RunnableLambda(lambda docs: docs[0].metadata["doc_id"])
    assert chain.invoke("砀山酥梨果农技术培训") == "ds#0"
