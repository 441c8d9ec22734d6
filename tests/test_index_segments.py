"""Append-only saves (index.seglog, index.segments): a save after adding or removing documents
writes a segment or a tombstone list and a new manifest, never the base files; loading replays
them to the same index; damage is caught by checksums; compaction rewrites everything."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from index.config import IndexConfig
from index.docstore import DocStore
from index.fake import HashEmbedder
from index.persist import manifest_digest
from index.store import ClauseIndex, clause_chunks
from index.types import IndexCorrupt
from ingest.types import Clause, DocMeta, Document

QUERIES = ["科学技术普及工作的组织管理", "科普场馆免费开放", "湖南省科普经费", "青少年科技教育基地"]


def law(doc_id: str, title: str, region: str, articles: list[str]) -> Document:
    source = doc_id.split("#")[0] + ".txt"
    meta = DocMeta(doc_id=doc_id, source=source, title=title, region=region, level="省", doc_type="条例",
                   content_hash=f"h-{doc_id}")
    clauses = [Clause(clause_id=f"{doc_id}/第{i + 1}条", doc_id=doc_id, source=source, section_path=f"第{i + 1}条",
                      headings=["第一章 总则"], text=t, order=i) for i, t in enumerate(articles)]
    return Document(meta=meta, clauses=clauses)


def corpus() -> list[Document]:
    return [
        law("hn#0", "湖南省科学技术普及条例", "湖南省", [
            "第一条 为了加强科学技术普及工作，提高公民科学文化素质，根据有关法律，结合本省实际，制定本条例。",
            "第二条 县级以上人民政府应当将科普经费列入同级财政预算，逐步提高科普投入水平。",
            "第三条 科普场馆应当向公众免费或者优惠开放。"]),
        law("sc#0", "四川省科学技术普及条例", "四川省", [
            "第一条 科学技术普及工作的组织管理由科学技术行政部门负责。",
            "第二条 学校应当建设青少年科技教育基地，开展科技创新活动。"]),
        law("yn#0", "云南省科学技术普及条例", "云南省", [
            "第一条 各级科学技术协会是科普工作的主要社会力量。",
            "第二条 鼓励社会力量兴办科普场馆，依法享受税收优惠。",
            "第三条 每年五月为全省科技活动周。"]),
        law("gx#0", "广西壮族自治区科学技术普及条例", "广西壮族自治区", [
            "第一条 自治区人民政府领导全区科学技术普及工作。",
            "第二条 新闻出版、广播电视单位应当开设科普专栏。"]),
    ]


NEW = law("hb#0", "河北省科学技术普及条例", "河北省", [
    "第一条 河北省各级人民政府应当加强农村科普工作，培育新型职业农民。",
    "第二条 鼓励企业建设科普教育基地，向社会开放研发设施。"])
MORE = law("sx#0", "山西省科学技术普及条例", "山西省", ["第一条 山西省设立科普奖励，表彰在科普工作中做出突出贡献的单位和个人。"])


def cfg(**kw) -> IndexConfig:
    return IndexConfig(**{"compact_fraction": 10.0, **kw})


def build(**kw) -> ClauseIndex:
    return ClauseIndex.build(corpus(), HashEmbedder(), cfg(**kw), chunk_fn=clause_chunks)


def load(ix: Path, **kw) -> ClauseIndex:
    return ClauseIndex.load(ix, HashEmbedder(), cfg(**kw), clause_chunks)


def assert_same(a: ClauseIndex, b: ClauseIndex) -> None:
    assert [c.chunk_id for c in a.chunks] == [c.chunk_id for c in b.chunks]
    assert a.metas == b.metas and a.clauses == b.clauses
    assert np.array_equal(a._dense.vectors(), b._dense.vectors())
    for q in QUERIES:
        assert np.allclose(a._lexical.scores(q), b._lexical.scores(q)), q
        assert [(h.chunk.chunk_id, round(h.score, 9)) for h in a.search(q, k=5)] == \
            [(h.chunk.chunk_id, round(h.score, 9)) for h in b.search(q, k=5)], q


def files(ix: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(ix)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in ix.rglob("*") if p.is_file()}


def log(ix: Path) -> list[dict]:
    return json.loads((ix / "manifest.json").read_text("utf-8"))["log"]


def test_saving_after_an_add_writes_one_segment_and_the_manifest_not_the_base(tmp_path: Path):
    ix = tmp_path / "ix"
    idx = build()
    idx.save(ix)
    before = files(ix)
    idx.add([NEW])
    idx.save(ix)
    after = files(ix)
    assert {k: v for k, v in after.items() if k in before and k != "manifest.json"} == \
        {k: v for k, v in before.items() if k != "manifest.json"}  # base files untouched
    new = sorted(set(after) - set(before))
    assert new and all(k.startswith("seg-") for k in new)
    assert {"docs.json", "chunks.jsonl", "clauses.jsonl", "vectors.npy", "bm25/vocab.json"} <= \
        {k.split("/", 1)[1] for k in new}
    assert [e["kind"] for e in log(ix)] == ["add"] and log(ix)[0]["rows"] == len(NEW.clauses)
    loaded = load(ix)
    assert_same(idx, loaded)
    assert loaded.search("新型职业农民", k=1)[0].meta.doc_id == "hb#0"


def test_removing_saves_a_tombstone_list_and_the_document_stays_gone_after_loading(tmp_path: Path):
    ix = tmp_path / "ix"
    idx = build()
    idx.save(ix)
    idx.remove(["sc#0"])
    idx.save(ix)
    (entry,) = log(ix)
    tomb = json.loads((ix / entry["file"]).read_text("utf-8"))
    assert entry["kind"] == "remove" and tomb["documents"] == ["sc#0"]
    assert tomb["chunks"] == ["sc#0/第1条", "sc#0/第2条"]
    loaded = load(ix)
    assert "sc#0" not in loaded.metas
    assert_same(idx, loaded)


def test_adds_and_removals_in_any_order_between_saves_load_back_identically(tmp_path: Path):
    ix = tmp_path / "ix"
    idx = build()
    idx.save(ix)
    idx.add([NEW])
    idx.remove(["hn#0"])  # a removal after an add, before any save
    idx.save(ix)
    assert [e["kind"] for e in log(ix)] == ["remove", "add"]
    loaded = load(ix)
    assert_same(idx, loaded)
    loaded.add([MORE])
    loaded.remove(["hb#0"])  # a document that lives in a segment
    loaded.save(ix)
    assert [e["kind"] for e in log(ix)] == ["remove", "add", "remove", "add"]
    assert_same(loaded, load(ix))
    assert set(load(ix).metas) == {"sc#0", "yn#0", "gx#0", "sx#0"}


def test_a_segment_past_the_thresholds_or_compact_rewrites_the_whole_index(tmp_path: Path):
    ix = tmp_path / "ix"
    idx = build(compact_segments=2)
    idx.save(ix)
    idx.add([NEW])
    idx.save(ix)
    idx.remove(["yn#0"])
    idx.save(ix)
    assert len(log(ix)) == 2
    idx.add([MORE])
    idx.save(ix)  # a third entry: compaction
    assert log(ix) == [] and not [p for p in ix.iterdir() if p.name.startswith(("seg-", "del-"))]
    assert_same(idx, load(ix, compact_segments=2))
    small = build(compact_fraction=0.1)  # 1 row of 10 is not over 10 %, 3 rows are
    small.save(ix)
    small.add([MORE])
    small.save(ix)
    assert len(log(ix)) == 1
    small.add([NEW])
    small.save(ix)
    assert log(ix) == []
    small.remove(["gx#0"])
    small.save(ix, compact=True)  # on request; BM25 refit over the remaining rows
    assert log(ix) == [] and small._lexical.fitted_n == small._lexical.n == len(small.chunks)
    assert_same(small, load(ix, compact_fraction=0.1))


@pytest.mark.parametrize("target", ["chunks.jsonl", "vectors.npy", "bm25/part-0/data.npy", "tombstone"])
@pytest.mark.parametrize("damage", ["truncate", "bitflip"])
def test_a_damaged_segment_or_tombstone_file_is_reported_as_corrupt(tmp_path: Path, target: str, damage: str):
    ix = tmp_path / "ix"
    idx = build()
    idx.save(ix)
    idx.remove(["gx#0"])
    idx.add([NEW])
    idx.save(ix)
    entries = log(ix)
    f = ix / entries[0]["file"] if target == "tombstone" else ix / entries[1]["dir"] / target
    data = bytearray(f.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 2] ^= 0x10
    f.write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt):
        load(ix)


def test_an_uncommitted_segment_is_ignored_and_a_dead_writers_one_is_removed_by_the_next_save(tmp_path: Path):
    ix = tmp_path / "ix"
    idx = build()
    idx.save(ix)
    dead, live = ix / "seg-999999999-deadbeef", ix / f"seg-{os.getppid()}-cafecafe"
    for d in (dead, live):
        d.mkdir()
        (d / "chunks.jsonl").write_text('{"half": ', encoding="utf-8")  # a killed save's leftover
    loaded = load(ix)
    assert_same(idx, loaded)
    loaded.add([NEW])
    loaded.save(ix)
    assert not dead.exists() and live.exists()  # the live writer may still commit it
    assert_same(loaded, load(ix))


def test_a_format_2_index_loads_and_takes_appends(tmp_path: Path):
    ix = tmp_path / "ix"
    idx = build()
    idx.save(ix)
    man = json.loads((ix / "manifest.json").read_text("utf-8"))
    for key in ("log", "base_rows", "manifest_sha256"):
        man.pop(key)
    man["format_version"] = 2
    (ix / "manifest.json").write_text(json.dumps(man, ensure_ascii=False), encoding="utf-8")
    old = load(ix)
    assert_same(idx, old)
    old.add([NEW])
    old.save(ix)
    man = json.loads((ix / "manifest.json").read_text("utf-8"))
    assert man["format_version"] == 3 and [e["kind"] for e in man["log"]] == ["add"]
    assert man["manifest_sha256"] == manifest_digest(man)
    assert_same(old, load(ix))


def test_a_save_after_another_writer_committed_rewrites_instead_of_appending(tmp_path: Path):
    ix = tmp_path / "ix"
    first = build()
    first.save(ix)
    second = load(ix)
    second.add([MORE])
    second.save(ix)  # another process's commit
    first.add([NEW])
    first.save(ix)  # must not append onto a manifest it never saw
    assert log(ix) == []
    assert_same(first, load(ix))


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    for d in corpus():
        (folder / d.meta.source).write_text("\n".join([d.meta.title, *(c.text for c in d.clauses)]), encoding="utf-8")


def test_store_sync_parses_only_modified_files_and_appends_them(tmp_path: Path, monkeypatch):
    folder, ix = tmp_path / "corpus", tmp_path / "ix"
    write_corpus(folder)
    store = DocStore(folder, ix, HashEmbedder(), index_config=cfg())
    assert store.sync().ok
    assert store.sync().ok  # records every file's stats on the first sync with a stats-less index
    parsed: list[str] = []
    real = store.ingest_one
    monkeypatch.setattr(store, "ingest_one", lambda p, stem: parsed.append(p.name) or real(p, stem))
    os.utime(folder / "yn.txt", ns=(1, 1))  # touched: new stats, same bytes
    report = store.sync()
    assert parsed == [] and not report.update["changed"] and report.ok
    with open(folder / "sc.txt", "a", encoding="utf-8") as f:
        f.write("\n第三条 每年九月为全省科普日。")
    before = files(ix)
    report = store.sync()
    assert parsed == ["sc.txt"] and report.update["changed"] == ["sc#0"]
    assert [e["kind"] for e in log(ix)][-2:] == ["remove", "add"]
    assert all(before[k] == v for k, v in files(ix).items() if k in before and k != "manifest.json")
    fresh = DocStore(folder, tmp_path / "ix2", HashEmbedder(), index_config=cfg()).open()
    assert fresh.search("全省科普日", k=1)[0].meta.doc_id == store.open().search("全省科普日", k=1)[0].meta.doc_id


def test_docstring_examples_of_the_segment_modules():
    import doctest
    import importlib

    for name in ("index.segments",):
        assert doctest.testmod(importlib.import_module(name)).failed == 0, name


def test_bm25_segments_merged_in_memory_between_saves_still_save_as_one_segment(tmp_path: Path):
    ix = tmp_path / "ix"
    idx = build(bm25_refit_fraction=100.0)  # no refit: 18 rows appended to 10
    idx.save(ix)
    for i in range(18):  # more appends than LexicalIndex keeps apart: it merges its segments
        idx.add([law(f"city{i}#0", f"第{i}市科学技术普及办法", "浙江省", [f"第一条 第{i}市设立科普日，组织科普讲座{i}场。"])])
    assert len(idx._lexical.segments) < 18
    idx.save(ix)
    assert [e["kind"] for e in log(ix)] == ["add"] and log(ix)[0]["rows"] == 18
    assert_same(idx, load(ix, bm25_refit_fraction=100.0))


def test_store_add_and_remove_keep_the_change_record_so_the_next_sync_parses_nothing(tmp_path: Path, monkeypatch):
    folder, ix = tmp_path / "corpus", tmp_path / "ix"
    write_corpus(folder)
    store = DocStore(folder, ix, HashEmbedder(), index_config=cfg())
    store.sync()
    store.sync()
    upload = tmp_path / "hb.txt"
    upload.write_text("河北省科学技术普及条例\n第一条 河北省各级人民政府应当加强农村科普工作。", encoding="utf-8")
    assert store.add([upload]).ok and store.remove("yn.txt").ok
    parsed: list[str] = []
    real = store.ingest_one
    monkeypatch.setattr(store, "ingest_one", lambda p, stem: parsed.append(p.name) or real(p, stem))
    report = store.sync(prune=True)
    assert parsed == [] and report.ok and not (report.update["added"] or report.update["removed"])
    assert "hb.txt" in store.open().sources and "yn.txt" not in store.open().sources


def test_two_same_named_files_in_subfolders_do_not_duplicate_a_document_on_resync(tmp_path: Path):
    folder, ix = tmp_path / "corpus", tmp_path / "ix"
    write_corpus(folder)
    for sub, body in (("行政法", "第一条 广告应当真实、合法。"), ("经济法", "第一条 广告不得含有虚假内容。")):
        (folder / sub).mkdir()
        (folder / sub / "广告法.txt").write_text(f"中华人民共和国广告法\n{body}", encoding="utf-8")
    store = DocStore(folder, ix, HashEmbedder(), index_config=cfg())
    store.sync()
    store.sync()
    rows = len(store.open().chunks)
    report = store.sync()
    assert not (report.update["added"] or report.update["changed"]) and len(store.open().chunks) == rows
    assert len({c.chunk_id for c in store.open().chunks}) == rows
