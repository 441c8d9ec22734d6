"""``answer()``: question → cited ``Answer`` (or a refusal), over a ``ClauseIndex``.

Stages: follow-up resolution → scope (``index.understand``) → question type → retrieval
(``search`` or ``search_per_doc``) → refusal rules → composer (offline, default) or LLM
(optional, checked) → numbered citations.

Refusal rules (``Answer.refused``, reason in ``Answer.refusal_reason``):

- ``unknown_place``: the question names a place / document the corpus lacks and no
  region / document it holds;
- ``unknown_year``: it names a year no document mentions;
- ``year_mismatch``: it asks a figure for a year the supporting sentence does not set;
- ``no_figure``: it asks for a quantity and the best supporting sentence holds none;
- ``region_mismatch``: it names a region, but the best support comes from another region's document;
- ``low_relevance``: the best clause covers too little of the question's content terms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from chatbot import timeaware, versions
from chatbot.article import find_articles, named_articles
from chatbot.cite import make_citation, with_status
from chatbot.compose import (
    Draft,
    Piece,
    compose_compare,
    compose_fact,
    compose_outline,
    compose_precedent,
    compose_responsible,
    has_figure,
    short_title,
    year_ok,
)
from chatbot.config import AnswerConfig
from chatbot.followup import resolve_followup
from chatbot.meta import LABEL, compose_meta, detect_meta
from chatbot.qtype import QType, detect_qtype
from chatbot.sentences import YEAR
from chatbot.sources import missing_titles
from chatbot.types import Answer, AnswerSentence, Citation
from index.types import Hit, Scope
from ingest.types import Chunk

GENERIC_PLACES = ["我省", "我市", "我县", "我区", "全省", "全市", "全县", "本省", "本市", "本县", "省级", "市级", "县级"]
TRAILING_ASK = re.compile(
    r"(的?(具体)?(是多少|是什么|有哪些|有什么|是谁|是哪些|是哪个|由谁负责|谁负责|怎么写|如何表述|怎么规定|如何规定|"
    r"多少|几个|吗|呢|是)|[？?。！!\s])+$"
)


# ---------------------------------------------------------------- helpers over the index


def region_terms(index: Any) -> list[str]:
    """Every region of the corpus in full and short form (removed before lexical scoring)."""
    out: set[str] = set(GENERIC_PLACES)
    for m in index.metas.values():
        if m.region:
            out.add(m.region)
            short = re.sub(r"(自治区|自治州|自治县|省|市|县|区)$", "", m.region)
            if len(short) >= 2:
                out.add(short)
    return sorted(out, key=len, reverse=True)


def title_terms(index: Any, question: str) -> list[str]:
    """How the question names documents ("甘肃的若干措施", "砀山的实施方案"): the longest ending of
    each title found in the question. Naming a document is not content to match clauses against.

    Example: for the title 甘肃省关于新时代进一步加强科学技术普及工作的若干措施 and the question
    "甘肃若干措施里农民科学素质由谁牵头？" this gives ["若干措施"].
    """
    out = []
    for m in index.metas.values():
        core = re.sub(r"[（(][^（()）]*[)）]\s*$", "", (m.title or "").strip())
        for n in range(len(core), 1, -1):
            tail = core[-n:]
            if tail in question:
                out.append(tail)
                break
    return out


def region_named(region: str, named: str) -> bool:
    """Is ``named`` (as the question writes it) this document region?

    >>> region_named("安徽省", "安徽"), region_named("安徽省", "亳州市")
    (True, False)
    """
    if not region or not named:
        return False
    short = re.sub(r"(自治区|自治州|自治县|省|市|县|区)$", "", region)
    return named in (region, short) or region == re.sub(r"(自治区|自治州|自治县|省|市|县|区)$", "", named)


def meta_docs(index: Any, scope: Scope, hits: list[Hit]) -> list[str]:
    """Documents a question about 文号 / 日期 / 发文机关 … is about: those it names, else the top hit's."""
    if scope.doc_ids:
        return list(dict.fromkeys(scope.doc_ids))
    if scope.regions:
        exact = [d for d, m in index.metas.items() if m.region and any(
            r == m.region or re.sub(r"(省|市|县|区)$", "", m.region) == r for r in scope.regions)]
        if exact:
            return exact
    return list(dict.fromkeys(h.meta.doc_id for h in hits[:3]))[:1] if hits else []


