"""The outline composer: "安徽方案有哪些科普工程？" answered by the sub-headings of the heading named."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from chatbot.compose import Draft, Piece, short_title
from chatbot.config import AnswerConfig
from chatbot.sentences import idf_weights, overlap, query_bigrams, split_sentences, strip_numbering
from index.types import Hit
from lang.numbering import leading_marker
from query import Query as QType


def compose_outline(
    question: str,
    hits: list[Hit],
    qt: QType,
    config: AnswerConfig,
    drop: Iterable[str] = (),
    doc_clauses: Callable[[str], list] | None = None,
    make_hit: Callable[[object], Hit] | None = None,
) -> Draft | None:
    """"安徽方案有哪些科普工程？": the sub-headings of the heading the question names.

    Returns None unless some section heading of the top hits matches the question better than
    any sentence does. The answer lists the child headings in document order; each child is cited
    by its first clause (the text that carries that heading).
    """
    if doc_clauses is None or make_hit is None or not qt.asks_outline:
        return None
    q = query_bigrams(question, drop)
    if not q:
        return None
    top = hits[: config.candidate_hits]
    texts = [s.text for h in top for s in split_sentences(h.clause.text)] + [x for h in top for x in h.clause.headings]
    weights = idf_weights(q, texts or [""], qt.unseen)
    best_sent = max((overlap(q, weights, s.text) for h in top for s in split_sentences(h.clause.text)), default=0.0)
    best: tuple[float, Hit, int] | None = None
    for h in top:
        for depth, head in enumerate(h.clause.headings):
            ov = overlap(q, weights, strip_numbering(head))
            if best is None or ov > best[0]:
                best = (ov, h, depth)
    if best is None or best[0] < 0.6 or best[0] < best_sent:
        return None
    _, h, depth = best
    chain = list(h.clause.headings[: depth + 1])
    children: list[tuple[str, object]] = []
    seen: set[str] = set()
    for c in doc_clauses(h.meta.doc_id):
        heads = list(c.headings)
        if heads[: depth + 1] != chain:
            continue
        if len(heads) > depth + 1:
            name = heads[depth + 1]
        else:
            sents = split_sentences(c.text)
            if not sents or len(sents[0].text) > 40:
                continue
            name = leading_marker(c.text.strip()) + sents[0].text.rstrip("。")
        if name in seen:
            continue
        seen.add(name)
        children.append((name.strip(), c))
    if len(children) < 2:
        return None
    heading = strip_numbering(chain[-1]).rstrip("。")
    names = "；".join(n for n, _ in children)
    text = f"根据《{short_title(h)}》，“{heading}”包括：{names}。"
    if len(text) > config.max_answer_chars + 100:
        return None
    draft = Draft(support=best[0])
    draft.pieces.append(Piece(text=text, hits=[make_hit(c) for _, c in children]))
    return draft
