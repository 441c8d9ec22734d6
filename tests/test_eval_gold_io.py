"""Gold-set reading: the documented format loads, malformed lines are named file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold_io import GoldFormatError, check_evidence, load_gold

ROOT = Path(__file__).resolve().parent.parent

GOOD = {
    "id": "number-001",
    "question": "扬州市到2025年公民具备科学素质的比例要达到多少？",
    "type": "number",
    "gold": [{"doc": "yz.txt", "evidence": "全市公民具备科学素质的比例超过15%"}],
    "answer": "超过15%。",
    "keywords": ["15%"],
}
UNANSWERABLE = {"id": "un-001", "question": "浙江省的科普经费是多少？", "type": "unanswerable", "gold": [],
                "answer": "文件中没有相关规定。", "keywords": []}
FOLLOWUP = {"id": "fu-001", "question": "那安徽呢？", "type": "followup",
            "history": [{"role": "user", "content": "扬州市到2025年公民具备科学素质的比例要达到多少？"},
                        {"role": "assistant", "content": "超过15%。"}],
            "gold": [{"doc": "ah.txt", "evidence": "安徽省公民具备科学素质比例力争达到16%"}],
            "answer": "力争达到16%。", "keywords": ["16%"]}


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def test_the_documented_format_loads_with_history_and_unanswerable_items(tmp_path):
    items = load_gold(write(tmp_path, [dumps(GOOD), "", dumps(UNANSWERABLE), dumps(FOLLOWUP)]))
    assert [i.id for i in items] == ["number-001", "un-001", "fu-001"]
    assert [i.answerable for i in items] == [True, False, True]
    assert items[2].history[0]["role"] == "user"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "not valid JSON"),
        (dumps({**GOOD, "type": "事实"}), '"type" must be one of'),
        (dumps({k: v for k, v in GOOD.items() if k != "question"}), '"question" is missing'),
        (dumps({**GOOD, "gold": [{"doc": "yz.txt"}]}), '"gold"[0] must be'),
        (dumps({**GOOD, "gold": []}), '"gold" is empty'),
        (dumps({**UNANSWERABLE, "gold": GOOD["gold"]}), "unanswerable items must have"),
        (dumps({**GOOD, "keywords": "15%"}), '"keywords" must be a list of strings'),
        (dumps({**FOLLOWUP, "history": [{"role": "system", "content": "x"}]}), '"history"[0] must be'),
    ],
)
def test_a_malformed_line_names_file_line_and_problem(tmp_path, bad, message):
    path = write(tmp_path, [dumps(GOOD), bad])
    with pytest.raises(GoldFormatError) as exc:
        load_gold(path)
    assert str(exc.value).startswith(f"{path}:2: ")
    assert message in str(exc.value)


def test_duplicate_ids_are_rejected(tmp_path):
    with pytest.raises(GoldFormatError, match=r":2: duplicate id 'number-001' \(first on line 1\)"):
        load_gold(write(tmp_path, [dumps(GOOD), dumps(GOOD)]))


def test_evidence_missing_from_its_source_file_is_reported(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "yz.txt").write_text("到2025年，全市公民具备科学素质的\n比例超过15%。", encoding="utf-8")
    items = load_gold(write(tmp_path, [dumps(GOOD), dumps(FOLLOWUP)]))
    problems = check_evidence(items, corpus)
    assert problems == [f"fu-001: source file ah.txt not in {corpus}"]
    bad = {**GOOD, "id": "n2", "gold": [{"doc": "yz.txt", "evidence": "比例超过18%"}]}
    assert "evidence not found" in check_evidence(load_gold(write(tmp_path, [dumps(bad)])), corpus)[0]


def test_the_bundled_gold_set_is_valid_against_the_bundled_corpus():
    gold = ROOT / "eval" / "gold.jsonl"
    if not gold.exists():
        pytest.skip("eval/gold.jsonl not written yet")
    items = load_gold(gold)
    assert items
    assert check_evidence(items, ROOT / "data" / "corpus") == []


def test_gold_sources_in_subfolders_of_the_corpus_are_found(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "扬州" / "2021").mkdir(parents=True)
    (corpus / ".hidden").mkdir()
    (corpus / "扬州" / "2021" / "yz.txt").write_text("到2025年，全市公民具备科学素质的\n比例超过15%。", encoding="utf-8")
    (corpus / ".hidden" / "ah.txt").write_text("安徽省新时代科学技术普及工作方案", encoding="utf-8")
    items = load_gold(write(tmp_path, [dumps(GOOD), dumps(FOLLOWUP)]))
    # yz.txt sits two folders down and is found; ah.txt is only in a hidden folder, which indexing skips too
    assert check_evidence(items, corpus) == [f"fu-001: source file ah.txt not in {corpus}"]
    by_path = {**GOOD, "id": "n3", "gold": [{"doc": "扬州/2021/yz.txt", "evidence": "比例超过15%"}]}
    assert check_evidence(load_gold(write(tmp_path, [dumps(by_path)])), corpus) == []
