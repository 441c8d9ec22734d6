"""Shared by the answer tests that run the whole path on a fixture folder of their own."""

from __future__ import annotations

import re
from pathlib import Path

from chatbot.types import Answer
from index.config import IndexConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.config import IngestConfig
from ingest.pipeline import ingest_paths


def fixture_index(folder: Path, min_docs: int) -> ClauseIndex:
    """The fixture folder's .txt files ingested and indexed with the deterministic HashEmbedder."""
    res = ingest_paths(sorted(Path(folder).glob("*.txt")), IngestConfig(), progress=False)
    assert len(res.documents) >= min_docs, res.errors
    return ClauseIndex.build(res.documents, HashEmbedder(), IndexConfig())


def texts_index(folder: Path, files: dict[str, str]) -> ClauseIndex:
    """``files`` (name → text) written into ``folder``, ingested and indexed with the HashEmbedder."""
    for name, text in files.items():
        (Path(folder) / name).write_text(text, encoding="utf-8")
    res = ingest_paths([Path(folder) / n for n in sorted(files)], IngestConfig(), progress=False)
    return ClauseIndex.build(res.documents, HashEmbedder(), IndexConfig())


def flat(a: Answer) -> str:
    return re.sub(r"\s+", "", a.text)


def answered(a: Answer, *keywords: str) -> None:
    """Answered (not refused), every sentence cited, and every keyword in the answer."""
    assert not a.refused, (a.refusal_reason, a.text)
    assert a.citations and all(s.citations for s in a.sentences)
    for k in keywords:
        assert k in flat(a), (k, a.text)
