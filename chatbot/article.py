"""Exact article lookup: "浙江条例第十二条是怎么规定的？" answers with that article, verbatim.

A question naming 第X条 is answered from the clause whose section path (or opening words) is that
article, in the documents the question names (any document when it names none). When those
documents are organised in articles but have no such article, the question is refused rather
than answered from a clause that merely mentions "第X条". Articles are compared by number, so
第13条 and 第十三条 are the same article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lang.numbering import article_names, article_refs, detect_marker


def named_articles(question: str) -> list[str]:
    """Articles a question names, canonical (第13条 → 第十三条).

    >>> named_articles("浙江省科学技术普及条例第十二条和第13条是怎么规定的？")
    ['第十二条', '第十三条']
    """
    return article_names(question)


def _article_no(clause) -> int:
    path = re.sub(r"\s+", "", clause.section_path or "")
    refs = article_refs(path)
    if refs:
        return refs[-1][0]
    m = detect_marker(clause.text.strip())
    return m.num if m is not None and m.type == "law_tiao" else 0


def is_article(clause, label: str) -> bool:
    """Is this clause the article ``label`` (第十二条 / 第12条)?"""
    wanted = [a for a, _ in article_refs(label)]
    return bool(wanted) and _article_no(clause) == wanted[0]


def find_articles(index, labels: list[str], docs: Iterable[str] | None) -> tuple[list, bool]:
    """(clauses that are the named articles, whether the searched documents have articles at all)."""
    doc_ids = list(docs) if docs is not None else list(index.metas)
    found, has_articles = [], False
    for d in doc_ids:
        for c in index.doc_clauses(d):
            if article_refs(c.section_path or ""):
                has_articles = True
            if any(is_article(c, lb) for lb in labels):
                found.append(c)
    return found, has_articles
