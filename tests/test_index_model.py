"""End-to-end retrieval over the bundled corpus with the real default model (marked ``model``)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from index.config import IndexConfig
    from index.models import load_embedder
    from index.store import open_or_build

    emb = load_embedder(progress=False)
    ix = tmp_path_factory.mktemp("ix") / "index"
    idx = open_or_build(ROOT / "data" / "corpus", ix, emb, None, IndexConfig(), progress=False)
    return idx, ix, emb


def test_number_question_finds_the_target_clause_of_the_named_county(built):
    idx, _, _ = built
    from index.types import Scope

    hits = idx.retrieve("到2025年公民具备科学素质的比例要达到多少？", k=5, scope=Scope(regions=["砀山县"]))
    assert hits and {h.meta.region for h in hits} == {"砀山县"}
    assert any("13%" in h.clause.text for h in hits[:3])


def test_region_scope_on_the_real_corpus_returns_only_that_region(built):
    from index.types import Scope

    idx, _, _ = built
    hits = idx.search("加强科普人才队伍建设", k=10, scope=Scope(regions=["甘肃"]))
    assert hits and {h.meta.region for h in hits} == {"甘肃省"}


def test_comparison_question_gets_evidence_from_every_named_region(built):
    idx, _, _ = built
    from index.types import Scope

    hits = idx.retrieve("老年人科普方面分别有什么措施", k=3, scope=Scope(regions=["安徽", "甘肃"]), per_doc=True)
    regions = {h.meta.region for h in hits}
    assert {"安徽省", "甘肃省"} <= regions
    assert any("老年" in h.clause.text and h.meta.region == "甘肃省" for h in hits)
    assert any("老" in h.clause.text and h.meta.region == "安徽省" for h in hits)


def test_question_about_an_unheld_province_is_marked(built):
    idx, _, _ = built
    from chatbot.retrieval import known_of
    from query import understand

    q = understand("浙江省的科普经费标准是多少？", None, known_of(idx))
    assert q.unknown_places == ("浙江省",) and not q.regions


def test_reopening_the_saved_index_embeds_nothing_and_ranks_the_same(built):
    from index.store import open_or_build

    idx, ix, emb = built
    again = open_or_build(ROOT / "data" / "corpus", ix, emb, None, idx.config, progress=False)
    assert again.last_update["embedded"] == 0 and again.loaded_from == ix
    q = "扬州市如何优化科普设施建设布局？"
    assert [h.chunk.chunk_id for h in again.search(q, k=5)] == [h.chunk.chunk_id for h in idx.search(q, k=5)]
