"""`policyqa bench`: the scale benchmark (real corpus, synthetic multiplication, real-model samples).

Steps (progress bars on stderr; everything lands in ``--out``: ``summary.json``, ``report.md``,
``scale.png``):

1. the scale corpus tarball is unpacked once into ``--cache`` (never the repository), or
   ``--corpus DIR`` is used as it is; it is ingested and chunked (ingest clauses/s);
2. the real model embeds ``--embed-sample`` chunks (chunks/s, query latency); those vectors seed
   the synthetic vectors of every size;
3. each size of ``--sizes`` (chunks; the real chunks first, then copies) is built and saved in
   one child process and loaded and queried in another (peak RSS of each): build and save
   time, size on disk, ``retrieve`` and full-answer p50/p95 per question type, adding one document;
4. answer quality (R@5, keyword accuracy) of the gold sets on their own corpus and with
   ``--distractors`` scale documents mixed in, real model (``--distractors 0`` skips it).

Example::

    nice -n 10 policyqa bench --sizes 10000,100000,1000000 --distractors 300 --out runs/bench
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TAR = ROOT.parent / "shared" / "scale-corpus" / "lawrefbook-2f4c5c2.tar.xz"
GOLD_SETS = (("gold", ROOT / "eval" / "gold.jsonl", ROOT / "data" / "corpus"),
             ("heldout", ROOT / "eval" / "gold_heldout.jsonl", ROOT / "tests" / "fixtures" / "heldout"))


def add_arguments(p: argparse.ArgumentParser) -> None:
    from policyqa.config import default_cache_dir

    p.add_argument("--corpus-tar", type=Path, default=DEFAULT_TAR, help="scale corpus tarball (.tar.xz)")
    p.add_argument("--corpus", type=Path, default=None, help="use this folder instead of the tarball")
    p.add_argument("--cache", type=Path, default=default_cache_dir() / "scale-corpus",
                   help="where the tarball is unpacked (default: <user cache>/policyqa/scale-corpus)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: runs/bench-<UTC time>)")
    p.add_argument("--sizes", default="10000,100000,1000000",
                   help="index sizes in chunks, comma-separated ('none': only the quality run)")
    p.add_argument("--work", type=Path, default=None,
                   help="working folder (prepared corpus, indexes); reused when it holds an earlier run's prepare.json")
    p.add_argument("--limit-files", type=int, default=0, help="ingest only N files spread over the corpus (0 = all)")
    p.add_argument("--embed-sample", type=int, default=256, help="chunks embedded with the real model")
    p.add_argument("--distractors", type=int, default=300,
                   help="scale documents mixed into each gold set's corpus for the quality run (0 = skip it)")
    p.add_argument("--questions", type=int, default=56,
                   help="gold questions timed per size (spread over the 7 types; 8 questions about the "
                        "index's own documents are added)")
    p.add_argument("--model", default=None, help="embedding model (as for policyqa index)")
    p.add_argument("--fake-model", action="store_true", help=argparse.SUPPRESS)  # tests: the hash embedder
    p.add_argument("--no-progress", action="store_true", help="no progress bars")


def _questions(n: int) -> list[dict[str, Any]]:
    """Up to ``n`` gold questions, round-robin over types (follow-ups with their history)."""
    from eval.latency import gold_questions

    return gold_questions([gold for _, gold, _ in GOLD_SETS], n)


def _embedder(args: argparse.Namespace) -> Any:
    if args.fake_model:
        from index.fake import HashEmbedder

        return HashEmbedder(dim=64)
    from policyqa import config

    return config.load_embedder(config.settings_from_args(args), progress=not args.no_progress)


def _child(task: str, *a: Any) -> dict[str, Any]:
    from eval import scale

    return scale.build_size(*a) if task == "build" else scale.serve_size(*a)


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from eval import scale, scale_report
    from index.config import IndexConfig
    from ingest.config import IngestConfig

    progress = not args.no_progress
    sizes = [] if args.sizes == "none" else [int(s) for s in args.sizes.split(",") if s.strip()]
    if (not sizes and args.sizes != "none") or min(sizes, default=1) <= 0:
        raise ValueError(f"--sizes {args.sizes!r}: expected positive chunk counts such as 10000,100000 (or none)")
    out = args.out or ROOT / "runs" / time.strftime("bench-%Y%m%d-%H%M%S", time.gmtime())
    work = args.work or out / "work"
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus or scale.extract_corpus(args.corpus_tar, args.cache)
    ingest_cfg, index_cfg = IngestConfig(), IndexConfig()
    summary: dict[str, Any] = {"corpus": str(corpus), "machine": f"{os.cpu_count()} CPUs, load average "
                               f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at start"}
    summary["change_check"] = scale.change_check(corpus, ingest_cfg)
    embedder = _embedder(args)
    questions = _questions(args.questions)
    if sizes:
        prepared = work / "prepare.json"
        if args.work is not None and prepared.is_file():  # an earlier run's ingest + chunks, reused
            summary["prepare"] = json.loads(prepared.read_text(encoding="utf-8"))
        else:
            summary["prepare"] = scale.prepare(corpus, work, ingest_cfg, args.limit_files, progress)
            prepared.write_text(json.dumps(summary["prepare"]), encoding="utf-8")
        docs, chunks = scale.load_prepared(work)
        texts = [c.embed_text or c.text for d in docs for c in chunks[d.meta.doc_id]]
        sample = scale.every_nth(texts, args.embed_sample)  # type: ignore[arg-type]
        emb = scale_report.embedding_speed(embedder, sample, [q["question"] for q in questions[:20]])
        np.save(work / "sample_vectors.npy", emb.pop("vectors"), allow_pickle=False)
        summary["embedding"] = emb
        summary["sizes_note"] = (f"Sizes beyond the real {summary['prepare']['chunks']:,} chunks are copies of the real "
                                 "documents (copy number in the title). Vectors are synthetic for every size (a real "
                                 f"e5 vector of the {len(sample)}-chunk sample plus noise): embedding a million chunks "
                                 "is impossible here, so latencies exclude the query embedding (measured above). "
                                 f"{len(questions)} gold questions per size (follow-ups with their history) and 8 questions "
                                 "about documents of the index (文号, issuer, date; eval.latency); retrieve = "
                                 "ClauseIndex.retrieve(k=5), answer = chatbot.answer.answer; add 1 doc = ClauseIndex.add of one new document "
                                 "(in memory, embedding excluded), save = the atomic save after it.")
    summary["sizes"] = []
    ctx = get_context("spawn")
    for size in sizes:
        index_dir = work / f"index-{size}"
        row: dict[str, Any] = {"size": size}
        for task, a in (("build", (work, size, index_dir, index_cfg, progress)),
                        ("serve", (work, index_dir, questions, index_cfg))):
            with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
                print(f"bench: {task} {size:,} chunks …", file=sys.stderr, flush=True)
                row[task] = pool.submit(_child, task, *a).result()
        summary["sizes"].append(row)
        _write(out, summary)
    if args.distractors > 0:
        from index.store import corpus_files

        extra = scale.every_nth(corpus_files(corpus), args.distractors)
        cached = scale_report.CachingEmbedder(embedder)
        summary["quality"] = [scale_report.quality_run(name, gold, gcorpus, extra, cached, out, ingest_cfg, index_cfg,
                                                       progress) for name, gold, gcorpus in GOLD_SETS]
        summary["quality_note"] = (f"{len(extra)} scale files spread evenly over the corpus, real model "
                                   f"({embedder.name}), every chunk embedded ({cached.encoded:,} distinct passages).")
    summary["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    _write(out, summary)
    print(f"report: {out / 'report.md'}")
    return 0


def _write(out: Path, summary: dict[str, Any]) -> None:
    from eval.scale_report import plot_scale, render

    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    plot_scale(summary.get("sizes") or [], out / "scale.png")
    (out / "report.md").write_text(render(summary), encoding="utf-8")
