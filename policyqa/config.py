"""Configuration at the boundary: typed defaults, overridden by environment variables, then CLI flags.

This is the only module that reads the environment. It builds the stage configs
(``IngestConfig``, ``IndexConfig``, ``AnswerConfig``) and the heavy objects (embedder, index)
that the subcommands pass into the stages.

Environment variables (all optional):

=========================  =====================================================  ==========================
variable                   meaning                                                default
=========================  =====================================================  ==========================
POLICYQA_CORPUS            folder of documents                                     ``<repo>/data/corpus``
POLICYQA_INDEX             index folder                                            ``<cache>/index``
POLICYQA_CACHE             cache folder (models, index, tiktoken files)            user cache dir/policyqa
POLICYQA_MODEL             embedding model name or local sentence-transformers dir ``multilingual-e5-small``
POLICYQA_EMBED_BACKEND     ``onnx-fp32`` (onnxruntime, float32; no torch),         ``onnx-fp32``
                           ``onnx-int8`` (onnxruntime, int8; no torch) or
                           ``st-fp32`` (sentence-transformers + torch, float32)
POLICYQA_TOKENIZER         BM25 tokens: ``char`` (uni+bigrams) or ``jieba``         ``char``
POLICYQA_MAX_FILE_MB       refuse larger input files                               ``20``
POLICYQA_LLM_BASE_URL      OpenAI-compatible endpoint (vLLM, DeepSeek, Qwen,       (off: offline composer)
                           Ollama ``http://127.0.0.1:11434/v1``)
POLICYQA_LLM_MODEL         model name at that endpoint                             (off)
POLICYQA_LLM_API_KEY       API key for that endpoint                               (none)
POLICYQA_ADMIN_TOKEN       token the web app asks for before upload / remove       (none: anyone on the page)
POLICYQA_READ_ONLY         ``1``: the web app hides upload / remove                ``0``
POLICYQA_HOST              address ``policyqa chat`` listens on                    ``127.0.0.1``
POLICYQA_STORE             where chunk vectors + BM25 are searched: ``builtin``    ``builtin``
                           (FAISS + bm25s in the index folder), Milvus Lite
                           ``milvus:///path/x.db``, or a server ``http://host:19530``
POLICYQA_STORE_TOKEN       Milvus server token (``user:password``)                 (none)
POLICYQA_TODAY             the day statuses are judged on (YYYY-MM-DD):           the system date
                           现行有效 / 已被修订 / 尚未施行 / 规划期已结束 …
=========================  =====================================================  ==========================
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT / "data" / "corpus"
DEFAULT_MODEL = "multilingual-e5-small"
EMBED_BACKENDS = ("onnx-fp32", "onnx-int8", "st-fp32")  # index.model_files.BACKENDS (this module stays light)
# onnx-fp32: st-fp32's vectors (cosine >= 0.9999999 on the bundled corpus's 198 clauses and 222 gold
# questions) without torch, so the same R@5 on every gold set (policyqa eval --set all --threads 1) and
# the same indexes. Not onnx-int8: the rule is R@5 within 0.005 of st-fp32 on every gold set, and it is
# 0.020 below on laws2 and 0.012 below on fresh. Select the others with POLICYQA_EMBED_BACKEND / --embed-backend.
DEFAULT_EMBED_BACKEND = "onnx-fp32"


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("policyqa"))


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = DEFAULT_CORPUS
    index_dir: Path | None = None  # None → <cache_dir>/index
    cache_dir: Path | None = None  # None → user cache dir
    model: str = DEFAULT_MODEL
    embed_backend: str = DEFAULT_EMBED_BACKEND
    tokenizer: str = "char"
    max_file_mb: float = 20.0
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    admin_token: str = ""
    read_only: bool = False
    host: str = "127.0.0.1"
    store: str = ""  # "" / "builtin" | milvus:///path/x.db | http://host:19530 (index.backend_index)
    store_token: str = ""
    today: str = ""  # ISO date documents' status is judged on; "" → the system date (see ``today_iso``)

    @property
    def today_iso(self) -> str:
        from ingest.status import parse_today

        return parse_today(self.today)

    def __post_init__(self) -> None:
        if self.embed_backend not in EMBED_BACKENDS:
            raise ValueError(f"the embedding backend is {self.embed_backend!r}; expected one of "
                             f"{', '.join(EMBED_BACKENDS)} (POLICYQA_EMBED_BACKEND or --embed-backend)")

    @property
    def cache(self) -> Path:
        return self.cache_dir or default_cache_dir()

    @property
    def index(self) -> Path:
        return self.index_dir or self.cache / "index"


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    """Defaults overridden by ``POLICYQA_*`` variables (see the module docstring)."""
    env = os.environ if env is None else env
    s = Settings()
    path = lambda key: Path(env[key]).expanduser() if env.get(key) else None  # noqa: E731
    max_mb = env.get("POLICYQA_MAX_FILE_MB", "")
    try:
        max_file_mb = float(max_mb) if max_mb else s.max_file_mb
    except ValueError as exc:
        raise ValueError(f"POLICYQA_MAX_FILE_MB is {max_mb!r}; expected a number of megabytes, e.g. 50") from exc
    return replace(
        s,
        corpus_dir=path("POLICYQA_CORPUS") or s.corpus_dir,
        index_dir=path("POLICYQA_INDEX"),
        cache_dir=path("POLICYQA_CACHE"),
        model=env.get("POLICYQA_MODEL") or s.model,
        embed_backend=env.get("POLICYQA_EMBED_BACKEND") or s.embed_backend,
        tokenizer=env.get("POLICYQA_TOKENIZER") or s.tokenizer,
        max_file_mb=max_file_mb,
        llm_base_url=env.get("POLICYQA_LLM_BASE_URL", ""),
        llm_model=env.get("POLICYQA_LLM_MODEL", ""),
        llm_api_key=env.get("POLICYQA_LLM_API_KEY", ""),
        admin_token=env.get("POLICYQA_ADMIN_TOKEN", ""),
        read_only=env.get("POLICYQA_READ_ONLY", "").strip().lower() in ("1", "true", "yes", "on"),
        host=env.get("POLICYQA_HOST") or s.host,
        store=env.get("POLICYQA_STORE", ""),
        store_token=env.get("POLICYQA_STORE_TOKEN", ""),
        today=_checked_today(env.get("POLICYQA_TODAY", "")),
    )


def _checked_today(value: str) -> str:
    from ingest.status import parse_today

    if value:
        try:
            parse_today(value)
        except ValueError as exc:
            raise ValueError(f"POLICYQA_TODAY: {exc}") from exc
    return value


def add_common_arguments(p: argparse.ArgumentParser, corpus: bool = True, llm: bool = False) -> None:
    """The flags every index-using subcommand shares; unset flags fall back to env, then defaults."""
    if corpus:
        p.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                       help="folder of documents (default: $POLICYQA_CORPUS or the bundled data/corpus)")
    p.add_argument("--index", type=Path, default=None, metavar="DIR",
                   help="index folder (default: $POLICYQA_INDEX or <user cache>/policyqa/index)")
    p.add_argument("--model", default=None,
                   help="embedding model: multilingual-e5-small (default) or a local sentence-transformers folder")
    p.add_argument("--store", default=None, metavar="URI",
                   help="chunk store: builtin (default, FAISS + BM25 in the index folder), milvus:///path/x.db "
                        "(Milvus Lite file) or http://host:19530 (Milvus server); default $POLICYQA_STORE")
    add_backend_argument(p)
    p.add_argument("--today", default=None, metavar="YYYY-MM-DD",
                   help="judge document status (现行有效/已被修订/规划期已结束…) and 今年/目前 on this day "
                        "(default: $POLICYQA_TODAY or the system date)")
    if llm:
        p.add_argument("--llm-base-url", default=None,
                       help="optional OpenAI-compatible endpoint (vLLM, DeepSeek, Qwen, Ollama /v1)")
        p.add_argument("--llm-model", default=None, help="model name at that endpoint")


def add_backend_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--embed-backend", choices=EMBED_BACKENDS, default=None,
                   help="how the embedding model runs: onnx-fp32 (onnxruntime, float32, no torch), onnx-int8 "
                        "(onnxruntime, int8 weights, no torch) or st-fp32 (sentence-transformers, float32); default "
                        f"$POLICYQA_EMBED_BACKEND or {DEFAULT_EMBED_BACKEND}. onnx-fp32 and st-fp32 make the same "
                        "vectors and read each other's indexes; an onnx-int8 index is read only with onnx-int8")


def settings_from_args(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Settings:
    """Env-derived settings with the CLI flags that were given applied on top."""
    s = settings_from_env(env)
    overrides: dict[str, Any] = {}
    for flag, field_name in (("corpus", "corpus_dir"), ("index", "index_dir"), ("model", "model"),
                             ("embed_backend", "embed_backend"),
                             ("tokenizer", "tokenizer"), ("max_file_mb", "max_file_mb"),
                             ("llm_base_url", "llm_base_url"), ("llm_model", "llm_model"), ("today", "today"),
                             ("host", "host"), ("store", "store")):
        value = getattr(args, flag, None)
        if value is not None:
            overrides[field_name] = _checked_today(value) if field_name == "today" else value
    if getattr(args, "read_only", False):
        overrides["read_only"] = True
    return replace(s, **overrides)


def ingest_config(s: Settings) -> Any:
    from ingest.config import IngestConfig

    return IngestConfig(max_file_mb=s.max_file_mb)


def index_config(s: Settings) -> Any:
    from index.config import IndexConfig

    return IndexConfig(model=s.model, tokenizer=s.tokenizer)


def answer_config(s: Settings) -> Any:
    from chatbot.config import AnswerConfig

    return AnswerConfig(llm_base_url=s.llm_base_url, llm_model=s.llm_model, llm_api_key=s.llm_api_key,
                        today=s.today_iso)


def load_embedder(s: Settings, progress: bool = True, threads: int = 0, queries_only: bool = False) -> Any:
    """The embedding model of ``s`` (``model`` run by ``embed_backend``; an ``@backend`` suffix on
    the model name wins), from ``<cache>/models/``. ``st-fp32`` imports torch; the ONNX backends do not.
    ``queries_only``: the process encodes a question or two (``ask``, ``search``), so onnxruntime's
    idle threads do not busy-wait and its weights are not packed at load
    (``index.onnx_embed.load_onnx_embedder``)."""
    from index.models import load_embedder as _load

    cache = None
    if s.model.split("@")[0] == DEFAULT_MODEL:
        cache = s.cache / "models" / DEFAULT_MODEL
    return _load(s.model, cache_dir=cache, progress=progress, backend=s.embed_backend, threads=threads,
                 spinning=not queries_only, prepack=not queries_only)


def open_store(s: Settings, progress: bool = True, embedder: Any = None) -> Any:
    """The document store (``index.docstore.DocStore``) over ``s.corpus_dir`` and ``s.index``."""
    from index.docstore import DocStore

    embedder = embedder or load_embedder(s, progress=progress)
    return DocStore(s.corpus_dir, s.index, embedder, ingest_config(s), index_config(s), progress=progress,
                    index_cls=index_class(s, embedder))


def read_index(s: Settings, progress: bool = False, embedder: Any = None) -> Any:
    """The saved index, unchanged (``ask`` / ``search`` / ``chat`` never sync). When there is none,
    or it is corrupt, it is built once from ``s.corpus_dir``, saying so on stderr (progress bars of
    that build only when stderr is a terminal: a script's captured stderr gets the notices alone)."""
    store = open_store(s, progress=progress, embedder=embedder)
    store.progress = progress or sys.stderr.isatty()
    store.say_notices = True  # the notices (first build, corrupt index) always go to stderr
    return store.open()


def index_class(s: Settings, embedder: Any) -> Any:
    """The index class of the configured store (``ClauseIndex``, or one bound to an opened Milvus)."""
    from index.backend_index import store_class

    return store_class(s.store, embedder, index_config(s), token=s.store_token)


def open_index(s: Settings, progress: bool = True, embedder: Any = None) -> Any:
    """Embedder + the persisted index for ``s.corpus_dir``, built or incrementally updated on first use
    (a full sync that drops documents whose files are gone: for eval / scripts, not the reading commands)."""
    from index.store import open_or_build

    embedder = embedder or load_embedder(s, progress=progress)
    return open_or_build(s.corpus_dir, s.index, embedder, ingest_config(s), index_config(s), progress=progress,
                         index_cls=index_class(s, embedder))
