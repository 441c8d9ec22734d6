"""Segment files of the dense and lexical structures: the rows appended since the last save,
written on their own so that a save after an add never rewrites the whole index.

Dense: ``vectors.npy`` (float32, rows × dim, ``allow_pickle=False``); loading appends them to
the base FAISS index with ``DenseIndex.add`` (an IVF keeps its trained cells, so the rows land in
the same cells as they did in memory).

Lexical: the BM25 impacts of the appended rows exactly as held in memory (scored with the
statistics of the last full fit, see ``index.lexical``), one ``part-K/`` per in-memory segment:
``terms.npy`` (term ids that have entries, int32), ``counts.npy`` (entries per such term, int32),
``indices.npy`` (rows, int32), ``data.npy`` (impacts, float32); and ``vocab.json``: the terms
the segment added to the vocabulary (ids ``first_term …`` in order). Loading rebuilds each part's
CSC column pointers, grows the vocabulary and adds each term's row count to its document frequency.

Tombstones (``drop_rows``): rows removed from both structures, the others keeping their order
and their scores; BM25 statistics are those of the last fit until the next compaction refits.

Example:
    >>> import tempfile
    >>> from index.lexical import LexicalIndex
    >>> lex = LexicalIndex().fit(["扬州市全民科学素质行动实施方案"])
    >>> before, on_disk = len(lex.vocab), tuple(lex.segments)
    >>> lex.add(["甘肃省科学技术普及若干措施"])
    >>> d = Path(tempfile.mkdtemp())
    >>> save_lexical_segment(lex, 1, before, d, kept=on_disk)["rows"]
    [1, 2]
    >>> again = LexicalIndex().fit(["扬州市全民科学素质行动实施方案"])
    >>> load_lexical_segment(again, d, {"rows": [1, 2], "vocab": [before, len(lex.vocab)], "parts": 1})
    >>> bool(np.allclose(again.scores("甘肃科普"), lex.scores("甘肃科普")))
    True
"""

from __future__ import annotations

import json
import os
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from index.dense import DenseIndex
from index.lexical import LexicalIndex, _Segment


def save_npy(path: Path, arr: np.ndarray) -> None:
    """``np.save`` without pickle, fsynced."""
    with open(path, "wb") as f:
        np.save(f, np.ascontiguousarray(arr), allow_pickle=False)
        f.flush()
        os.fsync(f.fileno())


def load_npy(path: Path) -> np.ndarray:
    return np.load(path, allow_pickle=False)


# ---------------------------------------------------------------------- dense


def save_dense_segment(dense: DenseIndex, first_row: int, path: Path) -> int:
    """Write the vectors of rows ``first_row …`` of ``dense`` to ``path``; returns their number."""
    rows = np.arange(first_row, dense.n, dtype=np.int64)
    save_npy(path, dense.vectors(rows).astype(np.float32, copy=False))
    return int(rows.size)


def load_dense_segment(dense: DenseIndex, path: Path, rows: int) -> None:
    """Append the vectors saved by ``save_dense_segment`` (checked: ``rows`` × the index's dimension)."""
    vecs = load_npy(path)
    if vecs.dtype != np.float32 or vecs.shape != (rows, dense.dim):
        raise ValueError(f"{path} holds vectors {vecs.dtype} {vecs.shape}; expected float32 ({rows}, {dense.dim})")
    dense.add(vecs)


# ---------------------------------------------------------------------- lexical


def new_lexical_parts(lex: LexicalIndex, first_row: int, kept: tuple[Any, ...] = (),
                      cut_kept: bool = False) -> list[_Segment]:
    """The entries of rows ``first_row …``: the in-memory segments appended after the ``kept``
    ones (those whose rows were on disk), preceded, when ``cut_kept`` (rows were appended and
    then others removed, so the kept segments were renumbered), by those rows cut out of the kept ones."""
    parts = []
    for s in kept if cut_kept else ():
        cols = np.repeat(np.arange(s.indptr.size - 1, dtype=np.int64), np.diff(s.indptr))
        keep = s.indices >= first_row
        if keep.any():
            counts = np.bincount(cols[keep], minlength=s.indptr.size - 1)
            indptr = np.zeros(counts.size + 1, dtype=np.int64)
            np.cumsum(counts, out=indptr[1:])
            parts.append(_Segment(indptr, s.indices[keep], s.data[keep]))
    return parts + list(lex.segments[len(kept):])


