"""Fault tests of the document store: kill -9 at random points of add / replace / remove / index,
a full disk, truncated and bit-flipped index files, dot-named and non-UTF-8-named uploads.

Expected every time: 0 lost documents (every indexed document's source file is in the corpus
with the recorded hash; every file the corpus held is still there or in the trash, byte for
byte), 0 corrupt indexes (the index loads), and the change is all or nothing.

A kill is real: the operation runs in a forked child that sends itself SIGKILL just before its
N-th file-system step (rename, fsync, copy, unlink, rmtree), N drawn at random over the steps
the operation takes. The fake embedder keeps a trial fast.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
from pathlib import Path

import pytest

from index.docstore import DocStore, StoreError
from index.fake import HashEmbedder
from index.store import ClauseIndex
from index.types import IndexCorrupt

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = [FIXTURES / "ingest" / n for n in ("county_plan.txt", "law_regulation.txt", "notice_forward.txt")]
NEW_DOC = "湖州市科普工作方案\n\n一、总体目标\n到2025年，全市公民具备科学素质的比例达到16%。\n二、主要任务\n建设科普示范社区二十个。\n"
CHANGED_DOC = "青田县科普工作方案（修订）\n\n一、目标\n到2025年，公民具备科学素质的比例达到15%。\n二、措施\n每年培训高素质农民一千人次。\n"
STEPS = ("replace", "rename", "fsync", "unlink")


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def state(idx: ClauseIndex) -> set[tuple[str, str]]:
    """What the index holds: (doc_id, content hash of its source) pairs."""
    return {(d, m.content_hash) for d, m in idx.metas.items()}


INDEX_CONFIG: dict = {0: None}  # the index config of every store (a test may set it; forked children inherit it)


def make_store(corpus: Path, ix: Path) -> DocStore:
    return DocStore(corpus, ix, HashEmbedder(dim=64), index_config=INDEX_CONFIG[0])


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A corpus of three documents and its saved index (copied for every trial)."""
    root = tmp_path_factory.mktemp("base")
    corpus = root / "corpus"
    corpus.mkdir()
    for p in SOURCES:
        shutil.copy(p, corpus / p.name)
    make_store(corpus, root / "ix").sync()
    return root


def snapshot(corpus: Path) -> dict[str, str]:
    """sha256 of every file in the corpus and its trash, by content (where it is does not matter)."""
    files = [p for p in corpus.iterdir() if p.is_file()]
    trash = corpus / ".policyqa" / "trash"
    files += list(trash.iterdir()) if trash.is_dir() else []
    return {sha(p): p.name for p in files}


def check_invariants(root: Path, before_docs: set[str], after_docs: set[str], before_files: dict[str, str]) -> str:
    corpus, ix = root / "corpus", root / "ix"
    store = make_store(corpus, ix)
    idx = store.open()  # recovery, then load: a corrupt index would be rebuilt and say so
    assert not store.notices, store.notices
    assert not (corpus / ".policyqa" / "journal.json").exists()
    docs = state(idx)
    assert docs in (before_docs, after_docs), (docs, before_docs, after_docs)
    for d, m in idx.metas.items():  # every indexed document has its source, unchanged
        src = corpus / m.source
        assert src.is_file() and sha(src) == m.content_hash, d
    now = snapshot(corpus)
    assert set(before_files) <= set(now), "a file the corpus held is gone"
    ClauseIndex.load(ix, HashEmbedder(dim=64))  # loads and verifies every checksum
    return "after" if docs == after_docs and docs != before_docs else "before"


def install_kill_hook(n: int, counter_file: Path) -> None:
    """Count file-system steps; SIGKILL this process just before step ``n`` (0: never, record the count)."""
    count = [0]
    real = {name: getattr(os, name) for name in STEPS}
    real_rmtree, real_copy = shutil.rmtree, shutil.copyfile

    def step() -> None:
        count[0] += 1
        counter_file.write_text(str(count[0]))
        if n and count[0] >= n:
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(f):
        def g(*a, **k):
            step()
            return f(*a, **k)
        return g

    for name, f in real.items():
        setattr(os, name, wrap(f))
    shutil.rmtree, shutil.copyfile = wrap(real_rmtree), wrap(real_copy)


def run_in_child(op, root: Path, n: int) -> int:
    """Fork; the child runs ``op(store)`` with the kill hook; returns the child's exit status (-9: killed)."""
    counter = root / "steps"
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            install_kill_hook(n, counter)
            op(make_store(root / "corpus", root / "ix"))
        except BaseException:  # noqa: BLE001 - any failure is an exit status for the parent
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def op_add(store: DocStore) -> None:
    src = store.corpus.parent / "huzhou_plan.txt"
    src.write_text(NEW_DOC, encoding="utf-8")
    store.add([src])


def op_replace(store: DocStore) -> None:
    src = store.corpus.parent / "in" / "county_plan.txt"
    src.parent.mkdir(exist_ok=True)
    src.write_text(CHANGED_DOC, encoding="utf-8")
    store.add([src])


