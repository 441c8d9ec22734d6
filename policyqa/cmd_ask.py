"""`policyqa ask "问题" [--json]`: answer one question with citations (for scripts).

Prints the same ``Answer`` the chat app shows: the answer text with [n] markers, then the
来源 list (《title》（文号） section path, issuer, date, clause text); a refusal prints the
related clauses instead. ``--json`` prints ``Answer.to_dict()``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", help="the question, e.g. 扬州市到2025年公民具备科学素质比例要达到多少？")
    p.add_argument("--json", action="store_true", help="print the answer as JSON (Answer.to_dict())")
    p.add_argument("--corpus", type=Path, default=None, help="folder of documents (default: bundled corpus)")
    p.add_argument("--index", type=Path, default=None, help="index folder (default: the user cache)")
    p.add_argument("--history", type=Path, default=None,
                   help='JSON file with the conversation so far: [{"role": "user", "content": "..."}, ...]')
    p.add_argument("--llm-base-url", default="", help="OpenAI-compatible endpoint (vLLM, DeepSeek, Qwen, Ollama /v1)")
    p.add_argument("--llm-model", default="", help="model name at that endpoint")
    p.add_argument("--no-clause-text", action="store_true", help="list sources without the clause text")


def _load_index(args: argparse.Namespace) -> Any:
    """Embedder + persisted index (built or updated on first use). Kept small so it can move to config."""
    from index.config import IndexConfig
    from index.store import open_or_build
    from ingest.config import IngestConfig
    from platformdirs import user_cache_dir

    from index.models import load_embedder

    root = Path(__file__).resolve().parent.parent
    corpus = args.corpus or root / "data" / "corpus"
    index_dir = args.index or Path(user_cache_dir("policyqa")) / "index"
    embedder = load_embedder()
    return open_or_build(corpus, index_dir, embedder, IngestConfig(), IndexConfig(), progress=False)


def _answer_config(args: argparse.Namespace) -> Any:
    from chatbot.config import AnswerConfig

    return AnswerConfig(llm_base_url=args.llm_base_url or "", llm_model=args.llm_model or "")


def _history(path: Path | None) -> list[dict[str, Any]] | None:
    if path is None:
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of {{'role', 'content'}} messages")
    return data


def run(args: argparse.Namespace) -> int:
    from chatbot.answer import answer
    from chatbot.cite import render_answer

    history = _history(args.history)
    index = _load_index(args)
    ans = answer(args.question, index, history=history, config=_answer_config(args))
    if args.json:
        json.dump(ans.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(render_answer(ans, show_clause_text=not args.no_clause_text))
    return 0
