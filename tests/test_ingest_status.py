"""Document dates, versions, repeals and status against a given today (ingest.dates/versions/status)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.dates import doc_dates, plan_period
from ingest.parse import parse_text
from ingest.pipeline import ingest_paths
from ingest.relations import references, repeals
from ingest.status import (
    EXPIRED,
    IN_FORCE,
    NOT_YET,
    PLAN_ENDED,
    REPEALED,
    SUPERSEDED,
    collection_status,
    document_status_rows,
    parse_today,
)
from ingest.types import DocMeta
from ingest.versions import version_key

FIX = Path(__file__).parent / "fixtures"
TODAY = "2026-12-03"

OLD_REG = """某省科学技术普及条例

（2003年9月27日某省第十届人民代表大会常务委员会第五次会议通过）

第一条　为了加强科学技术普及工作，根据《中华人民共和国科学技术普及法》，制定本条例。

第二条　县级以上人民政府应当将科普经费列入本级财政预算。

第三条　本条例自2004年1月1日起施行。
"""

NEW_REG = """某省科学技术普及条例

2003年9月27日 某省第十届人民代表大会常务委员会第五次会议通过

2025年7月30日 某省第十四届人民代表大会常务委员会第十八次会议修订

第一章　总　　则

第一条　为了加强科学技术普及工作，根据《中华人民共和国科学技术普及法》，制定本条例。

第二条　县级以上人民政府应当将科普经费列入本级财政预算，并逐步提高。

第三条　本条例自2025年10月1日起施行。
"""

NEW_LAW_REPEALS = """某省全民健身条例

2024年11月28日 某省第十四届人民代表大会常务委员会第十二次会议通过

第一条　为了促进全民健身，根据《中华人民共和国体育法》《全民健身条例》等法律、行政法规，制定本条例。

第二条　本条例自2025年3月1日起施行。2006年5月26日通过的《某省全民体育健身条例》同时废止。
"""

OLD_REPEALED = """某省全民体育健身条例

（2006年5月26日某省第十届人民代表大会常务委员会第二十二次会议通过）

第一条　为了开展全民体育健身活动，制定本条例。

第二条　本条例自2006年7月1日起施行。
"""

PLAN = """青田县科普示范县创建工作方案（2021—2025年）

一、目标

到2025年，全县公民具备科学素质比例达到15%。

