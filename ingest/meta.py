"""Document metadata read from the text: title, issuers, 文号, date, region, level, type.

All functions take *folded* lines (see ``normalize.fold``) for matching and return values in the
original wording. Nothing is invented: a field the text does not state stays empty.

>>> doc_number_of("扬府办发〔2022〕37号")
'扬府办发〔2022〕37号'
>>> iso_date("2023年5月9日"), iso_date("二〇二三年二月一日印发")
('2023-05-09', '2023-02-01')
>>> region_level("扬州市全民科学素质行动实施方案"), region_level("中共甘肃省委组织部")
(('扬州市', '市'), ('甘肃省', '省'))
>>> region_level("吉林市科学技术普及条例"), region_level("汕头经济特区科技创新条例"), region_level("行政区划管理条例")
(('吉林市', '市'), ('汕头市', '市'), ('', ''))
>>> doc_type_of("甘肃省关于新时代进一步加强科学技术普及工作的若干措施")
'措施'
"""

from __future__ import annotations

import re

from ingest.normalize import fold
from lang.divisions import NOT_PLACE_STEMS, all_divisions, lookup, strip_suffix
from lang.numerals import cn_to_int
from lang.text import DOC_NUMBER_RX, DOC_TYPES

# canonical type for a title ending: the last type word of the title, shortened to its kind
_TYPE_CANON = {"实施细则": "细则", "实施方案": "方案", "工作方案": "方案", "行动方案": "方案", "实施意见": "意见",
               "指导意见": "意见", "若干措施": "措施", "分解表": "表"}

PROVINCES = tuple(d.full for d in all_divisions() if d.level == "province")
_PROVINCE_SHORT = {d.full: d.short for d in all_divisions() if d.level == "province"}
_MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}

DOCNO_RX = DOC_NUMBER_RX
_DATE_RX = re.compile(r"^((?:19|20)\d{2}|[〇零O一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月"
                      r"\s*([\d一二三四五六七八九十]{1,3})\s*日\s*(印发|发布|通过|施行)?$")
_ORGAN_RX = re.compile(
    r"(厅|局|委|部|办公室|办|政府|委员会|协会|科协|联合会|院|中心|室|处|司|署|团委|总工会|工会|妇联|联|社|小组|支队"
    r"|集团|公司|管委会|大学|海关)$"
)
_SENTENCE_PUNCT = re.compile(r"[。,，;；:：!?！？]")
_PLACE_RX = re.compile(
    r"^(?:中共)?([\u4e00-\u9fff]{2,8}?(?:特别行政区|自治区|自治州|自治县|省|市|州|盟|县|区|旗))"
)
_NOT_PLACE_START = set("各本我全该省市县区")
_STATUS_RX = re.compile(r"^[(](征求意见稿|送审稿|讨论稿|草案|代拟稿|修订稿|初稿)[)]$")
_PUBLIC_RX = re.compile(r"^[(\[]?\s*此件.{0,8}[)\]]?$")


def _cn_int(s: str) -> int:
    return max(cn_to_int(s), 0)


def iso_date(folded_line: str) -> str:
    """ISO date of a line that *is* a date (signature / 印发 line), else ""."""
    m = _DATE_RX.match(folded_line.strip().replace(" ", ""))
    if not m:
        return ""
    y, mo, d = _cn_int(m.group(1)), _cn_int(m.group(2)), _cn_int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"


def is_date_line(folded_line: str) -> bool:
    return bool(iso_date(folded_line))


def doc_number_of(line: str) -> str:
    """The 文号 when the whole line is one (e.g. ``甘科才〔2023〕1号``), else ""."""
    f = fold(line.strip())
    m = DOCNO_RX.fullmatch(f)
    return line.strip() if m else ""


def is_plain(folded_line: str) -> bool:
    """A line without sentence punctuation (titles, issuers, dates, 文号 look like this)."""
    return not _SENTENCE_PUNCT.search(folded_line)


