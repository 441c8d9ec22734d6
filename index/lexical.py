"""Lexical retrieval: BM25 over Chinese tokens as a sparse term → rows matrix, persisted without pickle.

Tokenizers:
- ``"char"`` (default, measured best here): NFKC, lower case, whitespace and punctuation
  dropped; units are single CJK characters or runs of ASCII letters/digits; tokens are all
  units plus all adjacent pairs within a punctuation-free segment. Rare place characters
  (砀, 亳) stay tokens, which the dense model cannot represent.
- ``"jieba"``: jieba's search-engine cut, same normalisation.

Scoring is bm25s' default "lucene" BM25 (same scores as ``bm25s.BM25``; a test checks it):
``idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))``, ``tfc = tf / (tf + k1 (1 - b + b dl / avgdl))``.
The impact ``idf · tfc`` of every (term, row) is precomputed in a CSC matrix (one column of
rows per term), so a query sums a few columns (``np.bincount``).

It is built in batches (token ids and counts are vectorised per batch) so fitting a million
clauses stays within a few hundred MB above the matrix itself; bm25s' own ``index`` holds every
token list as Python objects (several GB at that size).

Growing: ``add`` appends rows as a small segment scored with the statistics of the last full
fit (N, avgdl) and the document frequencies known so far; query time sums base and segments.
``needs_refit`` turns true when the appended rows exceed ``refit_fraction`` of the fitted ones
(the statistics have drifted), and the store refits then. Saved files: ``lexical.json``
(parameters and statistics), ``vocab.json`` (tokens in id order), ``indptr.npy``, ``indices.npy``,
``data.npy``, ``df.npy``. Indexes saved by earlier versions (bm25s' ``*.index.npy`` files) still
load; their first ``add`` refits.

Example:
    >>> char_tokens("砀山县2025年")
    ['砀', '山', '县', '2025', '年', '砀山', '山县', '县2025', '2025年']
    >>> lex = LexicalIndex().fit(["扬州市全民科学素质行动实施方案", "甘肃省科学技术普及若干措施"])
    >>> [int(i) for i in np.argsort(-lex.scores("扬州科学素质"))]
    [0, 1]
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.tokens import char_tokens, get_tokenizer, jieba_tokens, normalise  # noqa: F401 (re-exported)

BATCH = 8192  # rows tokenised and counted together when fitting
FORMAT = "policyqa-bm25/2"
MAX_POSTINGS = 300_000  # query-time budget of (term, row) entries summed; see ``LexicalIndex.scored_ids``


class _Segment:
    """Rows ``start …`` as a CSC matrix over terms: column t holds ``indices[indptr[t]:indptr[t+1]]``."""

    __slots__ = ("indptr", "indices", "data")

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray) -> None:
        self.indptr, self.indices, self.data = indptr, indices, data

    @property
    def nnz(self) -> int:
        return int(self.indices.size)

    def add_scores(self, out: np.ndarray, ids: np.ndarray) -> None:
        """Add column ``t``'s impacts to ``out`` for every query term id (a term repeated counts twice):
        the columns' slices are gathered and summed in one ``np.bincount``."""
        indptr, indices, data = self.indptr, self.indices, self.data
        ids = ids[ids < indptr.size - 1]
        spans = [(int(indptr[t]), int(indptr[t + 1])) for t in ids.tolist()]
        spans = [(a, b) for a, b in spans if b > a]
        if not spans:
            return
        rows = np.concatenate([indices[a:b] for a, b in spans])
        weights = np.concatenate([data[a:b] for a, b in spans])
        out += np.bincount(rows, weights=weights, minlength=out.size).astype(np.float32)


