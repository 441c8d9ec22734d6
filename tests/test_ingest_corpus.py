"""The five bundled documents: metadata read from the text, exact structure, clean clause boundaries.

Expected values below are facts of the bundled texts (read by hand), not parser output copied back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.config import IngestConfig
from ingest.normalize import fold
from ingest.parse import parse_text
from ingest.structure import detect_marker

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
PREFIXES = ["000", "001", "002", "003", "004"]


def _docs(prefix: str):
    [path] = sorted(CORPUS.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    return text, parse_text(text, path.name, IngestConfig())


@pytest.fixture(scope="module")
def corpus():
    return {p: _docs(p) for p in PREFIXES}


def _meta(doc):
    m = doc.meta
    return (m.title, m.doc_number, m.date, m.region, m.level, m.doc_type)


def test_bozhou_file_holds_notice_forwarded_plan_and_attachment_table(corpus):
    _, docs = corpus["000"]
    assert [_meta(d) for d in docs] == [
        ("工作提示", "", "2023-05-09", "亳州市", "市", ""),
        ("安徽省新时代科学技术普及工作方案", "皖科才〔2023〕2号", "2023-04-04", "安徽省", "省", "方案"),
        ("亳州市新时代科学技术普及工作任务分解表", "", "", "亳州市", "市", "表"),
    ]
    notice, plan, table = docs
    assert notice.meta.issuers == ["亳州市科学技术局"]
    assert plan.meta.issuers == ["安徽省科学技术厅办公室"]
    assert plan.meta.parent_doc_id == notice.meta.doc_id == table.meta.parent_doc_id
    # the notice's deadline, contact and attachment list are answerable from its own clauses
    notice_text = "\n".join(c.text for c in notice.clauses)
    assert "5月16日前" in notice_text and "联系人：赵肖宇" in notice_text and "附件" in notice_text
    assert not any("5月16日" in c.text for c in plan.clauses)
    assert [c.kind for c in table.clauses].count("table") == 1  # a header-only table still yields one clause


def test_dangshan_metadata_absent_fields_empty(corpus):
    _, [doc] = corpus["001"]
    assert _meta(doc) == ("砀山县全民科学素质行动规划纲要实施方案（2021-2025年）", "", "", "砀山县", "县", "方案")
    assert doc.meta.issuers == []
    assert all("bookmark" not in c.text for c in doc.clauses)


def test_yangzhou_cover_notice_is_header_of_the_plan(corpus):
    _, [doc] = corpus["002"]
    assert _meta(doc) == ("扬州市全民科学素质行动实施方案（2021—2025年）", "扬府办发〔2022〕37号", "2022-04-19",
                          "扬州市", "市", "方案")
    assert doc.meta.issuers == ["扬州市人民政府办公室"]
    assert doc.clauses[0].kind == "header" and "现印发给你们" in doc.clauses[0].text


@pytest.mark.parametrize("prefix, lines", [
    ("002", ["扬州市人民政府办公室文件", "扬府办发〔2022〕37号", "扬州市全民科学素质行动实施方案"]),
    ("004", ["甘肃省科学技术厅", "中共甘肃省委组织部", "文件", "甘科才〔2023〕1号", "2023年2月1日"]),
    ("001", ["砀山县全民科学素质行动规划纲要", "（征求意见稿）"]),
])
def test_letterhead_and_title_block_are_in_the_first_header_clause(corpus, prefix, lines):
    _, docs = corpus[prefix]
    head = docs[0].clauses[0]
    assert head.kind == "header" and head.section_path == ""
    for line in lines:
        assert line in head.text.split("\n")


def test_jilin_has_no_number_and_no_date_and_region_from_text(corpus):
    _, [doc] = corpus["003"]
    assert _meta(doc) == (
        "关于贯彻落实中共中央办公厅 国务院办公厅《关于新时代进一步加强科学技术普及工作的意见》的实施方案",
        "", "", "吉林省", "省", "方案")
    assert doc.meta.issuers == []


def test_gansu_joint_issuance_nine_issuers(corpus):
    _, [doc] = corpus["004"]
    assert _meta(doc) == ("甘肃省关于新时代进一步加强科学技术普及工作的若干措施", "甘科才〔2023〕1号", "2023-02-01",
                          "甘肃省", "省", "措施")
    assert len(doc.meta.issuers) == 9
    assert doc.meta.issuers[0] == "甘肃省科学技术厅"
    assert doc.meta.issuers[-1] == "甘肃省人民政府国有资产监督管理委员会"


def test_jilin_items_one_to_twenty_eight_under_six_sections(corpus):
    _, [doc] = corpus["003"]
    items = [c for c in doc.clauses if c.kind == "item"]
    cn = "一二三四五六七八九"
    numerals = list(cn) + ["十"] + ["十" + d for d in cn] + ["二十"] + ["二十" + d for d in cn[:8]]
    assert [c.section_path.split("、", 1)[1] for c in items] == [f"（{n}）" for n in numerals]
    tops = [c.section_path.split("、", 1)[0] for c in items]
    assert sorted(set(tops), key=tops.index) == list("一二三四五六")
    assert all(c.headings[0].startswith(c.section_path.split("、")[0] + "、") for c in items)


def test_yangzhou_three_two_two_starts_with_its_heading(corpus):
    _, [doc] = corpus["002"]
    [c] = [c for c in doc.clauses if c.section_path == "三、（二）2."]
    assert re.sub(r"^2\.\s*", "", c.text).startswith("加强农村科普与科技服务")
    assert c.headings == ["三、提升行动", "（二）农民科学素质提升行动"]
    # the half-width "(一) 科技资源科普化工程" gets the same display form in the path
    assert any(c.section_path == "四、（一）1." for c in doc.clauses)


def test_dangshan_labels_group_measures(corpus):
    _, [doc] = corpus["001"]
    task = next(c for c in doc.clauses if c.section_path == "二、（一）")
    assert task.text.startswith("任务：") and task.responsible == ["县教育局", "县科协", "各镇（园区）"]
    m1 = next(c for c in doc.clauses if c.section_path == "二、（一）1.")
    assert m1.headings[-1] == "措施" and m1.text.startswith("1.利用科普资源助推")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_clauses_do_not_overlap_and_map_to_source(corpus, prefix):
    text, docs = corpus[prefix]
    spans = sorted((c.start, c.end, c.clause_id) for d in docs for c in d.clauses)
    for (_s1, e1, a), (s2, _e2, b) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2, f"{a} overlaps {b}"
    for d in docs:
        for c in d.clauses:
            if c.kind == "table":
                continue
            source = re.sub(r"(?m)^[-*•]\s+", "", text[c.start:c.end])  # markdown bullets are artefacts
            source = re.sub(r"\s", "", source).replace("[bookmark:_GoBack]", "")
            assert source == re.sub(r"\s", "", c.text)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_no_clause_holds_a_page_break_fragment_or_another_clause(corpus, prefix):
    _, docs = corpus[prefix]
    for d in docs:
        ids = [c.clause_id for c in d.clauses]
        assert len(ids) == len(set(ids))
        for c in d.clauses:
            if c.kind in ("table", "closing", "header"):
                continue
            lines = c.text.split("\n")
            for line in lines[:-1]:
                f = fold(line)
                bare_heading = detect_marker(f) is not None and "。" not in f
                assert f[-1] in "。:;)]!?" or bare_heading, (c.clause_id, line)
            for line in lines[1:]:  # no other numbered clause starts inside this one
                assert detect_marker(fold(line)) is None, (c.clause_id, line)


def test_page_break_fragments_are_rejoined(corpus):
    texts = {p: "\n".join(c.text for d in docs for c in d.clauses) for p, (_, docs) in corpus.items()}
    assert "全民科学素质工作领导小组职能作用" in texts["002"]
    assert "加大科普资源供给" in texts["000"]
    assert "省卫生健康委、省广电局" in texts["000"]
    assert "省政府国资委)" in texts["004"] and "强化科普舆论引导" in texts["004"]


def test_responsible_units_found_where_stated(corpus):
    stated = found = 0
    for _, docs in corpus.values():
        for d in docs:
            for c in d.clauses:
                if re.search(r"(责任单位|牵头单位|责任部门|按职责分工负责|负责\))", fold(c.text)):
                    stated += 1
                    found += bool(c.responsible)
    assert stated > 100 and found / stated >= 0.95
