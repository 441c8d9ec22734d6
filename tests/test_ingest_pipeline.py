"""Bad inputs give one clear error each and never stop the other files; the CLI writes the documented
JSONL and follows its exit-code rule."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from ingest.config import IngestConfig
from ingest.load import load_text
from ingest.pipeline import ingest_paths
from ingest.types import IngestError
from policyqa.cli import main

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"
CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def _noise(n: int, seed: int = 7, nul: bool = True) -> bytes:
    rnd = random.Random(seed)
    lo = 0 if nul else 1
    return bytes(rnd.randint(lo, 255) for _ in range(n))


def _blank_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 300, fill=1)  # a "scan": graphics only, no text layer
    c.showPage()
    c.save()


@pytest.fixture()
def bad_dir(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "noise.txt").write_bytes(_noise(4096))
    (tmp_path / "noise_no_nul.txt").write_bytes(_noise(4096, seed=3, nul=False))
    (tmp_path / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not a real docx" + _noise(200))
    _blank_pdf(tmp_path / "scan.pdf")
    (tmp_path / "good.txt").write_bytes((FIX / "county_plan.txt").read_bytes())
    return tmp_path


@pytest.mark.parametrize("name, reason", [
    ("empty.txt", "is empty (0 bytes)"),
    ("noise.txt", "binary"),
    ("noise_no_nul.txt", "could not be decoded as text"),
    ("corrupt.docx", "is not a readable .docx"),
    ("scan.pdf", "no text layer"),
])
def test_bad_file_raises_clear_error_naming_file_and_reason(bad_dir, name, reason):
    with pytest.raises(IngestError) as ei:
        load_text(bad_dir / name, IngestConfig())
    msg = str(ei.value)
    assert msg.startswith(str(bad_dir / name)) and reason in msg and "\n" not in msg


def test_scanned_pdf_error_says_ocr_needed(bad_dir):
    with pytest.raises(IngestError, match="OCR needed"):
        load_text(bad_dir / "scan.pdf", IngestConfig())


def test_unsupported_extension_lists_supported_formats(tmp_path):
    p = tmp_path / "plan.xlsx"
    p.write_bytes(b"whatever")
    with pytest.raises(IngestError) as ei:
        load_text(p, IngestConfig())
    assert "unsupported file type '.xlsx'" in str(ei.value)
    assert all(s in ei.value.hint for s in (".txt", ".docx", ".pdf", ".md", ".html"))


def test_fifty_megabyte_file_refused_by_configurable_limit_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: no disk or memory cost
    with pytest.raises(IngestError, match=r"50\.0 MB, larger than the 20 MB limit") as ei:
        load_text(big, IngestConfig())
    assert "max_file_mb" in ei.value.hint
    with pytest.raises(IngestError, match="binary"):  # a higher limit lets it through to decoding
        load_text(big, IngestConfig(max_file_mb=60))


def test_one_bad_file_never_stops_the_others(bad_dir):
    res = ingest_paths([bad_dir], IngestConfig(), progress=False)
    assert [d.meta.source for d in res.documents] == ["good.txt"]
    assert sorted(Path(e.path).name for e in res.errors) == sorted(
        ["empty.txt", "noise.txt", "noise_no_nul.txt", "corrupt.docx", "scan.pdf"])
    assert res.files == [bad_dir / "good.txt"]


def test_directory_walk_skips_readme_hidden_and_unknown_files(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "plan.txt").write_bytes((FIX / "county_plan.txt").read_bytes())
    (tmp_path / "README.md").write_text("# corpus", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    res = ingest_paths([tmp_path], IngestConfig(), progress=False)
    assert [d.meta.source for d in res.documents] == ["plan.txt"] and not res.errors
    assert sorted(p.name for p in res.skipped) == ["README.md", "notes.json"]


def test_content_hash_is_sha256_of_file_bytes():
    path = FIX / "notice_forward.txt"
    res = ingest_paths([path], IngestConfig(), progress=False)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(res.documents) == 3 and {d.meta.content_hash for d in res.documents} == {digest}


def test_cli_writes_clause_jsonl_with_documented_schema_and_exit_zero(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["ingest", str(CORPUS), "--out", str(out), "--no-progress"]) == 0
    rows = [json.loads(line) for line in (out / "clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = {"clause_id", "doc_id", "source", "section_path", "headings", "text", "responsible", "kind",
                "start", "end", "order", "title", "issuers", "doc_number", "date", "region", "level", "doc_type",
                "parent_doc_id", "content_hash", "adopted", "revised", "version_date", "effective_date", "expires",
                "plan_period", "references", "repeals"}
    assert all(set(r) == expected for r in rows)
    assert any(r["section_path"] == "三、（二）2." and r["doc_number"] == "扬府办发〔2022〕37号" for r in rows)
    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 7
    table = capsys.readouterr().out
    assert "甘科才〔2023〕1号" in table and "7 documents" in table


def test_cli_exit_one_when_some_files_fail_and_others_still_written(bad_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["ingest", str(bad_dir), "--out", str(out), "--no-progress"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 5 and all(line.startswith("policyqa ingest: error: ") for line in err)
    assert (out / "clauses.jsonl").read_text(encoding="utf-8").count("\n") > 5


def test_cli_exit_two_when_nothing_ingested(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    assert "is empty" in capsys.readouterr().err
    assert not (tmp_path / "o" / "clauses.jsonl").exists()


def test_same_stem_in_two_formats_gets_distinct_doc_ids(tmp_path):
    (tmp_path / "plan.txt").write_bytes((FIX / "county_plan.txt").read_bytes())
    (tmp_path / "plan.md").write_bytes((FIX / "county_plan.txt").read_bytes())
    res = ingest_paths([tmp_path], IngestConfig(), progress=False)
    ids = [d.meta.doc_id for d in res.documents]
    assert sorted(ids) == ["plan#0", "plan.txt#0"]
    clause_ids = [c.clause_id for d in res.documents for c in d.clauses]
    assert len(clause_ids) == len(set(clause_ids))
