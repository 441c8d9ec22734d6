"""Figures in policy text: a quantity written in digits (16%, 1000 家, 0.1元) or in Chinese
numerals as laws write them (六十日, 二十年, 十五个工作日, 三分之一, 百分之四, 百分之二点五, 五倍).

A year (2025年), a year span (2021—2025年), a plan period (“十四五”) and an ordinal (第二十条,
第三项) are not figures. One rule, used wherever an answer must hold "the figure asked for".

>>> figure_tokens("自知道之日起六十日内提出；不动产自作出之日起超过二十年的，不予受理。")
['六十日', '二十年']
>>> figure_tokens("比例不低于三分之一，研发经费占比达到百分之四，到2025年达到19%。")
['三分之一', '百分之四', '19%']
>>> figure_tokens("第二十条　“十四五”时期，2021—2025年，建设一批科普基地。")
[]
>>> figure_tokens("贯彻党的二十大和十九届五中全会精神，实施五大工程。")
['五大']
"""

from __future__ import annotations

import re

CN_DIGITS = "零〇一二三四五六七八九两"
CN_NUMERAL = CN_DIGITS + "十百千万亿"
_NUM = rf"[{CN_NUMERAL}]+(?:点[{CN_DIGITS}]+)?"
# measure words / units after a Chinese numeral that make it a quantity (月 alone is a month name: 十月)
MEASURES = (
    "个工作日", "个自然日", "个月", "个季度", "个百分点", "工作日", "小时", "分钟", "周岁", "学时", "课时",
    "平方米", "立方米", "公里", "公顷", "亩", "厘米", "毫米", "米", "吨", "公斤", "千克", "克", "毫升", "升", "分贝", "千瓦",
    "辆", "台", "株", "棵", "只", "册", "套", "张",
    "日", "天", "周", "年", "岁", "倍", "成",
    "个", "项", "家", "名", "人", "所", "座", "次", "元", "万", "亿", "件", "处", "批", "届", "期", "大",
)
_MEASURE = "|".join(sorted(MEASURES, key=len, reverse=True))
CN_FIGURE_RX = re.compile(
    rf"百分之{_NUM}"  # 百分之四, 百分之二点五
    rf"|{_NUM}分之{_NUM}"  # 三分之一
    rf"|(?<![第{CN_NUMERAL}])(?P<n>{_NUM})\s*(?:{_MEASURE})"  # 六十日, 二十年, 十五个工作日, 五倍
)
DIGIT_FIGURE_RX = re.compile(r"(?<![\d第.])\d+(?:\.\d+)?(?:\s*[%％])?")
# a bare 一 / 两 is mostly a word (一年来, 一个中心, 两个维护): it counts before an explicit limit
_LIMIT = re.compile(r"\s*(?:内|以内|之内|以上|以下|以后|后|前|起|为限|的|，|。|；|,|;)")
# 一 / 两 with a span of time is a duration (一小时, 两个月) unless a word goes on (一年来, 一年级)
_SPANS = ("小时", "个工作日", "工作日", "日", "天", "周", "个月", "季度", "个季度", "年", "倍", "周岁")
_SPAN_WORD = re.compile(r"来|级|度|轮|中|到头|四季")
_COUNTED = ("次", "元", "名", "人", "家", "所", "座", "项")
_CUE = re.compile(r"(?:至少|不少于|不低于|不超过|不足|超过|满|达到|累计|连续|每|约|逾)\s*有?\s*$")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*(?:年\s*)?[-—–~～至到]+\s*(?:19|20)\d{2}(?!\d)\s*年?"
                   r"|(?<!\d)(?:19|20)\d{2}\s*年|[〇零一二三四五六七八九]{4}\s*年")
_PLAN = re.compile(r"[“\"]十[一二三四五六七八九]五[”\"]|十[一二三四五六七八九]五(?=时期|期间|规划|期末|末)"
                   r"|[一二三四五六七八九十]+个五年")
_ORDINAL = re.compile(rf"第\s*[\d{CN_NUMERAL}]+\s*[编章节条款项目届次批]?"
                      rf"|党的[{CN_NUMERAL}]+大|[{CN_NUMERAL}]+届[{CN_NUMERAL}]+中全会")  # a congress is named by its number


def _counts(text: str, m: re.Match[str]) -> bool:
    """Is this numeral + measure a quantity (not 一年来 / 千家万户 / 一个中心)?"""
    n = m.group("n")
    if n is None:
        return True
    if n in ("一", "两"):
        measure = m.group(0)[len(n):].strip()
        if measure in _SPANS:
            return not _SPAN_WORD.match(text, m.end())
        if n == "一" and measure in _COUNTED:
            return True  # 一次 / 一名 / 一家: a count as written (每年至少召开一次全体会议)
        return bool(_LIMIT.match(text, m.end()) or _CUE.search(text, 0, m.start()))
    return n.startswith("十") or any(c in CN_DIGITS for c in n)  # 十 / 十万元: ten, not 千家万户


FIGURE_RX = re.compile(CN_FIGURE_RX.pattern + "|" + DIGIT_FIGURE_RX.pattern)


