"""Distractor evaluation pieces: the cached passage embedder, the choice of distractors and the
foreign / out-of-scope citation shares; the query stage among many documents of one region."""

from __future__ import annotations

import json

import numpy as np

from eval.distractors import (
    CachedPassageEmbedder,
    cached_documents,
    foreign_citations,
    out_of_scope_citations,
    pick_distractors,
    text_key,
)
from index.fake import HashEmbedder
from ingest.types import Chunk, DocMeta, Document
from query.known import Known
from query.mentions import read_mentions


def test_cached_passages_are_not_embedded_again_and_misses_go_to_the_model():
    inner = HashEmbedder(dim=16)
    loads = []
    cached_vec = np.ones(16, dtype=np.float32) / 4
    emb = CachedPassageEmbedder({text_key("第一条 为了普及科学技术知识"): cached_vec},
                                lambda: loads.append(1) or inner, name="x", dim=16)
    out = emb.encode_passages(["第一条 为了普及科学技术知识"])
    assert np.allclose(out[0], cached_vec) and not loads  # the model is never loaded for a cached passage
    out = emb.encode_passages(["第二条 本条例所称科普", "第一条 为了普及科学技术知识"])
    assert np.allclose(out[0], inner.encode_passages(["第二条 本条例所称科普"])[0])
    assert (emb.hits, emb.misses) == (2, 1) and loads == [1]


def _doc(title: str, region: str) -> Document:
    return Document(meta=DocMeta(f"{title}#0", f"{title}.md", title=title, region=region), clauses=[])


def test_only_fully_cached_documents_are_mixed_in_and_a_corpus_document_is_not_repeated():
    chunks = {"a#0": [Chunk("a#0/1", "a#0/1", "a#0", "x", "x"), Chunk("a#0/2", "a#0/2", "a#0", "y", "y")],
              "b#0": [Chunk("b#0/1", "b#0/1", "b#0", "z", "z")]}
    assert cached_documents(["a#0", "b#0"], chunks, {text_key("x"): 0, text_key("z"): 0}) == ["b#0"]
    own = [_doc("河南省科学技术普及条例", "河南省")]
    scale = {d.meta.doc_id: d for d in [own[0], _doc("浙江省科学技术普及条例", "浙江省"), _doc("浙江省种子条例", "浙江省")]}
    picked, same = pick_distractors(list(scale), scale, own, 1)
    assert [d.meta.title for d in picked] == ["浙江省科学技术普及条例"] and same == ["河南省科学技术普及条例#0"]


def test_a_citation_from_a_distractor_is_foreign_and_one_outside_the_named_region_is_out_of_scope():
    rec = {"refused": False, "scope": {"regions": ["河南省"], "doc_ids": []},
           "citations": [{"doc": "河南省科学技术普及条例.md"}, {"doc": "浙江省种子条例.md"}, {"doc": "河南省种子条例.md"}]}
    own = {"河南省科学技术普及条例.md"}
    assert foreign_citations(rec, {"河南省科学技术普及条例.md"}, own) == (2, 3)
    regions = {"浙江省种子条例.md": "浙江省", "河南省种子条例.md": "河南省"}
    assert out_of_scope_citations(rec, {"河南省科学技术普及条例.md"}, regions) == (1, 3)
    assert foreign_citations({**rec, "refused": True}, set(), own) == (0, 0)


def _known(*titles: str) -> Known:
    return Known.from_metas([DocMeta(f"{t}#0", f"{t}.md", title=t, region=t[:3]) for t in titles])


def test_a_short_title_names_its_document_among_other_laws_of_the_region():
    k = _known("郑州市科学技术普及条例", "郑州市文明行为促进条例", "郑州市科学技术投入条例")
    assert read_mentions("郑州市科普条例第十一条禁止什么？", k).doc_ids == ("郑州市科学技术普及条例#0",)
    k = _known("北京市志愿服务促进条例", "北京市种子条例", "北京市数字经济促进条例")
    assert read_mentions("北京志愿服务条例第二十八条不允许哪些行为？", k).doc_ids == ("北京市志愿服务促进条例#0",)


