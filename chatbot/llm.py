"""Optional LLM backend (LangChain chat models) and the check of what the model wrote.

``make_chat_model(config)`` builds ``langchain_openai.ChatOpenAI`` for any OpenAI-compatible
endpoint (vLLM, DeepSeek, Qwen/DashScope compatible mode, Ollama's ``/v1``) when
``config.llm_base_url`` and ``config.llm_model`` are set; otherwise ``None`` and the offline
composer answers. Any LangChain chat model can be passed instead (tests use
``FakeListChatModel``).

The model sees the clauses numbered [1]..[n]; its output is checked by
``check_llm_output``: markers to clauses that were not provided are removed and flagged,
sentences without a citation are flagged (and dropped from the answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chatbot.cite import citation_label, number_hits  # number_hits re-exported
from chatbot.config import AnswerConfig
from chatbot.types import AnswerSentence
from index.types import Hit

MARKER = re.compile(r"[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]")
END = "。！？!?"
REFUSAL_WORDS = re.compile(r"没有找到|未找到|没有相关|未涉及|没有涉及|没有规定|未作规定|无法回答|不能回答")


def prompts_dir(config: AnswerConfig) -> Path:
    if config.prompts_dir is not None:
        return Path(config.prompts_dir)
    import prompts

    return Path(prompts.__file__).resolve().parent


def load_prompt(name: str, config: AnswerConfig) -> str:
    return (prompts_dir(config) / name).read_text(encoding="utf-8")


def make_chat_model(config: AnswerConfig) -> Any | None:
    """A LangChain chat model for the configured endpoint, or None when no LLM is configured."""
    if not config.llm_enabled:
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=config.llm_base_url,
        api_key=config.llm_api_key or "EMPTY",
        model=config.llm_model,
        temperature=config.llm_temperature,
        timeout=config.llm_timeout,
        max_retries=1,
    )


def format_clauses(hits: list[Hit]) -> str:
    """The numbered clause block of the prompt.

    Each line: ``[n] 《title》（文号）section path（issuer，date）`` then the clause text.
    """
    blocks = []
    for i, h in enumerate(hits, 1):
        m = h.meta
        info = "，".join(x for x in ("、".join(m.issuers), m.date) if x)
        head = f"[{i}] {citation_label(m.title, m.doc_number, h.clause.section_path, m.source)}"
        if info:
            head += f"（{info}）"
        blocks.append(head + "\n" + re.sub(r"\s*\n\s*", "", h.clause.text))
    return "\n\n".join(blocks)


def build_messages(question: str, hits: list[Hit], config: AnswerConfig) -> list[Any]:
    """System + user messages from ``prompts/answer_system.txt`` and ``prompts/answer_user.txt``."""
    from langchain_core.prompts import ChatPromptTemplate

    template = ChatPromptTemplate.from_messages(
        [
            ("system", load_prompt("answer_system.txt", config)),
            ("human", load_prompt("answer_user.txt", config)),
        ],
        template_format="f-string",
    )
    # values are substituted, not parsed: braces inside clause text are safe
    return template.format_messages(question=question, clauses=format_clauses(hits))


def _split_llm_sentences(text: str) -> list[str]:
    """Split at 。！？ and line breaks; markers right after the end mark stay with that sentence."""
    out: list[str] = []
    i, n = 0, len(text)
    buf = ""
    while i < n:
        ch = text[i]
        if ch == "\n":
            if buf.strip():
                out.append(buf.strip())
            buf = ""
            i += 1
            continue
        buf += ch
        i += 1
        if ch in END:
            while True:
                m = MARKER.match(text, i)
                if not m:
                    break
                buf += m.group(0)
                i = m.end()
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def check_llm_output(text: str, n_provided: int) -> tuple[str, list[AnswerSentence], list[str]]:
    """Validate the citations of an LLM answer.

    Returns the cleaned text, its sentences with their (valid) citation numbers, and warnings:
    markers pointing to clauses that were not provided are removed and flagged; sentences
    without any valid citation are flagged and left out of the sentences / cleaned text.

    >>> clean, sents, warns = check_llm_output("到2025年达到16%[1]。另有规定[7]。", 3)
    >>> clean
    '到2025年达到16%[1]。'
    >>> [s.citations for s in sents]
    [[1]]
    >>> warns
    ['引用了未提供的条款 [7]，已删除', '未标注来源的句子已删除：另有规定。']
    """
    warnings: list[str] = []
    sentences: list[AnswerSentence] = []
    kept_lines: list[str] = []
    for line in text.strip().splitlines():
        kept: list[str] = []
        for raw in _split_llm_sentences(line):
            cites: list[int] = []
            bad: list[int] = []

            def _fix(m: re.Match[str], cites: list[int] = cites, bad: list[int] = bad) -> str:
                nums = [int(x) for x in re.split(r"\s*[,，、]\s*", m.group(1))]
                good = [x for x in nums if 1 <= x <= n_provided]
                bad.extend(x for x in nums if not 1 <= x <= n_provided)
                for x in good:
                    if x not in cites:
                        cites.append(x)
                return "".join(f"[{x}]" for x in good)

            fixed = MARKER.sub(_fix, raw).strip()
            if bad:
                warnings.append("引用了未提供的条款 " + "".join(f"[{x}]" for x in bad) + "，已删除")
            bare = MARKER.sub("", fixed).strip()
            if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", bare):
                continue
            if not cites:
                warnings.append(f"未标注来源的句子已删除：{bare}")
                continue
            sentences.append(AnswerSentence(text=fixed, citations=cites))
            kept.append(fixed)
        if kept:
            kept_lines.append("".join(kept))
    return "\n".join(kept_lines), sentences, warnings


@dataclass
class LLMResult:
    text: str = ""
    sentences: list[AnswerSentence] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)  # the numbered clauses, [1] = hits[0]
    warnings: list[str] = field(default_factory=list)
    refused: bool = False
    failed: bool = False  # error or nothing cited: the caller falls back to the composer


def llm_answer(question: str, hits: list[Hit], llm: Any, config: AnswerConfig) -> LLMResult:
    """Ask the chat model, then check its citations against the clauses it was given."""
    numbered = number_hits(hits, config.llm_max_clauses)
    res = LLMResult(hits=numbered)
    if not numbered:
        res.failed = True
        return res
    try:
        reply = llm.invoke(build_messages(question, numbered, config))
    except Exception as exc:  # network, auth, endpoint errors: reported, composer answers instead
        res.failed = True
        res.warnings.append(f"LLM 调用失败（{type(exc).__name__}: {exc}），改用离线组句回答")
        return res
    content = getattr(reply, "content", reply)
    if isinstance(content, list):
        content = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    text = str(content).strip()
    clean, sents, warns = check_llm_output(text, len(numbered))
    res.warnings.extend(warns)
    if not sents:
        if REFUSAL_WORDS.search(text) and not MARKER.search(text):
            res.refused = True
            res.text = MARKER.sub("", text).strip().splitlines()[0] if text else ""
            return res
        res.failed = True
        res.warnings.append("LLM 回答没有任何有效引用，改用离线组句回答")
        return res
    res.text, res.sentences = clean, sents
    return res
