"""A question about what a provision sets (a hotline, a forecast's issuer, a protection order's term)
is not a question about the document's own contact line, issuers or validity; "北京条例和山东条例" is two
documents, not one unknown title; and everyday words of petitions, waste and liability are read as the
texts write them. Pure query-stage checks: no index."""

from __future__ import annotations

import pytest

from ingest.types import DocMeta
from lang.figures import states_period
from lang.wording import in_text_words
from query.asks import meta_field
from query.known import Known
from query.mentions import read_mentions
from query.titles import unknown_titles


@pytest.mark.parametrize("question", [
    "按湖北省急救条例，骚扰“120”专线电话的，由哪个部门处罚？",
    "江苏的家暴投诉举报电话是哪个单位设的？",
    "云南那边地质灾害临灾预报是谁发的？",
    "人身安全保护令的有效期多长？",
])
def test_a_provision_asked_about_is_not_the_documents_own_field(question):
    assert meta_field(question) == "", question


@pytest.mark.parametrize(("question", "field"), [
    ("这个文件是谁发的？", "issuers"),
    ("安徽的是谁发的？", "issuers"),
    ("扬州的方案是哪个部门发的？", "issuers"),
    ("联系电话是多少？", "contact"),
    ("这份方案的有效期是多久？", "validity"),
])
def test_the_documents_own_fields_are_still_read(question, field):
    assert meta_field(question) == field


def test_two_bare_regional_instruments_are_not_one_unknown_title():
    k = Known.from_metas([DocMeta("hb#0", "hb.md", title="湖北省法律援助条例", region="湖北省"),
                          DocMeta("hn#0", "hn.md", title="湖南省法律援助条例", region="湖南省")])
    q = "国家法、湖北条例和湖南条例对经济困难标准各有什么说法？"
    assert unknown_titles(q, read_mentions(q, k), k) == ()


@pytest.mark.parametrize(("asked", "written"), [
    ("好多人一起去上访", "多人去走访（信访）"),
    ("往河里倒垃圾、排没处理过的污水", "倾倒垃圾（固体废物）、排未经处理的污水"),
    ("私家车喷了急救标志", "社会车辆喷了急救标志"),
    ("保护令作出来以后管多久", "保护令作出来以后有效期多长"),
    ("万一造成损害要不要担责任", "要不要承担法律责任"),
])
def test_everyday_words_of_petitions_waste_and_liability(asked, written):
    assert written in in_text_words(asked)


def test_a_school_year_is_a_schedule():
    assert states_period("中小学校每学年至少组织一次应急疏散演练")
