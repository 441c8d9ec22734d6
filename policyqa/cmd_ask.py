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
    from policyqa.config import add_common_arguments

    p.add_argument("question", help="the question, e.g. 扬州市到2025年公民具备科学素质比例要达到多少？")
    p.add_argument("--json", action="store_true", help="print the answer as JSON (Answer.to_dict())")
    add_common_arguments(p, corpus=True, llm=True)
    p.add_argument("--history", type=Path, default=None,
                   help='JSON file with the conversation so far: [{"role": "user", "content": "..."}, ...]')
    p.add_argument("--no-clause-text", action="store_true", help="list sources without the clause text")
    p.add_argument("--full-text", action="store_true",
                   help="print long clauses whole (default: first 200 characters + …)")
    from policyqa.cli_filters import add_filter_arguments

    add_filter_arguments(p)


def _load_index(args: argparse.Namespace) -> Any:
    """Embedder + the saved index as it is (built once from the corpus when there is none), per policyqa.config.

    ``--index`` without ``--corpus`` opens that saved index as it is (like ``policyqa search``).
    """
    from index.store import ClauseIndex
    from policyqa import config

    s = config.settings_from_args(args)
    embedder = config.load_embedder(s, progress=False, queries_only=True)
    if getattr(args, "index", None) is not None and getattr(args, "corpus", None) is None:
        return ClauseIndex.load(s.index, embedder, config.index_config(s))
    return config.read_index(s, embedder=embedder)


def _answer_config(args: argparse.Namespace) -> Any:
    from policyqa import config

    return config.answer_config(config.settings_from_args(args))


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
    from policyqa.cli_filters import apply_filters

    history = _history(args.history)
    config = _answer_config(args)
    index = apply_filters(args, _load_index(args), config.today)
    ans = answer(args.question, index, history=history, config=config)
    if args.json:
        json.dump(ans.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(render_answer(ans, show_clause_text=not args.no_clause_text, max_chars=0 if args.full_text else 200))
    return 0
