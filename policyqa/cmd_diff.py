"""`policyqa diff DOC_A DOC_B [--format md|docx] [-o FILE]`: 修订对照 of two versions of one instrument.

DOC is a file (ingested on the fly) or a document of the corpus named by doc_id, file name or part
of its title. Articles are aligned by text, not number; the earlier version (by its own dates) is
the 原条文 column whichever order they are given in. Without ``-o`` the Markdown goes to stdout.

    policyqa diff "行政复议法(2017-09-01).md" "行政复议法(2023-09-01).md" --format docx -o 对照.docx
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    from policyqa.config import add_common_arguments

    p.add_argument("doc_a", help="earlier version: a file, or doc_id / file name / part of the title in the corpus")
    p.add_argument("doc_b", help="later version (same forms)")
    p.add_argument("--format", choices=("md", "docx"), default=None,
                   help="output format (default: from the -o suffix, else md)")
    p.add_argument("-o", "--output", type=Path, default=None, help="write to this file (default: stdout, md only)")
    add_common_arguments(p, corpus=True)


def _corpus_docs(args: argparse.Namespace) -> list[Any]:
    from index.store import corpus_files
    from ingest.pipeline import ingest_paths
    from policyqa import config

    s = config.settings_from_args(args)
    return ingest_paths(corpus_files(s.corpus_dir), config.ingest_config(s), progress=False).documents


def resolve(spec: str, args: argparse.Namespace, corpus: list[Any] | None) -> tuple[Any, list[Any]]:
    """The document ``spec`` names, and the corpus documents (ingested at most once)."""
    from ingest.pipeline import ingest_file
    from policyqa import config

    path = Path(spec)
    if path.is_file():
        docs = ingest_file(path, config.ingest_config(config.settings_from_args(args)))
        return max(docs, key=lambda d: sum(c.kind == "article" for c in d.clauses) or len(d.clauses)), corpus or []
    corpus = corpus if corpus is not None else _corpus_docs(args)
    found = [d for d in corpus if spec in (d.meta.doc_id, d.meta.source, Path(d.meta.source).stem)]
    found = found or [d for d in corpus if len(spec) >= 2 and spec in d.meta.title]
    if len(found) != 1:
        listing = "; ".join(f"{d.meta.doc_id} {d.meta.title}" for d in (found or corpus))
        what = "matches no file and no document" if not found else f"matches {len(found)} documents"
        raise ValueError(f"{spec!r} {what}; give a file path or one of: {listing}")
    return found[0], corpus


def run(args: argparse.Namespace) -> int:
    from chatbot.revision import compare_clauses
    from chatbot.revision_export import summary_line, to_markdown, write_docx, write_markdown
    from ingest.versions import sort_date

    a, corpus = resolve(args.doc_a, args, None)
    b, _ = resolve(args.doc_b, args, corpus if corpus else None)
    if sort_date(b.meta) and sort_date(a.meta) and sort_date(b.meta) < sort_date(a.meta):
        a, b = b, a
        print(f"note: {a.meta.source} is the earlier version ({sort_date(a.meta)}); compared {a.meta.source} → "
              f"{b.meta.source}", file=sys.stderr)
    rows = compare_clauses(a.clauses, b.clauses)
    old_t = f"{a.meta.title}（{sort_date(a.meta)}）" if sort_date(a.meta) else a.meta.title
    new_t = f"{b.meta.title}（{sort_date(b.meta)}）" if sort_date(b.meta) else b.meta.title
    fmt = args.format or ("docx" if args.output is not None and args.output.suffix.lower() == ".docx" else "md")
    if fmt == "docx" and args.output is None:
        raise ValueError("--format docx needs -o FILE.docx (Word files are not written to stdout)")
    if args.output is None:
        sys.stdout.write(to_markdown(rows, old_t, new_t))
        return 0
    (write_docx if fmt == "docx" else write_markdown)(rows, args.output, old_t, new_t)
    print(f"{args.output}: {summary_line(rows)}", file=sys.stderr)
    return 0
