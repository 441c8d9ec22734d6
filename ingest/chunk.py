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

import re
from collections.abc import Callable

from ingest.config import IngestConfig
from ingest.types import Chunk, Clause, DocMeta, Document

TokenCounter = Callable[[str], int]
_SENT_END = re.compile(r"(?<=[。！？；!?;\n])")
_SOFT_END = re.compile(r"(?<=[，、,：:])")


def default_counter(config: IngestConfig) -> TokenCounter:
    """tiktoken counter for ``config.encoding_name`` (imported lazily: works offline)."""
    from ingest.tokens import count_tokens, get_encoding

    enc = get_encoding(config.encoding_name)
    return lambda text: count_tokens(text, enc)


def embed_prefix(meta: DocMeta, clause: Clause) -> str:
    """Title and heading chain that precede the chunk text in ``embed_text``."""
    parts = [f"《{meta.title or meta.source}》"] + [h for h in clause.headings if h]
    return " ".join(parts)


def _pieces(text: str, rx: re.Pattern[str]) -> list[str]:
    return [p for p in rx.split(text) if p]


def split_text(text: str, budget: int, count: TokenCounter) -> list[str]:
    """Split ``text`` into consecutive parts of at most ``budget`` tokens, at sentence ends when
    possible, else at commas, else by characters. The parts concatenate back to ``text``.

    >>> split_text("第一句。第二句。第三句。", 8, len)
    ['第一句。第二句。', '第三句。']
    """
    if count(text) <= budget:
        return [text]
    units: list[str] = []
    for sent in _pieces(text, _SENT_END):
        if count(sent) <= budget:
            units.append(sent)
            continue
        for soft in _pieces(sent, _SOFT_END):
            while count(soft) > budget:  # no punctuation at all: cut by characters
                lo, hi = 1, len(soft)
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    lo, hi = (mid, hi) if count(soft[:mid]) <= budget else (lo, mid - 1)
                units.append(soft[:lo])
                soft = soft[lo:]
            if soft:
                units.append(soft)
    parts: list[str] = []
    cur = ""
    for u in units:
        if cur and count(cur + u) > budget:
            parts.append(cur)
            cur = u
        else:
            cur += u
    if cur:
        parts.append(cur)
    return parts


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
