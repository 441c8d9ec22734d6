"""``understand(question, history, known, today) -> Query``: a question read once.

A standalone question is parsed into its mentions (``query.mentions``), years (``lang.dates``)
and ask (``query.asks``). A follow-up *edits* the previous turn's Query:

- only a place / document / year named ("那甘肃呢？", "2035年呢？"): the previous Query with that
  region, document or year replaced;
- a new ask without a topic ("责任单位是谁？", "它的原文怎么写？"): the previous topic with the new ask;
- a question with its own topic: its own Query, keeping the previous region when it names none.

With no history a bare mention is not a topic: "那甘肃呢？" is an ``OVERVIEW`` of 甘肃's documents.

>>> from ingest.types import DocMeta
>>> k = Known.from_metas([DocMeta("ah#0", "ah.txt", title="安徽省全民科学素质行动实施方案", region="安徽省"),
...                       DocMeta("gs#0", "gs.txt", title="甘肃省若干措施", region="甘肃省")])
>>> h = [{"role": "user", "content": "安徽到2025年公民科学素质比例目标是多少？"}, {"role": "assistant", "content": "…"}]
>>> q = understand("那甘肃呢？", h, k)
>>> q.text, q.regions, q.years, q.intent.value
('甘肃到2025年公民科学素质比例目标是多少？', ('甘肃省',), ('2025',), 'number')
>>> q = understand("那甘肃呢？", None, k)
>>> q.text, q.regions, q.intent.value
('甘肃', ('甘肃省',), 'overview')
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Sequence
from typing import Any

from lang.aspects import ASKS_NAME, ask_aspect, asked_term, without_framing
from lang.dates import absolute_years, digit_years, read_years
from lang.lists import asked_members
from lang.numbering import article_names, chapter_names
from lang.text import squeeze
from lang.units import ASK_FREE_RX
from lang.versions import VERSION_SUFFIX, VERSION_YEAR
from lang.wording import in_text_words, plain, with_full_forms
from lang.wording import wording as lang_wording
from lang.words import (
    DOC_KIND,
    GENERIC_PLACES,
    PRONOUN,
    YEAR_WORD,
    absent_bigrams,
    content_runs,
    joining,
    levels_asked,
)
from query.abbrev import spelled_out
from query.asks import (
    COLLECTIVE,
    COLUMNS_ASK,
    FORMAL_ASK,
    LAST_ASK,
    LEADING_ASK,
    LEADING_PARTICLE,
    PLACE_ASK,
    SEVERAL_DOCS,
    TRAILING_ASK,
    asks_what_too,
    read_ask,
    strip_ask,
)
from query.followup import ASK_WORDS, breach_of, carried_ask, retitled, same_ask_of, sibling_swap, substitute
from query.known import Known
from query.mentions import Mentions, read_mentions
from query.titles import unknown_titles
from query.types import Intent, Query
from query.versions import select_versions

_FILLER = re.compile(r"[的呢吗？?。！!，,\s]|情况|怎么样|如何|又如何|是多少|有哪些")


def user_turns(history: Sequence[dict[str, Any]] | None) -> list[str]:
    """The user questions of a messages-format history, oldest first."""
    out = []
    for m in history or []:
        if not isinstance(m, dict) or m.get("role") != "user":
            continue
        content = m.get("content")
        if isinstance(content, list):  # multimodal message parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if isinstance(content, str) and content.strip():
            out.append(content.strip())
    return out


def understand(question: str, history: Sequence[dict[str, Any]] | None = None, known: Known | None = None,
               today: datetime.date | None = None) -> Query:
    """The Query of ``question`` in the conversation ``history`` (earlier turns understood first)."""
    known = known or Known()
    turns = user_turns(history)
    if turns and turns[-1] == question.strip():
        turns = turns[:-1]  # the current question already appended by the caller
    prev: Query | None = None
    for t in turns:
        prev = _turn(t, prev, known, today)
    return _turn(question, prev, known, today)


def _turn(question: str, prev: Query | None, known: Known, today: datetime.date | None) -> Query:
    """One turn, with 今年 / 明年 written as the year they mean and 二〇三五年 as 2035年 (the
    standalone text names the year in digits, so a follow-up edits it like any other year)."""
    q = _edit_turn(spelled_out(digit_years(absolute_years(question, today)), known), prev, known, today)
    return dataclasses.replace(q, question=question)


def parse(question: str, known: Known, today: datetime.date | None = None, text: str | None = None) -> Query:
    """The Query of a standalone question (``text``: its rewritten form, default the question)."""
    text = (text if text is not None else question).strip()
    m = read_mentions(text, known)
    return assemble(question, text, m, known, today)


def assemble(question: str, text: str, m: Mentions, known: Known, today: datetime.date | None,
             years: tuple[str, ...] | None = None) -> Query:
    """Derive every field of a Query from its text and (given or parsed) mentions."""
    y = read_years(text, today)
    choice = select_versions(text, m.doc_ids, m.regions, known, today)
    yrs = years if years is not None else tuple(str(v) for v in y.years)
    version_years = set(choice.years) | _version_years(text, known, m.doc_ids)  # 2017年版: a version, not a year asked
    yrs = tuple(v for v in yrs if v not in version_years)
    side_by_side = _side_by_side(known, choice.versions)  # "2010年版和2024年版…各是多少"
    ask = read_ask(text, max(len(m.regions), _instruments(known, m.doc_ids), side_by_side))
    doc_ids = choice.doc_ids if choice.versions else m.doc_ids
    not_held = unknown_titles(text, m, known)
    if not_held:
        doc_ids = ()  # a title ending such as 条例 matched a held document; the title names another
    in_scope = _scope_docs(known, m.regions, doc_ids)
    unknown_years = tuple(v for v in yrs if not known.mentions_year(int(v), in_scope))
    region_words = sorted({f for r in known.regions for f in _forms(known, r)} | set(GENERIC_PLACES), key=len, reverse=True)
    held_written = [w for w in m.written if w not in m.unknown_places]  # an unknown name stays content
    drop = tuple(dict.fromkeys(list(region_words) + list(m.titles) + held_written))
    topic = "".join(content_runs(strip_ask(text), drop + tuple(m.written)))
    terms = _focus(text, m) if m.regions else text
    if choice.versions:  # the scope holds the picked version: its year and title words rank nothing
        terms = _without(terms, [w for w in m.titles if len(w) >= 4]
                         + [mm.group(0) for mm in VERSION_YEAR.finditer(terms)]) or terms
    terms = in_text_words(terms)
    intent = ask.intent
    scored = plain_text(text, intent)
    wording, marks = lang_wording(scored)
    absent = absent_bigrams([scored, wording], known.written, drop)  # words no document writes; seams among them
    if intent in (Intent.FACT, Intent.NUMBER) and not topic and not ask.articles and (
            m.regions or m.doc_ids or m.unknown_places):
        intent = Intent.OVERVIEW  # a place or document named, nothing asked about it
    return Query(
        question=question, text=text, intent=intent, regions=m.regions, doc_ids=doc_ids, years=yrs,
        periods=y.periods, unknown_places=m.unknown_places, unknown_years=unknown_years, topic=topic,
        terms=terms, plain="" if scored == text else scored, drop=drop, mentions=m.written, titles=m.titles, asks_number=ask.asks_number, asks_quantity=ask.asks_quantity,
        asks_responsible=ask.asks_responsible, asks_verbatim=ask.asks_verbatim, asks_list=ask.asks_list,
        asks_target=ask.asks_target, asks_outline=ask.asks_outline, asks_document=ask.asks_document,
        designated=_designated_in(known, doc_ids, m.designated), several=bool(SEVERAL_DOCS.search(text)),
        asks_what=asks_what_too(text),
        collective=ask.collective, unit=ask.unit, post=ask.post, meta_field=ask.meta_field, asks_consequence=ask.asks_consequence,
        period=ask.period,
        articles=tuple(article_names(question)),  # this turn's own (a carried-over 第X条 is context)
        chapters=tuple(chapter_names(question)), unknown_titles=not_held,
        wording="" if wording == scored else wording, wording_marks=marks, versions=choice.versions,
        other_versions=choice.others, version_years=choice.years,
        aspect=ask_aspect(text), term=asked_term(text), members=asked_members(text), doc_terms=with_full_forms(_doc_terms(in_text_words(text), m, drop)), asks_name=bool(ASKS_NAME.search(text)),
        unseen=joining(absent), asks_last=bool(LAST_ASK.search(text)),
        asks_columns=bool(COLUMNS_ASK.search(text)), asks_formal=bool(FORMAL_ASK.search(text)),
        asks_place=bool(PLACE_ASK.search(text)), levels=levels_asked(text),
        absent=absent,
    )


def plain_text(text: str, intent: Intent) -> str:
    """The text clauses are scored on: without padding (``lang.wording.plain``); in a responsibility
    question the free ask (谁牵头, 由哪个单位负责) reads 单位, as every unit label ends.

    >>> plain_text("典赞科普安徽活动谁牵头办？", Intent.RESPONSIBILITY)
    '典赞科普安徽活动 单位 ？'
    >>> plain_text("能不能告诉我“典赞·科普安徽”由哪个单位负责？", Intent.RESPONSIBILITY)
    '“典赞·科普安徽” 单位 ？'
    >>> plain_text("中药代煎的质量管理规范由谁来定？", Intent.RESPONSIBILITY)
    '中药代煎的质量管理规范 单位 制定？'
    """
    out = plain(text)
    if intent == Intent.RESPONSIBILITY:  # a colloquial ask is read first (谁来定 → 由谁制定: the act stays)
        out = ASK_FREE_RX.sub(" 单位 ", in_text_words(out))
    return re.sub(r" {2,}", " ", out)


def _version_years(text: str, known: Known, doc_ids: Sequence[str]) -> set[str]:
    """Years that designate versions of the named documents rather than a year asked about:
    "2017年版", or, when two or more versions of one instrument are named, a year one of them
    was made in (its date or its title).

    >>> from ingest.types import DocMeta
    >>> k = Known.from_metas([DocMeta("a", "a.md", title="行政复议法", date="2017-09-01"),
    ...                       DocMeta("b", "b.md", title="行政复议法", date="2023-09-01")])
    >>> sorted(_version_years("2017年和2023年的行政复议法写法有什么变化？", k, ["a", "b"]))
    ['2017', '2023']
    """
    out = set(re.findall(r"((?:19|20)\d{2})\s*年?(?:版|修订版|修正版)", text))
    if len(doc_ids) >= 2 and _instruments(known, doc_ids) == 1:
        made = {known.metas[d].date[:4] for d in doc_ids if d in known.metas and known.metas[d].date}
        made |= {yr for d in doc_ids if d in known.metas for yr in re.findall(r"(?:19|20)\d{2}", known.metas[d].title)}
        out |= {yr for yr in re.findall(r"((?:19|20)\d{2})\s*年", text) if yr in made}
    return out


def _doc_terms(text: str, m: Mentions, drop: Sequence[str]) -> str:
    """The topic words each document of a comparison is ranked on: the question without its ask,
    its framing (分别 / 有什么不同 / 两个版本), the places and document names it gives (the filter
    applies them); the focused text when too little is left."""
    rest = without_framing(strip_ask(text), tuple(m.written) + tuple(m.titles) + tuple(drop))
    if len(re.findall(r"[\u4e00-\u9fff]", rest)) < 2:
        return ""
    return rest


def _instruments(known: Known, doc_ids: Sequence[str]) -> int:
    """How many instruments the named documents are: versions of one law (same core title) count once."""
    return len({known.titles.get(d, d) for d in doc_ids})


def _designated_in(known: Known, scope: Sequence[str], named: Sequence[str]) -> tuple[str, ...]:
    """The documents of the scope named one by one: those named, and the versions of their instruments."""
    groups = {g for d in named for g in [known.versions.get(d)] if g}
    return tuple(d for d in scope if d in named or known.versions.get(d) in groups)


def _side_by_side(known: Known, versions: Sequence[str]) -> int:
    """How many versions of one instrument a question picks (0 for fewer than two): "2010年版和
    2024年版" sets two side by side; "上海2024年条例" picking the 2024 version of each of several
    instruments sets none side by side.

    >>> from ingest.types import DocMeta
    >>> k = Known.from_metas([DocMeta("a", "a.md", title="某市条例"), DocMeta("b", "b.md", title="某市条例"),
    ...                       DocMeta("c", "c.md", title="某市办法")])
    >>> _side_by_side(k, ["a", "b"]), _side_by_side(k, ["a", "c"])
    (2, 0)
    """
    counts: dict[str, int] = {}
    for d in versions:
        key = known.titles.get(d, d)  # one instrument's versions share a core title
        counts[key] = counts.get(key, 0) + 1
    top = max(counts.values(), default=0)
    return top if top >= 2 else 0


def _forms(known: Known, region: str) -> list[str]:
    return known.forms_of(region)


def _scope_docs(known: Known, regions: Sequence[str], doc_ids: Sequence[str]) -> list[str] | None:
    if not (regions or doc_ids):
        return None
    ok = set(doc_ids) or {d for r in regions for d in known.region_docs(r)}
    ok |= {c for p in ok for c in known.children.get(p, ())}
    return list(ok)


def _focus(text: str, m: Mentions) -> str:
    """The text without the region names the filter applies (kept when too little would remain)."""
    rest = squeeze(text)
    for w in sorted((w for w in m.written if w not in m.unknown_places), key=len, reverse=True):
        rest = rest.replace(w, "")
    if len(re.findall(r"[\u4e00-\u9fff]", rest)) - len(re.findall(r"[呢吗啊呀的那这和与及]", rest)) < 4:
        return text
    return rest


def _title_of(known: Known, doc_ids: Sequence[str]) -> str:
    """The core title of the named documents (their versions share it), to lead a follow-up with."""
    titles = [known.titles[d] for d in doc_ids if d in known.titles]
    return titles[0] if titles else ""


def _without(text: str, words: Sequence[str]) -> str:
    """``text`` without ``words`` ("" when fewer than four content characters would remain)."""
    rest = text
    for w in sorted(words, key=len, reverse=True):
        rest = rest.replace(w, " ")
    return rest if len("".join(content_runs(rest))) >= 4 else ""


APPOSED = re.compile(r"[\u4e00-\u9fff]{2}(?:这类|这种|这样的|此类|该类|之类的?)")
# "把这几样证…", "这些材料…": things the previous turn named, not a noun of this turn ("病死的猪这类畜禽")
THOSE_THINGS = re.compile(r"(?:^|[把将对拿带用给让])(?:这|那)(?:几样|几个|几种|几项|几类|些|两个|两样|两项|两种)")


def _core_len(text: str, mentions: Sequence[str]) -> int:
    """How much of a turn is its own topic (not a place, year, pronoun, ask word or stop phrase)."""
    t = LEADING_PARTICLE.sub("", text)
    for w in sorted(mentions, key=len, reverse=True):
        t = t.replace(w, " ")
    t = re.sub(YEAR_WORD.pattern + "(?:" + VERSION_SUFFIX.pattern + ")?", " ", t)  # "2017年修订版" is a year
    t = PRONOUN.sub(" ", t)
    for w in sorted(ASK_WORDS, key=len, reverse=True):
        t = t.replace(w, " ")
    return len("".join(content_runs(t)))


def _bare(text: str) -> str:
    """A bare mention without its follow-up particles: "那甘肃呢？" → "甘肃"."""
    t = LEADING_ASK.sub("", LEADING_PARTICLE.sub("", text.strip()))
    return re.sub(r"(的)?(情况|怎么样|又如何|如何)?[呢吗？?。！!\s]*$", "", t) or text.strip()


def _edit_turn(question: str, prev: Query | None, known: Known, today: datetime.date | None) -> Query:
    q = question.strip()
    own = read_mentions(q, known)
    years = tuple(str(v) for v in read_years(q, today).years)
    pronoun = bool(PRONOUN.search(q))
    core = _core_len(q, own.written)
    leading = bool(LEADING_PARTICLE.match(q))
    if prev is None or prev.intent == Intent.OUT_OF_SCOPE:
        if core <= 2 and (own.written or years or own.doc_ids) and not pronoun:
            return parse(question, known, today, text=_bare(q))
        return parse(question, known, today)
    if own.doc_ids and prev.titles and not years:
        retold = same_ask_of(prev, q)
        if retold:  # "那韶关的红色资源保护条例呢？" after "促进科技成果转化法是哪天开始施行的？"
            return parse(question, known, today, text=retold)
    swapped = sibling_swap(prev.text, q) if not (own.written or years or own.doc_ids) else None
    if swapped:  # "综合督导呢？" after a question about 专项督导: the same question of the sibling
        return assemble(question, swapped, Mentions(prev.regions, (), prev.mentions, prev.doc_ids, prev.unknown_places,
                                                    (), prev.designated), known, today)
    apposed = bool(APPOSED.search(q))  # "病死的猪这类染疫畜禽": a kind named in this turn, not the last turn's
    if (core >= 5 and not pronoun) or (core >= 3 and not (pronoun or leading)) or (core >= 8 and apposed):
        carried = carried_ask(prev.text, q)  # "那没向输入地备案呢？" after "…，罚多少钱？": the same ask of it
        carried = carried or breach_of(prev.text, q)  # "过了期限还不开放会怎么样？": the rule asked, broken
        if THOSE_THINGS.search(q) and prev.topic and prev.topic not in q:
            carried = (carried or q) + f"（{prev.topic}）"  # "把这几样证带在船上": the things the last turn named
        # a question with its own topic keeps the previous turn's region when it names none
        if not (own.written or years or own.doc_ids) and (prev.mentions or prev.doc_ids) and not COLLECTIVE.search(q):
            inherited = Mentions(prev.regions, (), prev.mentions, prev.doc_ids, prev.unknown_places, (), prev.designated)
            lead = prev.mentions[0] if prev.mentions else _title_of(known, prev.doc_ids) + "："
            if not prev.mentions and lead != "：":  # the title led with names the document: its words rank nothing
                inherited = dataclasses.replace(inherited, titles=(lead.rstrip("："),))
            return assemble(question, lead + (carried or q), inherited, known, today)
        return parse(question, known, today, text=carried) if carried else parse(question, known, today)
    rest = LEADING_PARTICLE.sub("", q)
    for w in own.written:
        rest = rest.replace(w, "")
    rest = re.sub(r"(?:到|至|截至|截止到?)?" + YEAR_WORD.pattern + r"(?:底|末|前|" + VERSION_SUFFIX.pattern + ")?", "",
                  rest)  # "到2035年底", "2023年修订后的" are only a year
    leftover = _FILLER.sub("", rest)
    for w in sorted(ASK_WORDS, key=len, reverse=True):
        if w in prev.text:  # "那扬州的目标呢？" after a question about 目标: only the region changes
            leftover = leftover.replace(w, "")
    mentions = own if (own.written or own.doc_ids) else Mentions(
        prev.regions, (), prev.mentions, prev.doc_ids, prev.unknown_places, (), prev.designated)
    if own.written and prev.titles and DOC_KIND.fullmatch(leftover):  # "重庆的条例呢？": that region's own instrument
        return parse(question, known, today, text=retitled(prev, own.written[0], leftover, known))
    if (own.written or years or own.doc_ids) and _core_len(rest, ()) <= 2 and not leftover:
        text = substitute(prev, own.written, years)  # only the place / year changes
        again = read_mentions(text, known)  # "郑州科普条例…": the new place's own instrument of that name
        if again.regions == mentions.regions and again.designated:
            mentions = again
        return assemble(question, text, mentions, known, today, years or None)
    topic = substitute(prev, own.written, years, TRAILING_ASK.sub("", prev.text))
    ask = PRONOUN.sub("", rest).strip()
    ask = re.sub(r"^[的，,\s]+", "", LEADING_ASK.sub("", ask)) or ask
    ask = re.sub(r"^(?:的)?[呢吗][？?，,\s]*", "", ask) or ask  # "那河南呢？要干满多少年？": the ask after 呢
    if not ask or not re.search(r"[\u4e00-\u9fff]", ask):
        return assemble(question, topic + "？", mentions, known, today, years or None)
    joiner = "的" if re.match(r"(责任|牵头|配合|主管|目标|原文|具体|措施|举措|任务|内容|指标)", ask) else "，"
    if not re.search(r"[？?]$", ask):
        ask += "？"
    return assemble(question, topic + joiner + ask, mentions, known, today, years or None)


def edit(prev: Query, **changes: Any) -> Query:
    """A Query with some fields replaced (e.g. ``regions``), everything else as before."""
    return dataclasses.replace(prev, **changes)
