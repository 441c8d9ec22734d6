"""A term's meaning is answered from the sentence that defines it (issue 12: laws in their own words).

A fixture regulation of this file's own repeats its key term in almost every article and defines
it near the end in the 所称…包括 form; the definition must be found whatever the ranking says.
The whole answer path runs with the HashEmbedder.
"""

from __future__ import annotations

import re

import pytest

from chatbot.answer import answer
from index.config import IndexConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.config import IngestConfig
from ingest.pipeline import ingest_paths
from tests.answer_checks import texts_index

LAW = """# 某某市促进农业技术推广条例

2021年3月1日 某某市人民代表大会常务委员会通过

<!-- INFO END -->

## 第一章 总则

第一条 为了促进农业技术推广，加快农业技术转化为现实生产力，制定本条例。

第二条 本市行政区域内的农业技术推广活动，适用本条例。

第三条 市、区人民政府应当将农业技术推广纳入国民经济和社会发展规划。

## 第二章 推广与服务

第四条 农业技术推广机构应当为农民提供农业技术咨询、培训和示范服务。

第五条 鼓励高等院校、科研机构以农业技术入股、转让等方式参与农业技术推广。

第六条 农业技术推广取得的收入，按照国家有关规定分配。

## 第三章 附则

第七条 本条例所称农业技术包括良种繁育、栽培、肥料施用和养殖技术，农产品收获、加工、包装、贮藏、运输技术等。

本条例所称农业技术推广机构，是指县级以上人民政府设立的从事农业技术推广的事业单位。

第八条 本条例自2021年6月1日起施行。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("law")
    (folder / "农业技术推广条例.md").write_text(LAW, encoding="utf-8")
    res = ingest_paths([folder / "农业技术推广条例.md"], IngestConfig(), progress=False)
    return ClauseIndex.build(res.documents, HashEmbedder(), IndexConfig())


@pytest.mark.parametrize("question, defined", [
    ("条例里“农业技术”是什么意思？", "所称农业技术包括良种繁育"),
    ("什么是农业技术推广机构？", "所称农业技术推广机构，是指县级以上人民政府设立"),
    ("农业技术推广机构指的是什么", "所称农业技术推广机构，是指县级以上人民政府设立"),
])
def test_a_terms_meaning_is_answered_from_the_sentence_defining_it(index, question, defined):
    a = answer(question, index)
    assert not a.refused, a.text
    assert defined in re.sub(r"\s+", "", a.text)
    assert a.citations[0].section_path.endswith("第七条")
    assert a.retrieved[0]["clause_id"] == a.citations[0].clause_id  # found by lookup, reported first


def test_a_term_no_sentence_defines_is_not_answered_by_the_definition_lookup(index):
    a = answer("“科技成果”是什么意思？", index)
    assert "第七条" not in " ".join(c.section_path for c in a.citations)


SOCIETY = """# 某某省农学会条例

2019年5月20日 某某省人民代表大会常务委员会通过

<!-- INFO END -->

第一条 为了发挥农学会的作用，促进农业科学技术发展，制定本条例。

第二条 省和市、县农学会由同级农业科研单位、农技推广站和下一级农学会组成。农学会是上述单位的业务指导单位。

第三条 农学会是农业科技人员的学术性群众组织，联系农业科技人员的桥梁和纽带。

第四条 农学会实行会员制，会员代表大会选举产生理事会。

第五条 本条例自2019年7月1日起施行。
"""


@pytest.fixture(scope="module")
def society(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("society"), {"农学会条例.md": SOCIETY})


@pytest.mark.parametrize("question", [
    "某某省农学会条例怎么表述农学会的性质？请给原文。",
    "农学会条例里农学会是什么性质的组织？",
    "条例对农学会的定位是什么",
])
def test_what_a_body_is_answered_from_the_sentence_saying_what_it_is(society, question):
    """"X的性质 / 定位" has no 所称 definition: the first sentence "X是…的组织" answers it, not the
    article that merely says X is some office's 业务指导单位 later in a sentence."""
    a = answer(question, society)
    assert not a.refused, a.text
    assert "学术性群众组织" in a.text
    assert a.citations[0].section_path.endswith("第三条")
    assert a.retrieved[0]["clause_id"] == a.citations[0].clause_id
