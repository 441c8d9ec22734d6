"""A place that holds many documents: a question naming the place (and a kind word) is answered
from the document it means, not from every document of the place; versions picked by place,
year or 旧法/新法; a follow-up that changes the place keeps the instrument. Fixture documents are
invented in the shapes of real provincial and municipal regulations (第X章 / 第X条)."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from chatbot.config import AnswerConfig
from chatbot.retrieval import known_of
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.parse import parse_text
from query import Intent, understand

CFG = AnswerConfig(today="2026-12-07")

HB_KP = """河北省科学技术普及条例

（2005年3月25日河北省第十届人民代表大会常务委员会第十四次会议通过）

第一章　总　则

第一条　为了加强科学技术普及工作，根据《中华人民共和国科学技术普及法》，结合本省实际，制定本条例。

第二条　每年五月为本省科普月，每年五月第三周的星期六为本省科普日。

第二章　社会责任

第三条　报刊、广播、电视等新闻媒体应当开展科普宣传，开设科普专栏，刊播公益性科普广告。

第三章　法律责任

第四条　违反本条例规定，挪用科普经费的，由有关部门责令限期归还。
"""

SJZ_KP = """石家庄市科学技术普及条例

（2009年6月30日石家庄市第十二届人民代表大会常务委员会第十次会议通过）

第一章　总　则

第一条　为了普及科学技术知识，根据《中华人民共和国科学技术进步法》和有关法律、法规，结合本市实际，制定本条例。

第二章　科普活动

第二条　新闻媒体应当设立科普栏目，宣传科学思想和科学方法。

第三条　本条例自2009年10月1日起施行。
"""

HB_FIRE = """河北省消防条例

第一条　为了预防火灾，根据《中华人民共和国消防法》，结合本省实际，制定本条例。

第二条　每年十一月九日为本省消防宣传日。

第三条　公众聚集场所应当配置消防器材。
"""

HB_SEED = """河北省种子条例

第一条　为了保护和合理利用种质资源，根据《中华人民共和国种子法》，制定本条例。

第二条　每年九月为本省种业宣传月。
"""

SJZ_DOG = """石家庄市养犬管理条例

第一条　为了规范养犬行为，根据有关法律、法规，结合本市实际，制定本条例。

第二条　新闻媒体应当宣传文明养犬，每年四月为本市文明养犬宣传月。
"""

SJZ_PROP = """石家庄市物业管理条例

第一条　为了规范物业管理活动，根据《物业管理条例》，结合本市实际，制定本条例。

第二条　物业服务企业应当公开服务标准和收费项目。
"""


def _reg(title: str, year: int, article: str) -> str:
    return f"""{title}

（{year}年5月10日河北省人民代表大会常务委员会通过）

第一条　为了促进科技创新，制定本条例。

第二条　{article}