青田县科学技术协会
2021年6月1日
"""


def _meta(text: str, name: str) -> DocMeta:
    return parse_text(text, name)[0].meta


def test_law_header_dates_are_read_and_kept_out_of_the_title():
    m = _meta(NEW_REG, "new.txt")
    assert m.title == "某省科学技术普及条例"
    assert (m.adopted, m.revised, m.version_date, m.effective_date) == (
        "2003-09-27", ["2025-07-30"], "2025-07-30", "2025-10-01")


def test_parenthesised_adoption_note_and_effective_article():
    m = _meta(OLD_REG, "old.txt")
    assert (m.adopted, m.version_date, m.effective_date) == ("2003-09-27", "2003-09-27", "2004-01-01")
    assert m.references == ["中华人民共和国科学技术普及法"]


def test_effective_on_issue_and_validity_in_years():
    d = doc_dates("某市若干措施", ["……", "本措施自印发之日起施行，有效期3年。"], "2023-06-15")
    assert (d.effective_date, d.expires) == ("2023-06-15", "2026-06-15")
    d = doc_dates("某市办法", ["本办法自2022年1月1日起施行，有效期至2024年12月31日。"])
    assert (d.effective_date, d.expires) == ("2022-01-01", "2024-12-31")


@pytest.mark.parametrize("title, period", [
    ("扬州市全民科学素质行动实施方案（2021—2025年）", "2021-2025"),
    ("砀山县全民科学素质行动规划纲要实施方案（2021-2025年）", "2021-2025"),
    ("某省“十四五”科学技术普及规划", "2021-2025"),
    ("某省科学技术普及条例", ""),
])
def test_plan_period_from_title(title, period):
    assert plan_period(title) == period


def test_plan_period_from_a_period_line_but_not_from_a_target_year():
    assert plan_period("某市科普行动计划", ["本计划规划期为2024—2027年。"]) == "2024-2027"
    assert plan_period("某市科普行动计划", ["到2025年，比例达到15%。"]) == ""


def test_references_and_repeals_are_extracted():
    texts = [c.text for c in parse_text(NEW_LAW_REPEALS, "x.txt")[0].clauses]
    assert references(texts) == ["中华人民共和国体育法", "全民健身条例"]
    assert repeals(texts) == ["某省全民体育健身条例"]
    # "变更或者废止…" is not a repeal of a named document
    assert repeals(["认为行政机关变更或者废止《农业承包合同》的"]) == []


def test_version_key_ignores_dates_and_revision_marks():
    assert version_key("某省科学技术普及条例（2025年修订）") == version_key("某省科学技术普及条例")
    assert version_key("某省科学技术普及条例") != version_key("某市科学技术普及条例")


def test_earlier_version_is_superseded_by_the_later_in_force():
    old, new = _meta(OLD_REG, "old.txt"), _meta(NEW_REG, "new.txt")
    st = collection_status([new, old], TODAY)
    assert st[old.doc_id].status == SUPERSEDED and st[old.doc_id].superseded_by == new.doc_id
    assert st[new.doc_id].status == IN_FORCE and st[new.doc_id].previous == [old.doc_id]
    assert st[old.doc_id].version_group == st[new.doc_id].version_group != ""


def test_a_revision_not_yet_in_force_leaves_the_old_text_in_force():
    old, new = _meta(OLD_REG, "old.txt"), _meta(NEW_REG, "new.txt")
    st = collection_status([old, new], "2025-08-15")
    assert st[new.doc_id].status == NOT_YET
    assert st[old.doc_id].status == IN_FORCE


def test_same_title_of_another_region_is_not_a_version():
    old = _meta(OLD_REG, "old.txt")
    other = _meta(NEW_REG.replace("某省", "另省"), "other.txt")
    st = collection_status([old, other], TODAY)
    assert st[old.doc_id].status == IN_FORCE and st[old.doc_id].version_group == ""


def test_repealed_by_a_document_in_the_collection():
    new, old = _meta(NEW_LAW_REPEALS, "new.txt"), _meta(OLD_REPEALED, "old.txt")
    st = collection_status([new, old], TODAY)
    assert st[old.doc_id].status == REPEALED and st[old.doc_id].repealed_by == new.doc_id
    assert st[new.doc_id].status == IN_FORCE


def test_plan_period_ended_and_expiry_against_today():
    plan = _meta(PLAN, "plan.txt")
    assert collection_status([plan], TODAY)[plan.doc_id].status == PLAN_ENDED
    assert collection_status([plan], "2025-06-01")[plan.doc_id].status == IN_FORCE
    m = DocMeta("m#0", "m.txt", title="某市若干措施", effective_date="2023-06-15", expires="2026-06-15")
    assert collection_status([m], TODAY)["m#0"].status == EXPIRED


def test_dev_corpus_law_pair_and_bundled_plans():
    docs = ingest_paths([FIX / "versions", Path(__file__).parent.parent / "data" / "corpus"], progress=False).documents
    rows = {r["source"]: r for r in document_status_rows([d.meta for d in docs], TODAY)}
    old, new = rows["行政复议法(2017-09-01).md"], rows["行政复议法(2023-09-01).md"]
    assert old["status"] == SUPERSEDED and old["superseded_by"] == new["doc_id"]
    assert new["status"] == IN_FORCE and new["effective_date"] == "2024-01-01"
    plans = [r for r in rows.values() if r["plan_period"]]
    assert plans and all(r["status"] == PLAN_ENDED and r["plan_period"] == "2021-2025" for r in plans)


def test_old_saved_metadata_without_the_new_keys_still_loads():
    m = DocMeta.from_dict({"doc_id": "a#0", "source": "a.txt", "title": "某方案", "unknown_key": 1})
    assert m.effective_date == "" and m.revised == [] and m.references == []


def test_today_must_be_an_iso_date():
    assert parse_today("2026-12-03") == "2026-12-03"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_today("2026/12/03")


def test_a_referenced_document_held_in_the_collection_is_linked():
    basis = _meta(NEW_REG, "basis.txt")  # 某省科学技术普及条例
    plan = _meta("某市科普工作方案\n\n一、总体要求\n\n为贯彻落实《某省科学技术普及条例》，根据《中华人民共和国科学技术普及法》，"
                 "结合本市实际，制定本方案。\n\n二、任务\n\n建设科普基地10个。\n", "plan.txt")
    assert plan.references == ["某省科学技术普及条例", "中华人民共和国科学技术普及法"]
    st = collection_status([basis, plan], TODAY)
    assert st[plan.doc_id].references == [basis.doc_id]  # the law is not held: no link


def test_a_forwarding_notice_links_the_forwarded_document():
    docs = ingest_paths([FIX / "ingest" / "notice_forward.txt"], progress=False).documents
    st = collection_status([d.meta for d in docs], TODAY)
    notice, forwarded = docs[0].meta, docs[1].meta
    assert forwarded.title in notice.references
    assert st[notice.doc_id].references == [forwarded.doc_id]
