"""`policyqa ask/search --region --doc --in-force --since`: filters restrict the documents answered from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chatbot.filters import DocFilter, select_docs
from chatbot.versions import statuses_for
from index.fake import HashEmbedder
from index.filtered import FilteredIndex
from index.store import ClauseIndex
from ingest.pipeline import ingest_paths
from policyqa import cmd_ask, cmd_search
from policyqa.cli import main

FIX = Path(__file__).parent / "fixtures"
Q = "中华人民共和国行政复议法第一条是怎么规定的？"


@pytest.fixture(scope="module")
def index() -> ClauseIndex:
    docs = ingest_paths([FIX / "versions", Path(__file__).parent.parent / "data" / "corpus"], progress=False).documents
    return ClauseIndex.build(docs, HashEmbedder())


@pytest.fixture
def cli_index(index, monkeypatch):
    monkeypatch.setattr(cmd_ask, "_load_index", lambda args: index)
    monkeypatch.setattr(cmd_search, "open_index", lambda args: index)
    return index


def _ask(capsys, *argv):
    assert main(["ask", *argv, "--json", "--today", "2026-12-03"]) == 0
    return json.loads(capsys.readouterr().out)


def test_in_force_leaves_out_the_superseded_version_and_ended_plans(cli_index, capsys):
    d = _ask(capsys, Q, "--in-force")
    assert {c["doc"] for c in d["citations"]} == {"行政复议法(2023-09-01).md"}
    d = _ask(capsys, "扬州市到2025年公民具备科学素质比例要达到多少？", "--in-force")
    assert d["refused"] and all("扬州" not in c["title"] for c in d["citations"])


def test_doc_filter_answers_from_the_named_version_and_keeps_its_collection_status(cli_index, capsys):
    d = _ask(capsys, Q, "--doc", "行政复议法(2017-09-01)")
    assert [c["doc"] for c in d["citations"]] == ["行政复议法(2017-09-01).md"]
    assert d["citations"][0]["status"] == "已被修订"  # judged over the whole collection, not the view


def test_since_and_region_filters(cli_index, capsys):
    d = _ask(capsys, "公民具备科学素质比例要达到多少？", "--region", "扬州")
    assert d["citations"] and all(c["doc_id"].startswith("002_") for c in d["citations"])
    d = _ask(capsys, Q, "--since", "2020-01-01")
    assert all(c["doc"] != "行政复议法(2017-09-01).md" for c in d["citations"])


def test_search_in_force_filter(cli_index, capsys):
    assert main(["search", "行政复议 申请 期限", "--in-force", "--json", "-k", "10", "--today", "2026-12-03"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits and all(h["doc"] != "行政复议法(2017-09-01).md" for h in hits)


def test_bad_filter_values_are_clean_errors(cli_index, capsys):
    assert main(["ask", Q, "--since", "2020/01/01"]) == 2
    assert "--since" in capsys.readouterr().err
    assert main(["ask", Q, "--doc", "没有这个文件"]) == 2
    assert "没有这个文件" in capsys.readouterr().err


def test_filtered_view_searches_only_allowed_documents(index):
    st = statuses_for(index.metas, "2026-12-03")
    allowed = select_docs(index.metas, st, DocFilter(statuses=("规划期已结束",)))
    view = FilteredIndex(index, allowed)
    assert set(view.metas) == set(allowed) and len(allowed) == 2
    assert {h.meta.doc_id for h in view.search("科学素质比例", k=20)} <= set(allowed)
    assert set(view.all_metas) == set(index.metas)


def test_search_hits_carry_the_document_status(cli_index, capsys):
    assert main(["search", "行政复议 申请", "--json", "-k", "20", "--today", "2026-12-03", "--no-scope"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    by_doc = {h["doc"]: h for h in hits}
    assert by_doc["行政复议法(2017-09-01).md"]["status"] == "已被修订"
    assert by_doc["行政复议法(2017-09-01).md"]["superseded_by"] == by_doc["行政复议法(2023-09-01).md"]["doc_id"]