第三条　本条例自{year}年7月1日起施行。
"""


HB_TECH_OLD = _reg("河北省科学技术进步条例", 2010, "行政复议决定应当自受理申请之日起六十日内作出。")
HB_TECH_NEW = _reg("河北省科学技术进步条例", 2024, "行政复议决定应当自受理申请之日起三十日内作出。")
HB_WATER_OLD = _reg("河北省节约用水条例", 2010, "单位用水应当实行计量收费。")
HB_WATER_NEW = _reg("河北省节约用水条例", 2024, "单位用水应当实行计量收费和超定额累进加价。")


@pytest.fixture(scope="module")
def index() -> ClauseIndex:
    texts = {"hb_kp": HB_KP, "sjz_kp": SJZ_KP, "hb_fire": HB_FIRE, "hb_seed": HB_SEED, "sjz_dog": SJZ_DOG,
             "sjz_prop": SJZ_PROP, "hb_tech_2010": HB_TECH_OLD, "hb_tech_2024": HB_TECH_NEW,
             "hb_water_2010": HB_WATER_OLD, "hb_water_2024": HB_WATER_NEW}
    docs = [d for name, text in texts.items() for d in parse_text(text, f"{name}.txt")]
    return ClauseIndex.build(docs, HashEmbedder())


def _cited(a) -> set[str]:
    return {c.doc.split(".")[0] for c in a.citations}


def _ids(index: ClauseIndex, *names: str) -> set[str]:
    return {d for d, m in index.metas.items() if m.source.split(".")[0] in names}


def test_two_places_written_together_share_one_kind_word(index):
    q = understand("河北和石家庄的科普条例分别是根据哪部国家法律制定的？", None, known_of(index))
    assert set(q.doc_ids) == _ids(index, "hb_kp", "sjz_kp")
    a = answer("河北和石家庄的科普条例分别是根据哪部国家法律制定的？", index, config=CFG)
    assert _cited(a) == {"hb_kp", "sjz_kp"}, a.text
    assert "科学技术普及法" in a.text and "科学技术进步法" in a.text


def test_a_comparison_of_two_places_gives_one_line_per_place_not_one_per_document(index):
    a = answer("河北和石家庄的条例对新闻媒体开展科普宣传分别是怎么写的？", index, config=CFG)
    assert _cited(a) == {"hb_kp", "sjz_kp"}, a.text
    assert len(a.citations) == 2


def test_items_asked_of_one_place_are_answered_from_its_one_document(index):
    a = answer("河北的科普日和科普月分别是什么时候？", index, config=CFG)
    assert _cited(a) == {"hb_kp"}, a.text
    assert "五月" in a.text


def test_a_chapter_of_a_named_regulation_is_read_in_that_regulation_only(index):
    a = answer("石家庄市科普条例的法律责任一章是怎么规定的？", index, config=CFG)
    assert a.refused and not a.citations, a.text  # it has no such chapter; the province's is not its own
    a = answer("河北省科普条例的法律责任一章是怎么规定的？", index, config=CFG)
    assert _cited(a) == {"hb_kp"} and "挪用科普经费" in a.text, a.text


def test_a_follow_up_that_changes_the_place_keeps_the_instrument(index):
    first = "河北省科普条例是什么时候通过的？"
    a1 = answer(first, index, config=CFG)
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": a1.text}]
    a2 = answer("那石家庄的呢？", index, history=history, config=CFG)
    assert _cited(a2) == {"sjz_kp"}, a2.text
    assert "2009年6月30日" in a2.text


def test_a_new_regulation_of_a_place_is_the_newest_version_of_an_amended_one(index):
    q = understand("河北新条例对行政复议决定的期限怎么规定？", None, known_of(index))
    assert set(q.doc_ids) == _ids(index, "hb_tech_2024", "hb_water_2024")
    assert q.intent != Intent.COMPARISON  # newest versions of two instruments are not set side by side


def test_old_and_new_versions_asked_together_are_compared(index):
    q = understand("河北科技进步条例的旧条例和新条例对行政复议决定的期限各是怎么规定的？", None, known_of(index))
    assert q.intent == Intent.COMPARISON and set(q.versions) == _ids(index, "hb_tech_2010", "hb_tech_2024")


def test_version_years_with_no_document_named_pick_the_instrument_the_question_speaks_of(index):
    q = understand("节约用水方面，2010年版和2024年版分别怎么规定单位用水？", None, known_of(index))
    assert set(q.versions) == _ids(index, "hb_water_2010", "hb_water_2024")
    assert q.intent == Intent.COMPARISON


def test_a_phrase_ending_like_a_title_after_de_names_no_document(index):
    q = understand("石家庄养犬登记的具体办法谁来定？", None, known_of(index))
    assert q.intent != Intent.COMPARISON and not q.designated


def test_each_line_of_a_comparison_is_its_documents_first_recorded_clause(index):
    a = answer("河北和石家庄的条例对新闻媒体开展科普宣传分别是怎么写的？", index, config=CFG)
    first: dict[str, str] = {}
    for r in a.retrieved:
        first.setdefault(r["doc"], r["clause_id"])
    assert a.citations and all(first[c.doc] == c.clause_id for c in a.citations), (a.citations, a.retrieved[:6])


def test_the_cited_line_moves_first_in_its_documents_retrieved_list():
    from chatbot.retrieval import Retrieved
    from index.types import Hit
    from ingest.types import Chunk, Clause, DocMeta

    def hit(d: str, i: int) -> Hit:
        c = Clause(f"{d}/{i}", d, f"{d}.txt", f"第{i}条", [], f"第{i}条")
        return Hit(Chunk(c.clause_id, c.clause_id, d, c.text, ""), c, DocMeta(d, f"{d}.txt"), 0.0)

    a, b = [hit("a", i) for i in range(3)], [hit("b", i) for i in range(3)]
    r = Retrieved(index=None, per_doc={"a": list(a), "b": list(b)})
    r.lead_with([a[2], b[0]])
    assert [h.clause.clause_id for h in r.per_doc["a"]] == ["a/2", "a/0", "a/1"]
    assert [h.clause.clause_id for h in r.per_doc["b"]] == ["b/0", "b/1", "b/2"]
    assert [h.clause.clause_id for h in r.ranked()][:2] == ["a/2", "b/0"]
