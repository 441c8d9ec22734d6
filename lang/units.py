"""Responsible-unit vocabulary: the labels that introduce units and the suffixes bodies end with.

>>> bool(LABEL_RX.search("（牵头单位：市科协；配合单位：市教育局）")), is_body("县教育局"), is_body("科普活动")
(True, True, False)
>>> asks_responsibility("这项工作由哪个部门牵头？"), asks_responsibility("目标是多少？"), asks_responsibility("具体办法谁来定？")
(True, False, True)
>>> bool(AGENT_RX.search("具体办法由市民政部门会同有关部门、北京市志愿服务联合会制定。"))
True
>>> ASK_FREE_RX.sub("·", "典赞活动谁牵头？由哪个单位负责？")
'典赞活动·？·？'
"""

from __future__ import annotations

import re

# labels written before a list of units, longest first when matching
LABELS = ("主要责任单位", "责任单位", "牵头单位", "配合单位", "责任部门", "牵头部门", "配合部门", "主责单位",
          "协办单位", "参与单位", "责任处室", "实施单位", "承办单位", "责任主体")
LABEL_RX = re.compile("(" + "|".join(sorted(LABELS, key=len, reverse=True)) + r")\s*[:：]")
LABEL_LINE_RX = re.compile(r"^[(\[（〔【]\s*(" + "|".join(sorted(LABELS, key=len, reverse=True)) + r")\s*[:：]")
BODY_SUFFIXES = ("厅", "局", "委", "部", "办公室", "办", "政府", "委员会", "协会", "科协", "联合会", "会", "院", "中心",
                 "室", "处", "司", "署", "馆", "团", "团委", "联", "所", "社", "站", "队", "组", "小组", "镇", "乡",
                 "街道", "区", "县", "市", "州", "校", "台", "集团", "公司", "支队", "大学", "海关", "分院", "单位",
                 "管委会", "园区", "府", "协", "总工会", "工会", "妇联")
BODY_RX = re.compile("(" + "|".join(sorted(BODY_SUFFIXES, key=len, reverse=True)) + ")$")
DUTY_RX = re.compile(r"(按职责分工负责|按职责负责|分工负责|共同负责|负责落实|负责|牵头)$")
# how a question asks who is responsible
ASK_RESPONSIBLE = re.compile(
    r"谁负责|谁来负责|由谁|责任单位|责任部门|牵头|(?:配合|协助|参与)的?(?:单位|部门)|(?:单位|部门)都?有(?:谁|哪些|哪几个)|哪个部门|哪些部门|什么部门|哪个单位|哪些单位|什么单位|"
    r"负责单位|负责部门|主管部门|谁主抓|哪家单位|哪几家|哪家负责|几家单位|谁来抓|谁抓|谁的责任|归谁|归哪|哪个局|哪个委|哪个厅|"
    r"哪些局|由哪|谁来做|谁来落实|谁来管|谁管|负责[？?]?$|"
    r"谁来?(?:制定|定|规定|批准|审批|认定|组织|监督|查处|评定|审核|发放|处罚|受理)"
)
# a sentence of a law naming who acts: "具体办法由市民政部门会同有关部门制定", "市科学技术行政部门负责…"
_AGENT_BODY = r"(?:部门|机关|政府|委员会|联合会|协会|红十字会|工会|机构|局|厅|委|办公室|办事处|科协|组织|法院|检察院|海关|管理处|管理站|管理所|中心|大队|支队)"
AGENT_RX = re.compile(
    r"由[^，。；]{0,40}?" + _AGENT_BODY + r"[^。；]{0,30}?(?:负责|制定|组织|批准|审批|认定|实施|确定|规定|决定|管理|"
    r"监督|查处|处理|评定|发放|予以|给予|责令|受理|审核)|" + _AGENT_BODY + r"(?:负责|主管|会同)"
    r"|" + _AGENT_BODY + r"是[^。；]{0,30}?主管(?:部门|机关)"
)

