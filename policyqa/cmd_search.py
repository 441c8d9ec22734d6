"""`policyqa search "问题" [--doc …] [--region …] [--per-doc] [-k 5] [--json]`: retrieve clauses.

Prints each hit with its citation (《title》（文号） section path), region / level / date, the
fused score and both ranks and scores, then the clause text. Without explicit filters the
scope comes from the question (regions / documents it names); ``--no-scope`` searches all.

    policyqa search "甘肃的若干措施对科普人才有何规定？" -k 3
    policyqa search "科普人才队伍建设" --region 安徽 --region 甘肃 --per-doc -k 2 --json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from policyqa.cmd_index import add_tokenizer_argument


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help="the question or keywords, e.g. 扬州市2025年公民科学素质比例目标")
    from policyqa.config import add_common_arguments

    add_common_arguments(p, corpus=True)
    add_tokenizer_argument(p)
    p.add_argument("-k", type=int, default=5, help="hits to print (per document with --per-doc; default 5)")
    p.add_argument("--per-doc", action="store_true", help="the best k clauses of each in-scope document")
    p.add_argument("--doc", action="append", default=[], metavar="DOC",
                   help="only this document: doc_id, file name or part of the title (repeatable)")
    p.add_argument("--region", action="append", default=[], help="only documents of this region (repeatable)")
    p.add_argument("--level", action="append", default=[], help="only this level: 国家/省/市/县 (repeatable)")
    p.add_argument("--type", dest="doc_type", action="append", default=[], help="only this type, e.g. 方案, 措施")
    p.add_argument("--from", dest="date_from", default="", help="issued on or after this ISO date")
    p.add_argument("--to", dest="date_to", default="", help="issued on or before this ISO date")
    p.add_argument("--no-scope", action="store_true", help="do not derive a scope from the question")
    from policyqa.cli_filters import add_filter_arguments

    add_filter_arguments(p, doc_and_region=False)  # --in-force --since --until (--doc/--region above)
    p.add_argument("--json", action="store_true", help="print hits as JSON")
    p.add_argument("--width", type=int, default=160, help="characters of clause text to print (0: all)")


def open_index(args: argparse.Namespace) -> Any:
    """--index without --corpus: open that saved index (an error when there is none); otherwise the
    saved index as it is, built once from the corpus when there is none. Never changes the index."""
    from index.store import ClauseIndex
    from policyqa import config

    s = config.settings_from_args(args)
    embedder = config.load_embedder(s, progress=False, queries_only=True)
    if args.index is not None and args.corpus is None:
        return ClauseIndex.load(s.index, embedder, config.index_config(s))
    return config.read_index(s, embedder=embedder)


def resolve_docs(index: Any, wanted: list[str]) -> list[str]:
    """doc_ids for --doc values (exact doc_id, file name or stem, or part of the title)."""
    out: list[str] = []
    for w in wanted:
        found = [d for d, m in index.metas.items()
                 if w in (d, m.source, Path(m.source).stem) or (len(w) >= 2 and w in m.title)]
        if not found:
            listing = "; ".join(f"{d} {m.title}" for d, m in index.metas.items())
            raise ValueError(f"--doc {w!r} matches no indexed document; the index holds: {listing}")
        out.extend(f for f in found if f not in out)
    return out


def build_scope(args: argparse.Namespace, index: Any) -> Any:
    from index.types import Scope

    explicit = Scope(doc_ids=resolve_docs(index, args.doc), regions=list(args.region), levels=list(args.level),
                     doc_types=list(args.doc_type), date_from=args.date_from, date_to=args.date_to)
    if not explicit.is_empty() or args.no_scope:
        return explicit
    from chatbot.retrieval import known_of
    from query import understand

    q = understand(args.query, None, known_of(index))
    return Scope(doc_ids=list(q.doc_ids), regions=list(q.regions), unknown_mentions=list(q.unknown_places),
                 years=list(q.years))


def citation(hit: Any) -> str:
    return f"{hit.meta.citation_label()} {hit.clause.section_path}".strip()


def hit_json(hit: Any, statuses: dict[str, Any] | None = None) -> dict[str, Any]:
    d = hit.to_dict()
    d.update(citation=citation(hit), region=hit.meta.region, level=hit.meta.level, date=hit.meta.date)
    st = (statuses or {}).get(hit.meta.doc_id)
    d.update(status=st.status if st else "", effective_date=hit.meta.effective_date,
             superseded_by=st.superseded_by if st else "")
    return d


def _fmt(x: float | None, rank: int | None) -> str:
    return "—" if rank is None else f"#{rank} {x:.4f}"


def print_hit(n: int, hit: Any, width: int, statuses: dict[str, Any] | None = None) -> None:
    m = hit.meta
    st = (statuses or {}).get(m.doc_id)
    where = " · ".join(x for x in (m.region, m.level, m.date, st.status if st else "") if x)
    print(f"{n}. {citation(hit)}  [{where}]")
    print(f"   fused {hit.score:.4f} | dense {_fmt(hit.dense_score, hit.dense_rank)} | "
          f"bm25 {_fmt(hit.lexical_score, hit.lexical_rank)}")
    text = " ".join(hit.clause.text.split())
    if width and len(text) > width:
        text = text[:width] + "…"
    print(f"   {text}")


def run(args: argparse.Namespace) -> int:
    from policyqa import config
    from policyqa.cli_filters import apply_filters

    index = open_index(args)
    from chatbot.versions import statuses_for

    today = config.settings_from_args(args).today_iso
    st = statuses_for(index.metas, today)
    index = apply_filters(argparse.Namespace(in_force=args.in_force, since=args.since, until=args.until), index, today)
    scope = build_scope(args, index)
    use = None if scope.is_empty() else scope
    if args.per_doc:
        per_doc = index.search_per_doc(args.query, k_per_doc=args.k, scope=use)
        if args.json:
            out = {"query": args.query, "scope": scope.to_dict(),
                   "documents": {d: [hit_json(h, st) for h in hs] for d, hs in per_doc.items()}}
            json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return 0
        _print_scope(scope)
        for d, hs in per_doc.items():
            print(f"== {index.metas[d].citation_label()} ({index.metas[d].region or '—'})")
            for i, h in enumerate(hs, 1):
                print_hit(i, h, args.width, st)
        if not per_doc:
            print("no document in scope")
        return 0
    hits = index.search(args.query, k=args.k, scope=use)
    if args.json:
        json.dump({"query": args.query, "scope": scope.to_dict(), "hits": [hit_json(h, st) for h in hits]},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_scope(scope)
    for i, h in enumerate(hits, 1):
        print_hit(i, h, args.width, st)
    if not hits:
        print("no hits (no document in scope)")
    return 0


def _print_scope(scope: Any) -> None:
    parts = [f"{k}={','.join(v)}" for k, v in (("docs", scope.doc_ids), ("regions", scope.regions),
                                               ("levels", scope.levels), ("types", scope.doc_types)) if v]
    if scope.date_from or scope.date_to:
        parts.append(f"dates={scope.date_from}..{scope.date_to}")
    if parts:
        print("scope: " + " ".join(parts))
    if scope.unknown_mentions:
        print(f"note: the corpus holds no document for {'、'.join(scope.unknown_mentions)}", file=sys.stderr)
