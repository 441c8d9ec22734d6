"""The ``policyqa`` command: a thin layer that reads configuration and wires the stages.

Each subcommand lives in its own ``policyqa/cmd_<name>.py`` module exposing
``add_arguments(parser)`` and ``run(args) -> int``. Typed errors raised by the stages
are turned into one clean error line and a non-zero exit code here.
"""

from __future__ import annotations

import argparse
import importlib
import sys

SUBCOMMANDS: dict[str, str] = {
    "ingest": "Parse documents into clauses (JSONL) and print a per-document summary",
    "index": "Build or incrementally update the hybrid (dense + BM25) clause index",
    "search": "Retrieve clauses for a query, with citations and scores",
    "ask": "Answer a question with cited clauses (offline composer by default)",
    "chat": "Start the chat / precedent / documents web app (Gradio)",
    "eval": "Run the benchmark over a gold Q&A set and write a report",
    "diff": "修订对照: align two versions of a document article by article (Markdown or .docx)",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policyqa",
        description="科普政策文件问答：逐条引用的检索问答系统 (cited Q&A over Chinese policy documents)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        module = importlib.import_module(f"policyqa.cmd_{name}")
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    from policyqa.errors import USER_ERRORS

    try:
        return int(args._run(args) or 0)
    except USER_ERRORS as exc:  # typed, expected errors: one clean line, no traceback
        print(f"policyqa {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
