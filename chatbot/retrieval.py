"""The one retrieval path of the answerer: ``retrieve(index, query, config) -> Retrieved``.

Everything an answer may cite comes from a ``Retrieved``: the ranked hits, the per-document hits
of a comparison, the related clauses of a refusal, and clauses reached through the document
structure (a group's 责任单位, a header line, a named article), which are *recorded* in it as they
are reached. ``Retrieved.recorded`` is the list the answer reports and the benchmark stores,
so every cited clause is in the recorded list by construction.

``known_of(index)`` is the collection as data (``query.Known``), built once per index state from
its documents' metadata and texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chatbot.config import AnswerConfig
from index.types import Hit, Scope
from ingest.types import Clause
from query import Known, Query

_KNOWN: dict[int, tuple[tuple[Any, ...], Known, tuple[Any, ...]]] = {}


def known_of(index: Any) -> Known:
    """``Known`` for an index's current documents (rebuilt only when its documents change)."""
    cached = _KNOWN.get(id(index))
    items = tuple(index.metas.items())  # the same DocMeta objects: compared by identity, no sort
    if cached is not None and cached[2] == items:
        return cached[1]
    fp = tuple(sorted((d, m.content_hash, m.title) for d, m in items))
    if cached is not None and cached[0] == fp:
        _KNOWN[id(index)] = (fp, cached[1], items)
        return cached[1]
    texts = {}
    if hasattr(index, "doc_clauses"):
        texts = {d: "\n".join(c.text for c in index.doc_clauses(d)) for d in index.metas}
    known = Known.from_metas(index.metas.values(), texts)
    _KNOWN[id(index)] = (fp, known, items)
    return known


def scope_of(query: Query) -> Scope | None:
    """The index filter a Query names (None: the whole collection). Named documents are the scope
    themselves: they already stand for the places named beside them, and one named by its title
    may lie outside those places (家庭教育促进法 compared with 重庆条例)."""
    s = Scope(doc_ids=list(query.doc_ids), regions=[] if query.doc_ids else list(query.regions))
    return None if s.is_empty() else s


@dataclass
class Retrieved:
    """What one question retrieved; ``record`` adds a clause reached through the structure."""

    index: Any
    hits: list[Hit] = field(default_factory=list)  # pooled ranking within the scope
    per_doc: dict[str, list[Hit]] = field(default_factory=dict)  # comparisons / precedents
    related: list[Hit] = field(default_factory=list)  # nearest clauses outside an empty scope
    expanded: list[Hit] = field(default_factory=list)  # reached through the document structure
    pinned: list[Hit] = field(default_factory=list)  # found by an exact lookup of what the question names

    def ranked(self) -> list[Hit]:
        """Ranked hits, each chunk once: for a question answered document by document the
        per-document hits first, rank by rank (every document's best, then every second best …),
        then the pooled hits; then the related hits."""
        out, seen = [], set()
        lists = list(self.per_doc.values())
        per_doc = [hs[i] for i in range(max((len(hs) for hs in lists), default=0)) for hs in lists if i < len(hs)]
        for h in per_doc + self.hits + self.related:
            if h.chunk.chunk_id not in seen:
                seen.add(h.chunk.chunk_id)
                out.append(h)
        return out

    @property
    def recorded(self) -> list[dict[str, Any]]:
        """The list the answer reports: the clauses an exact lookup found (the 第X条, the document
        field line, the basis sentence the question names) first, then the ranked hits, then the
        structurally reached ones."""
        first = {h.chunk.chunk_id for h in self.pinned}
        ranked = self.ranked()
        ranked_ids = {h.chunk.chunk_id for h in ranked}
        out = []
        for h in self.pinned:
            d = h.to_dict()
            if h.chunk.chunk_id not in ranked_ids:
                d["expanded"] = True
            out.append(d)
        out += [h.to_dict() for h in ranked if h.chunk.chunk_id not in first]
        for h in self.expanded:
            if h.chunk.chunk_id in first:
                continue
            d = h.to_dict()
            d["expanded"] = True
            out.append(d)
        return out

    def lead_with(self, hits: list[Hit]) -> None:
        """Each document's hit a per-document answer cites goes first in that document's list (the
        composer's choice of line is the last ranking stage; the hits stay the retrieved ones)."""
        for h in reversed(hits):
            hs = self.per_doc.get(h.meta.doc_id)
            i = next((i for i, x in enumerate(hs or []) if x.chunk.chunk_id == h.chunk.chunk_id), None)
            if hs is not None and i:
                hs.insert(0, hs.pop(i))

    def pin(self, hits: list[Hit]) -> None:
        """Report ``hits`` first: found by looking up what the question names, not by ranking."""
        for h in hits:
            if all(p.chunk.chunk_id != h.chunk.chunk_id for p in self.pinned):
                self.pinned.append(h)

    def record(self, hit: Hit) -> Hit:
        """Add a clause reached through the structure, unless the recorded list already holds it
        (checked against the current lists: a caller may have filtered ``hits`` since)."""
        if not self.contains(hit):
            self.expanded.append(hit)
        return hit

    def contains(self, hit: Hit) -> bool:
        cid = hit.chunk.chunk_id
        return any(h.chunk.chunk_id == cid for h in self.ranked() + self.expanded + self.pinned)

    def clause_hit(self, clause: Clause) -> Hit:
        """A Hit for a clause reached through the document structure (its ranked hit when it has one)."""
        for h in self.ranked() + self.expanded:  # the ranked hit of that clause, when there is one
            if h.clause.clause_id == clause.clause_id:
                return h
        return Hit.of_clause(clause, self.index.metas[clause.doc_id])

    def doc_clauses(self, doc_id: str) -> list[Clause]:
        try:
            return list(self.index.doc_clauses(doc_id))
        except (AttributeError, KeyError):
            return []

    @property
    def has_structure(self) -> bool:
        return hasattr(self.index, "doc_clauses")

    def neighbours_fn(self) -> Callable[[Hit], list[Hit]]:
        """The clauses that may state a clause's 责任单位 for it: following siblings, then ancestors.
        (A composer that cites one has it recorded by ``record_draft``.)"""

        def neighbours(hit: Hit) -> list[Hit]:
            clauses = self.doc_clauses(hit.meta.doc_id)
            pos = next((i for i, c in enumerate(clauses) if c.clause_id == hit.clause.clause_id), None)
            if pos is None:
                return []
            me = clauses[pos]
            out: list[Clause] = []
            for c in clauses[pos + 1: pos + 8]:
                if list(c.headings) != list(me.headings):
                    break
                out.append(c)
            path = me.section_path
            anc = [c for c in clauses[:pos] if c.section_path and path.startswith(c.section_path)
                   and c.section_path != path]
            anc.sort(key=lambda c: -len(c.section_path))
            return [self.unrecorded_hit(c) for c in out + anc]

        return neighbours

    def unrecorded_hit(self, clause: Clause) -> Hit:
        """A Hit for a clause offered to a composer (recorded only if the answer cites it)."""
        return Hit.of_clause(clause, self.index.metas[clause.doc_id])

    def record_draft(self, hits: list[Hit]) -> None:
        """Record every hit an answer cites that the ranking did not return."""
        for h in hits:
            self.record(h)


