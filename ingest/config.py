"""Configuration of the ingest stage (a plain dataclass; nothing here reads env or globals).

>>> IngestConfig().max_chunk_tokens
512
"""

from __future__ import annotations

from dataclasses import dataclass, field

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")


@dataclass
class IngestConfig:
    """Knobs of loading, parsing and chunking. Defaults suit Chinese 公文 and laws.

    - ``max_chunk_tokens``: token budget (tiktoken ``encoding_name``) of one chunk's *text*; longer
      clauses are split at sentence boundaries (the title/heading prefix of ``embed_text`` is extra).
    - ``max_file_mb``: files larger than this are refused with an ``IngestError`` before being read
      (bounded memory); raise it (``policyqa ingest --max-file-mb``) for genuinely large documents.
    - ``labels``: words that, followed by ``：`` at the start of a paragraph, act as an unnumbered
      grouping level (e.g. ``任务：`` / ``措施：1.…``); they appear in the heading chain, not in the path.
    - ``artefact_patterns``: regexes of conversion artefacts removed from the text before parsing.
    - ``min_pdf_chars_per_page``: below this many extracted characters per page a PDF is treated as
      having no text layer (scanned) and refused with an "OCR needed" error.
    - ``skip_prefixes``: files whose names start with one of these (e.g. ``README``) are skipped
      when a *directory* is ingested (they document the corpus); hidden files are always skipped.
    """

    max_chunk_tokens: int = 512
    encoding_name: str = "cl100k_base"
    max_file_mb: float = 20.0
    labels: tuple[str, ...] = (
        "任务", "措施", "目标", "要求", "主要任务", "主要措施", "重点任务", "工作任务", "工作措施",
        "具体措施", "工作目标", "主要目标", "发展目标", "工作要求", "责任分工", "保障措施",
    )
    artefact_patterns: tuple[str, ...] = (
        r"\[bookmark:[^\]\n]*\]",
        r"\{#[^}\n]*\}",
        r"<!--.*?-->",
    )
    heading_max_chars: int = 40
    title_max_chars: int = 90
    min_pdf_chars_per_page: int = 10
    skip_prefixes: tuple[str, ...] = ("README",)
    suffixes: tuple[str, ...] = field(default_factory=lambda: SUPPORTED_SUFFIXES)
