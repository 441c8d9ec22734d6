"""Sanity checks for the small untuned check sets ``eval/gold_fresh2.jsonl`` (bundled corpus) and
``eval/gold_laws2b.jsonl`` (laws2 corpus): written before issue 12's tuning, run by name
(``policyqa eval --set fresh2,laws2b``), not part of ``all``; ``fresh3`` and ``fresh4`` (36 questions each on six scale-corpus laws of their own), written by helpers who saw neither the code nor the other sets.

Fast, no model: evidence verbatim in its raw file and inside one ingested clause, focused
evidence and keywords, every kind of question present.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.gold_io import load_gold
from eval.sets import known_sets, parse_sets
from ingest.config import IngestConfig
from ingest.load import load_text
from ingest.pipeline import ingest_file
from tests.gold_checks import assert_evidence_inside_one_clause, assert_focused_evidence_and_keywords

ROOT = Path(__file__).resolve().parents[1]
SETS = ["fresh2", "laws2b", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15", "fresh16", "fresh17", "fresh18", "fresh19", "fresh20", "fresh21", "fresh22", "fresh23", "fresh24", "fresh25", "fresh26", "fresh27", "fresh28", "fresh29", "fresh30", "fresh31"]


@pytest.mark.parametrize("name", SETS)
def test_untuned_set_is_valid(name: str) -> None:
    gs = known_sets(ROOT)[name]
    items = [json.loads(line) for line in gs.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(load_gold(gs.gold)) == len(items) >= 9
    kinds = Counter(it["type"] for it in items)
    assert {"fact", "number", "followup", "unanswerable"} <= set(kinds), kinds
    docs = {g["doc"] for it in items for g in it["gold"]}
    cfg = IngestConfig()
    clauses: dict[str, list[str]] = {}
    for doc in docs:
        raw = load_text(gs.corpus / doc, cfg)
        for it in items:
            for g in it["gold"]:
                if g["doc"] == doc:
                    assert g["evidence"] in raw, (it["id"], g["evidence"][:20])
        clauses[doc] = [c.text for d in ingest_file(gs.corpus / doc, cfg) for c in d.clauses]
    assert_evidence_inside_one_clause(items, clauses)
    assert_focused_evidence_and_keywords(items)


def test_untuned_sets_are_not_part_of_all() -> None:
    assert not set(SETS) & {s.name for s in parse_sets("all", ROOT)}
    assert [s.name for s in parse_sets(",".join(SETS), ROOT)] == SETS
