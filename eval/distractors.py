"""Answer quality among unrelated documents: a gold set on its own corpus, then with scale-corpus
documents mixed in as distractors (``policyqa eval --set gold,dev --distractors 100,400,all``).

The scale corpus's chunks are embedded once, in the background, into a cache of shards
(``<cache>/shard-NNNNN.npz``: ``keys`` = sha1 hex of a chunk's ``embed_text``, ``vecs`` float32,
written by the real int8 model) with ``order.json`` listing the documents in embedding order
(the most competitive distractors first). ``CachedPassageEmbedder`` serves passages from that
cache and sends queries and misses to the real model, so a mixed index is built in seconds with
the same vectors the model would give. Only documents whose chunks are all cached are mixed in.

A scale document that *is* a document of the set's corpus (same source file name) is left out
(it would be the same document twice, under the same id); other versions and copies of the same
instrument stay in: the version logic has to handle them.

Metric (``foreign_citation_share``): a cited clause is *foreign* when its document is neither
one of the gold item's evidence documents nor a document of the set's own corpus — it comes from
a distractor. ``out_of_scope_citation_share`` is stricter for questions that name a scope: a
citation is out of scope when its document is not an evidence document and (the question names
regions or documents) it is not one of the named documents and its region is none of the named
regions. Both are shares of all cited clauses of the answered items.

>>> rec = {"refused": False, "citations": [{"doc": "a.md"}, {"doc": "x.md"}, {"doc": "b.md"}],
...        "scope": {"regions": ["上海市"], "doc_ids": []}}
>>> foreign_citations(rec, evidence_docs={"a.md"}, own_docs={"a.md", "b.md"})
(1, 3)
>>> out_of_scope_citations(rec, {"a.md"}, {"x.md": "北京市", "b.md": "上海市"})
(1, 3)
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingest.types import Chunk, Document


def text_key(text: str) -> str:
    """The cache key of a passage: sha1 hex of its embed text.

    >>> text_key("第一条 为了实施科教兴国战略，制定本条例。")[:12]
    '6206d45bbcdc'
    """
    return hashlib.sha1(text.encode()).hexdigest()


def load_cache(cache_dir: Path) -> dict[str, np.ndarray]:
    """Every cached passage vector by key (shards written atomically; a half-written temp is skipped)."""
    out: dict[str, np.ndarray] = {}
    for p in sorted(Path(cache_dir).glob("shard-*.npz")):
        with np.load(p, allow_pickle=False) as z:
            out.update(zip(z["keys"].tolist(), np.asarray(z["vecs"], dtype=np.float32), strict=True))
    return out


class CachedPassageEmbedder:
    """Passages from the vector cache; queries and cache misses go to the real model, loaded on
    first need by ``load_inner`` (misses are kept in this process's cache too)."""

    def __init__(self, cache: dict[str, np.ndarray], load_inner: Callable[[], Any], name: str, dim: int = 384) -> None:
        self.cache, self._load, self._inner = cache, load_inner, None
        self.name, self.dim = name, dim
        self.hits = self.misses = 0

    @property
    def inner(self) -> Any:
        if self._inner is None:
            self._inner = self._load()
        return self._inner

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        todo = list(dict.fromkeys((k, t) for k, t in zip(keys, texts, strict=True) if k not in self.cache))
        self.hits += len(texts) - len(todo)
        if todo:
            vecs = np.asarray(self.inner.encode_passages([t for _, t in todo], show_progress=show_progress),
                              dtype=np.float32)
            self.cache.update(zip([k for k, _ in todo], vecs, strict=True))
            self.misses += len(todo)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.cache[k] for k in keys])


def cached_documents(order: Sequence[str], chunks: Mapping[str, Sequence[Chunk]], cache: Mapping[str, Any]) -> list[str]:
    """Doc ids of ``order`` whose every chunk is cached, in that order.

    >>> c = {"a": [Chunk("a#1", "a#1", "a", "x", "x")], "b": [Chunk("b#1", "b#1", "b", "y", "y")]}
    >>> cached_documents(["b", "a"], c, {text_key("x"): 0})
    ['a']
    """
    return [d for d in order if chunks.get(d) and all(text_key(c.embed_text) in cache for c in chunks[d])]


