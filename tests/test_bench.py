"""`policyqa bench` end to end on a tiny corpus (hash embedder, small multiplication), and its pieces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import scale

pytest.importorskip("ingest.pipeline")

LAW = """{region}科学技术普及条例

第一章 总则

第一条 为了加强科学技术普及工作，提高公民的科学文化素质，根据有关法律，结合{region}实际，制定本条例。

第二条 {region}人民政府应当将科普经费列入本级财政预算，逐步提高科普投入水平。

第二章 科普基地

第三条 科普基地实行认定管理。符合条件的场所，可以申请认定为{region}科普基地。
"""


def write_corpus(root: Path) -> Path:
    for i, region in enumerate(["湖北省", "陕西省", "贵州省"]):
        sub = root / ("地方" if i else "")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"law{i}.md").write_text(LAW.format(region=region), encoding="utf-8")
    return root


def test_multiply_copies_documents_with_new_ids_up_to_the_target(tmp_path: Path):
    from ingest.config import IngestConfig

    info = scale.prepare(write_corpus(tmp_path / "c"), tmp_path / "w", IngestConfig(), progress=False)
    docs, chunks = scale.load_prepared(tmp_path / "w")
    assert info["documents"] == len(docs) == 3 and info["chunks"] == sum(map(len, chunks.values()))
    big, big_chunks = scale.multiply(docs, chunks, 4 * info["chunks"])
    ids = [d.meta.doc_id for d in big]
    assert len(ids) == len(set(ids)) == 12 and sum(map(len, big_chunks.values())) == 4 * info["chunks"]
    copy = big[5]
    assert copy.meta.doc_id.endswith("~1") and "（副本1）" in copy.meta.title
    assert all(c.doc_id == copy.meta.doc_id for c in copy.clauses + big_chunks[copy.meta.doc_id])
    assert {c.clause_id for c in big_chunks[copy.meta.doc_id]} <= {c.clause_id for c in copy.clauses}


def test_sample_vectors_are_deterministic_unit_vectors_near_the_sample():
    import numpy as np

    sample = np.eye(8, dtype=np.float32)
    emb = scale.SampleVectors(sample, name="s", noise=0.1)
    a = emb.encode_passages(["第一条 科普基地实行认定管理。", "第二条 科普经费列入预算。"])
    assert np.allclose(a, emb.encode_passages(["第一条 科普基地实行认定管理。", "第二条 科普经费列入预算。"]))
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5) and (a @ sample.T).max(axis=1).min() > 0.9


def test_bench_command_runs_end_to_end_on_a_tiny_corpus(tmp_path: Path):
    from policyqa.cli import main

    corpus = write_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    code = main(["bench", "--corpus", str(corpus), "--sizes", "12,40", "--embed-sample", "4", "--questions", "4",
                 "--distractors", "0", "--fake-model", "--no-progress", "--out", str(out)])
    assert code == 0
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["prepare"]["documents"] == 3 and summary["embedding"]["passages"] == 4
    sizes = summary["sizes"]
    assert [s["size"] for s in sizes] == [12, 40]
    assert sizes[1]["build"]["chunks"] >= 40 > sizes[0]["build"]["chunks"]
    for s in sizes:
        assert s["build"]["index_bytes"] > 0 and s["build"]["build_peak_rss_mb"] > 0
        assert s["serve"]["retrieve_ms"]["p50"] > 0 and s["serve"]["answer_ms_by_type"]
        assert s["serve"]["answer_ms_by_type"]["document"]["n"] == 8  # questions about the index's own documents
        assert set(s["serve"]["slowest_answers"]) == set(s["serve"]["answer_ms_by_type"])
        assert s["serve"]["add_one_document"]["mode"] == "append"
    assert (out / "scale.png").stat().st_size > 0
    report = (out / "report.md").read_text("utf-8")
    assert "| chunks |" in report and "Full answer p50 / p95 (ms) by question type" in report


def test_quality_run_scores_a_gold_set_alone_and_with_distractors(tmp_path: Path):
    from eval.scale_report import CachingEmbedder, quality_run
    from index.config import IndexConfig
    from index.fake import HashEmbedder
    from ingest.config import IngestConfig

    corpus = write_corpus(tmp_path / "corpus")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "f1", "type": "fact", "question": "湖北省科普经费列入什么？",
                                "gold": [{"doc": "law0.md", "evidence": "湖北省人民政府应当将科普经费列入本级财政预算"}],
                                "answer": "列入本级财政预算。", "keywords": ["财政预算"]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    own = tmp_path / "own"
    own.mkdir()
    (own / "law0.md").write_text((corpus / "law0.md").read_text("utf-8"), encoding="utf-8")
    emb = CachingEmbedder(HashEmbedder())
    res = quality_run("t", gold, own, sorted((corpus / "地方").iterdir()), emb, tmp_path / "q", IngestConfig(),
                      IndexConfig(), progress=False)
    assert res["distractor_documents"] == 2 and res["alone"]["documents"] == 1
    assert res["with_distractors"]["documents"] == 3 and res["alone"]["recall@5"] == 1.0
    assert res["recall@5_drop"] == pytest.approx(res["alone"]["recall@5"] - res["with_distractors"]["recall@5"])
    assert emb.encoded == res["with_distractors"]["chunks"]  # the corpus' own chunks were embedded once
