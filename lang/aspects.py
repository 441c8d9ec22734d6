"""Aspects a comparison asks about that a document states in one conventional sentence, and the
framing words of a comparison (分别 / 有什么不同 / 新旧两版 …) that are not its topic.

Each aspect pairs how a question asks it with how policy and legal text states it:

- ``basis``: 根据 / 依据 what a document was made — "根据《中华人民共和国科学技术普及法》…，制定本条例";
- ``effective``: from which day it applies — "本条例自2024年6月1日起施行";
- ``definition``: what a term means — "本条例所称科普，是指…";
- ``publicity``: whether the document is public — "（此件公开发布）".

>>> ask_aspect("河南和郑州的科普条例分别是根据哪部国家法律制定的？"), ask_aspect("两版各自从哪天起施行？")
('basis', 'effective')
>>> states("basis", "第一条 为了……，根据《中华人民共和国科学技术普及法》，结合本省实际，制定本条例。")
'根据《中华人民共和国科学技术普及法》，结合本省实际，制定本条例'
>>> states("basis", "为深入贯彻落实《关于新时代进一步加强科学技术普及工作的意见》（中办发〔2022〕53号）精神，服务发展大局")
'为深入贯彻落实《关于新时代进一步加强科学技术普及工作的意见》（中办发〔2022〕53号）精神'
>>> states("effective", "第四十七条 本条例自2024年6月1日起施行。")
'本条例自2024年6月1日起施行'
>>> without_framing("行政复议法2017年版和2023年版，申请期限的起算有什么不同？")
'行政复议法 申请期限的起算'
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Aspect:
    name: str
    asked: re.Pattern[str]  # how a question asks it
    stated: re.Pattern[str]  # the sentence part of a document that states it
    from_end: bool = False  # stated near the end of a document (closing articles) rather than its start


ASPECTS: tuple[Aspect, ...] = (
    Aspect("effective", re.compile(r"施行|生效(?!期间|期内)|起实施|实施日期|实施时间"),
           re.compile(r"[^。；;\n]{0,30}?自[^。；;\n]{2,30}?起(?:施行|实施|生效|执行)[^。；;\n]{0,20}"), from_end=True),
    Aspect("basis", re.compile(r"依据|根据|上位|依照|按照哪|制定的|为什么制定|出台依据|上级文件|(?:落实|贯彻)的?是?哪[份个部]|按[^，,。？?]{0,8}哪[份个部](?!部门|单位|机关|机构|局|委)"),
           re.compile(r"(?:根据|依据|依照|贯彻落实|按照)[^。]{0,160}?《[^》]{2,80}》[^。]{0,160}?(?:制定|结合)[^。]{0,40}"
                      r"|为(?:深入|全面|认真)?贯彻(?:落实)?《[^》]{2,80}》(?:[（(][^）)]{2,30}[）)])?(?:精神|部署|要求)")),
    Aspect("definition", re.compile(r"定义|含义|是指|指的是|什么是|何为|所称"),
           re.compile(r"[^。；;\n]{0,30}所称[^。；;\n]{1,30}?[，,]?(?:是指|指)[^。]{2,200}")),
    Aspect("publicity", re.compile(r"公开属性|公开方式|是否公开|是不是[^，,。？?]{0,6}公开|都公开|公开(?:发布)?的吗|公开(?:发布)?吗"),
           re.compile(r"此件[^)）\]】。\n]{0,8}公开[^)）\]】。\n]{0,6}|不予公开|依申请公开")),
)
BY_NAME = {a.name: a for a in ASPECTS}
ASKS_NAME = re.compile(r"叫什么|名称|名字|叫做什么|什么品牌|哪个平台|哪些平台|哪几个平台|什么平台|哪几个品牌")

# words that frame a comparison rather than name its topic (longest first when removed)
FRAMING = (
    "有什么不同", "有何不同", "有哪些不同", "有什么区别", "有什么变化", "有何变化", "有什么差异", "不同之处", "新旧两版",
    "新旧两个版本", "两个版本", "两版", "新旧版", "新版", "旧版", "新法", "旧法", "各是什么", "各是怎么规定的", "各怎么规定",
    "是怎么规定的", "怎么规定的", "怎么规定", "如何规定", "分别是什么", "分别是", "分别", "各自", "各是", "各有", "各要",
    "写法", "变化", "区别", "差异", "异同", "对比一下", "请对比一下", "对比", "比较", "相比", "比一比", "一样吗", "是不是",
    "哪个在前", "哪个先", "谁先", "高还是低", "都叫什么名字", "叫什么名字", "叫什么", "名称", "有哪些", "是什么", "是哪份",
    "哪部", "哪份", "哪个", "这几份", "几份", "这些", "各地", "各省", "各份", "文件里", "文件", "里的", "里提到的", "提到的",
    "这一块", "这块", "这方面", "方面", "那份", "这份", "那个", "这个",
)
# places counted rather than named ("皖吉甘三省", "两地", "这两部"): framing, not the topic
_COUNTED = re.compile(r"(?:这|那)?[两二三四五六七八九十几]+(?:个)?(?:省份|省|市|县|地区|地|份|部)")
_VERSION = re.compile(r"(?:19|20)\d{2}\s*年(?:版|修订|修正|的版本)?|(?:19|20)\d{2}\s*版")
_PUNCT = re.compile(r"[，,、；;：:？?！!。“”\"'‘’（）()《》\s]+")


def ask_aspect(question: str) -> str:
    """The aspect a question asks about ("" for none).

    >>> ask_aspect("扬州和甘肃的文件公开属性分别是什么？"), ask_aspect("科普场馆的绩效工资怎么规定？")
    ('publicity', '')
    """
    return next((a.name for a in ASPECTS if a.asked.search(question)), "")


def states(aspect: str, text: str) -> str:
    """The part of ``text`` that states ``aspect`` (whitespace removed), or ""."""
    a = BY_NAME.get(aspect)
    if a is None:
        return ""
    m = a.stated.search(re.sub(r"[ \t\u3000]+", "", text))
    if not m:
        return ""
    part = m.group(0).strip("，,；;。 \n")
    return re.sub(r"^第[零一二三四五六七八九十百千]+条", "", part).strip()


def without_framing(text: str, drop: tuple[str, ...] = ()) -> str:
    """The topic words of a comparison: version years, framing words and ``drop`` words removed;
    what is left joined by spaces ("" when nothing is)."""
    t = _COUNTED.sub(" ", _VERSION.sub(" ", text))
    for w in sorted(set(FRAMING) | {d for d in drop if d}, key=len, reverse=True):
        t = t.replace(w, " ")
    runs = [re.sub(r"各$", "", r.strip("的和与及、")).strip("的和与及、") for r in _PUNCT.split(t)]
    return " ".join(r for r in runs if r)


# "X是什么意思" / "什么是X" / "X怎么定义" / "“X”指什么": the term whose meaning is asked
_TERM_QUOTED = re.compile(r"[“\"‘「『]([^”\"’」』]{2,20})[”\"’」』]")
_TERM_BEFORE = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,20}?)(?:一词|这个词|这个概念|这一概念)?(?:到底|究竟|具体)?"
                          r"(?:是(?:个)?(?:什么|啥)意思|(?:是)?指(?:的是)?(?:什么|啥|哪些)|的(?:定义|含义|意思|范围|性质|定位)|"
                          r"是(?:什么|何种|哪种)(?:性质|样)的?(?:组织|机构|团体|单位)|"
                          r"(?:是)?怎么定义的?|怎么理解|包括(?:什么|哪些))")
_TERM_AFTER = re.compile(r"(?:什么是|何为|何谓|什么叫|什么叫做)([\u4e00-\u9fffA-Za-z0-9]{2,20})")
# "X算不算Y / 属不属于Y": whether X falls under Y is answered by what Y is defined as
_TERM_UNDER = re.compile(r"(?:算不算|算不算是|属不属于|属于不属于|是否属于|是否算)([\u4e00-\u9fffA-Za-z0-9]{2,12}?)(?:[？?。，,]|$|吗|呢|的范围)")
_ASKS_MEANING = re.compile(r"算不算|属不属于|属于不属于|是否属于|是否算|是(?:个)?(?:什么|啥)意思|指(?:的是)?(?:什么|啥|哪些)|定义|含义|怎么理解|什么是|何为|何谓|什么叫|界定|"
                           r"[”\"](?:这个词|这个概念|一词)?的?(?:原文)?(?:表述|说法)是(?:什么|怎么)|"
                           r"的(?:性质|定位)|是(?:什么|何种|哪种)(?:性质|样)的?(?:组织|机构|团体|单位)")
# what a body or thing is, said as "X是…的组织 / 团体 / 纽带 …" (the nature of 科协, not a 所称 definition)
_NATURE = "组织|团体|机构|单位|力量|纽带|桥梁|主体|平台|阵地|事业|制度"
_TERM_LEAD = re.compile(r"^.{2,}?(?:[里中]所?说的|[里中]的|所称的?|规定的|里|中)")  # 《…》里说的 / 条例中的
# "…条例怎么表述科协的性质" / "条例对科协的定位": the words before the term that say how or where it is stated
_TERM_VERB_LEAD = re.compile(r"^.*(?:怎么|如何|怎样)(?:表述|描述|界定|规定|写|说)的?|^.*(?:条例|法|办法|规定|方案)[里中]?对")


def asked_term(question: str) -> str:
    """The term whose meaning a question asks ("" when it asks none).

    >>> asked_term("北京市促进科技成果转化条例里“科技成果”是什么意思？"), asked_term("什么是科普基地？")
    ('科技成果', '科普基地')
    >>> asked_term("条例里说的志愿服务组织指的是什么？"), asked_term("家庭教育的定义")
    ('志愿服务组织', '家庭教育')
    >>> asked_term("重庆科协条例怎么表述科协的性质？"), asked_term("红十字会是什么性质的组织？")
    ('科协', '红十字会')
    >>> asked_term("条例对科协的定位是什么")
    '科协'
    >>> asked_term("林场商品林里长了一百多年的树算不算古树？"), asked_term("抽电子烟算不算吸烟？")
    ('古树', '吸烟')
    >>> asked_term("科普经费怎么保障？")
    ''
    >>> asked_term("条例里“见义勇为行为”的原文表述是什么？"), asked_term("条例里“华侨”这个词原文是怎么界定的？")
    ('见义勇为行为', '华侨')
    """
    q = re.sub(r"\s+", "", question)
    if not _ASKS_MEANING.search(q):
        return ""
    m = _TERM_QUOTED.search(q) or _TERM_AFTER.search(q) or _TERM_UNDER.search(q)
    if m:
        return m.group(1)
    m = _TERM_BEFORE.search(_TERM_LEAD.sub("", q[: q.find("？")] if "？" in q else q))
    return _TERM_VERB_LEAD.sub("", m.group(1)) if m else ""


def defines(term: str, text: str, loose: bool = False) -> bool:
    """Does ``text`` state what ``term`` means (所称X，是指… / 所称X包括… / X，是指…)? ``loose``
    also takes an article that opens by saying what X is as a body or thing ("X是…的群众组织").

    >>> defines("科技成果", "第四十三条 本条例所称科技成果包括专利技术、计算机软件、技术秘密等。")
    True
    >>> defines("科技成果", "第十条 政府设立的研发机构对其持有的科技成果，可以自主决定实施转化。")
    False
    >>> defines("干垃圾", "（四）干垃圾，即其他垃圾，是指除可回收物、有害垃圾、湿垃圾以外的其他生活废弃物。")
    True
    >>> defines("科协", "第二条 科协是科学技术工作者的群众组织，代表科学技术工作者合法权益的人民团体。", loose=True)
    True
    >>> defines("科协", "第五条 市科协由同级学会组成。科协是上述同级学会的业务主管单位。", loose=True)
    False
    """
    t = re.sub(r"\s+", "", text)
    e = re.escape(term)
    if loose and re.match(rf"(?:第[零一二三四五六七八九十百千]+条)?{e}是[^。；;]{{0,60}}?(?:{_NATURE})", t):
        return True
    return bool(re.search(rf"所称(?:的)?[^。；;，,]{{0,8}}{e}[，,]?(?:是指|系指|指|包括|包含|含)"
                          rf"|(?:^|[。；;：:]|[（(][一二三四五六七八九十\d]+[)）])(?:第[零一二三四五六七八九十百千]+条)?{e}[，,]?"
                          rf"(?:即[^。；;，,]{{1,12}}[，,])?(?:是指|系指)", t))
