"""Configuration of the index stage (one typed dataclass, defaults measured on the bundled corpus).

Example:
    >>> IndexConfig(tokenizer="jieba").rrf_k
    60
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

TOKENIZERS = ("char", "jieba")


@dataclass
class IndexConfig:
    model: str = "multilingual-e5-small"  # embedding model name or local path (see index.models)
    rrf_k: int = 60  # reciprocal rank fusion constant: score = sum(w / (rrf_k + rank))
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    structure_weight: float = 1.0  # retrieve(): RRF weight of header/preamble/closing clauses for questions
    #                                about the document itself (文号, issuer, date, basis); 0 disables
    focus_query: bool = True  # retrieve(): drop region names already used as a filter from the query
    tokenizer: str = "char"  # "char" (NFKC character unigrams + bigrams) | "jieba"
    candidates: int = 50  # length of each ranked list (dense, lexical) fed to the fusion
    dense_kind: str = "auto"  # FAISS index: "auto" (flat below ann_threshold chunks, ivf at or above) | flat | ivf | hnsw
    ann_threshold: int = 50000
    ivf_nlist: int = 0  # IVF cells; 0 = 2·sqrt(chunks) when trained
    ivf_storage: str = "sq8"  # IVF codes: "sq8" (8-bit scalar quantiser, 4x smaller) | "flat" (fp32)
    ivf_nprobe: int = 16  # IVF cells searched per query (measured: recall@50 0.96 of exact at 100k, see index.dense)
    hnsw_m: int = 32
    hnsw_ef_search: int = 128
    bm25_max_postings: int = 300_000  # BM25 query budget: past this many (term, row) entries the most common
    #                                   query terms are skipped (never on small indexes; 0 = no budget)
    bm25_refit_fraction: float = 0.25  # appended chunks beyond this share of the last BM25 fit trigger a refit
    compact_segments: int = 32  # a save appends segment / tombstone files up to this many, then rewrites all
    compact_fraction: float = 0.25  # … or once the rows they add or remove pass this share of the base rows
    per_doc_max_docs: int = 8  # search_per_doc: clauses of the best this many documents, spread over the
    #                            scope's regions (0 = every document); bounds comparison / precedent answers
    per_doc_pool: int = 2000  # … ranked by their best chunk among this many dense + lexical candidates
    local_idf_min_rows: int = 20000  # a scope that is a sliver of an index this large (or larger) …
    local_idf_max_share: float = 0.02  # … (at most this share of its rows) is BM25-weighted by its own document
    #                                    frequencies: among 150k law chunks 条例 or 基本原则 say nothing, within one plan they do
    bm25_k1: float = 1.5
    bm25_b: float = 0.75
    lexical_field: str = "embed_text"  # what BM25 sees: "embed_text" (title + headings + text) | "text"

    def __post_init__(self) -> None:
        if self.tokenizer not in TOKENIZERS:
            raise ValueError(f"IndexConfig.tokenizer is {self.tokenizer!r}; expected one of {TOKENIZERS}")
        if self.lexical_field not in ("embed_text", "text"):
            raise ValueError(f"IndexConfig.lexical_field is {self.lexical_field!r}; expected 'embed_text' or 'text'")
        if self.rrf_k < 0 or self.candidates < 1:
            raise ValueError(f"IndexConfig needs rrf_k >= 0 and candidates >= 1; got {self.rrf_k}, {self.candidates}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> IndexConfig:
        names = {f.name for f in fields(cls)}
        d = dict(d)
        if "hnsw_threshold" in d and "ann_threshold" not in d:  # saved by format 1
            d["ann_threshold"] = d["hnsw_threshold"]
        return cls(**{k: v for k, v in d.items() if k in names})

    def dense_params(self) -> Any:
        """The ``index.dense.DenseParams`` these settings give."""
        from index.dense import DenseParams

        return DenseParams(kind=self.dense_kind, ann_threshold=self.ann_threshold, nprobe=self.ivf_nprobe,
                           nlist=self.ivf_nlist, storage=self.ivf_storage, hnsw_m=self.hnsw_m, hnsw_ef_search=self.hnsw_ef_search)

    def index_affecting(self) -> dict[str, Any]:
        """The settings baked into the persisted files (a change means re-tokenising / re-embedding)."""
        return {"model": self.model, "tokenizer": self.tokenizer, "lexical_field": self.lexical_field,
                "bm25_k1": self.bm25_k1, "bm25_b": self.bm25_b}
