"""Screenshots of the app for the README: the real app (bundled corpus, real model) in chromium.

    .venv/bin/python scripts/screenshot.py                 # → docs/screenshot-chat.png, docs/screenshot-precedent.png
    .venv/bin/python scripts/screenshot.py --url http://127.0.0.1:7860/
    .venv/bin/python scripts/screenshot.py --guide --corpus DIR   # + suggested questions, filters, 修订对照
                                                                  #   (DIR should hold two versions of a law)

Needs Debian's chromium (/usr/bin/chromium) and a CJK font (e.g. `apt-get install fonts-wqy-zenhei`),
otherwise Chinese text renders as boxes.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_real_app(corpus: Path, index_dir: Path | None, model: str) -> tuple[Any, str]:
    sys.path.insert(0, str(ROOT))
    from chatbot.app import AppConfig, create_app, launch
    from policyqa import config
    from policyqa.cmd_chat import _load_index

    index, s = _load_index(argparse.Namespace(corpus=corpus, index=index_dir, model=model))
    app = create_app(index, config=AppConfig(answer_config=config.answer_config(s)))
    port = _free_port()
    launch(app, host="127.0.0.1", port=port, block=False, quiet=True)
    return app, f"http://127.0.0.1:{port}/"


def start_hash_app(corpus: Path) -> tuple[Any, str]:
    """The app over ``corpus`` with the deterministic HashEmbedder (UI screenshots without the model)."""
    sys.path.insert(0, str(ROOT))
    from chatbot.app import AppConfig, create_app, launch
    from index.fake import HashEmbedder
    from index.store import ClauseIndex, corpus_files
    from ingest.pipeline import ingest_paths
    from policyqa import config

    s = config.settings_from_env()
    docs = ingest_paths(corpus_files(corpus or s.corpus_dir), progress=False).documents
    app = create_app(ClauseIndex.build(docs, HashEmbedder()), config=AppConfig(answer_config=config.answer_config(s)))
    port = _free_port()
    launch(app, host="127.0.0.1", port=port, block=False, quiet=True)
    return app, f"http://127.0.0.1:{port}/"


def take(url: str, out_dir: Path, question: str, topic: str, chromium: str, guide: bool = False) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    shots = [out_dir / "screenshot-chat.png", out_dir / "screenshot-precedent.png"]
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="pq-chromium-"),
            executable_path=chromium,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1360, "height": 1100},
            locale="zh-CN",
        )
        page = ctx.new_page()
        page.goto(url)
        page.locator("#pq-question textarea").fill(question)
        page.locator("#pq-send").click()
        page.locator("#pq-cites .pq-chip").first.wait_for(timeout=120_000)
        page.locator("#pq-cites .pq-chip").first.click()
        page.locator("#pq-context mark").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(shots[0]), full_page=True)
        page.get_by_role("tab", name="先例对照").click()
        page.locator("#pq-topic textarea").fill(topic)
        page.locator("#pq-prec-search").click()
        page.locator("#pq-prec .pq-col").first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(shots[1]), full_page=False)
        if guide:
            shots += guide_shots(ctx, url, out_dir)
        ctx.close()
    return shots


def guide_shots(ctx: Any, url: str, out_dir: Path) -> list[Path]:
    """Suggested questions on an empty chat, the 问答 filters with an answer, and the 修订对照 tab."""
    shots = [out_dir / "screenshot-suggest.png", out_dir / "screenshot-filters.png",
             out_dir / "screenshot-revision.png"]
    page = ctx.new_page()
    page.goto(url)
    page.locator("#pq-suggest").wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(shots[0]), full_page=False)
    page.get_by_text("筛选文件").first.click()
    page.locator("#pq-f-status input").click()
    page.get_by_role("option", name="现行有效").click()
    page.keyboard.press("Escape")
    page.locator("#pq-question textarea").fill("中华人民共和国行政复议法第一条是怎么规定的？")
    page.locator("#pq-send").click()
    page.locator("#pq-cites .pq-chip").first.wait_for(timeout=120_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(shots[1]), full_page=False)
    page.get_by_role("tab", name="修订对照").click()
    page.locator("#pq-rev del").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(shots[2]), full_page=False)
    page.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="an app already running on localhost (default: start the real app)")
    p.add_argument("--out", type=Path, default=ROOT / "docs")
    p.add_argument("--question", default="扬州市到2025年公民具备科学素质比例要达到多少？")
    p.add_argument("--topic", default="科普基础设施建设")
    p.add_argument("--corpus", type=Path, default=None, help="default: $POLICYQA_CORPUS or data/corpus")
    p.add_argument("--index", type=Path, default=None)
    p.add_argument("--model", default=None)
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--hash-embedder", action="store_true",
                   help="index with the deterministic HashEmbedder instead of the model (UI screenshots, fast)")
    p.add_argument("--guide", action="store_true",
                   help="also screenshot suggested questions, the 问答 filters and the 修订对照 tab")
    args = p.parse_args(argv)
    app = None
    url = args.url
    if not url:
        app, url = (start_hash_app(args.corpus) if args.hash_embedder
                    else start_real_app(args.corpus, args.index, args.model))
    try:
        for path in take(url, args.out, args.question, args.topic, args.chromium, args.guide):
            print(path)
    finally:
        if app is not None:
            app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
