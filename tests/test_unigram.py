"""index.unigram: the fast-loading query tokenizer gives exactly the full XLM-R tokenizer's ids.

Uses the real ``tokenizer.json`` of multilingual-e5-small (a file of an installed package; no
model weights), the bundled corpus, the test fixtures and the gold questions as texts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index.model_files import tokenizer_source
from index.unigram import UnigramTokenizer, write_vocab_cache

ROOT = Path(__file__).resolve().parents[1]
EDGE_CASES = [
    "", " ", "  两个  空格  ", "\t科普\n\n日 ", "Ｆｕｌｌ　ｗｉｄｔｈ　１２３", "emoji 😀🧪 科普", "\ue000\ue001 私用区字符",
    "A\u0301 combining", "……——「」『』《》〔〕", "mixed English and 中文 text, 2025年9月", "tabs\tand\rreturns",
    "ǅ ﬁ ℃ ㎡ ①②③", "第十二条　县级以上人民政府应当将科普经费列入同级财政预算。", "扬府办发〔2022〕37号",
]


def _texts() -> list[str]:
    texts: list[str] = []
    for path in sorted([*(ROOT / "data" / "corpus").rglob("*"), *(ROOT / "tests" / "fixtures").rglob("*")]):
        if path.suffix in (".md", ".txt"):
            try:
                body = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:  # the GBK / broken-encoding fixtures
                continue
            texts += [s for s in re.split(r"(?<=[。；\n])", body) if s.strip()]
    for gold in sorted((ROOT / "eval").glob("*.jsonl")):
        texts += [json.loads(line)["question"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys(texts))


@pytest.fixture(scope="module")
def tokenizers(tmp_path_factory: pytest.TempPathFactory):
    from tokenizers import Tokenizer

    source = tokenizer_source()
    cache = tmp_path_factory.mktemp("unigram") / "tokenizer.unigram.bin"
    write_vocab_cache(source, cache, "sha-of-source")
    full = Tokenizer.from_file(str(source))
    full.no_padding()
    full.enable_truncation(max_length=512)
    return full, UnigramTokenizer.load(cache, "sha-of-source"), cache


def test_ids_equal_the_full_tokenizer_on_2000_texts(tokenizers) -> None:
    full, fast, _ = tokenizers
    texts = _texts()
    assert len(texts) >= 2000
    covered = 0
    for text in [*texts, *EDGE_CASES]:
        for prompted in ("query: " + text, "passage: " + text):
            ids = fast.encode(prompted)
            if ids is not None:
                covered += 1
                assert ids == full.encode(prompted).ids, prompted[:80]
    assert covered >= 2 * len(texts) - 20  # only over-long texts fall back


def test_special_tokens_in_the_text_and_over_long_texts_fall_back(tokenizers) -> None:
    _, fast, _ = tokenizers
    assert fast.encode("query: 什么是</s>科普") is None
    assert fast.encode("科" * 600) is None
    assert fast.encode("query: 科普")[0] == 0 and fast.encode("query: 科普")[-1] == 2


def test_cache_of_another_source_or_truncated_is_refused(tokenizers, tmp_path: Path) -> None:
    _, _, cache = tokenizers
    with pytest.raises(ValueError, match="another tokenizer.json"):
        UnigramTokenizer.load(cache, "some-other-sha")
    cut = tmp_path / "cut.bin"
    cut.write_bytes(cache.read_bytes()[:-100])
    with pytest.raises(ValueError, match="bytes, expected"):
        UnigramTokenizer.load(cut)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"no header here")
    with pytest.raises(ValueError, match="not a tokenizer cache"):
        UnigramTokenizer.load(junk)


def test_a_non_unigram_tokenizer_is_refused(tmp_path: Path) -> None:
    wordpiece = tmp_path / "tokenizer.json"
    wordpiece.write_text(json.dumps({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}}), "utf-8")
    with pytest.raises(ValueError, match="expected a Unigram tokenizer.json, found model type 'WordPiece'"):
        write_vocab_cache(wordpiece, tmp_path / "out.bin", "x")
