"""Benchmark: question latency while a large document is added (the app's write path).

Builds a document store over a copy of a corpus (default the bundled one) with the configured
embedding model, then asks questions through the app's own handler (``PolicyApp.ask``, the
offline composer) from ``--sessions`` threads:

1. idle: for ``--idle-seconds``;
2. during an upload of a generated ``--mb`` MB law-shaped document (第X条 articles taken from
   the dev corpus, numbered on), until the upload has been committed.

Prints p50 / p95 / max latency of both phases, the ratio of the p95s, how long the upload took
and how long the write lock was held (the swap), as JSON.

    .venv/bin/python scripts/bench_write.py                  # real model, 10 MB
    .venv/bin/python scripts/bench_write.py --mb 2 --fake    # hash embedder: the locking alone
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "扬州市到2025年公民具备科学素质比例要达到多少？",
    "安徽省科普人才队伍建设有哪些措施？",
    "砀山县科普基础设施建设有什么要求？",
    "各地对青少年科学素质提升行动有哪些规定？",
]


def big_document(mb: float, sources: list[Path]) -> str:
    """A law of about ``mb`` MB: the articles of the given files, renumbered 第1条, 第2条, …"""
    articles: list[str] = []
    for p in sources:
        text = p.read_text("utf-8")
        articles += [a.strip() for a in re.split(r"\n(?=第[一二三四五六七八九十百零〇]+条)", text)[1:] if a.strip()]
    out, size, n = ["某省科学技术普及条例（基准测试）", ""], 0, 0
    while size < mb * 1024 * 1024:
        body = re.sub(r"^第[一二三四五六七八九十百零〇]+条", "", articles[n % len(articles)])
        n += 1
        line = f"第{n}条 {body.strip()}"
        out.append(line)
        size += len(line.encode("utf-8")) + 1
    return "\n".join(out) + "\n"


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def summary(xs: list[float]) -> dict[str, float]:
    return {"n": len(xs), "p50_s": round(statistics.median(xs), 4) if xs else None,
            "p95_s": round(pct(xs, 0.95), 4), "max_s": round(max(xs), 4) if xs else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    ap.add_argument("--dev-corpus", type=Path, default=Path("/work/shared/dev-corpus"))
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--sessions", type=int, default=4)
    ap.add_argument("--idle-seconds", type=float, default=20.0)
    ap.add_argument("--fake", action="store_true", help="hash embedder instead of the model")
    ap.add_argument("--max-file-mb", type=float, default=50.0)
    args = ap.parse_args()

    from chatbot.app import create_app
    from index.docstore import DocStore
    from policyqa import config

    s = config.settings_from_env()
    if args.fake:
        from index.fake import HashEmbedder

        embedder = HashEmbedder()
    else:
        embedder = config.load_embedder(s, progress=True)
    from ingest.config import IngestConfig

    work = Path(tempfile.mkdtemp(prefix="pq-bench-write-"))
    corpus = work / "corpus"
    shutil.copytree(args.corpus, corpus)
    store = DocStore(corpus, work / "ix", embedder, IngestConfig(max_file_mb=args.max_file_mb),
                     config.index_config(s), progress=False)
    t0 = time.perf_counter()
    store.open()
    build_s = time.perf_counter() - t0
    pa = create_app(None, store=store).policyqa
    held: list[float] = []
    real_write = pa.lock.write

    def timed_write():  # how long the writer holds the lock (the swap)
        cm = real_write()

        class _Timed:
            def __enter__(self):
                cm.__enter__()
                self.t = time.perf_counter()

            def __exit__(self, *exc):
                held.append(time.perf_counter() - self.t)
                return cm.__exit__(*exc)

        return _Timed()

    pa.lock.write = timed_write  # type: ignore[method-assign]
    for q in QUESTIONS:  # warm caches
        pa.ask(q, [], [])

    def run_phase(stop: threading.Event) -> list[float]:
        lat: list[float] = []
        lock = threading.Lock()

        def session(i: int) -> None:
            k = i
            while not stop.is_set():
                q = QUESTIONS[k % len(QUESTIONS)]
                k += 1
                t = time.perf_counter()
                display, *_ = pa.ask(q, [], [])
                dt = time.perf_counter() - t
                if "出错" in display[-1]["content"]:
                    raise RuntimeError(display[-1]["content"])
                with lock:
                    lat.append(dt)

        threads = [threading.Thread(target=session, args=(i,)) for i in range(args.sessions)]
        for t in threads:
            t.start()
        return lat, threads  # type: ignore[return-value]

    stop = threading.Event()
    idle, threads = run_phase(stop)
    time.sleep(args.idle_seconds)
    stop.set()
    for t in threads:
        t.join()

    big = work / "big_law.txt"
    dev = sorted(args.dev_corpus.glob("*.md")) or sorted(corpus.glob("*.txt"))
    big.write_text(big_document(args.mb, dev), encoding="utf-8")
    stop = threading.Event()
    during, threads = run_phase(stop)
    t0 = time.perf_counter()
    status, *_ = pa.upload([str(big)])
    upload_s = time.perf_counter() - t0
    stop.set()
    for t in threads:
        t.join()
    out = {
        "embedder": embedder.name, "sessions": args.sessions, "corpus_build_s": round(build_s, 1),
        "document_mb": round(big.stat().st_size / 1024 / 1024, 2),
        "document_clauses": len(pa.index.doc_clauses("big_law#0")),
        "upload_s": round(upload_s, 1), "write_lock_held_s": [round(h, 4) for h in held],
        "idle": summary(idle), "during_upload": summary(during),
        "p95_ratio": round(pct(during, 0.95) / pct(idle, 0.95), 2) if idle and during else None,
        "upload_status": status.replace("\\", "")[:200],
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
