"""An index that grows: FAISS kind by size, appends without a rebuild (counted), BM25 segments,
manifest round trip, format-1 compatibility, corpus change detection and the incremental sync."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from index.config import IndexConfig
from index.dense import DenseIndex, DenseParams
from index.fake import HashEmbedder
from index.lexical import LexicalIndex, char_tokens
from index.store import ClauseIndex, clause_chunks
from ingest.types import Clause, DocMeta, Document

PROVINCES = ["浙江省", "四川省", "云南省", "湖北省", "河南省", "山东省", "广东省", "福建省"]
TOPICS = ["科普基地实行认定管理", "科技志愿者注册服务", "青少年科学教育", "老年人数字技能培训",
          "农村实用技术推广", "应急科普宣传", "科普经费列入财政预算", "科学传播专业职称评审"]


def law(i: int) -> Document:
    """A small 第X条 law of a province, its articles drawn from the topics (distinct per document)."""
    region = PROVINCES[i % len(PROVINCES)]
    did = f"law{i}#0"
    meta = DocMeta(doc_id=did, source=f"law{i}.txt", title=f"{region}科学技术普及条例（第{i}号）", region=region,
                   level="省", doc_type="条例", content_hash=f"h{i}")
    arts = [f"{TOPICS[(i + j) % len(TOPICS)]}，由县级以上人民政府负责，第{i}号文件第{j + 1}条规定。" for j in range(3)]
    clauses = [Clause(clause_id=f"{did}/第{j + 1}条", doc_id=did, source=meta.source, section_path=f"第{j + 1}条",
                      headings=["第一章 总则"], text=t, order=j) for j, t in enumerate(arts)]
    return Document(meta=meta, clauses=clauses)


def build(n_docs: int, emb: HashEmbedder | None = None, **cfg) -> ClauseIndex:
    return ClauseIndex.build([law(i) for i in range(n_docs)], emb or HashEmbedder(), IndexConfig(**cfg),
                             chunk_fn=clause_chunks)


@pytest.fixture
def counts(monkeypatch):
    """How often BM25 is fitted from scratch and FAISS built from vectors."""
    seen = {"fit": 0, "from_vectors": 0}
    fit, from_vectors = LexicalIndex.fit, DenseIndex.from_vectors.__func__

    def counting_fit(self, *a, **k):
        seen["fit"] += 1
        return fit(self, *a, **k)

    def counting_from_vectors(cls, *a, **k):
        seen["from_vectors"] += 1
        return from_vectors(cls, *a, **k)

    monkeypatch.setattr(LexicalIndex, "fit", counting_fit)
    monkeypatch.setattr(DenseIndex, "from_vectors", classmethod(counting_from_vectors))
    return seen


# ---------------------------------------------------------------------- dense kind by size


def test_dense_index_is_flat_below_the_threshold_and_ivf_at_it():
    small = build(5, ann_threshold=30, ivf_nlist=4)
    assert small._dense.kind == "flat" and len(small.chunks) == 15
    big = build(10, ann_threshold=30, ivf_nlist=4)
    assert big._dense.kind == "ivf" and big._dense.describe()["nlist"] == 4
    q = "云南省青少年科学教育第2号文件"
    assert big.search(q, k=1)[0].chunk.chunk_id == build(10).search(q, k=1)[0].chunk.chunk_id


def test_adding_past_the_threshold_switches_to_ivf_and_keeps_every_vector():
    idx = build(9, ann_threshold=30, ivf_nlist=4)
    assert idx._dense.kind == "flat"
    before = idx._dense.vectors()
    idx.add([law(9), law(10)])
    assert idx._dense.kind == "ivf" and idx._dense.n == 33
    assert np.allclose(idx._dense.vectors()[:27], before, atol=1e-2)  # SQ8 codes: within a quantisation step


def test_scoped_search_on_ivf_returns_only_in_scope_rows():
    d = DenseIndex.from_vectors(np.eye(64, dtype=np.float32)[np.arange(200) % 64] + 0.01,
                                DenseParams(ann_threshold=100, nlist=8, exact_rows=10))
    assert d.kind == "ivf"
    rows = np.arange(100, 160)
    got, _ = d.search(np.eye(64, dtype=np.float32)[5], k=5, rows=rows)
    assert len(got) == 5 and set(got.tolist()) <= set(rows.tolist())


# ---------------------------------------------------------------------- appends


def test_adding_a_document_appends_without_refitting_or_rebuilding(counts):
    emb = HashEmbedder()
    idx = build(12, emb)
    counts.update(fit=0, from_vectors=0)
    emb.encoded = 0
    report = idx.add([law(12)])
    assert report["mode"] == "append" and report["embedded"] == 3 == emb.encoded
    assert counts == {"fit": 0, "from_vectors": 0}
    assert idx.search("浙江省第12号文件第3条", k=1)[0].meta.doc_id == "law12#0"
    assert idx.retrieve("浙江省科普基地实行认定管理")[0].meta.region == "浙江省"


def test_update_with_only_new_documents_appends_too(counts):
    idx = build(8)
    counts.update(fit=0, from_vectors=0)
    report = idx.update([law(i) for i in range(10)])  # 6 new rows on 24: within the 25 % refit fraction
    assert report["mode"] == "append" and sorted(report["added"]) == ["law8#0", "law9#0"]
    assert counts == {"fit": 0, "from_vectors": 0}


def test_bm25_refits_once_the_appended_rows_pass_the_refit_fraction(counts):
    idx = build(8, bm25_refit_fraction=0.25)
    counts.update(fit=0)
    idx.add([law(8)])  # 3 rows on 24: within 25 %
    assert counts["fit"] == 0 and idx._lexical.fitted_n == 24
    idx.add([law(9), law(10), law(11)])  # 12 appended rows on 24 fitted
    assert counts["fit"] == 1 and idx._lexical.fitted_n == idx._lexical.n == 36


def test_replacing_a_document_reuses_other_vectors(counts):
    emb = HashEmbedder()
    idx = build(6, emb)
    emb.encoded = 0
    changed = law(2)
    changed.meta.content_hash = "new"
    report = idx.add([changed])
    assert report["mode"] == "rebuild" and report["changed"] == ["law2#0"] and emb.encoded == 3


def test_lexical_scores_equal_bm25s_and_survive_append_and_compaction():
    bm25s = pytest.importorskip("bm25s")
    texts = [c.text for i in range(6) for c in law(i).clauses]
    lex = LexicalIndex().fit(texts)
    ref = bm25s.BM25(k1=1.5, b=0.75)
    ref.index([char_tokens(t) for t in texts], show_progress=False)
    q = "科技志愿者注册服务"
    assert np.allclose(lex.scores(q), ref.get_scores_from_ids(ref.get_tokens_ids(char_tokens(q))), atol=1e-5)
    grown = LexicalIndex().fit(texts[:12])
    grown.add(texts[12:15])
    grown.add(texts[15:])
    before = grown.scores(q)
    assert len(grown.segments) == 3 and before.shape == (18,)
    assert np.allclose(before[:12], LexicalIndex().fit(texts[:12]).scores(q))
    grown.compact()
    assert len(grown.segments) == 1 and np.allclose(grown.scores(q), before)


# ---------------------------------------------------------------------- persistence


def test_loaded_postings_are_mapped_read_only_and_score_as_before_through_add_and_resave(tmp_path: Path):
    texts = [c.text for i in range(6) for c in law(i).clauses]
    q = "科技志愿者注册服务"
    lex = LexicalIndex().fit(texts[:12])
    lex.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    seg = loaded.segments[0]
    assert isinstance(seg.data, np.memmap) and isinstance(seg.indices, np.memmap) and not seg.data.flags.writeable
    assert np.allclose(loaded.scores(q), lex.scores(q))
    loaded.add(texts[12:])  # appending never writes into the mapped arrays
    grown = loaded.scores(q)
    loaded.save(tmp_path / "bm25")  # compacts into new arrays, saved over the mapped files
    again = LexicalIndex.load(tmp_path / "bm25")
    assert np.allclose(again.scores(q), grown) and np.allclose(loaded.scores(q), grown)


def test_a_loaded_index_holds_each_repeated_string_once_and_equals_what_was_saved(tmp_path: Path):
    idx = ClauseIndex.build([law(i) for i in range(3)], HashEmbedder())
    idx.save(tmp_path / "idx")
    back = ClauseIndex.load(tmp_path / "idx", HashEmbedder())
    assert [c.to_dict() for c in back.chunks] == [c.to_dict() for c in idx.chunks]
    assert {k: c.to_dict() for k, c in back.clauses.items()} == {k: c.to_dict() for k, c in idx.clauses.items()}
    whole = [k for k in back.chunks if k.text == back.clauses[k.clause_id].text]
    assert whole and all(k.text is back.clauses[k.clause_id].text and k.doc_id is back.clauses[k.clause_id].doc_id
                         for k in whole)
    assert len({id(c.doc_id) for c in back.clauses.values()}) == 3


def test_bm25_file_whose_rows_exceed_the_index_is_refused(tmp_path: Path):
    lex = LexicalIndex().fit(["科普基地", "科普人才"])
    lex.save(tmp_path / "bm25")
    meta = json.loads((tmp_path / "bm25" / "lexical.json").read_text(encoding="utf-8"))
    meta["n"] = 1
    (tmp_path / "bm25" / "lexical.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="refers to row 1; it holds 1 rows"):
        LexicalIndex.load(tmp_path / "bm25")


def test_manifest_records_dense_kind_and_bm25_statistics_and_round_trips(tmp_path: Path):
    idx = build(10, ann_threshold=30, ivf_nlist=4, ivf_nprobe=2)
    idx.sources = {"law0.txt": {"size": 10, "mtime_ns": 1, "sha256": "ab"}}
    idx.save(tmp_path / "ix")
    man = json.loads((tmp_path / "ix" / "manifest.json").read_text("utf-8"))
    assert man["format_version"] == 3 and man["log"] == []
    assert man["dense"]["kind"] == "ivf" and man["dense"]["nlist"] == 4 and man["dense"]["nprobe"] == 2
    assert man["dense"]["trained_on"] == 30 and man["lexical"]["fitted_rows"] == 30
    loaded = ClauseIndex.load(tmp_path / "ix", HashEmbedder(), chunk_fn=clause_chunks)
    assert loaded._dense.kind == "ivf" and loaded.sources == idx.sources
    q = "四川省应急科普宣传"
    assert [h.chunk.chunk_id for h in loaded.search(q, k=5)] == [h.chunk.chunk_id for h in idx.search(q, k=5)]
    assert loaded.add([law(10)])["mode"] == "append" and loaded._lexical.fitted_n == 30


def test_a_format_1_index_with_bm25s_files_loads_and_refits_on_first_add(tmp_path: Path):
    bm25s = pytest.importorskip("bm25s")
    idx = build(5)
    ix = idx.save(tmp_path / "ix")
    bm = bm25s.BM25(k1=1.5, b=0.75)  # what format 1 wrote into bm25/
    bm.index([char_tokens(idx._lexical_text(c)) or [""] for c in idx.chunks], show_progress=False)
    for p in (ix / "bm25").iterdir():
        p.unlink()
    bm.save(str(ix / "bm25"), allow_pickle=False, show_progress=False)
    (ix / "bm25" / "lexical.json").write_text(json.dumps({"tokenizer": "char", "k1": 1.5, "b": 0.75, "n": 15}))
    man = json.loads((ix / "manifest.json").read_text("utf-8"))
    man["format_version"] = 1
    man.pop("manifest_sha256", None)  # format 1 had no manifest digest
    man["files"] = {k: v for k, v in man["files"].items() if not k.startswith("bm25/")}
    (ix / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    old = ClauseIndex.load(ix, HashEmbedder(), chunk_fn=clause_chunks)
    q = "云南省老年人数字技能培训"
    assert [h.chunk.chunk_id for h in old.search(q, k=3)] == [h.chunk.chunk_id for h in idx.search(q, k=3)]
    assert old._lexical.avgdl is None
    old.add([law(5)])
    assert old._lexical.avgdl is not None and old._lexical.fitted_n == 18


# ---------------------------------------------------------------------- change detection


def write_corpus(root: Path, n: int) -> None:
    (root / "省级").mkdir(parents=True, exist_ok=True)
    for i in range(n):
        doc = law(i)
        text = doc.meta.title + "\n" + "\n".join(f"{c.section_path} {c.text}" for c in doc.clauses) + "\n"
        (root / "省级" / f"law{i}.txt").write_text(text, encoding="utf-8")


def test_scan_hashes_only_files_whose_stats_changed(tmp_path: Path, monkeypatch):
    from index import changes

    write_corpus(tmp_path, 4)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden", encoding="utf-8")
    first = changes.scan(tmp_path, {})
    assert first.added == tuple(f"省级/law{i}.txt" for i in range(4)) and first.hashed == 4
    hashed = []
    real = changes.sha256_file
    monkeypatch.setattr(changes, "sha256_file", lambda p: hashed.append(p.name) or real(p))
    assert not changes.scan(tmp_path, first.stats).changed and hashed == []
    p0, p1, p2 = (tmp_path / "省级" / f"law{i}.txt" for i in range(3))
    st = p0.stat()
    os.utime(p0, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched: same content
    p1.write_text(p1.read_text("utf-8") + "第4条 新增条款。\n", encoding="utf-8")
    p2.unlink()
    (tmp_path / "省级" / "law9.txt").write_text("新条例\n第1条 内容。\n", encoding="utf-8")
    c = changes.scan(tmp_path, first.stats)
    assert (c.touched, c.modified, c.deleted, c.added) == (
        ("省级/law0.txt",), ("省级/law1.txt",), ("省级/law2.txt",), ("省级/law9.txt",))
    assert c.unchanged == ("省级/law3.txt",) and sorted(hashed) == ["law0.txt", "law1.txt", "law9.txt"]
    assert c.changed and set(c.stats) == {"省级/law0.txt", "省级/law1.txt", "省级/law3.txt", "省级/law9.txt"}


def test_open_or_build_parses_only_added_and_modified_files(tmp_path: Path, monkeypatch):
    pytest.importorskip("ingest.pipeline")
    import ingest.pipeline as pipeline
    from index.store import open_or_build

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 4)
    emb = HashEmbedder()
    first = open_or_build(corpus, tmp_path / "ix", emb, progress=False)
    assert len(first.metas) == 4 and len(first.sources) == 4
    parsed: list[str] = []
    real = pipeline.ingest_file
    monkeypatch.setattr(pipeline, "ingest_file", lambda p, *a, **k: parsed.append(Path(p).name) or real(p, *a, **k))
    monkeypatch.setattr(pipeline, "ingest_paths", lambda *a, **k: pytest.fail("whole corpus re-ingested"))
    same = open_or_build(corpus, tmp_path / "ix", emb, progress=False)
    assert parsed == [] and len(same.metas) == 4 and same.last_update.get("embedded", 0) == 0
    p1 = corpus / "省级" / "law1.txt"
    p1.write_text(p1.read_text("utf-8").replace("第1号", "第一号"), encoding="utf-8")
    (corpus / "省级" / "law3.txt").unlink()
    emb.encoded = 0
    after = open_or_build(corpus, tmp_path / "ix", emb, progress=False)
    assert parsed == ["law1.txt"] and len(after.metas) == 3
    assert after.last_update["changed"] == ["law1#0"] and after.last_update["removed"] == ["law3#0"]
    assert 0 < emb.encoded <= len(after.doc_clauses("law1#0")) + 1
    reopened = ClauseIndex.load(tmp_path / "ix", emb)
    assert set(reopened.sources) == {"省级/law0.txt", "省级/law1.txt", "省级/law2.txt"}


def test_large_index_is_frozen_out_of_the_cyclic_gc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A large index's objects are moved out of full collections (``gc.freeze``); small ones are not."""
    import gc

    import index.store as store

    calls: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(1))
    assert not store.settle(store.FREEZE_ROWS - 1) and calls == []
    assert store.settle(store.FREEZE_ROWS) and calls == [1]
    monkeypatch.setattr(store, "FREEZE_ROWS", 3)
    idx = build(2)  # 6 chunks
    assert len(calls) == 2
    ClauseIndex.load(idx.save(tmp_path / "ix"), HashEmbedder())
    assert len(calls) == 3


def test_jsonl_rows_are_read_one_by_one(tmp_path: Path) -> None:
    from index.persist import iter_jsonl, read_jsonl, write_jsonl

    write_jsonl(tmp_path / "r.jsonl", [{"a": 1}, {"b": "条"}])
    rows = iter_jsonl(tmp_path / "r.jsonl")
    assert next(rows) == {"a": 1} and list(rows) == [{"b": "条"}]
    assert read_jsonl(tmp_path / "r.jsonl") == [{"a": 1}, {"b": "条"}]
