"""Every clause an answer cites is in the list its retrieval recorded (validity 1.00 by construction),
on the project's whole gold set with the fake embedder — the benchmark's path, not a copy of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold_io import load_gold
from eval.run import run_benchmark
from index.config import IndexConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.config import IngestConfig
from ingest.pipeline import ingest_paths

ROOT = Path(__file__).resolve().parents[1]
SETS = [(ROOT / "eval" / "gold.jsonl", ROOT / "data" / "corpus"),
        (ROOT / "eval" / "gold_heldout.jsonl", ROOT / "tests" / "fixtures" / "heldout")]


@pytest.mark.parametrize("gold, corpus", SETS, ids=["gold", "heldout"])
def test_every_citation_is_in_the_recorded_retrieved_list(gold, corpus, tmp_path):
    if not gold.exists():
        pytest.skip(f"{gold.name} not present")
    docs = ingest_paths(sorted(p for p in corpus.iterdir() if p.is_file()), IngestConfig(), progress=False).documents
    index = ClauseIndex.build(docs, HashEmbedder(), IndexConfig())
    summary = run_benchmark(load_gold(gold), index, tmp_path, progress=False, report=False)
    assert summary["project"]["overall"]["citation_validity"] == 1.0

    for line in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        recorded = {r["clause_id"] for r in rec["retrieved"]}
        assert {c["clause_id"] for c in rec["citations"]} <= recorded, rec["id"]
        assert {c["clause_id"] for c in rec["citations"]} <= set(rec["retrieved_clause_ids"]), rec["id"]
