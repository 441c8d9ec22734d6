"""`policyqa search` / `policyqa index` over a saved hash-embedder index (model loading monkeypatched)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_index_store import build

from index.fake import HashEmbedder
from policyqa.cli import main


@pytest.fixture()
def saved(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr("index.models.load_embedder", lambda *a, **k: HashEmbedder())
    build().save(tmp_path / "ix")
    return tmp_path / "ix"


def test_search_prints_citation_and_scores(saved: Path, capsys):
    assert main(["search", "扬州市2025年公民具备科学素质的比例", "--index", str(saved), "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert "scope: regions=扬州市" in out
    assert "1. 《扬州市全民科学素质行动实施方案（2021—2025年）》（扬府办发〔2022〕37号） 一、" in out
    assert "fused " in out and "dense #" in out and "bm25 #" in out


def test_search_json_with_region_filter(saved: Path, capsys):
    assert main(["search", "科普人才队伍建设", "--index", str(saved), "--region", "甘肃", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["regions"] == ["甘肃"]
    assert {h["doc_id"] for h in data["hits"]} == {"gs#0"}
    assert data["hits"][0]["citation"].startswith("《甘肃省关于新时代进一步加强科学技术普及工作的若干措施》")


def test_search_per_doc_groups_by_document(saved: Path, capsys):
    assert main(["search", "科普人才队伍建设", "--index", str(saved), "--per-doc", "-k", "1", "--json",
                 "--region", "安徽", "--region", "甘肃"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["documents"]) == {"bz#1", "gs#0"}
    assert all(len(v) == 1 for v in data["documents"].values())


def test_search_by_doc_title_fragment(saved: Path, capsys):
    assert main(["search", "科普", "--index", str(saved), "--doc", "若干措施", "--json"]) == 0
    assert {h["doc_id"] for h in json.loads(capsys.readouterr().out)["hits"]} == {"gs#0"}


def test_unknown_doc_filter_lists_what_the_index_holds(saved: Path, capsys):
    assert main(["search", "科普", "--index", str(saved), "--doc", "浙江条例"]) == 2
    err = capsys.readouterr().err
    assert "浙江条例" in err and "gs#0" in err and "Traceback" not in err


def test_missing_index_error_says_how_to_rebuild(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr("index.models.load_embedder", lambda *a, **k: HashEmbedder())
    assert main(["search", "科普", "--index", str(tmp_path / "none")]) == 4
    err = capsys.readouterr().err
    assert "没有找到索引" in err and "policyqa index 语料目录 --index" in err and err.count("\n") == 1


def test_index_command_builds_then_updates_incrementally(tmp_path: Path, monkeypatch, capsys):
    pytest.importorskip("ingest.pipeline")
    emb = HashEmbedder()
    monkeypatch.setattr("index.models.load_embedder", lambda *a, **k: emb)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("扬州市科普工作方案\n\n一、总体要求\n到2025年，公民具备科学素质的比例超过19%。\n",
                                  encoding="utf-8")
    (corpus / "b.txt").write_text("甘肃省科普若干措施\n\n一、加强科普人才队伍建设\n畅通科普人才职业发展通道。\n",
                                  encoding="utf-8")
    ix = tmp_path / "ix"
    assert main(["index", str(corpus), "--index", str(ix), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["documents"] == 2 and first["embedded"] == first["chunks"] > 0
    (corpus / "b.txt").write_text("甘肃省科普若干措施\n\n一、加强科普人才队伍建设\n探索科学传播专业职称评审。\n",
                                  encoding="utf-8")
    (corpus / "a.txt").unlink()
    assert main(["index", str(corpus), "--index", str(ix), "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert len(second["changed"]) == 1 and second["removed"] == [] and second["kept_missing"] == ["a#0"]
    assert second["embedded"] < first["embedded"]
    assert main(["index", str(corpus), "--index", str(ix), "--json", "--prune"]) == 0
    third = json.loads(capsys.readouterr().out)
    assert third["removed"] == ["a#0"] and third["documents"] == 1


def test_index_appends_a_segment_for_a_new_file_and_compact_merges_it(tmp_path: Path, monkeypatch, capsys):
    emb = HashEmbedder()
    monkeypatch.setattr("index.models.load_embedder", lambda *a, **k: emb)
    corpus, ix = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    provinces = ["湖南省", "四川省", "云南省", "贵州省", "江西省", "福建省"]
    for i, prov in enumerate(provinces):
        (corpus / f"law{i}.txt").write_text(f"{prov}科学技术普及条例\n\n第一条 为了加强{prov}科学技术普及工作，制定本条例。\n"
                                            f"第二条 {prov}各级人民政府应当将科普经费列入财政预算。\n", encoding="utf-8")
    assert main(["index", str(corpus), "--index", str(ix), "--json"]) == 0
    capsys.readouterr()
    (corpus / "law9.txt").write_text("海南省科学技术普及条例\n\n第一条 海南省鼓励建设热带农业科普基地。\n", encoding="utf-8")
    assert main(["index", str(corpus), "--index", str(ix), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["added"] == ["law9#0"] and out["compacted"] is False
    man = json.loads((ix / "manifest.json").read_text("utf-8"))
    assert [e["kind"] for e in man["log"]] == ["add"]
    assert main(["index", str(corpus), "--index", str(ix), "--json", "--compact"]) == 0
    assert json.loads(capsys.readouterr().out)["compacted"] is True
    man = json.loads((ix / "manifest.json").read_text("utf-8"))
    assert man["log"] == [] and not [p for p in ix.iterdir() if p.name.startswith("seg-")]
    assert main(["search", "热带农业科普基地", "--index", str(ix), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["doc_id"] == "law9#0"
