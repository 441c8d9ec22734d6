"""Answer from the version in force; say when an earlier version said something different.

The answer path calls three small functions (see ``chatbot.answer``):

- ``excluded_docs``: documents not to answer from — versions replaced by a later one in the
  collection, and repealed documents — unless the question asks for that version ("2017年版",
  "修订前", "原条例…");
- ``prefer_current``: drop those documents' hits (kept when nothing else is left);
- ``version_pieces``: after the answer from the current text, one line per cited article whose
  earlier version read differently: ``2017年版第九条曾规定：“…”`` (cited), or a note that the
  cited text has been replaced when the question asked for an old version.

Statuses come from ``ingest.status.collection_status`` over the index's documents and the
answer's ``today`` (passed in, never read here).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from chatbot.compose import Draft, Piece
from chatbot.revision import article_units, best_match
from index.types import Hit, Scope
from ingest.status import REPEALED, SUPERSEDED, DocStatus, collection_status
from ingest.types import DocMeta
from ingest.versions import sort_date
from lang.versions import OLD_WORDS, version_years

_QUOTE_MAX = 150
_cache: dict[str, Any] = {}


def statuses_for(metas: Mapping[str, DocMeta], today: str) -> dict[str, DocStatus]:
    """``collection_status`` of the index's documents (the last result is kept: metas rarely change)."""
    items = tuple(metas.items())  # compared by identity first: the same DocMeta objects match in C time
    if _cache.get("items") == items and _cache.get("today") == today:
        return _cache["value"]
    key = (today, tuple((d, m.title, sort_date(m), m.effective_date, tuple(m.repeals)) for d, m in items))
    if _cache.get("key") != key:
        _cache["key"], _cache["value"] = key, collection_status(metas.values(), today)
    _cache["items"], _cache["today"] = items, today
    return _cache["value"]


def index_statuses(index: Any, today: str) -> dict[str, DocStatus]:
    """Statuses over the whole collection, also when ``index`` is a filtered view (``all_metas``)."""
    return statuses_for(getattr(index, "all_metas", index.metas), today)


def _groups(statuses: Mapping[str, DocStatus]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d, s in statuses.items():
        if s.version_group:
            out.setdefault(s.version_group, []).append(d)
    return out


def asked_versions(question: str, metas: Mapping[str, DocMeta], statuses: Mapping[str, DocStatus],
                   scope: Scope | None = None) -> dict[str, str]:
    """version group → the doc_id the question asks for ("2017年版…", "修订前…"); {} when it asks none.

    A year selects the version dated that year (its own date first, then its effective date); words
    such as 修订前 / 原条例 select the version before the one in force.
    """
    out: dict[str, str] = {}
    years = version_years(question)
    named = set(scope.doc_ids) if scope is not None else set()
    for gid, ids in _groups(statuses).items():
        ordered = sorted(ids, key=lambda d: sort_date(metas[d]))
        for y in years:
            pick = [d for d in ordered if sort_date(metas[d])[:4] == y] or \
                   [d for d in ordered if metas[d].effective_date[:4] == y]
            if pick:
                out[gid] = pick[-1]
                break
        if gid not in out and OLD_WORDS.search(question) and (not named or named & set(ids)):
            current = [d for d in ordered if statuses[d].status not in (SUPERSEDED, REPEALED)]
            if current and statuses[current[-1]].previous:
                out[gid] = statuses[current[-1]].previous[0]
    return out


def excluded_docs(question: str, scope: Scope, metas: Mapping[str, DocMeta],
                  statuses: Mapping[str, DocStatus], prefer_in_force: bool = True) -> set[str]:
    """Documents the answer should not come from (see module docstring)."""
    asked = asked_versions(question, metas, statuses, scope)
    out: set[str] = set()
    for gid, ids in _groups(statuses).items():
        if gid in asked:
            out.update(d for d in ids if d != asked[gid])
        elif prefer_in_force:
            out.update(d for d in ids if statuses[d].status == SUPERSEDED)
    if prefer_in_force:
        out.update(d for d, s in statuses.items()
                   if s.status == REPEALED and d not in scope.doc_ids and d not in asked.values())
    return out


def prefer_current(hits: Sequence[Hit], excluded: set[str]) -> list[Hit]:
    """Hits without the excluded documents' clauses (all of them when nothing else is left)."""
    kept = [h for h in hits if h.meta.doc_id not in excluded]
    return kept if kept else list(hits)


def prefer_current_per_doc(per_doc: Mapping[str, list[Hit]], excluded: set[str]) -> dict[str, list[Hit]]:
    kept = {d: hs for d, hs in per_doc.items() if d not in excluded}
    return kept if kept else dict(per_doc)


def _hit(index: Any, clause: Any) -> Hit:
    return Hit.of_clause(clause, index.metas[clause.doc_id])


def _label(clause: Any) -> str:
    m = re.match(r"\s*(第[一二三四五六七八九十百零〇两\d]+条)", clause.text)
    return m.group(1) if m else (clause.section_path or "")


def version_pieces(draft: Draft, index: Any, statuses: Mapping[str, DocStatus], max_items: int = 2,
                   earlier: bool = True) -> list[Piece]:
    """Lines to add after an answer: the earlier wording of cited articles where it differs
    (not when ``earlier`` is False: the question picked the version it asks about).

    For a cited document that is itself superseded (the question asked for it), a line naming the
    version in force instead.
    """
    out: list[Piece] = []
    seen: set[str] = set()
    every = getattr(index, "all_metas", index.metas)
    for p in draft.pieces:
        for h in p.hits:
            cid, d = h.clause.clause_id, h.meta.doc_id
            st = statuses.get(d)
            if st is None or cid in seen or len(seen) >= max_items or h.clause.kind in ("header", "heading"):
                continue
            seen.add(cid)
            if st.status == SUPERSEDED and st.superseded_by in every:
                newer = every[st.superseded_by]
                draft.notes.append(f"所引为{sort_date(h.meta)[:4]}年版，已被{sort_date(newer)[:4]}年版修订；"
                                   f"现行文本见《{newer.title}》（{sort_date(newer)}）")
                continue
            if not earlier or not st.previous or st.previous[0] not in index.metas:
                continue
            prev = st.previous[0]
            clauses = [c for c in index.doc_clauses(prev) if c.kind not in ("header", "heading")]
            units = article_units(clauses)
            k, _ = best_match(h.clause.text, units)
            year = sort_date(index.metas[prev])[:4]
            if k < 0:
                continue  # no earlier article close enough to say it was "the same provision"
            old_text = units[k][1]
            now_text = re.sub(r"^\s*第[一二三四五六七八九十百零〇两\d]+条\s*", "", re.sub(r"[\s\u200b]+", "",
                                                                                   h.clause.text))
            if old_text == now_text:
                continue
            old_clause = next(c for c in clauses if article_units([c])[0] == units[k])
            quote = old_text if len(old_text) <= _QUOTE_MAX else old_text[:_QUOTE_MAX] + "……"
            out.append(Piece(text=f"{year}年版{_label(old_clause)}曾规定：“{quote}”", hits=[_hit(index, old_clause)],
                             line=True))
    return out