def with_aspect(index: Any, per_doc: dict[str, list[Hit]], aspect: str) -> dict[str, list[Hit]]:
    """Each document's hits with the clause stating ``aspect`` (lang.aspects: 根据《…》制定,
    自…起施行, 所称…是指) first; read in that document's own clauses, in the order the aspect is
    written (closing articles from the end)."""
    from lang.aspects import BY_NAME, states

    a = BY_NAME[aspect]
    out: dict[str, list[Hit]] = {}
    for d, hs in per_doc.items():
        clauses = list(index.doc_clauses(d))
        found = next((c for c in (reversed(clauses) if a.from_end else clauses) if states(aspect, c.text)), None)
        if found is None:
            out[d] = hs
            continue
        ranked = next((h for h in hs if h.clause.clause_id == found.clause_id), None)
        if ranked is None:
            ranked = Hit.of_clause(found, index.metas[d])
        out[d] = [ranked] + [h for h in hs if h.clause.clause_id != found.clause_id]
    return out


def meta_lines(index: Any, query: Query, max_docs: int = 8) -> dict[str, list[Hit]]:
    """A document field (文号, 印发日期, 施行日期 …) asked of two or more named documents: the clause
    of each that states it (``chatbot.meta.find_line``), as that document's hit; {} otherwise."""
    from chatbot.meta import find_line
    from index.scope import docs_in_regions

    docs = list(dict.fromkeys(query.doc_ids)) or (docs_in_regions(index.metas, query.regions) if query.regions else [])
    if not 2 <= len(docs) <= max_docs:
        return {}
    out: dict[str, list[Hit]] = {}
    for d in docs:
        if d not in index.metas:
            continue
        clauses, meta = list(index.doc_clauses(d)), index.metas[d]
        found = find_line(clauses, query.meta_field, meta)
        c = found[0] if found is not None else None
        if c is None and clauses and {"doc_number": meta.doc_number, "date": meta.date,
                                      "issuers": "".join(meta.issuers)}.get(query.meta_field):
            c = clauses[0]  # stated in the header the parser read into metadata: cited by the first part
        if c is not None:
            out[d] = [Hit.of_clause(c, index.metas[d])]
    return out


