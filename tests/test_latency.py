"""``eval.latency``: the questions the scale benchmark times per type, and the per-type timing."""

from __future__ import annotations

import json
from pathlib import Path

from eval.latency import document_questions, gold_questions, time_answers
from ingest.types import DocMeta

LAW = """{region}科学技术普及条例

第一条 为了加强科学技术普及工作，提高公民的科学文化素质，结合{region}实际，制定本条例。

第二条 {region}人民政府应当将科普经费列入本级财政预算，逐步提高科普投入水平。

第三条 本条例自2020年1月1日起施行。
"""


def _gold(path: Path) -> Path:
    items = [
        {"id": "f1", "type": "fact", "question": "湖北省科普经费列入什么？"},
        {"id": "f2", "type": "fact", "question": "陕西省的条例什么时候施行？"},
        {"id": "c1", "type": "compare", "question": "湖北和陕西的科普经费规定有何不同？"},
        {"id": "u1", "type": "followup", "question": "那陕西呢？",
         "history": [{"role": "user", "content": "湖北省科普经费列入什么？"},
                     {"role": "assistant", "content": "列入本级财政预算。"}]},
    ]
    with path.open("w", encoding="utf-8") as f:
        for it in items:
            it.update(gold=[{"doc": "law0.md", "evidence": "科普经费列入本级财政预算"}], answer="列入本级财政预算。",
                      keywords=["财政预算"])
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    return path


def test_gold_questions_go_round_robin_over_types_and_keep_follow_up_history(tmp_path: Path):
    qs = gold_questions([_gold(tmp_path / "g.jsonl")], 3)
    assert [q["type"] for q in qs] == ["fact", "compare", "followup"]
    assert qs[2]["history"][0]["content"] == "湖北省科普经费列入什么？" and "history" not in qs[0]
    assert [q["type"] for q in gold_questions([tmp_path / "g.jsonl"], 10)] == ["fact", "compare", "followup", "fact"]


def test_document_questions_ask_by_title_and_ask_a_number_only_of_documents_that_have_one():
    metas = {"a": DocMeta("a", "a.txt", title="湖北省科学技术普及条例"),
             "b": DocMeta("b", "b.txt", title="陕西省全民科学素质行动实施方案", doc_number="陕政办发〔2021〕30号"),
             "c": DocMeta("c", "c.txt", title="")}
    qs = document_questions(metas, 4)
    assert len(qs) == 4 and all(q["type"] == "document" for q in qs)
    assert all("湖北省科学技术普及条例" in q["question"] or "陕西省全民科学素质行动实施方案" in q["question"] for q in qs)
    assert not any("湖北" in q["question"] and "发文字号" in q["question"] for q in qs)
    assert document_questions({"c": metas["c"]}, 3) == [] and document_questions(metas, 0) == []


def test_time_answers_reports_every_type_with_its_slowest_questions(tmp_path: Path):
    from chatbot.config import AnswerConfig
    from index.fake import HashEmbedder
    from index.store import ClauseIndex
    from ingest.config import IngestConfig
    from ingest.pipeline import ingest_paths

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, region in enumerate(["湖北省", "陕西省"]):
        (corpus / f"law{i}.md").write_text(LAW.format(region=region), encoding="utf-8")
    docs = ingest_paths(sorted(corpus.iterdir()), IngestConfig(), progress=False).documents
    idx = ClauseIndex.build(docs, HashEmbedder(dim=64))
    qs = gold_questions([_gold(tmp_path / "g.jsonl")], 10) + document_questions(idx.metas, 2)
    res = time_answers(idx, qs, AnswerConfig(today="2026-12-03"), profile_dir=tmp_path / "prof")
    assert set(res["by_type"]) == {"fact", "compare", "followup", "document"}
    assert res["by_type"]["fact"]["n"] == 2 and res["by_type"]["document"]["n"] == 2
    assert all(0 < row["p50"] <= row["max"] + 0.05 for row in res["by_type"].values())  # max: one decimal
    assert res["slowest"]["fact"][0][0] >= res["slowest"]["fact"][1][0]
    assert {q for _, q in res["slowest"]["fact"]} == {"湖北省科普经费列入什么？", "陕西省的条例什么时候施行？"}
    assert "answer" in (tmp_path / "prof" / "fact.prof.txt").read_text("utf-8")
