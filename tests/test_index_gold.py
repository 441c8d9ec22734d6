"""The retrieval gold fixture (tests/fixtures/retrieval_gold.jsonl) is well-formed and verbatim."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "retrieval_gold.jsonl"
CORPUS = ROOT / "data" / "corpus"


def _items() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_retrieval_gold_has_enough_questions_and_comparisons():
    items = _items()
    types = Counter(it["type"] for it in items)
    assert len(items) >= 40 and types["compare"] >= 8
    assert len({it["id"] for it in items}) == len(items)
    for it in items:
        if it["type"] == "compare":
            assert len({g["doc"] for g in it["gold"]}) >= 2, it["id"]


def test_every_evidence_is_a_verbatim_substring_of_its_source_file():
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for it in _items():
        for g in it["gold"]:
            assert g["doc"] in texts, (it["id"], g["doc"])
            assert g["evidence"] in texts[g["doc"]], (it["id"], g["evidence"])
