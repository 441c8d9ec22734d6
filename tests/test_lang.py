"""The lexicon (lang/): numerals, the numbering ladder, years and periods, administrative divisions,
unit labels — with property tests for the ladder (any depth, any mix of widths, line breaks inside
sentences) and for the numerals."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.parse import parse_text
from lang.dates import Period, read_years
from lang.divisions import (
    all_divisions,
    canonical,
    find_divisions,
    lookup,
    province_of,
    region_forms,
    same_region,
)
from lang.numbering import article_names, detect_marker, strip_marker
from lang.numerals import cn_to_int, int_to_cn
from lang.units import asks_responsibility, is_body

LADDER = ("cn", "cn_paren", "ar_dot", "ar_paren", "circled")
FULL = str.maketrans("().0123456789", "（）．０１２３４５６７８９")


def render(typ: str, n: int, wide: bool) -> str:
    mark = {"cn": f"{int_to_cn(n)}、", "cn_paren": f"({int_to_cn(n)})", "ar_dot": f"{n}.",
            "ar_paren": f"({n})", "circled": chr(ord("①") + n - 1)}[typ]
    return mark.translate(FULL) if wide else mark


def canonical_mark(typ: str, n: int) -> str:
    return {"cn": f"{int_to_cn(n)}、", "cn_paren": f"（{int_to_cn(n)}）", "ar_dot": f"{n}.",
            "ar_paren": f"（{n}）", "circled": chr(ord("①") + n - 1)}[typ]


@given(st.integers(min_value=0, max_value=9999))
def test_chinese_numerals_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


@given(st.sampled_from(LADDER), st.integers(min_value=1, max_value=20), st.booleans(), st.booleans())
def test_every_ladder_mark_is_read_in_either_width(typ, n, wide, space):
    text = render(typ, n, wide) + (" " if space else "") + "加强科普人才队伍建设。"
    m = detect_marker(text)
    assert m is not None and (m.type, m.num, m.display) == (typ, n, canonical_mark(typ, n))
    assert strip_marker(text).strip() == "加强科普人才队伍建设。"


BODY = "各地要结合实际加强科普基础设施建设，完善科普场馆、基地和信息化平台的布局。推动优质科普资源向基层延伸。"


@st.composite
def ladders(draw):
    """A random numbering tree: depth 1..5 over a random order of the five ladder types."""
    order = draw(st.permutations(LADDER))
    depth = draw(st.integers(min_value=1, max_value=5))
    types = order[:depth]

    def node(level: int) -> list:
        n = draw(st.integers(min_value=1, max_value=3))
        return [(i, node(level + 1) if level + 1 < depth and draw(st.booleans()) else []) for i in range(1, n + 1)]

    return types, node(0), draw(st.lists(st.booleans(), min_size=64, max_size=64))


@settings(max_examples=40, deadline=None)
@given(ladders())
def test_any_ladder_depth_and_width_gives_the_section_paths(tree):
    types, nodes, flips = tree
    lines, expected, k = ["某某县科普工作实施方案", ""], [], 0

    def walk(items, level, path):
        nonlocal k
        for n, kids in items:
            k += 1
            wide, brk = flips[k % 64], flips[(k * 7) % 64]
            body = BODY[:20] + ("\n" if brk else "") + BODY[20:]  # a line break inside the sentence
            lines.append(render(types[level], n, wide) + body)
            p = path + canonical_mark(types[level], n)
            expected.append(p)
            walk(kids, level + 1, p)

    walk(nodes, 0, "")
    [doc] = parse_text("\n".join(lines) + "\n", "plan.txt")
    paths = [c.section_path for c in doc.clauses if c.kind == "item"]
    assert paths == expected
    assert all(c.text.replace("\n", "").endswith(BODY) for c in doc.clauses if c.kind == "item")


def test_law_ladder_and_article_references():
    m = detect_marker("第二十三条　县级以上人民政府应当将科普经费列入同级财政预算。")
    assert (m.type, m.num, m.display) == ("law_tiao", 23, "第二十三条")
    assert detect_marker("第三章　组织管理").type == "law_zhang"
    assert detect_marker("第二十三条规定的科普经费") is None  # a cross-reference, not a heading
    assert article_names("第23条和第三十条第二款有什么规定？") == ["第二十三条", "第三十条"]


def test_divisions_are_complete_and_each_prefecture_knows_its_province():
    divs = all_divisions()
    provinces = {d.full for d in divs if d.level == "province"}
    prefectures = [d for d in divs if d.level == "prefecture"]
    assert len(provinces) == 34 and len(prefectures) == 333
    assert all(d.province in provinces for d in prefectures)
    assert sum(d.full.endswith("自治州") for d in prefectures) == 30
    assert sum(d.full.endswith("盟") for d in prefectures) == 3
    assert sum(d.full.endswith("地区") for d in prefectures) == 7


def test_one_region_whatever_form_is_written():
    assert canonical("新疆") == canonical("新疆自治区") == canonical("新疆维吾尔自治区") == "新疆维吾尔自治区"
    assert canonical("广西") == canonical("广西壮族自治区") == canonical("广西自治区")
    assert lookup("延边州").full == lookup("延边朝鲜族自治州").full == "延边朝鲜族自治州"
    assert province_of("扬州") == "江苏省" and province_of("亳州市") == "安徽省" and province_of("阿里地区") == "西藏自治区"
    assert lookup("吉林").full == "吉林省" and lookup("吉林市").full == "吉林市"  # a province wins a shared short form
    assert not same_region("吉林市", "吉林省") and same_region("内蒙古", "内蒙古自治区")
    assert region_forms("青田县") == ["青田县", "青田"]


@given(st.sampled_from([d for d in all_divisions() if d.bare]), st.sampled_from(["", " ", "\n"]))
def test_every_division_is_found_in_a_question_in_any_of_its_forms(d, gap):
    for form in d.forms():
        if lookup(form) != d:
            continue  # a short form shared with a province
        q = f"请问{form[:1]}{gap}{form[1:]}的科普经费是怎么规定的？"
        assert d in find_divisions(q)


def test_common_words_are_not_places_without_their_suffix():
    assert find_divisions("老年人安康和日照时间") == []
    assert [d.full for d in find_divisions("安康市和日照市")] == ["安康市", "日照市"]


def test_years_periods_and_relative_years():
    today = datetime.date(2026, 3, 1)
    y = read_years("“十四五”时期到2025年，2021—2025年，明年", today)
    assert y.years == (2025, 2027)
    assert Period(2021, 2025, "十四五") in y.periods and Period(2021, 2025) in y.periods
    assert read_years("十五五规划").periods == (Period(2026, 2030, "十五五"),)
    assert read_years("第十五条规定").is_empty()
    assert read_years("今年", None).is_empty()  # a relative year needs a today


def test_unit_vocabulary():
    assert is_body("省科协") and is_body("县人民政府") and not is_body("科普活动")
    assert asks_responsibility("由谁牵头？") and not asks_responsibility("比例是多少？")
