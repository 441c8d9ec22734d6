"""Data types produced by the ingest stage and consumed by every later stage.

They serialise to plain JSON (``to_dict`` / ``from_dict``); the JSONL schema written
by ``policyqa ingest`` is exactly ``Clause.to_dict()`` plus the document metadata
(see README, "Clause JSONL schema").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ingest.errors import PolicyQAError, ingest_zh


class IngestError(PolicyQAError):
    """A file could not be ingested. The message names the file and the reason (``zh``: in Chinese)."""

    exit_code = 3
    kind = "文件无法导入"

    def __init__(self, path: str, reason: str, hint: str = "") -> None:
        self.path = str(path)
        self.reason = reason
        self.hint = hint
        msg = f"{self.path}: {reason}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg, zh=ingest_zh(self.path, reason))


@dataclass
class DocMeta:
    """Metadata of one official document, read from its text (never invented).

    Empty string / empty list means "not stated in the text".
    """

    doc_id: str  # stable: "<source stem>#<n>" (n = position of the document in the file)
    source: str  # file name the document came from, e.g. "002_6d36f68e28e89aa5.txt"
    title: str = ""  # 《》-less title, e.g. "扬州市全民科学素质行动实施方案（2021—2025年）"
    issuers: list[str] = field(default_factory=list)  # issuing bodies, e.g. ["扬州市人民政府办公室"]
    doc_number: str = ""  # 文号, e.g. "扬府办发〔2022〕37号"
    date: str = ""  # ISO date of issue "2022-04-19", or "" when the text gives none
    region: str = ""  # e.g. "扬州市", "安徽省", "砀山县"
    level: str = ""  # "省" | "市" | "县" | "国家" | ""
    doc_type: str = ""  # "方案" | "意见" | "措施" | "通知" | "条例" | "法" | "办法" | "规划" | ...
    parent_doc_id: str = ""  # for a document forwarded by / attached to another in the same file
    content_hash: str = ""  # sha256 of the source file bytes
    # dates the text states about itself (ingest.dates); "" when not stated
    adopted: str = ""  # first 通过 / 公布 date, e.g. "1999-04-29"
    revised: list[str] = field(default_factory=list)  # 修订 / 修正 dates, e.g. ["2009-08-27", "2017-09-01"]
    version_date: str = ""  # the date of this text (latest adoption / revision), orders versions
    effective_date: str = ""  # 自…起施行, e.g. "2024-01-01"
    expires: str = ""  # 有效期至… (or effective date + 有效期N年)
    plan_period: str = ""  # "2021-2025" for a plan that states its period
    references: list[str] = field(default_factory=list)  # titles it is based on: 根据《…》, 贯彻落实《…》
    repeals: list[str] = field(default_factory=list)  # titles it repeals: 《…》同时废止

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocMeta:
        names = {f.name for f in fields(cls)}  # keys missing in older saved indexes take their defaults
        return cls(**{k: v for k, v in d.items() if k in names})

    def citation_label(self) -> str:
        """《title》（文号）, the form used in every citation.

        >>> DocMeta("a#0", "a.txt", title="甘肃省若干措施", doc_number="甘科才〔2023〕1号").citation_label()
        '《甘肃省若干措施》（甘科才〔2023〕1号）'
        """
        label = f"《{self.title or self.source}》"
        if self.doc_number:
            label += f"（{self.doc_number}）"
        return label


@dataclass(slots=True)  # no per-object __dict__: a million of them at scale
class Clause:
    """One numbered clause (or article) of a document: the unit of retrieval and citation.

    ``text`` is the display text with page-break line breaks repaired but original
    wording and punctuation kept. ``section_path`` is the numbering as written,
    concatenated from the root, e.g. ``"三、（二）2."``; ``headings`` are the heading
    texts of the ancestors, outermost first, e.g. ``["三、提升行动", "（二）农民科学素质提升行动"]``.
    """

    clause_id: str  # stable: "<doc_id>/<section path or p<n>>", unique within the corpus
    doc_id: str
    source: str
    section_path: str  # "三、（二）2." ; "第二章第十条" ; "" for preamble text
    headings: list[str]
    text: str
    responsible: list[str] = field(default_factory=list)  # 责任单位 etc., in order of appearance
    kind: str = "item"  # "item" | "article" | "preamble" | "heading" | "table" | "header" | "closing"
    start: int = 0  # character offsets of the clause in the *decoded* source text
    end: int = 0
    order: int = 0  # position of the clause within its document

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Clause:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(slots=True)  # no per-object __dict__: a million of them at scale
class Chunk:
    """What gets embedded and indexed: a clause, or a sentence-aligned part of a long one."""

    chunk_id: str  # "<clause_id>" or "<clause_id>~<part>"
    clause_id: str
    doc_id: str
    text: str  # the displayed part of the clause text
    embed_text: str  # title + heading chain + text: what the embedder / BM25 sees
    part: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Chunk:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Document:
    """A parsed document: its metadata, its clauses in reading order, and its full text."""

    meta: DocMeta
    clauses: list[Clause]
    text: str = ""  # the decoded source text of the whole file (offsets of clauses refer to it)

    def to_dict(self) -> dict[str, Any]:
        return {"meta": self.meta.to_dict(), "clauses": [c.to_dict() for c in self.clauses]}

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str = "") -> Document:
        return cls(
            meta=DocMeta.from_dict(d["meta"]),
            clauses=[Clause.from_dict(c) for c in d["clauses"]],
            text=text,
        )