def pick_distractors(cached: Sequence[str], docs: Mapping[str, Document], own: Iterable[Document],
                     n: int) -> tuple[list[Document], list[str]]:
    """The first ``n`` cached documents (all when ``n`` <= 0) that are not documents of ``own``
    (same doc id or source file name); returns them and the ids left out as the same document."""
    own_ids = {d.meta.doc_id for d in own} | {Path(d.meta.source).name for d in own}
    out, same = [], []
    for d in cached:
        doc = docs[d]
        if doc.meta.doc_id in own_ids or Path(doc.meta.source).name in own_ids:
            same.append(d)
            continue
        out.append(doc)
        if 0 < n <= len(out):
            break
    return out, same


def foreign_citations(rec: Mapping[str, Any], evidence_docs: set[str], own_docs: set[str]) -> tuple[int, int]:
    """(foreign, all) cited clauses of one answered record (see the module doc)."""
    if rec.get("refused"):
        return 0, 0
    docs = [Path(c.get("doc", "")).name for c in rec.get("citations") or []]
    return sum(d not in evidence_docs and d not in own_docs for d in docs), len(docs)


def out_of_scope_citations(rec: Mapping[str, Any], evidence_docs: set[str], regions: Mapping[str, str]) -> tuple[int, int]:
    """(out of the named scope, all) cited clauses of one answered record; ``regions``: source file → region.
    A question that names no scope has no citation out of it."""
    from lang.divisions import same_region

    if rec.get("refused"):
        return 0, 0
    scope = rec.get("scope") or {}
    named_regions, named_docs = list(scope.get("regions") or []), {str(d) for d in scope.get("doc_ids") or []}
    docs = [Path(c.get("doc", "")).name for c in rec.get("citations") or []]
    if not (named_regions or named_docs):
        return 0, len(docs)

    def inside(src: str) -> bool:
        if src in evidence_docs or any(Path(d.split("#")[0]).stem == Path(src).stem for d in named_docs):
            return True
        region = regions.get(src, "")
        return bool(region) and any(same_region(r, region) for r in named_regions)

    return sum(not inside(d) for d in docs), len(docs)


def share(pairs: Iterable[tuple[int, int]]) -> float | None:
    """Sum of the first over the sum of the second (None when nothing was cited).

    >>> share([(1, 3), (0, 2), (0, 0)])
    0.2
    """
    a = b = 0
    for x, y in pairs:
        a, b = a + x, b + y
    return round(a / b, 4) if b else None


HEADLINE = ("recall@5", "keyword_accuracy", "refusal_rate_unanswerable", "false_refusal_rate", "citation_validity")


def scope_figures(items: Sequence[Any], records: Sequence[Mapping[str, Any]], own_docs: set[str],
                  regions: Mapping[str, str]) -> dict[str, Any]:
    by_id = {i.id: i for i in items}
    fa, oa = [], []
    for r in records:
        ev = {Path(g["doc"]).name for g in by_id[r["id"]].gold}
        fa.append(foreign_citations(r, ev, own_docs))
        oa.append(out_of_scope_citations(r, ev, regions))
    return {"foreign_citation_share": share(fa), "out_of_scope_citation_share": share(oa),
            "answers_citing_foreign": sum(1 for f, _ in fa if f),
            "unanswerable_answered": answered_by_distractors(records, own_docs)}


