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
from typing import Any


def default_corpus() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "corpus"


def default_index_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("policyqa")) / "index"


def make_embedder(model: str) -> Any:
    """The embedding model (index.models.load_embedder), imported only when needed."""
    from index import models

    return models.load_embedder(model)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", type=Path, default=None, metavar="DIR",
                   help="index folder (default: the user cache folder …/policyqa/index)")
    p.add_argument("--model", default="multilingual-e5-small",
                   help="embedding model: multilingual-e5-small (default) or a local sentence-transformers folder")
    p.add_argument("--tokenizer", choices=("char", "jieba"), default="char",
                   help="BM25 tokens: character unigrams+bigrams (default) or jieba words")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", type=Path, default=None,
                   help="folder of documents (.txt/.md/.html/.docx/.pdf; default: the bundled corpus)")
    add_common(p)
    p.add_argument("--json", action="store_true", help="print the update report as JSON")


def run(args: argparse.Namespace) -> int:
    from index.config import IndexConfig
    from index.store import open_or_build

    corpus = args.corpus or default_corpus()
    index_dir = args.index or default_index_dir()
    start = time.perf_counter()
    embedder = make_embedder(args.model)
    loaded = time.perf_counter()
    idx = open_or_build(corpus, index_dir, embedder, None, IndexConfig(model=args.model, tokenizer=args.tokenizer),
                        progress=not args.json)
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