# a quoted name that starts with a count (“四个面向”, “两个维护”, “三下乡”): a slogan, not a quantity
_SLOGAN = re.compile(r"[“\"‘][一二两三四五六七八九十]+个?[\u4e00-\u9fff]{1,6}[”\"’]")


def _masked(text: str) -> str:
    """``text`` with years, plan periods, ordinals and quoted slogans blanked (same length, so positions hold).

    >>> has_figure("聚焦“四个面向”，组织实施科普发展专项。"), has_figure("创建全国科普示范县5个。")
    (False, True)
    """
    for rx in (_PLAN, _ORDINAL, _YEAR, _SLOGAN):
        text = rx.sub(lambda m: " " * len(m.group(0)), text)
    return text


def figure_tokens(text: str) -> list[str]:
    """The figures of ``text`` in order (digits or Chinese numerals with their unit), verbatim.

    >>> figure_tokens("在十五个工作日内作出决定，罚款五倍以下，认定科普基地 1000 家以上")
    ['十五个工作日', '五倍', '1000']
    >>> figure_tokens("有不少于十万元的开办资金，惠及千家万户")
    ['十万元']
    """
    masked = _masked(text)
    out = []
    for m in FIGURE_RX.finditer(masked):
        if m.group(0).strip() and _counts(masked, m):
            out.append(text[m.start():m.end()].strip())
    return out


_DAYS_AFTER = re.compile(r"\s*(?:个)?(?:工作|自然)?[日天](?!历)")


def has_days(text: str) -> bool:
    """Does ``text`` state a number of days (六十日, 15天, 五个工作日), not a date (5月16日)?

    >>> has_days("自知道之日起六十日内提出"), has_days("于5月16日前报送"), has_days("连续工作满12个月以上的")
    (True, False, False)
    >>> has_days("月计薪天数（21.75天）")
    True
    """
    masked = _masked(text)
    for m in FIGURE_RX.finditer(masked):
        if not m.group(0).strip() or not _counts(masked, m) or masked[max(m.start() - 1, 0)] == "月":
            continue
        if m.group(0).rstrip().endswith(("日", "天")) or _DAYS_AFTER.match(masked, m.end()):
            return True
    return False


MONEY_RX = re.compile(rf"(?:\d+(?:\.\d+)?|[{CN_NUMERAL}]+(?:点[{CN_DIGITS}]+)?)\s*[百千万亿]*\s*(?:元|块钱)(?![化论结])")


def has_money(text: str) -> bool:
    """Does ``text`` state a sum of money (0.1元, 三千元, 50万元)?

    >>> has_money("行政复议事项涉及款额三千元以下的，可以适用简易程序。"), has_money("聘请科普讲师150名。")
    (True, False)
    """
    return bool(MONEY_RX.search(_masked(text)))


def fines_only(text: str) -> bool:
    """Is every sum of money ``text`` states a fine (处…元 / …元罚款), none a fee or a grant?

    >>> fines_only("冒用养犬证的，由城市管理行政执法部门处以二千元罚款。"), fines_only("每年收取管理费五十元。")
    (True, False)
    >>> fines_only("每株处一万元以上十万元以下的罚款"), fines_only("没有钱。")
    (True, False)
    """
    masked = _masked(text)
    found = False
    for m in MONEY_RX.finditer(masked):
        found = True
        before = re.split(r"[。；;，,]", masked[max(0, m.start() - 20):m.start()])[-1]
        after = re.split(r"[。；;，,]", masked[m.end():m.end() + 20])[0]
        if not (re.search(r"处|罚", before) or "罚" in after):
            return False
    return found


_FEE = re.compile(r"([\u4e00-\u9fff]{1,2})费(?!用)")


def fee_named(question: str) -> str:
    """The charge a question names (物业费, 管理费, 学费) by the word before 费; "" for none or a fine.

    >>> fee_named("物业费每平方米每月最高能收多少钱？"), fee_named("每年要交多少管理费？"), fee_named("罚多少钱？")
    ('物业', '管理', '')
    >>> fee_named("上学要交学费多少？")
    '学'
    """
    m = _FEE.search(question)
    stem = re.sub(r"^[多少几的交收缴付要]+", "", m.group(1)) if m else ""
    return "" if not stem or "罚" in stem else stem


def names_fee(stem: str, text: str) -> bool:
    """Does ``text`` speak of the charge named by ``stem`` (物业 → 物业服务费用, 物业费)?

    >>> names_fee("物业", "物业服务费用由业主按照合同约定交纳"), names_fee("物业", "筹备经费按物业总建筑面积每平方米一点二元承担")
    (True, False)
    """
    return bool(re.search(re.escape(stem) + r"[\u4e00-\u9fff]{0,3}费", text))


_PAYMENTS = (r"补助|补贴|资助", r"补偿|赔偿", r"奖励|奖金", r"抚恤", r"工资|报酬|薪酬")


