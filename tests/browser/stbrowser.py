"""Helpers for browser tests: open a page, check for errors, take screenshots.

    from stbrowser import app_url, assert_no_exception, open_page, screenshot, wait_for_value

    open_page(page, app_url(base_url, "Concatenation_vs_addition", preset="stackoverflow"))
    wait_for_value(page, "-0.0225")        # looks in page text, Plotly text and data grids

The fixtures (`base_url`, `browser`, `context`, `page`, `new_page`) live in conftest.py next to
this file. Rule of thumb: after an action, wait for the content you expect to change (a number,
the chart), not only for the idle state — a quick rerun can start and finish before the idle
attribute visibly changes.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
SLIDER = '[data-testid="stSlider"] input[type="range"]'  # react-aria: a visually hidden input
PLOTLY = ".js-plotly-plot"

DEFAULT_TIMEOUT_MS = 60_000  # generous: a loaded 2-core CI machine is slow


def app_url(base_url: str, page_path: str = "", **query: str | int | float) -> str:
    """`app_url(base, "concatenation", preset="stackoverflow")` -> base/concatenation?preset=..."""
    url = f"{base_url.rstrip('/')}/{page_path.lstrip('/')}"
    return f"{url}?{urlencode(query)}" if query else url


def wait_idle(page, timeout: float = DEFAULT_TIMEOUT_MS) -> None:
    """The script is not running. Alone, this is not proof that a rerun happened: also wait
    for the content you expect."""
    page.wait_for_selector(IDLE, state="attached", timeout=timeout)


def open_page(page, url: str, expect: str | None = "h1",
              timeout: float = DEFAULT_TIMEOUT_MS) -> None:
    """Go to `url`, wait until an `expect` element (a CSS/Playwright selector) is visible and
    the script is idle, and check that no exception is shown. Fails fast (with the exception's
    text) if Streamlit shows an exception instead of the expected element."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    if expect:
        page.locator(expect).first.or_(page.locator(EXCEPTION).first).wait_for(
            state="visible", timeout=timeout)
        assert_no_exception(page)
    wait_idle(page, timeout)
    if expect:  # still there once the run is over (not a leftover of an earlier run)
        page.locator(expect).first.wait_for(state="visible", timeout=timeout)
    assert_no_exception(page)


def assert_no_exception(page) -> None:
    """No uncaught-error box on the page; its text goes into the assertion message."""
    boxes = page.locator(EXCEPTION)
    if boxes.count():
        texts = "\n---\n".join(boxes.all_inner_texts())
        raise AssertionError(f"Streamlit shows an exception on {page.url}:\n{texts}")


def screenshot(page, name: str, full_page: bool = False) -> Path:
    """Save test-artifacts/screenshots/<name>.png (gitignored) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def normalize(text: str) -> str:
    """Unicode minus (U+2212) -> ASCII '-', non-breaking spaces -> spaces."""
    return text.replace("\u2212", "-").replace("\u00a0", " ")


def dataframe_cells(page, index: int = 0, max_steps: int = 100) -> list[str]:
    """Every non-empty cell text of the index-th st.dataframe. The grid is drawn on a canvas
    and only its visible rows are mirrored into an accessible table, so scroll it top to
    bottom (its scroller is glide-data-grid's `.dvn-scroller`) and collect as it goes."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    if not grid.is_visible():  # e.g. inside a collapsed expander or another tab
        return []
    grid.scroll_into_view_if_needed()
    scroller = grid.locator(".dvn-scroller").first
    seen: list[str] = []
    for step in range(max_steps):
        at_end = scroller.evaluate(
            """(el, step) => { el.scrollTop = step * el.clientHeight / 2;
                  return el.scrollTop + el.clientHeight >= el.scrollHeight - 1; }""", step)
        page.wait_for_timeout(100 if step else 0)
        seen += grid.locator('[role="gridcell"]').all_text_contents()
        if at_end:
            break
    return [normalize(c) for c in seen if c.strip()]


def plotly_text(page) -> str:
    """Text drawn inside every Plotly chart (SVG text nodes: labels, annotations, numbers)."""
    return normalize(" ".join(page.locator(f"{PLOTLY} text").all_text_contents()))


def shows_value(page, value: str) -> bool:
    """True if `value` (e.g. "-0.0225") is shown anywhere: page text, a Plotly chart's text,
    a slider's value or a cell of a data grid. Unicode minus and ASCII '-' count as the same."""
    value = normalize(value)
    if value in page_text(page):
        return True
    if value in plotly_text(page):
        return True
    if value in page.locator(SLIDER).evaluate_all("els => els.map(e => e.value)"):
        return True
    grids = page.locator('[data-testid="stDataFrame"]').count()
    return any(value in cell for i in range(grids) for cell in dataframe_cells(page, i))


def wait_for_value(page, value: str, timeout: float = 30_000) -> None:
    """Wait until `shows_value(page, value)`. Some elements (st.dataframe, Plotly charts) load
    their JavaScript lazily and appear up to ~1 s after the script went idle."""
    deadline = time.monotonic() + timeout / 1000
    while not shows_value(page, value):
        if time.monotonic() > deadline:
            raise AssertionError(f"{value!r} not shown on {page.url} after {timeout:.0f} ms")
        page.wait_for_timeout(200)


def wait_for_content(page, timeout: float = 30_000) -> None:
    """Wait until at least one data grid or chart is rendered (they load lazily)."""
    page.locator('[data-testid="stDataFrame"] [role="gridcell"]').first.or_(
        page.locator(f"{PLOTLY} .main-svg").first).wait_for(state="attached", timeout=timeout)


def slider_value(page, index: int = 0) -> float:
    """Current value of the index-th Streamlit slider (its hidden range input). Move it with
    `page.locator(SLIDER).nth(i).press("ArrowRight")`; then wait for what should change."""
    return float(page.locator(SLIDER).nth(index).input_value())


def page_text(page) -> str:
    """All visible text of the app (not the cells of st.dataframe, drawn on a canvas: use
    dataframe_cells; not the text inside charts: use plotly_text)."""
    return normalize(page.locator('[data-testid="stApp"]').inner_text())


MODULE_ORIGIN = "http://live.test"


def module_page(context, name: str, source: str):
    """A blank page of `context` that serves `source` as the JavaScript module /<name>, for
    `await import('/<name>')` in page.evaluate (the live cell's conformance tests)."""
    page = context.new_page()
    page.route(f"{MODULE_ORIGIN}/", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>live</title>"))
    page.route(f"{MODULE_ORIGIN}/{name}", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=source))
    page.goto(f"{MODULE_ORIGIN}/")
    return page
