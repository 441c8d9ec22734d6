"""Follow-up resolution: rewrite an elliptic question using the conversation so far.

Two kinds of ellipsis are handled, by rules on the wording:

- *substitution* — the new turn only names another region / document / year
  ("那甘肃呢？", "2035年呢？"): the previous question is repeated with that mention replaced;
- *new ask on the previous topic* — the new turn asks something without a topic
  ("责任单位是谁？", "具体有哪些措施？", "它的原文怎么写？"): it is attached to the previous
  question's topic.

A question with its own topic is returned unchanged. Earlier turns are resolved first, so a
chain of follow-ups keeps its document, region and topic. ``understand`` is the index's
``understand`` (or any callable returning a ``Scope``), which keeps this module testable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from chatbot.sentences import STOP_PHRASES, YEAR
from index.types import Scope

LEADING = re.compile(r"^\s*(那么|那|还有|另外|此外|再问一下|再问|同样|然后|以及|而)\s*[，,、]?")
PRONOUN = re.compile(r"它们|它|这个|这项|这些|这一|该项|该|上述|其中|此项|前者|后者")
ASK_WORDS = [
    "责任单位", "责任部门", "牵头单位", "牵头部门", "配合单位", "主管部门", "牵头", "负责", "部门", "单位",
    "具体措施", "措施", "举措", "任务", "内容", "目标", "原文", "怎么写", "怎么表述", "如何表述", "表述",
    "写法", "措辞", "情况", "数字", "指标", "时间", "什么时候", "谁", "呢", "做法", "安排",
]
TRAILING_ASK = re.compile(
    r"(的?(具体)?(是多少|是什么|有哪些|有什么|是谁|是哪些|是哪个|怎么写|如何表述|怎么规定|如何规定|要求|吗|呢)"
    r"|的?(牵头单位|责任单位|配合单位|责任部门|牵头部门|主管部门)|由谁负责|谁负责|由哪个部门牵头|哪个部门牵头"
    r"|(每年)?(不少于|不低于|达到|超过|力争达到|要达到)?(多少|几)[个项家名人场次万亿元%％]*"
    r"|(是)?(哪天|哪一天|什么时候|何时)(印发|发布|通过|施行|发)?的?"
    r"|[？?。！!\s])+$"
)
COLLECTIVE = re.compile(r"各地|各省|各市|各县|各文件|各方案")
LEADING_ASK = re.compile(r"^(请问|具体来说|具体)")


def _short(region: str) -> str:
    """安徽省 → 安徽, 砀山县 → 砀山 (the form people type)."""
    s = re.sub(r"(特别行政区|自治区|自治州|自治县|省|市|县|区|州)$", "", region)
    return s if len(s) >= 2 else region


def _mentions(text: str, scope: Scope) -> list[str]:
    """How the regions / unknown places of ``scope`` are written in ``text`` (longest form first)."""
    out = []
    for r in list(scope.regions) + [m for m in scope.unknown_mentions if not YEAR.fullmatch(m.strip())]:
        for form in (r, _short(r)):
            if form and form in text:
                out.append(form)
                break
    return out


def _core_len(question: str, mentions: list[str]) -> int:
    t = LEADING.sub("", question)
    for m in sorted(mentions, key=len, reverse=True):
        t = t.replace(m, " ")
    t = YEAR.sub(" ", t)
    t = PRONOUN.sub(" ", t)
    for w in sorted(ASK_WORDS, key=len, reverse=True):
        t = t.replace(w, " ")
    for p in STOP_PHRASES:
        t = t.replace(p, " ")
    return len(re.findall(r"[\u4e00-\u9fffA-Za-z]", t))


def _topic(prev: str) -> str:
    """The previous question without its trailing ask.

    >>> _topic("安徽省如何加强科普人才队伍建设？")
    '安徽省如何加强科普人才队伍建设'
    >>> _topic("安徽到2025年公民科学素质比例目标是多少？")
    '安徽到2025年公民科学素质比例目标'
    """
    return TRAILING_ASK.sub("", prev.strip())


def _substitute(prev: str, prev_mentions: list[str], new_mentions: list[str], new_years: list[str]) -> str:
    out = prev
    if new_mentions:
        if prev_mentions:
            out = out.replace(prev_mentions[0], new_mentions[0], 1)
            for m in prev_mentions[1:]:
                out = out.replace(m, "", 1)
        elif COLLECTIVE.search(out):
            out = COLLECTIVE.sub(new_mentions[0], out, count=1)
        else:
            out = new_mentions[0] + out
    if new_years:
        prev_years = [m.group(1) for m in YEAR.finditer(out)]
        if prev_years:
            out = out.replace(prev_years[0], new_years[0], 1)
        else:
            out = f"到{new_years[0]}年，" + out
    return out


def resolve_one(question: str, prev: str | None, understand: Callable[[str], Scope]) -> str:
    """Resolve one question against the (already resolved) previous question.

    >>> from index.types import Scope
    >>> def und(q):
    ...     regs = [r for r in ("安徽省", "甘肃省") if r in q or r[:2] in q]
    ...     return Scope(regions=regs)
    >>> resolve_one("那甘肃呢？", "安徽到2025年公民科学素质比例目标是多少？", und)
    '甘肃到2025年公民科学素质比例目标是多少？'
    >>> resolve_one("责任单位是谁？", "安徽省如何加强科普人才队伍建设？", und)
    '安徽省如何加强科普人才队伍建设的责任单位是谁？'
    >>> resolve_one("甘肃省如何加强科普人才队伍建设？", "安徽有哪些科普工程？", und)
    '甘肃省如何加强科普人才队伍建设？'
    """
    if not prev:
        return question
    q = question.strip()
    scope = understand(q)
    mentions = _mentions(q, scope)
    years = [m.group(1) for m in YEAR.finditer(q)]
    has_pronoun = bool(PRONOUN.search(q))
    core = _core_len(q, mentions)
    leading = bool(LEADING.match(q))
    prev_mentions = _mentions(prev, understand(prev))
    if (core >= 5 and not has_pronoun) or (core >= 3 and not (has_pronoun or leading)):
        # a question with its own topic keeps the previous turn's region when it names none
        if not (mentions or years or scope.doc_ids or scope.regions) and prev_mentions and not COLLECTIVE.search(q):
            return prev_mentions[0] + q
        return question
    rest = LEADING.sub("", q)
    for m in mentions:
        rest = rest.replace(m, "")
    rest = YEAR.sub("", rest)
    rest_core = _core_len(rest, [])
    leftover = re.sub(r"[的呢吗？?。！!，,\s]|情况|怎么样|如何|又如何|是多少|有哪些", "", rest)
    for w in sorted(ASK_WORDS, key=len, reverse=True):
        if w in prev:  # "那扬州的目标呢？" after a question about 目标: only the region changes
            leftover = leftover.replace(w, "")
    only_mentions = bool(mentions or years) and rest_core <= 2 and not leftover
    if only_mentions:
        return _substitute(prev, prev_mentions, mentions, years)
    # a new ask on the previous topic (possibly for another region / year)
    topic = _substitute(_topic(prev), prev_mentions, mentions, years)
    ask = PRONOUN.sub("", rest).strip()
    ask = re.sub(r"^[的，,\s]+", "", LEADING_ASK.sub("", ask)) or ask
    if not ask or not re.search(r"[\u4e00-\u9fff]", ask):
        return topic + "？"
    joiner = "的" if re.match(r"(责任|牵头|配合|主管|目标|原文|具体|措施|举措|任务|内容|指标)", ask) else "，"
    if not re.search(r"[？?]$", ask):
        ask += "？"
    return topic + joiner + ask


def user_turns(history: Sequence[dict[str, Any]] | None) -> list[str]:
    """The user questions of a messages-format history, oldest first."""
    out = []
    for m in history or []:
        if not isinstance(m, dict) or m.get("role") != "user":
            continue
        content = m.get("content")
        if isinstance(content, list):  # multimodal message parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if isinstance(content, str) and content.strip():
            out.append(content.strip())
    return out


def resolve_followup(
    question: str, history: Sequence[dict[str, Any]] | None, understand: Callable[[str], Scope]
) -> str:
    """Resolve ``question`` against the whole conversation (earlier follow-ups resolved first).

    >>> from index.types import Scope
    >>> und = lambda q: Scope(regions=[r for r in ("安徽省", "甘肃省", "吉林省") if r[:2] in q])
    >>> h = [{"role": "user", "content": "安徽到2025年公民科学素质比例目标是多少？"},
    ...      {"role": "assistant", "content": "……16%[1]。"},
    ...      {"role": "user", "content": "那甘肃呢？"},
    ...      {"role": "assistant", "content": "文件中没有找到……"}]
    >>> resolve_followup("吉林呢？", h, und)
    '吉林到2025年公民科学素质比例目标是多少？'
    """
    turns = user_turns(history)
    if turns and turns[-1] == question.strip():
        turns = turns[:-1]  # the current question already appended by the caller
    prev: str | None = None
    for t in turns:
        prev = resolve_one(t, prev, understand)
    return resolve_one(question, prev, understand)
