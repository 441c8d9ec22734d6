"""`policyqa remove DOC [--corpus DIR] [--index DIR]`: remove a document from the corpus and the index.

DOC is a document id (``policyqa docs``), a stored file name or the original upload name. The
whole source file goes (every document it holds), in one transaction with the saved index; the
file is kept in ``<corpus>/.policyqa/trash``. Example::

    policyqa remove 002_6d36f68e28e89aa5#0
"""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    from policyqa.config import add_common_arguments

    p.add_argument("doc", metavar="DOC", help="document id, file name or original upload name")
    add_common_arguments(p, corpus=True)


def run(args: argparse.Namespace) -> int:
    from policyqa import config

    s = config.settings_from_args(args)
    store = config.open_store(s, progress=False)
    report = store.remove(args.doc)
    for f in report.files:
        titles = "；".join(t for t in f.titles if t)
        print(f"已移除 {f.file}（{', '.join(f.doc_ids)}" + (f"：{titles}" if titles else "") + "）；"
              f"源文件保存在 {s.corpus_dir / '.policyqa' / 'trash'}。索引共 {report.documents} 个文件。")
    return 0 if report.ok else 1
