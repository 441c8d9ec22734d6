"""Exact article lookup: "浙江条例第十二条是怎么规定的？" answers with that article, verbatim.

A question naming 第X条 is answered from the clause whose section path (or opening words) is that
article, in the documents the question names (any document when it names none). When those
documents are organised in articles but have no such article, the question is refused rather
than answered from a clause that merely mentions "第X条". Articles are compared by number, so
第13条 and 第十三条 are the same article.

Documents of measures (若干措施, 实施方案) often number their items （一）…（二十八） straight through
all their parts instead of 第X条; staff still call item （二十二） "第二十二条". When a document has no
第X条 but its （X） items are numbered continuously (no number repeats under two parts), 第X条 is
its item （X）.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lang.numbering import article_names, article_refs, chapter_of, detect_marker
from lang.numerals import cn_to_int
from lang.wording import PENALTY


def named_articles(question: str) -> list[str]:
    """Articles a question names, canonical (第13条 → 第十三条).

    >>> named_articles("浙江省科学技术普及条例第十二条和第13条是怎么规定的？")
    ['第十二条', '第十三条']
    """
    return article_names(question)


def article_no(clause) -> int:
    path = re.sub(r"\s+", "", clause.section_path or "")
    refs = article_refs(path)
    if refs:
        return refs[-1][0]
    m = detect_marker(clause.text.strip())
    return m.num if m is not None and m.type == "law_tiao" else 0


def is_article(clause, label: str) -> bool:
    """Is this clause the article ``label`` (第十二条 / 第12条)?"""
    wanted = [a for a, _ in article_refs(label)]
    return bool(wanted) and article_no(clause) == wanted[0]


_ITEM = re.compile(r"^(.*?)[（(]([〇零一二三四五六七八九十百两]+)[）)]")


def item_number(section_path: str) -> tuple[str, int] | None:
    """(the part before it, the number) of the first （X） item in a section path.

    >>> item_number("四、（二十二）")
    ('四、', 22)
    >>> item_number("三、（一）2.") is None, item_number("第三章") is None
    (False, True)
    """
    m = _ITEM.match(re.sub(r"\s+", "", section_path or ""))
    return (m.group(1), cn_to_int(m.group(2))) if m else None


def _continuous_items(clauses: list) -> dict[int, list]:
    """{number: clauses of item （number）} when a document numbers its （X） items straight through
    its parts (no number under two parts, at least two parts); {} otherwise."""
    parts: dict[int, set[str]] = {}
    by_no: dict[int, list] = {}
    for c in clauses:
        it = item_number(c.section_path or "")
        if it:
            parts.setdefault(it[1], set()).add(it[0])
            by_no.setdefault(it[1], []).append(c)
    if not by_no or any(len(p) > 1 for p in parts.values()) or len(set().union(*parts.values())) < 2:
        return {}
    return by_no


def find_articles(index, labels: list[str], docs: Iterable[str] | None) -> tuple[list, bool]:
    """(clauses that are the named articles, whether the searched documents have articles at all)."""
    doc_ids = list(docs) if docs is not None else list(index.metas)
    found, has_articles = [], False
    wanted = {a for lb in labels for a, _ in article_refs(lb)[:1]}  # is_article's test of each label, once
    for d in doc_ids:
        clauses = list(index.doc_clauses(d))
        doc_found, doc_articles = [], False
        for c in clauses:
            if article_refs(c.section_path or ""):
                doc_articles = True
            if wanted and article_no(c) in wanted:
                doc_found.append(c)
        if not doc_articles and not doc_found:
            items = _continuous_items(clauses)
            doc_found = [c for n in sorted(wanted) for c in items.get(n, [])[:1]]
            doc_articles = bool(items)
        found += doc_found
        has_articles = has_articles or doc_articles
    return found, has_articles


def penalty_for(clauses: list, obligation) -> object | None:
    """The article that sets the consequence of breaking ``obligation`` (an article of the same
    document): the first that names it by number ("违反本条例第七条规定的，…") and states a penalty.

    >>> from ingest.types import Clause
    >>> rule = Clause("d#0/7", "d#0", "d.md", "第二章第七条", [], "第七条 图书馆不得出售读者个人信息。")
    >>> pen = Clause("d#0/8", "d#0", "d.md", "第三章第八条", [], "第八条 违反本条例第七条规定的，由文化主管部门给予警告。")
    >>> penalty_for([rule, pen], rule).clause_id
    'd#0/8'
    """
    n = article_no(obligation)
    if not n:
        return None
    for c in clauses:
        if c.clause_id == obligation.clause_id or article_no(c) == n:
            continue
        if n in [a for a, _ in article_refs(c.text)] and PENALTY.search(c.text):
            return c
    return None


def rule_of(clauses: list, penalty) -> object | None:
    """The article a penalty article names as the rule broken ("有第二十八条规定行为之一的，…"), of the
    same document; None when it names none or states no penalty.

    >>> from ingest.types import Clause
    >>> rule = Clause("d#0/7", "d#0", "d.md", "第二章第七条", [], "第七条 燃气用户不得倾倒燃气残液。")
    >>> pen = Clause("d#0/8", "d#0", "d.md", "第三章第八条", [], "第八条 有第七条规定行为的，由燃气主管部门给予警告。")
    >>> rule_of([rule, pen], pen).clause_id, rule_of([rule, pen], rule)
    ('d#0/7', None)
    """
    if not PENALTY.search(penalty.text):
        return None
    own = article_no(penalty)
    refs = [a for a, _ in article_refs(penalty.text) if a != own]
    if not refs:
        return None
    return next((c for c in clauses if article_no(c) == refs[0]), None)


def _chapter_matches(name: str, number: int, title: str) -> bool:
    if name.startswith("第"):
        return article_refs(name.replace("章", "条"))[:1] == [(number, 0)]
    return bool(title) and (title == name or title.endswith(name) or name.endswith(title))


def find_chapter(clauses: list, names: list[str]) -> tuple[list, bool]:
    """(the clauses of the chapters named — 第X章 or a title such as 法律责任 —, whether the document
    is organised in 第X章 chapters at all).

    >>> from ingest.types import Clause
    >>> cs = [Clause("d#0/1", "d#0", "d.md", "第一章第一条", ["第一章　总　则"], "第一条 为了……"),
    ...       Clause("d#0/9", "d#0", "d.md", "第三章第九条", ["第三章　法律责任"], "第九条 违反……")]
    >>> [c.clause_id for c in find_chapter(cs, ["法律责任"])[0]], find_chapter(cs, ["保障措施"])
    (['d#0/9'], ([], True))
    """
    found, has_chapters = [], False
    for c in clauses:
        chapters = [ch for ch in (chapter_of(h) for h in c.headings) if ch]
        has_chapters = has_chapters or bool(chapters)
        if any(_chapter_matches(n, num, title) for n in names for num, title in chapters):
            found.append(c)
    return found, has_chapters