def clause_hit(index: Any, clause: Any) -> Hit:
    """A Hit for a clause reached through the document structure rather than the ranking."""
    chunk = Chunk(chunk_id=clause.clause_id, clause_id=clause.clause_id, doc_id=clause.doc_id,
                  text=clause.text, embed_text="")
    return Hit(chunk=chunk, clause=clause, meta=index.metas[clause.doc_id], score=0.0)


def make_neighbours(index: Any):
    """The clauses that may state a clause's 责任单位 for it: following siblings, then ancestors."""

    def neighbours(hit: Hit) -> list[Hit]:
        try:
            clauses = index.doc_clauses(hit.meta.doc_id)
        except Exception:  # noqa: BLE001 - structure lookups are best effort
            return []
        pos = next((i for i, c in enumerate(clauses) if c.clause_id == hit.clause.clause_id), None)
        if pos is None:
            return []
        me = clauses[pos]
        out: list[Hit] = []
        for c in clauses[pos + 1 : pos + 8]:
            if list(c.headings) != list(me.headings):
                break
            out.append(clause_hit(index, c))
        path = me.section_path
        ancestors = [c for c in clauses[:pos] if c.section_path and path.startswith(c.section_path) and c.section_path != path]
        ancestors.sort(key=lambda c: -len(c.section_path))
        out.extend(clause_hit(index, c) for c in ancestors)
        return out

    return neighbours


def allowed_docs(index: Any, scope: Scope) -> set[str] | None:
    """Documents a question that names regions / documents may be answered from (None: any)."""
    if not (scope.regions or scope.doc_ids):
        return None
    ok = set(scope.doc_ids)
    regions = set(scope.regions)
    for m in index.metas.values():
        if m.region and (m.region in regions or any(r and (r in m.region or m.region in r) for r in regions)):
            ok.add(m.doc_id)
    # a document forwarded by / attached to an allowed one is allowed too
    for m in index.metas.values():
        if m.parent_doc_id in ok:
            ok.add(m.doc_id)
        if m.doc_id in ok and m.parent_doc_id:
            ok.add(m.parent_doc_id)
    return ok


def dedupe_hits(hits: Sequence[Hit]) -> list[Hit]:
    out, seen = [], set()
    for h in hits:
        if h.chunk.chunk_id not in seen:
            seen.add(h.chunk.chunk_id)
            out.append(h)
    return out


# ---------------------------------------------------------------- rendering


def attach_marker(text: str, ns: list[int]) -> str:
    """Put [n] before the final end mark: ``超过19%。`` → ``超过19%[1]。``.

    >>> attach_marker("2025年，我市公民具备科学素质比例超过19%。", [1])
    '2025年，我市公民具备科学素质比例超过19%[1]。'
    >>> attach_marker("《甘肃省若干措施》（五）：“加强科普人才队伍建设。”", [2])
    '《甘肃省若干措施》（五）：“加强科普人才队伍建设。”[2]'
    """
    marks = "".join(f"[{n}]" for n in ns)
    if text and text[-1] in "。；;！？!?":
        end = "。" if text[-1] in "；;" else text[-1]
        return text[:-1] + marks + end
    return text + marks


def topic_of_question(question: str) -> str:
    """The question without its trailing ask, for "文件中没有找到关于……的规定".

    >>> topic_of_question("浙江省到2025年公民科学素质比例目标是多少？")
    '浙江省到2025年公民科学素质比例目标'
    >>> topic_of_question("北京市的科普条例怎么规定的？")
    '北京市的科普条例'
    """
    t = TRAILING_ASK.sub("", question.strip())
    t = re.sub(r"^(请问|想问一下|我想知道)[，,]?", "", t)
    # "…是怎么规定的" / "…如何表述" would read "关于…怎么规定的的规定": drop the ask and a dangling 的
    t = re.sub(r"(是)?(怎么|如何|怎样)(规定|表述|写|说)(的)?$", "", t).rstrip("的")
    return t or question.strip().rstrip("？?")


