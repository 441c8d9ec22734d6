"""Fill the scale embedding cache that `policyqa eval --distractors` reads (a long, resumable job).

Embeds the chunks of the scale corpus (../shared/scale-corpus, unpacked into the cache by
`policyqa bench`) with the int8 e5 model, the documents most relevant to the gold sets' questions
(BM25) first, so a partial cache already holds the most competitive distractors. Stop it at any
time; run it again to go on::

    nice -n 10 .venv/bin/python scripts/embed_scale.py      # ~150k chunks: hours on 2 cores

Output (each shard written to a temp name, then renamed):
  <cache>/scale-embeddings/<embedder>/shard-NNNNN.npz  keys (sha1 hex of a chunk's embed_text), vecs float32
  <cache>/scale-embeddings/<embedder>/order.json       document ids in embedding order
  <cache>/scale-work/{docs,chunks}.jsonl               the prepared corpus (eval.scale.prepare)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval import scale  # noqa: E402
from eval.distractors import load_cache, text_key  # noqa: E402
from ingest.config import IngestConfig  # noqa: E402
from policyqa.cmd_bench import DEFAULT_TAR  # noqa: E402
from policyqa.config import default_cache_dir  # noqa: E402

SHARD = 512


def relevance_order(docs: list, chunks: dict, questions: list[str], depth: int = 60) -> list[str]:
    """Document ids: round-robin over each question's BM25 ranking of documents, then the rest at random."""
    from index.lexical import LexicalIndex

    ids = [d.meta.doc_id for d in docs]
    texts = [" ".join([d.meta.title] + [c.embed_text for c in chunks[d.meta.doc_id][:60]]) for d in docs]
    lex = LexicalIndex().fit(texts)
    ranks = [np.argsort(-lex.scores(q))[:depth] for q in questions]
    seen: set[int] = set()
    order: list[str] = []
    for r in range(depth):
        for rk in ranks:
            i = int(rk[r])
            if i not in seen:
                seen.add(i)
                order.append(ids[i])
    rng = np.random.default_rng(0)
    return order + [ids[i] for i in rng.permutation(len(ids)) if i not in seen]


def main() -> int:
    from tqdm import tqdm

    from index.onnx_embed import load_onnx_embedder

    cache = default_cache_dir()
    work = cache / "scale-work"
    if not (work / "chunks.jsonl").is_file():  # unpacked where `policyqa bench` unpacks it (once)
        corpus = scale.extract_corpus(DEFAULT_TAR, cache / "scale-corpus")
        print(scale.prepare(corpus, work, IngestConfig(), progress=True), file=sys.stderr)
    docs, chunks = scale.load_prepared(work)
    emb = load_onnx_embedder(progress=False, threads=int(os.environ.get("EMBED_THREADS", "0")))
    out = cache / "scale-embeddings" / emb.name.replace("/", "_")
    out.mkdir(parents=True, exist_ok=True)
    order_path = out / "order.json"
    if order_path.is_file():
        order = json.loads(order_path.read_text(encoding="utf-8"))
    else:
        questions = [json.loads(line)["question"] for f in sorted((ROOT / "eval").glob("gold*.jsonl"))
                     for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        order = relevance_order(docs, chunks, questions)
        tmp = order_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(order, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, order_path)
    done = set(load_cache(out))
    pending: list[tuple[str, str]] = []
    for did in order:
        for c in chunks.get(did, []):
            k = text_key(c.embed_text)
            if k not in done:
                done.add(k)
                pending.append((k, c.embed_text))
    n_shard = len(list(out.glob("shard-*.npz")))
    bar = tqdm(total=len(done), initial=len(done) - len(pending), desc="embed scale corpus", unit="chunk", file=sys.stderr)
    for s in range(0, len(pending), SHARD):
        part = pending[s : s + SHARD]
        vecs = emb.encode_passages([t for _, t in part])
        tmp = out / f".tmp-{n_shard:05d}.npz"
        np.savez(tmp, keys=np.array([k for k, _ in part]), vecs=vecs.astype(np.float32))
        os.replace(tmp, out / f"shard-{n_shard:05d}.npz")
        n_shard += 1
        bar.update(len(part))
    bar.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