# the free ways of asking it (谁牵头, 由哪个单位负责, 什么部门主抓): the answer is a 单位, whatever the wording
ASK_FREE_RX = re.compile(
    r"(?:由|是|归)?(?:哪个|哪些|什么|哪家|哪几个)(?:部门|单位|机构|局|委|厅)(?:来)?(?:负责|牵头|主抓|落实|组织)?"
    r"|(?:由|归)?谁(?:来)?(?:负责|牵头|主抓|抓|管|做|落实|组织)?|负责(?=[？?。\s]*$)"
)

# posts whose holder a question may ask for ("扬州科协主席是谁？"): the support must name the post
POSTS = ("法定代表人", "副主席", "主席", "副主任", "主任", "副书记", "书记", "秘书长", "理事长", "副局长", "局长", "厅长",
         "市长", "省长", "县长", "区长", "镇长", "部长", "会长", "院长", "校长", "馆长", "负责人", "联系人", "主持人")
POST_RX = re.compile("|".join(sorted(POSTS, key=len, reverse=True)))
ASK_PERSON_RX = re.compile(r"是谁|是哪位|哪位|叫什么|叫啥|姓名|名字|找谁|谁来当|谁担任|由谁担任")


def asked_post(question: str) -> str:
    """The post whose holder the question asks for ("" when it asks no person).

    >>> asked_post("扬州市科协主席叫什么名字？"), asked_post("工作提示的联系人是谁？"), asked_post("牵头单位是谁？")
    ('主席', '联系人', '')
    """
    m = POST_RX.search(question)
    return m.group(0) if m and ASK_PERSON_RX.search(question) else ""


def is_body(name: str) -> bool:
    """Does ``name`` end like a body (局 / 厅 / 委员会 / 科协 …)?"""
    return bool(BODY_RX.search(name.strip()))


def asks_responsibility(question: str) -> bool:
    """Does a question ask who is responsible?"""
    return bool(ASK_RESPONSIBLE.search(question))


# the act a who-question asks about: "由哪个部门责令改正？" → 责令, "由谁来组织调查？" → 组织
_ASKED_ACT = re.compile(r"(?:哪个|哪些|哪一?级|什么|谁|\s单位\s?)(?:人民政府|政府|部门|单位|机关|机构|组织|人员|人)?(?:来|去|负责|统一|可以|能|要|应当|应该|有权)?([\u4e00-\u9fff]{1,2})")
_NOT_ACT = re.compile(r"负责|牵头|配合|协助|管理|单位|部门|发的|印发|(?:人民)?政府|机关|机构|人员")
# "X是本市生活垃圾管理的主管部门" / "主管全省…工作": 主管 said of a body, not 主管 inside a body's name
_ONE_CHAR_ACT = {"定": "制定", "办": "办理", "批": "批准", "罚": "处罚", "查": "查处", "审": "审批"}
_APPLICANT_ACT = re.compile(r"申请|投诉|举报|报告|报送|备案|申报|反映|求助|咨询|登记|缴纳|缴费")
_IS_COMPETENT = re.compile(r"是[^。；;，,]{0,30}?主管(?:部门|机关)|主管[^。；;，,部门机关]{2,20}工作")


def asked_act(question: str) -> str:
    """The act whose doer a question asks for ("" when it names none or only 负责 / 牵头).

    >>> asked_act("没按规定报送备案，由哪个部门责令改正？"), asked_act("较大事故由谁来组织调查？"), asked_act("这项工作谁牵头？")
    ('责令', '组织', '')
    >>> asked_act("两个县之间的纠纷由哪一级政府来调处？"), asked_act("由哪级人民政府批准？"), asked_act("标准是哪个部门定的？")
    ('调处', '批准', '制定')
    >>> asked_act("办案补贴的标准由谁来定？"), asked_act("谁管？")
    ('制定', '')
    >>> asked_act("运烟花爆竹要向哪个部门申请许可？"), asked_act("上海的生活垃圾管理由哪个部门主管？")
    ('向申请', '主管')
    >>> asked_act("被拒了找哪个部门投诉？"), asked_act("做了好事找谁去认定？")
    ('向投诉', '认定')
    >>> asked_act("回国定居向哪个部门申请，落户谁给办？"), asked_act("这事谁来批？")
    ('办理', '批准')
    >>> asked_act("征收补偿工作由哪一级政府 单位 ？")  # the body asked is not its act
    ''
    """
    found = list(_ASKED_ACT.finditer(question))
    if not found:
        return ""
    m = found[-1]  # "…向哪个部门申请，落户谁给办？": the last ask is the one this turn adds
    word = re.sub(r"^[给帮替]", "", m.group(1))
    if not word or _NOT_ACT.match(word) or word[0] in "把将被对向的是":
        return ""
    act = _ONE_CHAR_ACT.get(word[0], "") if len(word) == 1 or word[1] in "的了呀啊吗呢" else word  # 谁定的 → 制定
    if not act:
        return ""
    before = question[: m.start()]
    toward = before.endswith("向") or (before.endswith("找") and _APPLICANT_ACT.match(act))
    return "向" + act if toward else act  # 向哪个部门申请: the body applied to (找谁认定: the body that 认定)


