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
"""

from __future__ import annotations

import re

# colloquial → as the texts write it (the colloquial form does not occur in them), and what a
# clause must say for the rewritten question to be answered from it
REPLACE: list[tuple[str, str, str]] = [
    (r"交钱|交费|缴费|付钱|付费|花钱|掏钱|要钱|给钱|收钱", "收取费用", r"收取.{0,3}费用|收费"),
    (r"(?:是)?从哪里来的?|(?:是)?从哪儿来的?|(?:是)?从哪来的?|哪里来的|哪来的", "来源", r"来源"),
    (r"罚多少钱|罚几多钱", "罚款多少", r"罚款"),
    (r"打官司", "提起诉讼", r"诉讼"),
    (r"告到法院|去法院告", "向人民法院提起诉讼", r"诉讼"),
    (r"谁来定|谁来制定|由谁来定|由谁定|谁定", "由谁制定", r"制定"),
    (r"谁来管|由谁管|谁管", "由谁负责管理", r"负责|管理|主管"),
    (r"是什么意思|是啥意思|什么意思|指的是什么|是指什么|指什么|的含义是什么|的定义是什么|是怎么定义的|怎么定义",
     "是指", r"是指|所称|含义|定义"),
    (r"罚钱|罚款多少钱", "罚款", r"罚款"),
    (r"坐牢", "有期徒刑", r"徒刑|刑事责任"),
    (r"多少钱|几块钱", "多少元", r"元"),
]
# abbreviation → full form (both occur in the texts: the full form is added, not substituted)
ADD: list[tuple[str, str]] = [
    ("研发", "研究开发"),
    ("GDP", "国内生产总值"),
    ("免责", "免除责任"),
    ("科协", "科学技术协会"),
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
]
_REPLACE = [(re.compile(p), r, e) for p, r, e in REPLACE]
_ADD = re.compile("|".join(re.escape(a) for a, _ in sorted(ADD, key=lambda x: -len(x[0]))))
_FULL = dict(ADD)


def in_text_words(text: str) -> str:
    """``text`` with colloquial words replaced and abbreviations followed by their full form."""
    return wording(text)[0]


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
    out, pos = [], 0
    for m in _ADD.finditer(text):
        full = _FULL[m.group(0)]
        if text.startswith(full[len(m.group(0)):], m.end()) and full.startswith(m.group(0)):
            continue  # already written in full
        out.append(text[pos:m.end()] + f"（{full}）")
        marks.append(re.escape(full))
        pos = m.end()
    return "".join(out) + text[pos:], tuple(dict.fromkeys(marks))


# a question about the consequence of breaking a rule, and the words a law states one with
CONSEQUENCE_ASK = re.compile(r"违反|违规|不遵守|不履行|没做到|做不到|处罚|罚款|怎么处理|如何处理|怎么罚|法律责任|后果|承担什么责任")
PENALTY = re.compile(r"责令|警告|罚款|处分|追究|没收|吊销|撤销|通报批评|赔偿|拘留|刑事责任|取缔")
