"""`policyqa chat`: start the web app (问答 / 先例对照 / 文件) on a corpus, by default the bundled one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
DEFAULT_INDEX = Path.home() / ".cache" / "policyqa" / "index"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of documents (default: bundled corpus)"
    )
    p.add_argument(
        "--index", type=Path, default=DEFAULT_INDEX, help="index folder (built / updated on start)"
    )
    p.add_argument("--model", default="multilingual-e5-small", help="embedding model name or local path")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--share", action="store_true", help="create a public Gradio share link (off by default)")
    p.add_argument("--concurrency", type=int, default=4, help="requests handled at once")


def _load_index(args: argparse.Namespace) -> Any:
    """Embedder + index built or incrementally updated from the corpus (the only heavy wiring)."""
    from index.config import IndexConfig
    from index.models import load_embedder
    from index.store import open_or_build
    from ingest.config import IngestConfig

    embedder = load_embedder(args.model)
    return open_or_build(
        Path(args.corpus), Path(args.index), embedder, IngestConfig(), IndexConfig(), progress=True
    )


def run(args: argparse.Namespace) -> int:
    from chatbot.app import create_app, launch

    if not Path(args.corpus).is_dir():
        raise FileNotFoundError(f"corpus folder not found: {args.corpus}")
    index = _load_index(args)
    index_dir = Path(args.index)
    app = create_app(index, corpus_dir=Path(args.corpus), on_change=lambda idx: idx.save(index_dir))
    print(
        f"policyqa chat: {len(index.metas)} documents, {len(index.clauses)} clauses → http://{args.host}:{args.port}"
    )
    launch(app, host=args.host, port=args.port, share=args.share, concurrency=args.concurrency)
    return 0