_ENFORCING = re.compile(r"^(?:责令|处罚|查处|罚款|没收|吊销|处以|取缔|拘留|警告)")


def enforces(act: str) -> bool:
    """Is the act asked about itself an enforcement ("由谁来责令改正", "归哪个部门处罚")? Then the clause
    holding a fine is where the answer is, not a penalty the question did not ask about.

    >>> enforces("责令"), enforces("处罚"), enforces("制定"), enforces("")
    (True, True, False, False)
    """
    return bool(act) and bool(_ENFORCING.match(act))


def does_act(act: str, sentence: str) -> bool:
    """Does the sentence name a body doing ``act`` ("由县级以上人民政府体育主管部门责令限期改正")?

    >>> does_act("责令", "由县级以上人民政府体育主管部门责令限期改正"), does_act("责令", "由主管机关依法给予处分")
    (True, False)
    >>> does_act("审批", "市绿化行政管理部门应当提出审查意见，并报市人民政府批准")
    True
    >>> does_act("制定", "科学技术协会组织开展科普活动，协助政府制定科普工作规划")
    False
    >>> does_act("制定", "将本机构制定的服务规范作为合同的附件"), does_act("制定", "示范文本由市商务部门会同有关部门制定")
    (False, True)
    >>> does_act("制定", "补贴的标准，由省司法行政部门会同同级财政部门，根据当地经济发展水平和承办成本等确定")
    True
    >>> does_act("认定", "见义勇为行为的确认，由行为发生地的公安机关负责。"), does_act("负责", "区县红十字会负责捐献的日常工作")
    (True, True)
    >>> does_act("向申请", "托运人应当向运达地县级人民政府公安部门提出申请"), does_act("向申请", "受理申请的公安部门应当审查")
    (True, False)
    >>> does_act("向申请", "养犬人应当到其所在地的区市容环境卫生行政主管部门申请注册登记")
    True
    >>> does_act("监管", "县级以上人民政府应急管理部门对本行政区域内的消防工作实施监督管理")
    True
    >>> does_act("监督", "环境保护主管部门负责畜禽养殖污染防治的统一监督管理"), does_act("监督", "并依法接受有关主管部门的监督检查")
    (True, False)
    >>> does_act("养护", "（四）居住区内的古树，养护责任人为业主委托的物业服务企业。")
    True
    >>> does_act("主管", "市绿化市容部门是本市生活垃圾管理的主管部门"), does_act("主管", "由区体育主管部门责令改正")
    (True, False)
    """
    if not act:
        return False
    if act == "主管":
        return bool(_IS_COMPETENT.search(sentence))
    if act.startswith("向"):  # the body applied / reported to: "托运人应当向运达地县级人民政府公安部门提出申请"
        acts = "|".join(map(re.escape, _SAME_ACT.get(act[1:], (act[1:],))))
        return bool(re.search(rf"[向到][^。；;，,]{{0,25}}?{_AGENT_BODY}[^。；;，,]{{0,4}}?(?:{acts})", sentence))
    acts = "|".join(map(re.escape, _SAME_ACT.get(act, (act,))))
    helps = r"协助|配合|支持|帮助|协同"
    for m in re.finditer(_AGENT_BODY + r"([^。；;]{0,12}?)(?:" + acts + ")", sentence):
        if sentence.startswith("的", m.end()) and not re.search(r"由[^，,。；;]{0,20}$", sentence[:m.start()]):
            continue  # "并将本机构制定的服务规范作为附件": a body naming what it made, not doing the act asked
        if re.search(r"接受[^，,。；;]{0,12}$", sentence[: m.start()]):
            continue  # "依法接受有关主管部门的监督检查": the body is whom the subject answers to
        if not re.search(helps, m.group(1)) and not re.search(f"(?:{helps})[^，,。；;]{{0,8}}$", sentence[:m.start()]):
            return True  # "科协…协助政府制定规划": 政府 is whom it helps, the 科协 does not 制定
    # "应急管理部门对本行政区域内的消防工作实施监督管理": the body does it to what it is charged with
    if re.search(rf"{_AGENT_BODY}[^。；;，,]{{0,4}}(?:对|负责)[^。；;，,]{{1,25}}?(?:实施|进行|负责|依法)?(?:{acts})", sentence):
        return True
    if re.search(rf"(?:{acts})的?责任(?:人|单位|主体)(?:为|是)", sentence):  # "养护责任人为业主委托的物业服务企业"
        return True
    # "补贴的标准，由省司法行政部门会同同级财政部门，根据当地经济发展水平…确定": the body after 由 does it
    if re.search(rf"由[^。；;由]{{0,30}}?{_AGENT_BODY}[^。；;由]{{0,50}}?(?:{acts})", sentence):
        return True
    # the act named first: "见义勇为行为的确认，由行为发生地的公安机关负责"
    return bool(re.search(f"(?:{acts})[^。；;，,]{{0,4}}[，,]\\s*由[^。；;，,]{{0,20}}?{_AGENT_BODY}(?:负责|办理|承担)", sentence))


