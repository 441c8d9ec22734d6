"""Checks shared by the tests of hand-written gold sets on real documents (dev, laws2)."""

from __future__ import annotations

import re
import unicodedata

from eval.matching import covers


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def assert_evidence_inside_one_clause(items: list[dict], clauses: dict[str, list[str]]) -> None:
    """Every evidence string lies inside one ingested clause of its document."""
    bad = [(it["id"], g["evidence"][:30]) for it in items for g in it["gold"]
           if not any(norm(g["evidence"]) in norm(c) for c in clauses[g["doc"]])]
    assert not bad, bad
    assert all(any(covers(c, g["evidence"]) for c in clauses[g["doc"]]) for it in items for g in it["gold"])


def assert_focused_evidence_and_keywords(items: list[dict]) -> None:
    """Evidence is 6–200 characters; an answerable item's 1–4 keywords occur in its evidence and answer."""
    for it in items:
        for g in it["gold"]:
            assert 6 <= len(norm(g["evidence"])) <= 200, it["id"]
        if it["type"] == "unanswerable":
            assert it["gold"] == [] and it["keywords"] == [], it["id"]
            continue
        assert 1 <= len(it["keywords"]) <= 4, it["id"]
        evidence = "".join(norm(g["evidence"]) for g in it["gold"])
        for k in it["keywords"]:
            assert norm(k) in evidence, (it["id"], k)
            assert norm(k) in norm(it["answer"]), (it["id"], k)
