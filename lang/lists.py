"""Questions that ask for the members of something ("规定了哪些预警信号？") and text that lists them.

A clause that only mentions the thing ("预警信号由气象台站统一发布") does not answer such a question,
however well it matches the words: the answer is the list, and the composer checks it is there.
"""

from __future__ import annotations

import re

_CJK = r"\u4e00-\u9fff"
# 哪些N / 哪几种N / 哪几类N, N ending the question (or before 呢/吗): the thing whose members are asked
_ASKED = re.compile(rf"(?:哪些|哪几[种类项个])([{_CJK}]{{2,8}}?)(?=[？?，,。!！]|呢|吗|啊|$)")
# words that ask who or where (lang.units answers those), or for documents / places (comparisons)
_NOT_MEMBERS = re.compile(r"单位|部门|机构|机关|地方|地区|城市|文件|条例|法规|措施|举措|内容|方面|事项|工作|情形|行为|人")


def asked_members(question: str) -> str:
    """The thing whose members a question asks for ("" when it asks none of a listable thing).

    >>> asked_members("重庆市气象灾害防御条例规定了哪些预警信号？"), asked_members("扬州还有哪些薄弱环节？")
    ('预警信号', '薄弱环节')
    >>> asked_members("哪些部门负责科普基地认定？"), asked_members("科普经费怎么保障？")
    ('', '')
    """
    m = _ASKED.search(re.sub(r"\s+", "", question))
    if not m or _NOT_MEMBERS.search(m.group(1)):
        return ""
    return m.group(1)


def lists_members(thing: str, text: str) -> bool:
    """Does ``text`` list members of ``thing`` (N包括… / N分为… / 下列N / A、B、C等N / N：（一）… /
    X计划、Y计划和Z计划)?

    >>> lists_members("预警信号", "预警信号分为台风、暴雨、高温、寒潮等种类。")
    True
    >>> lists_members("预警信号", "红色、橙色、黄色和蓝色预警信号由气象台发布。")
    True
    >>> lists_members("计划", "实施“英才名匠”培训计划、高技能人才“青苗计划”和“匠人匠心”计划。")
    True
    >>> lists_members("原则", "燃气工作遵循统筹规划、保障安全、确保供应、规范服务、节能高效、方便用户的原则。")
    True
    >>> lists_members("预警信号", "灾害性天气警报和气象灾害预警信号由气象台站统一发布。")
    False
    >>> lists_members("预警信号", "应当根据灾害性天气警报、气象灾害预警信号和应急预案启动标准，及时启动应急预案。")
    False
    """
    t = re.sub(r"\s+", "", text)
    e = re.escape(thing)
    return bool(re.search(rf"{e}.{{0,4}}?(?:包括|包含|分为|分别|有|是|即|如下|种类|：|:|——)"
                          rf"|(?:下列|以下|如下|等)[{_CJK}]{{0,4}}{e}"
                          rf"|(?:^|[，,：:；;（(“”《》。]|包括|分为|有|为|和|遵循|坚持|贯彻|实行)(?:[{_CJK}]{{1,5}}、)+[{_CJK}]{{1,5}}"
                          rf"(?:和|及|或)?[{_CJK}]{{0,5}}?{e}"
                          rf"|{e}[、和及与][^。；;，,]{{0,25}}?{e}"
                          rf"|{e}[^。；;]{{0,6}}?[（(][一二1][）)]", t))
