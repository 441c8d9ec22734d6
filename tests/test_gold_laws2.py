"""Sanity checks for the unseen-law gold set ``eval/gold_laws2.jsonl`` over ``eval/corpora/laws2/``.

Fast, no model: schema, every evidence verbatim in the loaded text of its file (.md, .docx,
.html) and inside one ingested clause, keywords in evidence and reference answer, coverage of
types, documents and formats, and the absence behind every unanswerable near miss.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from gold_checks import assert_evidence_inside_one_clause, assert_focused_evidence_and_keywords, norm

from eval.gold_io import TYPES, check_evidence, load_gold
from ingest.config import IngestConfig
from ingest.load import load_text
from ingest.pipeline import ingest_file

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold_laws2.jsonl"
CORPUS = ROOT / "eval" / "corpora" / "laws2"
PREFIX = {t: f"laws2-{p}-" for t, p in (("fact", "fact"), ("number", "num"), ("responsible", "resp"), ("compare", "cmp"),
                                         ("precedent", "prec"), ("unanswerable", "una"), ("followup", "fu"))}


def docs() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if not p.name.startswith("."))


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def text() -> dict[str, str]:
    """What the loader reads from each file (Markdown, Word and HTML alike)."""
    return {p.name: load_text(p, IngestConfig()) for p in docs()}


@pytest.fixture(scope="module")
def clauses() -> dict[str, list[str]]:
    config = IngestConfig()
    return {p.name: [c.text for d in ingest_file(p, config) for c in d.clauses] for p in docs()}


def test_corpus_is_six_laws_in_three_formats(text):
    assert len(text) == 6
    assert Counter(Path(n).suffix for n in text) == {".md": 4, ".docx": 1, ".html": 1}


def test_schema_ids_and_types(items, text):
    allowed = {"id", "question", "type", "history", "gold", "answer", "keywords", "absent"}
    assert len({it["id"] for it in items}) == len(items)
    for it in items:
        assert set(it) <= allowed, (it["id"], set(it) - allowed)
        assert it["type"] in TYPES and it["id"].startswith(PREFIX[it["type"]]), it["id"]
        assert it["question"].strip() and it["answer"].strip(), it["id"]
        assert all(g["doc"] in text for g in it["gold"]), it["id"]
        if it["type"] == "followup":
            assert [m["role"] for m in it["history"]] == ["user", "assistant"], it["id"]
        else:
            assert "history" not in it, it["id"]


def test_loads_with_the_project_loader_and_evidence_is_found(items):
    loaded = load_gold(GOLD)
    assert len(loaded) == len(items)
    assert check_evidence(loaded, CORPUS, lambda p: load_text(p, IngestConfig())) == []


def test_every_evidence_is_verbatim_in_the_loaded_text(items, text):
    bad = [(it["id"], g["evidence"][:30]) for it in items for g in it["gold"] if g["evidence"] not in text[g["doc"]]]
    assert not bad, bad


def test_every_evidence_lies_inside_one_ingested_clause(items, clauses):
    assert_evidence_inside_one_clause(items, clauses)


def test_evidence_is_focused_and_keywords_come_from_it(items):
    assert_focused_evidence_and_keywords(items)


def test_counts_cover_all_types_and_all_documents(items, text):
    assert len(items) >= 42
    types = Counter(it["type"] for it in items)
    assert set(types) == set(TYPES) and min(types.values()) >= 5 and types["unanswerable"] >= 8, types
    per_doc = Counter(g["doc"] for it in items for g in it["gold"])
    assert all(per_doc[d] >= 5 for d in text), per_doc


def test_compare_items_span_several_documents(items):
    for it in items:
        if it["type"] == "compare":
            assert len({g["doc"] for g in it["gold"]}) >= 2, it["id"]


# Unanswerable near misses: what must really be absent. (file prefix or None for all, text)
ABSENT = {
    "laws2-una-001": [("企业职工", "年休假5天"), ("企业职工", "年休假10天"), ("企业职工", "满10年"), ("企业职工", "满20年")],
    "laws2-una-002": [("家庭教育促进法", "第六十条"), ("家庭教育促进法", "第五十六条")],
    "laws2-una-003": [(None, "四川")],
    "laws2-una-004": [("人工影响天气", "学时"), ("人工影响天气", "小时")],
    "laws2-una-005": [("浙江", "小时")],
    "laws2-una-006": [("重庆市科学技术协会", "任期"), ("重庆市科学技术协会", "年一届")],
    "laws2-una-007": [("家庭教育促进法", "罚款")],
    "laws2-una-008": [("浙江", "保额"), ("浙江", "万元")],
    "laws2-una-009": [(None, "气象灾害防御条例"), (None, "预警信号")],
    "laws2-una-010": [("重庆市家庭教育", "万元"), ("重庆市家庭教育", "亿元")],
    "laws2-una-011": [("人工影响天气", "元")],
}


def test_unanswerable_premises_hold(items, text):
    ids = {it["id"]: it for it in items}
    assert set(ABSENT) == {i for i, it in ids.items() if it["type"] == "unanswerable"}
    for iid, checks in ABSENT.items():
        for prefix, term in checks:
            names = [d for d in text if prefix is None or d.startswith(prefix)]
            assert names, (iid, prefix)
            for d in names:
                assert norm(term) not in norm(text[d]), (iid, d, term)
