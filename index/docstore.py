"""The document store: a corpus folder and its saved index, changed only by transactions.

One code path for the app and the CLI (``policyqa add / remove / docs / index``). Every change
is staged, validated, then swapped in; any failure (a file that does not parse, a full disk,
a kill -9) leaves the previous state — source files, ``sources.json`` and the saved index —
exactly as it was (see ``index.txn``).

Layout::

    <corpus>/<name>                     the sources (what a sync reads)
    <corpus>/.policyqa/sources.json     stored name → {"original": name as uploaded, "sha256"}
    <corpus>/.policyqa/trash/           every replaced or removed source, "<txn>--<name>"
    <corpus>/.policyqa/staging/<txn>/   uploads being validated
    <corpus>/.policyqa/journal.json     the transaction in progress (absent otherwise)
    <corpus>/.policyqa/lock             one writer at a time (threads and processes)

Uploads named with a leading dot or with bytes that are not UTF-8 are stored under a safe name
(``index.txn.safe_name``); the original name is kept in ``sources.json``.

The new index is built on a copy (``ClauseIndex.staged``) while the current one keeps
answering; ``on_commit(new_index)`` is called once the change is on disk, to swap it in.

Example:
    >>> store = DocStore(corpus, index_dir, HashEmbedder())  # doctest: +SKIP
    >>> store.add([Path("扬州市科普方案.txt")]).ok  # doctest: +SKIP
    True
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.changes import refresh
from index.store import ClauseIndex, corpus_files, default_chunk_fn
from index.sync import add_staged, sync_staged
from index.txn import META_DIR, Journal, Op, display_name, read_text_or_none, safe_name, sha256_file
from index.types import Embedder, IndexCorrupt, IndexError_, IndexMissing
from ingest.errors import CorpusError, PolicyQAError, UsageError
from ingest.types import Document, IngestError

IngestOne = Callable[[Path, str], list[Document]]  # (file, doc-id stem) -> documents; raises IngestError


class StoreError(PolicyQAError):
    """A change could not be written; it was rolled back and nothing was lost."""

    exit_code = 7
    kind = "写入失败（已恢复原状）"


@dataclass
class FileResult:
    """What happened to one file: ``ok``, the documents it holds, or the error (Chinese + English)."""

    file: str
    ok: bool
    doc_ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    clauses: int = 0
    error: str = ""  # Chinese, for users
    detail: str = ""  # English, for the log
    stored_as: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Report:
    """Per-file results and the index counts after the change."""

    files: list[FileResult] = field(default_factory=list)
    documents: int = 0
    changed: bool = False
    kept_missing: list[str] = field(default_factory=list)  # sync: indexed, file gone, kept (no --prune)
    update: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)


def doc_rows(index: Any, sources: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row per indexed document (the ``policyqa docs --json`` fields)."""
    sources = sources or {}
    rows = []
    for d, m in sorted(index.metas.items()):
        rows.append({"id": d, "title": m.title, "doc_number": m.doc_number, "issuers": list(m.issuers),
                     "date": m.date, "region": m.region, "clauses": len(index.doc_clauses(d)),
                     "source": m.source, "original_name": sources.get(m.source, {}).get("original", m.source)})
    return rows


