"""Metadata helpers: 文号 variants, dates, places and levels, document types."""

from __future__ import annotations

import pytest

from ingest import meta as M
from ingest.config import IngestConfig
from ingest.parse import parse_text


@pytest.mark.parametrize("line, expected", [
    ("皖科才〔2023〕2号", "皖科才〔2023〕2号"),
    ("京政发[2021]3号", "京政发[2021]3号"),
    ("宁科（2024）8号", "宁科（2024）8号"),
    ("苏政办发〔2022〕第15号", "苏政办发〔2022〕第15号"),
    ("为贯彻国发〔2021〕9号文件精神，制定本方案。", ""),  # a citation inside a sentence is not the number
])
def test_doc_number_variants(line, expected):
    assert M.doc_number_of(line) == expected


@pytest.mark.parametrize("line, iso", [
    ("2023年5月9日", "2023-05-09"),
    ("2022年4月19日印发", "2022-04-19"),
    ("二〇二三年十二月三十一日", "2023-12-31"),
    ("2023 年 2 月 1 日", "2023-02-01"),
    ("到2025年，比例达到16%", ""),
    ("2023年13月1日", ""),
])
def test_dates_only_from_date_lines(line, iso):
    assert M.iso_date(M.fold(line)) == iso


@pytest.mark.parametrize("text, expected", [
    ("广西壮族自治区科学技术普及条例", ("广西壮族自治区", "省")),
    ("上海市科普工作要点", ("上海市", "省")),
    ("中共甘肃省委宣传部", ("甘肃省", "省")),
    ("延边朝鲜族自治州科普规划", ("延边朝鲜族自治州", "市")),
    ("海淀区科普工作方案", ("海淀区", "县")),
    ("额尔古纳市科普方案", ("额尔古纳市", "市")),
    ("中华人民共和国科学技术普及法", ("中华人民共和国", "国家")),
    ("各市（州）科技局", ("", "")),
    ("关于印发青田县方案的通知", ("", "")),  # a 关于… title does not lead with the issuing region
])
def test_region_and_level_from_leading_place(text, expected):
    assert M.region_level(text) == expected


@pytest.mark.parametrize("title, kind", [
    ("扬州市全民科学素质行动实施方案（2021—2025年）", "方案"),
    ("关于新时代进一步加强科学技术普及工作的意见", "意见"),
    ("中华人民共和国科学技术普及法", "法"),
    ("某市科学技术普及条例", "条例"),
    ("关于转发《江南省意见》的通知", "通知"),
    ("工作提示", ""),
])
def test_doc_type_from_last_type_word(title, kind):
    assert M.doc_type_of(title) == kind


def test_title_starting_with_guanyu_takes_region_from_issuer():
    text = "关于加强青田县科普工作的意见\n一、加强领导。各乡镇要加强领导。\n青田县人民政府\n2024年1月2日\n"
    [doc] = parse_text(text, "x.txt", IngestConfig())
    assert (doc.meta.region, doc.meta.level, doc.meta.issuers, doc.meta.date) == (
        "青田县", "县", ["青田县人民政府"], "2024-01-02")


def test_crlf_line_endings_give_the_same_clauses():
    text = "青田县科普方案\n一、目标\n（一）开展活动。每年10场。\n（二）加强宣传。每年\n\n5次。\n"
    [a] = parse_text(text, "a.txt", IngestConfig())
    [b] = parse_text(text.replace("\n", "\r\n"), "b.txt", IngestConfig())
    assert [(c.section_path, c.text) for c in a.clauses] == [(c.section_path, c.text) for c in b.clauses]
    assert b.clauses[-1].text == "（二）加强宣传。每年5次。"
