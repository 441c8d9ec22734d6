"""20 concurrent chat sessions (gradio_client) against the served fixture app: all answered, all correct."""

from __future__ import annotations

import importlib.util
import socket
import sys
from pathlib import Path

import pytest
from app_fixture import build_fixture_index, fake_answer

ROOT = Path(__file__).resolve().parent.parent


def _load_script():
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "scripts" / "load_test.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = mod  # dataclasses look their module up while the file executes
    spec.loader.exec_module(mod)
    return mod


load_test = _load_script()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CASES = [
    load_test.Case("扬州市公民具备科学素质的比例", ["18%"]),
    load_test.Case("砀山县公民具备科学素质的比例", ["12%"]),
    load_test.Case("县科协负责牵头科普经费", ["县科协"]),
    load_test.Case("青少年科学素质提升行动", ["青少年"]),
]


def test_twenty_concurrent_sessions_all_get_correct_cited_answers():
    from chatbot.app import create_app, launch

    app = create_app(build_fixture_index(), answer_fn=fake_answer)
    port = _free_port()
    launch(app, host="127.0.0.1", port=port, block=False, quiet=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        reference = load_test.solo_answers(url, CASES, timeout=60)
        report = load_test.run_load(url, CASES, sessions=20, timeout=60, reference=reference)
    finally:
        app.close()
    assert len(report.results) == 20
    assert [r.error for r in report.results if r.error] == []
    assert report.answered == report.correct == report.identical == report.solo_correct == 20
    assert report.passed()
    assert report.percentile(50) is not None and report.percentile(95) >= report.percentile(50)


def test_non_loopback_addresses_are_refused():
    with pytest.raises(SystemExit):
        load_test.check_loopback("http://10.0.0.5:7860/")
    assert load_test.check_loopback("http://localhost:7860/")


def test_answer_check_normalises_width_and_space_and_needs_a_citation():
    case = load_test.Case("q", ["15%", "县科协"])
    assert load_test.check_answer("比例达到１５％，由县 科协负责[1]。", case) == ""
    assert load_test.check_answer("比例达到15%，由县科协负责。", case) == "no [n] citation"
    assert "missing" in load_test.check_answer("比例达到15%[1]", case)


def test_cases_come_from_a_gold_file(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"question": "甲？", "must_include": ["18%"]}\n'
        '{"question": "乙？", "type": "unanswerable", "keywords": ["x"]}\n'
        '{"question": "丁？", "history": [{"role": "user", "content": "甲"}], "keywords": ["x"]}\n'
        '{"question": "丙？"}\n',
        encoding="utf-8",
    )
    assert [(c.question, c.expected) for c in load_test.load_cases(gold)] == [("甲？", ["18%"])]
