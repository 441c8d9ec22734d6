"""Sanity checks for the benchmark gold set ``eval/gold.jsonl``.

Fast, no model: schema, verbatim evidence (after NFKC + whitespace removal),
keywords present in the evidence, coverage of types and documents.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold.jsonl"
CORPUS = ROOT / "data" / "corpus"

TYPES = {"fact", "number", "responsible", "compare", "precedent", "unanswerable", "followup"}
ID_PREFIX = {
    "fact": "fact-",
    "number": "num-",
    "responsible": "resp-",
    "compare": "cmp-",
    "precedent": "prec-",
    "unanswerable": "una-",
    "followup": "fu-",
}
DOCS = [
    "000_b6a404ba0bda301c.txt",
    "001_a778eabecd33c60a.txt",
    "002_6d36f68e28e89aa5.txt",
    "003_0337574ed39db20e.txt",
    "004_08a855d03f2fc296.txt",
]
_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """The benchmark's normalisation: NFKC, then every whitespace character removed."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def items() -> list[dict]:
    out = []
    with GOLD.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:  # pragma: no cover - message only
                pytest.fail(f"gold.jsonl line {n}: invalid JSON: {e}")
    return out


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return {d: norm((CORPUS / d).read_text(encoding="utf-8")) for d in DOCS}


def test_schema(items):
    allowed = {"id", "question", "type", "history", "gold", "answer", "keywords"}
    for it in items:
        iid = it.get("id")
        assert isinstance(iid, str) and iid, it
        assert set(it) <= allowed, (iid, set(it) - allowed)
        for key in ("question", "type", "gold", "answer", "keywords"):
            assert key in it, (iid, key)
        assert isinstance(it["question"], str) and it["question"].strip(), iid
        assert isinstance(it["answer"], str) and it["answer"].strip(), iid
        assert it["type"] in TYPES, (iid, it["type"])
        assert iid.startswith(ID_PREFIX[it["type"]]), (iid, it["type"])
        assert isinstance(it["gold"], list), iid
        for g in it["gold"]:
            assert set(g) == {"doc", "evidence"}, (iid, g)
            assert g["doc"] in DOCS, (iid, g["doc"])
            assert isinstance(g["evidence"], str), iid
        assert isinstance(it["keywords"], list), iid
        assert all(isinstance(k, str) and k.strip() for k in it["keywords"]), iid
        if "history" in it:
            hist = it["history"]
            assert isinstance(hist, list) and hist, iid
            for turn in hist:
                assert set(turn) == {"role", "content"}, (iid, turn)
                assert turn["role"] in {"user", "assistant"}, (iid, turn)
                assert isinstance(turn["content"], str) and turn["content"].strip(), iid
            assert hist[0]["role"] == "user", iid
            assert hist[-1]["role"] == "assistant", iid


def test_unique_ids(items):
    ids = [it["id"] for it in items]
    dup = [i for i, c in Counter(ids).items() if c > 1]
    assert not dup, dup


def test_unique_questions(items):
    qs = Counter(
        (norm(it["question"]), json.dumps(it.get("history", []), ensure_ascii=False)) for it in items
    )
    dup = [q for q, c in qs.items() if c > 1]
    assert not dup, dup


def test_evidence_is_verbatim(items, corpus):
    bad = []
    for it in items:
        for g in it["gold"]:
            ev = norm(g["evidence"])
            if not ev or ev not in corpus[g["doc"]]:
                bad.append((it["id"], g["doc"], g["evidence"][:40]))
    assert not bad, bad


def test_evidence_is_focused(items):
    # ~15-150 characters is the guideline; a few short titles/markers are allowed.
    bad = [
        (it["id"], len(norm(g["evidence"])))
        for it in items
        for g in it["gold"]
        if not 6 <= len(norm(g["evidence"])) <= 200
    ]
    assert not bad, bad


def test_keywords_in_evidence(items):
    bad = []
    for it in items:
        if it["type"] == "unanswerable":
            continue
        assert 1 <= len(it["keywords"]) <= 4, it["id"]
        assert it["gold"], it["id"]
        joined = "".join(norm(g["evidence"]) for g in it["gold"])
        for k in it["keywords"]:
            if norm(k) not in joined:
                bad.append((it["id"], k))
    assert not bad, bad


