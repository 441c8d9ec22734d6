"""The benchmark runner, baseline and report over a tiny hand-built index (no model)."""

from __future__ import annotations

import json

import pytest
from fixtures.answer.fake_index import FakeIndex, documents

from chatbot.types import Answer, AnswerSentence, Citation
from eval.baseline import LangChainBaseline
from eval.gold_io import GoldItem
from eval.report import failures
from eval.run import run_benchmark
from index.fake import HashEmbedder

NUMBER = GoldItem("number-1", "青田县到2025年公民具备科学素质的比例要达到多少？", "number",
                  [{"doc": "qingtian.txt", "evidence": "我县公民具备科学素质的比例达到15%"}], "15%", ["15%"])
RESPONSIBLE = GoldItem("resp-1", "加强学校科学教育由谁负责？", "responsible",
                       [{"doc": "qingtian.txt", "evidence": "牵头单位：县教育局；配合单位：县科协、团县委"}],
                       "县教育局", ["县教育局", "县科协"])
UNANSWERABLE = GoldItem("un-1", "浙江省的科普经费是多少？", "unanswerable", [], "没有相关规定", [])
FOLLOWUP = GoldItem("fu-1", "那安徽呢？", "followup",
                    [{"doc": "ah.txt", "evidence": "安徽省公民具备科学素质比例力争达到 16%"}], "16%", ["16%"],
                    history=[{"role": "user", "content": "青田县到2025年公民具备科学素质的比例要达到多少？"},
                             {"role": "assistant", "content": "达到15%[1]。"}])
ITEMS = [NUMBER, RESPONSIBLE, UNANSWERABLE, FOLLOWUP]


@pytest.fixture(scope="module")
def baseline():
    texts = {d.meta.source: "\n\n".join(c.text for c in d.clauses) for d in documents()}
    return LangChainBaseline.from_texts(texts, HashEmbedder())


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_run_writes_results_summary_report_and_plots(tmp_path, baseline):
    summary = run_benchmark(ITEMS, FakeIndex(), tmp_path, baseline=baseline, progress=False)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"results.jsonl", "results_baseline.jsonl", "summary.json", "report.md", "metrics_by_type.png",
            "latency.png", "project_vs_baseline.png"} <= names
    rows = read_jsonl(tmp_path / "results.jsonl")
    assert [r["id"] for r in rows] == ["number-1", "resp-1", "un-1", "fu-1"]
    row = rows[0]
    for key in ("id", "type", "question", "answer", "refused", "citations", "retrieved", "latency_ms"):
        assert key in row
    assert set(row["citations"][0]) >= {"doc", "clause_id", "section_path", "text"}
    assert set(row["retrieved"][0]) == {"doc", "clause_id", "section_path", "text", "score"}
    assert len(row["retrieved"]) <= 10
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["n_items"] == 4
    assert set(summary["project"]) == {"overall", "number", "responsible", "unanswerable", "followup"}


def test_the_real_composer_on_the_fake_index_scores_well_and_refuses_the_unknown_region(tmp_path):
    overall = run_benchmark(ITEMS, FakeIndex(), tmp_path, progress=False, report=False)["project"]["overall"]
    assert overall["recall@5"] == 1.0
    assert overall["keyword_accuracy"] == 1.0
    assert overall["refusal_rate_unanswerable"] == 1.0
    assert overall["false_refusal_rate"] == 0.0


def test_the_baseline_never_refuses_and_answers_with_its_top_chunk(baseline):
    ans = baseline.ask(UNANSWERABLE.question)
    assert not ans.refused
    assert ans.text == ans.citations[0].text == ans.retrieved[0]["text"]
    assert len(ans.retrieved) == min(5, baseline.n_chunks)
    assert ans.citations[0].doc.endswith(".txt")


def test_the_baseline_chunks_with_the_langchain_splitter_500_50():
    text = "。".join(f"第{i}条 各级人民政府应当加强科普工作，将科普经费列入本级财政预算" for i in range(60))
    bl = LangChainBaseline.from_texts({"law.txt": text}, HashEmbedder())
    chunks = [d.page_content for d in bl.store.docstore._dict.values()]
    assert len(chunks) == bl.n_chunks > 1
    assert max(len(c) for c in chunks) <= 500


def test_followup_items_pass_their_history_to_the_answer_function(tmp_path):
    seen = []

    def fake_answer(question, index, history=None):
        seen.append((question, history))
        return Answer(question, question, "无", [], [], refused=True)

    run_benchmark([FOLLOWUP, NUMBER], FakeIndex(), tmp_path, answer_fn=fake_answer, progress=False, report=False)
    assert seen[0] == ("那安徽呢？", FOLLOWUP.history)
    assert seen[1] == (NUMBER.question, None)


def cited(text: str, n: int = 1, doc: str = "qingtian.txt") -> Citation:
    return Citation(n, doc, doc + "#0", f"{doc}#0/x{n}", "", "", [], "", "", text)


def test_a_wrong_answer_scores_low_and_is_listed_as_failed(tmp_path):
    wrong_clause = "（二）加大经费投入。县财政将科普经费列入年度预算，逐步提高人均科普经费标准。"

    def wrong(question, index, history=None):
        c = cited(wrong_clause)
        return Answer(question, question, "比例达到18%[1]。", [AnswerSentence("比例达到18%[1]。", [1])], [c],
                      retrieved=[{"doc": c.doc, "clause_id": c.clause_id, "text": c.text, "score": 1.0}])

    summary = run_benchmark([NUMBER, UNANSWERABLE], FakeIndex(), tmp_path, answer_fn=wrong, progress=False)
    o = summary["project"]["overall"]
    assert o["recall@10"] == 0.0
    assert o["citation_precision"] == 0.0
    assert o["keyword_accuracy"] == 0.0
    assert o["number_fidelity"] == 0.0
    assert o["lexical_support"] == 0.0
    assert o["refusal_rate_unanswerable"] == 0.0
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "missing keywords: 15%" in report
    assert "answered an unanswerable question" in report


def test_a_question_that_raises_is_recorded_and_the_run_goes_on(tmp_path):
    def flaky(question, index, history=None):
        if "浙江" in question:
            raise RuntimeError("boom")
        return Answer(question, question, "无", [], [], refused=True)

    run_benchmark([UNANSWERABLE, NUMBER], FakeIndex(), tmp_path, answer_fn=flaky, progress=False, report=False)
    rows = read_jsonl(tmp_path / "results.jsonl")
    assert rows[0]["error"] == "RuntimeError: boom"
    assert rows[1]["refused"] is True


def test_failures_name_wrong_refusals():
    rec = {"answer": "文件中没有找到", "refusal_reason": "low_relevance",
           "scores": {"answerable": True, "refused": True, "missing_keywords": ["15%"], "recall@10": 1.0}}
    assert failures([NUMBER], [rec])[0]["problem"] == "refused wrongly (low_relevance)"
