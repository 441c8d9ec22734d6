"""Query understanding: what a question names, mapped to filters from the documents' own metadata."""

from __future__ import annotations

import pytest
from test_index_store import build, make_doc, sample_documents

from index.scope import Gazetteer, is_comparison, region_forms, region_matches, understand


@pytest.fixture(scope="module")
def idx():
    docs = sample_documents() + [
        make_doc("jl#0", "关于贯彻落实《关于新时代进一步加强科学技术普及工作的意见》的实施方案", "吉林省", "省",
                 [("一、（一）", "强化各级党委和政府的科普工作领导责任。")]),
    ]
    return build(docs)


@pytest.mark.parametrize("question, regions", [
    ("扬州市到2025年公民具备科学素质的比例是多少？", ["扬州市"]),
    ("扬州的目标是什么", ["扬州市"]),
    ("砀山在农民科学素质方面有什么举措？", ["砀山县"]),
    ("吉林省如何强化科普责任？", ["吉林省"]),
    ("吉林怎么规定的", ["吉林省"]),
    ("安徽和甘肃在科普人才方面有何不同？", ["安徽省", "甘肃省"]),
])
def test_regions_named_in_full_or_short_form_map_to_document_regions(idx, question, regions):
    s = idx.understand(question)
    assert s.regions == regions and s.unknown_mentions == []


def test_title_ending_with_region_names_the_document(idx):
    s = idx.understand("甘肃的若干措施对科普人才有何规定？")
    assert s.regions == ["甘肃省"] and s.doc_ids == ["gs#0"]
    assert idx.understand("安徽方案里科普人才队伍的目标").doc_ids == ["bz#1"]


def test_doc_number_names_the_document(idx):
    assert idx.understand("甘科才〔2023〕1号文件讲了什么？").doc_ids == ["gs#0"]


@pytest.mark.parametrize("question, unknown", [
    ("浙江省的科普经费标准是多少？", ["浙江省"]),
    ("浙江有什么规定", ["浙江"]),
    ("杭州市的科普工作方案有哪些任务", ["杭州市"]),
    ("吉林市的科普目标是什么", ["吉林市"]),
    ("扬州和杭州市相比如何", ["杭州市"]),
])
def test_places_the_corpus_does_not_hold_are_marked_unknown(idx, question, unknown):
    s = idx.understand(question)
    assert s.unknown_mentions == unknown
    assert not any(r.startswith(unknown[0][:2]) for r in s.regions)


@pytest.mark.parametrize("question", [
    "如何推进县域科普和智慧城市建设？", "全省科普经费如何保障？", "我市如何提出贯彻落实意见？",
    "各县市区要做什么", "科普工作纳入市场化运作吗", "城市社区科普有哪些要求",
])
def test_common_words_ending_in_admin_suffixes_are_not_places(idx, question):
    assert idx.understand(question).unknown_mentions == []


def test_years_are_collected_and_unheld_years_marked_unknown(idx):
    s = idx.understand("扬州市2025年和2030年的目标分别是什么？")
    assert s.years == ["2025", "2030"] and s.unknown_mentions == ["2030年"]


def test_regions_come_from_metadata_not_a_fixed_list():
    g = Gazetteer.from_metas([make_doc("xj#0", "新疆维吾尔自治区科普条例", "新疆维吾尔自治区", "省",
                                       [("一、", "科普")]).meta])
    s = understand("新疆的科普条例怎么规定？", g)
    assert s.regions == ["新疆维吾尔自治区"] and s.unknown_mentions == []
    assert region_forms("延边朝鲜族自治州") == ["延边朝鲜族自治州", "延边"]


def test_region_matching_distinguishes_same_short_name_with_other_suffix():
    assert region_matches("吉林", "吉林省") and region_matches("吉林省", "吉林省")
    assert not region_matches("吉林市", "吉林省")


def test_comparison_cues():
    assert is_comparison("各地在青少年科学教育方面有哪些共同做法？")
    assert is_comparison("安徽和甘肃的规定有何异同")
    assert not is_comparison("砀山县的目标是什么")
