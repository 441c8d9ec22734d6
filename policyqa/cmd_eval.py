"""`policyqa eval [--gold FILE] [--corpus DIR] [--index DIR] [--out DIR] [--baseline] [--set NAMES]`: the benchmark.

Runs every gold question through the chat app's answer path, scores retrieval, citations,
grounding, refusals and speed without an LLM judge, and writes ``results.jsonl``,
``summary.json`` and ``report.md`` (with PNG plots) into ``--out``. ``--baseline`` also runs a
plain LangChain pipeline on the same questions, side by side in the report. Example::

    policyqa eval --baseline --out runs/eval-demo
    policyqa eval --out runs/eval-next --against runs/eval-demo/summary.json   # what changed
    policyqa eval --set all --out runs/all      # gold, heldout, dev, paraphrase, laws2, fresh: one table per set

``--set`` runs named gold sets (``eval.sets``), each on its own corpus, into ``OUT/<set>/`` and
writes ``OUT/report.md`` with one table per set; ``--against`` then takes an earlier ``--set``
run's folder (or its summary.json) and compares set by set.

Index: with ``--index DIR`` alone the saved index is loaded; with ``--corpus`` (or neither)
the corpus is ingested and indexed into a fresh temporary folder, so the measured build time
is a cold build (the embedding model itself is already cached); ``--corpus`` with ``--index``
updates that index incrementally.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold.jsonl", help="gold set (JSONL)")
    p.add_argument("--corpus", type=Path, default=None, help="folder of documents (default: the bundled corpus)")
    p.add_argument("--index", type=Path, default=None, metavar="DIR",
                   help="saved index folder to evaluate (default: a fresh index built from the corpus)")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder (default: runs/eval-<UTC timestamp>)")
    p.add_argument("--baseline", action="store_true",
                   help="also run the plain LangChain baseline (splitter 500/50 + FAISS top-5)")
    p.add_argument("--model", default="multilingual-e5-small", help="embedding model (as for policyqa index)")
    from policyqa.config import add_backend_argument

    add_backend_argument(p)
    p.add_argument("--against", type=Path, default=None, metavar="SUMMARY",
                   help="summary.json of an earlier run: its project figures and the change go into the report")
    p.add_argument("--tau", type=float, default=0.8, help="lexical-support threshold τ (default 0.8)")
    p.add_argument("--types", default="", help="only these question types, comma-separated (e.g. fact,number)")
    p.add_argument("--limit", type=int, default=0, help="only the first N questions (0 = all)")
    p.add_argument("--threads", type=int, default=0,
                   help="torch CPU threads (0 = torch's default; 1 is much faster on a machine busy with other work)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument("--set", dest="sets", default="", metavar="NAMES",
                   help="named gold sets, comma-separated, or 'all' (gold, heldout, dev, paraphrase, laws2, fresh): each runs on "
                        "its own corpus into OUT/<set>/, and OUT/report.md has one table per set")
    p.add_argument("--distractors", default="", metavar="COUNTS",
                   help="with --set: each set alone and with COUNTS (e.g. 100,400,all) scale-corpus documents mixed in, "
                        "from the scale embedding cache (eval.distractors); OUT/report.md has the tables")
    p.add_argument("--scale-work", type=Path, default=None, metavar="DIR",
                   help="prepared scale corpus (docs.jsonl + chunks.jsonl of eval.scale.prepare) for --distractors")


@dataclass
class Setup:
    """What a benchmark run needs, assembled from flags (kept here so it can move to policyqa/config.py)."""

    index: Any
    corpus: Path | None
    info: dict[str, Any] = field(default_factory=dict)
    baseline: Any = None
    cleanup: list[Any] = field(default_factory=list)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / (1024 if sys.platform == "darwin" else 1)


def set_threads(n: int) -> int | None:
    """Set torch's intra-op CPU threads when ``n`` > 0; return the count in use (None without torch)."""
    try:
        import torch
    except ImportError:
        return None
    if n > 0:
        torch.set_num_threads(n)
    return torch.get_num_threads()


