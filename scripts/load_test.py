"""Load test: N concurrent chat sessions (gradio_client) against the app on localhost.

Each session is its own ``gradio_client.Client`` (own Gradio session state) and asks one
question with known expected keywords (answerable single-turn items of a gold JSONL file,
default eval/gold.jsonl). Every question is first asked alone, once, as a reference. The run
passes when every concurrent answer arrives within the time limit, carries a [n] citation, is
identical to the answer the same question got alone, and holds its expected keywords whenever
the answer alone did (the keyword score alone vs under load is printed too).

    .venv/bin/python scripts/load_test.py                       # start the real app (bundled corpus)
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:7860/   # an app already running
    .venv/bin/python scripts/load_test.py --gold eval/gold.jsonl --sessions 20

Only loopback addresses are accepted. Exit code 0 when all sessions succeed.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import sys
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEFAULT_GOLD = ROOT / "eval" / "gold.jsonl"

# Used when no gold file exists: questions about the bundled corpus with a figure the answer must hold.
BUILTIN_CASES: list[tuple[str, list[str]]] = [
    ("扬州市到2025年公民具备科学素质比例要达到多少？", ["19%"]),
    ("砀山县到2025年公民具备科学素质的比例要达到多少？", ["13%"]),
    ("安徽省到2025年公民具备科学素质比例力争达到多少？", ["16%"]),
    ("安徽省到2035年公民具备科学素质比例力争达到多少？", ["28%"]),
]


@dataclass
class Case:
    question: str
    expected: list[str]  # every one must appear in the answer text


@dataclass
class SessionResult:
    session: int
    question: str
    ok: bool  # answered, cited, expected keywords present
    latency: float | None
    error: str = ""
    answer: str = ""
    same_as_solo: bool | None = None  # identical to the answer the question got alone (None: no reference)


@dataclass
class LoadReport:
    results: list[SessionResult] = field(default_factory=list)
    wall: float = 0.0

    @property
    def answered(self) -> int:
        return sum(r.latency is not None and not r.error.startswith("no answer") for r in self.results)

    @property
    def correct(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def identical(self) -> int:
        return sum(bool(r.same_as_solo) for r in self.results)

    solo_correct: int | None = None  # keyword-correct sessions had each been asked alone

    def passed(self) -> bool:
        n = len(self.results)
        if self.answered != n:
            return False
        if self.solo_correct is None:
            return self.correct == n
        return self.identical == n and self.correct == self.solo_correct

    def percentile(self, q: float) -> float | None:
        lat = sorted(r.latency for r in self.results if r.latency is not None)
        if not lat:
            return None
        if len(lat) == 1:
            return lat[0]
        return statistics.quantiles(lat, n=100, method="inclusive")[int(q) - 1]

    def summary(self) -> str:
        p50, p95 = self.percentile(50), self.percentile(95)
        fmt = lambda x: "n/a" if x is None else f"{x:.2f}s"  # noqa: E731
        solo = ""
        if self.solo_correct is not None:
            solo = f" (alone: {self.solo_correct}), {self.identical} identical to the answer alone"
        return (
            f"{len(self.results)} sessions: {self.answered} answered, {self.correct} correct{solo}; "
            f"latency p50 {fmt(p50)}, p95 {fmt(p95)}; wall {self.wall:.1f}s"
        )


def check_loopback(url: str) -> str:
    host = urlparse(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"load_test: refusing non-loopback address {host!r} (use 127.0.0.1 / localhost)")
    return url


def _expected_from_gold(row: dict[str, Any]) -> list[str]:
    for key in ("must_include", "expected_keywords", "keywords", "answer_keywords", "must_contain"):
        v = row.get(key)
        if isinstance(v, str) and v:
            return [v]
        if isinstance(v, list) and v:
            return [str(x) for x in v if str(x)]
    return []


def load_cases(gold: Path | None, limit: int = 20) -> list[Case]:
    """Answerable questions with expected keywords from a gold JSONL file (or the built-in list)."""
    cases: list[Case] = []
    if gold and gold.is_file():
        for line in gold.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            unanswerable = row.get("type") == "unanswerable" or row.get("refuse") or row.get("should_refuse")
            if unanswerable or row.get("history"):
                continue  # single-turn answerable questions only
            q, exp = row.get("question", ""), _expected_from_gold(row)
            if q and exp:
                cases.append(Case(q, exp))
            if len(cases) >= limit:
                break
    return cases or [Case(q, e) for q, e in BUILTIN_CASES]


def answer_text(outputs: Any) -> str:
    """The answer text from the /ask outputs: the copy box holds [理解为：…] answer text, then 来源."""
    copy = outputs[2] if isinstance(outputs, list | tuple) and len(outputs) > 2 else ""
    text = re.split(r"\n\n(?:来源|注意)：", copy or "", maxsplit=1)[0]
    return re.sub(r"^理解为：[^\n]*\n", "", text)


def _norm(text: str) -> str:
    """NFKC, whitespace removed (full-width ％ / digits and spaced numbers match)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def check_answer(text: str, case: Case) -> str:
    """'' when the answer holds every expected keyword and a [n] citation, else what is wrong."""
    missing = [k for k in case.expected if _norm(k) not in _norm(text)]
    if missing:
        return f"missing {missing}"
    if not re.search(r"\[\d+\]", text):
        return "no [n] citation"
    return ""


