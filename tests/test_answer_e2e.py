"""answer() over the real ingest + index stages (HashEmbedder), on fixture documents of other shapes
(a made-up 浙江 county plan, a local regulation with 第X条) and on the bundled corpus.

Nothing here names a bundled file's clause numbers: expectations are facts of the text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatbot.answer import answer
from chatbot.types import Answer
from index.fake import HashEmbedder

pipeline = pytest.importorskip("ingest.pipeline")
store = pytest.importorskip("index.store")
IndexConfig = pytest.importorskip("index.config").IndexConfig
IngestConfig = pytest.importorskip("ingest.config").IngestConfig

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "answer"
CORPUS = ROOT / "data" / "corpus"


def build(paths: list[Path]):
    res = pipeline.ingest_paths(paths, IngestConfig(), progress=False)
    assert res.documents, res.errors
    return store.ClauseIndex.build(res.documents, HashEmbedder(), IndexConfig())


@pytest.fixture(scope="module")
def fixture_index():
    return build(sorted(FIXTURES.glob("*.txt")))


@pytest.fixture(scope="module")
def corpus_index():
    return build(sorted(CORPUS.glob("*.txt")))


def grounded(a: Answer) -> None:
    retrieved = {r["clause_id"] for r in a.retrieved}
    assert a.sentences and all(s.citations for s in a.sentences)
    assert all(c.clause_id in retrieved for c in a.citations)
    assert {int(n) for n in re.findall(r"\[(\d+)\]", a.text)} == {c.n for c in a.citations}


def flat(a: Answer) -> str:
    return re.sub(r"\s+", "", a.text)


# ------------------------------------------------------------------ fixture documents


def test_county_plan_target_figure(fixture_index):
    a = answer("青田县到2025年公民具备科学素质的比例达到多少？", fixture_index)
    assert not a.refused and "15%" in flat(a)
    grounded(a)


def test_county_plan_responsible_units(fixture_index):
    a = answer("开展侨乡科普研学由哪个单位牵头？", fixture_index)
    assert not a.refused and "县科协" in a.text
    grounded(a)


def test_regulation_article_figure_and_citation(fixture_index):
    a = answer("科普经费按常住人口计算人均不低于多少？", fixture_index)
    assert not a.refused and "2元" in flat(a)
    assert "第六条" in a.citations[0].section_path or "第六条" in a.citations[0].text
    grounded(a)


def test_regulation_precedent_wording_is_verbatim(fixture_index):
    a = answer("条例关于科技活动周的原文怎么写？", fixture_index)
    assert not a.refused and "每年五月第三周为本市科技活动周" in a.text
    grounded(a)


def test_fixture_year_not_set_is_refused(fixture_index):
    a = answer("青田县到2030年公民具备科学素质的比例达到多少？", fixture_index)
    assert a.refused and a.related


# ------------------------------------------------------------------ bundled corpus


@pytest.mark.parametrize(
    "question, facts",
    [
        ("扬州市到2025年公民具备科学素质比例要达到多少？", ["19%"]),
        ("安徽省到2025年公民具备科学素质比例力争达到多少？", ["16%"]),
        ("砀山县到2025年公民具备科学素质的比例目标是多少？", ["13%"]),
        ("安徽省注册科技志愿者到2025年超过多少人？", ["50万"]),
        ("扬州每年培训科技辅导员多少人？", ["200"]),
    ],
)
def test_corpus_number_questions(corpus_index, question, facts):
    a = answer(question, corpus_index)
    assert not a.refused, a.text
    assert all(f in flat(a) for f in facts), a.text
    grounded(a)
    assert len(a.text) <= 320


def test_corpus_comparison_one_line_per_document(corpus_index):
    a = answer("各地公民具备科学素质比例目标分别是多少？", corpus_index)
    assert a.qtype == "compare" and not a.refused
    for f in ("16%", "13%", "19%"):
        assert f in flat(a)
    assert len({c.doc_id for c in a.citations}) >= 3
    grounded(a)


def test_corpus_responsible(corpus_index):
    a = answer("安徽加强老龄工作中的科普由哪个单位负责？", corpus_index)
    assert a.qtype == "responsible" and "省科协" in a.text
    grounded(a)


@pytest.mark.parametrize(
    "question",
    [
        "浙江省公民科学素质比例目标是多少？",
        "安徽到2030年公民科学素质比例目标是多少？",
        "吉林省公民科学素质比例目标是多少？",
        "安徽省科普专项资金每年多少亿元？",
    ],
)
def test_corpus_refusals(corpus_index, question):
    a = answer(question, corpus_index)
    assert a.refused, a.text
    assert not a.citations and not re.search(r"\[\d+\]", a.text)


def test_corpus_follow_up(corpus_index):
    h = [{"role": "user", "content": "安徽省到2025年公民具备科学素质比例力争达到多少？"},
         {"role": "assistant", "content": "……16%[1]。"}]
    a = answer("那扬州呢？", corpus_index, history=h)
    assert a.resolved_question.startswith("扬州")
    assert "19%" in flat(a)


# ------------------------------------------------------------------ document-level and article questions


def test_named_article_is_answered_verbatim(fixture_index):
    a = answer("某市科学技术普及条例第四条是怎么规定的？", fixture_index)
    assert not a.refused and a.qtype == "article"
    assert "市科学技术行政部门负责制定全市科普工作规划" in a.text
    assert "第四条" in a.citations[0].section_path or a.citations[0].text.startswith("第四条")
    grounded(a)


def test_article_the_regulation_does_not_have_is_refused(fixture_index):
    a = answer("某市科学技术普及条例第四十条是怎么规定的？", fixture_index)
    assert a.refused and a.refusal_reason == "no_article"


def test_document_number_question_answers_the_number(fixture_index):
    a = answer("青田县全民科学素质行动实施方案的文号是什么？", fixture_index)
    assert not a.refused and a.qtype == "meta"
    assert "青政办发〔2022〕15号" in a.text
    grounded(a)


def test_issue_date_question_answers_the_date_line(fixture_index):
    a = answer("青田县的实施方案是哪天印发的？", fixture_index)
    assert not a.refused and "2022年6月8日" in a.text
    grounded(a)


def test_document_without_a_number_refuses_the_number_question(fixture_index):
    a = answer("某市科学技术普及条例的文号是多少？", fixture_index)
    assert a.refused and a.refusal_reason == "no_metadata"


def test_date_then_number_follow_up(fixture_index):
    h = [{"role": "user", "content": "青田县的实施方案是哪天印发的？"}, {"role": "assistant", "content": "……[1]。"}]
    a = answer("文号呢？", fixture_index, history=h)
    assert "青政办发〔2022〕15号" in a.text


# ------------------------------------------------------------------ real embedding model (slow)


@pytest.fixture(scope="module")
def model_index(tmp_path_factory):
    models = pytest.importorskip("index.models")
    emb = models.load_embedder(progress=False)
    return store.open_or_build(CORPUS, tmp_path_factory.mktemp("idx"), emb, IngestConfig(), IndexConfig(),
                               progress=False)


@pytest.mark.model
@pytest.mark.parametrize(
    "question, facts",
    [
        ("扬州市到2025年公民具备科学素质比例要达到多少？", ["19%"]),
        ("吉林壮大科普人才队伍的责任单位有哪些？", ["省人力资源和社会保障厅"]),
        ("各地公民具备科学素质比例目标分别是多少？", ["16%", "13%", "19%"]),
    ],
)
def test_model_answers(model_index, question, facts):
    a = answer(question, model_index)
    assert not a.refused and all(f in flat(a) for f in facts), a.text
    grounded(a)


@pytest.mark.model
def test_model_refuses_a_year_no_document_sets(model_index):
    assert answer("安徽到2030年公民科学素质比例要达到多少？", model_index).refused


MEASURES = """福建省关于进一步加强海洋科普工作的若干措施

一、强化科普责任
（一）压实各级政府责任。各级政府把海洋科普纳入发展规划。（责任单位：省科技厅）
（二）发挥科协作用。各级科协组织开展海洋科普活动。（责任单位：省科协）
二、加强能力建设
（三）建设海洋科普基地。支持沿海城市建设一批海洋科普基地。（责任单位：省海洋渔业局）
（四）培养科普讲解员。每年举办海洋科普讲解大赛。（责任单位：省教育厅）
"""


def test_article_number_means_the_item_of_a_document_numbered_straight_through(tmp_path):
    """A measures document numbers （一）…（四） across its parts and has no 第X条: 第三条 is item （三）."""
    path = tmp_path / "fujian_measures.txt"
    path.write_text(MEASURES, encoding="utf-8")
    idx = build([path])
    a = answer("福建若干措施第三条原文是什么？", idx)
    assert not a.refused and a.qtype == "article", a.text
    assert "支持沿海城市建设一批海洋科普基地" in a.text
    assert a.citations[0].section_path.endswith("（三）")
    assert answer("福建若干措施第九条原文是什么？", idx).refused  # no such item
