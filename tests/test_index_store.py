"""ClauseIndex over small hand-built documents with the hash embedder: build, search, scope,
per-document mode, incremental updates, persistence and its errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from index.config import IndexConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex, clause_chunks
from index.types import IndexError_, Scope
from ingest.types import Clause, DocMeta, Document


def make_doc(doc_id: str, title: str, region: str, level: str, items: list[tuple[str, str]],
             number: str = "", parent: str = "", content_hash: str = "h1", doc_type: str = "方案",
             date: str = "2023-01-01") -> Document:
    source = doc_id.split("#")[0] + ".txt"
    meta = DocMeta(doc_id=doc_id, source=source, title=title, doc_number=number, region=region, level=level,
                   doc_type=doc_type, parent_doc_id=parent, content_hash=content_hash, date=date)
    clauses = [Clause(clause_id=f"{doc_id}/{path}", doc_id=doc_id, source=source, section_path=path,
                      headings=[], text=text, order=i) for i, (path, text) in enumerate(items)]
    return Document(meta=meta, clauses=clauses)


def sample_documents() -> list[Document]:
    return [
        make_doc("yz#0", "扬州市全民科学素质行动实施方案（2021—2025年）", "扬州市", "市", [
            ("一、", "到2025年，我市公民具备科学素质的比例超过19%，科普基础设施更加完善。"),
            ("二、（一）", "实施青少年科学素质提升行动，推进中小学科学教育，建设科技辅导员队伍。"),
            ("二、（二）", "实施农民科学素质提升行动，开展高素质农民培训，助力乡村振兴。"),
        ], number="扬府办发〔2022〕37号", doc_type="方案"),
        make_doc("bz#0", "关于转发安徽省新时代科学技术普及工作方案的工作提示", "亳州市", "市", [
            ("p0", "请各相关单位根据承担的任务，结合工作实际，提出我市贯彻落实意见。"),
        ], doc_type="通知"),
        make_doc("bz#1", "安徽省新时代科学技术普及工作方案", "安徽省", "省", [
            ("一、", "到2025年，全省公民具备科学素质比例力争达到16%，科普人才队伍不断壮大。"),
            ("三、（一）", "加强科普人才队伍建设，注册科技志愿者超过50万人。"),
        ], number="皖科才〔2023〕2号", parent="bz#0", doc_type="方案"),
        make_doc("gs#0", "甘肃省关于新时代进一步加强科学技术普及工作的若干措施", "甘肃省", "省", [
            ("二、（五）", "加强科普人才队伍建设。探索开展科学传播专业职称评审，畅通科普人才职业发展通道。"),
            ("四、（十七）", "提升老年人科学素质，在老年人群中组织开展精准多元的专题科普活动。"),
        ], number="甘科才〔2023〕1号", doc_type="措施"),
        make_doc("ds#0", "砀山县全民科学素质行动规划纲要实施方案（2021-2025年）", "砀山县", "县", [
            ("一、（一）", "为全面建设现代化美好砀山筑牢公民科学素质基础。"),
            ("二、（一）", "实施农民科学素质提升行动，依托砀山酥梨产业开展果农技术培训。"),
        ], doc_type="方案"),
    ]


def build(docs: list[Document] | None = None, emb: HashEmbedder | None = None, **cfg) -> ClauseIndex:
    return ClauseIndex.build(docs or sample_documents(), emb or HashEmbedder(), IndexConfig(**cfg),
                             chunk_fn=clause_chunks)


def test_search_returns_hits_with_clause_meta_and_both_ranks():
    idx = build()
    hits = idx.search("扬州市2025年公民具备科学素质的比例", k=3)
    assert hits[0].clause.clause_id == "yz#0/一、"
    h = hits[0]
    assert h.meta.region == "扬州市" and h.dense_rank is not None and h.lexical_rank is not None
    assert h.score == pytest.approx(1 / (60 + h.dense_rank) + 1 / (60 + h.lexical_rank))
    assert [x.score for x in hits] == sorted((x.score for x in hits), reverse=True)
    assert h.to_dict()["doc_number"] == "扬府办发〔2022〕37号"


def test_region_scope_returns_only_that_regions_document():
    idx = build()
    hits = idx.search("科普人才队伍建设", k=10, scope=Scope(regions=["甘肃"]))
    assert hits and {h.meta.doc_id for h in hits} == {"gs#0"}


def test_scope_filters_before_cutoff_so_weak_matches_still_return():
    idx = build()
    hits = idx.search("扬州市公民科学素质比例", k=1, scope=Scope(regions=["砀山县"]))
    assert len(hits) == 1 and hits[0].meta.region == "砀山县"


def test_region_scope_is_strict_and_a_named_notice_brings_its_forwarded_plan():
    idx = build()
    assert {h.meta.doc_id for h in idx.search("科普", k=10, scope=Scope(regions=["亳州市"]))} == {"bz#0"}
    assert {h.meta.doc_id for h in idx.search("科普", k=10, scope=Scope(regions=["安徽"]))} == {"bz#1"}
    assert {h.meta.doc_id for h in idx.search("科普", k=10, scope=Scope(doc_ids=["bz#0"]))} == {"bz#0", "bz#1"}


def test_level_type_and_date_filters():
    idx = build()
    assert {h.meta.doc_id for h in idx.search("科学素质", k=20, scope=Scope(levels=["县"]))} == {"ds#0"}
    assert {h.meta.doc_id for h in idx.search("科普", k=20, scope=Scope(doc_types=["措施"]))} == {"gs#0"}
    assert idx.search("科普", k=5, scope=Scope(date_from="2030-01-01")) == []


def test_search_per_doc_gives_best_clauses_of_each_in_scope_document():
    idx = build()
    per = idx.search_per_doc("科普人才队伍建设", k_per_doc=1, scope=Scope(regions=["安徽", "甘肃"]))
    assert set(per) == {"bz#1", "gs#0"}
    assert per["bz#1"][0].clause.clause_id == "bz#1/三、（一）"
    assert per["gs#0"][0].clause.clause_id == "gs#0/二、（五）"
    assert all(len(v) == 1 for v in per.values())


def test_retrieve_per_doc_interleaves_the_top_hits_of_each_document_in_scope():
    idx = build()
    hits = idx.retrieve("科普人才队伍建设", k=1, scope=Scope(regions=["安徽省", "甘肃省"]), per_doc=True)
    assert {h.meta.doc_id for h in hits} >= {"bz#1", "gs#0"}
    assert "yz#0" not in {h.meta.doc_id for h in hits}


def test_retrieve_takes_terms_and_filters():
    idx = build()
    hits = idx.retrieve("农民科学素质提升行动怎么做", k=3, scope=Scope(regions=["砀山"]))
    assert hits and {h.meta.region for h in hits} == {"砀山县"}


def test_incremental_update_embeds_only_the_changed_document():
    emb = HashEmbedder()
    docs = sample_documents()
    idx = build(docs, emb)
    total = sum(len(d.clauses) for d in docs)
    assert emb.encoded == total
    changed = make_doc("gs#0", docs[3].meta.title, "甘肃省", "省",
                       [("二、（五）", "加强科普人才队伍建设，修订后的条文。")], content_hash="h2")
    report = idx.update(docs[:3] + [changed] + docs[4:])
    assert emb.encoded == total + 1
    assert report["changed"] == ["gs#0"] and report["embedded"] == 1 and not report["added"]
    assert idx.clauses["gs#0/二、（五）"].text == "加强科普人才队伍建设，修订后的条文。"
    assert "gs#0/四、（十七）" not in idx.clauses
    assert idx.search("修订后的条文", k=1)[0].clause.clause_id == "gs#0/二、（五）"


def test_unchanged_update_embeds_nothing():
    emb = HashEmbedder()
    idx = build(emb=emb)
    before = emb.encoded
    report = idx.update(sample_documents())
    assert emb.encoded == before and report["embedded"] == 0 and len(report["unchanged"]) == 5


def test_update_drops_documents_no_longer_given():
    idx = build()
    report = idx.update([d for d in sample_documents() if d.meta.doc_id != "ds#0"])
    assert report["removed"] == ["ds#0"]
    assert "ds#0" not in idx.metas and not [c for c in idx.clauses.values() if c.doc_id == "ds#0"]
    assert all(h.meta.doc_id != "ds#0" for h in idx.search("砀山酥梨果农技术培训", k=20))


def test_add_replaces_a_source_and_remove_drops_documents():
    emb = HashEmbedder()
    idx = build(emb=emb)
    before = emb.encoded
    new = make_doc("nw#0", "某县科普工作方案", "某县", "县", [("一、", "建设县级科技馆。")])
    idx.add([new])
    assert "nw#0" in idx.metas and emb.encoded == before + 1
    idx.remove(["nw#0", "yz#0"])
    assert "nw#0" not in idx.metas and "yz#0" not in idx.metas
    assert not [h for h in idx.search("扬州", k=20) if h.meta.doc_id == "yz#0"]


def test_saved_index_loads_and_answers_identically(tmp_path: Path):
    idx = build()
    idx.save(tmp_path / "ix")
    files = {p.name for p in (tmp_path / "ix").iterdir()}
    assert {"manifest.json", "dense.faiss", "docs.json", "clauses.jsonl", "chunks.jsonl", "bm25"} <= files
    assert not list((tmp_path / "ix").rglob("*.pkl")) and not list((tmp_path / "ix").rglob("*.pickle"))
    loaded = ClauseIndex.load(tmp_path / "ix", HashEmbedder(), chunk_fn=clause_chunks)
    q = "科普人才队伍建设"
    assert [h.chunk.chunk_id for h in loaded.search(q, k=5)] == [h.chunk.chunk_id for h in idx.search(q, k=5)]
    assert loaded.doc_clauses("yz#0") == idx.doc_clauses("yz#0")
    man = json.loads((tmp_path / "ix" / "manifest.json").read_text("utf-8"))
    assert man["model"] == "fake-hash-embedder" and man["dim"] == 256 and man["normalized"] is True
    assert man["documents"]["gs#0"]["content_hash"] == "h1"


def test_loaded_index_updates_incrementally(tmp_path: Path):
    build().save(tmp_path / "ix")
    emb = HashEmbedder()
    loaded = ClauseIndex.load(tmp_path / "ix", emb, chunk_fn=clause_chunks)
    docs = sample_documents()
    docs.append(make_doc("nw#0", "某县科普工作方案", "某县", "县", [("一、", "建设县级科技馆。")]))
    report = loaded.update(docs)
    assert report["added"] == ["nw#0"] and emb.encoded == 1


def test_missing_index_says_how_to_rebuild(tmp_path: Path):
    with pytest.raises(IndexError_, match="policyqa index .* --index"):
        ClauseIndex.load(tmp_path / "nothing", HashEmbedder())


@pytest.mark.parametrize("name", ["dense.faiss", "chunks.jsonl", "manifest.json", "bm25/vocab.json"])
def test_truncated_index_file_says_how_to_rebuild(tmp_path: Path, name: str):
    build().save(tmp_path / "ix")
    path = tmp_path / "ix" / name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IndexError_, match="policyqa index .* --index"):
        ClauseIndex.load(tmp_path / "ix", HashEmbedder())


def test_deleted_index_file_says_how_to_rebuild(tmp_path: Path):
    build().save(tmp_path / "ix")
    os.remove(tmp_path / "ix" / "dense.faiss")
    with pytest.raises(IndexError_, match="dense.faiss is missing.*policyqa index"):
        ClauseIndex.load(tmp_path / "ix", HashEmbedder())


def test_opening_with_another_model_is_a_clear_error(tmp_path: Path):
    build().save(tmp_path / "ix")
    with pytest.raises(IndexError_, match="built with model 'fake-hash-embedder'.*other-model"):
        ClauseIndex.load(tmp_path / "ix", HashEmbedder(dim=256, name="other-model"))


def test_save_replaces_previous_index_without_leftovers(tmp_path: Path):
    idx = build()
    idx.save(tmp_path / "ix")
    idx.remove(["yz#0"])
    idx.save(tmp_path / "ix")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ix"]
    assert "yz#0" not in ClauseIndex.load(tmp_path / "ix", HashEmbedder()).metas


def test_interrupted_save_leaves_previous_index_usable(tmp_path: Path, monkeypatch):
    idx = build()
    idx.save(tmp_path / "ix")
    idx.remove(["yz#0"])

    def crash(*a, **k):
        raise KeyboardInterrupt("simulated crash while writing")

    monkeypatch.setattr("index.persist.write_jsonl", crash)
    with pytest.raises(KeyboardInterrupt):
        idx.save(tmp_path / "ix")
    monkeypatch.undo()
    assert "yz#0" in ClauseIndex.load(tmp_path / "ix", HashEmbedder()).metas
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ix"]


def test_crash_between_renames_is_recovered_from_backup(tmp_path: Path):
    build().save(tmp_path / "ix")
    os.replace(tmp_path / "ix", tmp_path / ".ix.old-deadbeef")  # state after the first rename
    assert "yz#0" in ClauseIndex.load(tmp_path / "ix", HashEmbedder()).metas


def test_another_tokenizer_refits_lexical_without_reembedding(tmp_path: Path):
    build().save(tmp_path / "ix")
    emb = HashEmbedder()
    loaded = ClauseIndex.load(tmp_path / "ix", emb, IndexConfig(tokenizer="jieba"))
    assert emb.encoded == 0 and loaded.dirty
    assert loaded.search("砀山酥梨", k=1)[0].meta.doc_id == "ds#0"


def test_hnsw_above_threshold_gives_same_top_hit():
    flat = build()
    hnsw = build(dense_kind="hnsw")
    q = "老年人科学素质"
    assert hnsw._dense.kind == "hnsw"
    assert hnsw.search(q, k=1)[0].chunk.chunk_id == flat.search(q, k=1)[0].chunk.chunk_id


def test_empty_index_and_empty_scope_return_nothing():
    idx = ClauseIndex.build([], HashEmbedder(), IndexConfig(), chunk_fn=clause_chunks)
    assert idx.search("科普", k=5) == [] and idx.search_per_doc("科普") == {}
    assert build().search("科普", k=5, scope=Scope(regions=["浙江省"])) == []


def test_repeated_query_is_encoded_once():
    emb = HashEmbedder()
    idx = build(emb=emb)
    calls = emb.calls
    idx.search("科普人才队伍建设", k=3)
    idx.search_per_doc("科普人才队伍建设", k_per_doc=2)
    idx.retrieve("科普人才队伍建设", k=3)
    assert emb.calls == calls + 1


def test_question_about_the_document_itself_ranks_its_closing_clause():
    docs = sample_documents()
    yz = docs[0]
    yz.clauses.append(Clause(clause_id="yz#0/p9", doc_id="yz#0", source=yz.meta.source, section_path="",
                             headings=[], text="抄送：市委各部委办。\n扬州市人民政府办公室\n2022年4月19日印发",
                             kind="closing", order=9))
    idx = build(docs)
    hits = idx.retrieve("方案是哪天出台的", k=3, scope=Scope(regions=["扬州市"]), structural=True)
    assert "yz#0/p9" in [h.clause.clause_id for h in hits]
    assert {h.meta.doc_id for h in hits} == {"yz#0"}


def test_add_and_remove_keep_stored_chunks_of_other_documents(tmp_path: Path):
    build().save(tmp_path / "ix")
    emb = HashEmbedder()

    def refuse(doc):
        raise AssertionError(f"{doc.meta.doc_id} should not be re-chunked")

    loaded = ClauseIndex.load(tmp_path / "ix", emb, chunk_fn=refuse)
    report = loaded.remove(["yz#0"])
    assert report["removed"] == ["yz#0"] and emb.encoded == 0
    assert len(loaded.chunks) == sum(len(d.clauses) for d in sample_documents()[1:])
