"""The plain LangChain pipeline the project is compared with, scored by the same metrics.

``RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)`` over each source file's
decoded text, ``FAISS.from_texts`` with the same embedding model (through
``index.lc.PolicyEmbeddings``), top-5 by similarity, the top chunk as the answer and its only
citation. It never refuses and ignores conversation history (it sees the question alone).
Kept in memory: no ``save_local`` / ``load_local`` (pickle).

Example:
    >>> from index.fake import HashEmbedder
    >>> bl = LangChainBaseline.from_texts({"qt.txt": "到2025年，我县公民具备科学素质的比例达到15%。"}, HashEmbedder())
    >>> ans = bl.ask("青田县公民具备科学素质的比例要达到多少？")
    >>> ans.text, ans.citations[0].doc, ans.refused
    ('到2025年，我县公民具备科学素质的比例达到15%。', 'qt.txt', False)
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from chatbot.types import Answer, AnswerSentence, Citation

NAME = "LangChain baseline (RecursiveCharacterTextSplitter 500/50 + FAISS top-5, top chunk as answer)"


def _embeddings(embedder: Any) -> Any:
    from index.lc import PolicyEmbeddings

    return PolicyEmbeddings(embedder)


def default_load_text() -> Callable[[Path], str]:
    """``ingest.load.load_text`` (handles encodings and formats) with the default IngestConfig;
    plain UTF-8 reading while ingest.load is not there."""
    from ingest.config import IngestConfig

    try:
        from ingest.load import load_text
    except ImportError:
        return lambda path: Path(path).read_text(encoding="utf-8")

    config = IngestConfig()
    return lambda path: load_text(path, config)


class LangChainBaseline:
    name = NAME

    def __init__(self, store: Any, k: int = 5, build_seconds: float = 0.0, n_chunks: int = 0) -> None:
        self.store = store
        self.k = k
        self.build_seconds = build_seconds
        self.n_chunks = n_chunks

    @classmethod
    def from_texts(
        cls, texts: Mapping[str, str], embedder: Any, chunk_size: int = 500, chunk_overlap: int = 50, k: int = 5
    ) -> LangChainBaseline:
        """Split ``{source file name: decoded text}`` and index the chunks in an in-memory FAISS store."""
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from langchain_community.vectorstores import FAISS

        t0 = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
        chunks: list[str] = []
        metas: list[dict[str, Any]] = []
        for doc, text in texts.items():
            for i, chunk in enumerate(splitter.split_text(text)):
                chunks.append(chunk)
                metas.append({"doc": doc, "chunk_id": f"{doc}#chunk{i}"})
        if not chunks:
            raise ValueError("baseline: the corpus gave no text to index")
        store = FAISS.from_texts(chunks, _embeddings(embedder), metadatas=metas)
        return cls(store, k=k, build_seconds=time.perf_counter() - t0, n_chunks=len(chunks))

    @classmethod
    def from_corpus(
        cls, corpus_dir: Path, embedder: Any, load_text: Callable[[Path], str] | None = None, **kw: Any
    ) -> LangChainBaseline:
        """Every file of the corpus directory (as ``index.store.corpus_files`` lists them), decoded by ingest."""
        from index.store import corpus_files

        read = load_text or default_load_text()
        t0 = time.perf_counter()
        texts = {p.name: read(p) for p in corpus_files(Path(corpus_dir))}
        bl = cls.from_texts(texts, embedder, **kw)
        bl.build_seconds = time.perf_counter() - t0  # reading + splitting + embedding
        return bl

    def retrieve(self, question: str) -> list[dict[str, Any]]:
        """Top-k chunks as ``Hit.to_dict()``-like dicts (score = cosine similarity, higher is better)."""
        out = []
        for d, dist in self.store.similarity_search_with_score(question, k=self.k):
            cid = d.metadata["chunk_id"]
            out.append({"chunk_id": cid, "clause_id": cid, "doc": d.metadata["doc"], "doc_id": d.metadata["doc"],
                        "title": "", "doc_number": "", "section_path": "", "text": d.page_content,
                        "score": 1.0 - float(dist) / 2.0})  # squared L2 of unit vectors → cosine
        return out

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Answer:
        """The top chunk is the answer (history ignored: the plain pipeline has no follow-up handling)."""
        hits = self.retrieve(question)
        if not hits:
            return Answer(question, question, "", [], [], refused=False, qtype="baseline")
        top = hits[0]
        cite = Citation(n=1, doc=top["doc"], doc_id=top["doc_id"], clause_id=top["clause_id"], title="",
                        doc_number="", issuers=[], date="", section_path="", text=top["text"], label=top["doc"])
        return Answer(
            question=question,
            resolved_question=question,
            text=top["text"],
            sentences=[AnswerSentence(text=top["text"], citations=[1])],
            citations=[cite],
            refused=False,
            qtype="baseline",
            retrieved=hits,
        )
