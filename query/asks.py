"""What a question asks, read from its wording (rules, no model): intent and flags, the document
field it asks about, the trailing ask and the topic left without it.

>>> a = read_ask("安徽到2025年公民具备科学素质比例力争达到多少？")
>>> a.intent, a.asks_quantity, a.unit
(<Intent.NUMBER: 'number'>, True, '%')
>>> read_ask("甘肃和吉林在科普人才队伍建设上有何不同？").intent
<Intent.COMPARISON: 'compare'>
>>> read_ask("砀山县青少年科学素质提升行动由哪个部门牵头？").intent
<Intent.RESPONSIBILITY: 'responsible'>
>>> read_ask("扬州关于科技志愿服务的原文怎么写？").intent, read_ask("扬州的方案文号是多少？").meta_field
(<Intent.PRECEDENT: 'precedent'>, 'doc_number')
>>> read_ask("扬州科普讲师讲一次课给多少钱？").unit, read_ask("研发经费占全市GDP多少？").unit
('元', '')
>>> read_ask("重庆科协主席的任期是几年？").asks_quantity, read_ask("近几年有什么变化？").asks_quantity
(True, False)
>>> meta_field("新修订的行政复议法从哪天开始施行？"), meta_field("重庆市家庭教育日是哪天？"), meta_field("这份方案是哪天印发的？")
('effective', '', 'date')
>>> strip_ask("安徽到2025年公民科学素质比例目标是多少？")
'安徽到2025年公民科学素质比例目标'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lang.divisions import find_divisions
from lang.figures import FREQUENCY_ASK, OBJECT_UNITS, PERIOD_ASK
from lang.numbering import article_names
from lang.text import squeeze
from lang.units import ASK_RESPONSIBLE, asked_post
from lang.wording import CONSEQUENCE_ASK
from lang.words import DOC_KIND
from query.types import Intent

PRECEDENT = re.compile(r"原文|怎么写|如何写|怎样写|怎么表述|如何表述|怎样表述|措辞|表述|原话|怎么说的|提法|写法")
COMPARE = re.compile(r"各地|各省|各市|各县|各文件|各份|分别|有何不同|有什么不同|有哪些不同|不同之处|区别|差异|异同|相比|对比|"
                     r"比较|哪个更|哪些地方|哪些地[区方]|哪几个?地[区方]|哪几个?[省市县]|哪些文件|哪几份|几份|共同|都[有要提](?!谁|哪些|哪几|什么|啥)|参照|借鉴|先例")
COLLECTIVE = re.compile(r"各地|各省|各市|各县|各文件|各方案|各份|哪些地[区方]|哪几个?地[区方]|哪几个?[省市县]")
# several documents of one place asked for (上海哪些条例提到…, 几部法规, 各条例): not its one best document
SEVERAL_DOCS = re.compile(r"(?:哪些|哪几[个份部]?|几[个份部])(?:文件|条例|法规|法律|方案|规定|办法|措施|规章)"
                          r"|各(?:个|份|部)?(?:文件|条例|法规|方案)|所有")
# a duration or count asked in days, years, hours … ("几天", "任期是几年", "多长时间内") asks a figure too
_SPAN = r"(?<!哪)(?<!近)(?<!这)(?<!前)几(?:个工作日|个月|小时|[天日年周岁倍])|多大(?:年龄|年纪|岁数)"  # an age asked too
# "多长时间 / 多久" prefers a figure but may be answered without one (每季度召开一次)
NUMBER = re.compile(r"多少|(?<!哪)几[个项家名人所座次大批年万" + OBJECT_UNITS + r"]|比例|百分|%|％|达到|目标|数量|不少于|不低于|超过|占比|规模|"
                    r"多长时间|多久|" + _SPAN)
QUANTITY = re.compile(r"(?<!文号)(?<!字号)(?<!编号)(?<!电话)多少|(?<!哪)几[个项家名人所座次批万" + OBJECT_UNITS + r"]|比例|百分|%|％|占比|数量|"
                      + _SPAN)
UNIT = re.compile(r"(?:多少|几)\s*(公里|千米|平方米|立方米|公顷|千克|公斤|小时|分钟|周岁|分贝|毫升|厘米|[亩吨岁米]|"
                  r"[个项家名人所座次批万亿元" + OBJECT_UNITS + r"]|天|日(?!期))")
PERCENT = re.compile(r"比例|百分|%|％|占比")
# a sum of money asked (the answer must state one in 元): 多少钱, 多少万元, 课酬标准是多少, 投资额是多少
MONEY = re.compile(r"多少钱|几块钱|(?:多少|几)\s*[千百万亿]*\s*元|(?:酬|费|经费|资金|投入|投资|补助|补贴|奖励|奖金|工资|薪酬|价格|"
                   r"收费|款额|金额)(?:标准|额度|总额|规模|额)?[^，,。？?占比]{0,4}?(?:多少|几)(?!\s*[个项家名人所座次批场%％])"
                   r"|(?:多少|几)[^，,。？?个项家名人所座次批%％]{0,4}?(?:资金|经费|费用|金额|补助|补贴|奖金|工资|押金|[^罚]费|金)")
LIST = re.compile(r"如何|怎样|怎么做|哪些|措施|举措|做法|任务|有什么|主要内容|内容是什么|安排")
# one part of a two-part question asks what is done ("它对老年人有什么安排？责任单位是谁？")
WHAT_ASK = re.compile(r"什么安排|怎么(?:做|安排|开展|规定|要求)|做什么|干什么|有哪些|哪些(?:措施|举措|内容|活动|工作)|"
                      r"什么(?:措施|举措|内容|活动|要求|工作)|如何|怎样")


def asks_what_too(question: str) -> bool:
    """Does a question that asks who is responsible also ask, in another part, what is done?

    >>> asks_what_too("它对老年人有什么安排？责任单位是谁？"), asks_what_too("老年人科学素质提升行动的责任单位是谁？")
    (True, False)
    """
    parts = [x for x in re.split(r"[？?；;。!！]", question) if x.strip()]
    return len(parts) >= 2 and any(ASK_RESPONSIBLE.search(x) for x in parts) and any(
        WHAT_ASK.search(x) and not ASK_RESPONSIBLE.search(x) for x in parts)
TARGET = re.compile(r"目标|要达到|力争|计划|打算|到\s*20\d\d|定了")
OUTLINE = re.compile(r"哪些|哪几|包括|包含|有几|分为|由哪|组成")
ABOUT_DOCUMENT = re.compile(
    r"文号|(?<![老商业])字号|发文|印发|发布|下发|转发|落款|抄送|主送|发给|谁发|联合发|日期|什么时候|何时|哪天|哪一天|"
    r"依据|根据哪|根据什么|上位|上级文件|(?:落实|贯彻)的?是?哪[份个部]|按[^，,。？?]{0,8}哪[份个部](?!部门|单位|机关|机构|局|委)|制定的|征求意见|正式|附件|联系人|联系电话"
)
META_ASKS: list[tuple[str, re.Pattern[str]]] = [
    ("doc_number", re.compile(r"文号|发文字号|(?<![老商业])字号|发文号")),  # 老字号 / 企业字号: a trade name
    ("cc", re.compile(r"抄送")),
    # the document's contact line, not a number a provision sets up ("投诉举报电话是哪个单位设的", "120专线电话")
    ("contact", re.compile(r"联系人|联系电话|联系方式|邮箱|(?<!专线)(?<!举报)(?<!投诉)(?<!热线)电话(?:号码)?(?:是)?(?:多少|什么|呢|？|\?|$)")),
    ("attachments", re.compile(r"附件")),
    ("issuers", re.compile(r"谁发的|谁印发|哪个部门发|哪些部门发|哪几个部门|几个部门|联合发|联合印发|发文单位|发文机关|印发单位|"
                           r"发布单位|发文部门|是谁发|由谁发|哪个单位发|哪家单位发|署名")),
    ("effective", re.compile(r"施行|生效(?!期间|期内)|起实施|实施日期|开始实施|开始执行|起执行|(?:什么时候|何时|哪天|哪一天|哪年)(?:起|开始)?实施")),  # "从哪天开始施行" asks the effective date, not the issue date
    ("date", re.compile(r"哪天|哪一天|什么时候印发|什么时候发|何时印发|何时发|印发时间|印发日期|发布日期|发布时间|落款|成文日期|"
                        r"落款日期|成文时间|发文日期|发文时间|哪年哪月|先印发|后印发|(?<![优首率])先发(?![展生挥])|发得[早晚]")),
    ("recipients", re.compile(r"发给|主送|印发给|下发给|发送给|发到")),
    # adopted when / by which session; "审定通过的品种" names a thing, not the document's adoption
    ("adopted", re.compile(r"哪次会议|会议通过|什么会议|(?:哪天|哪一天|什么时候|何时|哪年|哪一年)[^，,。？?]{0,6}通过|通过的(?=[？?。]|$|吗|呢)")),
    ("validity", re.compile(r"有效期")),
]
META_ASKS_BY = dict(META_ASKS)
# a day, week or month a provision names ("家庭教育日是哪天", "宣传周是什么时候"), and the words that
# make a date question about the document after all
NAMED_DAY = re.compile(r"[\u4e00-\u9fff]{2,}(?:日|节|周|月)[”\"」』]?(?:是|定在|定于|为|在)"
                       r"|(?:定为|作为|设为|确定为|设立为)[“\"「]?[\u4e00-\u9fff]{2,10}(?:日|节|周|月)")  # "哪一天定为全民健身日"
DOC_DATE = re.compile(r"印发|发布|下发|公布|通过|成文|落款|颁布|发文")
# the last provision of a document ("最后一条", "收尾的那一项"), not the last of a list inside a clause
LAST_ASK = re.compile(r"(?:最后|末尾|收尾|结尾)的?(?:那|这)?一?[条项款部]")
# where something is to be built or placed ("基地准备建在哪个市？"): the answer names a place
PLACE_ASK = re.compile(r"(?:建|设|放|落|选|安排|布局)(?:在|于)?(?:哪个|哪些|什么|哪一?个?)(?:市|县|区|地方|城市|地区|位置)|"
                       r"(?:建|设|放|落)在哪(?:里|儿)?|位于哪|选址(?:在哪|是哪|在什么)")
# a table's columns ("任务分解表要填哪几栏？"), and whether a document is the final text ("是正式印发稿吗？")
COLUMNS_ASK = re.compile(r"哪几栏|哪些栏|栏目|表头|哪几列|哪些列|几列|几栏|填哪些|填写哪些")
FORMAL_ASK = re.compile(r"正式(?:印发|发布|出台|下发)?(?:稿|的|了|版|文件|文本)|定稿|征求意见稿|草案|送审稿|讨论稿|是不是正式|是否正式")
BASIS = re.compile(r"依据|根据|贯彻|上位|哪个文件|哪份文件|哪份中央|上级文件|转发的是|落实的?是?哪[份个部]")
# greetings, thanks and questions no policy document answers
CHITCHAT = re.compile(r"^(你好|您好|嗨|哈喽|hello|hi|谢谢|多谢|感谢|再见|拜拜|好的|收到|在吗|你是谁|你叫什么|你能做什么)[啊呀呢吗!！。.？?～~\s]*$",
                      re.I)
# the trailing ask of a question ("…是多少？", "…的责任单位是谁？") — one pattern for follow-ups and refusals
TRAILING_ASK = re.compile(
    r"(的?(具体)?(是多少|是什么|有哪些|有什么|是谁|是哪些|是哪个|怎么写|如何表述|怎么规定|如何规定|要求|吗|呢)"
    r"|的?(牵头单位|责任单位|配合单位|责任部门|牵头部门|主管部门)|由谁负责|谁负责|由哪个部门牵头|哪个部门牵头"
    r"|(每年)?(不少于|不低于|达到|超过|力争达到|要达到)?(多少|几)[个项家名人场次万亿元%％]*"
    r"|(是)?(哪天|哪一天|什么时候|何时)(印发|发布|通过|施行|发)?的?"
    r"|(是)?(怎么|如何|怎样)(规定|表述|写|说)(的)?"
    r"|[？?。！!\s])+$"
)
LEADING_ASK = re.compile(r"^(请问一下|请问|想问一下|我想知道|能不能告诉我|能否告诉我|可以告诉我|告诉我|麻烦问一下|问一下)[，,：:\s]*")
# follow-up particles around a bare mention ("那甘肃呢？", "还有扬州的呢")
LEADING_PARTICLE = re.compile(r"^\s*(那么|那|还有|另外|此外|再问一下|再问|同样|然后|以及|而)\s*[，,、]?")


@dataclass(frozen=True)
class Ask:
    intent: Intent
    asks_number: bool = False
    asks_quantity: bool = False
    asks_responsible: bool = False
    asks_verbatim: bool = False
    asks_list: bool = False
    asks_target: bool = False
    asks_outline: bool = False
    asks_document: bool = False
    collective: bool = False
    unit: str = ""
    meta_field: str = ""
    articles: tuple[str, ...] = ()
    post: str = ""  # a post whose holder is asked for (主席, 联系人 …)
    asks_consequence: bool = False
    period: str = ""  # "frequency" (多久一次: 定期 answers it) | "span" (多长时间, 提前多久) | ""


def meta_field(question: str) -> str:
    """The document field a question asks about ("" when it asks about a provision)."""
    if BASIS.search(question):
        return ""  # 依据哪个文件制定的，文号多少: the 文号 of a cited document, a clause fact
    segments = [x for x in re.split(r"[，,；;？?]", question) if re.search(r"[\u4e00-\u9fff]", x)]
    last = segments[-1] if segments else question  # "…哪天印发的，文号呢？": the last ask is the question
    found = next((name for name, pat in META_ASKS if pat.search(last)), "")
    found = found or next((name for name, pat in META_ASKS if pat.search(question)), "")  # "…日期分别是什么，哪个在前？"
    if found == "date" and NAMED_DAY.search(question) and not DOC_DATE.search(question):
        return ""  # "家庭教育日是哪天？" asks what a provision sets, not when the document was issued
    if found in ("issuers", "validity") and not _of_document(last if META_ASKS_BY[found].search(last) else question,
                                                             META_ASKS_BY[found]):
        return ""  # "临灾预报是谁发的", "保护令的有效期": a thing the provisions govern, not the document
    return found


def _of_document(text: str, pat: re.Pattern[str]) -> bool:
    """Is the thing asked about (the words right before the ask) the document itself: nothing, a kind
    word (条例, 方案, 文件), a pronoun or a place ("安徽的是谁发的")?

    >>> _of_document("这份方案的有效期是多久？", META_ASKS_BY["validity"]), _of_document("保护令的有效期多长？", META_ASKS_BY["validity"])
    (True, False)
    >>> _of_document("临灾预报是谁发的？", META_ASKS_BY["issuers"]), _of_document("安徽的是谁发的？", META_ASKS_BY["issuers"])
    (False, True)
    >>> _of_document("甘肃那份若干措施是哪些单位联合印发的？", META_ASKS_BY["issuers"])
    True
    """
    m = pat.search(text)
    before = re.sub(r"(?:分别|各自|都|是|由|的|联合|共同|哪些|哪个|哪几个|哪家|单位|部门|机关|[，,\s])+$", "",
                    text[: m.start()]) if m else ""
    if not re.search(r"[\u4e00-\u9fff]$", before) or re.search(f"(?:{DOC_KIND.pattern}|这份|那份|这个|那个|该|本|它)$", before):
        return True
    return any(before.endswith(squeeze(f)) for d in find_divisions(before[-10:]) for f in d.forms())


def read_ask(question: str, n_named: int = 0) -> Ask:
    """Intent and flags of a question; ``n_named`` is how many regions / documents it names."""
    q = question
    verbatim = bool(PRECEDENT.search(q))
    responsible = bool(ASK_RESPONSIBLE.search(q))
    number = bool(NUMBER.search(q))
    quantity = bool(QUANTITY.search(q))
    m = UNIT.search(q)
    unit = m.group(1) if m else ("%" if PERCENT.search(q) else "")
    unit = "日" if unit == "天" else unit  # laws count days in 日 (六十日); 天 is how a question says it
    if re.search(r"几点(?:钟|到|至)?", q):
        unit, quantity = "时", True  # a time of day asked (几点到几点): the support must state one (二十二时, 8点)
    if re.search(r"几月几[号日]|[几哪]月[几哪]?[号日]|从几号", q):
        unit, quantity = "月日", True  # a calendar day asked (从几月几号到几月几号): the support must state one
    if quantity and unit in ("", "万", "亿", "元") and MONEY.search(q) and not PERCENT.search(q):
        unit = "元"
    field = meta_field(q)
    if verbatim and field == "contact":
        field = ""  # "留的电话号码…条文原文是怎么写的": a provision's wording, not the document's contact line
    articles = tuple(article_names(q))
    compare = bool(COMPARE.search(q)) or n_named >= 2
    if CHITCHAT.match(q.strip()):
        intent = Intent.OUT_OF_SCOPE
    elif field:  # the document itself (文号, 日期 …) even when asked across documents
        intent = Intent.DOCUMENT
    elif verbatim:
        intent = Intent.PRECEDENT
    elif compare:
        intent = Intent.COMPARISON
    elif responsible:
        intent = Intent.RESPONSIBILITY
    elif number:
        intent = Intent.NUMBER
    else:
        intent = Intent.FACT
    return Ask(intent, asks_number=number and not responsible, asks_quantity=quantity and not responsible,
               asks_responsible=responsible, asks_verbatim=verbatim, asks_list=bool(LIST.search(q)),
               asks_target=bool(TARGET.search(q)), asks_outline=bool(OUTLINE.search(q)),
               asks_document=bool(ABOUT_DOCUMENT.search(q)), collective=bool(COLLECTIVE.search(q)),
               unit=unit, meta_field=field, articles=articles, post=asked_post(q),
               asks_consequence=bool(CONSEQUENCE_ASK.search(q)),
               period="frequency" if FREQUENCY_ASK.search(q) else "span" if PERIOD_ASK.search(q) else "")


def strip_ask(question: str) -> str:
    """The question without a leading 请问… and its trailing ask (the topic a refusal names)."""
    t = LEADING_ASK.sub("", question.strip())
    t = TRAILING_ASK.sub("", t).rstrip("的")
    return t or question.strip().rstrip("？?")