def payment_named(question: str) -> str:
    """The kind of payment a question asks the amount of, as a pattern of its words ("" for none).

    >>> payment_named("避险搬迁每户能补助多少钱？"), payment_named("举报属实能拿多少奖金？"), payment_named("罚多少钱？")
    ('补助|补贴|资助', '奖励|奖金', '')
    """
    return next((p for p in _PAYMENTS if re.search(p, question)), "")


_MONTH_DAY = re.compile(r"[\d一二三四五六七八九十]+\s*月\s*[\d一二三四五六七八九十]+\s*[日号]")


def states_date(text: str) -> bool:
    """Does ``text`` name a calendar day (5月1日, 九月的第三个星期日 is not one)?

    >>> states_date("每年5月1日至9月16日为禁渔期"), states_date("县级以上人民政府可以设立禁渔期")
    (True, False)
    """
    return bool(_MONTH_DAY.search(text))


def has_figure(text: str) -> bool:
    """Does ``text`` state a quantity other than a year, a period or an ordinal?

    >>> has_figure("申请人可以自知道该行政行为之日起六十日内提出行政复议申请。")
    True
    >>> has_figure("第九条　国家鼓励开展科普活动。")
    False
    """
    return bool(figure_tokens(text))


# units of measure a question asks a figure in ("多少公里", "几岁"): the support must state one in it;
# each with the other ways texts write the same unit
MEASURE_UNITS: dict[str, tuple[str, ...]] = {
    "公里": ("公里", "千米"), "千米": ("千米", "公里"), "平方米": ("平方米",), "立方米": ("立方米",), "公顷": ("公顷",),
    "亩": ("亩",), "吨": ("吨",), "千克": ("千克", "公斤"), "公斤": ("公斤", "千克"), "米": ("米",),
    "小时": ("小时",), "分钟": ("分钟",), "岁": ("岁", "周岁"), "周岁": ("周岁", "岁"),
    "分贝": ("分贝", "dB", "db"), "毫升": ("毫升",), "厘米": ("厘米",), "时": ("时", "点"),
}


def states_measure(unit: str, text: str) -> bool:
    """Does ``text`` give a figure in ``unit`` or a synonym of it (25千米 for 公里, 十八周岁 for 岁)?

    >>> states_measure("公里", "最高设计车速不超过25千米/小时"), states_measure("公里", "最高时速超过强制性国家标准")
    (True, False)
    """
    return any(counts_in(u, text) for u in MEASURE_UNITS.get(unit, (unit,)))


# measure words that count one kind of thing only: a figure in another measure (场次, 家) is not its count
OBJECT_UNITS = "辆台架艘册本件套棵头张间"  # one character each: what "几辆 / 多少册" asks (query.asks.UNIT)


def counts_in(unit: str, text: str) -> bool:
    """Does ``text`` give a count in ``unit`` (10辆, 三台, 2万册, 十余辆)?

    >>> counts_in("辆", "配备科普大篷车2辆"), counts_in("辆", "每年开展科普大篷车巡展活动不少于10场次")
    (True, False)
    >>> counts_in("册", "年入藏文献信息资料不得少于2万册（件）")
    True
    """
    return bool(re.search(rf"[\d０-９一二三四五六七八九十百千万两]+\s*(?:余|多)?\s*{re.escape(unit)}", text))


# how often or how long (多久一次, 多长时间): answered by a span (每五年, 三十日内) or a schedule (定期, 每季度)
PERIOD_ASK = re.compile(r"多久|多长时间|多长期限|每隔多|间隔多|什么周期|周期是")
# how often, in particular: a schedule without a figure (定期组织) answers it; "提前多久" asks a span
FREQUENCY_ASK = re.compile(r"(?:多久|多长时间)[^，,。？?]{0,6}一次|每隔多|间隔多|什么周期|周期是"
                           r"|多久(?:搞|做|开展|组织|进行|检定|检查|检测|调查|召开|举行|评估|更新)")
_PERIOD = re.compile(rf"每(?:{_NUM}|\d+)?\s*个?(?:分钟|小时|工作日|日|天|周|月|季度?|半年|年度?|学年|学期|旬)|定期|周期|"
                     rf"(?:{_NUM}|\d+)\s*个?(?:分钟|小时|工作日|日|天|周|月|季度|年)(?:内|以内|之内|一次|为限|以上|后|前)?")


def states_period(text: str) -> bool:
    """Does ``text`` state how often or how long (每五年组织一次, 三十日内, 定期组织)?

    >>> states_period("省人民政府水行政主管部门应当每五年组织一次全省水土流失调查"), states_period("可并处一千元以下的罚款")
    (True, False)
    >>> states_period("国务院水行政主管部门应当定期组织全国水土流失调查"), states_period("2025年5月16日前报送")
    (True, False)
    >>> states_period("维护保养单位接到电梯困人报告后，应当安排维护保养人员在三十分钟内赶到现场")
    True
    """
    for m in _PERIOD.finditer(_masked(text)):  # years (2025年, 二〇二五年) are blanked
        if m.group(0)[0] != "每" and m.start() and text[m.start() - 1] in "年月":
            continue  # a month or day right after 年 / 月 is a date (5月16日), not a span
        return True
    return False