def make_setup(args: argparse.Namespace, progress: bool) -> Setup:
    """Embedder, index (timed), and the baseline when asked for."""
    from index.config import IndexConfig
    from index.models import load_embedder
    from ingest.config import IngestConfig
    from policyqa.config import settings_from_args

    backend = settings_from_args(args).embed_backend
    threads = set_threads(getattr(args, "threads", 0)) if backend == "st-fp32" else getattr(args, "threads", 0)
    embedder = load_embedder(args.model, backend=backend, threads=getattr(args, "threads", 0))
    corpus = args.corpus or (None if args.index else ROOT / "data" / "corpus")
    info: dict[str, Any] = {"model": getattr(embedder, "name", args.model), "embed_backend": backend,
                            "torch_threads": threads}
    cleanup: list[Any] = []
    t0 = time.perf_counter()
    if corpus is None:
        from index.store import ClauseIndex

        index = ClauseIndex.load(args.index, embedder, IndexConfig())
        info.update(index=str(args.index), index_build_note="loaded a saved index (no build)")
    else:
        from index.store import open_or_build

        if args.index is None:
            tmp = tempfile.TemporaryDirectory(prefix="policyqa-eval-index-")
            cleanup.append(tmp)
            index_dir = Path(tmp.name) / "index"
            note = "cold build into a fresh temporary folder (ingest + embed + save); embedding model already cached"
        else:
            index_dir = args.index
            note = "incremental update of the given index folder"
        index = open_or_build(corpus, index_dir, embedder, IngestConfig(), IndexConfig(), progress=progress)
        info.update(corpus=str(corpus), index=str(args.index or "(temporary)"), index_build_note=note)
    info["index_build_seconds"] = round(time.perf_counter() - t0, 2)
    info["peak_rss_mb_after_index"] = round(peak_rss_mb(), 1)
    info["documents"] = len(index.metas)
    info["chunks"] = len(getattr(index, "chunks", []))
    baseline = None
    if args.baseline:
        from eval.baseline import LangChainBaseline

        baseline = LangChainBaseline.from_corpus(corpus or ROOT / "data" / "corpus", embedder)
    return Setup(index=index, corpus=corpus, info=info, baseline=baseline, cleanup=cleanup)


def previous_run(path: Path) -> dict[str, Any]:
    """The project's overall figures of an earlier run's summary.json."""
    import json

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    try:
        return {"path": str(path), "overall": data["project"]["overall"]}
    except (KeyError, TypeError):
        raise ValueError(f"{path}: not a policyqa eval summary.json (no project.overall)") from None


