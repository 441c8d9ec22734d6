"""Sanity checks for ``eval/gold_fresh.jsonl``: new questions on the bundled corpus, written after
the other sets and before any tuning on them (colloquial, short region names, mixed full/half-width,
Chinese numerals, dropped subjects, follow-ups with history, 各地/分别 comparisons, 原文 wording,
and unanswerable near misses: other provinces, years and facts the documents do not have).

Fast, no model: the format, the mix of types and variants, evidence verbatim in the raw files and
inside one ingested clause, keywords in evidence and reference answer, questions not copied from
``eval/gold.jsonl`` or ``eval/gold_paraphrase.jsonl``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from eval.gold_io import TYPES, check_evidence, load_gold
from ingest.config import IngestConfig
from ingest.load import load_text
from ingest.pipeline import ingest_file

ROOT = Path(__file__).resolve().parents[1]
FRESH = ROOT / "eval" / "gold_fresh.jsonl"
CORPUS = ROOT / "data" / "corpus"
VARIANTS = {"rephrased", "colloquial", "abbreviated-region", "mixed-width", "chinese-numerals", "period",
            "dropped-subject", "followup", "compare-each", "precedent-wording", "other-region", "other-year",
            "absent-fact", "off-topic"}


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return [json.loads(line) for line in FRESH.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_set_is_large_enough_and_covers_every_type(items):
    counts = Counter(it["type"] for it in items)
    assert len(items) >= 60 and set(counts) == set(TYPES), counts
    assert counts["unanswerable"] >= 10
    assert len({it["id"] for it in items}) == len(items)


def test_variant_tags_are_known_and_match_the_text(items):
    for it in items:
        assert it["variant"] and set(it["variant"]) <= VARIANTS, it["id"]
        if "chinese-numerals" in it["variant"]:
            assert re.search("[〇零]", it["question"]), it["id"]
        if "mixed-width" in it["variant"]:
            assert re.search(r"[(),?!:;]|[０-９Ａ-Ｚａ-ｚ]", it["question"]), it["id"]
        if "followup" in it["variant"]:
            assert len(it.get("history", [])) == 2, it["id"]


def test_unanswerable_items_cite_nothing_and_answerable_ones_cite_evidence(items):
    for it in items:
        if it["type"] == "unanswerable":
            assert it["gold"] == [] and it["keywords"] == [], it["id"]
        else:
            assert it["gold"] and it["keywords"], it["id"]
            for k in it["keywords"]:
                assert any(norm(k) in norm(g["evidence"]) for g in it["gold"]), (it["id"], k)
                assert norm(k) in norm(it["answer"]), (it["id"], k)


def test_comparisons_cite_more_than_one_document(items):
    for it in items:
        if it["type"] == "compare":
            assert len({g["doc"] for g in it["gold"]}) >= 2, it["id"]


def test_questions_are_not_copied_from_the_older_sets(items):
    def key(item: dict) -> tuple[str, str]:
        return norm(item["question"]), json.dumps(item.get("history", []), ensure_ascii=False)

    older = set()
    for name in ("gold.jsonl", "gold_paraphrase.jsonl"):
        for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                older.add(key(json.loads(line)))
    assert not [it["id"] for it in items if key(it) in older]


def test_evidence_is_verbatim_and_inside_one_ingested_clause(items):
    config = IngestConfig()
    assert check_evidence(load_gold(FRESH), CORPUS, lambda path: load_text(path, config)) == []
    for it in items:
        for g in it["gold"]:
            assert g["evidence"] in (CORPUS / g["doc"]).read_text(encoding="utf-8"), it["id"]
    clauses = {p.name: [norm(c.text) for d in ingest_file(p, config) for c in d.clauses]
               for p in CORPUS.iterdir() if not p.name.startswith(".")}
    bad = [(it["id"], g["evidence"][:30]) for it in items for g in it["gold"]
           if not any(norm(g["evidence"]) in c for c in clauses[g["doc"]])]
    assert not bad, bad