def one_per_place(per_doc: dict[str, list[Hit]], query: Query) -> dict[str, list[Hit]]:
    """A place named in a comparison is one line: of its documents that the question did not name
    one by one, the one ranked first on the question's topic (``per_doc`` is in that order) — a
    version the question picked before the others; an attachment goes with its document.
    "河南和郑州的条例…" among a hundred 郑州 regulations compares 河南's and 郑州's on the topic, not
    every regulation of 郑州. Unchanged when the question asks for several documents (哪些条例, 各地).

    >>> from ingest.types import Chunk, DocMeta
    >>> def hit(d, region):
    ...     return Hit(Chunk(d + "/1", d + "/1", d, "", ""), Clause(d + "/1", d, d, "", [], ""), DocMeta(d, d, region=region), 0.0)
    >>> per_doc = {d: [hit(d, r)] for d, r in [("zz2", "郑州市"), ("hn", "河南省"), ("zz1", "郑州市")]}
    >>> q = Query("", "河南和郑州的条例对科普场馆各怎么规定", regions=("河南省", "郑州市"))
    >>> list(one_per_place(per_doc, q))
    ['zz2', 'hn']
    """
    if not query.regions or query.collective or query.several:
        return per_doc
    from lang.divisions import same_region

    places: dict[str, list[str]] = {}
    for d, hs in per_doc.items():
        region = hs[0].meta.region if hs else ""
        if d in query.designated or not region:
            continue
        r = next((r for r in query.regions if region == r), None) or next(
            (r for r in query.regions if same_region(r, region)), None)
        if r is not None:
            places.setdefault(r, []).append(d)
    home = {d: (hs[0].meta.parent_doc_id or d) for d, hs in per_doc.items() if hs}  # an attachment is its document's
    drop: set[str] = set()
    for docs in places.values():
        best = next((d for d in docs if d in query.versions), docs[0])
        drop |= {d for d in docs if home[d] != home[best]}
    return {d: hs for d, hs in per_doc.items() if d not in drop}


def with_penalties(index: Any, hits: list[Hit], top: int = 3) -> list[Hit]:
    """For a question about the consequence of breaking a rule: right after each of the ``top``
    ranked rule articles, the article of the same law that sets its penalty by naming it
    ("凡违反本条例第二十一条规定者，…给予行政处分"), which shares few words with the question."""
    from chatbot.article import penalty_for
    from lang.wording import PENALTY

    return _next_to(index, hits, top, lambda clauses, c: None if PENALTY.search(c.text) else penalty_for(clauses, c))


def with_rules(index: Any, hits: list[Hit], top: int = 1) -> list[Hit]:
    """For a question about a consequence: right after each of the ``top`` ranked penalty articles
    that name the rule broken by number ("有第二十八条规定行为之一的，…处…罚款"), that rule, which says
    the question's words ("倾倒燃气残液") the penalty article does not. Only the best: a lower-ranked
    penalty's rule would push the rule asked about out of the composer's reach."""
    from chatbot.article import rule_of

    return _next_to(index, hits, top, rule_of)


def _next_to(index: Any, hits: list[Hit], top: int, partner: Callable[[list[Clause], Clause], Clause | None]
             ) -> list[Hit]:
    """``hits`` with each of the ``top`` first ones followed by its ``partner`` article of the same
    document (moved up when it ranks lower, added when it was not retrieved)."""
    out = list(hits)
    for h in hits[:top]:
        mate = partner(list(index.doc_clauses(h.meta.doc_id)), h.clause)
        if mate is None:
            continue
        at = next(i for i, x in enumerate(out) if x.chunk.chunk_id == h.chunk.chunk_id)
        old = next((x for x in out if x.clause.clause_id == mate.clause_id), None)
        if old is not None and out.index(old) <= at + 1:
            continue
        if old is not None:
            out.remove(old)
        out.insert(at + 1, old or Hit.of_clause(mate, h.meta, h.score))
    return out


def retrieve(index: Any, query: Query, config: AnswerConfig) -> Retrieved:
    """The hits a Query is answered from: its terms, its scope, k from the config."""
    scope = scope_of(query)
    structural = query.asks_document or query.intent.value in ("document", "overview")
    hits = list(index.search(query.terms, k=config.k, scope=scope, structural=structural))
    per_doc: dict[str, list[Hit]] = {}
    if query.per_document:
        k_per_doc = config.k_per_doc + (2 if query.asks_number else 0)  # figures sit in fewer clauses
        compare = query.intent.value == "compare"
        pool = max(k_per_doc, config.compare_pool) if compare else k_per_doc
        per_doc = dict(index.search_per_doc(query.doc_terms or query.terms, k_per_doc=pool, scope=scope,
                                            structural=structural))
        per_doc = one_per_place(per_doc, query)
        if compare:  # each document's line, chosen with the others' from a deeper pool, ranks first
            from chatbot.compose_docs import rerank_per_doc

            for d, hs in per_doc.items():  # a clause the pooled ranking found is in its document's pool too
                ids = {h.chunk.chunk_id for h in hs}
                hs.extend(h for h in hits if h.meta.doc_id == d and h.chunk.chunk_id not in ids)

            per_doc = {d: hs[:k_per_doc] for d, hs in rerank_per_doc(query.text, per_doc, query, query.drop,
                                                                           query.wording).items()}
        if query.aspect and hasattr(index, "doc_clauses"):
            per_doc = with_aspect(index, per_doc, query.aspect)
    elif query.meta_field and hasattr(index, "doc_clauses"):
        per_doc = meta_lines(index, query)
    if query.asks_consequence and hasattr(index, "doc_clauses"):
        hits = with_rules(index, with_penalties(index, hits))
    related: list[Hit] = []
    if not hits and scope is not None:
        related = list(index.search(query.terms, k=config.related_k, scope=None))
    return Retrieved(index, hits, per_doc, related)
