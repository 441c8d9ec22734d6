"""Exact article lookup: "浙江条例第十二条是怎么规定的？" answers with that article, verbatim.

A question naming 第X条 is answered from the clause whose section path (or opening words) is that
article, in the documents the question names (any document when it names none). When those
documents are organised in articles but have no such article, the question is refused rather
than answered from a clause that merely mentions "第X条".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ARTICLE = re.compile(r"第([一二三四五六七八九十百零〇两\d]+)条")


def named_articles(question: str) -> list[str]:
    """Articles a question names.

    >>> named_articles("浙江省科学技术普及条例第十二条和第13条是怎么规定的？")
    ['第十二条', '第13条']
    """
    return list(dict.fromkeys(m.group(0) for m in ARTICLE.finditer(question)))


def is_article(clause, label: str) -> bool:
    """Is this clause the article ``label`` (第十二条)?"""
    path = re.sub(r"\s+", "", clause.section_path or "")
    if path.endswith(label):
        return True
    return re.sub(r"\s+", "", clause.text).startswith(label)


def find_articles(index, labels: list[str], docs: Iterable[str] | None) -> tuple[list, bool]:
    """(clauses that are the named articles, whether the searched documents have articles at all)."""
    doc_ids = list(docs) if docs is not None else list(index.metas)
    found, has_articles = [], False
    for d in doc_ids:
        for c in index.doc_clauses(d):
            if ARTICLE.search(c.section_path or ""):
                has_articles = True
            if any(is_article(c, lb) for lb in labels):
                found.append(c)
    return found, has_articles
