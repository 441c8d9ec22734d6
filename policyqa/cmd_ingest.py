"""`policyqa ingest PATH... --out DIR`: parse documents into clauses (JSONL) and print a summary.

Writes ``DIR/clauses.jsonl`` (one JSON object per clause, UTF-8, documents in input order, clauses in
reading order), ``DIR/documents.jsonl`` (one ``DocMeta`` per document) and ``DIR/status.json`` (one
row per document from ``ingest.status.document_status_rows`` on today — ``POLICYQA_TODAY`` or
``--today``: status 现行有效 / 已被修订 / 已废止 / 尚未施行 / 已失效 / 规划期已结束, effective_date,
superseded_by, version_group, references …). All are written atomically (temp file + ``os.replace``).

Clause JSONL schema (``Clause.to_dict()`` plus the document metadata):

=============== ======== ==================================================================
field           type     meaning
=============== ======== ==================================================================
clause_id       str      ``<doc_id>/<section_path or p<order>>`` (``@<order>`` added if repeated)
doc_id          str      ``<file stem>#<n>``, n = position of the document in its file
source          str      file name
section_path    str      numbering from the root in one display form: ``三、（二）2.``,
                         ``第二章第十条``; ``""`` for preamble / header / closing text
headings        [str]    heading texts of the enclosing levels as written, outermost first
text            str      clause text: original wording, page-break line breaks repaired,
                         paragraphs joined by ``\\n``; table rows: header row + ``\\n`` + row
responsible     [str]    responsible units named by the clause (责任单位/牵头单位/配合单位…)
kind            str      item | article | preamble | header | table | heading | closing
start, end      int      character offsets of the clause in the decoded source text
order           int      position of the clause in its document
title           str      document title (no 《》)
issuers         [str]    issuing bodies
doc_number      str      文号, e.g. ``扬府办发〔2022〕37号``; ``""`` when the text gives none
date            str      ISO date of issue; ``""`` when the text gives none
region, level   str      e.g. ``扬州市`` / ``市``; level is 国家 | 省 | 市 | 县 | ""
doc_type        str      方案 | 意见 | 措施 | 通知 | 条例 | 法 | 办法 | 规划 | … | ""
parent_doc_id   str      the document that forwards / lists this one in the same file
content_hash    str      sha256 of the source file bytes
adopted         str      first 通过 / 公布 date stated in the text (ISO) or ``""``
revised         [str]    修订 / 修正 dates of the adoption history
version_date    str      date of this text (latest adoption / revision date), orders versions
effective_date  str      自…起施行 (ISO) or ``""``
expires         str      有效期至… (or effective date + 有效期N年) or ``""``
plan_period     str      ``2021-2025`` when the title (or a 规划期为… line) states one
references      [str]    titles it is based on / carries out: 根据《…》, 依据, 贯彻落实, 转发
repeals         [str]    titles it repeals: 《…》同时废止
=============== ======== ==================================================================

Exit codes: 0 every file ingested; 1 some files failed (their errors are printed, one line each,
and the other files are still written); 2 usage error or nothing ingested at all.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import unicodedata
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="files (.txt .md .html .docx .pdf) or directories (walked recursively)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR",
                   help="output directory for clauses.jsonl and documents.jsonl")
    p.add_argument("--max-file-mb", type=float, default=None, metavar="N",
                   help="refuse files larger than N MB (default 20)")
    p.add_argument("--max-chunk-tokens", type=int, default=None, metavar="N",
                   help="token budget per chunk, shown in the summary (default 512)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--today", default=None, metavar="YYYY-MM-DD",
                   help="judge document status on this day (default: $POLICYQA_TODAY or the system date)")


def _atomic_write_lines(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_write_json(path: Path, obj: object) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _today(value: str) -> str:
    from ingest.status import parse_today

    try:
        return parse_today(value)
    except ValueError as exc:
        raise ValueError(f"--today: {exc}") from exc


def clause_rows(documents: list) -> list[dict]:
    """One JSON-able row per clause: clause fields plus document metadata (see schema)."""
    rows = []
    for d in documents:
        m = d.meta.to_dict()
        m.pop("doc_id")
        m.pop("source")
        for c in d.clauses:
            rows.append({**c.to_dict(), **m})
    return rows


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def summary_table(documents: list, statuses: dict | None = None) -> str:
    """Per-document summary: clauses, clauses with responsible units, the metadata found and the status."""
    statuses = statuses or {}
    head = ["doc_id", "clauses", "resp", "文号", "date", "region", "level", "type", "status", "title"]
    rows = [[d.meta.doc_id, str(len(d.clauses)), str(sum(1 for c in d.clauses if c.responsible)),
             d.meta.doc_number or "-", d.meta.date or "-", d.meta.region or "-", d.meta.level or "-",
             d.meta.doc_type or "-", statuses.get(d.meta.doc_id, {}).get("status", "-"),
             _cut(d.meta.title or "-", 40)] for d in documents]
    widths = [max(_width(r[i]) for r in [head] + rows) for i in range(len(head))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in [head] + rows]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ingest.config import IngestConfig
    from ingest.pipeline import ingest_paths

    cfg = IngestConfig()
    if args.max_file_mb is not None:
        cfg.max_file_mb = args.max_file_mb
    if args.max_chunk_tokens is not None:
        cfg.max_chunk_tokens = args.max_chunk_tokens
    missing = [p for p in args.paths if not p.exists()]
    for p in missing:
        print(f"policyqa ingest: error: {p}: no such file or directory", file=sys.stderr)
    result = ingest_paths([p for p in args.paths if p.exists()], cfg, progress=not args.no_progress)
    for err in result.errors:
        print("policyqa ingest: error: " + " ".join(str(err).split()), file=sys.stderr)
    if not result.documents:
        print("policyqa ingest: nothing ingested", file=sys.stderr)
        return 2
    _atomic_write_lines(args.out / "clauses.jsonl", clause_rows(result.documents))
    _atomic_write_lines(args.out / "documents.jsonl", [d.meta.to_dict() for d in result.documents])
    from ingest.status import document_status_rows
    from policyqa.config import settings_from_env

    today = settings_from_env().today_iso if args.today is None else _today(args.today)
    status_rows = document_status_rows([d.meta for d in result.documents], today)
    _atomic_write_json(args.out / "status.json", {"today": today, "documents": status_rows})
    print(summary_table(result.documents, {r["doc_id"]: r for r in status_rows}))
    n_clauses = sum(len(d.clauses) for d in result.documents)
    print(f"\n{len(result.files)} files, {len(result.documents)} documents, {n_clauses} clauses -> "
          f"{args.out / 'clauses.jsonl'}; {len(result.errors) + len(missing)} failed, "
          f"{len(result.skipped)} skipped")
    return 1 if (result.errors or missing) else 0
