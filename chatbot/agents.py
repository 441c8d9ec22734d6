"""Who acts, in a law's own sentence: laws name the responsible body inside the provision
("具体办法由市民政部门会同有关部门制定") rather than in a 责任单位 parenthesis, so a responsibility
question whose clauses list no units is answered by the best sentence naming the body that acts
(``lang.units.AGENT_RX``), with the sentence before it when that one carries the topic.
"""

from __future__ import annotations

from collections.abc import Iterable

from chatbot.compose import Candidate, Draft, Piece, clause_support, next_step, score_candidates, short_title
from chatbot.config import AnswerConfig
from index.types import Hit
from lang.units import AGENT_RX, asked_act, does_act, enforces
from lang.wording import CONSEQUENCE_ASK, FINES
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
    act = asked_act(question)  # a body doing the act asked first, even as the subject ("省中医药主管部门应当…制定…规范")
    tiers = ((lambda t: does_act(act, t)), AGENT_RX.search)
    fines = None if CONSEQUENCE_ASK.search(question) or enforces(act) else FINES  # who approves: not who fines those who do not ask
    agent = None
    for tier in tiers:
        fit = [c for c in cands if tier(c.sent.text) and not (fines and fines.search(c.hit.clause.text))]
        near = [c for c in fit if c.hit.clause.clause_id == best.hit.clause.clause_id  # the body acting in the topic
                and best.sent.index <= c.sent.index <= best.sent.index + 1]  # sentence or the one after it
        ok = near or [c for c in fit if c.ov > 0]
        if ok:
            agent = ok[0] if not near else min(near, key=lambda c: c.sent.index)
            break
    if agent is None or agent.score < 0.6 * best.score:
        return None
    chosen: list[Candidate] = [agent]
    same = agent.hit.clause.clause_id == best.hit.clause.clause_id
    if same and best is not agent and len(best.sent.text) + len(agent.sent.text) <= config.max_answer_chars:
        chosen.insert(0 if best.sent.index < agent.sent.index else 1, best)  # the sentence holding the topic
    step = next_step(cands, agent)
    if step is not None and step not in chosen and sum(len(c.sent.text) for c in chosen) + len(step.sent.text) <= config.max_answer_chars:
        chosen.append(step)  # "由司法行政部门给予警告；情节严重的，给予停业整顿处罚": the penalty's next step goes with it
    draft = Draft(support=clause_support(cands), best=agent, kind="responsible")
    for i, c in enumerate(chosen):
        lead = f"根据《{short_title(c.hit)}》，" if i == 0 else ""
        draft.pieces.append(Piece(text=lead + c.sent.text, hits=[c.hit]))
    return draft
