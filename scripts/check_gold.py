#!/usr/bin/env python
"""Validate eval/gold.jsonl against data/corpus and print counts.

Usage: .venv/bin/python scripts/check_gold.py [--gold eval/gold.jsonl] [--corpus data/corpus]

Checks (same rules as tests/test_gold_set.py):
  * every evidence is a substring of its source file after NFKC + whitespace removal;
  * every keyword of an answerable item occurs in the concatenation of its evidences;
  * unanswerable items have empty gold and keywords.
Also reports how many evidences are byte-exact raw substrings and which occur more
than once in their file (harmless, but worth knowing when judging retrieval).
Exit status 1 if any check fails.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT / "eval" / "gold.jsonl"))
    ap.add_argument("--corpus", default=str(ROOT / "data" / "corpus"))
    args = ap.parse_args(argv)

    items = [json.loads(x) for x in Path(args.gold).read_text(encoding="utf-8").splitlines() if x.strip()]
    corpus_dir = Path(args.corpus)
    raw: dict[str, str] = {}
    normed: dict[str, str] = {}
    errors: list[str] = []
    exact = total = repeated = 0
    for it in items:
        for g in it["gold"]:
            d = g["doc"]
            if d not in raw:
                p = corpus_dir / d
                if not p.exists():
                    errors.append(f"{it['id']}: unknown document {d}")
                    continue
                raw[d] = p.read_text(encoding="utf-8")
                normed[d] = norm(raw[d])
            total += 1
            ev = norm(g["evidence"])
            if ev not in normed[d]:
                errors.append(f"{it['id']}: evidence not in {d}: {g['evidence'][:50]!r}")
                continue
            exact += g["evidence"] in raw[d]
            repeated += normed[d].count(ev) > 1
        if it["type"] == "unanswerable":
            if it["gold"] or it["keywords"]:
                errors.append(f"{it['id']}: unanswerable item must have empty gold/keywords")
            continue
        joined = "".join(norm(g["evidence"]) for g in it["gold"])
        for k in it["keywords"]:
            if norm(k) not in joined:
                errors.append(f"{it['id']}: keyword {k!r} not in its evidence")

    types = Counter(it["type"] for it in items)
    per_doc_refs = Counter(g["doc"] for it in items for g in it["gold"])
    per_doc_items = Counter(d for it in items for d in {g["doc"] for g in it["gold"]})
    print(f"items: {len(items)}")
    print("per type: " + ", ".join(f"{t}={n}" for t, n in sorted(types.items())))
    print("per document (items / evidence references):")
    for d in sorted(per_doc_refs):
        print(f"  {d}: {per_doc_items[d]} / {per_doc_refs[d]}")
    docs = sorted(per_doc_refs)
    order = ("fact", "number", "responsible", "compare", "precedent", "unanswerable", "followup")
    print("items per type x document (an item counts once per document it cites):")
    print("  " + "type".ljust(13) + " ".join(d[:3].rjust(4) for d in docs))
    for t in order:
        row = Counter(d for it in items if it["type"] == t for d in {g["doc"] for g in it["gold"]})
        print("  " + t.ljust(13) + " ".join(str(row[d]).rjust(4) for d in docs))
    print(f"evidences: {total}, raw-exact substrings: {exact}, occurring more than once: {repeated}")
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