def answered_by_distractors(records: Sequence[Mapping[str, Any]], own_docs: set[str]) -> list[dict[str, Any]]:
    """Items the set's own corpus cannot answer that were answered from distractors only: listed
    for a reader to judge, since a mixed-in document may really hold the answer (a national
    regulation on annual leave answers a question the set's corpus leaves open).

    >>> answered_by_distractors([{"id": "u1", "type": "unanswerable", "question": "年休假几天？", "refused": False,
    ...                           "citations": [{"doc": "x.md", "title": "职工带薪年休假条例"}]}], {"a.md"})
    [{'id': 'u1', 'question': '年休假几天？', 'cited': ['职工带薪年休假条例']}]
    """
    out = []
    for r in records:
        docs = [c["doc"] for c in r.get("citations", [])]
        if r.get("type") == "unanswerable" and not r.get("refused") and docs and not set(docs) & own_docs:
            titles = list(dict.fromkeys(c.get("title") or c["doc"] for c in r["citations"]))
            out.append({"id": r["id"], "question": r["question"], "cited": titles})
    return out


def premise_changed(items: Sequence[Any], extra_titles: Iterable[str]) -> dict[str, str]:
    """Unanswerable items whose missing document (``GoldItem.absent``) a mixed-in document is: id →
    that document's title. Answering them is then right, so they leave the refusal rate.

    >>> from eval.gold_io import GoldItem
    >>> u = GoldItem("u1", "职工累计工作满10年，一年能休几天年休假？", "unanswerable", [], absent=["职工带薪年休假条例"])
    >>> premise_changed([u], ["职工带薪年休假条例", "重庆市物业管理条例"]), premise_changed([u], ["企业职工带薪年休假实施办法"])
    ({'u1': '职工带薪年休假条例'}, {})
    """
    titles = list(extra_titles)
    out = {}
    for it in items:
        hit = next((t for t in titles for name in it.absent if name and name in t), None)
        if hit is not None:
            out[it.id] = hit
    return out


def refusal_without(records: Sequence[Mapping[str, Any]], set_aside: Iterable[str]) -> float | None:
    """Refusal rate over the unanswerable items not ``set_aside``.

    >>> refusal_without([{"id": "a", "type": "unanswerable", "refused": True},
    ...                  {"id": "b", "type": "unanswerable", "refused": False}], ["b"])
    1.0
    """
    skip = set(set_aside)
    rs = [bool(r.get("refused")) for r in records if r.get("type") == "unanswerable" and r["id"] not in skip]
    return round(sum(rs) / len(rs), 4) if rs else None


def run_one(name: str, items: Sequence[Any], docs: list[Document], embedder: Any, chunk_fn: Any, out: Path,
            own_docs: set[str], index_config: Any, progress: bool) -> dict[str, Any]:
    """Build an index of ``docs``, run the gold items, return the headline and scope figures."""
    from eval.run import run_benchmark
    from index.store import ClauseIndex

    t0 = time.perf_counter()
    idx = ClauseIndex.build(docs, embedder, index_config, chunk_fn, progress=False)
    build_s = time.perf_counter() - t0
    summary = run_benchmark(items, idx, out, progress=progress, report=True)
    records = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines() if line]
    ov = summary["project"]["overall"]
    regions = {Path(m.source).name: m.region for m in idx.metas.values()}
    changed = premise_changed(items, [m.title for m in idx.metas.values() if Path(m.source).name not in own_docs])
    by_id = {r["id"]: r for r in records}
    refusal_all = ov.get("refusal_rate_unanswerable")  # the rate with those items counted, reported beside it
    ov = {**ov, "refusal_rate_unanswerable": refusal_without(records, changed)}
    row = {"premise_changed": [{"id": i, "question": by_id[i]["question"], "present": t,
                                "refused": bool(by_id[i].get("refused")),
                                "cited": list(dict.fromkeys(c.get("title") or c["doc"]
                                                            for c in by_id[i].get("citations", [])))}
                               for i, t in changed.items() if i in by_id],
           "refusal_all_unanswerable": refusal_all,
           "run": name, "documents": len(idx.metas), "chunks": len(idx.chunks), "build_seconds": round(build_s, 1),
           **{k: ov.get(k) for k in HEADLINE}, "answer_p50_ms": ov.get("latency_p50_ms"),
           "answer_p95_ms": ov.get("latency_p95_ms"), **scope_figures(items, records, own_docs, regions)}
    return row


