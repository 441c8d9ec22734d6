"""The same retrieval behaviour from the built-in store (FAISS + bm25s) and from Milvus Lite
(real, embedded, in a temporary folder; hash embedder): top hits, region / level / date /
document filters pushed down, delete by document, add then search, quoted filter values; and
Milvus ranking exactly as the built-in store does. Skipped, with the reason, when milvus-lite
cannot start here."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.backend import BuiltinBackend, RowFilter, StoreRow, fuse, scope_filter
from index.backend_index import BackendClauseIndex, parse_store_uri, store_class
from index.config import IndexConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex, clause_chunks
from index.types import Scope
from ingest.types import Clause, DocMeta, Document

ODD_REGION = '测试" or region != "区'  # a quote that would end the literal, then an always-true clause
ODD_ID = "q\"x'\\#0"


def law(doc_id: str, title: str, region: str, level: str, date: str, articles: list[str],
        parent: str = "", content_hash: str = "h1") -> Document:
    source = doc_id.split("#")[0] + ".txt"
    meta = DocMeta(doc_id=doc_id, source=source, title=title, region=region, level=level, date=date,
                   doc_type="条例", parent_doc_id=parent, content_hash=content_hash)
    clauses = [Clause(clause_id=f"{doc_id}/第{i + 1}条", doc_id=doc_id, source=source,
                      section_path=f"第一章/第{i + 1}条", headings=["第一章 总则"], text=text, order=i)
               for i, text in enumerate(articles)]
    return Document(meta=meta, clauses=clauses)


def documents() -> list[Document]:
    return [
        law("zj#0", "浙江省科学技术普及条例", "浙江省", "省", "2023-09-01", [
            "第一条 为了实施科教兴国战略，提高公民科学文化素质，根据有关法律，结合本省实际，制定本条例。",
            "第二条 县级以上人民政府应当将科普经费列入本级财政预算，并随经济发展逐步增长。",
            "第三条 鼓励社会力量建设天文馆、自然博物馆等科普场馆，向公众免费开放。",
        ]),
        law("cd#0", "成都市科学技术普及条例", "成都市", "市", "2019-05-01", [
            "第一条 本市依托大熊猫繁育研究基地开展生态保护科普教育。",
            "第二条 市科学技术协会组织科普志愿者开展社区科普服务。",
        ]),
        law("cd#1", "四川省科普基地认定办法（附件）", "四川省", "省", "2020-02-01", [
            "第一条 科普基地应当具备开展科普活动的场所和专职人员。",
        ], parent="cd#0"),
        law("lz#0", "兰州市全民科学素质行动实施方案", "兰州市", "市", "2021-03-01", [
            "第一条 实施黄河流域生态保护科普行动，提升农民科学素质。",
            "第二条 科普经费由市财政统筹安排，专款专用。",
        ]),
        law(ODD_ID, "测试区科普工作办法", ODD_REGION, "区", "", [
            "第一条 本区开展科普讲座进社区活动，普及防灾减灾知识。",
        ]),
    ]


def new_document() -> Document:
    return law("gz#0", "广州市科学技术普及条例", "广州市", "市", "2024-01-01", [
        "第一条 支持建设海洋科普馆，开展珊瑚礁保护科普。",
    ])


def _lite_unavailable(tmp: Path) -> str:
    try:
        from pymilvus import MilvusClient
    except ImportError as e:
        return f"pymilvus / milvus-lite not installed ({e}); `pip install pymilvus milvus-lite`"
    try:
        MilvusClient(str(tmp / "probe.db")).close()
    except Exception as e:  # noqa: BLE001 - any failure to start means: skip, saying why
        return f"milvus-lite cannot start on this machine ({type(e).__name__}: {e})"
    return ""


@pytest.fixture(scope="session")
def lite_reason(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _lite_unavailable(tmp_path_factory.mktemp("milvus-probe"))


@pytest.fixture
def milvus_uri(lite_reason: str, tmp_path: Path) -> str:
    if lite_reason:
        pytest.skip(lite_reason)
    return f"milvus://{tmp_path}/store.db"


Make = Callable[[list[Document]], ClauseIndex]


@pytest.fixture(params=["builtin", "milvus-lite"])
def make_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Make]:
    opened: list[object] = []

    def make(docs: list[Document]) -> ClauseIndex:
        emb, cfg = HashEmbedder(), IndexConfig()
        uri = "" if request.param == "builtin" else request.getfixturevalue("milvus_uri")
        cls = store_class(uri, emb, cfg)
        if cls is not ClauseIndex:
            opened.append(cls.default_backend)
        return cls.build(docs, emb, cfg, chunk_fn=clause_chunks)

    yield make
    for backend in opened:
        backend.close()


def ids(hits: list) -> list[str]:
    return [h.clause.clause_id for h in hits]


# ---------------------------------------------------------------------- the shared retrieval assertions


def test_lexical_query_puts_the_clause_with_the_rare_term_first(make_index: Make):
    idx = make_index(documents())
    assert ids(idx.search("天文馆", k=3))[0] == "zj#0/第3条"
    assert ids(idx.search("大熊猫繁育", k=3))[0] == "cd#0/第1条"


def test_region_filter_in_short_form_returns_only_that_regions_document(make_index: Make):
    idx = make_index(documents())
    hits = idx.search("科普经费财政预算", k=10, scope=Scope(regions=["兰州"]))
    assert hits and {h.meta.doc_id for h in hits} == {"lz#0"}


def test_document_filter_brings_the_attached_document_along(make_index: Make):
    idx = make_index(documents())
    hits = idx.search("科普", k=10, scope=Scope(doc_ids=["cd#0"]))
    assert {h.meta.doc_id for h in hits} == {"cd#0", "cd#1"}


def test_level_and_date_filters_apply_before_the_top_k_cut(make_index: Make):
    idx = make_index(documents())
    provincial = idx.search("大熊猫", k=10, scope=Scope(levels=["省"]))
    assert provincial and {h.meta.doc_id for h in provincial} <= {"zj#0", "cd#1"}
    recent = idx.search("科普", k=20, scope=Scope(date_from="2021-01-01", date_to="2023-12-31"))
    assert {h.meta.doc_id for h in recent} == {"zj#0", "lz#0"}  # no 2019 / 2020 / undated document


def test_removed_document_is_never_returned(make_index: Make):
    idx = make_index(documents())
    idx.remove(["zj#0"])
    assert all(h.meta.doc_id != "zj#0" for h in idx.search("天文馆 科普经费", k=20))
    backend = getattr(idx, "backend", None)
    if backend is not None:
        assert backend.count() == len(idx.chunks) and "zj#0" not in backend.documents()


def test_added_document_is_found_by_the_next_search(make_index: Make):
    idx = make_index(documents())
    idx.add([new_document()])
    assert ids(idx.search("珊瑚礁保护", k=3))[0] == "gz#0/第1条"


def test_quoted_region_and_doc_id_filter_exactly_their_document(make_index: Make):
    idx = make_index(documents())
    by_region = idx.search("科普", k=20, scope=Scope(regions=[ODD_REGION]))
    assert by_region and {h.meta.doc_id for h in by_region} == {ODD_ID}
    by_id = idx.search("科普", k=20, scope=Scope(doc_ids=[ODD_ID]))
    assert by_id and {h.meta.doc_id for h in by_id} == {ODD_ID}


def test_comparison_retrieves_the_top_clauses_of_each_named_region(make_index: Make):
    idx = make_index(documents())
    hits = idx.retrieve("浙江和兰州在科普经费方面的规定有何不同？", k=2)
    assert {h.meta.doc_id for h in hits} == {"zj#0", "lz#0"}
    assert {"zj#0/第2条", "lz#0/第2条"} <= set(ids(hits))


# ---------------------------------------------------------------------- Milvus against the reference


QUERIES = [("天文馆科普场馆", None), ("科普经费", Scope(regions=["成都", "兰州"])), ("科普", Scope(doc_ids=["cd#0"])),
           ("生态保护科普", Scope(levels=["市"])), ("科普活动", Scope(date_from="2020-01-01")),
           ("普及知识", Scope(regions=[ODD_REGION]))]


def test_milvus_ranks_exactly_like_the_builtin_store(milvus_uri: str):
    emb, cfg = HashEmbedder(), IndexConfig()
    ref = ClauseIndex.build(documents(), emb, cfg, chunk_fn=clause_chunks)
    cls = store_class(milvus_uri, emb, cfg)
    idx = cls.build(documents(), emb, cfg, chunk_fn=clause_chunks)
    try:
        def key(hits: list) -> list[tuple]:
            return [(h.clause.clause_id, h.dense_rank, h.lexical_rank, round(h.score, 9)) for h in hits]

        for q, scope in QUERIES:
            assert key(idx.search(q, k=5, scope=scope)) == key(ref.search(q, k=5, scope=scope)), (q, scope)
        q = "浙江和兰州在科普经费方面的规定有何不同？"
        assert key(idx.retrieve(q, k=3)) == key(ref.retrieve(q, k=3))
    finally:
        cls.default_backend.close()


FILTERS = [RowFilter(regions=("成都市", ODD_REGION)), RowFilter(regions=()), RowFilter(doc_ids=("cd#0",)),
           RowFilter(doc_ids=("cd#0",), regions=("浙江省",)), RowFilter(levels=("省",), date_to="2022-12-31"),
           RowFilter(date_from="2020-02-01"), RowFilter(restrict=(ODD_ID, "lz#0"), levels=("区", "市")),
           RowFilter(regions=('x" or region != "',)), RowFilter(doc_ids=(ODD_ID,), levels=("区",))]


def test_pushed_down_expressions_select_what_the_reference_filter_matches(milvus_uri: str):
    from index.milvus_store import filter_expr, matches_nothing

    emb, cfg = HashEmbedder(), IndexConfig()
    cls = store_class(milvus_uri, emb, cfg)
    cls.build(documents(), emb, cfg, chunk_fn=clause_chunks)
    backend = cls.default_backend
    try:
        metas = {d.meta.doc_id: d.meta for d in documents()}
        for f in FILTERS:
            want = {d for d, m in metas.items() if f.matches(d, m.region, m.level, m.date, m.parent_doc_id)}
            got = set() if matches_nothing(f) else {
                r["doc_id"] for r in backend.client.query(backend.collection, filter=filter_expr(f) or 'chunk_id != ""',
                                                          output_fields=["doc_id"], limit=100)}
            assert got == want, f
        assert scope_filter(metas, Scope(regions=["成都"])) == RowFilter(regions=("成都市",))
    finally:
        backend.close()


def test_milvus_server_side_rrf_fuses_like_the_client(milvus_uri: str):
    emb, cfg = HashEmbedder(), IndexConfig()
    cls = store_class(milvus_uri, emb, cfg)
    cls.build(documents(), emb, cfg, chunk_fn=clause_chunks)
    backend = cls.default_backend
    ref = BuiltinBackend(emb.dim)
    try:
        for q, scope in QUERIES:
            flt = scope_filter({d.meta.doc_id: d.meta for d in documents()}, scope)
            v = emb.encode_queries([q])[0]
            client = fuse(backend.dense(v, 50, flt), backend.lexical(q, 50, flt), 5, cfg.rrf_k)
            server = backend.hybrid(v, q, 5, flt, candidates=50, rrf_k=cfg.rrf_k)
            assert [round(s, 6) for _, s in server] == [round(s, 6) for _, s in client], q
            assert {c for c, _ in server} == {c for c, _ in client}, q  # equal scores may come in either order
        rows = [StoreRow(c.chunk_id, c.doc_id, emb.encode_passages([c.embed_text])[0], c.embed_text)
                for d in documents() for c in clause_chunks(d)]
        ref.add(rows)
        v = emb.encode_queries(["科普经费"])[0]
        assert backend.dense(v, 5)[0][0] == ref.dense(v, 5)[0][0]
        assert [c for c, _ in backend.lexical("科普经费", 5)] == [c for c, _ in ref.lexical("科普经费", 5)]
    finally:
        backend.close()


def test_reopened_store_inserts_nothing_and_replaces_a_changed_document(milvus_uri: str, tmp_path: Path):
    emb, cfg = HashEmbedder(), IndexConfig()
    cls = store_class(milvus_uri, emb, cfg)
    cls.build(documents(), emb, cfg, chunk_fn=clause_chunks).save(tmp_path / "index")
    cls.default_backend.close()
    cls = store_class(milvus_uri, emb, cfg)
    try:
        idx = cls.load(tmp_path / "index", emb, cfg, chunk_fn=clause_chunks)
        assert idx.sync_report == {"deleted_documents": 0, "inserted_documents": 0, "inserted_chunks": 0}
        assert emb.encoded == len(idx.chunks)  # built once, the store was filled from the index's own vectors
        docs = documents()
        docs[0] = law("zj#0", "浙江省科学技术普及条例", "浙江省", "省", "2024-01-01",
                      ["第一条 建设星空科普营地。"], content_hash="h2")
        idx.update(docs)
        assert idx.sync_report == {"deleted_documents": 1, "inserted_documents": 1, "inserted_chunks": 1}
        assert idx.backend.count() == len(idx.chunks) == 7
        assert ids(idx.search("星空营地", k=1)) == ["zj#0/第1条"]
        assert "zj#0/第3条" not in ids(idx.search("天文馆", k=10))
    finally:
        cls.default_backend.close()


def test_configured_store_indexes_a_corpus_folder_into_milvus_and_reopens_it(milvus_uri: str, tmp_path: Path):
    from policyqa.config import open_index, settings_from_env

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hz.txt").write_text("杭州市科学技术普及办法\n第一条 本市建设钱塘江潮科普长廊。\n"
                                   "第二条 区县设立科普专项资金。\n", encoding="utf-8")
    s = settings_from_env({"POLICYQA_STORE": milvus_uri, "POLICYQA_CORPUS": str(corpus),
                           "POLICYQA_INDEX": str(tmp_path / "index")})
    emb = HashEmbedder()
    for run in range(2):  # the second run opens the saved index and the same .db file
        idx = open_index(s, progress=False, embedder=emb)
        try:
            assert isinstance(idx, BackendClauseIndex) and idx.backend.count() == len(idx.chunks) > 0
            assert "钱塘江" in idx.search("钱塘江潮", k=1)[0].clause.text
            assert idx.sync_report["inserted_chunks"] == (len(idx.chunks) if run == 0 else 0)
        finally:
            idx.backend.close()


def test_store_uris_select_the_backend_and_bad_ones_say_what_is_expected():
    assert parse_store_uri("") == ("builtin", "") and parse_store_uri("builtin") == ("builtin", "")
    assert parse_store_uri("milvus:///data/x.db") == ("milvus-lite", "/data/x.db")
    assert parse_store_uri("./x.db") == ("milvus-lite", "./x.db")
    assert parse_store_uri("milvus://10.0.0.5:19530") == ("milvus", "http://10.0.0.5:19530")
    assert parse_store_uri("https://in.zilliz.com") == ("milvus", "https://in.zilliz.com")
    with pytest.raises(ValueError, match="milvus:///path/x.db"):
        parse_store_uri("postgres://x")
    from policyqa.config import Settings, settings_from_env

    s = settings_from_env({"POLICYQA_STORE": "milvus:///tmp/x.db"})
    assert s.store == "milvus:///tmp/x.db" and dataclasses.replace(s, store="").store == Settings().store
