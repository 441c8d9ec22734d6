"""Retrieval chunks: one clause per chunk; a clause over the token budget is split at sentences.

``embed_text`` = ``《title》`` + heading chain + the chunk text: what the embedder and BM25 see
(adding the document title lifted dense recall@1 from 0.57 to 0.82 on the bundled corpus).
Bare headings are never chunks of their own: the parser already merged each heading with its body.

>>> from ingest.types import Clause, DocMeta, Document
>>> c = Clause("yz#0/三、（二）2.", "yz#0", "yz.txt", "三、（二）2.", ["三、提升行动", "（二）农民科学素质提升行动"],
...            "2. 加强农村科普与科技服务。充分发挥专业技术学会（协会）等社会组织的作用。")
>>> d = Document(DocMeta("yz#0", "yz.txt", title="扬州市全民科学素质行动实施方案"), [c])
>>> [ch] = make_chunks(d, IngestConfig(), count_tokens=len)
>>> print(ch.embed_text)
《扬州市全民科学素质行动实施方案》 三、提升行动 （二）农民科学素质提升行动
2. 加强农村科普与科技服务。充分发挥专业技术学会（协会）等社会组织的作用。
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.config import IngestConfig
from ingest.types import Chunk, Clause, DocMeta, Document

TokenCounter = Callable[[str], int]


def default_counter(config: IngestConfig) -> TokenCounter:
    """tiktoken counter for ``config.encoding_name`` (imported lazily: works offline)."""
    from ingest.tokens import count_tokens, get_encoding

    enc = get_encoding(config.encoding_name)
    return lambda text: count_tokens(text, enc)


def embed_prefix(meta: DocMeta, clause: Clause) -> str:
    """Title and heading chain that precede the chunk text in ``embed_text``."""
    parts = [f"《{meta.title or meta.source}》"] + [h for h in clause.headings if h]
    return " ".join(parts)


def _sentences(text: str, soft: bool = False, ignore_brackets: bool = False) -> list[str]:
    """Split after 。！？ (and ； at bracket depth 0, and line breaks); with ``soft``, also after ，、：.
    Nothing inside brackets is split, so a （责任单位：…；配合单位：…） group stays whole."""
    ends = "，、,：:" if soft else "。！？!?；;\n"
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（([〔【［《":
            depth += 1
        elif ch in "）)]〕】］》":
            depth = max(0, depth - 1)
        elif ch in ends and (depth == 0 or ignore_brackets):
            out.append(text[start:i + 1])
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return out


def _hard_cut(text: str, budget: int, count: TokenCounter) -> list[str]:
    out = []
    while count(text) > budget:
        lo, hi = 1, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if count(text[:mid]) <= budget else (lo, mid - 1)
        out.append(text[:lo])
        text = text[lo:]
    return out + ([text] if text else [])


def split_text(text: str, budget: int, count: TokenCounter) -> list[str]:
    """Split ``text`` into consecutive parts of at most ``budget`` tokens, at sentence ends when
    possible, else at commas, else by characters. The parts concatenate back to ``text``.

    >>> split_text("第一句。第二句。第三句。第四句。（责任单位：县科协）", 22, len)
    ['第一句。第二句。第三句。', '第四句。（责任单位：县科协）']
    """
    if count(text) <= budget:
        return [text]
    units: list[str] = []
    for sent in _sentences(text):
        if count(sent) <= budget:
            units.append(sent)
            continue
        for piece in _sentences(sent, soft=True):
            if count(piece) <= budget:
                units.append(piece)
                continue
            for sub in _sentences(piece, soft=True, ignore_brackets=True):  # e.g. an unclosed bracket
                units.extend(_hard_cut(sub, budget, count) if count(sub) > budget else [sub])
    return _pack(units, budget, count)


def _pack(units: list[str], budget: int, count: TokenCounter) -> list[str]:
    """Greedy packing (parts as large as the budget allows); a small last part (under half
    of the budget, e.g. a lone 责任单位 group) is rebalanced with the part before it."""
    groups: list[list[str]] = [[]]
    for u in units:
        if groups[-1] and count("".join(groups[-1]) + u) > budget:
            groups.append([])
        groups[-1].append(u)
    if len(groups) >= 2 and count("".join(groups[-1])) < budget / 2:
        pair = groups[-2] + groups[-1]
        total = count("".join(pair))
        best = None
        for k in range(1, len(pair)):
            a, b = "".join(pair[:k]), "".join(pair[k:])
            ca, cb = count(a), count(b)
            if ca <= budget and cb <= budget and (best is None or abs(ca - cb) < best[0]):
                best = (abs(ca - cb), k)
        if best is not None and total > 0:
            groups[-2:] = [pair[:best[1]], pair[best[1]:]]
    return ["".join(g) for g in groups]


def make_chunks(doc: Document, config: IngestConfig | None = None,
                count_tokens: TokenCounter | None = None) -> list[Chunk]:
    """Chunks of a document in clause order (``chunk_id`` = clause id, or ``<clause_id>~<part>``)."""
    cfg = config or IngestConfig()
    count = count_tokens or default_counter(cfg)
    out: list[Chunk] = []
    for clause in doc.clauses:
        prefix = embed_prefix(doc.meta, clause)
        parts = split_text(clause.text, max(16, cfg.max_chunk_tokens), count)
        for i, part in enumerate(parts):
            cid = clause.clause_id if len(parts) == 1 else f"{clause.clause_id}~{i}"
            out.append(Chunk(chunk_id=cid, clause_id=clause.clause_id, doc_id=clause.doc_id, text=part,
                             embed_text=f"{prefix}\n{part.strip()}", part=i))
    return out
