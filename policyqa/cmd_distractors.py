"""`policyqa eval --set NAMES --distractors 100,400,all`: answer quality among unrelated documents.

Each set runs on its own corpus, then with 100, 400 … (``all``: every cached one) documents of the
scale corpus mixed in as distractors (``eval.distractors``). The scale chunks' vectors come from
the scale embedding cache (``<cache>/scale-embeddings/<embedder>/``, filled by scripts/embed_scale.py
with the same int8 model); only documents whose chunks are all cached are mixed in, and the
report says how many of the corpus that is. Queries and the sets' own chunks are embedded by the
real model. Example::

    policyqa eval --set gold,dev --distractors 100,400,all --embed-backend onnx-int8 --out runs/mixed
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from policyqa.config import default_cache_dir, settings_from_args

DEFAULT_WORK = default_cache_dir() / "scale-work"  # filled by scripts/embed_scale.py


def run_distractors_cli(args: argparse.Namespace, root: Path) -> int:
    from eval.distractors import CachedPassageEmbedder, load_cache, parse_counts, run_distractors
    from eval.sets import parse_sets
    from index.models import load_embedder, split_backend

    counts = parse_counts(args.distractors)
    if not args.sets:
        raise ValueError("--distractors needs --set (e.g. --set gold,dev): each set runs alone and mixed")
    sets = parse_sets(args.sets, root)
    backend = settings_from_args(args).embed_backend
    model, backend = split_backend(args.model, backend)
    name = f"{model}@{backend}"
    cache_dir = default_cache_dir() / "scale-embeddings" / name.replace("/", "_")
    work = args.scale_work or DEFAULT_WORK
    for what, path in (("scale embedding cache", cache_dir / "order.json"), ("prepared scale corpus", work / "docs.jsonl")):
        if not path.is_file():
            raise FileNotFoundError(f"{what}: {path} not found; embed the scale corpus with the {name} backend first "
                                    "(or pass --scale-work DIR / --embed-backend)")
    cache = load_cache(cache_dir)
    embedder = CachedPassageEmbedder(cache, lambda: load_embedder(model, backend=backend, progress=False,
                                                                  threads=args.threads), name=name)
    out = Path(args.out or root / "runs" / time.strftime("eval-mixed-%Y%m%d-%H%M%S", time.gmtime()))
    result = run_distractors(sets, counts, embedder, out, work, cache_dir, progress=not args.no_progress)
    print(f"{result['cached_documents']} of {result['scale_documents']} scale documents cached; report: {out / 'report.md'}")
    return 0