_OTHERS_BARRED = re.compile(r"^\s*(?:其他|其它|任何|非)[^，,。；;]{0,8}?(?:单位|组织|个人|机构)[^，,。；;]{0,6}?(?:不得|禁止|无权)")


def bars_others(sentence: str) -> bool:
    """Does the sentence bar everyone else from an act ("其他组织和个人不得向社会发布…")? It says who may
    not, so it is not the answer to who does.

    >>> bars_others("其他组织和个人不得向社会发布灾害性天气警报"), bars_others("气象台站应当按照职责向社会统一发布预警信号")
    (True, False)
    """
    return bool(_OTHERS_BARRED.match(sentence))


# acts the texts write in more than one way (a question's 审批 is a text's 报…批准)
_SAME_ACT = {"审批": ("审批", "批准"), "批准": ("批准", "审批"), "制定": ("制定", "拟定", "制订", "确定", "核定"),
             "制订": ("制订", "制定"), "认定": ("认定", "确认"), "确认": ("确认", "认定"), "处罚": ("处罚", "罚款", "处以", "责令"), "监管": ("监管", "监督管理"), "监督": ("监督", "监管"), "查处": ("查处", "处罚"),
             "养护": ("养护", "管护"), "管护": ("管护", "养护")}


def row_cells(text: str) -> list[str]:
    """The cells of a table row as ingest writes it (tab-separated, or columns of two or more spaces)."""
    return [c.strip() for c in re.split(r"\t| {2,}", text.strip()) if c.strip()]


def is_header_row(text: str) -> bool:
    """Is ``text`` a table's header row (labels only: a form to fill, which names no unit)?

    >>> is_header_row("序号\\t省方案任务\\t我市贯彻落实意见\\t责任单位\\t配合单位\\t备注")
    True
    >>> is_header_row("1\\t提升基层科普能力\\t建设科普e站50个\\t市科协\\t市科技局\\t")
    False
    """
    cells = row_cells(text)
    return (len(cells) >= 3 and all(len(c) <= 8 and not re.search(r"\d", c) for c in cells)
            and any(c in LABELS or c in ("序号", "备注") for c in cells))
