"""File helpers shared by the index's persistence, the document store, the change check and the
model cache: a streaming SHA-256 and a directory fsync (what makes a rename durable).

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "一、总体要求.txt"
>>> _ = p.write_text("到2025年，公民具备科学素质的比例超过15%。", encoding="utf-8")
>>> len(sha256_file(p)), fsync_dir(p.parent)
(64, None)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fsync_dir(path: Path) -> None:
    """fsync a directory so the renames inside it survive a power loss (a no-op where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
