"""`policyqa add FILE… [--corpus DIR] [--index DIR]`: add or replace documents, atomically.

Each file is copied into a staging folder and parsed there first; only files that parse are
moved into the corpus folder (a file of the same name is kept in ``<corpus>/.policyqa/trash``)
and indexed, in one transaction with the saved index. A file that fails changes nothing: an
indexed document of the same name keeps its source, its entry and its answers. Prints one
line per file; exits 1 when any file failed. Example::

    policyqa add 扬州市科普方案.docx 甘肃省若干措施.pdf --corpus data/corpus
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    from policyqa.config import add_common_arguments

    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".txt/.md/.html/.docx/.pdf files")
    add_common_arguments(p, corpus=True)
    p.add_argument("--json", action="store_true", help="print the per-file results as JSON")


def run(args: argparse.Namespace) -> int:
    from policyqa import config
    from policyqa.cmd_index import print_files

    s = config.settings_from_args(args)
    store = config.open_store(s, progress=not args.json)
    report = store.add(args.files)
    if args.json:
        json.dump({"ok": report.ok, "documents": report.documents, "changed": report.changed,
                   "files": [f.to_dict() for f in report.files]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_files(report.files)
        n_ok = sum(f.ok for f in report.files)
        print(f"已添加 {n_ok} 个文件，失败 {len(report.files) - n_ok} 个；索引共 {report.documents} 个文件。")
    return 0 if report.ok else 1
