"""From a composed ``Draft`` (or a checked LLM result) to an ``Answer`` with numbered citations."""

from __future__ import annotations

import re
from typing import Any

from chatbot.cite import make_citation
from chatbot.compose import Draft
from chatbot.types import Answer, AnswerSentence, Citation


def attach_marker(text: str, ns: list[int]) -> str:
    """Put [n] before the final end mark: ``超过19%。`` → ``超过19%[1]。``.

    >>> attach_marker("2025年，我市公民具备科学素质比例超过19%。", [1])
    '2025年，我市公民具备科学素质比例超过19%[1]。'
    >>> attach_marker("《甘肃省若干措施》（五）：“加强科普人才队伍建设。”", [2])
    '《甘肃省若干措施》（五）：“加强科普人才队伍建设。”[2]'
    """
    marks = "".join(f"[{n}]" for n in ns)
    if text and text[-1] in "。；;！？!?":
        end = "。" if text[-1] in "；;" else text[-1]
        return text[:-1] + marks + end
    return text + marks


def from_draft(draft: Draft, base: dict[str, Any], warnings: list[str]) -> Answer:
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    chunks: list[str] = []
    for p in draft.pieces:
        ns = []
        for h in p.hits:
            cid = h.clause.clause_id
            if cid not in numbers:
                numbers[cid] = len(numbers) + 1
                citations.append(make_citation(h, numbers[cid]))
            if numbers[cid] not in ns:
                ns.append(numbers[cid])
        text = attach_marker(p.text, ns)
        sentences.append(AnswerSentence(text=text, citations=ns))
        chunks.append(("\n" if p.line and chunks else "") + text)
    text = "".join(chunks)
    if draft.missing_docs:
        text += "\n（以下文件未找到相关规定：" + "、".join(f"《{t}》" for t in draft.missing_docs) + "）"
    for note in draft.notes:
        text += f"\n（{note}）"
    return Answer(text=text, sentences=sentences, citations=citations, warnings=warnings, **base)


def from_llm(res: Any, base: dict[str, Any], warnings: list[str]) -> Answer:
    used: list[int] = []
    for s in res.sentences:
        for n in s.citations:
            if n not in used:
                used.append(n)
    renum = {old: new for new, old in enumerate(used, 1)}

    def _re(m: re.Match[str]) -> str:
        return f"[{renum[int(m.group(1))]}]" if int(m.group(1)) in renum else ""

    text = re.sub(r"\[(\d+)\]", _re, res.text)
    sentences = [AnswerSentence(text=re.sub(r"\[(\d+)\]", _re, s.text), citations=[renum[n] for n in s.citations])
                 for s in res.sentences]
    citations = [make_citation(res.hits[old - 1], new) for old, new in renum.items()]
    return Answer(text=text, sentences=sentences, citations=citations, warnings=warnings + ["由 LLM 生成，已校验引用"],
                  **base)
