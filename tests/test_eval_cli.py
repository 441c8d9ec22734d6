"""`policyqa eval`: one command writes the run and prints the headline figures (fake index, no model)."""

from __future__ import annotations

import json

import pytest
from fixtures.answer.fake_index import FakeIndex, documents

from eval.baseline import LangChainBaseline
from index.fake import HashEmbedder
from policyqa import cmd_eval
from policyqa.cli import main

GOLD = [
    {"id": "number-1", "question": "青田县到2025年公民具备科学素质的比例要达到多少？", "type": "number",
     "gold": [{"doc": "qingtian.txt", "evidence": "我县公民具备科学素质的比例达到15%"}], "answer": "15%",
     "keywords": ["15%"]},
    {"id": "un-1", "question": "浙江省的科普经费是多少？", "type": "unanswerable", "gold": [], "answer": "",
     "keywords": []},
]


@pytest.fixture
def fake_setup(monkeypatch):
    def make_setup(args, progress):
        baseline = None
        if args.baseline:
            texts = {d.meta.source: "\n\n".join(c.text for c in d.clauses) for d in documents()}
            baseline = LangChainBaseline.from_texts(texts, HashEmbedder())
        return cmd_eval.Setup(index=FakeIndex(), corpus=None, baseline=baseline,
                              info={"index_build_seconds": 0.0, "documents": 4, "chunks": 14})

    monkeypatch.setattr(cmd_eval, "make_setup", make_setup)


def write_gold(tmp_path, rows):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_with_baseline_writes_the_report_and_prints_both_columns(tmp_path, fake_setup, capsys):
    out = tmp_path / "run"
    code = main(["eval", "--gold", str(write_gold(tmp_path, GOLD)), "--out", str(out), "--baseline", "--no-progress"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "project" in printed and "baseline" in printed
    assert "Evidence recall@5" in printed
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| metric | project | baseline |" in report
    assert "project_vs_baseline.png" in report
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["project"]["overall"]["refusal_rate_unanswerable"] == 1.0
    assert summary["baseline"]["overall"]["refusal_rate_unanswerable"] == 0.0
    assert summary["run"]["peak_rss_mb"] > 0
    assert summary["run"]["total_seconds"] >= 0


def test_types_and_limit_select_questions(tmp_path, fake_setup):
    out = tmp_path / "run"
    main(["eval", "--gold", str(write_gold(tmp_path, GOLD)), "--out", str(out), "--types", "unanswerable",
          "--no-progress"])
    rows = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(r)["id"] for r in rows] == ["un-1"]
    assert not (out / "results_baseline.jsonl").exists()


def test_a_malformed_gold_file_is_one_clean_error_line(tmp_path, fake_setup, capsys):
    path = write_gold(tmp_path, [GOLD[0], {**GOLD[1], "type": "other"}])
    assert main(["eval", "--gold", str(path), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: " in err and '"type" must be one of' in err


def test_against_an_earlier_summary_shows_the_change(tmp_path, fake_setup, capsys):
    gold = write_gold(tmp_path, GOLD)
    main(["eval", "--gold", str(gold), "--out", str(tmp_path / "a"), "--no-progress"])
    summary = tmp_path / "a" / "summary.json"
    data = json.loads(summary.read_text(encoding="utf-8"))
    data["project"]["overall"]["keyword_accuracy"] = 0.5  # pretend the earlier run was worse
    summary.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    main(["eval", "--gold", str(gold), "--out", str(tmp_path / "b"), "--against", str(summary), "--no-progress"])
    printed = capsys.readouterr().out
    assert "previous" in printed and "+0.500" in printed
    report = (tmp_path / "b" / "report.md").read_text(encoding="utf-8")
    assert "| metric | project | previous run | Δ |" in report
    assert "| Keyword accuracy | 1.000 | 0.500 | +0.500 |" in report


def test_against_a_file_that_is_not_a_summary_fails_before_running(tmp_path, fake_setup, capsys):
    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["eval", "--gold", str(write_gold(tmp_path, GOLD)), "--against", str(bad)]) == 2
    assert "not a policyqa eval summary.json" in capsys.readouterr().err
