"""Follow-up resolution: ellipsis resolved from the conversation, complete questions untouched."""

from __future__ import annotations

from chatbot.followup import resolve_followup, user_turns
from index.types import Scope

REGIONS = ("安徽省", "甘肃省", "吉林省", "扬州市", "砀山县", "青田县")


def understand(q: str) -> Scope:
    regs = [r for r in REGIONS if r in q or r[:-1] in q]
    unknown = [p for p in ("浙江", "广东") if p in q]
    return Scope(regions=regs, unknown_mentions=unknown)


def H(*qs: str) -> list[dict]:
    out = []
    for q in qs:
        out += [{"role": "user", "content": q}, {"role": "assistant", "content": "……[1]。"}]
    return out


def test_region_only_follow_up_swaps_the_region():
    r = resolve_followup("那甘肃呢？", H("安徽到2025年公民科学素质比例目标是多少？"), understand)
    assert r == "甘肃到2025年公民科学素质比例目标是多少？"


def test_unknown_region_follow_up_keeps_the_unknown_name_so_it_can_be_refused():
    r = resolve_followup("那浙江呢？", H("安徽到2025年公民科学素质比例目标是多少？"), understand)
    assert r.startswith("浙江到2025年")


def test_year_only_follow_up_swaps_the_year():
    r = resolve_followup("2035年呢？", H("安徽到2025年公民科学素质比例目标是多少？"), understand)
    assert r == "安徽到2035年公民科学素质比例目标是多少？"


def test_responsible_follow_up_attaches_to_the_previous_topic():
    r = resolve_followup("责任单位是谁？", H("安徽省如何加强科普人才队伍建设？"), understand)
    assert r == "安徽省如何加强科普人才队伍建设的责任单位是谁？"


def test_measures_follow_up_attaches_to_the_previous_topic():
    r = resolve_followup("具体有哪些措施？", H("扬州市老年人科学素质提升行动的牵头单位是谁？"), understand)
    assert r.startswith("扬州市老年人科学素质提升行动")
    assert r.endswith("有哪些措施？")


def test_pronoun_follow_up_is_resolved():
    r = resolve_followup("它的牵头单位是谁？", H("青田县侨乡科普研学活动每年不少于多少场？"), understand)
    assert r.startswith("青田县侨乡科普研学活动")
    assert "牵头单位" in r


def test_chain_of_follow_ups_keeps_topic():
    h = H("安徽到2025年公民科学素质比例目标是多少？", "那甘肃呢？")
    assert resolve_followup("吉林呢？", h, understand) == "吉林到2025年公民科学素质比例目标是多少？"


def test_complete_question_is_unchanged():
    q = "甘肃省如何加强科普人才队伍建设？"
    assert resolve_followup(q, H("安徽有哪些科普工程？"), understand) == q


def test_no_history_is_unchanged():
    assert resolve_followup("那甘肃呢？", None, understand) == "那甘肃呢？"
    assert resolve_followup("那甘肃呢？", [], understand) == "那甘肃呢？"


def test_current_question_already_in_history_is_not_used_as_its_own_context():
    h = H("安徽到2025年公民科学素质比例目标是多少？") + [{"role": "user", "content": "那甘肃呢？"}]
    assert resolve_followup("那甘肃呢？", h, understand) == "甘肃到2025年公民科学素质比例目标是多少？"


def test_user_turns_reads_messages_with_parts():
    h = [{"role": "user", "content": [{"type": "text", "text": "安徽呢"}]}, {"role": "assistant", "content": "x"}]
    assert user_turns(h) == ["安徽呢"]


def test_question_with_its_own_topic_keeps_the_previous_region():
    r = resolve_followup("银龄科普行动具体怎么做？", H("扬州市的方案对老年人科学素质有什么安排？"), understand)
    assert r == "扬州市银龄科普行动具体怎么做？"


def test_collective_question_does_not_inherit_a_region():
    q = "各地公民科学素质目标分别是多少？"
    assert resolve_followup(q, H("扬州市的目标是多少？"), understand) == q
