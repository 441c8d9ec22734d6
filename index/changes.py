"""What changed in a corpus folder since the index last saw it: file stats first, hashes only when needed.

``scan(corpus_dir, known)`` lists the corpus files (as ``index.store.corpus_files`` does:
recursive, hidden files and folders skipped), ``stat``s each one, and compares (size, mtime_ns)
with ``known`` (what the index manifest recorded under ``"sources"``). Only a file whose stats
differ is hashed (sha256): same hash → ``touched`` (content unchanged, new stats to record),
else ``modified``. Files not in ``known`` are hashed and ``added``; known files gone are
``deleted``. No file is parsed. Pure apart from reading the folder.

Example:
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "zj.txt").write_text("浙江省科学技术普及条例\\n第一条 为了实施科教兴省战略，制定本条例。", encoding="utf-8")
    >>> first = scan(d, {})
    >>> first.added, first.changed
    (('zj.txt',), True)
    >>> again = scan(d, first.stats)
    >>> again.changed, again.unchanged, again.hashed
    (False, ('zj.txt',), 0)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.fsutil import sha256_file


@dataclass(frozen=True)
class FileStat:
    """What the manifest records of one corpus file."""

    size: int
    mtime_ns: int
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FileStat:
        return cls(int(d["size"]), int(d["mtime_ns"]), str(d["sha256"]))


@dataclass(frozen=True)
class Changes:
    """Relative paths (POSIX, sorted) by what happened to them, and the stats of every current file."""

    added: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    touched: tuple[str, ...] = ()  # stats changed, content the same (nothing to re-index)
    unchanged: tuple[str, ...] = ()
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)  # rel path -> FileStat.to_dict()
    hashed: int = 0  # files whose content was read

    @property
    def changed(self) -> bool:
        """Does the index need new content (anything added, modified or deleted)?"""
        return bool(self.added or self.modified or self.deleted)

    def to_dict(self) -> dict[str, Any]:
        return {"added": list(self.added), "modified": list(self.modified), "deleted": list(self.deleted),
                "touched": list(self.touched), "unchanged": len(self.unchanged), "hashed": self.hashed}


def list_files(corpus_dir: Path) -> list[str]:
    """Relative POSIX paths of the corpus files (recursive; hidden files and folders skipped), sorted."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        from ingest.errors import CorpusError

        raise CorpusError(f"corpus directory {corpus_dir} does not exist; pass a directory of .txt/.docx/"
                          ".pdf/.html/.md policy documents",
                          zh=f"语料目录 {corpus_dir} 不存在：请指定存放政策文件（.txt .md .html .docx .pdf）的目录。")
    out: list[str] = []
    for root, dirs, files in os.walk(corpus_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_root = Path(root).relative_to(corpus_dir)
        out.extend((rel_root / f).as_posix() for f in files if not f.startswith("."))
    return sorted(out)


def scan(corpus_dir: Path | str, known: Mapping[str, Mapping[str, Any]],
         accept: Callable[[str], bool] | None = None) -> Changes:
    """Compare the corpus folder with ``known`` stats (see module docstring). ``accept`` may
    narrow the files considered (e.g. to the suffixes ingest reads)."""
    corpus_dir = Path(corpus_dir)
    added, modified, touched, unchanged = [], [], [], []
    stats: dict[str, dict[str, Any]] = {}
    hashed = 0
    for rel in list_files(corpus_dir):
        if accept is not None and not accept(rel):
            continue
        path = corpus_dir / rel
        try:
            st = path.stat()
        except OSError:  # vanished between listing and stat: treated as deleted
            continue
        old = known.get(rel)
        if old is not None and int(old.get("size", -1)) == st.st_size and int(old.get("mtime_ns", -1)) == st.st_mtime_ns:
            stats[rel] = dict(old)
            unchanged.append(rel)
            continue
        try:
            digest = sha256_file(path)
        except OSError:  # unreadable now: keep what was indexed (a deletion would lose it)
            if old is not None:
                stats[rel] = dict(old)
                unchanged.append(rel)
            continue
        hashed += 1
        stats[rel] = FileStat(st.st_size, st.st_mtime_ns, digest).to_dict()
        if old is None:
            added.append(rel)
        elif old.get("sha256") == digest:
            touched.append(rel)
        else:
            modified.append(rel)
    deleted = sorted(set(known) - set(stats))
    return Changes(tuple(added), tuple(modified), tuple(deleted), tuple(touched), tuple(unchanged), stats, hashed)


def refresh(corpus_dir: Path | str, stats: Mapping[str, Mapping[str, Any]], names: list[str]) -> dict[str, dict[str, Any]]:
    """``stats`` with the entries of ``names`` (relative paths) re-read from the folder: a file that
    exists gets its current size, mtime and hash, one that is gone is dropped (after a store's
    add / remove, so the next ``scan`` does not take the files it moved for changes)."""
    out = {k: dict(v) for k, v in stats.items()}
    for rel in names:
        path = Path(corpus_dir) / rel
        try:
            st = path.stat()
            out[rel] = FileStat(st.st_size, st.st_mtime_ns, sha256_file(path)).to_dict()
        except OSError:
            out.pop(rel, None)
    return out
