"""`policyqa index [CORPUS] --index DIR [--model NAME]`: build or incrementally update the clause index.

Only new or changed documents (by content) are embedded; documents whose file is gone are
dropped; the index directory is replaced atomically. Prints what changed, the time taken and
the size on disk. Example::

    policyqa index data/corpus --index /tmp/pq-index
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def add_arguments(p: argparse.ArgumentParser) -> None:
    from policyqa.config import add_common_arguments

    p.add_argument("corpus", nargs="?", type=Path, default=None,
                   help="folder of documents (.txt/.md/.html/.docx/.pdf; default: $POLICYQA_CORPUS or data/corpus)")
    add_common_arguments(p, corpus=False)
    add_tokenizer_argument(p)
    p.add_argument("--json", action="store_true", help="print the update report as JSON")


def add_tokenizer_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tokenizer", choices=("char", "jieba"), default=None,
                   help="BM25 tokens: character unigrams+bigrams (default) or jieba words")


def run(args: argparse.Namespace) -> int:
    from index.store import open_or_build
    from policyqa import config

    s = config.settings_from_args(args)
    corpus, index_dir = s.corpus_dir, s.index
    start = time.perf_counter()
    embedder = config.load_embedder(s, progress=not args.json)
    loaded = time.perf_counter()
    idx = open_or_build(corpus, index_dir, embedder, config.ingest_config(s), config.index_config(s),
                        progress=not args.json, index_cls=config.index_class(s, embedder))
    done = time.perf_counter()
    report = dict(idx.last_update)
    report.update(index=str(index_dir), corpus=str(corpus), model=embedder.name,
                  model_load_s=round(loaded - start, 2), index_s=round(done - loaded, 2),
                  size_bytes=dir_size(index_dir), ingest_errors=[str(e) for e in idx.ingest_errors])
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{index_dir}: {report['documents']} documents, {report['chunks']} chunks, "
              f"{report['size_bytes'] / 1e6:.1f} MB")
        for key in ("added", "changed", "removed"):
            if report[key]:
                print(f"  {key}: {', '.join(report[key])}")
        print(f"  embedded {report['embedded']} chunks in {report['index_s']:.1f} s "
              f"(model load {report['model_load_s']:.1f} s)")
        for e in report["ingest_errors"]:
            print(f"  ingest error: {e}", file=sys.stderr)
    return 1 if report["ingest_errors"] and not report["documents"] else 0