def issuers_of(folded_line: str, line: str) -> list[str]:
    """Issuing bodies named by a signature / header line, or [] when it is not such a line.

    >>> issuers_of("扬州市人民政府办公室文件", "扬州市人民政府办公室文件")
    ['扬州市人民政府办公室']
    >>> issuers_of("中共中央办公厅 国务院办公厅", "中共中央办公厅 国务院办公厅")
    ['中共中央办公厅', '国务院办公厅']
    """
    f = folded_line.strip()
    if not f or len(f) > 60 or not is_plain(f) or "《" in f or "关于" in f:
        return []
    if f.endswith("文件") and len(f) > 2:
        f = f[:-2].strip()
        line = line.strip()[:-2].strip()
    names_f = f.split()
    names = line.strip().split()
    if len(names_f) != len(names):
        return []
    if all(_ORGAN_RX.search(n) and 3 <= len(n) <= 30 for n in names_f):
        return names
    return []


def is_red_header(folded_line: str) -> bool:
    return folded_line.strip() == "文件"


def is_public_note(folded_line: str) -> bool:
    return bool(_PUBLIC_RX.match(folded_line.strip()))


def is_status_note(folded_line: str) -> bool:
    """``（征求意见稿）`` and the like: a draft status, not part of the title."""
    return bool(_STATUS_RX.match(folded_line.strip()))


def is_cc_line(folded_line: str) -> bool:
    return bool(re.match(r"^(抄送|抄报|主题词|印发|分送)\s*:", folded_line.strip()))


def is_attachment_heading(folded_line: str) -> bool:
    return bool(re.match(r"^附件\s*\d{0,2}\s*:?$", folded_line.strip()))


def doc_type_of(title: str) -> str:
    """The kind of document from the last type word of its title ("" when none)."""
    t = re.sub(r"[(（][^()（）]*[)）]\s*$", "", title.strip())  # drop a trailing （2021—2025年）
    t = re.sub(r"[》\"”]+$", "", t)
    for w in sorted(DOC_TYPES, key=len, reverse=True):
        if t.endswith(w):
            return _TYPE_CANON.get(w, w)
    return ""


def region_level(text: str) -> tuple[str, str]:
    """Leading place name of a title or issuer and its administrative level (省/市/县/国家)."""
    f = fold(text.strip())
    if f.startswith("关于"):
        return "", ""  # 关于印发XX县… names the place later, not as the issuing region
    if f.startswith("中华人民共和国"):
        return "中华人民共和国", "国家"
    for p in PROVINCES:
        if f.startswith(p) or f.startswith("中共" + p):
            return p, "省"
    m = _PLACE_RX.match(f)
    listed = lookup(m.group(1)) if m else None  # a listed division in its full form: 吉林市 is no 吉林省
    if listed is not None:
        return listed.full, "省" if listed.level == "province" or listed.full in _MUNICIPALITIES else "市"
    for p in PROVINCES:  # short form: 甘肃 / 中共甘肃省委
        short = _PROVINCE_SHORT[p]
        if f.startswith(short) or f.startswith("中共" + short):
            return p, "省"
    if not m or m.group(1)[0] in _NOT_PLACE_START or strip_suffix(m.group(1)) in NOT_PLACE_STEMS:
        return "", ""  # 行政区划管理条例 names no 行政区
    place = text.strip()[m.start(1):m.end(1)]
    if place in _MUNICIPALITIES:
        return place, "省"
    if place.endswith(("市", "州", "盟", "自治州")):
        return place, "市"
    if place.endswith(("县", "区", "旗", "自治县")):
        return place, "县"
    return place, "省"


def province_in_text(text: str) -> tuple[str, str]:
    """The province named most often in ``text`` (fallback when title and issuers name no place)."""
    counts = {p: text.count(p) for p in PROVINCES}
    best = max(counts, key=lambda p: counts[p])
    if counts[best] == 0:
        return "", ""
    return best, "省"


def title_key(title: str) -> str:
    """A title reduced for comparison: folded, no spaces, no 《》, no trailing (years)."""
    t = fold(title)
    t = re.sub(r"\s+", "", t)
    t = t.replace("《", "").replace("》", "")
    return re.sub(r"\([^()]*\)$", "", t)


def forwarded_title(folded_title: str, title: str) -> str:
    """X in a cover title ``关于印发《X》的通知`` (original wording), else "".

    Only 印发 / 发布 / 颁布 make a cover of the issuer's own document; 转发 forwards someone else's."""
    m = re.search(r"(印发|发布|颁布)\s*《(.+)》\s*的?(通知|通告|决定|函)$", folded_title)
    if not m:
        return ""
    return title[m.start(2):m.end(2)]
