"""Sanity checks for the held-out gold set (eval/gold_heldout.jsonl) over the synthetic
fixtures in tests/fixtures/heldout/. Pure text checks: no model, no index, well under a second.

Evidence is matched after NFKC + removal of all whitespace, against the decoded file text
(.txt: UTF-8, or GB18030 when not UTF-8; .md: raw text; .html: visible text, i.e. without
<script>/<style>, tags removed, entities unescaped).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "heldout"
GOLD = ROOT / "eval" / "gold_heldout.jsonl"

TYPES = {"fact", "number", "responsible", "compare", "precedent", "unanswerable", "followup"}
DOCS = {
    "zj_regulation.txt": "utf-8",
    "huzhou_plan.txt": "gb18030",
    "sichuan_notice.md": "utf-8",
    "yunnan_county.html": "utf-8",
}


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def visible_text(name: str, raw: str) -> str:
    if name.endswith(".html"):
        raw = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", raw)
        raw = re.sub(r"(?s)<!--.*?-->", " ", raw)
        raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return raw


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {name: visible_text(name, decode(FIXTURES / name)) for name in DOCS}


@pytest.fixture(scope="module")
def items() -> list[dict]:
    with GOLD.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_fixture_files_and_encodings():
    for name, enc in DOCS.items():
        data = (FIXTURES / name).read_bytes()
        text = data.decode(enc)
        assert 3000 <= len(text) <= 8000, (name, len(text))
    # The GB18030 file must stay GB18030 (re-saving it as UTF-8 would remove the test).
    with pytest.raises(UnicodeDecodeError):
        (FIXTURES / "huzhou_plan.txt").read_bytes().decode("utf-8")


def test_schema(items):
    assert 40 <= len(items) <= 80
    for it in items:
        assert set(it) <= {"id", "question", "type", "history", "gold", "answer", "keywords"}, it["id"]
        assert isinstance(it["id"], str) and it["id"]
        assert isinstance(it["question"], str) and it["question"].strip()
        assert it["type"] in TYPES, it["id"]
        assert isinstance(it["answer"], str) and it["answer"].strip()
        assert isinstance(it["keywords"], list) and all(isinstance(k, str) and k for k in it["keywords"])
        assert isinstance(it["gold"], list)
        for g in it["gold"]:
            assert set(g) == {"doc", "evidence"}, it["id"]
            assert g["doc"] in DOCS, (it["id"], g["doc"])
            assert 15 <= len(g["evidence"]) <= 150, (it["id"], g["evidence"])
        if "history" in it:
            assert it["history"], it["id"]
            for turn in it["history"]:
                assert set(turn) == {"role", "content"}
                assert turn["role"] in {"user", "assistant"} and turn["content"].strip()


def test_unique_ids(items):
    dup = [k for k, n in Counter(it["id"] for it in items).items() if n > 1]
    assert not dup


def test_every_type_present(items):
    assert {it["type"] for it in items} == TYPES


def test_evidence_found_in_document(texts, items):
    normed = {name: norm(t) for name, t in texts.items()}
    missing = [
        (it["id"], g["doc"], g["evidence"])
        for it in items
        for g in it["gold"]
        if norm(g["evidence"]) not in normed[g["doc"]]
    ]
    assert not missing


def test_evidence_free_of_markup(items):
    for it in items:
        for g in it["gold"]:
            assert not re.search(r"<[a-zA-Z/]|&[a-z]+;|\*\*|^#", g["evidence"]), (it["id"], g["evidence"])


def test_keywords_in_evidence(items):
    for it in items:
        ev = norm("".join(g["evidence"] for g in it["gold"]))
        for k in it["keywords"]:
            assert norm(k) in ev, (it["id"], k)


def test_unanswerable_and_answerable(items):
    for it in items:
        if it["type"] == "unanswerable":
            assert it["gold"] == [] and it["keywords"] == [], it["id"]
        else:
            assert it["gold"] and it["keywords"], it["id"]


def test_followups_have_history(items):
    for it in items:
        if it["type"] == "followup":
            roles = [t["role"] for t in it["history"]]
            assert roles[0] == "user" and "assistant" in roles, it["id"]


def test_compare_spans_documents(items):
    for it in items:
        if it["type"] == "compare":
            assert len({g["doc"] for g in it["gold"]}) >= 2, it["id"]


def test_near_misses_really_absent(texts):
    zj, hz, sc, yn = (norm(texts[n]) for n in DOCS)
    assert "2030" not in hz  # un-01
    assert "第三十五条" not in zj and "第三十条" in zj  # un-02
    assert "万元" not in sc and "一次性补助" in sc  # un-03
    assert "2030" not in yn  # un-04: only inside <script>, which is not content
    assert "2030" in decode(FIXTURES / "yunnan_county.html")
    assert "2027" not in sc  # un-05
    assert all("安吉" not in norm(t) for t in texts.values())  # un-06
