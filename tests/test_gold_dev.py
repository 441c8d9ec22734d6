"""Sanity checks for the dev-corpus gold set ``eval/gold_dev.jsonl`` over ``eval/corpora/dev/``.

Fast, no model: schema, every evidence verbatim in its source file and inside one clause of
the ingested document, keywords in evidence and reference answer, coverage of types and
documents, version marks, and the absence behind every unanswerable near miss.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from gold_checks import assert_evidence_inside_one_clause, assert_focused_evidence_and_keywords, norm

from eval.gold_io import TYPES, check_evidence, load_gold
from ingest.config import IngestConfig
from ingest.load import load_text
from ingest.pipeline import ingest_file

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold_dev.jsonl"
CORPUS = ROOT / "eval" / "corpora" / "dev"
SHARED = ROOT.parent / "shared" / "dev-corpus"
PREFIX = {"fact": "dev-fact-", "number": "dev-num-", "responsible": "dev-resp-", "compare": "dev-cmp-",
          "precedent": "dev-prec-", "unanswerable": "dev-una-", "followup": "dev-fu-"}
VERSIONS = {"2010", "2017", "2023", "2024", "both"}


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def raw() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md"))}


@pytest.fixture(scope="module")
def clauses() -> dict[str, list[str]]:
    """The clause texts each document ingests into (the benchmark retrieves these)."""
    config = IngestConfig()
    return {p.name: [c.text for d in ingest_file(p, config) for c in d.clauses] for p in sorted(CORPUS.glob("*.md"))}


def test_corpus_is_the_eight_laws_and_nothing_else(raw):
    assert len(raw) == 8
    assert {p.name for p in CORPUS.iterdir() if not p.name.startswith(".")} == set(raw)  # no README: eval ingests every file here


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/dev-corpus not beside this clone")
def test_corpus_copies_are_byte_identical_to_the_shared_folder(raw):
    for name in raw:
        ours, theirs = (CORPUS / name).read_bytes(), (SHARED / name).read_bytes()
        assert hashlib.sha256(ours).digest() == hashlib.sha256(theirs).digest(), name


def test_schema_ids_and_types(items, raw):
    allowed = {"id", "question", "type", "history", "gold", "answer", "keywords", "version", "absent"}
    assert len({it["id"] for it in items}) == len(items)
    for it in items:
        assert set(it) <= allowed, (it["id"], set(it) - allowed)
        assert it["type"] in TYPES and it["id"].startswith(PREFIX[it["type"]]), it["id"]
        assert it["question"].strip() and it["answer"].strip(), it["id"]
        assert all(g["doc"] in raw for g in it["gold"]), it["id"]
        if it["type"] == "followup":
            assert [m["role"] for m in it["history"]] == ["user", "assistant"], it["id"]
        else:
            assert "history" not in it, it["id"]


def test_loads_with_the_project_loader_and_evidence_is_found(items):
    loaded = load_gold(GOLD)
    assert len(loaded) == len(items)
    config = IngestConfig()
    assert check_evidence(loaded, CORPUS, lambda p: load_text(p, config)) == []


def test_every_evidence_is_a_raw_substring_of_its_file(items, raw):
    bad = [(it["id"], g["evidence"][:30]) for it in items for g in it["gold"] if g["evidence"] not in raw[g["doc"]]]
    assert not bad, bad


def test_every_evidence_lies_inside_one_ingested_clause(items, clauses):
    assert_evidence_inside_one_clause(items, clauses)


def test_evidence_is_focused_and_keywords_come_from_it(items):
    assert_focused_evidence_and_keywords(items)


def test_counts_cover_all_types_and_all_documents(items, raw):
    assert len(items) >= 60
    types = Counter(it["type"] for it in items)
    assert set(types) == set(TYPES) and min(types.values()) >= 6, types
    per_doc = Counter(g["doc"] for it in items for g in it["gold"])
    assert all(per_doc[d] >= 5 for d in raw), per_doc


def test_compare_items_span_several_documents(items):
    for it in items:
        if it["type"] == "compare":
            assert len({g["doc"] for g in it["gold"]}) >= 2, it["id"]


def test_version_marks_match_the_cited_versions(items):
    """Items on the two versioned instruments say which version they expect; the cited files agree."""
    versioned = 0
    for it in items:
        years = {re.search(r"\((\d{4})-", g["doc"]).group(1) for g in it["gold"]
                 if g["doc"].startswith(("行政复议法", "上海市科学技术进步条例"))}
        if "version" not in it:
            assert not years, it["id"]
            continue
        versioned += 1
        assert it["version"] in VERSIONS, it["id"]
        if it["version"] == "both":
            assert len(years) == 2, it["id"]
        elif years:
            assert years == {it["version"]}, it["id"]
    assert versioned >= 25


# Unanswerable near misses: what must really be absent. (file prefix or None for all, text)
ABSENT = {
    "dev-una-001": [("上海市科学技术进步条例(2024", "第四十八条")],
    "dev-una-002": [("上海市科学技术进步条例(2024", "虚报"), ("上海市科学技术进步条例(2024", "法律责任")],
    "dev-una-003": [(None, "江苏")],
    "dev-una-004": [(None, "天津")],
    "dev-una-005": [("山东", "2022年")],
    "dev-una-006": [("郑州", "法律责任"), ("郑州", "处罚"), ("郑州", "责令")],
    "dev-una-007": [("北京", "万元"), ("北京", "亿元")],
    "dev-una-008": [(None, "第九十五条")],
    "dev-una-009": [(None, "河北")],
    "dev-una-010": [("上海市科学技术进步条例(2010", "三分之一")],
    "dev-una-011": [("郑州", "科学素质的比例"), ("郑州", "2025")],
    "dev-una-012": [("河南", "经费"), ("河南", "元")],
    "dev-una-013": [(None, "上海市科学技术普及条例")],
}


def test_unanswerable_premises_hold(items, raw):
    ids = {it["id"]: it for it in items}
    assert set(ABSENT) == {i for i, it in ids.items() if it["type"] == "unanswerable"}
    for iid, checks in ABSENT.items():
        for prefix, term in checks:
            docs = [d for d in raw if prefix is None or d.startswith(prefix)]
            assert docs, (iid, prefix)
            for d in docs:
                assert norm(term) not in norm(raw[d]), (iid, d, term)