def save_lexical_segment(lex: LexicalIndex, first_row: int, first_term: int, directory: Path,
                         kept: tuple[Any, ...] = (), cut_kept: bool = False) -> dict[str, Any]:
    """Write rows ``first_row …`` of ``lex`` (and the terms with ids ``first_term …``) to
    ``directory``; ``kept``: the segments already on disk, ``cut_kept``: see ``new_lexical_parts``.
    Returns what the manifest records: ``{"rows": [a, b], "vocab": [v0, v1], "parts": k}``."""
    directory.mkdir(parents=True, exist_ok=True)
    new_terms = list(islice(lex.vocab, first_term, None))  # insertion order is id order
    if new_terms and (lex.vocab[new_terms[0]] != first_term or lex.vocab[new_terms[-1]] != len(lex.vocab) - 1):
        raise ValueError("the BM25 vocabulary is not in id order; a full save is needed")
    parts = new_lexical_parts(lex, first_row, kept, cut_kept)
    for k, s in enumerate(parts):
        d = directory / f"part-{k}"
        d.mkdir()
        cnt = np.diff(s.indptr)
        terms = np.flatnonzero(cnt)
        for name, arr in (("terms", terms.astype(np.int32)), ("counts", cnt[terms].astype(np.int32)),
                          ("indices", s.indices.astype(np.int32, copy=False)),
                          ("data", s.data.astype(np.float32, copy=False))):
            save_npy(d / f"{name}.npy", arr)
    with open(directory / "vocab.json", "w", encoding="utf-8") as f:
        f.write(json.dumps(new_terms, ensure_ascii=False))
        f.flush()
        os.fsync(f.fileno())
    return {"rows": [first_row, lex.n], "vocab": [first_term, len(lex.vocab)], "parts": len(parts)}


def load_lexical_segment(lex: LexicalIndex, directory: Path, meta: dict[str, Any]) -> None:
    """Append a segment written by ``save_lexical_segment`` to ``lex`` (checked against ``meta``)."""
    (r0, r1), (v0, v1) = meta["rows"], meta["vocab"]
    if lex.n != r0 or len(lex.vocab) != v0:
        raise ValueError(f"BM25 segment {directory} starts at row {r0} / term {v0}; the index holds "
                         f"{lex.n} rows / {len(lex.vocab)} terms")
    terms = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
    if len(terms) != v1 - v0:
        raise ValueError(f"BM25 segment {directory} adds {len(terms)} terms; expected {v1 - v0}")
    vocab = dict(lex.vocab)
    for i, t in enumerate(terms, start=v0):
        vocab[t] = i
    if len(vocab) != v1:
        raise ValueError(f"BM25 segment {directory} repeats terms already in the vocabulary")
    df = lex.df.copy()
    df.resize(v1, refcheck=False)
    segments = list(lex.segments)
    for k in range(int(meta["parts"])):
        d = directory / f"part-{k}"
        terms_ids, counts = load_npy(d / "terms.npy").astype(np.int64), load_npy(d / "counts.npy").astype(np.int64)
        indices, data = load_npy(d / "indices.npy"), load_npy(d / "data.npy")
        if (terms_ids.size != counts.size or int(counts.sum()) != indices.size or indices.size != data.size
                or (terms_ids.size and (terms_ids.min() < 0 or terms_ids.max() >= v1))
                or (indices.size and (indices.min() < r0 or indices.max() >= r1))):
            raise ValueError(f"BM25 segment part {d} is inconsistent (terms, counts, rows {r0}…{r1})")
        full = np.zeros(v1, dtype=np.int64)
        full[terms_ids] = counts
        indptr = np.zeros(v1 + 1, dtype=np.int64)
        np.cumsum(full, out=indptr[1:])
        df += full
        segments.append(_Segment(indptr, indices.astype(np.int32, copy=False), data.astype(np.float32, copy=False)))
    lex.vocab, lex.df, lex.segments, lex.n = vocab, df, segments, r1
    if len(lex.segments) > 16:
        lex.compact()


def drop_rows(lex: LexicalIndex, keep: np.ndarray) -> None:
    """Remove the rows where ``keep`` is False; the others are renumbered in order and keep their
    impacts; each term's document frequency loses the dropped rows that held it."""
    keep = np.asarray(keep, dtype=bool)
    if keep.size != lex.n:
        raise ValueError(f"drop_rows: mask of {keep.size} rows for a BM25 index of {lex.n}")
    new_id = np.cumsum(keep) - 1
    segments, df = [], lex.df.copy()
    for s in lex.segments:
        cols = np.repeat(np.arange(s.indptr.size - 1, dtype=np.int64), np.diff(s.indptr))
        alive = keep[s.indices]
        gone = np.bincount(cols[~alive], minlength=s.indptr.size - 1)
        df[: gone.size] -= gone
        counts = np.diff(s.indptr) - gone
        indptr = np.zeros(counts.size + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        segments.append(_Segment(indptr, new_id[s.indices[alive]].astype(np.int32), s.data[alive]))
    lex.segments, lex.df, lex.n = segments, df, int(keep.sum())