def refusal(
    question: str,
    resolved: str,
    reason: str,
    related_hits: list[Hit],
    config: AnswerConfig,
    extra: str = "",
) -> tuple[str, list[AnswerSentence], list[Citation]]:
    """Text, sentences and related citations of a refusal (related clauses carry no [n] in the text)."""
    topic = topic_of_question(resolved)
    head = f"文件中没有找到关于{topic}的规定。"
    if extra:
        head += extra
    related: list[Citation] = []
    seen: set[str] = set()
    for h in related_hits:
        if h.clause.clause_id in seen:
            continue
        seen.add(h.clause.clause_id)
        related.append(make_citation(h, len(related) + 1))
        if len(related) >= config.related_k:
            break
    lines = [head]
    if related:
        lines.append("相关条款（仅供参考，并非上述问题的答案）：")
        for c in related:
            snippet = re.sub(r"\s+", "", c.text)
            snippet = snippet[:60] + ("……" if len(snippet) > 60 else "")
            lines.append(f"· {c.label}：{snippet}")
    return "\n".join(lines), [AnswerSentence(text=head, citations=[])], related


# ---------------------------------------------------------------- main entry point


def _draft_for(
    resolved: str, qt: QType, hits: list[Hit], per_doc: dict[str, list[Hit]], config: AnswerConfig,
    drop: list[str], index: Any, scope: Scope,
) -> Draft:
    neighbours = make_neighbours(index)
    named = bool(scope.regions or scope.doc_ids)
    if qt.kind == "precedent":
        return compose_precedent(resolved, per_doc, qt, config, drop, named)
    if qt.kind == "compare":
        return compose_compare(resolved, per_doc, qt, config, drop, neighbours, named)
    if qt.kind == "responsible":
        return compose_responsible(resolved, hits, qt, config, drop, neighbours)
    if qt.kind == "fact":
        outline = compose_outline(resolved, hits, qt, config, drop, getattr(index, "doc_clauses", None),
                                  lambda c: clause_hit(index, c))
        if outline is not None:
            return outline
    return compose_fact(resolved, hits, qt, config, drop)


def _refusal_reason(
    qt: QType, scope: Scope, draft: Draft, allowed: set[str] | None, config: AnswerConfig, index: Any
) -> str:
    unknown_years = [m for m in scope.unknown_mentions if YEAR.fullmatch(m.strip()) or re.fullmatch(r"(19|20)\d{2}", m.strip())]
    unknown_places = [m for m in scope.unknown_mentions if m not in unknown_years]
    if unknown_places and not scope.regions:
        return "unknown_place"  # a document matched only by a generic title ending does not count
    if qt.kind == "meta":
        return "" if draft.pieces else "no_metadata"
    if qt.kind == "article":
        return "" if draft.pieces else "no_article"
    if unknown_years:
        return "unknown_year"
    if not draft.pieces:
        return "low_relevance"
    multi = qt.kind in ("compare", "precedent")
    if not multi:
        threshold = config.min_overlap_scoped if allowed is not None else config.min_overlap
        if draft.support < threshold:
            return "low_relevance"
        best = draft.best
        if best is not None and qt.kind != "responsible":
            if qt.asks_number and qt.years and not year_ok(qt, best.sent.text, best.hit):
                return "year_mismatch"
            if qt.asks_quantity and not any(has_figure(p.text) for p in draft.pieces):
                return "no_figure"
            if qt.asks_quantity and scope.regions and not any(
                region_named(best.hit.meta.region, r) for r in scope.regions
            ):
                return "region_mismatch"  # a province's target is not its city's own target
    if allowed is not None:
        first_doc = draft.pieces[0].hits[0].meta.doc_id
        if first_doc not in allowed:
            return "region_mismatch"
    return ""


def _corpus_regions(index: Any) -> str:
    regions = list(dict.fromkeys(m.region for m in index.metas.values() if m.region))
    return "、".join(regions)


def answer(
    question: str,
    index: Any,
    history: Sequence[dict[str, Any]] | None = None,
    config: AnswerConfig | None = None,
    llm: Any | None = None,
) -> Answer:
    """Answer a question (see ``_answer``); every citation carries its document's status on ``config.today``."""
    config = config or AnswerConfig()
    ans = _answer(question, index, history, config, llm)
    statuses = versions.index_statuses(index, config.today)
    with_status(ans.citations, statuses)
    with_status(ans.related, statuses)
    return ans


