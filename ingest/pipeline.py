"""Ingest many files: expand directories, load, parse, hash; one bad file never stops the others.

Directories are walked recursively in name order. Inside a directory, hidden files (``.*``), files
named ``README*`` (see ``IngestConfig.skip_prefixes``: they document a corpus) and files with an
unsupported extension are skipped (listed in ``IngestResult.skipped``). A file named explicitly is
always tried, so an unsupported or broken one yields an error that names it.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("青田县科普方案\\n一、目标\\n到2025年，比例达到15%。\\n", encoding="utf-8")
>>> _ = (d / "README.md").write_text("corpus notes", encoding="utf-8")
>>> _ = (d / "empty.txt").write_bytes(b"")
>>> r = ingest_paths([d], IngestConfig(), progress=False)
>>> [doc.meta.title for doc in r.documents], [e.reason for e in r.errors], [p.name for p in r.skipped]
(['青田县科普方案'], ['is empty (0 bytes)'], ['README.md'])
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.config import IngestConfig
from ingest.load import load_text
from ingest.parse import parse_text
from ingest.types import Document, IngestError


@dataclass
class IngestResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # files that were ingested successfully


def expand_paths(paths: Iterable[Path], config: IngestConfig) -> tuple[list[Path], list[Path]]:
    """Files to ingest (explicit files as given, directories walked) and files skipped in directories."""
    files: list[Path] = []
    skipped: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file():
                    continue
                rel = f.relative_to(p).parts
                if any(part.startswith(".") for part in rel):
                    continue
                if f.name.startswith(config.skip_prefixes) or f.suffix.lower() not in config.suffixes:
                    skipped.append(f)
                    continue
                files.append(f)
        else:
            files.append(p)
    return files, skipped


def ingest_file(path: Path, config: IngestConfig, stem: str | None = None) -> list[Document]:
    """Documents of one file, with ``content_hash`` set; raises ``IngestError``."""
    path = Path(path)
    text = load_text(path, config)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        docs = parse_text(text, path.name, config, stem=stem)
    except RecursionError as exc:  # pragma: no cover - defensive
        raise IngestError(path, "structure too deeply nested to parse", "check the numbering") from exc
    if not docs or not any(d.clauses for d in docs):
        raise IngestError(path, "no clauses found in the text", "is this a policy document?")
    for d in docs:
        d.meta.content_hash = digest
    return docs


def ingest_paths(paths: list[Path], config: IngestConfig | None = None, progress: bool = True) -> IngestResult:
    """Ingest files and directories; errors are collected per file (see module docstring)."""
    cfg = config or IngestConfig()
    files, skipped = expand_paths(paths, cfg)
    result = IngestResult(skipped=skipped)
    iterator: Iterable[Path] = files
    if progress and len(files) > 1:
        from tqdm import tqdm

        iterator = tqdm(files, desc="ingest", unit="file")
    stems: set[str] = set()
    for f in iterator:
        # doc ids are "<stem>#<n>"; a second file with the same stem (plan.txt, plan.docx) keeps its
        # extension in the stem so that ids stay unique within a run
        stem = f.stem if f.stem not in stems else f.name
        stems.add(stem)
        try:
            result.documents.extend(ingest_file(f, cfg, stem=stem))
            result.files.append(f)
        except IngestError as exc:
            result.errors.append(exc)
        except OSError as exc:
            result.errors.append(IngestError(f, f"could not be read ({exc.strerror or exc})", "check permissions"))
    return result
