"""``report.md`` with PNG plots (matplotlib, Agg) from a benchmark summary and its records.

Plot labels stay ASCII (metric and type names): matplotlib's default font has no CJK glyphs.
Chinese text (questions, missing keywords) appears only in the Markdown tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.gold_io import GoldItem

# (summary key, label) of the headline metrics, in report order.
METRICS: list[tuple[str, str]] = [
    ("recall@1", "Evidence recall@1"),
    ("recall@5", "Evidence recall@5"),
    ("recall@10", "Evidence recall@10"),
    ("recall@5_micro", "Evidence recall@5 (micro)"),
    ("mrr@10", "MRR@10"),
    ("citation_precision", "Citation precision"),
    ("citation_recall", "Citation recall"),
    ("citation_validity", "Citation validity (cited ⊆ retrieved)"),
    ("keyword_accuracy", "Keyword accuracy"),
    ("number_fidelity", "Number fidelity (answers)"),
    ("number_fidelity_micro", "Number fidelity (numbers)"),
    ("lexical_support", "Lexical support (mean per answer)"),
    ("lexical_support_micro", "Lexical support (sentences)"),
    ("refusal_rate_unanswerable", "Refusal rate, unanswerable"),
    ("false_refusal_rate", "False-refusal rate, answerable"),
    ("latency_p50_ms", "Latency p50 (ms)"),
    ("latency_p95_ms", "Latency p95 (ms)"),
]
BY_TYPE = ["recall@5", "mrr@10", "citation_precision", "keyword_accuracy", "lexical_support",
           "refusal_rate_unanswerable"]
VERSUS = ["recall@1", "recall@5", "mrr@10", "citation_precision", "citation_recall", "keyword_accuracy",
          "number_fidelity", "lexical_support", "refusal_rate_unanswerable", "false_refusal_rate"]


def fmt(value: Any, key: str = "") -> str:
    """A table cell: rates with 3 decimals, milliseconds with 1, n/a for metrics that do not apply.

    >>> fmt(0.93333, "recall@5"), fmt(None), fmt(123.456, "latency_p50_ms"), fmt(12, "n")
    ('0.933', '–', '123.5', '12')
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if key.endswith(("_ms", "_mb", "seconds")):
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return cell(str(value))


def cell(text: str, limit: int = 80) -> str:
    """Markdown-table-safe text, shortened.

    >>> cell("甲|乙\\n丙")
    '甲\\\\|乙 丙'
    """
    t = " ".join(str(text).split()).replace("|", "\\|")
    return t if len(t) <= limit else t[: limit - 1] + "…"