def _answer(
    question: str,
    index: Any,
    history: Sequence[dict[str, Any]] | None = None,
    config: AnswerConfig | None = None,
    llm: Any | None = None,
) -> Answer:
    """Answer a question from the indexed documents, citing a clause after every sentence.

    ``index`` is an ``index.store.ClauseIndex`` (anything with ``understand``, ``search``,
    ``search_per_doc``, ``metas`` and ``doc_clauses``). ``history`` is the conversation so far in
    messages format. ``llm`` is an optional LangChain chat model; when None and
    ``config.llm_base_url``/``llm_model`` are set, one is built from the config.

    Example: ``answer("扬州市到2025年公民具备科学素质比例要达到多少？", index).text`` →
    ``"根据《扬州市全民科学素质行动实施方案（2021—2025年）》，2025年，我市公民具备科学素质比例超过19%[1]。"``
    """
    config = config or AnswerConfig()
    resolved = resolve_followup(question, history, index.understand)
    resolved = timeaware.absolute_years(resolved, config.today)  # 今年 → 2026年 on the answer's today
    scope = index.understand(resolved)
    qt = detect_qtype(resolved, scope)
    search_scope = None if scope.is_empty() else scope
    hits = list(index.search(resolved, k=config.k, scope=search_scope))
    per_doc: dict[str, list[Hit]] = {}
    if qt.kind in ("compare", "precedent"):
        k_per_doc = config.k_per_doc + (2 if qt.asks_number else 0)  # figures sit in fewer clauses
        per_doc = dict(index.search_per_doc(resolved, k_per_doc=k_per_doc, scope=search_scope))
    statuses = versions.index_statuses(index, config.today)  # version in force unless another is asked
    excluded = versions.excluded_docs(resolved, scope, getattr(index, "all_metas", index.metas), statuses,
                                      config.prefer_in_force)
    hits, per_doc = versions.prefer_current(hits, excluded), versions.prefer_current_per_doc(per_doc, excluded)
    related_pool = hits
    if not hits and search_scope is not None:
        related_pool = list(index.search(resolved, k=config.related_k, scope=None))
    drop = region_terms(index) + title_terms(index, resolved)
    allowed = allowed_docs(index, scope)
    draft = _draft_for(resolved, qt, hits, per_doc, config, drop, index, scope)
    meta_ask = detect_meta(resolved)
    meta_missing: list[str] = []
    if meta_ask is not None and hasattr(index, "doc_clauses"):
        docs = meta_docs(index, scope, hits)
        mk = lambda c: clause_hit(index, c)  # noqa: E731
        mdraft, meta_missing = compose_meta(meta_ask, docs, index, mk)
        if not mdraft.pieces and not (scope.doc_ids or scope.regions):
            for d in dict.fromkeys(h.meta.doc_id for h in hits[:5]):  # not named: the first that states it
                mdraft, meta_missing = compose_meta(meta_ask, [d], index, mk)
                if mdraft.pieces:
                    break
        if mdraft.pieces or docs:
            draft = mdraft
            qt = QType(kind="meta")
    # the article the user names now (a follow-up's carried-over 第X条 is context, not the ask)
    articles = named_articles(question) or (named_articles(resolved) if resolved == question else [])
    if meta_ask is not None or not hasattr(index, "doc_clauses"):
        articles = []
    if articles:
        found, has_articles = find_articles(index, articles, allowed)
        found = [c for c in found if c.doc_id not in excluded] or found
        if found:
            draft = Draft(support=1.0)
            for c in found[: config.max_sentences]:
                h = clause_hit(index, c)
                text = re.sub(r"\s*\n\s*", "", c.text).strip()
                if len(text) > config.max_precedent_chars:
                    text = text[: config.max_precedent_chars] + "……"
                draft.pieces.append(Piece(text=f"《{short_title(h)}》{c.section_path}：“{text}”", hits=[h],
                                          line=len(found) > 1))
            qt = QType(kind="article")
        elif has_articles:
            draft = Draft()
            qt = QType(kind="article")

    retrieved_hits = dedupe_hits(hits + [h for hs in per_doc.values() for h in hs] + related_pool)
    retrieved = [h.to_dict() for h in retrieved_hits]
    retrieved_ids = {h.chunk.chunk_id for h in retrieved_hits}
    for p in draft.pieces:  # clauses reached through the structure (e.g. a group's 责任单位)
        for h in p.hits:
            if h.chunk.chunk_id not in retrieved_ids:
                retrieved_ids.add(h.chunk.chunk_id)
                d = h.to_dict()
                d["expanded"] = True
                retrieved.append(d)

    base = dict(question=question, resolved_question=resolved, qtype=qt.kind, retrieved=retrieved,
                scope=scope.to_dict(), support=round(draft.support, 4))
    reason = _refusal_reason(qt, scope, draft, allowed, config, index)
    if reason:
        extra = ""
        if reason == "unknown_place":
            names = "、".join(m for m in scope.unknown_mentions if not YEAR.fullmatch(m.strip()))
            extra = f"现有文件未涵盖{names}（已收录地区：{_corpus_regions(index)}）。"
        elif reason in ("unknown_year", "year_mismatch"):
            extra = f"现有文件未设定{'、'.join(qt.years) or '该年份'}年的相应规定或目标。"
        elif reason == "no_article":
            extra = f"所涉文件中没有{'、'.join(articles)}。"
        elif reason == "no_metadata" and meta_ask is not None:
            extra = f"该文件未载明{LABEL[meta_ask.field]}。"
        elif reason == "no_figure":
            extra = "相关条款没有给出所问的具体数字。"
        pool = related_pool if not draft.pieces else [h for p in draft.pieces for h in p.hits] + related_pool
        text, sents, related = refusal(question, resolved, reason, pool, config, extra)
        return Answer(text=text, sentences=sents, citations=[], refused=True, related=related,
                      refusal_reason=reason, **base)

    warnings: list[str] = []
    unknown_places = [m for m in scope.unknown_mentions
                      if not YEAR.fullmatch(m.strip()) and not re.search(r"[、，,的对]", m)]
    if unknown_places:
        draft.notes.append("现有文件未涵盖：" + "、".join(unknown_places))
    if meta_missing and draft.pieces and meta_ask is not None:
        draft.notes.append(f"未载明{LABEL[meta_ask.field]}：" + "、".join(f"《{t}》" for t in meta_missing))
    if llm is None and config.llm_enabled:
        from chatbot.llm import make_chat_model

        llm = make_chat_model(config)
    if llm is not None:
        from chatbot.llm import llm_answer

        pool = dedupe_hits([h for p in draft.pieces for h in p.hits] + hits + [h for hs in per_doc.values() for h in hs])
        res = llm_answer(resolved, pool, llm, config)
        warnings.extend(res.warnings)
        if res.refused:
            text, sents, related = refusal(question, resolved, "llm_refused", pool, config)
            return Answer(text=text, sentences=sents, citations=[], refused=True, related=related,
                          refusal_reason="llm_refused", warnings=warnings, **base)
        if not res.failed:
            return _from_llm(res, base, warnings)

    draft.pieces.extend(versions.version_pieces(draft, index, statuses))
    draft.missing_docs = missing_titles(draft, index)
    draft.notes.extend(timeaware.time_notes(draft, statuses, config.today, resolved))
    return _from_draft(draft, base, warnings)


