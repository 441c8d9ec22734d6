"""Everyday and abbreviated words of questions, and how policy and legal texts write the same thing.

A question says 交钱, 研发, GDP, 从哪里来; the law says 收取费用, 研究开发, 国内生产总值, 来源.
``in_text_words`` rewrites a question so that it can be matched against the text: a colloquial
word that such texts never use is replaced, an abbreviation that they use as well is kept and
followed by its full form.

>>> in_text_words("申请行政复议要不要交钱？")
'申请行政复议要不要收取费用？'
>>> in_text_words("全社会研发经费占全市GDP多少？")
'全社会研发（研究开发）经费占全市GDP（国内生产总值）多少？'
>>> in_text_words("重庆科协的经费从哪里来？")
'重庆科协（科学技术协会）的经费来源？'
>>> in_text_words("安徽进口科普用品能免税吗？"), in_text_words("几号前交到哪儿？")
('安徽进口科普用品免征吗？', '日前报送？')
"""

from __future__ import annotations

import re

from lang.everyday import EVERYDAY
from lang.figures import has_money

# a mark that is a figure's unit: weighed with the figure a number question asks for, not again as wording
DAYS_MARK = r"\d日|[一二三四五六七八九十]日"
FIGURE_UNIT_MARKS = frozenset({DAYS_MARK})

