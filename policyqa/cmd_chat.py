"""`policyqa chat`: start the web app (问答 / 先例对照 / 文件) on a corpus, by default the bundled one.

Listens on 127.0.0.1 only unless ``--host`` (or ``POLICYQA_HOST``) says otherwise; ``--share``
(a public Gradio link) is off by default. Uploads and removals are transactions of the document
store (``index.docstore``, the same as ``policyqa add`` / ``remove``); questions keep being
answered while a document is embedded. When ``POLICYQA_ADMIN_TOKEN`` is set, upload / remove
ask for that token; ``--read-only`` (or ``POLICYQA_READ_ONLY=1``) hides them altogether.
"""

from __future__ import annotations

import argparse
from typing import Any

from policyqa import config


def add_arguments(p: argparse.ArgumentParser) -> None:
    config.add_common_arguments(p, corpus=True, llm=True)
    p.add_argument("--host", default=None,
                   help="address to listen on (default: $POLICYQA_HOST or 127.0.0.1, loopback only)")
    p.add_argument("--read-only", action="store_true", help="no upload / remove in the app")
    p.add_argument("--port", type=int, default=7860, help="port (default: 7860)")
    p.add_argument("--share", action="store_true", help="create a public Gradio share link (off by default)")
    p.add_argument("--concurrency", type=int, default=4, help="requests answered at once (default: 4)")
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="CPU threads per request: onnxruntime's (onnx backends) or torch's (st-fp32) (default 1: concurrent "
             "requests supply the parallelism; 0 = the runtime's default)",
    )


def set_threads(n: int) -> None:
    """torch intra-op threads (``n`` > 0); many threads per request oversubscribe the CPU under load."""
    if n > 0:
        import torch

        torch.set_num_threads(n)


def _load_index(args: argparse.Namespace) -> tuple[Any, config.Settings]:
    """Settings (env + flags), then the document store with its saved index opened as it is
    (built once from the corpus when there is none)."""
    s = config.settings_from_args(args)
    threads = getattr(args, "threads", 1)
    if s.embed_backend == "st-fp32":  # torch is imported only for the backend that runs on it
        set_threads(threads)
    store = config.open_store(s, progress=True, embedder=config.load_embedder(s, progress=True, threads=threads))
    store.open()
    return store, s


def run(args: argparse.Namespace) -> int:
    from chatbot.app import AppConfig, create_app, launch

    store, s = _load_index(args)
    index = store.index
    app_config = AppConfig(answer_config=config.answer_config(s), ingest_config=config.ingest_config(s))
    app = create_app(index, config=app_config, store=store, admin_token=s.admin_token, read_only=s.read_only)
    mode = "只读" if s.read_only else ("上传/移除需管理口令" if s.admin_token else "任何访问者均可上传/移除")
    print(f"policyqa chat：{len(index.metas)} 个文件，{len(index.clauses)} 条 → http://{s.host}:{args.port}/（{mode}）")
    launch(app, host=s.host, port=args.port, share=args.share, concurrency=args.concurrency)
    return 0
