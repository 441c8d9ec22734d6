"""Bring a loaded ``ClauseIndex`` up to date with a corpus folder from a ``Changes`` scan, parsing
only the files that were added or modified.

Documents of a deleted or modified file (same file name, content hash as recorded) are dropped;
added and modified files are ingested and added (doc ids follow ``ingest.pipeline``'s rule: the
file stem, or the file name when another file already holds that stem). Unchanged documents
keep their chunks and vectors. The index's ``sources`` become the scan's stats.

Example:
    >>> accept_for(None)("法规/README.md"), accept_for(None)("法规/浙江省科学技术普及条例.md")
    (False, True)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from index.changes import Changes
from index.types import Embedder, IndexError_

if TYPE_CHECKING:
    from index.config import IndexConfig
    from index.store import ClauseIndex


def accept_for(ingest_config: Any) -> Callable[[str], bool]:
    """The files ingest reads in a folder (its suffixes, without README-like names)."""
    if ingest_config is None:
        from ingest.config import IngestConfig

        ingest_config = IngestConfig()
    prefixes, suffixes = tuple(ingest_config.skip_prefixes), tuple(ingest_config.suffixes)

    def accept(rel: str) -> bool:
        p = PurePosixPath(rel)
        return not p.name.startswith(prefixes) and p.suffix.lower() in suffixes

    return accept


def docs_of(idx: Any, rel: str, sha256: str) -> list[str]:
    """Doc ids of the indexed documents that came from the file ``rel`` with this content hash."""
    name = PurePosixPath(rel).name
    return [d for d, m in idx.metas.items() if m.source == name and m.content_hash == sha256]


def apply_changes(idx: Any, corpus_dir: Path, changes: Changes, ingest_config: Any,
                  progress: bool = False) -> dict[str, Any]:
    """Drop, ingest and add what ``changes`` lists; returns the index's update report (plus ``errors``)."""
    from ingest.pipeline import ingest_file
    from ingest.types import IngestError

    known = idx.sources
    drop = [d for rel in (*changes.deleted, *changes.modified) for d in docs_of(idx, rel, known[rel]["sha256"])]
    if drop:
        idx.remove(drop)
    stems = {d.split("#")[0] for d in idx.metas}
    new, errors = [], []
    for rel in (*changes.added, *changes.modified):
        path = Path(corpus_dir) / rel
        stem = path.stem if path.stem not in stems else path.name
        stems.add(stem)
        try:
            new.extend(ingest_file(path, ingest_config, stem=stem))
        except IngestError as exc:
            errors.append(exc)
        except OSError as exc:
            errors.append(IngestError(path, f"could not be read ({exc.strerror or exc})", "check permissions"))
    for err in errors:
        if progress:
            print(f"ingest error: {err}", file=sys.stderr)
    # ids are unique by construction and the old documents of these files are gone: a plain append
    report = idx._append(new, sorted(idx.metas), progress) if new else dict(idx.last_update or {})
    new_ids = [d.meta.doc_id for d in new]
    changed = sorted(set(new_ids) & set(drop))  # same doc id before and after: changed, not removed + added
    report = {**report, "added": [d for d in new_ids if d not in changed], "changed": changed,
              "removed": sorted(set(drop) - set(changed)), "errors": errors,
              "unchanged": [d for d in idx.metas if d not in set(new_ids)],
              "documents": len(idx.metas), "chunks": len(idx.chunks)}
    if not new:
        report["embedded"] = 0
    idx.sources = dict(changes.stats)
    idx.last_update = {k: v for k, v in report.items() if k != "errors"}
    return report


