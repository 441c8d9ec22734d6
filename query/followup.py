"""Rewriting the previous question for a follow-up: a sibling swapped in ("综合督导呢？" after one about
专项督导), the same ask of a newly named document ("那X条例呢？"), another place's instrument ("重庆的
条例呢？"), or the place / year replaced ("那甘肃呢？", "2035年呢？"). Pure functions of the previous Query's
text and fields; ``query.understand`` decides which applies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lang.wording import PENALTY_ASKED
from lang.words import DOC_KIND, LEVEL_RUN, LEVEL_WORD, YEAR_WORD
from query.asks import COLLECTIVE, LEADING_PARTICLE
from query.known import Known
from query.mentions import read_mentions
from query.titles import unknown_titles
from query.types import Query

ASK_WORDS = [
    "责任单位", "责任部门", "牵头单位", "牵头部门", "配合单位", "主管部门", "牵头", "负责", "部门", "单位",
    "具体措施", "措施", "举措", "任务", "内容", "目标", "原文", "怎么写", "怎么表述", "如何表述", "表述",
    "写法", "措辞", "情况", "数字", "指标", "时间", "什么时候", "谁", "呢", "做法", "安排",
    "配合", "协助", "具体", "都有", "有哪些", "哪些",  # "配合的单位都有谁？" / "都有哪些具体举措？": asks only
    # the consequence of what the previous turn asked about ("违反了会怎么处理？"): no topic of its own
    "违反了", "违反的话", "违反", "不遵守", "没做到", "做不到", "怎么处理", "如何处理", "怎么处罚", "如何处罚", "处理",
    "处罚", "会怎样", "会怎么样", "怎么办", "法律责任", "后果", "承担",
]

_SIBLING = re.compile(r"^(?:那么|那|还有|另外)?[，,\s]*([\u4e00-\u9fff]{2,24}?)的?[呢吗][？?]?$")
_LEVEL = re.compile(r"([省市区县乡镇村]|区县|县区|乡镇|国家)一级")


def same_ask_of(prev: Query, question: str) -> str | None:
    """The previous question asked of the document a bare follow-up names ("那X条例呢？"): the new
    title with the previous question's words after its own title; None when it is not bare.

    >>> p = Query("", "促进科技成果转化法是哪天开始施行的？", titles=("促进科技成果转化法",))
    >>> same_ask_of(p, "那韶关的红色资源保护条例呢？")
    '韶关的红色资源保护条例是哪天开始施行的？'
    >>> p = Query("", "国务院《城镇燃气管理条例》里燃气工作要坚持哪些原则？", titles=("城镇燃气管理条例",))
    >>> same_ask_of(p, "那杭州的燃气条例呢？有没有多出来什么原则？")
    '杭州的燃气条例里燃气工作要坚持哪些原则，有没有多出来什么原则？'
    """
    q, extra = question.strip(), ""
    head, sep, rest = q.partition("呢")
    rest = rest.lstrip("？?，, ")
    if sep and rest and not _SIBLING.match(q) and _SIBLING.match(head + "呢？"):
        q, extra = head + "呢？", rest  # "那杭州的燃气条例呢？有没有多出来什么原则？": the same ask, then its own
    m = _SIBLING.match(q)
    if not m or not re.search(f"(?:{DOC_KIND.pattern})$", m.group(1)):
        return None
    base = prev.text
    for w in sorted(set(prev.titles) | set(prev.mentions), key=len, reverse=True):
        base = base.replace(w, "")
    base = re.sub(r"^[的，,\s]+", "", re.sub(r"(?:国务院|国家)?《\s*》", "", base))  # 国务院《…》 named the old one
    if base == prev.text or not re.search(r"[\u4e00-\u9fff]", base):
        return None
    return m.group(1) + (base.rstrip("？?。 ") + "，" + extra if extra else base)


_OWN_ASK = re.compile(r"多少|几|谁|哪|什么|怎么|如何|吗|是否|能否|能不能|可以|要不要|会不会|有没有|算不算")
_TAIL = re.compile(r"(?:怎么|如何|怎样)(?:处罚|处理|罚)|罚款?(?:多少|几)|由谁|(?:由)?哪个(?:部门|单位|机关)")
_CARRIED = re.compile(_TAIL.pattern + r"|谁|多少|几")
_IF = re.compile(r"^(?:要是|如果|若是|假如|万一)")  # "要是因此引起了山火呢？": a new situation too


def carried_ask(prev_text: str, question: str) -> str | None:
    """"那X呢？" naming a situation of its own and asking nothing: the situation with the previous
    question's short closing ask (罚多少钱, 由谁审批); None when the follow-up asks for itself or the
    previous question closes on a topic rather than a short ask.

    >>> carried_ask("重庆运输动物路过本市，没从指定道口进，罚多少钱？", "那从外地运进来的动物没向输入地备案呢？")
    '从外地运进来的动物没向输入地备案，罚多少钱？'
    >>> carried_ask("在森林防火区上坟烧纸，没引起火灾的，个人罚多少？", "要是因此引起了山火呢？")
    '因此引起了山火，个人罚多少？'
    >>> carried_ask("上海献血条例里，伪造、涂改无偿献血证书的怎么处罚？", "那雇人冒名顶替献血的呢？")
    '雇人冒名顶替献血，怎么处罚？'
    >>> carried_ask("宁波人民调解，哪些情况下必须制作调解协议书？", "那当事人觉得不用写协议书呢？") is None
    True
    """
    q = question.strip()
    if not (LEADING_PARTICLE.match(q) or _IF.match(q)) or not re.search(r"呢[？?]?$", q) or _OWN_ASK.search(q):
        return None
    last = re.split(r"[，,；;]", prev_text.strip())[-1].strip()
    tail = _TAIL.search(last)
    if len(re.sub(r"[？?。!！\s]", "", last)) <= 10 and _CARRIED.search(last):
        ask = last
    elif tail:
        ask = last[tail.start():]  # "伪造、涂改无偿献血证书的怎么处罚？": 怎么处罚
    else:
        return None
    if last == prev_text.strip() and ask == last:
        return None  # a question that is all ask ("罚多少钱？") leaves no situation to replace
    body = re.sub(r"的?呢[？?]?$", "", _IF.sub("", LEADING_PARTICLE.sub("", q))).strip()
    return body + "，" + ask if body else None


# a follow-up about breaking the rule the previous turn asked of ("过了期限还不开放会怎么样？")
_BREACH = re.compile(r"过了?(?:这个|规定的?)?(?:期限|期|时间|时限|日子)|超(?:过|出)?(?:了)?(?:这个|规定的?)?(?:期限|时限|时间)|逾期"
                     r"|到期|期满|还(?:是)?不|仍(?:然)?不|没(?:有)?(?:按时|按期|做到|照做)|不按(?:时|期|规定)")
_FIGURE_ASKED = re.compile(r"(?:要|得)?(?:多久|多长时间|多少天|多少日|几天|几个月|几年|多少|几)(?:之内|以内|内)?")


def breach_of(prev_text: str, question: str) -> str | None:
    """A follow-up asking what follows a breach of the rule the previous turn asked about: that rule,
    without its ask for a figure, then the follow-up; None when the follow-up is not one.

    >>> breach_of("博物馆条例规定，新博物馆拿到登记证书以后多久之内要对公众开放？", "那过了期限还不开放会怎么样？")
    '博物馆条例规定，新博物馆拿到登记证书以后要对公众开放，过了期限还不开放会怎么样？'
    >>> breach_of("博物馆多久之内要对公众开放？", "那博物馆门票怎么定？") is None
    True
    """
    q = LEADING_PARTICLE.sub("", question.strip())
    if not (_BREACH.search(q) and PENALTY_ASKED.search(q)):
        return None
    rule = _FIGURE_ASKED.sub("", re.sub(r"[？?。！!\s]+$", "", prev_text.strip()))
    return rule + "，" + q if rule else None


def sibling_swap(prev_text: str, question: str) -> str | None:
    """The previous question about the follow-up's sibling: "综合督导呢？" after one about 专项督导
    (the same head, 督导, another modifier), "那区一级的呢？" after one about 市级 libraries; None
    when the follow-up is not "X呢" or the previous question holds no such sibling.

    >>> sibling_swap("重庆搞专项督导，评议完了多少天内要反馈给被督导单位？", "综合督导呢？")
    '重庆搞综合督导，评议完了多少天内要反馈给被督导单位？'
    >>> sibling_swap("北京市级公共图书馆每年新进的书刊最少要多少？", "那区一级的呢？")
    '北京区级公共图书馆每年新进的书刊最少要多少？'
    >>> sibling_swap("浙江省里和地级市办的中医医院要达到啥等级？", "县级的呢？")
    '浙江县级办的中医医院要达到啥等级？'
    >>> sibling_swap("安徽的目标是多少？", "甘肃呢？") is None, sibling_swap("专项督导要几天？", "专项督导呢？") is None
    (True, True)
    >>> sibling_swap("人工影响天气作业的空域由谁去申请？", "那用飞机作业呢？")
    '人工影响天气用飞机作业的空域由谁去申请？'
    >>> sibling_swap("农村公路条例规定县道的日常养护由谁来组织？", "那乡道和村道呢？")
    '农村公路条例规定乡道和村道的日常养护由谁来组织？'
    """
    m = _SIBLING.match(question.strip())
    if not m or _IF.match(m.group(1)):  # "要是不开放呢？" names a situation, not a sibling (carried_ask)
        return None
    x = _LEVEL.sub(r"\1级", m.group(1))
    levels = LEVEL_RUN.search(prev_text)
    if re.fullmatch(LEVEL_WORD, x) and levels and levels.group(0) != x:  # "县级的呢？" after 省里和地级市办的…
        return prev_text[:levels.start()] + x + prev_text[levels.end():]
    phrase = _phrase_swap(prev_text, x)
    if phrase:
        return phrase
    if len(x) > 8 or x in prev_text or any(x.endswith(w) for w in ASK_WORDS):  # "责任单位呢？" asks another thing
        return None
    parts = re.split(r"和|与|及|、", x)  # "乡道和村道呢？" after "县道的养护…": siblings of 县道, swapped in together
    key = parts[0] if len(parts) > 1 and all(2 <= len(p) <= 6 for p in parts) else x
    for h in (key[-2:], key[-1:]) if len(key) >= 3 else (key[-1:],):
        mod = len(key) - len(h)
        spots = [i for i in range(mod, len(prev_text) - len(h) + 1) if prev_text.startswith(h, i)]
        if not spots or mod == 0:
            continue
        i = spots[0]  # the first: the question's topic comes before what it says of it
        if mod >= 3 and not _starts_word(prev_text, i - mod):
            if key == x and _starts_word(prev_text, i):  # "用飞机作业" after "人工影响天气作业…": said of the same head
                return prev_text[:i] + x[:mod] + prev_text[i:]
            continue  # never replace "响天气作业" out of 人工影响天气作业
        y = prev_text[i - mod:i + len(h)]
        if re.fullmatch(r"[\u4e00-\u9fff]+", y) and y != key:
            return prev_text[:i - mod] + x + prev_text[i + len(h):]
    return None


def _starts_word(text: str, i: int) -> bool:
    """Does a word of ``text`` start at ``i`` (jieba's cut)?

    >>> _starts_word("人工影响天气作业的空域由谁去申请？", 3), _starts_word("城市留守儿童的关爱服务由谁负责？", 0)
    (False, True)
    """
    import jieba

    jieba.setLogLevel(60)
    pos = 0
    for w in jieba.cut(text):
        if pos >= i:
            return pos == i
        pos += len(w)
    return pos == i


def _phrase_swap(prev_text: str, x: str) -> str | None:
    """The previous question with its "…的H" phrase replaced by the follow-up's ``x`` = "…的H" of the
    same head noun H: "那大型活动里形成的档案呢？" after "…，区档案馆收的档案多少年移交？".

    >>> _phrase_swap("北京档案办法里，区档案馆收的档案多少年移交？", "大型活动里形成的档案")
    '北京档案办法里，大型活动里形成的档案多少年移交？'
    >>> _phrase_swap("上海要移植古树后续资源，找谁审批？", "二级保护的古树")
    '上海要移植二级保护的古树，找谁审批？'
    """
    mod, _, head = x.rpartition("的")
    if len(head) < 2 or not mod or not re.fullmatch(r"[\u4e00-\u9fff]+", head):
        return None
    at = prev_text.find("的" + head)
    if at < 0:  # "二级保护的古树呢？" after "上海要移植古树后续资源，…": the noun from its head on
        at = prev_text.find(head)
        end = re.search(r"[，,。？?；;\s]|$", prev_text[at:]).start() + at if at >= 0 else -1
        if at <= 0 or end - at > 8 or prev_text[at:end] == x:
            return None
        return prev_text[:at] + x + prev_text[end:]
    start = at
    while start > 0 and re.match(r"[\u4e00-\u9fff]", prev_text[start - 1]) and prev_text[start - 1] not in "里中内":
        start -= 1  # the phrase runs back to a comma or the end of a scope word (…办法里，)
    old = prev_text[start:at + 1 + len(head)]
    if old == x or start == at:
        return None
    return prev_text[:start] + x + prev_text[at + 1 + len(head):]


def retitled(prev: Query, place: str, kind: str, known: Known) -> str:
    """The previous question about another region's instrument of ``kind``: its title's subject with
    the new place and kind ("家庭教育促进法…" → "重庆家庭教育促进条例…") when the collection holds such
    a title, else the place's ``kind`` ("重庆的条例…").

    >>> from ingest.types import DocMeta
    >>> from query.understand import parse
    >>> k = Known.from_metas([DocMeta("n#0", "n.md", title="家庭教育促进法", region="中华人民共和国"),
    ...                       DocMeta("c#0", "c.md", title="重庆市家庭教育促进条例", region="重庆市")])
    >>> retitled(parse("家庭教育促进法什么时候起施行？", k), "重庆", "条例", k)
    '重庆家庭教育促进条例什么时候起施行？'
    """
    title = max(prev.titles, key=len)
    base = prev.text
    for w in sorted(set(prev.titles) | set(prev.mentions), key=len, reverse=True):
        base = base.replace(w, "")
    base = re.sub(r"^[的，,\s]+", "", base)
    stem = re.sub(f"(?:{DOC_KIND.pattern})$", "", title)  # the title's subject without its kind
    stem = stem if stem != title else ""
    for w in sorted(set(prev.mentions) | {f for f, _ in known.forms.items() if stem.startswith(f)}, key=len, reverse=True):
        if stem.startswith(w):  # the previous place is not the new one's
            stem = stem[len(w):]
            break
    named = f"{place}{stem}{kind}"
    if stem and not unknown_titles(named, read_mentions(named, known), known):
        return named + base
    return f"{place}的{kind}{base}"


def substitute(prev: Query, new_mentions: Sequence[str], new_years: Sequence[str], base: str | None = None) -> str:
    """The previous question's text with its first place / year replaced by the new ones."""
    out = prev.text if base is None else base
    if new_mentions:
        if prev.mentions and prev.mentions[0] in out:
            out = out.replace(prev.mentions[0], new_mentions[0], 1)
            for w in prev.mentions[1:]:
                out = out.replace(w, "", 1)
        elif COLLECTIVE.search(out):
            out = COLLECTIVE.sub(new_mentions[0], out, count=1)
        else:
            out = new_mentions[0] + out
    if new_years:
        old = [mm.group(1) for mm in YEAR_WORD.finditer(out)]
        out = out.replace(old[0], new_years[0], 1) if old else f"到{new_years[0]}年，" + out
    return out


