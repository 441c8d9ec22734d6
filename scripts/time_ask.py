"""Wall time of a warm ``policyqa ask`` on a built index, as a user runs it (a fresh process each time).

Builds the index first when ``--index`` does not hold one (``policyqa index``; not timed),
runs one untimed ask (warms the page cache, any one-time model export and the bytecode cache),
then ``--runs`` timed asks, and prints min / median / max wall seconds, the median CPU seconds
(user + system of the child) and whether stdout held anything but the answer (progress bars,
log lines). Bytecode goes to a private ``PYTHONPYCACHEPREFIX`` folder (never into the checkout),
so "warm" means what it means for an installed package: sources compiled once, not on every run
(``PYTHONDONTWRITEBYTECODE`` without a cache would recompile every module each time, ~0.5 s).
``--repo`` times another checkout (e.g. main, for a
before/after); ``--flags`` passes extra CLI flags (``--embed-backend st-fp32``).

    nice -n 10 python scripts/time_ask.py --index /tmp/ask-index --runs 5
    python scripts/time_ask.py --repo /work/main --index /tmp/ask-index-main --flags ""
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "扬州市到2025年公民具备科学素质的比例要达到多少？"
NOISE = ("Loading weights", "it/s]", "Batches:", "%|")


PYCACHE = Path(tempfile.gettempdir()) / "policyqa-time-ask-pycache"


def run_cli(repo: Path, args: list[str]) -> tuple[float, subprocess.CompletedProcess[str], float]:
    """(wall seconds, the finished process, CPU seconds of the child)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(repo), PYTHONPYCACHEPREFIX=str(PYCACHE / repo.resolve().name))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "policyqa.cli", *args], cwd=repo, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, done, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", type=Path, default=ROOT, help="checkout to time (default: this one)")
    ap.add_argument("--index", type=Path, required=True, help="index folder (built here when empty)")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    ap.add_argument("--flags", default="", help="extra flags for both index and ask, e.g. '--embed-backend st-fp32'")
    ap.add_argument("--question", default=QUESTION)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    flags = shlex.split(args.flags)
    if not (args.index / "manifest.json").is_file():
        secs, done, _ = run_cli(args.repo, ["index", str(args.corpus), "--index", str(args.index), *flags])
        if done.returncode != 0:
            sys.exit(f"index build failed:\n{done.stderr[-2000:]}")
        print(f"built {args.index} in {secs:.1f} s (not part of the timing)", file=sys.stderr)
    ask = ["ask", args.question, "--index", str(args.index), *flags]
    _, first, _ = run_cli(args.repo, ask)
    if first.returncode != 0:
        sys.exit(f"ask failed:\n{first.stderr[-2000:]}")
    times, cpu = [], []
    for _ in range(args.runs):
        secs, done, used = run_cli(args.repo, ask)
        times.append(secs)
        cpu.append(used)
    noisy = [n for n in NOISE if n in done.stdout]
    report = {"repo": str(args.repo), "flags": args.flags, "runs": args.runs,
              "min_s": round(min(times), 2), "median_s": round(statistics.median(times), 2),
              "max_s": round(max(times), 2), "median_cpu_s": round(statistics.median(cpu), 2), "stdout_noise": noisy, "stderr_bytes": len(done.stderr),
              "load_average_1min": round(os.getloadavg()[0], 1)}
    print(json.dumps(report, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
