"""`policyqa ask`: the same cited answer on the command line, as text or JSON."""

from __future__ import annotations

import json

import pytest
from fixtures.answer.fake_index import FakeIndex

from policyqa import cmd_ask
from policyqa.cli import main


@pytest.fixture
def fake_index(monkeypatch):
    idx = FakeIndex()
    monkeypatch.setattr(cmd_ask, "_load_index", lambda args: idx)
    return idx


def test_ask_prints_answer_and_sources(fake_index, capsys):
    assert main(["ask", "安徽加强科普人才队伍建设的责任单位是谁？"]) == 0
    out = capsys.readouterr().out
    assert "责任单位：省科协" in out and "[1]" in out
    assert "来源：" in out and "[1] 《安徽省新时代科学技术普及工作方案》（皖科才〔2023〕2号） 三、（一）3." in out
    assert "发布：安徽省科学技术厅" in out


def test_ask_json_is_the_answer_object(fake_index, capsys):
    assert main(["ask", "青田县每年培训高素质农民多少人次？", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["refused"] is False and d["citations"][0]["n"] == 1
    assert d["sentences"][0]["citations"] == [1]
    assert d["retrieved"]


def test_ask_refusal_lists_related_clauses(fake_index, capsys):
    assert main(["ask", "广东省公民科学素质比例目标是多少？"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("文件中没有找到") and "相关条款（仅供参考" in out


def test_ask_with_history_file_resolves_the_follow_up(fake_index, capsys, tmp_path):
    h = tmp_path / "h.json"
    h.write_text(json.dumps([{"role": "user", "content": "安徽加强科普人才队伍建设的责任单位是谁？"},
                             {"role": "assistant", "content": "……"}], ensure_ascii=False), encoding="utf-8")
    assert main(["ask", "那甘肃呢？", "--history", str(h), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["resolved_question"].startswith("甘肃")


def test_bad_history_file_is_one_clean_error(fake_index, capsys, tmp_path):
    h = tmp_path / "h.json"
    h.write_text("{}", encoding="utf-8")
    assert main(["ask", "问题", "--history", str(h)]) == 2
    assert "expected a JSON list" in capsys.readouterr().err
