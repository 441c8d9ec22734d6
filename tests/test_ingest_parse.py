"""Structure and metadata on fixture documents of other shapes: a county plan with the full ladder
(一、/（一）/1./（1）/①), a law with 目录/章/节/条, a notice forwarding another body's document with an
attachment table, and width / numbering variants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.config import IngestConfig
from ingest.normalize import fold, paragraphs
from ingest.parse import parse_text
from ingest.structure import detect_marker

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"


def parse(name: str):
    return parse_text((FIX / name).read_text(encoding="utf-8"), name, IngestConfig())


def by_path(doc):
    return {c.section_path: c for c in doc.clauses if c.section_path}


def test_county_plan_metadata_from_header_and_signature():
    [doc] = parse("county_plan.txt")
    m = doc.meta
    assert (m.title, m.region, m.level, m.doc_type, m.date, m.doc_number) == (
        "东阳县科普示范县创建工作方案（2023—2025年）", "东阳县", "县", "方案", "2023-03-15", "")
    assert m.issuers == ["东阳县人民政府办公室"]


def test_county_plan_full_ladder_paths():
    [doc] = parse("county_plan.txt")
    paths = [c.section_path for c in doc.clauses if c.kind == "item"]
    assert paths == ["一、1.", "一、2.", "二、（一）", "二、（一）1.（1）", "二、（一）1.（2）", "二、（一）1.（2）①",
                     "二、（一）1.（2）②", "二、（一）2.", "二、（二）1.", "二、（二）2.", "二、（二）3.",
                     "三、（一）", "三、（二）", "三、（三）"]
    c = by_path(doc)
    # 1. directly under 一、 (a skipped level) and a heading-only "1. 加强科学教育。" is not a clause of its own
    assert c["二、（一）1.（1）"].headings == ["二、重点任务", "（一）实施青少年科学素质提升行动", "1. 加强科学教育"]
    assert c["二、（一）1.（2）②"].headings[-1] == "（2）开展科技竞赛"


def test_enumerations_and_dash_lines_stay_inside_their_clause():
    [doc] = parse("county_plan.txt")
    c = by_path(doc)
    assert "一是开齐开足科学课程，二是配齐科技辅导员" in c["二、（一）"].text  # intro of a heading with children
    assert c["三、（三）"].text.endswith("——强化考核，奖惩分明。")
    assert "2025.年底前完成" in c["三、（二）"].text


def test_page_break_inside_clause_and_inside_responsible_unit_is_repaired():
    [doc] = parse("county_plan.txt")
    c = by_path(doc)
    assert "提升青少年科学兴趣" in c["二、（一）2."].text
    assert c["三、（一）"].responsible == ["县科普示范县创建工作领导小组办公室"]
    # a "（责任单位：…）" on its own line belongs to the clause before it
    assert c["二、（一）1.（2）②"].text.endswith("（责任单位：县教育局、团县委、县科协）")


def test_closing_block_is_not_part_of_the_last_clause():
    [doc] = parse("county_plan.txt")
    assert doc.clauses[-1].kind == "closing" and "东阳县人民政府办公室" in doc.clauses[-1].text
    assert "东阳县人民政府办公室" not in by_path(doc)["三、（三）"].text


def test_law_chapters_sections_and_one_clause_per_article():
    [doc] = parse("law_regulation.txt")
    m = doc.meta
    assert (m.title, m.doc_type, m.date, m.region, m.level) == ("某省科学技术普及条例", "条例", "2021-09-29", "", "")
    articles = [c for c in doc.clauses if c.kind == "article"]
    assert [c.section_path for c in articles] == [
        "第一章第一条", "第一章第二条", "第一章第三条", "第二章第一节第四条", "第二章第一节第五条",
        "第二章第二节第六条", "第三章第七条", "第三章第八条", "第四章第九条", "第四章第十条"]
    assert [c.headings for c in articles][3] == ["第二章　组织管理", "第一节　政府职责"]
    by = {c.section_path: c for c in articles}
    assert by["第二章第一节第五条"].text.count("\n") == 3  # its （一）（二）（三） items stay in the article
    assert "第三条规定的科普经费" in by["第二章第二节第六条"].text  # a cross-reference is not an article
    assert not any("目" in c.section_path for c in doc.clauses)
    assert all("第二章" not in c.text for c in articles)  # table of contents skipped, headings not in bodies


def test_forwarding_notice_splits_into_documents_with_own_metadata():
    notice, opinion, table = parse("notice_forward.txt")
    assert (notice.meta.title, notice.meta.doc_number, notice.meta.date, notice.meta.region, notice.meta.level,
            notice.meta.doc_type) == ("关于转发《江南省关于加强科普基地建设的意见》的通知", "宁科〔2024〕8号",
                                      "2024-05-20", "宁州市", "市", "通知")
    assert (opinion.meta.title, opinion.meta.doc_number, opinion.meta.date, opinion.meta.region,
            opinion.meta.issuers, opinion.meta.doc_type) == (
        "江南省关于加强科普基地建设的意见", "江科普〔2024〕3号", "2024-03-01", "江南省", ["江南省科学技术厅"], "意见")
    assert opinion.meta.parent_doc_id == notice.meta.doc_id == table.meta.parent_doc_id
    assert notice.clauses[0].kind == "header" and "2024年6月30日前" in notice.clauses[0].text
    assert [c.section_path for c in opinion.clauses if c.kind == "item"] == ["一、", "二、（一）", "二、（二）"]
    rows = [c for c in table.clauses if c.kind == "table"]
    assert len(rows) == 2 and all(r.text.startswith("序号\t任务\t责任单位") for r in rows)
    assert rows[1].responsible == ["各县（市、区）科技局"]


def test_region_of_a_place_not_in_the_province_list_comes_from_title_suffix():
    [doc] = parse_text("宁州市科普工作要点\n一、开展科普日活动。\n", "x.txt", IngestConfig())
    assert (doc.meta.region, doc.meta.level, doc.meta.doc_type) == ("宁州市", "市", "要点")


def _half_width(text: str) -> str:
    return (text.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")
            .replace("；", ";").replace("〔", "[").replace("〕", "]"))


def test_half_width_and_full_width_variants_give_the_same_paths_and_folded_texts():
    full = (FIX / "county_plan.txt").read_text(encoding="utf-8")
    half = _half_width(full).replace("1. ", "1．")
    [a] = parse_text(full, "a.txt", IngestConfig())
    [b] = parse_text(half, "b.txt", IngestConfig())
    assert [c.section_path for c in a.clauses] == [c.section_path for c in b.clauses]

    def squeeze(t: str) -> str:
        return re.sub(r"\s", "", fold(t))

    assert [squeeze(c.text) for c in a.clauses] == [squeeze(c.text) for c in b.clauses]
    assert [[_half_width(u) for u in c.responsible] for c in a.clauses] == [c.responsible for c in b.clauses]
    first_item = next(c for c in b.clauses if c.kind == "item")
    assert "(责任单位:县科协)" in first_item.text  # display keeps the original half-width wording


@pytest.mark.parametrize("line, expected", [
    ("一、总体要求", ("cn", 1, "一、")),
    ("(十二) 加强科普领域舆论引导。", ("cn_paren", 12, "（十二）")),
    ("（二十八）完善科普激励机制。", ("cn_paren", 28, "（二十八）")),
    ("１．提升能力。", ("ar_dot", 1, "1.")),
    ("3、开展活动。", ("ar_dot", 3, "3.")),
    ("（1）建设实验室。", ("ar_paren", 1, "（1）")),
    ("②决赛于每年5月举行。", ("circled", 2, "②")),
    ("第十二条　本条例自公布之日起施行。", ("law_tiao", 12, "第十二条")),
    ("第三章 保障措施", ("law_zhang", 3, "第三章")),
])
def test_markers_detected_with_one_display_form(line, expected):
    m = detect_marker(fold(line))
    assert (m.type, m.num, m.display) == expected


@pytest.mark.parametrize("line", ["2025.年底前完成", "2025年，比例达到16%", "1.5万人参加", "一是加强领导",
                                  "第三条规定的经费", "第五条所称科普"])
def test_false_headings_are_not_markers(line):
    assert detect_marker(fold(line)) is None


def test_out_of_sequence_number_is_body_text():
    text = "某县方案\n一、目标\n1. 开展活动。每年10场。\n3. 这一行不是第三项的开始。\n2. 加强宣传。每年5次。\n"
    [doc] = parse_text(text, "x.txt", IngestConfig())
    items = {c.section_path: c.text for c in doc.clauses if c.kind == "item"}
    assert list(items) == ["一、1.", "一、2."]
    assert "3. 这一行不是第三项的开始。" in items["一、1."]


def test_preamble_before_first_heading():
    [doc] = parse("county_plan.txt")
    head, pre = doc.clauses[0], doc.clauses[1]
    assert (head.kind, head.clause_id) == ("header", "county_plan#0/head")  # the title block
    assert (pre.kind, pre.section_path, pre.clause_id) == ("preamble", "", "county_plan#0/p0")
    assert pre.text.startswith("为深入贯彻") and pre.text.endswith("制定本方案。")


def test_offsets_point_into_the_decoded_text():
    text = (FIX / "county_plan.txt").read_text(encoding="utf-8")
    [doc] = parse_text(text, "county_plan.txt", IngestConfig())
    for c in doc.clauses:
        assert text[c.start:c.start + 4] == c.text[:4]
        assert text[c.end - 2:c.end] == c.text[-2:]


def test_title_lines_are_not_joined_into_the_body_but_a_split_title_is_rejoined():
    text = "关于贯彻落实《关于新时代进一步加强科学技术普及\n\n工作的意见》的实施方案\n\n为深入贯彻落实意见精神，制定本方案。\n一、强化责任\n"
    [doc] = parse_text(text, "x.txt", IngestConfig())
    assert doc.meta.title == "关于贯彻落实《关于新时代进一步加强科学技术普及工作的意见》的实施方案"
    assert doc.clauses[0].kind == "header" and doc.clauses[0].text == doc.meta.title  # the rejoined title block
    assert doc.clauses[1].text == "为深入贯彻落实意见精神，制定本方案。"
    assert [p.text for p in paragraphs("扬州市人民政府办公室\n\n2022年4月19日\n", ())] == [
        "扬州市人民政府办公室", "2022年4月19日"]


def _source_matches(text: str, c) -> bool:
    """Clause text is the decoded text of its span, up to the line-break repair (whitespace)."""
    return re.sub(r"\s", "", text[c.start:c.end]) == re.sub(r"\s", "", c.text)


def test_letterhead_and_title_block_are_in_a_header_clause():
    text = ("\n\n东阳县科学技术局\n东阳县教育局\n\n文件\n\n东科发〔2024〕7号\n\n"
            "关于印发《东阳县青少年科普行动方案》的通知\n\n各乡镇人民政府，县直各单位：\n"
            "现将《东阳县青少年科普行动方案》印发给你们，请认真贯彻执行。\n\n东阳县科学技术局\n东阳县教育局\n"
            "2024年3月1日\n（此件公开发布）\n\n东阳县青少年科普行动方案\n（征求意见稿）\n\n"
            "为提升青少年科学素质，制定本方案。\n一、主要任务\n（一）开展科普活动。每年不少于10场。\n")
    [doc] = parse_text(text, "dy.txt", IngestConfig())
    assert doc.meta.doc_number == "东科发〔2024〕7号"
    head = doc.clauses[0]
    assert (head.kind, head.section_path) == ("header", "")
    assert head.start == text.index("东阳县科学技术局") and head.end == text.index("（征求意见稿）") + len("（征求意见稿）")
    assert _source_matches(text, head)
    for line in ("东阳县教育局", "文件", "东科发〔2024〕7号", "关于印发《东阳县青少年科普行动方案》的通知",
                 "各乡镇人民政府", "2024年3月1日", "东阳县青少年科普行动方案", "（征求意见稿）"):
        assert line in head.text.split("\n") or line in head.text
    # the other clauses keep their boundaries and nothing overlaps
    pre = doc.clauses[1]
    assert pre.kind == "preamble" and pre.text == "为提升青少年科学素质，制定本方案。"
    spans = [(c.start, c.end) for c in doc.clauses]
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))


def test_title_block_without_a_cover_is_a_header_clause_of_its_own():
    text = "\n砀山县科普工作方案\n（2021-2025年）\n（征求意见稿）\n\n为提升科学素质，制定本方案。\n一、目标\n到2025年，比例达到15%。\n"
    [doc] = parse_text(text, "ds.txt", IngestConfig())
    head, pre = doc.clauses[0], doc.clauses[1]
    assert (head.kind, head.clause_id, head.order) == ("header", "ds#0/head", 0)
    assert head.text == "砀山县科普工作方案\n（2021-2025年）\n（征求意见稿）" and _source_matches(text, head)
    assert text[head.start:head.end] == head.text
    assert (pre.kind, pre.clause_id, pre.order) == ("preamble", "ds#0/p0", 1)
    assert [c.order for c in doc.clauses] == list(range(len(doc.clauses)))


@pytest.mark.parametrize("history", [
    # an amendment line that runs on into the next one ("…第一次修正  根据")
    "2002年12月6日 某市第一届人民代表大会常务委员会第四十次会议通过\n\n"
    "2004年6月28日 某市第二届人民代表大会常务委员会第十次会议《关于修改〈某市养蜂条例〉的决定》第一次修正  根据\n\n"
    "2010年7月23日 某市第三届人民代表大会常务委员会第十八次会议修正",
    # a title with punctuation, then its adoption line (page-break repair must not join them)
    "2014年1月22日 某市第十四届人民代表大会第二次会议通过",
    # an approval line broken in the middle of its date
    "2014年7月23日 某市第十五届人民代表大会常务委员会第十五次会议通过\n\n2014年9月26\n\n日某省第十二届人民代表大会常务委员会第十次会议批准",
])
def test_a_laws_history_lines_are_not_part_of_its_title(history, tmp_path):
    from ingest.pipeline import ingest_paths

    title = "某市养蜂、蜂产品管理条例"
    text = f"# {title}\n\n{history}\n\n## 第一章  总  则\n\n第一条 为了规范养蜂活动，制定本条例。\n\n第二条 本条例自2015年1月1日起施行。\n"
    (tmp_path / "bee.md").write_text(text, encoding="utf-8")
    doc = ingest_paths([tmp_path / "bee.md"], IngestConfig(), progress=False).documents[0]
    assert doc.meta.title == title
    assert [c.section_path for c in doc.clauses][-2:] == ["第一章第一条", "第一章第二条"]