def test_keywords_in_answer(items):
    bad = [(it["id"], k) for it in items for k in it["keywords"] if norm(k) not in norm(it["answer"])]
    assert not bad, bad


def test_unanswerable_have_no_gold(items):
    for it in items:
        if it["type"] == "unanswerable":
            assert it["gold"] == [] and it["keywords"] == [], it["id"]
            assert "history" not in it or it["history"], it["id"]


def test_followups_have_history(items):
    for it in items:
        if it["type"] == "followup":
            assert it.get("history"), it["id"]


def test_compare_spans_several_documents(items):
    for it in items:
        if it["type"] == "compare":
            docs = {g["doc"] for g in it["gold"]}
            assert len(docs) >= 2, it["id"]


def test_counts(items):
    assert len(items) >= 120, len(items)
    types = Counter(it["type"] for it in items)
    assert set(types) == TYPES, types
    per_doc = Counter(g["doc"] for it in items for g in it["gold"])
    for d in DOCS:
        assert per_doc[d] >= 10, (d, per_doc[d])


# Facts the unanswerable items rely on: the answer must really be absent from the corpus.
# (doc or None for the whole corpus, string that must not occur after normalisation)
ABSENT = {
    "una-001": [(None, "浙江")],
    "una-002": [(None, "广东")],
    "una-003": [(None, "2030")],
    "una-004": [("002_6d36f68e28e89aa5.txt", "2035年,我市"), ("002_6d36f68e28e89aa5.txt", "到2035年")],
    "una-005": [("001_a778eabecd33c60a.txt", "到2035年")],
    "una-006": [("004_08a855d03f2fc296.txt", "%"), ("004_08a855d03f2fc296.txt", "科学素质比例")],
    "una-007": [("003_0337574ed39db20e.txt", "%"), ("003_0337574ed39db20e.txt", "科学素质比例")],
    "una-010": [("003_0337574ed39db20e.txt", "名以上"), ("003_0337574ed39db20e.txt", "到2025年")],
    "una-011": [("004_08a855d03f2fc296.txt", "示范县")],
    "una-012": [("003_0337574ed39db20e.txt", "海智")],
    "una-013": [(None, "万元"), (None, "亿元")],
    "una-014": [("002_6d36f68e28e89aa5.txt", "课酬"), ("002_6d36f68e28e89aa5.txt", "补贴标准")],
    "una-015": [(None, "主席")],
    "una-016": [("004_08a855d03f2fc296.txt", "联系人"), ("004_08a855d03f2fc296.txt", "电话")],
    "una-018": [("000_b6a404ba0bda301c.txt", "亳州市公民"), ("000_b6a404ba0bda301c.txt", "我市公民")],
    "una-019": [(None, "宿州市公民")],
    "una-020": [("002_6d36f68e28e89aa5.txt", "绩效工资")],
    "una-021": [("004_08a855d03f2fc296.txt", "邪教")],
    "una-022": [(None, "投资")],
}


def test_unanswerable_premises(items, corpus):
    ids = {it["id"]: it for it in items}
    for iid, checks in ABSENT.items():
        assert ids.get(iid, {}).get("type") == "unanswerable", iid
        for doc, term in checks:
            docs = [doc] if doc else DOCS
            for d in docs:
                assert norm(term) not in corpus[d], (iid, d, term)


def test_jilin_has_no_number_or_date_of_its_own(corpus):
    # una-008 / una-009: the only 文号 in 003 is the central document it implements; no date line.
    jl = corpus["003_0337574ed39db20e.txt"]
    assert re.findall(r"[^〔]{0,3}〔\d{4}〕\d+号", jl) == ["中办发〔2022〕53号"] * 2
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", jl)


def test_loads_with_project_loader():
    gold_io = pytest.importorskip("eval.gold_io")
    loaded = gold_io.load_gold(GOLD)
    assert len(loaded) >= 120
    assert gold_io.check_evidence(loaded, CORPUS) == []