# ---------------------------------------------------------------------- corpus → index


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Files of a corpus directory (recursive, hidden files and directories skipped), sorted."""
    from index.changes import list_files

    return sorted(Path(corpus_dir) / rel for rel in list_files(Path(corpus_dir)))


def open_or_build(corpus_dir: Path | str, index_dir: Path | str, embedder: Embedder, ingest_config: Any = None,
                  index_config: IndexConfig | None = None, progress: bool = True,
                  index_cls: type[ClauseIndex] | None = None) -> ClauseIndex:
    """Open the saved index when compatible (else start afresh and ingest the corpus), update it
    incrementally, save it if anything changed, and return it. A saved index records its corpus
    files' stats: ``index.changes.scan`` finds what changed by stats and hashes, and only added /
    modified files are parsed (``index.sync``); only new / changed documents are embedded, deleted
    ones dropped. ``index_cls``: the index class (``index.backend_index.store_class`` for another
    store; default ``ClauseIndex``). Ingest errors are printed (when ``progress``) and kept in
    ``index.ingest_errors``; they never stop the other files.
    """
    from ingest.pipeline import ingest_paths

    if ingest_config is None:
        from ingest.config import IngestConfig

        ingest_config = IngestConfig()
    index_dir = Path(index_dir)
    from index.store import ClauseIndex, default_chunk_fn

    index_cls = index_cls or ClauseIndex
    chunk_fn = default_chunk_fn(ingest_config)
    try:
        idx = index_cls.load(index_dir, embedder, index_config, chunk_fn)
        fresh = False
    except IndexError_ as e:
        if progress and (index_dir.exists()):
            print(f"{e.zh} 正在从语料目录重建……", file=sys.stderr)
        idx = index_cls(embedder, index_config, chunk_fn)
        fresh = True
    from index.changes import scan
    from index.sync import accept_for, apply_changes
    known = getattr(idx, "sources", None) or {}
    changes = scan(corpus_dir, {} if fresh else known, accept_for(ingest_config))
    if not fresh and known and hasattr(idx, "_append"):  # a change check by file stats: only added / modified files are parsed
        report = apply_changes(idx, Path(corpus_dir), changes, ingest_config, progress)
        errors = list(report.pop("errors"))
        changed = bool(report["added"] or report["changed"] or report["removed"])
    else:
        result = ingest_paths(corpus_files(Path(corpus_dir)), ingest_config, progress=progress)
        for err in result.errors:
            if progress:
                print(f"ingest error: {err}", file=sys.stderr)
        report, errors = idx.update(result.documents, progress=progress), list(result.errors)
        idx.sources = dict(changes.stats)
        changed = bool(fresh or report["added"] or report["changed"] or report["removed"])
    if changed or idx.dirty or changes.deleted:
        idx.save(index_dir)
    if progress:
        print(f"index {index_dir}: {report['documents']} documents, {report['chunks']} chunks "
              f"(added {len(report['added'])}, changed {len(report['changed'])}, removed "
              f"{len(report['removed'])}, embedded {report['embedded']} chunks)", file=sys.stderr)
    idx.ingest_errors = errors
    return idx


# ---------------------------------------------------------------------- the document store's sync


def sync_staged(base: Any, corpus: Path, files: list[Path], prune: bool, store: Any, report: Any) -> Any:
    """A staged copy of ``base`` holding what ``files`` (the corpus folder's documents) hold, for
    ``DocStore.sync``; fills ``report`` (per-file results, ``update``, ``kept_missing``).

    When ``base`` records the files' stats (``sources``), a change check (``index.changes.scan``:
    stats, then hashes of files whose stats moved) decides: files with the recorded content keep
    their indexed documents unparsed; documents of modified files (and of deleted ones with
    ``prune``) are removed (tombstones) and the parsed documents appended (a segment). Without
    recorded stats every file is parsed and ``ClauseIndex.update`` keeps what did not change."""
    from index.changes import scan
    from index.docstore import FileResult
    from ingest.types import Document, IngestError

    known = base.sources or {}
    changes = scan(corpus, known, accept_for(store.ingest_config))
    stems = {m.source: d.rsplit("#", 1)[0] for d, m in base.metas.items()}
    by_source: dict[str, list[str]] = {}
    for d, m in base.metas.items():
        by_source.setdefault(m.source, []).append(d)
    same = set(changes.unchanged) | set(changes.touched)
    parsed: dict[str, Document] = {}
    kept: dict[str, Document] = {}
    seen, failed = set(), set()
    todo = []
    for f in files:
        rel = f.relative_to(corpus).as_posix()
        seen.add(f.name)
        ids = [d for d in by_source.get(f.name, []) if known and rel in same
               and base.metas[d].content_hash == changes.stats[rel]["sha256"]]
        res = FileResult(file=f.name, ok=bool(ids), doc_ids=ids)
        report.files.append(res)
        if ids:
            kept.update({d: Document(base.metas[d], base.doc_clauses(d)) for d in ids})
            res.titles, res.clauses = [base.metas[d].title for d in ids], sum(len(kept[d].clauses) for d in ids)
        else:
            todo.append((f, res))
    for f, res in todo if not store.progress or len(todo) <= 1 else _progress(todo):
        stem = stems.get(f.name) or store._free_stem(f.name, stems)
        try:
            got = store.ingest_one(f, stem)
        except IngestError as e:
            res.error, res.detail = e.zh, str(e)
            failed.add(f.name)
            continue
        stems[f.name] = stem
        got = [d for d in got if d.meta.doc_id not in kept]  # a same-named file in another folder holds the id
        parsed.update({d.meta.doc_id: d for d in got})
        res.ok, res.doc_ids = True, [d.meta.doc_id for d in got]
        res.titles, res.clauses = [d.meta.title for d in got], sum(len(d.clauses) for d in got)
    reuse = set(kept)
    for d, m in base.metas.items():
        if d in kept or d in parsed:
            continue
        if m.source in failed or (m.source not in seen and not prune):
            kept[d] = Document(m, base.doc_clauses(d))
            reuse.add(d)
            if m.source not in seen:
                report.kept_missing.append(d)
    if known and not parsed and set(kept) == set(base.metas) and changes.stats == known and not base.dirty:
        report.update = {"added": [], "changed": [], "removed": [], "unchanged": list(base.metas), "embedded": 0,
                         "documents": len(base.metas), "chunks": len(base.chunks), "mode": "append"}
        return base  # nothing changed: no copy, nothing to save
    new = base.staged()
    if known and not new.dirty:
        report.update = _remove_then_append(new, base, kept, parsed, store.progress)
    else:
        report.update = new.update([*kept.values(), *parsed.values()], store.progress, reuse=reuse)
    new.sources = dict(changes.stats)
    return new


def _progress(todo: list[tuple[Path, Any]]) -> Any:
    from tqdm import tqdm

    return tqdm(todo, desc="解析文件", unit="个", file=sys.stderr)


def _remove_then_append(new: Any, base: Any, kept: dict[str, Any], parsed: dict[str, Any],
                        progress: bool = False) -> dict[str, Any]:
    """Drop every indexed document not kept as it is, then append the parsed ones (unchanged parsed
    documents, e.g. a file touched but not modified, keep their rows)."""
    same = {d for d, doc in parsed.items() if d in base.metas and base.fingerprints.get(d) == _fp(new, doc)}
    drop = [d for d in base.metas if d not in kept and d not in same]
    fresh = [doc for d, doc in parsed.items() if d not in same]
    if drop:
        new.remove(drop)
    rep = new._append(fresh, sorted(new.metas), progress) if fresh else {"embedded": 0, "mode": "append"}
    ids = {doc.meta.doc_id for doc in fresh}
    return {**rep, "added": sorted(ids - set(drop)), "changed": sorted(ids & set(drop)),
            "removed": sorted(set(drop) - ids), "unchanged": sorted(set(new.metas) - ids),
            "documents": len(new.metas), "chunks": len(new.chunks)}


def _fp(idx: Any, doc: Any) -> str:
    from index.store import _fingerprint

    return _fingerprint(doc, idx._chunks_of(doc))


def add_staged(new: Any, docs: list[Any], progress: bool = False) -> dict[str, Any]:
    """``DocStore.add`` on a staged index: documents replacing indexed ones (same doc id or source
    file) remove those (a tombstone) and are appended (a segment); others are simply appended."""
    sources, ids = {d.meta.source for d in docs}, {d.meta.doc_id for d in docs}
    if not any(m.source in sources or d in ids for d, m in new.metas.items()):
        return new.add(docs, progress=progress)
    kept = {d: None for d, m in new.metas.items() if m.source not in sources and d not in ids}
    return _remove_then_append(new, new, kept, {d.meta.doc_id: d for d in docs}, progress)
