"""China's administrative divisions: every provincial-level unit and every prefecture-level
division (地级市 / 地区 / 自治州 / 盟), from ``divisions.tsv`` (2024 list), with their forms.

One region, many spellings: 新疆, 新疆维吾尔自治区 and 新疆自治区 are the same ``Division``; a
prefecture knows its province. Places below prefecture level (县, 县级市, 区) are not listed;
``region_forms`` derives their short form from the suffix (砀山县 → 砀山).

>>> canonical("新疆"), canonical("新疆自治区"), canonical("新疆维吾尔自治区")
('新疆维吾尔自治区', '新疆维吾尔自治区', '新疆维吾尔自治区')
>>> lookup("扬州").province, lookup("延边州").full, lookup("吉林").full
('江苏省', '延边朝鲜族自治州', '吉林省')
>>> region_forms("扬州市"), region_forms("砀山县"), region_forms("新疆维吾尔自治区")
(['扬州市', '扬州'], ['砀山县', '砀山'], ['新疆维吾尔自治区', '新疆', '新疆自治区'])
>>> [d.full for d in find_divisions("苏州和新疆自治区有何不同")]
['苏州市', '新疆维吾尔自治区']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lang.text import squeeze

# generic suffixes of place names, longest first
SUFFIXES = ("特别行政区", "经济特区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "县", "区", "州", "盟", "旗")
_ETHNIC_TAIL = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族|维吾尔|蒙古)+$")


@dataclass(frozen=True)
class Division:
    level: str  # "province" | "prefecture"
    full: str  # 新疆维吾尔自治区
    short: str  # 新疆
    province: str  # the province's full name ("" for a province)
    aliases: tuple[str, ...] = ()
    bare: bool = True  # the short form alone designates the place (not a common word)
    abbr: tuple[str, ...] = ()  # one-character abbreviations: 皖, 甘 / 陇

    def forms(self) -> list[str]:
        """Full form first, then short, then the other accepted forms."""
        return list(dict.fromkeys([self.full, self.short, *self.aliases]))


class DivisionsFileError(ValueError):
    """lang/divisions.tsv is malformed (the message names the line)."""


@lru_cache(maxsize=1)
def all_divisions() -> tuple[Division, ...]:
    """Every division of ``divisions.tsv`` (34 provincial-level, 333 prefecture-level)."""
    text = resources.files("lang").joinpath("divisions.tsv").read_text(encoding="utf-8")
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 7 or cols[0] not in ("province", "prefecture"):
            raise DivisionsFileError(f"lang/divisions.tsv line {n}: expected 7 tab-separated columns "
                                     f"(level province|prefecture, full, short, province, aliases, bare, abbr), "
                                     f"got {line!r}")
        level, full, short, prov, aliases, bare, abbr = cols
        out.append(Division(level, full, short, prov, tuple(a for a in aliases.split(",") if a), bare == "1",
                            tuple(a for a in abbr.split(",") if a)))
    return tuple(out)


@lru_cache(maxsize=1)
def _form_index() -> dict[str, Division]:
    """form → division; a province wins a short form it shares with a prefecture (吉林, 海南)."""
    idx: dict[str, Division] = {}
    for d in sorted(all_divisions(), key=lambda d: d.level != "province"):
        for f in d.forms():
            idx.setdefault(f, d)
    return idx


# words before an administrative suffix that make a common noun, not a place (行政区划, 自治区域, 开发区, 风景区)
NOT_PLACE_STEMS = frozenset({
    "行政", "自治", "开发", "经济", "保护", "风景", "名胜", "城市", "社区", "园区", "景区", "辖区", "市区", "城区",
    "郊区", "山区", "牧区", "林区", "灾区", "选区", "特区", "高新", "示范", "试验", "功能", "工业", "商业", "住宅",
    "居住", "生活", "核心", "学区", "校区", "街区", "矿区", "库区", "老区", "边境", "民族", "少数",
})

# a special economic zone named after its city or province is that place's territory
ZONE_SUFFIX = "经济特区"


def lookup(name: str) -> Division | None:
    """The division a name designates (full, short or alias form; X经济特区 is X), or None.

    >>> lookup("汕头经济特区").full, lookup("海南经济特区").full, lookup("砀山县")
    ('汕头市', '海南省', None)
    """
    name = squeeze(name)
    found = _form_index().get(name)
    if found is None and name.endswith(ZONE_SUFFIX):
        found = _form_index().get(name[: -len(ZONE_SUFFIX)])
    return found


def canonical(name: str) -> str:
    """The full name of a division; other names come back with only their whitespace removed."""
    d = lookup(name)
    return d.full if d else squeeze(name)


def province_of(name: str) -> str:
    """The province (full name) a division belongs to; itself for a province; "" when unknown.

    >>> province_of("亳州"), province_of("安徽"), province_of("砀山县")
    ('安徽省', '安徽省', '')
    """
    d = lookup(name)
    if d is None:
        return ""
    return d.full if d.level == "province" else d.province


def strip_suffix(name: str) -> str:
    """A place name without its generic suffix and ethnic names (延边朝鲜族自治州 → 延边); at least 2 chars."""
    name = squeeze(name)
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            short = name[: -len(suf)]
            m = _ETHNIC_TAIL.match(short) if suf.startswith("自治") else None
            return m.group(1) if m else short
    return name


def region_forms(region: str) -> list[str]:
    """Every way a region is written, full form first (the lexicon's forms for listed divisions)."""
    region = squeeze(region)
    if not region:
        return []
    d = lookup(region)
    if d is not None and d.full == region:
        return d.forms()
    short = strip_suffix(region)
    return [region] if short == region else [region, short]


@lru_cache(maxsize=1 << 16)
def same_region(a: str, b: str) -> bool:
    """Do two names designate the same region?

    >>> same_region("新疆", "新疆维吾尔自治区"), same_region("吉林市", "吉林省"), same_region("砀山", "砀山县")
    (True, False, True)
    """
    a, b = squeeze(a), squeeze(b)
    if not a or not b:
        return False
    if a == b:
        return True
    da, db = lookup(a), lookup(b)
    if da is not None and db is not None:
        return da == db
    return a in region_forms(b) or b in region_forms(a)


def ids_in_regions(region_of: Mapping[str, str], regions: Sequence[str]) -> list[str]:
    """The ids (in order) whose region one of ``regions`` designates; each distinct region is
    compared once (thousands of documents share a few dozen regions).

    >>> ids_in_regions({"a": "吉林省", "b": "甘肃省", "c": "吉林市", "d": "吉林省"}, ["吉林"])
    ['a', 'd']
    """
    wanted = {h for h in set(region_of.values()) if h and any(same_region(r, h) for r in regions)}
    return [i for i, h in region_of.items() if h in wanted]


@lru_cache(maxsize=1)
def _forms_longest_first() -> tuple[tuple[str, Division], ...]:
    """The form index longest form first, without short forms that are common words (``bare`` 0)."""
    return tuple((form, d) for form, d in sorted(_form_index().items(), key=lambda kv: -len(kv[0]))
                 if not (form == d.short and not d.bare and form != d.full))


@lru_cache(maxsize=1)
def _all_forms() -> tuple[str, ...]:
    """Every form of every division, in file order (a form shared by two divisions twice)."""
    return tuple(f for d in all_divisions() for f in d.forms())


@lru_cache(maxsize=1)
def _abbr_index() -> dict[str, Division]:
    return {a: d for d in all_divisions() for a in d.abbr}


def find_divisions(text: str) -> list[Division]:
    """Listed divisions named in ``text`` (longest form first, no overlaps), in order of mention.

    A short form that is also a common word (``bare`` 0 in the file: 安康, 白银, 日照 …) counts
    only with its suffix.
    """
    t = squeeze(text)
    found: list[tuple[int, Division]] = []
    taken = [False] * len(t)
    for form, d in _forms_longest_first():
        if form not in t:
            continue
        start = 0
        while (i := t.find(form, start)) >= 0:
            start = i + 1
            if any(taken[i:i + len(form)]):
                continue
            taken[i:i + len(form)] = [True] * len(form)
            found.append((i, d))
    for i, d in abbreviations(t, taken):
        found.append((i, d))
    found.sort(key=lambda x: x[0])
    return list(dict.fromkeys(d for _, d in found))


# where a one-character abbreviation may stand for a province: at the start of the question or of
# a phrase (after 请问 / 那 / 和 / 与 / 、 …), and not inside a longer name already read
_PHRASE_START = re.compile(r"(?:^|请问|告诉我|问一下|那么|那|和|与|及|跟|同|、|，|,|比较|对比|相比)$")


def abbreviations(text: str, taken: list[bool] | None = None) -> list[tuple[int, Division]]:
    """(position, province) for one-character abbreviations where a place name would start a phrase.

    >>> [(i, d.full) for i, d in abbreviations("请问皖方案和甘若干措施有何不同")]
    [(2, '安徽省'), (6, '甘肃省')]
    >>> abbreviations("甘肃的方案")  # a longer name is read as that name, not as 甘 + 肃
    []
    """
    t = squeeze(text)
    taken = taken if taken is not None else [False] * len(t)
    if not any(taken):
        for f in _all_forms():
            if f in t:
                start = 0
                while (i := t.find(f, start)) >= 0:
                    taken[i:i + len(f)] = [True] * len(f)
                    start = i + 1
    index = _abbr_index()
    out = []
    for i, ch in enumerate(t):
        d = index.get(ch)
        if d is None or taken[i] or (i + 1 < len(t) and t[i + 1] in index):
            continue
        if _PHRASE_START.search(t[max(0, i - 5):i]):
            out.append((i, d))
    out += _counted_run(t, taken, index)
    return sorted(out, key=lambda x: x[0])


_COUNTS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def _counted_run(t: str, taken: list[bool], index: dict[str, Division]) -> list[tuple[int, Division]]:
    """Abbreviations written together and counted ("皖吉甘三省", "京津冀三地"): each is a province
    when the count that follows is the number of characters.

    >>> [(i, d.full) for i, d in _counted_run("皖吉甘三省的科普条例", [False] * 10, _abbr_index())]
    [(0, '安徽省'), (1, '吉林省'), (2, '甘肃省')]
    >>> [(i, d.full) for i, d in _counted_run("豫、鲁两省条例分别规定", [False] * 11, _abbr_index())]
    [(0, '河南省'), (2, '山东省')]
    >>> [(i, d.full) for i, d in _counted_run("国家条例和京沪条例各怎么规定", [False] * 14, _abbr_index())]
    [(5, '北京市'), (6, '上海市')]
    """
    chars = "".join(sorted(index))
    out: list[tuple[int, Division]] = []
    for m in re.finditer(f"((?:[{re.escape(chars)}][、和与及]?){{2,6}})([两二三四五六])个?(?:省|省份|地|省市|省区)", t):
        run = re.sub("[、和与及]", "", m.group(1))  # 豫、鲁两省 as 豫鲁两省
        if _COUNTS[m.group(2)] == len(run) and not any(taken[m.start(1):m.end(1)]) and len(set(run)) == len(run):
            out += [(m.start(1) + k, index[c]) for k, c in enumerate(m.group(1)) if c in index]
    for m in re.finditer(f"([{re.escape(chars)}]{{2,4}})(?:两地|三地|各地)?的?(?:条例|办法|规定|方案|措施|文件)", t):
        run = m.group(1)  # "京沪条例": written together before a kind of document, each is a province
        if _PHRASE_START.search(t[max(0, m.start() - 5):m.start()]) and not any(taken[m.start(1):m.end(1)]) \
                and len(set(run)) == len(run) and not any(p == m.start(1) for p, _ in out):
            out += [(m.start(1) + k, index[c]) for k, c in enumerate(run)]
    return out
