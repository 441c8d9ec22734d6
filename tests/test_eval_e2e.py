"""`policyqa eval --baseline` end to end with the real embedding model, on 5 gold items over one
bundled document (small: the point is that the whole path runs, not the figures)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from eval.gold_io import load_gold
from policyqa.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold.jsonl"


@pytest.mark.model
def test_eval_runs_project_and_baseline_end_to_end_with_the_real_model(tmp_path, capsys):
    pytest.importorskip("ingest.pipeline")
    if not GOLD.exists():
        pytest.skip("eval/gold.jsonl not written yet")
    items = load_gold(GOLD)
    doc = "004_08a855d03f2fc296.txt"
    picked = [i for i in items if i.gold and {g["doc"] for g in i.gold} == {doc}][:4]
    picked += [i for i in items if not i.gold][:1]
    assert len(picked) == 5
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "data" / "corpus" / doc, corpus / doc)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in picked), encoding="utf-8")

    out = tmp_path / "run"
    assert main(["eval", "--gold", str(gold), "--corpus", str(corpus), "--out", str(out), "--baseline",
                 "--no-progress"]) == 0

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["project"]["overall"]["n"] == summary["baseline"]["overall"]["n"] == 5
    assert summary["project"]["overall"]["recall@10"] >= 0.5
    assert summary["baseline"]["overall"]["refusal_rate_unanswerable"] == 0.0
    assert summary["run"]["index_build_seconds"] > 0
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| metric | project | baseline |" in report
    for png in ("metrics_by_type.png", "latency.png", "project_vs_baseline.png"):
        assert (out / png).stat().st_size > 0
    assert "Evidence recall@5" in capsys.readouterr().out
