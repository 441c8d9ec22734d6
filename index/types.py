"""Data types produced by the index stage: search hits, scopes, and the embedder protocol."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

from ingest.errors import PolicyQAError
from ingest.types import Chunk, Clause, DocMeta


class IndexError_(PolicyQAError):
    """The index on disk is missing, corrupt or incompatible. The message says how to rebuild."""

    exit_code = 4
    kind = "索引无法使用"


class IndexMissing(IndexError_):
    """There is no index at the given folder."""


class IndexCorrupt(IndexError_):
    """The index folder is incomplete, truncated, bit-flipped or inconsistent."""


class IndexIncompatible(IndexError_):
    """The index was built with another embedding model or index format."""


class Embedder(Protocol):
    """What the index needs from an embedding model. Vectors are L2-normalised float32."""

    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray: ...


@dataclass
class Scope:
    """Filters derived from a question or given explicitly. Empty lists mean "no filter"."""

    doc_ids: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)
    date_from: str = ""  # ISO dates, inclusive
    date_to: str = ""
    # What the question named that the corpus does not hold (e.g. "浙江", "2030年"):
    unknown_mentions: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)  # years the question names, e.g. ["2025"]

    def is_empty(self) -> bool:
        return not (self.doc_ids or self.regions or self.levels or self.doc_types or self.date_from or self.date_to)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Hit:
    """One retrieved chunk with its clause, document metadata and the scores that ranked it."""

    chunk: Chunk
    clause: Clause
    meta: DocMeta
    score: float  # fused score (higher is better)
    dense_rank: int | None = None  # 1-based rank in the dense list, None if absent
    dense_score: float | None = None
    lexical_rank: int | None = None
    lexical_score: float | None = None

    @classmethod
    def of_clause(cls, clause: Clause, meta: DocMeta, score: float = 0.0) -> Hit:
        """A hit for a whole clause reached without ranking (the document structure, a lookup): its
        one chunk is the clause itself."""
        chunk = Chunk(chunk_id=clause.clause_id, clause_id=clause.clause_id, doc_id=clause.doc_id, text=clause.text,
                      embed_text="")
        return cls(chunk=chunk, clause=clause, meta=meta, score=score)

    def to_dict(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk.chunk_id,
            "clause_id": self.clause.clause_id,
            "doc": self.meta.source,
            "doc_id": self.meta.doc_id,
            "title": self.meta.title,
            "doc_number": self.meta.doc_number,
            "section_path": self.clause.section_path,
            "text": self.clause.text,
            "score": self.score,
            "dense_rank": self.dense_rank,
            "dense_score": self.dense_score,
            "lexical_rank": self.lexical_rank,
            "lexical_score": self.lexical_score,
        }
