"""Real browser (Debian's chromium driven by Playwright) against the app served on localhost.

Serves the fixture index (HashEmbedder) with the fixture answer function: this test is about
the UI — asking, citation chips, opening a citation in context, escaping, precedent columns.
"""

from __future__ import annotations

import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_fixture import build_fixture_index, fake_answer, fixture_documents

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="chromium not installed (scripts/test.sh installs it)"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    from chatbot.app import create_app, launch

    app = create_app(build_fixture_index(), answer_fn=fake_answer)
    port = free_port()
    launch(app, host="127.0.0.1", port=port, block=False, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="pq-chromium-"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield ctx
        finally:
            ctx.close()


def test_ask_open_citation_and_compare_precedents(app_url, browser, tmp_path):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_url)

    # ask → an answer with a [1] marker and citation chips
    page.locator("#pq-question textarea").fill("扬州市公民具备科学素质的比例")
    page.locator("#pq-send").click()
    chip = page.locator("#pq-cites .pq-chip").first
    chip.wait_for(timeout=20_000)
    assert "[1]" in page.locator("#pq-chatbot").inner_text()
    assert "[1]" in chip.inner_text() and "《" in chip.inner_text()

    # open the second citation → its clause highlighted in the context of its document
    second = page.locator("#pq-cites .pq-chip").nth(1)
    target = second.get_attribute("data-clause")
    expected = {c.clause_id: c.text for d in fixture_documents() for c in d.clauses}[target]
    second.click()
    page.wait_for_function(
        "t => { const m = document.querySelector('#pq-context mark'); return m && m.innerText.includes(t); }",
        arg=expected[:15],
        timeout=20_000,
    )
    assert page.locator("#pq-context .pq-clause").count() >= 2  # neighbours shown around it

    # a clause holding markup is shown as text and never runs
    page.locator("#pq-question textarea").fill("加强科普宣传严禁篡改")
    page.locator("#pq-send").click()
    page.locator("#pq-context mark", has_text="<script>alert(1)</script>").wait_for(timeout=20_000)
    assert page.locator("#pq-context img").count() == 0
    assert "<script>alert(1)</script>" in page.locator("#pq-chatbot").inner_text()  # shown as text
    assert page.locator("#pq-chatbot img, #pq-chatbot script").count() == 0
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)

    # precedent search → one column per document, side by side
    page.get_by_role("tab", name="先例对照").click()
    page.locator("#pq-topic textarea").fill("科普基础设施建设")
    page.locator("#pq-prec-search").click()
    page.locator("#pq-prec .pq-col").nth(1).wait_for(timeout=20_000)
    cols = page.locator("#pq-prec .pq-col")
    assert cols.count() >= 2
    boxes = [cols.nth(i).bounding_box() for i in range(2)]
    assert boxes[0] and boxes[1] and abs(boxes[0]["y"] - boxes[1]["y"]) < 5  # side by side
    # copy a clause with its citation; export the table as .docx
    browser.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    page.locator("#pq-prec .pq-copy").first.click()
    page.locator("#pq-prec .pq-copy", has_text="已复制").wait_for(timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    label, _, text = copied.partition("\n")
    anhui = [c.text for d in fixture_documents() if d.meta.doc_id == "anhui#0" for c in d.clauses]
    assert label.startswith("《安徽省全民科学素质行动实施方案（2021—2025年）》（皖政办〔2021〕10号）")
    assert text in anhui  # the verbatim clause
    page.get_by_role("button", name="导出 Word (.docx)").click()
    page.locator("a[href*='.docx']").first.wait_for(timeout=20_000)
    shot = tmp_path / "precedent.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert dialogs == []  # no alert() from document text
    page.close()


def test_documents_tab_lists_documents_and_shows_clause_tree(app_url, browser):
    page = browser.new_page()
    page.goto(app_url)
    page.get_by_role("tab", name="文件").click()
    page.get_by_text("扬府办发〔2022〕37号", exact=True).filter(visible=True).first.wait_for(timeout=20_000)
    page.get_by_text("yangzhou#0", exact=True).filter(visible=True).first.click()  # select a row
    page.locator("#pq-tree .pq-node", has_text="农民科学素质提升行动").wait_for(timeout=20_000)
    page.close()


# Two different CJK characters drawn with the page's sans-serif font: with a CJK font they differ;
# without one both are the same empty box ("tofu"), so their pixels are identical.
_GLYPHS_DIFFER_JS = """() => {
  const draw = (ch) => {
    const c = document.createElement('canvas'); c.width = 48; c.height = 48;
    const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, 48, 48);
    g.fillStyle = '#000'; g.font = '40px ' + getComputedStyle(document.body).fontFamily + ', sans-serif';
    g.fillText(ch, 2, 40);
    const d = g.getImageData(0, 0, 48, 48).data; let ink = 0, sig = [];
    for (let i = 0; i < d.length; i += 4) { const on = d[i] < 128 ? 1 : 0; ink += on; sig.push(on); }
    return {ink, sig: sig.join('')};
  };
  const a = draw('科'), b = draw('普'), box = draw('\\uE000');
  return {inkA: a.ink, differ: a.sig !== b.sig, notBox: a.sig !== box.sig};
}"""


def test_chinese_renders_as_glyphs_not_empty_boxes(app_url, browser):
    page = browser.new_page()
    page.goto(app_url)
    page.locator("#pq-question").wait_for(timeout=20_000)
    r = page.evaluate(_GLYPHS_DIFFER_JS)
    assert r["inkA"] > 20, "nothing drawn for a CJK character"
    assert r["differ"] and r["notBox"], (
        "Chinese renders as empty boxes: install a CJK font (scripts/test.sh: fonts-droid-fallback)")
    page.close()


@pytest.fixture(scope="module")
def guide_url() -> Iterator[str]:
    """The app over two versions of a law and the bundled plans, with the real offline answerer."""
    from chatbot.answer import answer
    from chatbot.app import AppConfig, create_app, launch
    from chatbot.config import AnswerConfig
    from index.fake import HashEmbedder
    from index.store import ClauseIndex
    from ingest.pipeline import ingest_paths

    root = Path(__file__).parent
    docs = ingest_paths([root / "fixtures" / "versions", root.parent / "data" / "corpus"], progress=False).documents
    app = create_app(ClauseIndex.build(docs, HashEmbedder()), answer_fn=answer,
                     config=AppConfig(answer_config=AnswerConfig(today="2026-12-03")))
    port = free_port()
    launch(app, host="127.0.0.1", port=port, block=False, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


def test_suggested_questions_filters_and_revision_view(guide_url, browser, tmp_path):
    page = browser.new_page()
    page.goto(guide_url)
    # an empty chat offers questions taken from the documents; clicking one asks it
    sugg = page.locator("#pq-suggest button, #pq-suggest .gallery-item, #pq-suggest td").first
    sugg.wait_for(timeout=20_000)
    # the element can be attached before its text renders: wait (retrying) for a question in it
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(sugg).to_have_text(re.compile(r"？\s*$"), timeout=20_000)
    asked = sugg.inner_text().strip()
    assert asked.endswith("？")
    page.screenshot(path=str(tmp_path / "suggest.png"), full_page=True)
    sugg.click()
    page.locator("#pq-cites .pq-chip").first.wait_for(timeout=20_000)
    assert asked in page.locator("#pq-chatbot").inner_text()
    page.locator("#pq-followups").wait_for(state="visible", timeout=20_000)
    assert page.locator("#pq-suggest").is_hidden()

    # filters: only documents in force → the ended plan no longer answers
    page.get_by_text("筛选文件").first.click()
    page.locator("#pq-f-status input").click()
    page.get_by_role("option", name="现行有效").click()
    page.keyboard.press("Escape")
    page.locator("#pq-question textarea").fill("扬州市到2025年公民具备科学素质比例要达到多少？")
    page.locator("#pq-send").click()
    page.locator("#pq-cites .pq-refused").wait_for(timeout=20_000)
    page.screenshot(path=str(tmp_path / "filters.png"), full_page=True)

    # 修订对照: the version pair is preselected; changed words are marked
    page.get_by_role("tab", name="修订对照").click()
    page.locator("#pq-rev del").first.wait_for(timeout=20_000)
    assert page.locator("#pq-rev ins").count() > 10
    assert "第九条" in page.locator("#pq-rev").inner_text()
    shot = tmp_path / "revision.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    page.close()