class LexicalIndex:
    """BM25 over tokenised texts; ``scores(query)`` scores every row, ``add`` appends rows."""

    def __init__(self, tokenizer: str = "char", k1: float = 1.5, b: float = 0.75,
                 refit_fraction: float = 0.25, max_postings: int = MAX_POSTINGS) -> None:
        self.tokenizer = tokenizer
        self.tokenize = get_tokenizer(tokenizer)
        self.k1, self.b = k1, b
        self.refit_fraction = refit_fraction
        self.max_postings = max_postings  # 0: no budget
        self.n = 0  # rows
        self.fitted_n = 0  # rows at the last full fit (its N and avgdl score every row)
        self.avgdl: float | None = None  # None: statistics unknown (an index saved by bm25s), refit to add
        self.vocab: dict[str, int] = {}
        self.df = np.zeros(0, dtype=np.int64)
        self.segments: list[_Segment] = []

    @property
    def nnz(self) -> int:
        return sum(s.nnz for s in self.segments)

    @property
    def needs_refit(self) -> bool:
        """Appended rows have drifted the statistics (or they are unknown): refit over all rows."""
        return self.avgdl is None or (self.n - self.fitted_n) > self.refit_fraction * max(self.fitted_n, 1)

    def copy(self) -> LexicalIndex:
        """An independent copy (segments are never changed in place, so they are shared)."""
        new = LexicalIndex(self.tokenizer, self.k1, self.b, self.refit_fraction, self.max_postings)
        new.n, new.fitted_n, new.avgdl = self.n, self.fitted_n, self.avgdl
        new.vocab, new.df, new.segments = dict(self.vocab), self.df, list(self.segments)
        return new

    # ------------------------------------------------------------------ building

    def fit(self, texts: Sequence[str], progress: bool = False) -> LexicalIndex:
        """Index ``texts`` from scratch (row i = texts[i]), in two streaming passes over batches:
        the first learns the vocabulary, document frequencies and lengths, the second tokenises
        again and writes each batch's impacts straight into their places in the final CSC arrays
        (a counting sort by term), so no corpus-wide (row, term, tf) triples are ever held."""
        from tqdm import tqdm

        self.vocab, self.segments, self.n, self.fitted_n = {}, [], 0, 0
        n = len(texts)
        lengths = np.zeros(n, dtype=np.int64)
        df = np.zeros(0, dtype=np.int64)
        bar = tqdm(total=2 * n, desc="bm25", unit="clause", disable=not progress, leave=False, file=sys.stderr)
        for start in range(0, n, BATCH):
            _, cols, _, lens = self._batch(texts[start : start + BATCH], start)
            lengths[start : start + lens.size] = lens
            df = _grow(df, len(self.vocab))
            df += np.bincount(cols, minlength=len(self.vocab))
            bar.update(lens.size)
        self.df, self.n, self.fitted_n = df, n, n
        self.avgdl = float(lengths.mean()) if n else 0.0
        if n:
            indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
            np.cumsum(df, out=indptr[1:])
            indices = np.empty(int(indptr[-1]), dtype=np.int32)
            data = np.empty(int(indptr[-1]), dtype=np.float32)
            fill = indptr[:-1].copy()
            for start in range(0, n, BATCH):
                rows, cols, tfs, lens = self._batch(texts[start : start + BATCH], start)
                impact = self._impacts(rows, cols, tfs, lengths[rows])
                order = np.argsort(cols, kind="stable")  # by term, rows ascending within a term
                c = cols[order]
                counts = np.bincount(c, minlength=len(self.vocab))
                first = np.cumsum(counts) - counts  # where each term's run starts within this batch
                pos = fill[c] + (np.arange(c.size) - first[c])
                indices[pos], data[pos] = rows[order], impact[order]
                fill += counts
                bar.update(lens.size)
            self.segments = [_Segment(indptr, indices, data)]
        bar.close()
        return self

    def add(self, texts: Sequence[str]) -> None:
        """Append rows ``n …`` scored with the current statistics (call ``fit`` when ``needs_refit``)."""
        if not texts:
            return
        if self.avgdl is None:
            raise ValueError("this BM25 index has no stored statistics (saved by an earlier version); refit it")
        vocab_before, first = dict(self.vocab), self.n
        try:
            cols = np.concatenate([self._batch(texts[s : s + BATCH], 0)[1] for s in range(0, len(texts), BATCH)])
            df = _grow(self.df.copy(), len(self.vocab))
            df += np.bincount(cols, minlength=len(self.vocab))
            self.df = df
            self.segments.append(self._segment(texts, first))
        except BaseException:
            self.vocab = vocab_before
            raise
        self.n += len(texts)
        if len(self.segments) > 16:
            self.compact()

    def _batch(self, batch: Sequence[str], first_row: int) -> tuple[np.ndarray, ...]:
        """(row, term id, tf) triples of a batch sorted by row, and each row's token count
        (new tokens join the vocabulary)."""
        vocab = self.vocab
        ids: list[int] = []
        lens = np.zeros(len(batch), dtype=np.int64)
        for i, t in enumerate(batch):
            toks = self.tokenize(t)
            lens[i] = max(len(toks), 1)  # an empty text counts one (empty) token, as in bm25s
            ids.extend(vocab.setdefault(tok, len(vocab)) for tok in toks)
        row = np.repeat(np.arange(first_row, first_row + len(batch), dtype=np.int64), lens)
        keys, tf = np.unique((row << 32) | np.asarray(ids, dtype=np.int64), return_counts=True)
        return ((keys >> 32).astype(np.int32), (keys & 0xFFFFFFFF).astype(np.int32), tf.astype(np.float32), lens)

    def _impacts(self, rows: np.ndarray, cols: np.ndarray, tfs: np.ndarray, dl: np.ndarray) -> np.ndarray:
        """``idf · tfc`` of each (row, term) with the fitted statistics (``dl``: the rows' lengths)."""
        n_docs = max(self.fitted_n, 1)
        df = self.df[cols].astype(np.float64)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        avg = self.avgdl or 1.0
        tfc = tfs / (self.k1 * ((1 - self.b) + self.b * dl.astype(np.float32) / avg) + tfs)
        return (idf * tfc).astype(np.float32)

    def _segment(self, texts: Sequence[str], first_row: int) -> _Segment:
        """Rows ``first_row …`` of ``texts`` as one CSC segment (``df`` must already count them)."""
        parts = [self._batch(texts[s : s + BATCH], first_row + s) for s in range(0, len(texts), BATCH)]
        rows = np.concatenate([p[0] for p in parts])
        cols = np.concatenate([p[1] for p in parts])
        tfs = np.concatenate([p[2] for p in parts])
        lengths = np.concatenate([p[3] for p in parts])
        data = self._impacts(rows, cols, tfs, lengths[rows - first_row])
        order = np.argsort(cols, kind="stable")
        indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=len(self.vocab)), out=indptr[1:])
        return _Segment(indptr, rows[order], data[order])

    def compact(self) -> None:
        """Merge the appended segments into one matrix (same scores, faster queries)."""
        if len(self.segments) <= 1:
            return
        v = len(self.vocab)
        counts = np.zeros(v, dtype=np.int64)
        for s in self.segments:
            c = np.diff(s.indptr)
            counts[: c.size] += c
        indptr = np.zeros(v + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        indices = np.empty(int(indptr[-1]), dtype=np.int32)
        data = np.empty(int(indptr[-1]), dtype=np.float32)
        fill = indptr[:-1].copy()
        for s in self.segments:  # segments hold increasing rows, so each column stays sorted
            c = np.diff(s.indptr)
            terms = np.repeat(np.arange(c.size), c)
            pos = fill[terms] + (np.arange(s.nnz) - s.indptr[terms])
            indices[pos], data[pos] = s.indices, s.data
            fill[: c.size] += c
        self.segments = [_Segment(indptr, indices, data)]

    # ------------------------------------------------------------------ querying

    def query_ids(self, query: str) -> np.ndarray:
        """Term ids of the query's tokens (repeats kept, as bm25s does; unknown tokens dropped)."""
        vocab = self.vocab
        return np.asarray([vocab[t] for t in self.tokenize(query) if t in vocab], dtype=np.int64)

    def scored_ids(self, ids: np.ndarray) -> np.ndarray:
        """The query term ids that are scored: all of them while their columns hold at most
        ``max_postings`` entries together (always so on small indexes: 50 terms × 6,000 rows);
        beyond that the rarest terms first, as many as fit, dropping the most common ones (the
        lowest idf, e.g. 的 or 科 in a million clauses), as a stop-word list would. The rarest term
        always stays.

        >>> lex = LexicalIndex(max_postings=5).fit(["科普基地", "科普", "基地"])
        >>> [t for t in lex.vocab if lex.vocab[t] in lex.scored_ids(lex.query_ids("科普基地")).tolist()]
        ['科', '普', '普基']
        """
        if self.max_postings <= 0 or ids.size == 0:
            return ids
        df = self.df[ids]
        if int(df.sum()) <= self.max_postings:
            return ids
        order = np.argsort(df, kind="stable")
        keep = order[: max(1, int(np.searchsorted(np.cumsum(df[order]), self.max_postings, side="right")))]
        return ids[np.sort(keep)]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for the query (zeros when no query token is indexed); on a large
        index only the terms ``scored_ids`` keeps are summed."""
        out = np.zeros(self.n, dtype=np.float32)
        ids = self.scored_ids(self.query_ids(query))
        if ids.size:
            for s in self.segments:
                s.add_scores(out, ids)
        return out

    def scores_within(self, query: str, rows: np.ndarray) -> np.ndarray:
        """BM25 of the query over ``rows`` only, each term weighted by its document frequency among
        those rows instead of the whole index (zeros elsewhere): a word common in the collection
        may be rare in a scope of one plan, and the reverse.

        >>> lex = LexicalIndex().fit(["基本原则 条例", "基本原则", "基本原则", "科普 条例", "科普"])
        >>> inside = np.array([3, 4])
        >>> bool(lex.scores_within("科普条例", inside)[3] > lex.scores_within("科普条例", inside)[4])
        True
        >>> lex.scores_within("科普条例", inside)[:3].tolist()
        [0.0, 0.0, 0.0]
        """
        out = np.zeros(self.n, dtype=np.float32)
        ids = self.scored_ids(self.query_ids(query))
        rows = np.asarray(rows, dtype=np.int64)
        if not ids.size or not rows.size:
            return out
        inside = np.zeros(self.n, dtype=bool)
        inside[rows] = True
        n_docs, m = max(self.fitted_n, 1), int(rows.size)
        for t in ids.tolist():  # a repeated term counts twice, as in ``scores``
            found_r, found_d = [], []
            for seg in self.segments:
                if t + 1 >= seg.indptr.size:
                    continue
                a, b = int(seg.indptr[t]), int(seg.indptr[t + 1])
                if b > a:
                    r = np.asarray(seg.indices[a:b])
                    keep = inside[r]
                    if keep.any():
                        found_r.append(r[keep])
                        found_d.append(np.asarray(seg.data[a:b])[keep])
            if not found_r:
                continue
            r, d = np.concatenate(found_r), np.concatenate(found_d)
            df_all = float(self.df[t])
            idf_all = np.log1p((n_docs - df_all + 0.5) / (df_all + 0.5))
            df_in = float(np.unique(r).size)
            idf_in = np.log1p((m - df_in + 0.5) / (df_in + 0.5))
            np.add.at(out, r, (d * (idf_in / idf_all)).astype(np.float32))
        return out

    # ------------------------------------------------------------------ files

    def save(self, directory: Path) -> None:
        """``.npy`` arrays (allow_pickle=False) + JSON parameters and vocabulary."""
        self.compact()
        directory.mkdir(parents=True, exist_ok=True)
        meta = {"format": FORMAT, "tokenizer": self.tokenizer, "k1": self.k1, "b": self.b, "n": self.n,
                "fitted_n": self.fitted_n, "avgdl": self.avgdl, "vocab": len(self.vocab), "nnz": self.nnz}
        (directory / "lexical.json").write_text(json.dumps(meta), encoding="utf-8")
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        (directory / "vocab.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        seg = self.segments[0] if self.segments else _Segment(np.zeros(len(terms) + 1, dtype=np.int64),
                                                              np.zeros(0, np.int32), np.zeros(0, np.float32))
        for name, arr in (("indptr", seg.indptr), ("indices", seg.indices), ("data", seg.data), ("df", self.df)):
            np.save(directory / f"{name}.npy", arr, allow_pickle=False)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        meta = json.loads((directory / "lexical.json").read_text(encoding="utf-8"))
        lex = cls(meta["tokenizer"], meta["k1"], meta["b"])
        lex.n = int(meta["n"])
        if meta.get("format") != FORMAT:
            return _load_bm25s(lex, directory)
        lex.fitted_n = int(meta["fitted_n"])
        lex.avgdl = meta["avgdl"]
        terms = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
        lex.vocab = {t: i for i, t in enumerate(terms)}
        # the postings (the bulk: 1.8 GB at a million clauses) are memory-mapped read-only: a query
        # pages in only its terms' columns, and segments are never changed in place
        arrays = {n: np.load(directory / f"{n}.npy", allow_pickle=False, mmap_mode="r" if n in _MAPPED else None)
                  for n in ("indptr", "indices", "data", "df")}
        if arrays["indptr"].size != len(terms) + 1 or arrays["df"].size != len(terms):
            raise ValueError(f"BM25 index in {directory} has {arrays['indptr'].size - 1} term columns; "
                             f"expected {len(terms)}")
        lex.df = arrays["df"].astype(np.int64)
        if lex.n:
            lex.segments = [_Segment(arrays["indptr"].astype(np.int64), arrays["indices"], arrays["data"])]
            top = _max_row(directory / "indices.npy")
            if top >= lex.n:
                raise ValueError(f"BM25 index in {directory} refers to row {top}; it holds {lex.n} rows")
        return lex


_MAPPED = ("indices", "data")


def _max_row(path: Path, block: int = 1 << 22) -> int:
    """The largest row id in a saved ``indices.npy``, read in blocks through ordinary reads, so
    checking it does not leave the whole mapped array resident (-1 when empty)."""
    with path.open("rb") as f:
        major, _ = np.lib.format.read_magic(f)
        read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(f)
        left, top = int(np.prod(shape)), -1
        while left > 0:
            part = np.fromfile(f, dtype=dtype, count=min(block, left))
            if part.size == 0:
                raise ValueError(f"BM25 index file {path} is shorter than its header says")
            top = max(top, int(part.max()))
            left -= part.size
        return top


def _grow(a: np.ndarray, size: int) -> np.ndarray:
    """``a`` zero-padded to ``size`` entries."""
    if a.size >= size:
        return a
    out = np.zeros(size, dtype=a.dtype)
    out[: a.size] = a
    return out


def _load_bm25s(lex: LexicalIndex, directory: Path) -> LexicalIndex:
    """An index written by bm25s (format 1): same scores; no avgdl, so the first ``add`` refits."""
    if not lex.n:
        return lex
    params = json.loads((directory / "params.index.json").read_text(encoding="utf-8"))
    got = int(params.get("num_docs", -1))
    if got != lex.n:
        raise ValueError(f"BM25 index in {directory} holds {got} rows; expected {lex.n}")
    vocab = json.loads((directory / "vocab.index.json").read_text(encoding="utf-8"))
    lex.vocab = {str(t): int(i) for t, i in vocab.items()}
    indptr = np.load(directory / "indptr.csc.index.npy", allow_pickle=False).astype(np.int64)
    lex.segments = [_Segment(indptr, np.load(directory / "indices.csc.index.npy", allow_pickle=False).astype(np.int32),
                             np.load(directory / "data.csc.index.npy", allow_pickle=False).astype(np.float32))]
    lex.df = np.diff(indptr)
    lex.fitted_n, lex.avgdl = lex.n, None
    return lex

