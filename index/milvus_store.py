"""Milvus as the chunk store: dense vectors + Milvus' own BM25 sparse field, filters pushed down.

The same ``SearchBackend`` as ``index.backend.BuiltinBackend``, against Milvus Lite (a local
``.db`` file, embedded, nothing to start) or a Milvus server / cluster (``http://host:19530``).

One collection per (model, dim, tokenizer, BM25 parameters), named by a hash of them, so a
store never mixes vectors of two models. Fields: ``chunk_id`` (primary key), ``doc_id``,
``parent_doc_id``, ``region``, ``level``, ``date``, ``kind``, ``fingerprint``, ``seq``,
``vec`` (FLOAT_VECTOR, inner product), ``lex`` (VARCHAR, analysed) and ``sparse``
(SPARSE_FLOAT_VECTOR, the output of a ``FunctionType.BM25`` function over ``lex``).

Lexical parity: BM25 must see the same tokens as the built-in store (``IndexConfig.tokenizer``:
character uni+bigrams by default, measured best here), which no Milvus analyzer produces. So
the tokens are computed here and written to ``lex`` as ASCII words, one per token (each
character as four base-36 digits: ``encode_tokens``); Milvus' ``standard`` analyzer splits
them back on spaces, on Milvus Lite and on a server alike, and Milvus does the indexing,
IDF and scoring (``bm25_k1`` / ``bm25_b`` from ``IndexConfig``).

Filters: a ``RowFilter`` becomes a Milvus boolean expression (``filter_expr``); every value is
a string literal escaped by ``quote`` (backslash, both quotes, newline, tab), so a region or a
doc id holding quotes can neither break nor extend the expression.

Example:
    >>> filter_expr(RowFilter(regions=("扬州市",), levels=("市",)))
    '(level in ["市"]) and (region in ["扬州市"])'
    >>> print(quote('区" or region != "'))
    "区\\" or region != \\""
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from index.backend import Ranked, RowFilter, StoreRow
from index.lexical import get_tokenizer
from index.types import IndexError_

MAX_TOPK = 16384  # Milvus' limit on limit (+ offset)
ID_LEN, META_LEN, LEX_LEN = 2048, 512, 65535
INSERT_BATCH = 256
DELETE_BATCH = 500
EMPTY_TEXT = "0"  # the lexical text of a row with no token (never the code of a token: codes are 4k long)
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@lru_cache(maxsize=1 << 16)
def token_code(token: str) -> str:
    """A token as an ASCII word: each character's code point as four base-36 digits.

    >>> token_code("砀山"), token_code("2025")
    ('0npc0i9d', '001e001c001e001h')
    """
    out = []
    for ch in token:
        n = ord(ch)
        out.append(_B36[n // 46656] + _B36[n // 1296 % 36] + _B36[n // 36 % 36] + _B36[n % 36])
    return "".join(out)


def encode_tokens(tokens: Iterable[str]) -> str:
    """Tokens as one space-separated string of ``token_code`` words (what ``lex`` holds).

    >>> encode_tokens(["科", "普", "科普"])
    '0o29 0k8e 0o290k8e'
    """
    return " ".join(token_code(t) for t in tokens if t)


def quote(value: str) -> str:
    """A Milvus string literal for ``value`` (C-style escapes; other control characters refused)."""
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise ValueError(f"filter value {value!r} holds a control character; metadata values must be plain text")
    return '"' + "".join(_ESCAPES.get(c, c) for c in value) + '"'


def _in(field: str, values: Sequence[str]) -> str:
    return f"{field} in [{', '.join(quote(v) for v in values)}]"


def _and(parts: Sequence[str]) -> str:
    return " and ".join(f"({p})" for p in parts)


def filter_expr(flt: RowFilter | None) -> str:
    """The Milvus boolean expression of a ``RowFilter`` ("" = no filter), same semantics as
    ``RowFilter.matches``.

    >>> print(filter_expr(RowFilter(doc_ids=("gs#0",), levels=("省",))))
    ((level in ["省"]) and (doc_id in ["gs#0"])) or ((level in ["省"]) and (parent_doc_id in ["gs#0"]))
    """
    if flt is None:
        return ""
    base: list[str] = []
    if flt.levels is not None:
        base.append(_in("level", flt.levels))
    if flt.date_from or flt.date_to:
        base.append('date != ""')
    if flt.date_from:
        base.append(f"date >= {quote(flt.date_from)}")
    if flt.date_to:
        base.append(f"date <= {quote(flt.date_to)}")
    if flt.restrict is not None:
        base.append(_in("doc_id", flt.restrict))
    own = list(base)
    if flt.regions is not None:
        own.append(_in("region", flt.regions))
    if flt.doc_ids is None:
        return _and(own)
    own.append(_in("doc_id", flt.doc_ids))
    kids = [*base, _in("parent_doc_id", flt.doc_ids)]
    return f"({_and(own)}) or ({_and(kids)})"


def matches_nothing(flt: RowFilter | None) -> bool:
    """True when a filter holds an empty value list (no row can pass: skip the round trip)."""
    if flt is None:
        return False
    if flt.levels == () or flt.restrict == () or flt.doc_ids == ():
        return True
    return flt.regions == () and flt.doc_ids is None  # attachments of named documents ignore the region


def collection_name(model: str, dim: int, tokenizer: str, lexical_field: str, k1: float, b: float) -> str:
    """``pq_`` + a hash of what the stored vectors and tokens depend on."""
    key = json.dumps([model, int(dim), tokenizer, lexical_field, float(k1), float(b)])
    return "pq_" + hashlib.sha256(key.encode()).hexdigest()[:16]


class MilvusBackend:
    """Chunk rows in one Milvus collection (created on first use)."""

    def __init__(self, uri: str, model: str, dim: int, tokenizer: str = "char", lexical_field: str = "embed_text",
                 k1: float = 1.5, b: float = 0.75, token: str = "", dense_index: str = "",
                 hnsw_m: int = 32, ef_search: int = 128) -> None:
        from pymilvus import MilvusClient
        from pymilvus.exceptions import MilvusException

        self.uri, self.dim, self.tokenizer = uri, int(dim), tokenizer
        self._tokenize = get_tokenizer(tokenizer)
        self.local = uri.endswith(".db")
        self.dense_index = dense_index or ("FLAT" if self.local else "HNSW")
        self.hnsw_m, self.ef_search = hnsw_m, ef_search
        self.collection = collection_name(model, dim, tokenizer, lexical_field, k1, b)
        self._errors = (MilvusException,)
        try:
            # Milvus Lite's embedded gRPC server keeps gRPC's default ping policy (one ping per 5 min
            # without data); pymilvus pings every 10 s, which the server answers with GOAWAY
            # "too_many_pings" logged on stderr. Ping no more often than it allows.
            opts = {"grpc_options": {"grpc.keepalive_time_ms": 360_000,
                                     "grpc.keepalive_permit_without_calls": False}} if self.local else {}
            self.client = MilvusClient(uri=uri, token=token, **opts) if token else MilvusClient(uri=uri, **opts)
            if not self.client.has_collection(self.collection):
                self._create(model, k1, b, lexical_field)
            self.client.load_collection(self.collection)
        except (MilvusException, OSError, RuntimeError, ValueError) as e:
            raise self._error("open", e) from e

    def _error(self, what: str, e: BaseException) -> IndexError_:
        hint = ("check that the .db file's folder is writable and no other process holds it open"
                if self.local else "check that the Milvus server runs there (`docker compose -f "
                "deploy/milvus-standalone.yml up -d`) and the URI / token are right")
        return IndexError_(f"Milvus store {self.uri}: cannot {what} collection {self.collection} "
                           f"({type(e).__name__}: {e}); {hint}")

    def _create(self, model: str, k1: float, b: float, lexical_field: str) -> None:
        from pymilvus import DataType, Function, FunctionType, MilvusClient

        s = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False,
                                       description=json.dumps({"policyqa": 1, "model": model, "tokenizer":
                                                               self.tokenizer, "lexical_field": lexical_field},
                                                              ensure_ascii=False))
        s.add_field("chunk_id", DataType.VARCHAR, is_primary=True, max_length=ID_LEN)
        for name, n in (("doc_id", ID_LEN), ("parent_doc_id", ID_LEN), ("region", META_LEN), ("level", META_LEN),
                        ("date", 64), ("kind", 64), ("fingerprint", 128)):
            s.add_field(name, DataType.VARCHAR, max_length=n)
        s.add_field("seq", DataType.INT64)
        s.add_field("vec", DataType.FLOAT_VECTOR, dim=self.dim)
        s.add_field("lex", DataType.VARCHAR, max_length=LEX_LEN, enable_analyzer=True,
                    analyzer_params={"tokenizer": "standard"})
        s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        s.add_function(Function(name="lex_bm25", function_type=FunctionType.BM25, input_field_names=["lex"],
                                output_field_names=["sparse"]))
        ip = self.client.prepare_index_params()
        params = {"M": self.hnsw_m, "efConstruction": 200} if self.dense_index == "HNSW" else {}
        ip.add_index(field_name="vec", index_type=self.dense_index, metric_type="IP", params=params)
        ip.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                     params={"bm25_k1": float(k1), "bm25_b": float(b)})
        for name in ("doc_id", "parent_doc_id", "region", "level"):
            ip.add_index(field_name=name, index_type="INVERTED")
        self.client.create_collection(self.collection, schema=s, index_params=ip, consistency_level="Strong")

    # ------------------------------------------------------------------ writing

    def lexical_text(self, text: str) -> str:
        return encode_tokens(self._tokenize(text)) or EMPTY_TEXT

    def _record(self, r: StoreRow) -> dict[str, Any]:
        lex = self.lexical_text(r.text)
        if len(lex) > LEX_LEN:
            raise IndexError_(f"chunk {r.chunk_id} of {r.doc_id} has {len(lex)} bytes of lexical tokens; the Milvus "
                              f"store holds at most {LEX_LEN}: lower IngestConfig.max_chunk_tokens and re-index")
        vec = np.asarray(r.vector, dtype=np.float32).reshape(-1)
        if vec.size != self.dim:
            raise IndexError_(f"chunk {r.chunk_id} has a vector of dimension {vec.size}; collection "
                              f"{self.collection} holds dimension {self.dim}")
        return {"chunk_id": r.chunk_id, "doc_id": r.doc_id, "parent_doc_id": r.parent_doc_id, "region": r.region,
                "level": r.level, "date": r.date, "kind": r.kind, "fingerprint": r.fingerprint, "seq": int(r.seq),
                "vec": vec.tolist(), "lex": lex}

    def add(self, rows: Sequence[StoreRow], progress: bool = False) -> None:
        """Insert (or replace, by chunk id) rows, in batches; records are all built first, so bad input
        fails before anything is written."""
        records = [self._record(r) for r in rows]
        batches = range(0, len(records), INSERT_BATCH)
        if progress and len(records) > INSERT_BATCH:
            from tqdm import tqdm

            batches = tqdm(batches, desc=f"milvus insert ({len(records)} chunks)", unit="batch")
        try:
            for i in batches:
                self.client.upsert(self.collection, records[i : i + INSERT_BATCH])
        except self._errors as e:
            raise self._error("write to", e) from e

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        ids = sorted(set(doc_ids))
        try:
            for i in range(0, len(ids), DELETE_BATCH):
                self.client.delete(self.collection, filter=_in("doc_id", ids[i : i + DELETE_BATCH]))
        except self._errors as e:
            raise self._error("delete from", e) from e

    # ------------------------------------------------------------------ reading

    def documents(self) -> dict[str, str]:
        out: dict[str, str] = {}
        fields = ["doc_id", "fingerprint"]
        try:
            rows = self.client.query(self.collection, filter="seq == 0", output_fields=fields, limit=MAX_TOPK)
            if len(rows) < MAX_TOPK:
                return {r["doc_id"]: r["fingerprint"] for r in rows}
            it = self.client.query_iterator(self.collection, batch_size=1000, filter="seq == 0", output_fields=fields)
            while batch := it.next():
                out.update((r["doc_id"], r["fingerprint"]) for r in batch)
            it.close()
        except self._errors as e:
            raise self._error("read", e) from e
        return out

    def count(self) -> int:
        try:
            res = self.client.query(self.collection, filter="", output_fields=["count(*)"])
        except self._errors as e:
            raise self._error("count", e) from e
        return int(res[0]["count(*)"])

    def _search(self, data: Any, field: str, k: int, flt: RowFilter | None) -> Ranked:
        if k <= 0 or matches_nothing(flt):
            return []
        params: dict[str, Any] = {"metric_type": "BM25" if field == "sparse" else "IP"}
        if field == "vec" and self.dense_index == "HNSW":
            params["params"] = {"ef": max(self.ef_search, min(k, MAX_TOPK))}
        try:
            res = self.client.search(self.collection, data=[data], anns_field=field, limit=min(k, MAX_TOPK),
                                     filter=filter_expr(flt), search_params=params, output_fields=[])
        except self._errors as e:
            raise self._error("search", e) from e
        # BM25 distances are scores; Milvus Lite reports them negated (smaller = better), a server as is.
        fix = abs if field == "sparse" else float
        return [(str(h["chunk_id"]), float(fix(h["distance"]))) for h in res[0]]

    def dense(self, vector: np.ndarray, k: int, flt: RowFilter | None = None) -> Ranked:
        return self._search(np.asarray(vector, dtype=np.float32).reshape(-1).tolist(), "vec", k, flt)

    def lexical(self, text: str, k: int, flt: RowFilter | None = None) -> Ranked:
        query = encode_tokens(t for t in self._tokenize(text) if t)
        return self._search(query, "sparse", k, flt) if query else []

    def hybrid(self, vector: np.ndarray, text: str, k: int, flt: RowFilter | None = None,
               candidates: int = 50, rrf_k: int = 60) -> Ranked:
        """Dense + BM25 fused by Milvus (``hybrid_search`` with ``RRFRanker(rrf_k)``), one round trip."""
        from pymilvus import AnnSearchRequest, RRFRanker

        query = encode_tokens(t for t in self._tokenize(text) if t)
        if not query:
            return self.dense(vector, k, flt)[:k]
        if k <= 0 or matches_nothing(flt):
            return []
        expr, n = filter_expr(flt), min(candidates, MAX_TOPK)
        reqs = [AnnSearchRequest(data=[np.asarray(vector, dtype=np.float32).reshape(-1).tolist()], anns_field="vec",
                                 param={"metric_type": "IP"}, limit=n, expr=expr),
                AnnSearchRequest(data=[query], anns_field="sparse", param={"metric_type": "BM25"}, limit=n, expr=expr)]
        try:
            res = self.client.hybrid_search(self.collection, reqs, ranker=RRFRanker(rrf_k), limit=min(k, MAX_TOPK),
                                            output_fields=[])
        except self._errors as e:
            raise self._error("search", e) from e
        return [(str(h["chunk_id"]), float(h["distance"])) for h in res[0]]

    def drop(self) -> None:
        """Delete the collection (all rows)."""
        self.client.drop_collection(self.collection)

    def close(self) -> None:
        self.client.close()