def op_remove(store: DocStore) -> None:
    store.remove("law_regulation.txt")


def op_index(store: DocStore) -> None:
    (store.corpus / "huzhou_plan.txt").write_text(NEW_DOC, encoding="utf-8")
    store.sync(prune=True)


def op_add_bad_and_good(store: DocStore) -> None:
    bad = store.corpus.parent / "in" / "notice_forward.txt"
    bad.parent.mkdir(exist_ok=True)
    bad.write_bytes(b"\x00\x01\x02 binary")
    good = store.corpus.parent / "huzhou_plan.txt"
    good.write_text(NEW_DOC, encoding="utf-8")
    store.add([bad, good])


OPS = {"add": op_add, "replace": op_replace, "remove": op_remove, "index": op_index,
       "add_bad_and_good": op_add_bad_and_good}
TRIALS_PER_OP = 11  # 55 kills in all


@pytest.mark.parametrize("name", sorted(OPS))
def test_kill_9_at_random_points_loses_nothing_and_never_corrupts(name, base, tmp_path):
    op = OPS[name]
    dry = tmp_path / "dry"
    shutil.copytree(base, dry)
    before_docs = state(make_store(dry / "corpus", dry / "ix").open())
    assert run_in_child(op, dry, 0) == 0
    after_docs = state(make_store(dry / "corpus", dry / "ix").open())
    assert after_docs != before_docs
    total = int((dry / "steps").read_text())
    rng = random.Random(f"{name}-10")
    points = sorted(rng.sample(range(1, total + 1), min(TRIALS_PER_OP, total)))
    outcomes = []
    for n in points:
        root = tmp_path / f"t{n}"
        shutil.copytree(base, root)
        files = snapshot(root / "corpus")
        status = run_in_child(op, root, n)
        assert status == -signal.SIGKILL, (n, status)
        outcomes.append(check_invariants(root, before_docs, after_docs, files))
        shutil.rmtree(root)
    assert len(outcomes) == len(points) >= min(TRIALS_PER_OP, total)


@pytest.fixture()
def appending(monkeypatch):
    """Stores whose saves append (no compaction threshold reached) onto an index that has a segment."""
    from index.config import IndexConfig

    monkeypatch.setitem(INDEX_CONFIG, 0, IndexConfig(compact_fraction=100.0))


@pytest.mark.parametrize("name", ["add", "replace", "remove", "index"])
def test_kill_9_while_writing_segments_and_tombstones_loses_nothing(name, base, tmp_path, appending):
    seeded = tmp_path / "seeded"
    shutil.copytree(base, seeded)
    src = tmp_path / "绍兴市科普方案.txt"
    src.write_text(NEW_DOC.replace("湖州", "绍兴"), encoding="utf-8")
    assert make_store(seeded / "corpus", seeded / "ix").add([src]).ok  # the base now has a segment
    dry = tmp_path / "dry"
    shutil.copytree(seeded, dry)
    before_docs = state(make_store(dry / "corpus", dry / "ix").open())
    assert run_in_child(OPS[name], dry, 0) == 0
    kinds = [e["kind"] for e in json.loads((dry / "ix" / "manifest.json").read_text("utf-8"))["log"]]
    assert len(kinds) > 1 and kinds[0] == "add"  # appended, not rewritten
    after_docs = state(make_store(dry / "corpus", dry / "ix").open())
    total = int((dry / "steps").read_text())
    rng = random.Random(f"seg-{name}")
    for n in sorted(rng.sample(range(1, total + 1), min(8, total))):
        root = tmp_path / f"t{n}"
        shutil.copytree(seeded, root)
        files = snapshot(root / "corpus")
        assert run_in_child(OPS[name], root, n) == -signal.SIGKILL
        check_invariants(root, before_docs, after_docs, files)
        shutil.rmtree(root)


def test_disk_full_while_appending_a_segment_rolls_back(base, tmp_path, monkeypatch, appending):
    root = tmp_path / "r"
    shutil.copytree(base, root)
    manifest = (root / "ix" / "manifest.json").read_bytes()
    before = sorted(p.name for p in (root / "ix").iterdir())

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("index.segments.save_npy", full)
    src = tmp_path / "huzhou_plan.txt"
    src.write_text(NEW_DOC, encoding="utf-8")
    with pytest.raises(StoreError):
        make_store(root / "corpus", root / "ix").add([src])
    assert (root / "ix" / "manifest.json").read_bytes() == manifest
    assert sorted(p.name for p in (root / "ix").iterdir()) == before  # the half segment is gone
    assert not (root / "corpus" / "huzhou_plan.txt").exists()
    monkeypatch.undo()
    assert "huzhou_plan#0" not in make_store(root / "corpus", root / "ix").open().metas


