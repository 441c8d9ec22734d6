"""Optional LLM backend: prompt, citation check, refusal and fallback, with LangChain's fake chat model."""

from __future__ import annotations

import pytest
from fixtures.answer.fake_index import FakeIndex
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from chatbot.answer import answer
from chatbot.config import AnswerConfig
from chatbot.llm import build_messages, check_llm_output, make_chat_model, number_hits


@pytest.fixture(scope="module")
def idx() -> FakeIndex:
    return FakeIndex()


class RecordingFake(FakeListChatModel):
    """FakeListChatModel that keeps the messages it was sent."""

    seen: list = []

    def invoke(self, input, config=None, **kwargs):  # noqa: A002 - LangChain's signature
        self.seen.append(input)
        return super().invoke(input, config, **kwargs)


class FailingModel(FakeListChatModel):
    def invoke(self, input, config=None, **kwargs):  # noqa: A002
        raise ConnectionError("endpoint unreachable")


def test_no_llm_is_built_unless_configured():
    assert make_chat_model(AnswerConfig()) is None


def test_configured_endpoint_builds_an_openai_compatible_chat_model():
    m = make_chat_model(AnswerConfig(llm_base_url="http://127.0.0.1:8000/v1", llm_model="qwen2.5-7b-instruct"))
    assert type(m).__name__ == "ChatOpenAI"
    assert m.model_name == "qwen2.5-7b-instruct"


def test_prompt_has_chinese_rules_and_numbered_clauses(idx):
    hits = number_hits(idx.search("安徽科普人才队伍建设", k=5), 3)
    msgs = build_messages("安徽如何加强科普人才队伍建设？", hits, AnswerConfig())
    system, user = msgs[0].content, msgs[1].content
    assert "只能依据" in system and "[1]" in system
    assert "[1] 《" in user and "[3] 《" in user and "[4]" not in user
    assert "安徽如何加强科普人才队伍建设？" in user


def test_check_removes_citations_to_clauses_not_provided_and_flags_them():
    text, sents, warns = check_llm_output("到2025年比例达到16%[1][9]。志愿者超过50万人[2]。", 3)
    assert text == "到2025年比例达到16%[1]。志愿者超过50万人[2]。"
    assert [s.citations for s in sents] == [[1], [2]]
    assert any("[9]" in w for w in warns)


def test_check_flags_and_drops_uncited_sentences():
    text, sents, warns = check_llm_output("总的来说很重要。到2025年达到16%。[1]", 2)
    assert text == "到2025年达到16%。[1]"
    assert len(sents) == 1 and sents[0].citations == [1]
    assert any("总的来说很重要" in w for w in warns)


def test_check_accepts_marker_variants():
    _, sents, _ = check_llm_output("甲规定[1,2]。乙规定【3】。", 3)
    assert [s.citations for s in sents] == [[1, 2], [3]]


def test_llm_answer_is_checked_and_renumbered(idx):
    llm = RecordingFake(responses=["安徽省公民具备科学素质比例到2025年力争达到16%[2]。另据外部资料为20%[7]。"])
    a = answer("安徽到2025年公民具备科学素质比例力争达到多少？", idx, llm=llm)
    assert not a.refused
    assert "16%[1]" in a.text and "[7]" not in a.text and "20%" not in a.text
    assert [c.n for c in a.citations] == [1]
    retrieved = {r["clause_id"] for r in a.retrieved}
    assert all(c.clause_id in retrieved for c in a.citations)
    assert any("[7]" in w for w in a.warnings)
    assert llm.seen, "the model was called"


def test_llm_refusal_becomes_a_refused_answer(idx):
    llm = FakeListChatModel(responses=["文件中没有找到关于青田县科普研学经费的规定。"])
    a = answer("青田县开展侨乡科普研学需要哪些条件？", idx, llm=llm)
    assert a.refused and a.refusal_reason == "llm_refused" and a.citations == []


def test_uncited_llm_output_falls_back_to_the_composer_with_a_warning(idx):
    llm = FakeListChatModel(responses=["安徽的目标是16%，这是一个很高的目标。"])
    a = answer("安徽到2025年公民具备科学素质比例力争达到多少？", idx, llm=llm)
    assert not a.refused and "16" in a.text and a.sentences[0].citations
    assert any("改用离线组句" in w for w in a.warnings)


def test_llm_error_falls_back_to_the_composer_with_a_warning(idx):
    a = answer("安徽到2025年公民具备科学素质比例力争达到多少？", idx, llm=FailingModel(responses=["x"]))
    assert not a.refused and a.citations
    assert any("LLM 调用失败" in w for w in a.warnings)


def test_rule_refusals_happen_before_the_llm_is_asked(idx):
    llm = RecordingFake(responses=["广东的目标是20%[1]。"])
    llm.seen.clear()
    a = answer("广东省公民科学素质比例目标是多少？", idx, llm=llm)
    assert a.refused and not llm.seen
