"""Questions on laws and regulations (第X章 / 第X条): version choice, follow-ups, facts in the law's
own words, named days, missing articles / chapters and titles that name no held document.

The fixture is written here: a city regulation in two versions with different dates (the later
one adds a chapter), and an unrelated provincial regulation."""

from __future__ import annotations

import datetime

import pytest

from chatbot.answer import answer
from chatbot.config import AnswerConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.parse import parse_text
from query import Known, understand

CFG = AnswerConfig(today="2026-12-03")
TODAY = datetime.date(2026, 12, 3)

OLD = """南川市公共图书馆条例

（2012年6月28日南川市第十四届人民代表大会常务委员会第五次会议通过）

第一章　总　　则

第一条　为了促进公共图书馆事业发展，制定本条例。

第二条　市、区人民政府应当将公共图书馆事业纳入国民经济和社会发展规划，所需经费列入本级财政预算。

第二章　服　　务

第三条　公共图书馆应当每周开放不少于40小时。

第四条　公共图书馆提供借阅服务，可以收取押金。

第五条　本条例自2012年10月1日起施行。
"""

NEW = """南川市公共图书馆条例

2012年6月28日南川市第十四届人民代表大会常务委员会第五次会议通过

2022年8月30日南川市第十六届人民代表大会常务委员会第三次会议修订

第一章　总　　则

第一条　为了促进公共图书馆事业发展，保障公民基本文化权益，制定本条例。

第二条　公共图书馆的经费来源包括：财政拨款、社会捐赠和其他合法收入。

第三条　每年4月23日为本市全民阅读日。

第二章　服　　务

第四条　公共图书馆应当每周开放不少于56小时。

第五条　公共图书馆向读者提供文献借阅、检索和讲座服务，不得向读者收取任何费用。

第六条　本市建立读者信用积分制度。具体办法由市文化主管部门会同市财政部门制定。

第七条　公共图书馆不得出售、出借读者个人信息。

第三章　法律责任

第八条　违反本条例第七条规定的，由市文化主管部门责令改正，给予警告；情节严重的，处一万元以上五万元以下罚款。

第九条　本条例自2023年1月1日起施行。
"""

OTHER = """东岭省全民阅读促进条例

（2019年3月28日东岭省第十三届人民代表大会常务委员会第九次会议通过）

第一条　为了推动全民阅读，根据《东岭省公共文化服务保障条例》，制定本条例。

第二条　县级以上人民政府应当保障全民阅读工作经费。

第三条　全民阅读促进会的经费来源：（一）会员缴纳的会费；（二）社会捐赠；（三）其他合法收入。

第四条　本条例所称阅读推广人，是指经过培训、从事阅读指导和推广的志愿者。

第五条　本条例自2019年6月1日起施行。
"""


@pytest.fixture(scope="module")
def index() -> ClauseIndex:
    docs = (parse_text(OLD, "nanchuan_2012.txt") + parse_text(NEW, "nanchuan_2022.txt")
            + parse_text(OTHER, "dongling_2019.txt"))
    return ClauseIndex.build(docs, HashEmbedder())


@pytest.fixture(scope="module")
def known(index) -> Known:
    return Known.from_metas(index.metas.values())


def _docs(a) -> list[str]:
    return [c.doc for c in a.citations]


def test_a_year_written_as_a_version_picks_that_version_and_is_no_target_year(index, known):
    q = understand("2012年版的南川市公共图书馆条例规定每周开放多少小时？", None, known, TODAY)
    assert [known.metas[d].source for d in q.versions] == ["nanchuan_2012.txt"]
    assert q.years == () and q.version_years == ("2012",)
    a = answer("2012年版的南川市公共图书馆条例规定每周开放多少小时？", index, config=CFG)
    assert not a.refused and "40小时" in a.text and set(_docs(a)) == {"nanchuan_2012.txt"}


def test_newest_version_words_pick_the_later_text_for_the_effective_date(index):
    a = answer("新修订的南川市公共图书馆条例从哪天开始施行？", index, config=CFG)
    assert not a.refused and "2023年1月1日" in a.text and "2012年10月1日" not in a.text


def test_a_version_follow_up_edits_the_year_of_the_previous_question(index, known):
    h = [{"role": "user", "content": "2012年版南川市公共图书馆条例规定图书馆每周开放多少小时？"},
         {"role": "assistant", "content": "…"}]
    q = understand("那2022年修订后的呢？", h, known, TODAY)
    assert "2022年" in q.text and "开放" in q.text
    assert [known.metas[d].source for d in q.versions] == ["nanchuan_2022.txt"]
    a = answer("那2022年修订后的呢？", index, history=h, config=CFG)
    assert not a.refused and "56小时" in a.text


