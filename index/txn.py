"""File transactions of the document store: a journal, moves into the corpus, rollback, recovery.

A transaction is a list of :class:`Op` (put a staged file under a name in the corpus folder,
or take a file out of it); the file a put replaces, or a removal takes, is moved to the trash
(never deleted). The journal is written before the first move; the commit point is the index
save whose manifest records the transaction id (``manifest["store"]["txn"]``). So, after a
crash at any point, :func:`recover` either finds the index committed (the journal is dropped)
or not (every move is undone, ``sources.json`` is restored byte for byte).

>>> safe_name("扬州市科普方案.txt")
'扬州市科普方案.txt'
>>> safe_name(".隐藏的方案.txt")
'隐藏的方案-c5e928.txt'
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from index.fsutil import fsync_dir, sha256_file

PROCESS_START = time.time()  # orphan temp / old index folders older than this process are removed
META_DIR = ".policyqa"  # inside the corpus folder; hidden, so no sync ever reads it as a document


@dataclass(frozen=True)
class Op:
    """One file move: ``staged`` → ``corpus/name`` (a put) or ``corpus/name`` → trash (``staged`` is "")."""

    name: str
    staged: str = ""
    new_sha: str = ""
    backup: str = ""  # where the previous file goes ("" when there is none)
    old_sha: str = ""


def safe_name(name: str) -> str:
    """A stored file name that survives every sync: not hidden, valid UTF-8, printable.

    A changed name gets 6 hex digits of the original bytes so that two uploads never collide.
    """
    raw = os.fsencode(name)
    text = raw.decode("utf-8", "replace").replace("\ufffd", "_")
    text = "".join(ch if ch.isprintable() and ch not in "/\\" else "_" for ch in text).strip()
    text = text.lstrip(".").strip() or "upload"
    if text == name:
        return name
    stem, dot, suffix = text.rpartition(".")
    if not dot or not stem:
        stem, suffix = text, ""
    tag = hashlib.sha256(raw).hexdigest()[:6]
    return f"{stem}-{tag}.{suffix}" if suffix else f"{stem}-{tag}"


def display_name(name: str) -> str:
    """The original name as text (undecodable bytes shown as \\xNN)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file, fsync and rename (never a half-written file)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def read_text_or_none(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        return None


class Journal:
    """The transaction in progress, in ``<corpus>/.policyqa/journal.json``."""

    def __init__(self, corpus: Path) -> None:
        self.corpus = corpus
        self.meta = corpus / META_DIR
        self.path = self.meta / "journal.json"

    def begin(self, txn: str, ops: list[Op], sources_before: str | None, sources_after: str) -> dict[str, Any]:
        j = {"txn": txn, "ops": [asdict(o) for o in ops], "sources_before": sources_before,
             "sources_after": sources_after}
        write_atomic(self.path, json.dumps(j, ensure_ascii=False).encode("utf-8"))
        return j

    def read(self) -> dict[str, Any] | None:
        text = read_text_or_none(self.path)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:  # cannot happen with write_atomic; treat as no transaction
            return None

    def apply(self, j: dict[str, Any]) -> None:
        """Do the moves and write ``sources.json`` (the part before the index commit)."""
        for o in (Op(**d) for d in j["ops"]):
            dest = self.corpus / o.name
            if o.backup and dest.exists():
                Path(o.backup).parent.mkdir(parents=True, exist_ok=True)
                os.replace(dest, o.backup)
            if o.staged:
                os.replace(o.staged, dest)
        fsync_dir(self.corpus)
        write_atomic(self.meta / "sources.json", j["sources_after"].encode("utf-8"))

    def rollback(self, j: dict[str, Any]) -> None:
        """Undo :meth:`apply` wherever it stopped; the corpus and sources.json are as before."""
        for o in reversed([Op(**d) for d in j["ops"]]):
            dest = self.corpus / o.name
            if o.backup and Path(o.backup).exists():
                os.replace(o.backup, dest)
            elif not o.old_sha and o.staged and dest.exists() and sha256_file(dest) == o.new_sha:
                dest.unlink()
        fsync_dir(self.corpus)
        before = j.get("sources_before")
        if before is None:
            (self.meta / "sources.json").unlink(missing_ok=True)
        else:
            write_atomic(self.meta / "sources.json", before.encode("utf-8"))
        self.end(j)

    def end(self, j: dict[str, Any]) -> None:
        self.path.unlink(missing_ok=True)
        shutil.rmtree(self.meta / "staging" / j["txn"], ignore_errors=True)
        fsync_dir(self.meta)


def clean_orphans(directory: Path, before: float | None = None) -> list[Path]:
    """Remove ``.DIR.tmp-*`` / ``.DIR.old-*`` folders left by killed saves (older than this process).

    A folder whose writer (pid in its name) is still alive is kept; ``.old-*`` folders are kept
    while DIR itself is missing (``_resolve_dir`` recovers from them). Returns what was removed.
    """
    directory = Path(directory)
    before = PROCESS_START if before is None else before
    removed: list[Path] = []
    if not directory.parent.is_dir():
        return removed
    have_dir = (directory / "manifest.json").is_file()
    for p in directory.parent.glob(f".{directory.name}.*-*"):
        kind = p.name[len(directory.name) + 2:].split("-", 1)[0]
        if kind not in ("tmp", "old") or (kind == "old" and not have_dir):
            continue
        try:
            if p.stat().st_mtime >= before or _writer_alive(p.name):
                continue
            shutil.rmtree(p) if p.is_dir() else p.unlink()
            removed.append(p)
        except OSError:
            continue
    return removed


def _writer_alive(name: str) -> bool:
    parts = name.rsplit(".", 1)[-1].split("-")
    if len(parts) < 3 or not parts[1].isdigit() or int(parts[1]) == os.getpid():
        return False
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
