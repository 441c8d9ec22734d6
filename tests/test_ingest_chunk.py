"""Chunks: one per clause, long clauses split at sentence ends within the tiktoken budget, embed text
carries the title and heading chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunk import default_counter, make_chunks, split_text
from ingest.config import IngestConfig
from ingest.pipeline import ingest_paths
from ingest.types import Clause, DocMeta, Document

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"

LONG = ("1. 加强校内青少年科学教育。" + "将落实立德树人、弘扬科学精神贯穿于中小学校育人全链条。" * 12
        + "（责任单位：市教育局；配合单位：市科协、团市委）")


def _doc(text: str, headings=("三、提升行动", "（一）青少年科学素质提升行动")) -> Document:
    c = Clause("yz#0/三、（一）1.", "yz#0", "yz.txt", "三、（一）1.", list(headings), text)
    return Document(DocMeta("yz#0", "yz.txt", title="扬州市全民科学素质行动实施方案"), [c])


def test_short_clause_is_one_chunk_with_title_and_headings():
    [ch] = make_chunks(_doc("1. 加强校内青少年科学教育。"), IngestConfig(), count_tokens=len)
    assert ch.chunk_id == ch.clause_id == "yz#0/三、（一）1." and ch.part == 0
    assert ch.embed_text == ("《扬州市全民科学素质行动实施方案》 三、提升行动 （一）青少年科学素质提升行动\n"
                             "1. 加强校内青少年科学教育。")


def test_long_clause_split_at_sentence_ends_within_budget():
    cfg = IngestConfig(max_chunk_tokens=120)
    chunks = make_chunks(_doc(LONG), cfg, count_tokens=len)
    assert len(chunks) >= 3
    assert [c.chunk_id for c in chunks] == [f"yz#0/三、（一）1.~{i}" for i in range(len(chunks))]
    assert "".join(c.text for c in chunks) == LONG
    assert all(len(c.text) <= 120 for c in chunks)
    assert all(c.text.endswith(("。", "）")) for c in chunks)
    assert chunks[-1].text.endswith("（责任单位：市教育局；配合单位：市科协、团市委）")  # the unit group is never cut
    assert all(c.embed_text.startswith("《扬州市全民科学素质行动实施方案》 三、提升行动") for c in chunks)


def test_small_tail_is_rebalanced_with_the_part_before_it():
    parts = split_text("甲乙丙丁。" * 21 + "（责任单位：县科协）", 100, len)
    assert len(parts) == 2 and all(len(p) >= 40 for p in parts)
    assert parts[1].endswith("。（责任单位：县科协）")


def test_text_without_punctuation_is_cut_by_characters():
    parts = split_text("科" * 250, 100, len)
    assert [len(p) for p in parts] == [100, 100, 50]


@pytest.fixture(scope="module")
def corpus_docs():
    return ingest_paths([CORPUS], IngestConfig(), progress=False).documents


def test_corpus_chunks_fit_the_tiktoken_budget(corpus_docs):
    cfg = IngestConfig()
    count = default_counter(cfg)
    n_clauses = n_chunks = 0
    for d in corpus_docs:
        chunks = make_chunks(d, cfg)
        n_clauses += len(d.clauses)
        n_chunks += len(chunks)
        assert {c.clause_id for c in chunks} == {c.clause_id for c in d.clauses}
        assert all(count(c.text) <= cfg.max_chunk_tokens for c in chunks)
        assert all(c.embed_text.startswith(f"《{d.meta.title}》") for c in chunks)
    assert n_clauses <= n_chunks <= n_clauses * 1.2  # one clause per chunk, except the few long ones
