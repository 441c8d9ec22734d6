"""A question asking for the members of something ("规定了哪些预警信号？") is answered by a clause that
lists them, and refused when the documents only mention the thing (issue 12: say so instead of
guessing). A fixture regulation of this file's own; the whole answer path runs with the HashEmbedder.
"""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from tests.answer_checks import texts_index

LAW = """# 某某市防汛抗旱条例

2020年9月10日 某某市人民代表大会常务委员会通过

<!-- INFO END -->

第一条 为了做好防汛抗旱工作，减轻水旱灾害损失，制定本条例。

第二条 防汛抗旱预警由市水行政主管部门统一向社会发布，其他组织和个人不得向社会发布防汛抗旱预警。

第三条 防汛应急响应分为一级、二级、三级和四级，一级为最高级别。

第四条 市、区人民政府应当组织防汛抗旱知识宣传，提高公众避险能力。

第五条 本条例自2021年1月1日起施行。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("flood"), {"防汛抗旱条例.md": LAW})


def test_members_the_documents_only_mention_are_refused_with_the_reason(index):
    a = answer("某某市防汛抗旱条例规定了哪些防汛抗旱预警？", index)
    assert a.refused, a.text
    assert a.refusal_reason == "not_listed"
    assert "没有列出具体有哪些" in a.text and "防汛抗旱预警" in a.text
    assert any("第二条" in c.section_path for c in a.related)  # the clause that mentions it, for reference


def test_members_a_clause_lists_are_answered(index):
    a = answer("某某市防汛抗旱条例规定了哪几个应急响应级别？", index)
    assert not a.refused, a.text
    assert "一级、二级、三级和四级" in a.text