# ----------------------------------------------------------------------------- plots


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_by_type(summary: Mapping[str, Any], path: Path, system: str = "project") -> Path:
    plt = _plt()
    groups = {t: v for t, v in summary[system].items() if t != "overall"}
    types = list(groups)
    fig, ax = plt.subplots(figsize=(max(8.0, 1.6 * len(types) + 2), 4.6))
    width = 0.8 / len(BY_TYPE)
    for j, key in enumerate(BY_TYPE):
        # unanswerable items: only the refusal rate says anything about them
        vals = [None if t == "unanswerable" and key != "refusal_rate_unanswerable" else groups[t].get(key)
                for t in types]
        xs = [i + (j - (len(BY_TYPE) - 1) / 2) * width for i in range(len(types))]
        ax.bar([x for x, v in zip(xs, vals, strict=True) if v is not None],
               [v for v in vals if v is not None], width, label=key)
    ax.set_xticks(range(len(types)), [f"{t}\n(n={groups[t]['n']})" for t in types])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title(f"{system}: metrics by question type")
    ax.legend(fontsize=7, ncol=len(BY_TYPE), loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_latency(records: Sequence[Mapping[str, Any]], path: Path,
                 baseline: Sequence[Mapping[str, Any]] | None = None) -> Path:
    plt = _plt()
    fig, (h, c) = plt.subplots(1, 2, figsize=(10, 3.8))
    series = [("project", [r["latency_ms"] for r in records])]
    if baseline:
        series.append(("baseline", [r["latency_ms"] for r in baseline]))
    top = max((max(lat) for _, lat in series if lat), default=1.0)
    bins = [top * i / 30 for i in range(31)]
    for name, lat in series:
        h.hist(lat, bins=bins, alpha=0.6, label=name)
        xs = sorted(lat)
        c.plot(xs, [(i + 1) / len(xs) for i in range(len(xs))], label=name)
    h.set_xlabel("latency per question (ms)")
    h.set_ylabel("questions")
    h.set_title("Latency distribution")
    c.set_xlabel("latency per question (ms)")
    c.set_ylabel("share of questions")
    c.set_title("Latency CDF")
    for ax in (h, c):
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_versus(summary: Mapping[str, Any], path: Path) -> Path:
    plt = _plt()
    proj, base = summary["project"]["overall"], summary["baseline"]["overall"]
    fig, ax = plt.subplots(figsize=(10, 4.2))
    xs = range(len(VERSUS))
    for off, (name, agg) in zip((-0.2, 0.2), (("project", proj), ("baseline", base)), strict=True):
        vals = [agg.get(k) for k in VERSUS]
        bars = ax.bar([x + off for x in xs], [v or 0 for v in vals], 0.4, label=name)
        for b, v in zip(bars, vals, strict=True):
            ax.annotate("n/a" if v is None else f"{v:.2f}", (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=7)
    ax.set_xticks(list(xs), VERSUS, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.12)
    ax.set_title("Project vs LangChain baseline, overall (higher is better except false_refusal_rate)")
    ax.legend()
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# ----------------------------------------------------------------------------- failures


def failures(items: Sequence[GoldItem], records: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Items a developer should look at, with what went wrong.

    >>> item = GoldItem("r1", "加强学校科学教育由谁负责？", "responsible", [{"doc": "qt.txt", "evidence": "牵头单位：县教育局"}],
    ...                 "县教育局", ["县教育局", "县科协"])
    >>> rec = {"answer": "牵头单位：县教育局", "refusal_reason": "", "scores": {"answerable": True, "refused": False,
    ...        "missing_keywords": ["县科协"], "recall@10": 1.0, "missed_evidence": []}}
    >>> failures([item], [rec])[0]["problem"]
    'missing keywords: 县科协'
    """
    out = []
    for item, rec in zip(items, records, strict=True):
        s = rec["scores"]
        problems = []
        if rec.get("error"):
            problems.append(f"error: {rec['error']}")
        if s["answerable"]:
            if s["refused"]:
                problems.append(f"refused wrongly ({rec.get('refusal_reason') or 'no reason'})")
            elif s.get("missing_keywords"):
                problems.append("missing keywords: " + "、".join(s["missing_keywords"]))
            if s.get("recall@10") == 0.0:
                problems.append("no gold evidence in top 10")
            elif s.get("missed_evidence"):
                problems.append(f"{len(s['missed_evidence'])} of {len(item.gold)} evidences not in top 10")
            if s.get("unfaithful_numbers"):
                problems.append("numbers not in cited clauses: " + ", ".join(s["unfaithful_numbers"]))
        elif not s["refused"]:
            problems.append("answered an unanswerable question")
        if problems:
            out.append({"id": item.id, "type": item.type, "question": item.question, "problem": "; ".join(problems),
                        "answer": rec.get("answer", "")})
    return out


# ----------------------------------------------------------------------------- markdown


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def delta(new: Any, old: Any, key: str = "") -> str:
    """Signed change from a previous run ("" when either side is missing).

    >>> delta(0.9, 0.85), delta(120.0, 150.0, "latency_p50_ms"), delta(None, 0.5)
    ('+0.050', '-30.0', '')
    """
    if not isinstance(new, int | float) or not isinstance(old, int | float) or isinstance(new, bool):
        return ""
    d = new - old
    return f"{d:+.1f}" if key.endswith(("_ms", "_mb", "seconds")) else f"{d:+.3f}"


def overall_table(summary: Mapping[str, Any]) -> list[str]:
    """Headline metrics: project, baseline (if run), a previous run's project figures and the change."""
    proj = summary["project"]["overall"]
    base = (summary.get("baseline") or {}).get("overall")
    prev = (summary.get("previous") or {}).get("overall")
    header = ["metric", "project"] + (["baseline"] if base else []) + (["previous run", "Δ"] if prev else [])
    rows = []
    for key, label in METRICS:
        row = [label, fmt(proj.get(key), key)]
        if base:
            row.append(fmt(base.get(key), key))
        if prev:
            row += [fmt(prev.get(key), key), delta(proj.get(key), prev.get(key), key)]
        rows.append(row)
    first = ["questions (answerable / unanswerable)", f"{proj['n']} ({proj['n_answerable']} / {proj['n_unanswerable']})"]
    rows.insert(0, first + [""] * (len(header) - 2))
    return _table(header, rows)


def type_table(by_type: Mapping[str, Any]) -> list[str]:
    keys = ["n", "recall@1", "recall@5", "mrr@10", "citation_precision", "citation_recall", "keyword_accuracy",
            "number_fidelity", "lexical_support", "refusal_rate_unanswerable", "false_refusal_rate",
            "latency_p50_ms"]
    rows = [[t] + [fmt(agg.get(k), k) for k in keys] for t, agg in by_type.items()]
    return _table(["type"] + keys, rows)


def render_markdown(summary: Mapping[str, Any], items: Sequence[GoldItem], records: Sequence[Mapping[str, Any]],
                    base_records: Sequence[Mapping[str, Any]] | None, plots: Mapping[str, str]) -> str:
    run = summary.get("run", {})
    lines = ["# policyqa benchmark report", ""]
    if run.get("finished"):
        lines.append(f"Run finished {run['finished']}.")
    lines += ["", "## Run parameters", ""]
    params = [
        ("gold set", run.get("gold", "")),
        ("questions", str(summary["n_items"])),
        ("corpus", run.get("corpus", "")),
        ("index", run.get("index", "")),
        ("documents / chunks", f"{run.get('documents', '–')} / {run.get('chunks', '–')}"),
        ("embedding model", run.get("model", "")),
        ("torch CPU threads", run.get("torch_threads", "")),
        ("index build (open_or_build) seconds", fmt(run.get("index_build_seconds"), "seconds")),
        ("index build note", run.get("index_build_note", "")),
        ("peak memory (ru_maxrss, MB): after index / whole run",
         f"{fmt(run.get('peak_rss_mb_after_index'), '_mb')} / {fmt(run.get('peak_rss_mb'), '_mb')}"),
        ("question time (all systems), seconds", fmt(run.get("questions_seconds"), "seconds")),
        ("whole run, seconds", fmt(run.get("total_seconds"), "seconds")),
        ("lexical-support threshold τ", str(summary["tau"])),
        ("evidence matching", "NFKC + all whitespace removed; a passage covers an evidence if it is from the same "
                              f"file and contains it or shares a common substring ≥ {summary['min_overlap_ratio']:.0%} "
                              "of the evidence's length"),
    ]
    if run.get("baseline"):
        b = run["baseline"]
        params.append(("baseline", f"{b['name']}; {b.get('chunks')} chunks, built in {b['build_seconds']} s; "
                                   "retrieves 5 (its recall@10 = recall@5); never refuses; ignores history"))
    if summary.get("previous"):
        params.append(("previous run (Δ column)", summary["previous"].get("path", "")))
    lines += _table(["parameter", "value"], [[k, cell(str(v), 200)] for k, v in params if v not in ("", None)])
    if run.get("gold_problems"):
        lines += ["", "**Gold-set problems** (evidence not found in its source file):", ""]
        lines += [f"- {cell(p, 160)}" for p in run["gold_problems"]]

    lines += ["", "## Overall" + (": project vs baseline" if summary.get("baseline") else ""), ""]
    lines += overall_table(summary)
    if "versus" in plots:
        lines += ["", f"![project vs baseline]({plots['versus']})"]
    lines += ["", "## By question type (project)", ""] + type_table(summary["project"])
    if "by_type" in plots:
        lines += ["", f"![metrics by type]({plots['by_type']})"]
    if summary.get("baseline"):
        lines += ["", "## By question type (baseline)", ""] + type_table(summary["baseline"])
    lines += ["", "## Latency", ""]
    if "latency" in plots:
        lines += [f"![latency]({plots['latency']})"]

    fails = failures(items, records)
    lines += ["", f"## Failed items (project): {len(fails)} of {len(items)}", ""]
    if fails:
        lines += _table(["id", "type", "question", "problem", "answer (start)"],
                        [[f["id"], f["type"], cell(f["question"], 60), cell(f["problem"], 120), cell(f["answer"], 60)]
                         for f in fails])
    else:
        lines.append("None.")
    if base_records is not None:
        bf = failures(items, base_records)
        lines += ["", f"Baseline failed items: {len(bf)} of {len(items)} (details in results_baseline.jsonl)."]

    lines += ["", "## Definitions", "",
              "- Evidence recall@k: share of an item's gold evidences covered by its top-k retrieved passages, "
              "averaged over answerable items (micro: over all evidences). MRR@10: 1/rank of the first passage "
              "covering any gold evidence.",
              "- Citation precision: cited clauses covering a gold evidence ÷ citations (answers with citations). "
              "Citation recall: gold evidences covered by a citation ÷ gold evidences (0 for refusals). "
              "Citation validity: citations whose clause was among the retrieved ones.",
              "- Keyword accuracy: all keywords in the answer after NFKC + whitespace removal (answerable items; a "
              "refusal counts as a miss).",
              "- Number fidelity: every Arabic number of an answer (markers, 《titles》, 文号, section paths skipped) "
              "appears as a number in a cited clause; answers without numbers are not counted.",
              f"- Lexical support: answer sentences whose character bigrams are ≥ τ={summary['tau']} covered by "
              "their own cited clauses; uncited sentences count as unsupported.",
              "- Refusal rate on unanswerable and false-refusal rate on answerable items. Latency: wall time of "
              "one answer call per question (time.perf_counter)."]
    return "\n".join(lines) + "\n"


def write_report(out_dir: Path, summary: Mapping[str, Any], items: Sequence[GoldItem],
                 records: Sequence[Mapping[str, Any]], base_records: Sequence[Mapping[str, Any]] | None = None) -> Path:
    """Plots + ``report.md`` into ``out_dir``; returns the report path."""
    out_dir = Path(out_dir)
    plots = {
        "by_type": plot_by_type(summary, out_dir / "metrics_by_type.png").name,
        "latency": plot_latency(records, out_dir / "latency.png", base_records).name,
    }
    if summary.get("baseline"):
        plots["versus"] = plot_versus(summary, out_dir / "project_vs_baseline.png").name
    path = out_dir / "report.md"
    tmp = path.with_name("report.md.tmp")
    tmp.write_text(render_markdown(summary, items, records, base_records, plots), encoding="utf-8")
    tmp.replace(path)
    return path
