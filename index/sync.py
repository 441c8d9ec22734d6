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
from typing import Any

from index.changes import Changes


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