def _from_draft(draft: Draft, base: dict[str, Any], warnings: list[str]) -> Answer:
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    chunks: list[str] = []
    for p in draft.pieces:
        ns = []
        for h in p.hits:
            cid = h.clause.clause_id
            if cid not in numbers:
                numbers[cid] = len(numbers) + 1
                citations.append(make_citation(h, numbers[cid]))
            if numbers[cid] not in ns:
                ns.append(numbers[cid])
        text = attach_marker(p.text, ns)
        sentences.append(AnswerSentence(text=text, citations=ns))
        chunks.append(("\n" if p.line and chunks else "") + text)
    text = "".join(chunks)
    if draft.missing_docs:
        text += "\n（以下文件未找到相关规定：" + "、".join(f"《{t}》" for t in draft.missing_docs) + "）"
    for note in draft.notes:
        text += f"\n（{note}）"
    return Answer(text=text, sentences=sentences, citations=citations, warnings=warnings, **base)


def _from_llm(res: Any, base: dict[str, Any], warnings: list[str]) -> Answer:
    used: list[int] = []
    for s in res.sentences:
        for n in s.citations:
            if n not in used:
                used.append(n)
    renum = {old: new for new, old in enumerate(used, 1)}

    def _re(m: re.Match[str]) -> str:
        return f"[{renum[int(m.group(1))]}]" if int(m.group(1)) in renum else ""

    text = re.sub(r"\[(\d+)\]", _re, res.text)
    sentences = [AnswerSentence(text=re.sub(r"\[(\d+)\]", _re, s.text), citations=[renum[n] for n in s.citations])
                 for s in res.sentences]
    citations = [make_citation(res.hits[old - 1], new) for old, new in renum.items()]
    return Answer(text=text, sentences=sentences, citations=citations, warnings=warnings + ["由 LLM 生成，已校验引用"],
                  **base)