def read_prepared(work: Path, wanted: set[str]) -> tuple[dict[str, Document], dict[str, list[Chunk]]]:
    """The prepared documents and chunks (``eval.scale.prepare`` format) of the ``wanted`` doc ids only
    (the whole corpus is ~300 MB of JSON; a line is parsed only when its id is wanted)."""
    head = re.compile(r'^\{"meta": \{"doc_id": "((?:[^"\\]|\\.)*)"')
    docs: dict[str, Document] = {}
    chunks: dict[str, list[Chunk]] = {}
    with open(work / "docs.jsonl", encoding="utf-8") as fd, open(work / "chunks.jsonl", encoding="utf-8") as fc:
        for dl, cl in zip(fd, fc, strict=True):
            m = head.match(dl)
            did = json.loads(f'"{m.group(1)}"') if m else None
            if did is None or did in wanted:
                doc = Document.from_dict(json.loads(dl))
                if doc.meta.doc_id in wanted:
                    docs[doc.meta.doc_id] = doc
                    chunks[doc.meta.doc_id] = [Chunk.from_dict(c) for c in json.loads(cl)]
    return docs, chunks


def chunk_ids_of(work: Path) -> dict[str, list[Chunk]]:
    """Every prepared document's chunks (to tell which documents the cache covers completely)."""
    out: dict[str, list[Chunk]] = {}
    with open(work / "chunks.jsonl", encoding="utf-8") as fc:
        for cl in fc:
            cs = [Chunk.from_dict(c) for c in json.loads(cl)]
            if cs:
                out[cs[0].doc_id] = cs
    return out


def parse_counts(spec: str) -> list[int]:
    """``"100,400,all"`` → ``[100, 400, 0]`` (0: every cached document).

    >>> parse_counts("100, all")
    [100, 0]
    >>> parse_counts("ten")
    Traceback (most recent call last):
    ...
    ValueError: --distractors: 'ten' is not a number of documents; expected e.g. 100,400,all
    """
    out = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        if part == "all":
            out.append(0)
        elif part.isdigit() and int(part) > 0:
            out.append(int(part))
        else:
            raise ValueError(f"--distractors: {part!r} is not a number of documents; expected e.g. 100,400,all")
    if not out:
        raise ValueError("--distractors: no count given; expected e.g. 100,400,all")
    return out


def run_distractors(sets: Sequence[Any], counts: Sequence[int], embedder: Any, out: Path, work: Path,
                    cache_dir: Path, progress: bool = True) -> dict[str, Any]:
    """Every set alone and with each count of cached scale documents mixed in; writes
    ``OUT/<set>/<run>/`` (a normal eval run each), ``OUT/summary.json`` and ``OUT/report.md``."""
    from eval.gold_io import load_gold
    from index.config import IndexConfig
    from index.store import corpus_files, default_chunk_fn
    from ingest.config import IngestConfig
    from ingest.pipeline import ingest_paths

    order = json.loads((cache_dir / "order.json").read_text(encoding="utf-8"))
    all_chunks = chunk_ids_of(work)
    cached = cached_documents(order, all_chunks, embedder.cache)
    del all_chunks
    scale_docs, scale_chunks = read_prepared(work, set(cached))
    default = default_chunk_fn(IngestConfig())
    result: dict[str, Any] = {"scale_documents": len(order), "cached_documents": len(cached),
                              "cached_chunks": len(embedder.cache), "embedder": embedder.name, "sets": {}}
    for gset in sets:
        items = load_gold(gset.gold)
        own = ingest_paths(corpus_files(gset.corpus), IngestConfig(), progress=False).documents
        own_docs = {Path(d.meta.source).name for d in own}
        rows = []
        for n in [-1, *counts]:
            extra, same = ([], []) if n < 0 else pick_distractors(cached, scale_docs, own, n)
            extra_ids = {d.meta.doc_id for d in extra}

            def chunk_fn(doc: Document, extra_ids: set[str] = extra_ids) -> list[Chunk]:
                return scale_chunks[doc.meta.doc_id] if doc.meta.doc_id in extra_ids else default(doc)

            label = "alone" if n < 0 else f"mixed-{len(extra)}"
            row = run_one(label, items, own + extra, embedder, chunk_fn, out / gset.name / label, own_docs,
                          IndexConfig(), progress)
            row.update(distractors=len(extra), same_document_skipped=len(same))
            rows.append(row)
            print(f"{gset.name} {label}: " + ", ".join(f"{k}={row[k]}" for k in (*HEADLINE, "foreign_citation_share",
                                                                              "out_of_scope_citation_share")),
                  flush=True)
        result["sets"][gset.name] = rows
    result["embedder_cache_hits"], result["embedder_cache_misses"] = embedder.hits, embedder.misses
    from eval.run import write_json

    write_json(out / "summary.json", result)
    (out / "report.md").write_text(render(result), encoding="utf-8")
    return result


