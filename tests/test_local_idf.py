"""A scope that is a sliver of a large index is BM25-weighted by its own statistics: among a hundred
thousand law chunks 条例 or 基本原则 say nothing, inside one plan they pick the clause. Small indexes keep
the collection's statistics (the gate is ``IndexConfig.local_idf_*``)."""

from __future__ import annotations

import numpy as np

from index.config import IndexConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex
from index.types import Scope
from ingest.parse import parse_text

LAW = "某省{n}管理条例\n\n第一条　为了规范{n}管理，根据有关法律、法规，制定本条例。\n\n第二条　本条例自2020年1月1日起施行。\n"
PLAN = """某市科普工作方案

一、基本原则

坚持政府引导、社会参与，推动科普与乡村振兴融合。

二、主要任务

（一）推动修订本市科学技术普及条例，完善配套政策。

（二）建设科普教育基地，每年开展活动不少于50场次。
"""


def _index(cfg: IndexConfig) -> ClauseIndex:
    docs = [d for i in range(30) for d in parse_text(LAW.format(n=f"第{i}类事项"), f"law{i}.txt")]
    docs += parse_text(PLAN, "plan.txt")
    return ClauseIndex.build(docs, HashEmbedder(), cfg)


def test_a_sliver_scope_of_a_large_index_is_scored_by_its_own_statistics():
    gated = _index(IndexConfig(local_idf_min_rows=10, local_idf_max_share=0.2))
    plan = next(d for d, m in gated.metas.items() if m.source == "plan.txt")
    rows = gated._rows(Scope(doc_ids=[plan]))
    _, lex = gated._query("修订条例", rows)
    outside = np.setdiff1d(np.arange(len(gated.chunks)), rows)
    assert lex[outside].sum() == 0 and lex[rows].max() > 0  # scored inside the scope only
    best = gated.search("修订条例", k=1, scope=Scope(doc_ids=[plan]))[0]
    assert "修订本市科学技术普及条例" in best.clause.text

    plain = _index(IndexConfig())  # a small index: the collection's statistics, every row scored
    _, lex = plain._query("修订条例", plain._rows(Scope(doc_ids=[plan])))
    assert lex[np.setdiff1d(np.arange(len(plain.chunks)), plain._rows(Scope(doc_ids=[plan])))].sum() > 0
