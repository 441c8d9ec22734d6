"""The 未找到相关规定 footer of a comparison: which documents to name as lacking a provision."""

from __future__ import annotations

from typing import Any

from chatbot.compose import Draft, short_title


def missing_titles(draft: Draft, index: Any) -> list[str]:
    """The 未找到相关规定 list without repeats, cover letters (a notice forwarding another document)
    or documents of the same file as a cited one (a cited plan's 任务分解表)."""
    metas = index.metas
    family = {d: (m.parent_doc_id or d) for d, m in metas.items()}
    covers = {m.parent_doc_id for m in metas.values() if m.parent_doc_id}
    cited = {family.get(h.meta.doc_id, h.meta.doc_id) for p in draft.pieces for h in p.hits}
    cited_titles = {short_title(h) for p in draft.pieces for h in p.hits}
    by_title: dict[str, list[str]] = {}
    if draft.missing_docs:  # one pass over the documents, not one per missing title
        for d, m in metas.items():
            by_title.setdefault(short_title_of(m), []).append(d)
    out = []
    for t in dict.fromkeys(draft.missing_docs):
        ids = by_title.get(t, [])
        if t in cited_titles or any(d in covers or family[d] in cited for d in ids):
            continue
        out.append(t)
    return out


def short_title_of(meta: Any) -> str:
    return (meta.title or meta.source).replace("《", "〈").replace("》", "〉")