def select(items: list[Any], types: str, limit: int) -> list[Any]:
    wanted = {t.strip() for t in types.split(",") if t.strip()}
    out = [i for i in items if not wanted or i.type in wanted]
    return out[:limit] if limit > 0 else out


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The headline figures, one line each: metric, project, baseline, previous run and change."""
    from eval.report import METRICS, delta, fmt

    proj = summary["project"]["overall"]
    base = (summary.get("baseline") or {}).get("overall")
    prev = (summary.get("previous") or {}).get("overall")
    width = max(len(label) for _, label in METRICS)
    head = f"{'metric':<{width}}  {'project':>9}" + (f"  {'baseline':>9}" if base else "")
    head += f"  {'previous':>9}  {'change':>7}" if prev else ""
    lines = [head, "-" * len(head)]
    for key, label in METRICS:
        row = f"{label:<{width}}  {fmt(proj.get(key), key):>9}"
        if base:
            row += f"  {fmt(base.get(key), key):>9}"
        if prev:
            row += f"  {fmt(prev.get(key), key):>9}  {delta(proj.get(key), prev.get(key), key):>7}"
        lines.append(row)
    return lines


def run(args: argparse.Namespace) -> int:
    if getattr(args, "distractors", ""):
        from policyqa.cmd_distractors import run_distractors_cli

        return run_distractors_cli(args, ROOT)
    if getattr(args, "sets", ""):
        return run_sets(args)
    from eval.gold_io import check_evidence, load_gold
    from eval.run import run_benchmark

    started = time.perf_counter()
    progress = not args.no_progress
    items = select(load_gold(args.gold), args.types, args.limit)
    previous = previous_run(args.against) if args.against else None  # fail before the long part
    if not items:
        raise ValueError(f"{args.gold}: no questions left after --types/--limit")
    out = args.out or ROOT / "runs" / time.strftime("eval-%Y%m%d-%H%M%S", time.gmtime())
    setup = make_setup(args, progress)
    try:
        if setup.corpus is not None:
            from eval.baseline import default_load_text

            setup.info["gold_problems"] = check_evidence(items, setup.corpus, default_load_text())
        setup.info["gold"] = str(args.gold)
        summary = run_benchmark(items, setup.index, out, baseline=setup.baseline, progress=progress,
                                tau=args.tau, info=setup.info, report=False)
        summary["run"]["peak_rss_mb"] = round(peak_rss_mb(), 1)
        summary["run"]["total_seconds"] = round(time.perf_counter() - started, 1)
        summary["run"]["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        if previous:
            summary["previous"] = previous
        _finish(out, summary, items)
    finally:
        for c in setup.cleanup:
            c.cleanup()
    print("\n".join(summary_lines(summary)))
    run_info = summary["run"]
    print(f"\n{len(items)} questions; index build {run_info['index_build_seconds']} s; "
          f"peak memory {run_info['peak_rss_mb']} MB; whole run {run_info['total_seconds']} s")
    print(f"report: {Path(out) / 'report.md'}")
    return 0


def _finish(out: Path, summary: dict[str, Any], items: list[Any]) -> None:
    """Rewrite summary.json with the whole-run figures and write the report from the saved records."""
    import json

    from eval.report import write_report
    from eval.run import write_json

    out = Path(out)
    write_json(out / "summary.json", summary)

    def read(name: str) -> list[dict[str, Any]] | None:
        path = out / name
        if not path.exists():
            return None
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    base = read("results_baseline.jsonl") if summary.get("baseline") else None
    write_report(out, summary, items, read("results.jsonl") or [], base)


def run_sets(args: argparse.Namespace) -> int:
    """``--set``: every chosen set through :func:`run` on its own corpus, then the combined report."""
    from eval.sets import headline_lines, parse_sets, write_sets_report

    if args.gold != ROOT / "eval" / "gold.jsonl" or args.corpus is not None or args.index is not None:
        raise ValueError("--set chooses each set's gold file and corpus itself; drop --gold, --corpus and --index")
    sets = parse_sets(args.sets, ROOT)
    out = Path(args.out or ROOT / "runs" / time.strftime("eval-sets-%Y%m%d-%H%M%S", time.gmtime()))
    earlier = Path(args.against) if args.against else None
    if earlier is not None and earlier.is_file():
        earlier = earlier.parent
    if earlier is not None and not any((earlier / s.name / "summary.json").exists() for s in sets):
        raise ValueError(f"{args.against}: not a policyqa eval --set run (no <set>/summary.json for "
                         f"{', '.join(s.name for s in sets)})")  # fail before the long part
    for s in sets:
        print(f"\n== set {s.name}: {s.gold.name} on {s.corpus}", flush=True)
        previous = earlier / s.name / "summary.json" if earlier is not None else None
        sub = argparse.Namespace(**{**vars(args), "sets": "", "gold": s.gold, "corpus": s.corpus, "out": out / s.name,
                                    "against": previous if previous is not None and previous.exists() else None})
        run(sub)
    combined = write_sets_report(out, sets, ROOT)
    print("\n" + "\n".join(headline_lines(combined["sets"])))
    print(f"report: {out / 'report.md'}")
    return 0