def test_an_article_the_chosen_version_lacks_is_refused_not_read_in_the_other(index):
    a = answer("2012年版南川市公共图书馆条例第八条是怎么规定的？", index, config=CFG)
    assert a.refused and a.refusal_reason == "no_article"


def test_a_named_day_is_a_provision_not_the_documents_date(index):
    a = answer("南川市全民阅读日是哪天？", index, config=CFG)
    assert not a.refused and "4月23日" in a.text


def test_a_colloquial_question_is_matched_in_the_laws_own_words(index):
    a = answer("南川市图书馆借书要不要交钱？", index, config=CFG)
    assert not a.refused and "不得向读者收取任何费用" in a.text


def test_who_acts_is_read_from_the_laws_sentence_when_no_unit_list_is_given(index):
    a = answer("南川读者信用积分的具体办法谁来定？", index, config=CFG)
    assert not a.refused and "市文化主管部门会同市财政部门制定" in a.text


def test_a_consequence_follow_up_keeps_the_previous_topic(index, known):
    h = [{"role": "user", "content": "南川市公共图书馆对读者个人信息有什么禁止性规定？"},
         {"role": "assistant", "content": "…"}]
    q = understand("违反了会怎么处理？", h, known, TODAY)
    assert "个人信息" in q.text and q.regions == ("南川市",)
    a = answer("违反了会怎么处理？", index, history=h, config=CFG)
    assert not a.refused and "给予警告" in a.text


def test_a_this_kind_follow_up_keeps_the_previous_document(index, known):
    h = [{"role": "user", "content": "东岭省全民阅读促进条例要求政府保障什么？"}, {"role": "assistant", "content": "…"}]
    q = understand("这类经费由哪级政府保障？", h, known, TODAY)
    assert [known.metas[d].source for d in q.doc_ids] == ["dongling_2019.txt"]


def test_a_named_chapter_is_quoted_and_a_missing_one_refused(index):
    a = answer("新修订的南川市公共图书馆条例的法律责任一章是怎么规定的？", index, config=CFG)
    assert not a.refused and "给予警告" in a.text and a.citations[0].doc == "nanchuan_2022.txt"
    b = answer("东岭省全民阅读促进条例的法律责任一章是怎么规定的？", index, config=CFG)
    assert not b.refused or b.refusal_reason != "no_article"  # no chapters at all: answered as a topic
    c = answer("2012年版南川市公共图书馆条例的法律责任一章是怎么规定的？", index, config=CFG)
    assert c.refused and c.refusal_reason == "no_article" and "法律责任" in c.text


def test_a_title_no_held_document_carries_is_refused_not_answered_from_a_similar_one(index, known):
    a = answer("南川市公共图书馆管理办法是哪年施行的？", index, config=CFG)
    assert a.refused and "《南川市公共图书馆管理办法》" in a.text
    assert understand("东岭省全民阅读条例是哪年施行的？", None, known, TODAY).unknown_titles == ()  # abbreviated


def test_a_title_the_documents_cite_is_not_taken_for_a_missing_document(index):
    k = Known.from_metas(index.metas.values(), {d: "\n".join(c.text for c in index.doc_clauses(d)) for d in index.metas})
    assert understand("东岭省公共文化服务保障条例在阅读条例里起什么作用？", None, k, TODAY).unknown_titles == ()
    assert understand("东岭省图书馆服务条例怎么规定？", None, k, TODAY).unknown_titles == ("东岭省图书馆服务条例",)


def test_an_enumerating_article_is_answered_with_every_item(index):
    a = answer("东岭省全民阅读促进会的经费从哪里来？", index, config=CFG)
    assert not a.refused and all(w in a.text for w in ("会费", "社会捐赠", "其他合法收入"))


def test_what_a_term_means_is_answered_by_the_laws_definition(index):
    a = answer("东岭省条例里说的阅读推广人是什么意思？", index, config=CFG)
    assert not a.refused and "从事阅读指导和推广的志愿者" in a.text


def test_a_count_of_years_or_days_asks_a_figure(index, known):
    assert understand("南川市公共图书馆每周开放几小时？", None, known, TODAY).asks_quantity
    assert not understand("南川市图书馆近几年有什么变化？", None, known, TODAY).asks_quantity


def test_another_regions_instrument_follow_up_asks_the_previous_question_of_it(index, known):
    h = [{"role": "user", "content": "东岭省全民阅读促进条例自哪天起施行？"}, {"role": "assistant", "content": "…"}]
    q = understand("南川的条例呢？", h, known, TODAY)
    assert q.text.startswith("南川的条例") and "施行" in q.text and q.regions == ("南川市",)
    a = answer("南川的条例呢？", index, history=h, config=CFG)
    assert not a.refused and "2023年1月1日" in a.text