def _f(v: Any) -> str:
    return "" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def render(result: Mapping[str, Any]) -> str:
    """``report.md``: one table per set, alone then each mixed run, with the change against alone."""
    from eval.report import _table

    lines = ["# Answer quality among distractors", "",
             f"{result['cached_documents']} of {result['scale_documents']} scale documents fully embedded in the cache "
             f"({result['cached_chunks']:,} chunks; {result['embedder']}); the most competitive (by BM25 against "
             "all gold questions) first. A scale document that is a document of the set's corpus is skipped.",
             "", "foreign = cited clauses from documents that are neither evidence nor the set's own; out of scope = "
             "cited clauses outside the regions / documents the question names (and not evidence).", ""]
    head = ["run", "docs", "chunks", "R@5", "kw", "refusal", "false refusal", "validity", "foreign cit.",
            "out-of-scope cit.", "answers citing foreign", "p95 ms"]
    keys = ["run", "documents", "chunks", *HEADLINE, "foreign_citation_share", "out_of_scope_citation_share",
            "answers_citing_foreign", "answer_p95_ms"]
    for name, rows in result["sets"].items():
        lines += [f"## {name}", "", *_table(head, [[_f(r.get(k)) for k in keys] for r in rows]), ""]
        base = rows[0]
        drops = [[r["run"], *[_f(None if r.get(k) is None or base.get(k) is None else round(r[k] - base[k], 4))
                              for k in HEADLINE]] for r in rows[1:]]
        if drops:
            lines += ["Change against alone:", "", *_table(["run", "R@5", "kw", "refusal", "false refusal", "validity"],
                                                           drops), ""]
        for r in rows[1:]:
            if r.get("premise_changed"):
                lines += [f"Unanswerable only because a document was missing, which this run mixes in ({r['run']}; "
                          f"left out of its refusal rate, {_f(r.get('refusal_all_unanswerable'))} with them):", ""]
                lines += [f"- {u['id']} {u['question']} — 《{u['present']}》 now present → "
                          + ("refused" if u["refused"] else "answered from " + "、".join(f"《{t}》" for t in u["cited"]))
                          for u in r["premise_changed"]]
                lines.append("")
            set_aside = {u["id"] for u in r.get("premise_changed") or []}
            if [u for u in r.get("unanswerable_answered") or [] if u["id"] not in set_aside]:
                lines += [f"Unanswerable on the set's own corpus, answered from distractors only ({r['run']}; judge by "
                          "hand whether the cited document holds the answer):", ""]
                lines += [f"- {u['id']} {u['question']} → " + "、".join(f"《{t}》" for t in u["cited"])
                          for u in r["unanswerable_answered"] if u["id"] not in set_aside]
                lines.append("")
    return "\n".join(lines) + "\n"