def test_disk_full_while_saving_the_index_rolls_back_byte_for_byte(base, tmp_path, monkeypatch):
    root = tmp_path / "r"
    shutil.copytree(base, root)
    corpus = root / "corpus"
    files = {p.name: p.read_bytes() for p in corpus.iterdir() if p.is_file()}
    manifest = (root / "ix" / "manifest.json").read_bytes()

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("index.persist.write_jsonl", full)  # the writers live in index.persist
    src = tmp_path / "county_plan.txt"
    src.write_text(CHANGED_DOC, encoding="utf-8")
    store = make_store(corpus, root / "ix")
    with pytest.raises(StoreError) as e:
        store.add([src])
    assert "磁盘空间" in e.value.zh and e.value.exit_code == 7
    assert {p.name: p.read_bytes() for p in corpus.iterdir() if p.is_file()} == files
    assert (root / "ix" / "manifest.json").read_bytes() == manifest
    assert not (corpus / ".policyqa" / "journal.json").exists()
    monkeypatch.undo()
    assert "青田" not in " ".join(m.title for m in make_store(corpus, root / "ix").open().metas.values())


def test_disk_full_while_writing_the_journal_changes_nothing(base, tmp_path, monkeypatch):
    root = tmp_path / "r"
    shutil.copytree(base, root)
    corpus = root / "corpus"
    files = {p.name: p.read_bytes() for p in corpus.iterdir() if p.is_file()}
    real = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError):
        make_store(corpus, root / "ix").remove("law_regulation.txt")
    monkeypatch.setattr(os, "fsync", real)
    assert {p.name: p.read_bytes() for p in corpus.iterdir() if p.is_file()} == files
    assert "law_regulation#0" in make_store(corpus, root / "ix").open().metas


@pytest.mark.parametrize("damage", ["truncate", "bitflip"])
@pytest.mark.parametrize("target", ["dense.faiss", "chunks.jsonl", "manifest.json"])
def test_damaged_index_is_reported_in_chinese_and_rebuilt_from_the_corpus(base, tmp_path, damage, target, capsys):
    root = tmp_path / "r"
    shutil.copytree(base, root)
    f = root / "ix" / target
    data = bytearray(f.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 3] ^= 0x04
    f.write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt):
        ClauseIndex.load(root / "ix", HashEmbedder(dim=64))
    store = make_store(root / "corpus", root / "ix")
    store.progress = True
    idx = store.open()
    err = capsys.readouterr().err
    assert "索引" in err and ("损坏" in err or "无法读取" in err or "不一致" in err) and "重建" in err
    assert len(idx.metas) == 5
    ClauseIndex.load(root / "ix", HashEmbedder(dim=64))  # the rebuilt index is whole


def test_dot_named_and_non_utf8_named_uploads_survive_a_restart(base, tmp_path):
    root = tmp_path / "r"
    shutil.copytree(base, root)
    corpus = root / "corpus"
    dot = tmp_path / ".湖州市方案.txt"
    dot.write_text(NEW_DOC, encoding="utf-8")
    gbk = Path(os.fsdecode(str(tmp_path).encode() + b"/" + "青田县方案.txt".encode("gbk")))
    gbk.write_text(CHANGED_DOC, encoding="utf-8")
    report = make_store(corpus, root / "ix").add([dot, gbk])
    assert report.ok and report.documents == 7  # notice_forward.txt holds three documents
    stored = [f.stored_as for f in report.files]
    assert all(not s.startswith(".") and s.encode("utf-8") for s in stored)
    restarted = make_store(corpus, root / "ix")
    assert restarted.sync().ok and len(restarted.index.metas) == 7  # a full sync from the folder
    rows = {r["source"]: r for r in restarted.docs()}
    assert rows[stored[0]]["original_name"] == ".湖州市方案.txt"
    assert rows[stored[1]]["original_name"] == os.fsencode(gbk.name).decode("utf-8", "backslashreplace")
    assert json.loads((corpus / ".policyqa" / "sources.json").read_text("utf-8"))[stored[0]]["original"]


def test_orphan_temp_and_old_index_folders_from_dead_processes_are_cleaned(base, tmp_path):
    root = tmp_path / "r"
    shutil.copytree(base, root)
    dead_tmp = root / ".ix.tmp-999999999-deadbeef"
    dead_old = root / ".ix.old-999999999-deadbeef"
    fresh = root / ".ix.tmp-999999998-cafecafe"
    for d in (dead_tmp, dead_old, fresh):
        d.mkdir()
        (d / "dense.faiss").write_bytes(b"partial")
    for d in (dead_tmp, dead_old):
        os.utime(d, (1, 1))
    os.utime(fresh, None)  # newer than this process: maybe another process's save in progress
    ClauseIndex.load(root / "ix", HashEmbedder(dim=64))
    assert not dead_tmp.exists() and not dead_old.exists() and fresh.exists()


def test_docstring_examples_of_the_store_modules():
    import doctest
    import importlib

    for name in ("index.txn", "ingest.errors", "policyqa.errors"):
        assert doctest.testmod(importlib.import_module(name)).failed == 0, name
