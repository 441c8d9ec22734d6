"""`policyqa add / remove / docs / index` over a small corpus (hash embedder), and 20 sessions
asking while documents are added through the app."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from index.docstore import DocStore
from index.fake import HashEmbedder
from policyqa.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
QUESTION = "东阳县到2025年公民具备科学素质的比例是多少？"


@pytest.fixture()
def env(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    monkeypatch.setattr("index.models.load_embedder", lambda *a, **k: HashEmbedder(dim=64))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("county_plan.txt", "law_regulation.txt"):
        shutil.copy(FIXTURES / "ingest" / name, corpus / name)
    ix = tmp_path / "ix"
    assert main(["index", str(corpus), "--index", str(ix)]) == 0
    return corpus, ix


def docs(corpus: Path, ix: Path, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["docs", "--json", "--corpus", str(corpus), "--index", str(ix)]) == 0
    return json.loads(capsys.readouterr().out)


def test_corrupt_upload_named_like_an_indexed_document_fails_and_the_document_stays(env, tmp_path, capsys):
    corpus, ix = env
    before = docs(corpus, ix, capsys)
    source = (corpus / "county_plan.txt").read_bytes()
    bad = tmp_path / "in" / "county_plan.docx"
    bad.parent.mkdir()
    bad.write_bytes(b"PK\x03\x04 this is not a zip archive")
    shutil.copy(bad, bad.with_suffix(".txt"))
    (bad.parent / "county_plan.txt").write_bytes(b"\x00\x00\x00binary")
    assert main(["add", str(bad.parent / "county_plan.txt"), "--corpus", str(corpus), "--index", str(ix)]) == 1
    err = capsys.readouterr().err
    assert "county_plan.txt" in err and "无法导入" in err and "Traceback" not in err
    assert (corpus / "county_plan.txt").read_bytes() == source
    assert docs(corpus, ix, capsys) == before
    assert main(["ask", QUESTION, "--corpus", str(corpus), "--index", str(ix), "--json"]) == 0
    ans = json.loads(capsys.readouterr().out)
    assert any(c["doc"] == "county_plan.txt" for c in ans["citations"])


def test_index_on_an_empty_or_missing_folder_exits_2_and_the_index_still_answers(env, tmp_path, capsys):
    corpus, ix = env
    manifest = (ix / "manifest.json").read_bytes()
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        capsys.readouterr()
        assert main(["index", str(folder), "--index", str(ix)]) == 2
        err = capsys.readouterr().err
        assert "语料目录" in err and err.count("\n") == 1
    assert (ix / "manifest.json").read_bytes() == manifest
    assert main(["search", "科学素质", "--index", str(ix), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"]


def test_add_docs_remove_round_trip_with_per_file_summary(env, tmp_path, capsys):
    corpus, ix = env
    new = tmp_path / "湖州市方案.txt"
    new.write_text("湖州市科普工作方案\n\n一、总体目标\n到2025年，全市公民具备科学素质的比例达到16%。\n",
                   encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    capsys.readouterr()
    assert main(["add", str(new), str(bad), "--corpus", str(corpus), "--index", str(ix)]) == 1
    out, err = capsys.readouterr()
    assert "✓ 湖州市方案.txt" in out and "✗ 文件“empty.txt”无法导入：文件是空的" in err
    rows = {r["source"]: r for r in docs(corpus, ix, capsys)}
    assert rows["湖州市方案.txt"]["title"] == "湖州市科普工作方案" and rows["湖州市方案.txt"]["clauses"] >= 1
    assert set(rows["湖州市方案.txt"]) == {"id", "title", "doc_number", "issuers", "date", "region", "clauses",
                                        "source", "original_name", "status", "effective_date", "superseded_by",
                                        "plan_period", "version_group", "note"}
    assert main(["remove", rows["湖州市方案.txt"]["id"], "--corpus", str(corpus), "--index", str(ix)]) == 0
    assert "湖州市方案.txt" not in {r["source"] for r in docs(corpus, ix, capsys)}
    assert not (corpus / "湖州市方案.txt").exists()
    assert [p.name.split("--", 1)[1] for p in (corpus / ".policyqa" / "trash").iterdir()] == ["湖州市方案.txt"]
    assert main(["remove", "不存在的文件", "--corpus", str(corpus), "--index", str(ix)]) == 2


def test_reading_commands_never_change_the_index(env, capsys):
    corpus, ix = env
    (corpus / "law_regulation.txt").unlink()  # a sync would drop it; ask / search / docs must not
    manifest = (ix / "manifest.json").read_bytes()
    assert main(["ask", QUESTION, "--corpus", str(corpus), "--index", str(ix)]) == 0
    assert main(["search", "科普", "--corpus", str(corpus), "--index", str(ix)]) == 0
    assert len(docs(corpus, ix, capsys)) == 2
    assert (ix / "manifest.json").read_bytes() == manifest


def test_reading_command_without_an_index_builds_it_once_and_says_so(env, tmp_path, capsys):
    corpus, _ = env
    ix = tmp_path / "fresh"
    capsys.readouterr()
    assert main(["search", "科普", "--corpus", str(corpus), "--index", str(ix)]) == 0
    assert "没有找到索引" in capsys.readouterr().err and (ix / "manifest.json").is_file()
    assert main(["search", "科普", "--corpus", str(corpus), "--index", str(ix)]) == 0
    assert "没有找到索引" not in capsys.readouterr().err


def test_twenty_sessions_keep_answering_while_documents_are_added(tmp_path):
    from app_fixture import fake_answer

    from chatbot.app import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "ingest" / "county_plan.txt", corpus)
    store = DocStore(corpus, tmp_path / "ix", HashEmbedder(dim=64))
    store.open()
    pa = create_app(None, answer_fn=fake_answer, store=store).policyqa
    new_files = []
    for i in range(2):
        f = tmp_path / f"plan{i}.txt"
        f.write_text(f"第{i}号县科普工作方案\n\n一、目标\n到2025年，公民具备科学素质的比例达到{10 + i}%。\n",
                     encoding="utf-8")
        new_files.append(f)
    failures: list[str] = []
    answers = [0]
    done = threading.Event()
    counter = threading.Lock()

    def session() -> None:
        while not done.is_set():
            try:
                display, *_ = pa.ask(QUESTION, [], [])
                if len(display) != 2 or "出错" in display[1]["content"]:
                    failures.append(display[-1]["content"])
                with counter:
                    answers[0] += 1
                time.sleep(0.05)
            except Exception as exc:  # noqa: BLE001 - counted, the test fails below
                failures.append(repr(exc))

    threads = [threading.Thread(target=session) for _ in range(20)]
    for t in threads:
        t.start()
    for f in new_files:
        pa.upload([str(f)])
    done.set()
    for t in threads:
        t.join()
    assert failures == [] and answers[0] >= 20
    assert {f"plan{i}#0" for i in range(2)} <= set(pa.index.metas)
    assert {f"plan{i}#0" for i in range(2)} <= set(DocStore(corpus, tmp_path / "ix", HashEmbedder(dim=64)).open().metas)


@pytest.mark.parametrize(("error", "code"), [("model", 5), ("tokenizer", 6)])
def test_model_and_tokenizer_errors_exit_with_their_code_once_without_traceback(tmp_path, monkeypatch, capsys,
                                                                                 error, code):
    from index.models import ModelError
    from ingest.tokens import TokenizerError

    exc = ModelError("no weights at /x") if error == "model" else TokenizerError("cl100k_base missing")

    def fail(*a, **k):
        raise exc

    monkeypatch.setattr("index.models.load_embedder", fail)
    assert main(["search", "科普", "--index", str(tmp_path / "ix")]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and ("模型" in err or "分词器" in err)


def test_first_ask_builds_the_index_saying_so_on_stderr_without_progress_bars_off_a_terminal(tmp_path, monkeypatch,
                                                                                          capsys):
    monkeypatch.setattr("index.models.load_embedder", lambda *a, **k: HashEmbedder(dim=64))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "ingest" / "county_plan.txt", corpus / "county_plan.txt")
    ix = tmp_path / "ix"
    assert main(["ask", QUESTION, "--corpus", str(corpus), "--index", str(ix)]) == 0
    captured = capsys.readouterr()
    assert "正在从语料目录" in captured.err  # the one-time build is announced
    assert "%|" not in captured.err and "it/s" not in captured.err  # captured stderr is no terminal: no bars
    assert "%|" not in captured.out and captured.out.startswith("根据")


def test_chat_starts_without_importing_torch_on_an_onnx_backend(tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "ingest" / "county_plan.txt", corpus / "county_plan.txt")
    code = (
        "import sys\n"
        "from policyqa import config, cmd_chat\n"
        "from policyqa.cli import build_parser\n"
        "from index.fake import HashEmbedder\n"
        "config.load_embedder = lambda s, progress=True, threads=0, queries_only=False: HashEmbedder(dim=64)\n"
        f"args = build_parser('chat').parse_args(['chat', '--corpus', {str(corpus)!r}, '--index', {str(tmp_path / 'ix')!r},"
        " '--embed-backend', 'onnx-fp32'])\n"
        "import chatbot.app\n"
        "chatbot.app.launch = lambda *a, **k: print('launched')\n"
        "rc = cmd_chat.run(args)\n"
        "print(rc, sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, PYTHONPATH=str(root)), stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-2:] == ["launched", "0 []"]
