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
