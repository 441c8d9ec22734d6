"""Configuration of the answering stage (``AnswerConfig``): thresholds, sizes, optional LLM.

Only ``policyqa/config.py`` builds it from flags / environment; the stage itself never reads
the environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class AnswerConfig:
    # retrieval
    k: int = 10  # hits kept from index.search (Answer.retrieved holds at least these)
    k_per_doc: int = 4  # hits per document for comparison / precedent questions
    compare_pool: int = 10  # per-document candidates a comparison chooses each line from (then k_per_doc kept)
    candidate_hits: int = 6  # top hits whose sentences compete for a fact / number answer
    # composing
    max_answer_chars: int = 300  # a single-document answer stays about this short
    max_sentences: int = 3
    second_sentence_ratio: float = 0.75  # extra sentences must score >= ratio * best
    max_precedent_chars: int = 900  # verbatim clause text per document (precedent questions)
    # refusal
    min_overlap: float = 0.26  # weighted share of the question's content bigrams the best sentence covers
    min_overlap_scoped: float = 0.22  # same, when the question names a region / document in the corpus
    related_k: int = 3  # nearest clauses listed (as related, not as the answer) when refusing
    # optional LLM backend (OpenAI-compatible endpoint: vLLM, DeepSeek, Qwen, Ollama /v1)
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""  # passed in by the caller; "" → "EMPTY" for endpoints that need none
    llm_temperature: float = 0.0
    llm_timeout: float = 60.0
    llm_max_clauses: int = 8  # numbered clauses [1]..[n] shown to the LLM
    prompts_dir: Path | None = None  # default: the bundled prompts/ package
    # time: the day document status (现行有效 / 已被修订 / 规划期已结束 …) and 目前/今年 are judged on.
    # "" → no status judgement against a date (policyqa.config passes POLICYQA_TODAY or the system date)
    today: str = ""
    prefer_in_force: bool = True  # answer from the version in force; earlier versions only when asked

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)