def test_an_ending_every_law_of_the_region_shares_designates_no_document():
    k = _known("上海市科学技术进步条例", "上海市职业教育条例", "上海市推进科技创新中心建设条例")
    m = read_mentions("上海的条例要推进哪些重要承载区的建设？", k)
    assert m.regions == ("上海市",) and m.doc_ids == ()
    k = _known("上海市科学技术进步条例")  # one document: the ending names it
    assert read_mentions("上海的条例要推进哪些重要承载区的建设？", k).doc_ids == ("上海市科学技术进步条例#0",)


def test_a_short_law_name_names_its_versions_when_no_other_title_ends_that_way():
    k = Known.from_metas([DocMeta(f"{t}#{i}", f"{t}{i}.md", title=t) for i, t in
                          enumerate(["中华人民共和国行政复议法", "中华人民共和国行政复议法", "中华人民共和国公务员法",
                                     "上海市优化营商环境条例", "北京市优化营商环境条例"])])
    assert read_mentions("行政复议法第九十五条规定了什么？", k).doc_ids == (
        "中华人民共和国行政复议法#0", "中华人民共和国行政复议法#1")
    assert read_mentions("环境条例第九十五条规定了什么？", k).doc_ids == ()


def test_two_versions_of_one_law_named_are_not_a_comparison():
    from query import Intent, understand

    k = Known.from_metas([DocMeta(f"x#{i}", f"x{i}.md", title="中华人民共和国行政复议法", date=d)
                          for i, d in enumerate(("2017-09-01", "2023-09-01"))]
                         + [DocMeta("y#0", "y.md", title="中华人民共和国公务员法")])
    q = understand("行政复议法里申请人最多可以委托几名代理人？", None, k)
    assert q.doc_ids == ("x#0", "x#1") and q.intent != Intent.COMPARISON
    q = understand("按现行行政复议法，申请人最多可以委托几名代理人？", None, k)  # 现行 picks the later version
    assert q.doc_ids == ("x#1",) and q.intent != Intent.COMPARISON


LEAVE_RULES = """# 某某公司年休假实施办法

<!-- INFO END -->

第一条 职工年休假天数根据累计工作时间确定，按照国家规定执行。

第二条 本办法自2020年1月1日起施行。
"""
LEAVE_LAW = """# 职工带薪年休假条例

<!-- INFO END -->

第一条 职工累计工作已满1年不满10年的，年休假5天；已满10年不满20年的，年休假10天；已满20年的，年休假15天。

第二条 本条例自2008年1月1日起施行。
"""


def test_an_item_unanswerable_only_for_a_missing_document_leaves_the_refusal_rate_when_it_is_mixed_in(tmp_path):
    from eval.distractors import run_one
    from eval.gold_io import GoldItem
    from index.config import IndexConfig
    from index.store import default_chunk_fn
    from ingest.config import IngestConfig
    from ingest.pipeline import ingest_paths

    for name, text in (("办法.md", LEAVE_RULES), ("条例.md", LEAVE_LAW)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    own, extra = (ingest_paths([tmp_path / n], IngestConfig(), progress=False).documents for n in ("办法.md", "条例.md"))
    items = [GoldItem("u1", "职工累计工作满10年，一年能休几天年休假？", "unanswerable", [], absent=["职工带薪年休假条例"]),
             GoldItem("u2", "个人所得税的起征点是多少？", "unanswerable", [])]
    row = run_one("mixed-1", items, own + extra, HashEmbedder(), default_chunk_fn(IngestConfig()), tmp_path / "run",
                  {"办法.md"}, IndexConfig(), progress=False)
    assert [u["id"] for u in row["premise_changed"]] == ["u1"]
    assert row["premise_changed"][0]["present"] == "职工带薪年休假条例"
    records = [json.loads(x) for x in (tmp_path / "run" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    u2_refused = next(r for r in records if r["id"] == "u2")["refused"]
    assert row["refusal_rate_unanswerable"] == (1.0 if u2_refused else 0.0)  # u1 is not counted
    alone = run_one("alone", items, own, HashEmbedder(), default_chunk_fn(IngestConfig()), tmp_path / "alone",
                    {"办法.md"}, IndexConfig(), progress=False)
    assert alone["premise_changed"] == [] and alone["refusal_rate_unanswerable"] == alone["refusal_all_unanswerable"]
