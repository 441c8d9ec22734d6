"""Sanity checks for the paraphrase set ``eval/gold_paraphrase.jsonl`` (new phrasings of every
item of ``eval/gold.jsonl`` over the bundled corpus).

Fast, no model: at least two paraphrases per source item, each keeping the source's type,
evidence, keywords, reference answer and history; evidence verbatim in the ingested corpus;
the phrasings are varied (region short forms, 请问…, Chinese numerals, "十四五", dropped
subjects) and are not the source with a word swapped.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from eval.gold_io import check_evidence, load_gold
from ingest.config import IngestConfig
from ingest.load import load_text
from ingest.pipeline import ingest_file

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "eval" / "gold.jsonl"
PARA = ROOT / "eval" / "gold_paraphrase.jsonl"
CORPUS = ROOT / "data" / "corpus"
VARIANTS = {"rephrased", "polite", "abbreviated-region", "chinese-numerals", "period", "dropped-subject"}
KEPT = ("type", "gold", "answer", "keywords")

# Undo the mechanical transforms, so that what is left must be a real rephrasing.
_UNDO = [("皖省", "安徽省"), ("皖", "安徽"), ("甘若干", "甘肃若干"), ("甘九", "甘肃九"), ("甘的", "甘肃的"),
         ("甘、", "甘肃、"), ("甘两", "甘肃两"), ("甘“", "甘肃“"), ("吉方案", "吉林方案"), ("吉、", "吉林、"),
         ("二〇二五", "2025"), ("二〇三五", "2035"), ("二〇三〇", "2030"), ("“十四五”末", "到2025年"),
         ("“十四五”期间", "到2025年")]
_POLITE = re.compile(r"^(请问|能不能告诉我|请比较一下|请对比一下|请把|请引用)")


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def unmechanical(q: str) -> str:
    q = _POLITE.sub("", q)
    for a, b in _UNDO:
        q = q.replace(a, b)
    return re.sub(r"[？?。，,、！!]", "", norm(q))


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def sources() -> dict[str, dict]:
    return {it["id"]: it for it in read(SOURCE)}


@pytest.fixture(scope="module")
def paras() -> list[dict]:
    return read(PARA)


def test_every_source_item_has_at_least_two_paraphrases(sources, paras):
    per_source = Counter(p["source"] for p in paras)
    assert set(per_source) == set(sources)
    assert min(per_source.values()) >= 2
    assert len(paras) >= 2 * len(sources)


def test_paraphrases_keep_evidence_keywords_refusal_and_history(sources, paras):
    allowed = {"id", "source", "question", "type", "history", "gold", "answer", "keywords", "variant"}
    for p in paras:
        src = sources[p["source"]]
        assert set(p) <= allowed, p["id"]
        assert re.fullmatch(re.escape(src["id"]) + r"-p\d+", p["id"]), p["id"]
        for key in KEPT:
            assert p[key] == src[key], (p["id"], key)
        assert p.get("history") == src.get("history"), p["id"]


def test_questions_are_new_and_distinct(sources, paras):
    seen: set[tuple[str, str]] = set()
    for p in paras:
        key = (norm(p["question"]), json.dumps(p.get("history", []), ensure_ascii=False))
        assert key not in seen, p["id"]
        seen.add(key)
        assert norm(p["question"]) != norm(sources[p["source"]]["question"]), p["id"]


def test_phrasings_are_rephrased_not_only_substituted(sources, paras):
    """After undoing region short forms, numerals, 十四五 and 请问…, only a few paraphrases are
    the source again (purely mechanical), and most stay clearly apart from it."""
    ratios, mechanical = [], []
    for p in paras:
        ours, theirs = unmechanical(p["question"]), unmechanical(sources[p["source"]]["question"])
        if ours == theirs:
            mechanical.append(p["id"])
        ratios.append(difflib.SequenceMatcher(None, ours, theirs).ratio())
    assert len(mechanical) <= 0.05 * len(paras), mechanical
    far = sum(r < 0.8 for r in ratios)
    assert far >= 0.75 * len(ratios), (far, len(ratios))


def test_variant_tags_describe_the_mix(paras):
    counts = Counter(v for p in paras for v in p["variant"])
    assert set(counts) <= VARIANTS
    assert counts["polite"] >= 40 and counts["abbreviated-region"] >= 40, counts
    assert counts["chinese-numerals"] >= 10 and counts["period"] >= 5 and counts["dropped-subject"] >= 5, counts
    for p in paras:
        q = p["question"]
        if "polite" in p["variant"]:
            assert _POLITE.match(q), p["id"]
        if "period" in p["variant"]:
            assert "十四五" in q, p["id"]
        if "chinese-numerals" in p["variant"]:
            assert re.search("[〇零]", q), p["id"]


def test_period_and_numeral_variants_only_on_items_about_those_years(sources, paras):
    for p in paras:
        src_q = sources[p["source"]]["question"]
        if "十四五" in p["question"]:
            assert "2025" in src_q, p["id"]
        for cn, year in (("二〇二五", "2025"), ("二〇三五", "2035"), ("二〇三〇", "2030")):
            if cn in p["question"]:
                assert year in src_q, p["id"]


def test_evidence_is_verbatim_in_the_ingested_corpus(paras):
    loaded = load_gold(PARA)
    config = IngestConfig()
    assert check_evidence(loaded, CORPUS, lambda path: load_text(path, config)) == []
    clauses = {p.name: [norm(c.text) for d in ingest_file(p, config) for c in d.clauses] for p in CORPUS.iterdir() if not p.name.startswith(".")}
    bad = [(p["id"], g["evidence"][:30]) for p in paras for g in p["gold"]
           if not any(norm(g["evidence"]) in c for c in clauses[g["doc"]])]
    assert not bad, bad
