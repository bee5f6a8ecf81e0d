"""Real-browser tests: Playwright for Python driving Debian's chromium (no browser download)."""
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

# A page's own actions wait up to 15 s (the page fixture); its assertions as long: on two busy
# cores the live server's first request of a test can take more than expect's default 5 s.
expect.set_options(timeout=15_000)

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (fixtures, assertions) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-results" / "e2e"
# As root on a machine with no network: no sandbox, and no background connections.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install -y chromium` (make test does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def output_dir():
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# Where a piece of text is drawn: the first and last character's boxes (geometry only; the
# selection itself is made with the mouse or the keyboard, never built in JavaScript, so the
# page's own mouse and selection handlers run as they do for a reader).
TEXT_BOXES_JS = """
([selector, needle]) => {
  const column = document.querySelector(selector);
  const walker = document.createTreeWalker(column, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let full = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, full.length]); full += walker.currentNode.data; }
  const at = full.indexOf(needle);
  if (at < 0) throw new Error("not found: " + needle);
  const box = (pos) => {
    for (const [node, offset] of nodes) {
      if (pos < offset + node.data.length) {
        const r = document.createRange();
        r.setStart(node, pos - offset); r.setEnd(node, pos - offset + 1);
        const b = r.getBoundingClientRect();
        return {left: b.left, right: b.right, top: b.top, bottom: b.bottom};
      }
    }
  };
  return {first: box(at), last: box(at + needle.length - 1), offset: at};
}
"""


@pytest.fixture(autouse=True)
def no_live_polling(settings):
    """Pages ask what changed every few seconds (live updates). A poll in flight while a test's
    database is flushed (before the page is closed) locks it: browser tests poll only when they
    ask to, with ``live_polling``."""
    settings.WORKBENCH_LIVE_SECONDS = 3600


@pytest.fixture
def live_polling(page, settings):
    """Pages opened from here on poll every second; the page is taken off the site before the
    test's database is flushed (list this fixture last, so it is torn down first)."""
    settings.WORKBENCH_LIVE_SECONDS = 1
    yield
    page.goto("about:blank")


def scroll_into_view(page, selector: str, needle: str) -> None:
    """Scroll the column (not the page) with the mouse wheel so the needle is in its middle,
    as a reader would."""
    page.locator(selector).scroll_into_view_if_needed()  # the page first, as a reader would
    boxes = page.evaluate(TEXT_BOXES_JS, [selector, needle])
    column = page.locator(selector).bounding_box()
    page.mouse.move(column["x"] + column["width"] / 2, column["y"] + column["height"] / 2)
    page.mouse.wheel(0, boxes["first"]["top"] - column["y"] - column["height"] / 2)
    # Until the scrolling has settled: the drag is aimed at where the text is drawn then.
    for _ in range(20):
        page.wait_for_timeout(100)
        settled = page.evaluate(TEXT_BOXES_JS, [selector, needle])
        if settled == boxes:
            break
        boxes = settled


def drag_select(page, selector: str, needle: str) -> None:
    """Select the first occurrence of needle in a column with a mouse drag (down on its first
    character, move, up on its last)."""
    scroll_into_view(page, selector, needle)
    boxes = page.evaluate(TEXT_BOXES_JS, [selector, needle])
    first, last = boxes["first"], boxes["last"]
    page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move((first["right"] + last["right"]) / 2, (last["top"] + last["bottom"]) / 2, steps=5)
    page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=3)
    page.mouse.up()
    assert page.evaluate("window.getSelection().toString()") == needle
