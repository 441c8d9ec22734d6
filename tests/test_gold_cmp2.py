"""Sanity checks for the untuned comparison check sets ``eval/gold_cmp2*.jsonl`` (issue 12).

Fast, no model: schema, every evidence verbatim in its document and inside one ingested clause,
keywords in evidence and reference answer, every item a comparison over two or more documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gold_checks import assert_evidence_inside_one_clause, assert_focused_evidence_and_keywords

from eval.gold_io import check_evidence, load_gold
from eval.sets import check_sets, parse_sets
from ingest.config import IngestConfig
from ingest.load import load_text
from ingest.pipeline import ingest_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(n for n in check_sets(ROOT) if n.startswith("cmp2")))
def test_check_set_is_verbatim_and_compares_documents(name):
    s = check_sets(ROOT)[name]
    items = [json.loads(line) for line in s.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert items and len({it["id"] for it in items}) == len(items)
    assert all(it["type"] == "compare" and len({g["doc"] for g in it["gold"]}) >= 2 for it in items)
    config = IngestConfig()
    assert check_evidence(load_gold(s.gold), s.corpus, lambda p: load_text(p, config)) == []
    docs = {g["doc"] for it in items for g in it["gold"]}
    clauses = {d: [c.text for doc in ingest_file(s.corpus / d, config) for c in doc.clauses] for d in docs}
    assert_evidence_inside_one_clause(items, clauses)
    assert_focused_evidence_and_keywords(items)


def test_check_sets_run_by_name_but_not_in_all():
    assert [s.name for s in parse_sets("cmp2,cmp2_dev", ROOT)] == ["cmp2", "cmp2_dev"]
    assert not {s.name for s in parse_sets("all", ROOT)} & set(check_sets(ROOT))
