"""Data types produced by the chatbot stage: cited answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    """A numbered source of an answer: one clause, with everything needed to cite it."""

    n: int  # the [n] marker used in the answer text
    doc: str  # source file name
    doc_id: str
    clause_id: str
    title: str
    doc_number: str
    issuers: list[str]
    date: str
    section_path: str
    text: str  # the clause text (verbatim, display form)
    label: str = ""  # 《title》（文号）section path, ready to print
    # validity against the answer's today (ingest.status): 现行有效 / 已被修订 / 已废止 / 规划期已结束 / 尚未施行
    status: str = ""
    effective_date: str = ""
    superseded_by: str = ""  # doc_id of the later version in force
    status_note: str = ""  # e.g. "规划期2021—2025年已结束", "已被2023年版修订（2023-09-01）"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AnswerSentence:
    text: str
    citations: list[int]  # the [n] markers that support this sentence


@dataclass
class Answer:
    question: str  # as asked
    resolved_question: str  # after follow-up resolution
    text: str  # full answer text with [n] markers
    sentences: list[AnswerSentence]
    citations: list[Citation]
    refused: bool = False
    related: list[Citation] = field(default_factory=list)  # shown when refused: near, not the answer
    qtype: str = ""  # detected question type: fact|number|responsible|compare|precedent|...
    retrieved: list[dict[str, Any]] = field(default_factory=list)  # Hit.to_dict() of what was retrieved
    warnings: list[str] = field(default_factory=list)  # e.g. LLM output check flags
    scope: dict[str, Any] = field(default_factory=dict)
    # why it was refused (empty when answered): unknown_place | unknown_year | year_mismatch |
    # no_figure | region_mismatch | low_relevance | llm_refused
    refusal_reason: str = ""
    understood: str = ""  # the Query as the 理解为 line shows it (query.Query.describe)
    support: float = 0.0  # lexical support of the best clause (0..1) that the low-relevance rule compares

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