# colloquial → as the texts write it (the colloquial form does not occur in them), and what a
# clause must say for the rewritten question to be answered from it
REPLACE: list[tuple[str, str, str]] = [
    (r"交钱|交费|缴费|付钱|付费|花钱|掏钱|要钱|给钱|收钱", "收取费用", r"收取.{0,3}费用|收费"),
    (r"(?:是)?从哪里来的?|(?:是)?从哪儿来的?|(?:是)?从哪来的?|哪里来的|哪来的", "来源",
     r"来源|从[^。；，,]{2,20}?(?:中|里)?(?:安排|提取|列支|筹集|支出)"),
    (r"罚多少钱|罚几多钱", "罚款多少", r"罚款"),
    (r"打官司", "提起诉讼", r"诉讼"),
    (r"告到法院|去法院告", "向人民法院提起诉讼", r"诉讼"),
    (r"谁来定|谁来制定|由谁来定|由谁定|谁定", "由谁制定", r"制定"),
    (r"(?:哪个|什么|哪些|哪一?级)(?:部门|单位|机关|政府)(?:来)?定的?", "由哪个部门制定", r"制定"),
    (r"谁来管|由谁管|谁管", "由谁负责管理", r"负责|管理|主管"),
    (r"(?:多少|几)(?:天|日)(?:之内|以内|内)", "日内", r"日内"),
    # within how long: 三十分钟内 / 二十四小时内 / 十五日内 all answer it
    (r"多长时间(?:之内|以内|内)|多久(?:之内|以内|内)", "日内", r"(?:日|小时|分钟|月|年)(?:之内|以内|内)"),
    (r"(?:多少|几)个工作日", "工作日", r"工作日"),
    # an order asked ("是先拿补偿还是先搬走"): the sentence that says 先…、后…
    (r"先[\u4e00-\u9fff]{1,6}还是先[\u4e00-\u9fff]{1,6}|谁先谁后|先后顺序", r"\g<0>", r"先[^，,。；;]{1,8}[、，,]?\s*后"),
    (r"(?:多少|几)(?:天|日)", "日", DAYS_MARK),
    (r"几号(?:之前|以前|前)|哪天(?:之前|以前|前)|什么时候(?:之前|以前|前)|截止(?:时间|日期)|最晚(?:哪天|什么时候)", "日前",
     r"日前|日之前|日以前"),
    (r"交到哪(?:儿|里)?|交给谁|交到什么(?:地方|单位)|报到哪(?:儿|里)?|送到哪(?:儿|里)?|交给哪(?:个单位|里)?|接收单位"
     r"|交(?=[^\s，。？?]{0,6}(?:意见|材料|报告|方案|情况))", "报送", r"报送|报|反馈|交|送"),
    (r"能?免税|不用交税|不交税", "免征", r"免征|免税|免于"),
    (r"没休完|没有休完|没休|未休完", "未休", r"未休"),
    (r"找谁[去来]?(?=解释|审批|批准|处理|处罚|办理|负责|认定|确认|备案|登记|申请|投诉|举报|复核|鉴定|调解|裁决)", "由谁负责", r"负责"),
    (r"找谁联系|联系谁|找谁|问谁", "联系人", r"联系人|联系"),
    (r"(?:一个|每个|一)(?:礼拜|星期)(?![一二三四五六日天])", "每周", r"每周|周"),
    (r"礼拜|星期(?![一二三四五六日天])", "周", r"周"),
    (r"钟头", "小时", r"小时"),
    (r"最起码|起码", "不少于", r"不少于|不得少于|至少|以上"),
    (r"(?:考核|考试|验收)过关|过关", "考核合格", r"合格"),
    (r"超期|过期(?=没|未|不)", "超过规定日期", r"超过|逾期"),
    (r"没还|不还", "未归还", r"归还"),
    (r"没有?经?过?(?=考核|检定|检验|批准|许可|审批|验收|同意|认证)", "未经", r"未经"),
    (r"没有?(?=设|配备|配|建|报|交|缴|办|按|依法|依照|取得|签|登记|备案|公示|分类|履行|执行|落实|采取|安装|申请|申报|告知|保存|公开|标明|制定|开展|遵守|及时)", "未", r"未"),
    (r"电瓶车|电驴|电单车", "电动自行车", r"电动自行车"),
    (r"楼道(?:里)?", "楼梯间、疏散走道", r"楼梯间|走道|通道"),
    (r"恶搞", "歪曲、丑化", r"歪曲|丑化|亵渎"),
    (r"干满|干够|干了(?=[\d一二三四五六七八九十几多])", "从事工作满", r"从事"),
    (r"(?:得|要|需要|应该)?先?(?:满足|具备|符合)(?:什么|哪些|啥)(?:样的)?条件", "必须具备什么条件", r"必须|应当具备|条件"),
    (r"本该|本应|本来应该|本来就该", "应当", r"应当"),
    (r"(?:啥|什么|哪个|哪一)(?:样的)?等级|几级", "什么等级", r"[一二三四五六七八九十\d]级|等级"),
    (r"城市名片", "城市品牌", r"品牌"),
    (r"(?<!行)履职", "履行职责", r"履行"),
    (r"地方性?法规", "条例", r"条例"),
    (r"离职(?:的时候|时)?|辞职(?:的时候|时)?", "解除或者终止劳动合同时", r"解除|终止"),
    (r"(?:是)?(?:什么|啥)意思|指的是什么|(?:是)?指什么|怎么理解|的?含义(?:是什么)?|的定义是什么|是怎么定义的|怎么定义",
     "是指", r"是指|所称|指的是|含义|定义"),
    (r"罚钱|罚款多少钱", "罚款", r"罚款"),
    (r"坐牢", "有期徒刑", r"徒刑|刑事责任"),
    (r"多少钱|几块钱", "多少元", r"元"),
]
# padding and asking turns: removed before anything is scored (how the question is said, not what
# it is about); words the documents themselves use (可以, 没有, 已经) are not padding
FILLERS = (
    "能不能告诉我", "能否告诉我", "可不可以告诉我", "可以告诉我", "告诉我", "麻烦问一下", "想问一下", "问一下", "请问",
    "我想知道", "想了解一下", "想了解", "帮我查一下", "帮我看看", "帮我", "查一下",
    "展开说说", "展开讲讲", "具体说说", "详细说说", "具体讲讲", "介绍一下", "都说一下", "说一下", "讲一下", "说说", "讲讲",
    "讲的是什么", "说的是什么", "讲的什么", "说了什么", "讲了什么", "是关于什么的", "叫什么名字", "叫啥名字", "叫什么", "叫啥",
    "什么名字", "名字", "大家", "咱们", "到底", "究竟", "一般来说", "可不可以", "能不能", "能否", "是不是",
    "会不会", "有没有", "原话", "条文", "说法", "出自", "都找出来", "找出来", "给我", "里面说的", "里说的", "中说的", "提到的", "提到", "打算", "自己", "承认",
    "啊", "呀", "吧", "哦", "嘛", "呗", "哈",
)
SPOKEN = ((re.compile(r"牵头(?:办|搞|抓|做)"), "牵头"), (re.compile(r"啥"), "什么"), (re.compile(r"咋(?:样|么)?"), "怎么"))
_FILLER_RX = re.compile("|".join(sorted(map(re.escape, FILLERS), key=len, reverse=True)))
# abbreviation → full form (both occur in the texts: the full form is added, not substituted)
ADD: list[tuple[str, str]] = [
    ("研发", "研究开发"),
    ("GDP", "国内生产总值"),
    ("免责", "免除责任"),
    ("科协", "科学技术协会"),
    ("科技行政", "科学技术行政"),  # 科技行政部门: plans write 科学技术行政（管理）部门 as often
    ("科普条例", "科学技术普及条例"),  # a regulation's short name (科普 alone stays: the plans write it everywhere)
    ("科普法", "科学技术普及法"),
    ("年假", "年休假"),
    ("人大常委会", "人民代表大会常务委员会"),
    ("离职", "解除或者终止劳动合同"),
    ("辞职", "解除劳动合同"),
    ("开除", "解除劳动合同"),
    ("没休完", "未休"),
    ("加班", "延长工作时间"),
    ("孩子", "未成年人"),
    ("老人", "老年人"),
    ("政府部门", "行政机关"),
    ("网上", "网络"),
    ("禁烟", "禁止吸烟"),
    ("控烟", "控制吸烟"),
]
_REPLACE = [(re.compile(p), r, e) for p, r, e in REPLACE + EVERYDAY]
_ADD = re.compile("|".join(re.escape(a) for a, _ in sorted(ADD, key=lambda x: -len(x[0]))))
_FULL = dict(ADD)