class DocStore:
    """A corpus folder + its index directory; the only writer of both."""

    def __init__(self, corpus: Path | str, index_dir: Path | str, embedder: Embedder, ingest_config: Any = None,
                 index_config: Any = None, ingest_one: IngestOne | None = None, progress: bool = False,
                 index_cls: type[ClauseIndex] = ClauseIndex) -> None:
        self.corpus = Path(corpus)
        self.index_cls = index_cls  # ClauseIndex, or one bound to a Milvus backend (index.backend_index)
        self.index_dir = Path(index_dir)
        self.embedder = embedder
        self.index_config = index_config
        if ingest_config is None:
            from ingest.config import IngestConfig

            ingest_config = IngestConfig()
        self.ingest_config = ingest_config
        self._ingest_one = ingest_one
        self.progress = progress
        self.index: ClauseIndex | None = None
        self.journal = Journal(self.corpus)
        self._mutex = threading.RLock()
        self.notices: list[str] = []  # Chinese lines said on stderr (corrupt index, first build …)
        self.say_notices = progress  # say them on stderr (also when progress bars are off)

    # ------------------------------------------------------------------ helpers
    def _say(self, zh: str) -> None:
        self.notices.append(zh)
        if self.say_notices:
            print(zh, file=sys.stderr, flush=True)

    def ingest_one(self, path: Path, stem: str) -> list[Document]:
        if self._ingest_one is not None:
            return self._ingest_one(path, stem)
        from ingest.pipeline import ingest_file

        return ingest_file(path, self.ingest_config, stem=stem)

    @property
    def sources(self) -> dict[str, Any]:
        text = read_text_or_none(self.corpus / META_DIR / "sources.json")
        return json.loads(text) if text else {}

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._mutex:
            (self.corpus / META_DIR).mkdir(parents=True, exist_ok=True)
            with open(self.corpus / META_DIR / "lock", "a") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                try:
                    self._recover()
                    yield
                finally:
                    fcntl.flock(f, fcntl.LOCK_UN)

    def _recover(self) -> None:
        j = self.journal.read()
        if j is None:
            return
        if self._disk_txn() == j["txn"]:
            self.journal.end(j)  # the index was committed: the moves before it are complete
        else:
            self.journal.rollback(j)

    def _disk_txn(self) -> str | None:
        try:
            man = json.loads((self.index_dir / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return (man.get("store") or {}).get("txn") if isinstance(man, dict) else None

    def _chunk_fn(self) -> Any:
        return default_chunk_fn(self.ingest_config)

    def _load(self) -> ClauseIndex:
        return self.index_cls.load(self.index_dir, self.embedder, self.index_config, self._chunk_fn())

    def _current(self) -> ClauseIndex:
        """The index as on disk (reloaded when another process committed since), or an empty one."""
        if self.index is not None and (self.index.store_state or {}).get("txn") == self._disk_txn() \
                and self.index_dir.exists():
            return self.index
        try:
            self.index = self._load()
        except IndexMissing:
            self.index = self.index_cls(self.embedder, self.index_config, self._chunk_fn())
        except IndexCorrupt as e:
            self._say(f"{e.zh.split('。')[0]}。将从语料目录 {self.corpus} 重建索引。")
            self.index = self.index_cls(self.embedder, self.index_config, self._chunk_fn())
        return self.index

    # ------------------------------------------------------------------ reading
    def open(self) -> ClauseIndex:
        """The saved index as it is; when there is none (or it is corrupt) build it once from the corpus.

        A transaction interrupted by a crash is finished or undone first (``index.txn``)."""
        if self.journal.path.exists():
            with self._locked():
                pass
        try:
            self.index = self._load()
            return self.index
        except IndexMissing:
            self._say(f"没有找到索引 {self.index_dir}，正在从语料目录 {self.corpus} 建立（仅此一次）……")
        except IndexCorrupt as e:
            self._say(f"{e.zh.split('。')[0]}。正在从语料目录 {self.corpus} 重建……")
        report = self.sync(prune=False)
        for f in report.files:
            if not f.ok:
                self._say(f.error)
        assert self.index is not None
        return self.index

    def docs(self) -> list[dict[str, Any]]:
        idx = self.index if self.index is not None else self._load()
        return doc_rows(idx, self.sources)

    def resolve(self, ref: str) -> str:
        """The stored source name of a document given by id, file name or original name."""
        idx = self.index if self.index is not None else self._load()
        sources = self.sources
        for d, m in idx.metas.items():
            if ref in (d, m.source, sources.get(m.source, {}).get("original")):
                return m.source
        listing = "、".join(sorted(idx.metas)) or "（空）"
        raise UsageError(f"no indexed document is {ref!r}; the index holds {listing}",
                         zh=f"索引中没有文件“{ref}”。请用 `policyqa docs` 查看已索引文件的 id 或文件名。")

    # ------------------------------------------------------------------ writing
    def add(self, paths: Sequence[Path | str], on_commit: Callable[[ClauseIndex], None] | None = None,
            names: Sequence[str] | None = None) -> Report:
        """Add or replace files (a file replaces the indexed one of the same stored name)."""
        report = Report()
        paths = [Path(p) for p in paths]
        names = list(names) if names is not None else [p.name for p in paths]
        with self._locked():
            base = self._current()
            txn = f"{time.time_ns()}-{os.getpid()}"
            staging = self.corpus / META_DIR / "staging" / txn
            staging.mkdir(parents=True, exist_ok=True)
            try:
                docs, ops, sources = self._stage(paths, names, base, staging, txn, report)
                if not docs:
                    report.documents = len(base.metas)
                    return report
                new = base.staged()
                report.update = add_staged(new, docs, self.progress)
                self._commit(txn, ops, sources, new, report, on_commit)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        return report

    def _stage(self, paths: list[Path], names: list[str], base: ClauseIndex, staging: Path, txn: str,
               report: Report) -> tuple[list[Document], list[Op], dict[str, Any]]:
        docs: list[Document] = []
        ops: list[Op] = []
        sources = self.sources
        stems = {m.source: d.rsplit("#", 1)[0] for d, m in base.metas.items()}
        for path, original in zip(paths, names, strict=True):
            stored = safe_name(original)
            res = FileResult(file=display_name(original), ok=False, stored_as=stored)
            report.files.append(res)
            try:
                if any(o.name == stored for o in ops):
                    raise IngestError(path, "is given twice in one batch", "add it once")
                staged = staging / stored
                shutil.copyfile(path, staged)
                stem = stems.get(stored) or self._free_stem(stored, stems)
                got = self.ingest_one(staged, stem)
            except IngestError as e:
                res.error, res.detail = e.zh.replace(Path(e.path).name, res.file, 1), str(e)
                continue
            except OSError as e:
                res.error = f"文件“{res.file}”无法读取（{e.strerror or e}）。请检查文件路径和权限。"
                res.detail = f"{path}: {e}"
                continue
            dest = self.corpus / stored
            old_sha = sha256_file(dest) if dest.is_file() else ""
            backup = str(self.corpus / META_DIR / "trash" / f"{txn}--{stored}") if old_sha else ""
            ops.append(Op(stored, str(staged), sha256_file(staged), backup, old_sha))
            stems[stored] = stem
            sources[stored] = {"original": display_name(original), "sha256": ops[-1].new_sha}
            docs.extend(got)
            res.ok, res.doc_ids = True, [d.meta.doc_id for d in got]
            res.titles, res.clauses = [d.meta.title for d in got], sum(len(d.clauses) for d in got)
        return docs, ops, sources

    @staticmethod
    def _free_stem(name: str, stems: dict[str, str]) -> str:
        stem = Path(name).stem
        return stem if stem not in stems.values() else name

    def remove(self, ref: str, on_commit: Callable[[ClauseIndex], None] | None = None) -> Report:
        """Remove a source file (all its documents) from the corpus and the index; the file goes to trash."""
        report = Report()
        with self._locked():
            base = self._current()
            stored = self.resolve(ref)
            ids = [d for d, m in base.metas.items() if m.source == stored]
            txn = f"{time.time_ns()}-{os.getpid()}"
            dest = self.corpus / stored
            ops = []
            if dest.is_file():
                ops.append(Op(stored, backup=str(self.corpus / META_DIR / "trash" / f"{txn}--{stored}"),
                              old_sha=sha256_file(dest)))
            sources = self.sources
            original = sources.pop(stored, {}).get("original", stored)
            report.files.append(FileResult(file=original, ok=True, doc_ids=ids, stored_as=stored,
                                           titles=[base.metas[d].title for d in ids],
                                           clauses=sum(len(base.doc_clauses(d)) for d in ids)))
            new = base.staged()
            report.update = new.remove(ids)
            self._commit(txn, ops, sources, new, report, on_commit)
        return report

    def sync(self, prune: bool = False, on_commit: Callable[[ClauseIndex], None] | None = None) -> Report:
        """Index what the corpus folder holds. Documents whose file is gone are kept unless ``prune``;
        a file that fails to parse keeps its indexed version. An empty or missing folder is an error.
        Only files whose stats and hash changed are parsed (``index.sync.sync_staged``)."""
        from ingest.pipeline import expand_paths

        if not self.corpus.is_dir():
            corpus_files(self.corpus)  # a missing folder is a CorpusError
        files = expand_paths([self.corpus], self.ingest_config)[0]
        if not files:
            raise CorpusError(f"corpus directory {self.corpus} holds no document to index",
                              zh=f"语料目录 {self.corpus} 中没有可索引的文件（.txt .md .html .docx .pdf）："
                                 "请检查目录是否正确。现有索引未改动。")
        report = Report()
        with self._locked():
            base = self._current()
            new = sync_staged(base, self.corpus, files, prune, self, report)
            u = report.update
            if u["added"] or u["changed"] or u["removed"] or new.dirty or not self.index_dir.exists() \
                    or new.sources != base.sources:
                txn = f"{time.time_ns()}-{os.getpid()}"
                self._commit(txn, [], self.sources, new, report, on_commit)
            else:
                self.index = new
                report.documents = len(new.metas)
        return report

    def compact(self, on_commit: Callable[[ClauseIndex], None] | None = None) -> Report:
        """Rewrite the saved index as one base: segments merged, tombstones applied, BM25 refit when
        rows were added or removed since its last fit (``policyqa index --compact``)."""
        report = Report()
        with self._locked():
            new = self._current().staged()
            self._commit(f"{time.time_ns()}-{os.getpid()}", [], self.sources, new, report, on_commit, compact=True)
        return report

    def _commit(self, txn: str, ops: list[Op], sources: dict[str, Any], new: ClauseIndex, report: Report,
                on_commit: Callable[[ClauseIndex], None] | None, compact: bool = False) -> None:
        before = read_text_or_none(self.corpus / META_DIR / "sources.json")
        after = json.dumps(sources, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        try:
            j = self.journal.begin(txn, ops, before, after)
        except OSError as e:
            raise self._failed(e) from e
        try:
            self.journal.apply(j)
            if new.sources and ops:  # the change check's record of the files just moved
                new.sources = refresh(self.corpus, new.sources, [o.name for o in ops])
            new.save(self.index_dir, store={"txn": txn}, compact=compact)  # the commit point
        except (OSError, IndexError_) as e:
            try:
                self.journal.rollback(j)
            except OSError:  # the journal stays; the next writer's recovery finishes the rollback
                pass
            raise self._failed(e) from e
        self.journal.end(j)
        new.store_state = {"txn": txn}
        new.loaded_from = self.index_dir
        self.index = new
        report.documents, report.changed = len(new.metas), True
        if on_commit is not None:
            on_commit(new)

    def _failed(self, e: BaseException) -> StoreError:
        why = getattr(e, "strerror", None) or (e.__cause__ and getattr(e.__cause__, "strerror", None)) or e
        return StoreError(f"the change could not be written ({e}); it was rolled back",
                          zh=f"无法写入（{why}）：请检查磁盘空间和目录权限后重试。文件和索引均已恢复原状，没有丢失任何文件。")
