"""`policyqa docs --json` reports each document's status, effective date and later version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from index.fake import HashEmbedder
from policyqa.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def _docs(corpus: Path, ix: Path, capsys, today: str) -> dict[str, dict]:
    capsys.readouterr()
    assert main(["docs", "--json", "--corpus", str(corpus), "--index", str(ix), "--today", today]) == 0
    return {r["source"]: r for r in json.loads(capsys.readouterr().out)}


def test_docs_json_marks_the_earlier_version_superseded_by_the_later(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("index.models.load_embedder", lambda *a, **k: HashEmbedder(dim=64))
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    shutil.copytree(FIXTURES / "versions", corpus)
    assert main(["index", str(corpus), "--index", str(ix)]) == 0
    rows = _docs(corpus, ix, capsys, "2026-12-03")
    old, new = rows["行政复议法(2017-09-01).md"], rows["行政复议法(2023-09-01).md"]
    assert old["status"] == "已被修订" and old["superseded_by"] == new["id"]
    assert new["status"] == "现行有效" and new["superseded_by"] == ""
    assert new["effective_date"] == "2024-01-01" and old["version_group"] == new["version_group"] != ""
    before = _docs(corpus, ix, capsys, "2023-12-31")  # the 2023 revision is not yet in force
    assert before["行政复议法(2023-09-01).md"]["status"] == "尚未施行"
    assert before["行政复议法(2017-09-01).md"]["status"] == "现行有效"


def test_docs_json_says_a_plan_whose_period_has_ended(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("index.models.load_embedder", lambda *a, **k: HashEmbedder(dim=64))
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(
        "东川市全民科学素质行动规划纲要实施方案（2021—2025年）\n东川市人民政府\n2021年6月1日\n"
        "一、目标\n到2025年，全市公民具备科学素质的比例达到15%。\n", encoding="utf-8")
    assert main(["index", str(corpus), "--index", str(ix)]) == 0
    assert _docs(corpus, ix, capsys, "2026-12-03")["plan.txt"]["status"] == "规划期已结束"
    assert _docs(corpus, ix, capsys, "2024-05-01")["plan.txt"]["status"] == "现行有效"