def plain(text: str) -> str:
    """``text`` without its padding (``FILLERS``) and with spoken forms (啥, 咋, 牵头办) as written.

    >>> plain("能不能告诉我科普联盟叫什么名字？"), plain("典赞活动谁牵头办？"), plain("可以委托几名代理人？")
    ('科普联盟？', '典赞活动谁牵头？', '可以委托几名代理人？')
    """
    for rx, repl in SPOKEN:
        text = rx.sub(repl, text)
    text = re.sub(r" {2,}", " ", _FILLER_RX.sub(" ", text))
    return re.sub(r"^[\s，,：:]+| (?=[？?。！!，,]|$)", "", text)


def in_text_words(text: str) -> str:
    """``text`` with colloquial words replaced and abbreviations followed by their full form."""
    return wording(text)[0]


def _loose(full: str) -> str:
    """The pattern of a full form as texts write it: two two-character words may have a modifier
    between them (免除责任 → 免除相关责任).

    >>> bool(re.search(_loose("免除责任"), "依法免除相关责任")), _loose("国内生产总值")
    (True, '国内生产总值')
    """
    return re.escape(full[:2]) + ".{0,3}" + re.escape(full[2:]) if len(full) == 4 else re.escape(full)


def wording(text: str) -> tuple[str, tuple[str, ...]]:
    """(``in_text_words(text)``, the patterns a clause must match to answer the rewritten text).

    >>> wording("申请复议要交钱吗？")
    ('申请复议要收取费用吗？', ('收取.{0,3}费用|收费',))
    """
    marks: list[str] = []
    for rx, formal, evidence in _REPLACE:
        text, n = rx.subn(formal, text)
        if n:
            marks.append(evidence)
    text, added = _with_full_forms(text)
    return text, tuple(dict.fromkeys(marks + [_loose(full) for full in added]))


def with_full_forms(text: str) -> str:
    """``text`` with each abbreviation followed by its full form, nothing replaced (what each
    document of a comparison is ranked on: 科普条例 → 科普条例（科学技术普及条例）).

    >>> with_full_forms("安徽、吉林的科普条例不履职怎么办")
    '安徽、吉林的科普条例（科学技术普及条例）不履职怎么办'
    """
    return _with_full_forms(text)[0]


def _with_full_forms(text: str) -> tuple[str, list[str]]:
    out, pos, added = [], 0, []
    for m in _ADD.finditer(text):
        full = _FULL[m.group(0)]
        if text.startswith(full[len(m.group(0)):], m.end()) and full.startswith(m.group(0)):
            continue  # already written in full
        out.append(text[pos:m.end()] + f"（{full}）")
        added.append(full)
        pos = m.end()
    return "".join(out) + text[pos:], added


# a question about the consequence of breaking a rule, and the words a law states one with
CONSEQUENCE_ASK = re.compile(r"违反|违规|不遵守|不履行|没做到|做不到|处罚|罚款|罚(?:多少|几|钱|了)|怎么处理|如何处理|怎么罚|法律责任|后果|承担什么责任")
FINES = re.compile(r"罚款|予以处罚|处分")  # a clause that sets penalties (a who-question not about them is not answered by it)
# any mention of what follows a breach: a question without one asks about the rule, not its penalty
PENALTY_ASKED = re.compile(CONSEQUENCE_ASK.pattern + r"|罚|处分|处理|问责|会怎样|会怎么样|会被|追责|追究|吊销|没收|拘留|责令|取缔")


def penalty_asked(question: str) -> int:
    """What of a breach a question asks: 0 nothing, 1 what follows it (违反了会怎样), 2 a fine (罚).

    >>> penalty_asked("水土流失调查多久搞一次？"), penalty_asked("违反了会怎样？"), penalty_asked("按面积罚款的标准是什么？")
    (0, 1, 2)
    """
    if not PENALTY_ASKED.search(question):
        return 0
    return 2 if "罚" in question else 1


def penalty_fit(asked: int, sentence: str) -> int:
    """+1: a fine asked (``asked`` = 2, from ``penalty_asked``) and the sentence states one, or what follows a
    breach asked (``asked`` = 1) and the sentence states a penalty; −1: a fine
    stated when nothing that follows a breach is asked (how often the survey is made is not answered
    by the fine for skipping it); else 0.

    >>> s = "按照开垦面积，可以对个人处每平方米二元以下的罚款"
    >>> penalty_fit(penalty_asked("违法开垦陡坡地，按面积罚款的标准是什么？"), s), penalty_fit(penalty_asked("水土流失调查多久搞一次？"), s)
    (1, -1)
    """
    if not FINES.search(sentence):
        return 1 if asked == 1 and PENALTY.search(sentence) else 0  # 违反了会怎样: "由…责令改正，予以警告"
    if not asked:
        return -1
    return 1 if asked == 1 or has_money(sentence) else 0


PENALTY = re.compile(r"责令|警告|罚款|处分|追究|没收|吊销|撤销|通报批评|赔偿|拘留|刑事责任|取缔")