def ask(client: Any, question: str, timeout: float) -> str:
    return answer_text(client.submit(question, api_name="/ask").result(timeout=timeout))


def solo_answers(url: str, cases: list[Case], timeout: float = 120.0) -> dict[str, str]:
    """Each distinct question asked alone (one fresh session each, one at a time): the reference."""
    from gradio_client import Client

    out: dict[str, str] = {}
    for case in cases:
        if case.question not in out:
            client = Client(check_loopback(url), verbose=False, download_files=False)
            try:
                out[case.question] = ask(client, case.question, timeout)
            finally:
                client.close()
    return out


def one_session(
    url: str,
    n: int,
    case: Case,
    timeout: float,
    barrier: threading.Barrier | None,
    reference: dict[str, str] | None = None,
) -> SessionResult:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, download_files=False)
    except Exception as exc:  # noqa: BLE001 — reported per session
        return SessionResult(n, case.question, False, None, f"no answer: connect failed: {exc}")
    if barrier is not None:
        try:
            barrier.wait(timeout=timeout)  # all sessions ask at the same moment
        except threading.BrokenBarrierError:
            pass
    t0 = time.perf_counter()
    try:
        text = ask(client, case.question, timeout)
    except (FutureTimeout, TimeoutError):
        return SessionResult(n, case.question, False, None, f"no answer within {timeout:.0f}s")
    except Exception as exc:  # noqa: BLE001
        return SessionResult(n, case.question, False, None, f"no answer: {type(exc).__name__}: {exc}")
    finally:
        try:
            client.close()
        except Exception:  # noqa: BLE001
            pass
    latency = time.perf_counter() - t0
    err = check_answer(text, case)
    same = None if reference is None else text == reference.get(case.question)
    if same is False:
        err = (err + "; " if err else "") + "differs from the answer alone"
    return SessionResult(n, case.question, not check_answer(text, case), latency, err, text, same)


def run_load(
    url: str,
    cases: list[Case],
    sessions: int = 20,
    timeout: float = 120.0,
    reference: dict[str, str] | None = None,
) -> LoadReport:
    """Run ``sessions`` concurrent sessions (cycling through ``cases``); bounded by ``timeout`` each."""
    check_loopback(url)
    barrier = threading.Barrier(sessions)
    report = LoadReport()
    picked = [cases[i % len(cases)] for i in range(sessions)]
    if reference is not None:
        report.solo_correct = sum(not check_answer(reference.get(c.question, ""), c) for c in picked)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        futs = [
            pool.submit(one_session, url, i, c, timeout, barrier, reference) for i, c in enumerate(picked)
        ]
        for i, f in enumerate(futs):
            try:
                report.results.append(f.result(timeout=2 * timeout + 30))
            except FutureTimeout:
                report.results.append(SessionResult(i, picked[i].question, False, None, "no answer: hung"))
    report.wall = time.perf_counter() - t0
    return report


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_real_app(args: argparse.Namespace) -> tuple[Any, str]:
    """The real app on the bundled (or given) corpus, served on a free loopback port."""
    sys.path.insert(0, str(ROOT))
    from chatbot.app import AppConfig, create_app, launch
    from policyqa import config
    from policyqa.cmd_chat import _load_index, set_threads

    set_threads(args.threads)
    index, s = _load_index(argparse.Namespace(corpus=args.corpus, index=args.index, model=args.model))
    app = create_app(index, config=AppConfig(answer_config=config.answer_config(s)))
    port = _free_port()
    launch(app, host="127.0.0.1", port=port, concurrency=args.concurrency, block=False, quiet=True)
    return app, f"http://127.0.0.1:{port}/"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="a running app on a loopback address (default: start one)")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSONL with questions + keywords")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per answer")
    p.add_argument("--corpus", type=Path, default=None, help="default: $POLICYQA_CORPUS or data/corpus")
    p.add_argument("--index", type=Path, default=None)
    p.add_argument("--model", default=None)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads (0 = torch default)")
    p.add_argument("--no-reference", action="store_true", help="skip asking each question alone first")
    p.add_argument("--verbose", "-v", action="store_true")
    args = p.parse_args(argv)

    cases = load_cases(args.gold, limit=args.sessions)
    app = None
    if args.url:
        url = check_loopback(args.url)
    else:
        app, url = start_real_app(args)
    try:
        reference = None if args.no_reference else solo_answers(url, cases, timeout=args.timeout)
        report = run_load(url, cases, sessions=args.sessions, timeout=args.timeout, reference=reference)
    finally:
        if app is not None:
            app.close()
    for r in report.results:
        if args.verbose or not r.ok:
            status = "ok " if r.ok else "FAIL"
            lat = f"{r.latency:.2f}s" if r.latency is not None else "-"
            print(f"[{status}] #{r.session:02d} {lat:>7} {r.question} {r.error} {r.answer[:80]!r}")
    print(report.summary())
    return 0 if report.passed() else 1


if __name__ == "__main__":
    sys.exit(main())
