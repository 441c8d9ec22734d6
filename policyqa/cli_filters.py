"""The document filters of ``policyqa ask`` / ``search``: ``--region --level --doc --in-force --since --until``.

They restrict the index the command reads to the documents that pass (``index.filtered.FilteredIndex``);
statuses are judged on ``--today`` / ``$POLICYQA_TODAY`` / the system date.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_filter_arguments(p: argparse.ArgumentParser, doc_and_region: bool = True) -> None:
    if doc_and_region:
        p.add_argument("--region", action="append", default=[], help="only documents of this region (repeatable)")
        p.add_argument("--level", action="append", default=[], help="only this level: 国家/省/市/县 (repeatable)")
        p.add_argument("--doc", action="append", default=[], metavar="DOC",
                       help="only this document: doc_id, file name or part of the title (repeatable)")
    p.add_argument("--in-force", action="store_true",
                   help="only documents in force (现行有效): no superseded, repealed, expired, ended or future text")
    p.add_argument("--since", default="", metavar="YYYY-MM-DD",
                   help="only texts dated on or after this day (their own revision / issue date)")
    p.add_argument("--until", default="", metavar="YYYY-MM-DD", help="only texts dated on or before this day")


def _date(flag: str, value: str) -> str:
    from ingest.status import parse_today

    if not value:
        return ""
    try:
        return parse_today(value)
    except ValueError as exc:
        raise ValueError(f"{flag}: {exc}") from exc


def doc_filter(args: argparse.Namespace) -> Any:
    from chatbot.filters import DocFilter

    return DocFilter(regions=tuple(getattr(args, "region", []) or []), levels=tuple(getattr(args, "level", []) or []),
                     docs=tuple(getattr(args, "doc", []) or []), in_force=bool(getattr(args, "in_force", False)),
                     since=_date("--since", getattr(args, "since", "")),
                     until=_date("--until", getattr(args, "until", "")))


def apply_filters(args: argparse.Namespace, index: Any, today: str) -> Any:
    """The index itself when no filter is given, else a view over the documents that pass."""
    from chatbot.filters import select_docs, unmatched_docs
    from chatbot.versions import statuses_for
    from index.filtered import FilteredIndex

    f = doc_filter(args)
    if f.is_empty():
        return index
    bad = unmatched_docs(index.metas, f.docs)
    if bad:
        listing = "; ".join(f"{d} {m.title}" for d, m in index.metas.items())
        raise ValueError(f"--doc {bad[0]!r} matches no indexed document; the index holds: {listing}")
    return FilteredIndex(index, select_docs(index.metas, statuses_for(index.metas, today), f))
