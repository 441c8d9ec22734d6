"""`policyqa index [CORPUS] --index DIR [--prune] [--model NAME]`: sync the index to a corpus folder.

Only files whose stats and hash changed are parsed, only new or changed documents embedded;
the save appends a segment / tombstone list and replaces the manifest atomically (``--compact``
rewrites the whole index as one base). Nothing is dropped silently: a document whose file is gone stays indexed unless
``--prune`` is given, and a file that fails to parse keeps its indexed version. An empty or
missing corpus folder is an error (exit 2) that leaves the index untouched; any file that
failed makes the exit status 1, after a per-file summary. Example::

    policyqa index data/corpus --index /tmp/pq-index
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def add_arguments(p: argparse.ArgumentParser) -> None:
    from policyqa.config import add_common_arguments

    p.add_argument("corpus", nargs="?", type=Path, default=None,
                   help="folder of documents (.txt/.md/.html/.docx/.pdf; default: $POLICYQA_CORPUS or data/corpus)")
    add_common_arguments(p, corpus=False)
    add_tokenizer_argument(p)
    p.add_argument("--prune", action="store_true",
                   help="drop indexed documents whose file is no longer in the corpus folder")
    p.add_argument("--json", action="store_true", help="print the update report as JSON")
    p.add_argument("--compact", action="store_true",
                   help="after syncing, rewrite the index as one base (merge the segments and tombstones that "
                        "adds and removals append)")


def add_tokenizer_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tokenizer", choices=("char", "jieba"), default=None,
                   help="BM25 tokens: character unigrams+bigrams (default) or jieba words")


def print_files(files: Any) -> None:
    """The per-file summary: ✓ file → documents, clauses; ✗ file: the reason (Chinese)."""
    for f in files:
        if f.ok:
            titles = "；".join(t for t in f.titles if t)
            print(f"  ✓ {f.file}：{len(f.doc_ids)} 个文件 {f.clauses} 条" + (f"（{titles}）" if titles else ""))
        else:
            print(f"  ✗ {f.error}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from policyqa import config

    s = config.settings_from_args(args)
    start = time.perf_counter()
    embedder = config.load_embedder(s, progress=not args.json)
    loaded = time.perf_counter()
    store = config.open_store(s, progress=not args.json, embedder=embedder)
    report = store.sync(prune=args.prune)
    if args.compact:
        store.compact()
    done = time.perf_counter()
    u = report.update
    out = dict(u)
    out.update(index=str(s.index), compacted=bool(args.compact), corpus=str(s.corpus_dir), model=embedder.name,
               model_load_s=round(loaded - start, 2), index_s=round(done - loaded, 2),
               size_bytes=dir_size(s.index) if s.index.exists() else 0, kept_missing=report.kept_missing,
               files=[f.to_dict() for f in report.files],
               ingest_errors=[f.detail for f in report.files if not f.ok])
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{s.index}：{u['documents']} 个文件，{u['chunks']} 个片段，{out['size_bytes'] / 1e6:.1f} MB")
        for key, zh in (("added", "新增"), ("changed", "更新"), ("removed", "移除")):
            if u[key]:
                print(f"  {zh}：{', '.join(u[key])}")
        print(f"  嵌入 {u['embedded']} 个片段，用时 {out['index_s']:.1f} 秒（模型加载 {out['model_load_s']:.1f} 秒）")
        failed = [f for f in report.files if not f.ok]
        print(f"  解析成功 {len(report.files) - len(failed)} 个文件，失败 {len(failed)} 个"
              + ("（失败的文件已索引的版本保留不变）：" if failed else "。"))
        print_files(failed)
        if report.kept_missing:
            print(f"  注意：{len(report.kept_missing)} 个已索引文件的源文件不在语料目录中，已保留"
                  f"（{', '.join(report.kept_missing)}）；要移除它们请加 --prune。", file=sys.stderr)
    return 0 if report.ok else 1
