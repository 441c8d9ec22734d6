"""A small fixture corpus, index and answer function for the app tests (UI, browser, load).

Three documents at three levels (省/市/县) with parallel clauses, one of which carries HTML
that must be shown as text. The index uses ``index.fake.HashEmbedder``: these tests are about
the app, not the model.
"""

from __future__ import annotations

from typing import Any

from chatbot.cite import make_citation
from chatbot.types import Answer, AnswerSentence
from index.fake import HashEmbedder
from ingest.types import Clause, DocMeta, Document

XSS_TEXT = "加强科普宣传<script>alert(1)</script>，<img src=x onerror=alert(2)>严禁篡改。"

_DOCS: list[tuple[dict[str, Any], list[tuple[str, list[str], str]]]] = [
    (
        dict(
            doc_id="anhui#0",
            source="anhui.txt",
            title="安徽省全民科学素质行动实施方案（2021—2025年）",
            doc_number="皖政办〔2021〕10号",
            issuers=["安徽省人民政府办公厅"],
            date="2021-09-01",
            region="安徽省",
            level="省",
            doc_type="方案",
        ),
        [
            ("一、", ["一、总体要求"], "到2025年，全省公民具备科学素质的比例超过15%。"),
            (
                "二、（一）",
                ["二、重点任务", "（一）科普基础设施工程"],
                "加强科普基础设施建设，每个市至少建成一座科技馆。",
            ),
            (
                "二、（二）",
                ["二、重点任务", "（二）青少年科学素质提升行动"],
                "实施青少年科学素质提升行动，建设科学教育基地。",
            ),
            ("三、", ["三、保障措施"], XSS_TEXT),
        ],
    ),
    (
        dict(
            doc_id="yangzhou#0",
            source="yangzhou.txt",
            title="扬州市全民科学素质行动实施方案（2021—2025年）",
            doc_number="扬府办发〔2022〕37号",
            issuers=["扬州市人民政府办公室"],
            date="2022-04-19",
            region="扬州市",
            level="市",
            doc_type="方案",
        ),
        [
            ("一、", ["一、发展目标"], "到2025年，扬州市公民具备科学素质的比例达到18%。"),
            (
                "二、（一）",
                ["二、重点工程", "（一）科普基础设施工程"],
                "推进科普基础设施建设，新建科普场馆三处，完善科技馆体系。",
            ),
            (
                "二、（二）",
                ["二、重点工程", "（二）农民科学素质提升行动"],
                "开展农民科学素质提升行动，培训高素质农民。",
            ),
        ],
    ),
    (
        dict(
            doc_id="dangshan#0",
            source="dangshan.txt",
            title="砀山县科普工作若干措施",
            doc_number="砀政办〔2023〕5号",
            issuers=["砀山县人民政府办公室"],
            date="2023-03-01",
            region="砀山县",
            level="县",
            doc_type="措施",
        ),
        [
            ("一、", ["一、工作目标"], "到2025年，全县公民具备科学素质的比例达到12%。"),
            ("二、", ["二、科普基础设施"], "加快科普基础设施建设，乡镇建设科普活动室。"),
            ("三、", ["三、组织保障"], "县科协负责牵头，县财政局保障科普经费。"),
        ],
    ),
]


def fixture_documents() -> list[Document]:
    docs = []
    for meta_kw, clauses in _DOCS:
        meta = DocMeta(**meta_kw, content_hash=meta_kw["doc_id"])
        cl = [
            Clause(
                clause_id=f"{meta.doc_id}/{path}",
                doc_id=meta.doc_id,
                source=meta.source,
                section_path=path,
                headings=heads[:-1],
                text=text,
                order=i,
            )
            for i, (path, heads, text) in enumerate(clauses)
        ]
        docs.append(Document(meta=meta, clauses=cl, text="\n".join(c.text for c in cl)))
    return docs


def build_fixture_index(documents: list[Document] | None = None) -> Any:
    from index.config import IndexConfig
    from index.store import ClauseIndex

    docs = fixture_documents() if documents is None else documents
    return ClauseIndex.build(docs, HashEmbedder(), IndexConfig())


def fake_answer(question: str, index: Any, history: list[dict] | None = None, **_: Any) -> Answer:
    """A deterministic stand-in for chatbot.answer.answer: cites the top two hits verbatim."""
    hits = index.search(question, k=2)
    if "浙江" in question or not hits:
        related = [make_citation(hits[0], 1)] if hits else []
        text = "文件中没有找到关于该问题的规定。\n相关条款（仅供参考，并非上述问题的答案）：\n" + "".join(
            f"· {c.label}：{c.text[:20]}" for c in related
        )
        return Answer(question, question, text, [], [], refused=True, related=related)
    cites = [make_citation(h, i + 1) for i, h in enumerate(hits)]
    text = "".join(f"{c.text}[{c.n}]" for c in cites)
    resolved = question
    if history and question.startswith("那"):
        resolved = history[-2]["content"] + "（追问：" + question + "）"
    return Answer(question, resolved, text, [AnswerSentence(c.text, [c.n]) for c in cites], cites)
