"""The ``policyqa`` command: a thin layer that reads configuration and wires the stages.

Each subcommand lives in its own ``policyqa/cmd_<name>.py`` module exposing
``add_arguments(parser)`` and ``run(args) -> int``. Typed errors raised by the stages
are turned into one clean error line (Chinese) and the exit code of their kind here (see
``policyqa.errors`` for the table).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

log = logging.getLogger("policyqa")

SUBCOMMANDS: dict[str, str] = {
    "ingest": "Parse documents into clauses (JSONL) and print a per-document summary",
    "index": "Build or incrementally update the hybrid (dense + BM25) clause index",
    "search": "Retrieve clauses for a query, with citations and scores",
    "ask": "Answer a question with cited clauses (offline composer by default)",
    "add": "Add or replace documents (validated first; a file that fails changes nothing)",
    "remove": "Remove a document (its file is kept in <corpus>/.policyqa/trash)",
    "docs": "List the indexed documents (id, title, 文号, issuer, date, region, clauses)",
    "chat": "Start the chat / precedent / documents web app (Gradio)",
    "eval": "Run the benchmark over a gold Q&A set and write a report",
    "bench": "Scale benchmark: real corpus multiplied to 10k-1M chunks; latency, memory, quality",
    "diff": "修订对照: align two versions of a document article by article (Markdown or .docx)",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with ``command``, only that subcommand's module is imported (the others are
    listed by name and help, so ``policyqa ask`` does not import the benchmark's multiprocessing).

    >>> build_parser("docs").parse_args(["docs"]).command
    'docs'
    """
    parser = argparse.ArgumentParser(
        prog="policyqa",
        description="科普政策文件问答：逐条引用的检索问答系统 (cited Q&A over Chinese policy documents)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log English details of errors to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if command is None or name == command:
            module = importlib.import_module(f"policyqa.cmd_{name}")
            module.add_arguments(p)
            p.set_defaults(_run=module.run)
    return parser


def _command(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (the first word that is one), if any."""
    for word in argv:
        if word in SUBCOMMANDS:
            return word
        if not word.startswith("-"):
            return None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    from policyqa.errors import EXIT_INTERRUPTED, USER_ERRORS, exit_code, message

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="policyqa: %(message)s")
    try:
        return int(args._run(args) or 0)
    except USER_ERRORS as exc:  # typed, expected errors: one clean line, no traceback
        print(f"policyqa {args.command}：{message(exc)}", file=sys.stderr)
        log.info("%s: %s", type(exc).__name__, exc)
        return exit_code(exc)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
