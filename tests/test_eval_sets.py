"""`policyqa eval --set`: named gold sets, each on its own corpus, one table per set (fake index, no model)."""

from __future__ import annotations

import json

import pytest
from fixtures.answer.fake_index import FakeIndex

from eval.sets import known_sets, parse_sets
from policyqa import cmd_eval
from policyqa.cli import main

ANSWERABLE = {"id": "number-1", "question": "青田县到2025年公民具备科学素质的比例要达到多少？", "type": "number",
              "gold": [{"doc": "qingtian.txt", "evidence": "我县公民具备科学素质的比例达到15%"}], "answer": "15%",
              "keywords": ["15%"]}
UNANSWERABLE = {"id": "un-1", "question": "浙江省的科普经费是多少？", "type": "unanswerable", "gold": [],
                "answer": "", "keywords": []}


def write_jsonl(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository root with the five sets' gold files and corpus folders; the index is the fake one."""
    root = tmp_path / "repo"
    sets = known_sets(root)
    write_jsonl(sets["gold"].gold, [ANSWERABLE, UNANSWERABLE])
    write_jsonl(sets["heldout"].gold, [UNANSWERABLE])
    write_jsonl(sets["dev"].gold, [{**ANSWERABLE, "version": "2023"}])
    write_jsonl(sets["paraphrase"].gold, [{**ANSWERABLE, "id": "number-1-p1", "question": "青田县2025年科学素质目标？",
                                           "source": "number-1", "variant": ["polite", "period"]}])
    write_jsonl(sets["laws2"].gold, [ANSWERABLE])
    write_jsonl(sets["fresh"].gold, [{**ANSWERABLE, "id": "fr-num-001", "variant": ["colloquial"]}])
    for s in sets.values():
        s.corpus.mkdir(parents=True, exist_ok=True)
    corpora = []

    def make_setup(args, progress):
        corpora.append(args.corpus)
        return cmd_eval.Setup(index=FakeIndex(), corpus=None, info={"index_build_seconds": 0.0, "documents": 4})

    monkeypatch.setattr(cmd_eval, "ROOT", root)
    monkeypatch.setattr(cmd_eval, "make_setup", make_setup)
    return root, corpora


def test_set_all_runs_every_set_on_its_own_corpus_and_writes_one_table_per_set(tmp_path, repo, capsys):
    root, corpora = repo
    out = tmp_path / "run"
    assert main(["eval", "--set", "all", "--out", str(out), "--no-progress"]) == 0
    sets = known_sets(root)
    assert corpora == [sets[n].corpus for n in ("gold", "heldout", "dev", "paraphrase", "laws2", "fresh")]
    for name in (n for n, s in sets.items() if s.in_all):
        assert (out / name / "results.jsonl").exists() and (out / name / "report.md").exists()
    combined = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(combined["sets"]) == ["gold", "heldout", "dev", "paraphrase", "laws2", "fresh"]
    assert combined["sets"]["gold"]["n_items"] == 2
    assert combined["sets"]["heldout"]["project"]["overall"]["refusal_rate_unanswerable"] == 1.0
    report = (out / "report.md").read_text(encoding="utf-8")
    for name in (n for n, s in sets.items() if s.in_all):
        assert f"## {name}: " in report and f"({name}/report.md)" in report
    assert report.count("| type | n | keyword acc. | refusal | false refusal | R@5 | validity |") == 6
    assert "| unanswerable | 1 |" in report
    assert "By `version`" in report and "| 2023 | 1 | 1.000 |" in report  # dev items carry a version
    assert "| variant | n |" in report and "| period | 1 |" in report and "| polite | 1 |" in report
    assert combined["sets"]["paraphrase"]["facets"]["variant"]["polite"]["n"] == 1
    assert "facets" not in combined["sets"]["gold"] or not combined["sets"]["gold"]["facets"]
    printed = capsys.readouterr().out
    assert "== set paraphrase" in printed and "keyword acc." in printed


def test_against_an_earlier_set_run_compares_set_by_set(tmp_path, repo):
    _, corpora = repo
    main(["eval", "--set", "dev,gold", "--out", str(tmp_path / "a"), "--no-progress"])
    assert [p.parent.name + "/" + p.name for p in corpora] == ["corpora/dev", "data/corpus"]  # order as given
    summary = tmp_path / "a" / "gold" / "summary.json"
    data = json.loads(summary.read_text(encoding="utf-8"))
    data["project"]["overall"]["keyword_accuracy"] = 0.25  # pretend the earlier run was worse
    summary.write_text(json.dumps(data), encoding="utf-8")
    main(["eval", "--set", "gold", "--out", str(tmp_path / "b"), "--against", str(tmp_path / "a"), "--no-progress"])
    assert "| Keyword accuracy | 1.000 | 0.250 | +0.750 |" in (tmp_path / "b" / "gold" / "report.md").read_text(
        encoding="utf-8")


def test_unknown_set_and_set_with_gold_are_clean_errors(tmp_path, repo, capsys):
    assert main(["eval", "--set", "devel", "--out", str(tmp_path / "x")]) == 2
    assert "unknown set 'devel'" in capsys.readouterr().err
    assert main(["eval", "--set", "dev", "--corpus", str(tmp_path)]) == 2
    assert "drop --gold, --corpus and --index" in capsys.readouterr().err
    assert main(["eval", "--set", "dev", "--against", str(tmp_path / "nowhere")]) == 2
    assert "not a policyqa eval --set run" in capsys.readouterr().err


def test_parse_sets_names_a_missing_file(tmp_path):
    with pytest.raises(ValueError, match=r"--set dev: gold file .*gold_dev.jsonl does not exist"):
        parse_sets("dev", tmp_path)


def test_the_repository_sets_exist():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    assert [s.name for s in parse_sets("all", root)] == ["gold", "heldout", "dev", "paraphrase", "laws2", "fresh"]
