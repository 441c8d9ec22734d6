"""Precedent search and its Markdown / .docx export."""

from __future__ import annotations

from app_fixture import XSS_TEXT, build_fixture_index

from chatbot.export import to_docx, to_markdown
from chatbot.precedent import PrecedentGroup, PrecedentItem, filter_choices, find_precedents
from index.types import Scope
from ingest.types import Clause, DocMeta


def test_groups_are_ordered_province_city_county_with_verbatim_text():
    index = build_fixture_index()
    groups = find_precedents("科普基础设施建设", index)
    assert [g.meta.level for g in groups] == ["省", "市", "县"]
    for g in groups:
        for it in g.items:
            assert it.clause.text == index.clauses[it.clause.clause_id].text
            assert it.label.startswith(g.meta.citation_label())


def test_a_clause_appears_once_per_group_in_document_order():
    groups = find_precedents("科普基础设施建设", build_fixture_index(), k_per_doc=5)
    for g in groups:
        ids = [it.clause.clause_id for it in g.items]
        assert len(ids) == len(set(ids))
        assert [it.clause.order for it in g.items] == sorted(it.clause.order for it in g.items)


def test_scope_filters_documents():
    index = build_fixture_index()
    groups = find_precedents("科普基础设施建设", index, scope=Scope(levels=["县"]))
    assert [g.meta.region for g in groups] == ["砀山县"]


def test_empty_topic_finds_nothing():
    assert find_precedents("  ", build_fixture_index()) == []


def test_filter_choices_come_from_metadata():
    ch = filter_choices(build_fixture_index().metas)
    assert ch == {
        "regions": ["安徽省", "扬州市", "砀山县"],
        "levels": ["省", "市", "县"],
        "doc_types": ["措施", "方案"],
    }


def _group(text: str) -> list[PrecedentGroup]:
    meta = DocMeta("a#0", "a.txt", title="某市方案", doc_number="某发〔2024〕1号")
    clause = Clause("a#0/一、", "a#0", "a.txt", "一、", [], text)
    return [PrecedentGroup(meta, [PrecedentItem(clause, "《某市方案》一、", 1.0)])]


def test_markdown_export_keeps_table_shape_and_neutralises_markup():
    md = to_markdown(_group("第一行|竖线\n第二行" + XSS_TEXT), topic="科普")
    row = md.strip().splitlines()[-1]
    assert row.startswith("| 《某市方案》（某发〔2024〕1号） | 一、 | 第一行\\|竖线<br>第二行")
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_docx_export_holds_the_verbatim_text(tmp_path):
    from docx import Document as Docx

    path = to_docx(_group(XSS_TEXT), tmp_path / "out.docx", topic="科普")
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]  # atomic: no temp file left
    cells = [c.text for c in Docx(path).tables[0].rows[1].cells]
    assert cells == ["《某市方案》（某发〔2024〕1号）", "一、", XSS_TEXT]


class _PerDoc:
    """search_per_doc returning fixed hits: every document answers, relevant or not."""

    def __init__(self, scored: dict[str, list[tuple[float | None, float | None]]]) -> None:
        self.scored = scored

    def search_per_doc(self, query, k_per_doc=3, scope=None):
        from index.types import Hit
        from ingest.types import Chunk

        out = {}
        for doc, scores in self.scored.items():
            meta = DocMeta(doc, f"{doc}.txt", title=doc, level="市", region=doc)
            out[doc] = []
            for i, (lex, dense) in enumerate(scores):
                c = Clause(f"{doc}/{i}", doc, meta.source, f"{i + 1}.", [], f"{doc} 第{i}条", order=i)
                chunk = Chunk(c.clause_id, c.clause_id, doc, c.text, c.text)
                out[doc].append(Hit(chunk, c, meta, 0.03, dense_score=dense, lexical_score=lex))
        return out


def test_documents_that_do_not_address_the_topic_are_left_out():
    index = _PerDoc(
        {
            "甲市": [(11.7, 0.919), (6.8, 0.919), (1.0, 0.80)],  # third clause: weak on both → dropped
            "乙市": [(0.2, 0.91), (0.1, 0.85)],  # no shared words but a close paraphrase → kept
            "任务表": [(0.14, 0.853), (0.0, 0.849)],  # neither → whole document dropped
        }
    )
    groups = {g.meta.doc_id: [it.clause.clause_id for it in g.items] for g in find_precedents("主题", index)}
    assert groups == {"甲市": ["甲市/0", "甲市/1"], "乙市": ["乙市/0"]}


def test_hits_without_scores_are_all_kept():
    index = _PerDoc({"甲市": [(None, None), (None, None)]})
    assert len(find_precedents("主题", index)[0].items) == 2
