"""Who acts, in a law's own sentence: laws name the responsible body inside the provision
("具体办法由市民政部门会同有关部门制定") rather than in a 责任单位 parenthesis, so a responsibility
question whose clauses list no units is answered by the best sentence naming the body that acts
(``lang.units.AGENT_RX``), with the sentence before it when that one carries the topic.
"""

from __future__ import annotations

from collections.abc import Iterable

from chatbot.compose import Candidate, Draft, Piece, clause_support, score_candidates, short_title
from chatbot.config import AnswerConfig
from index.types import Hit
from lang.units import AGENT_RX
from query import Query


def compose_agent(question: str, hits: list[Hit], qt: Query, config: AnswerConfig,
                  drop: Iterable[str] = ()) -> Draft | None:
    """The sentence naming who acts on the question's topic, or None when no good one is retrieved.

    >>> from ingest.types import Chunk, Clause, DocMeta
    >>> t = "第三十七条 本市建立志愿者星级评定制度。具体办法由市民政部门会同有关部门制定。"
    >>> cl = Clause("b#0/37", "b#0", "b.md", "第三十七条", [], t)
    >>> h = Hit(Chunk(cl.clause_id, cl.clause_id, "b#0", t, t), cl, DocMeta("b#0", "b.md", title="某市志愿服务条例"), 1.0)
    >>> d = compose_agent("志愿者星级评定的具体办法谁来定？", [h], Query("", ""), AnswerConfig())
    >>> "".join(p.text for p in d.pieces)
    '根据《某市志愿服务条例》，本市建立志愿者星级评定制度。具体办法由市民政部门会同有关部门制定。'
    """
    cands = score_candidates(question, hits[: config.candidate_hits], qt, drop)
    if not cands:
        return None
    best = cands[0]
    agent = next((c for c in cands if c.ov > 0 and AGENT_RX.search(c.sent.text)), None)
    if agent is None or agent.score < 0.6 * best.score:
        return None
    chosen: list[Candidate] = [agent]
    same = agent.hit.clause.clause_id == best.hit.clause.clause_id
    if same and best is not agent and len(best.sent.text) + len(agent.sent.text) <= config.max_answer_chars:
        chosen.insert(0 if best.sent.index < agent.sent.index else 1, best)  # the sentence holding the topic
    draft = Draft(support=clause_support(cands), best=agent, kind="responsible")
    for i, c in enumerate(chosen):
        lead = f"根据《{short_title(c.hit)}》，" if i == 0 else ""
        draft.pieces.append(Piece(text=lead + c.sent.text, hits=[c.hit]))
    return draft
