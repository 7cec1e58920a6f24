"""Measuring a page as it is drawn, for the every-screen tests (test_screens.py).

    pages()                      every page's URL path, found in pages/ (new pages count at once)
    settle(page)                 wait for the run, the page script, charts and the live cell
    overflow(page)               (document scrollWidth, innerWidth)
    serious_axe(page)            axe-core's serious and critical violations, as short strings
    tabs_to_page_control(page)   Tab presses from the top until a control of the page has focus
    diagram_numbers(page)        every number drawn on the cell diagram: text, px size, box
    overlapping(numbers)         pairs of number boxes drawn over one another
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DIAGRAM = ".live, .st-key-cell_diagram, .st-key-walk_diagram, .st-key-peep_diagram, " \
          ".st-key-peep_basic, .st-key-rnn_diagram"
"""The cell diagram of any page: the live component, or a Plotly cell diagram by its key."""


def pages() -> list[str]:
    """"" (home) and the URL path of every file in pages/: 'pages/3_Peepholes.py' -> 'Peepholes'."""
    found = sorted(ROOT.glob("pages/*.py"), key=lambda p: (int(p.stem.split("_")[0])
                                                           if p.stem[0].isdigit() else 99, p.stem))
    return [""] + [re.sub(r"^\d+_", "", p.stem) for p in found]


# querySelectorAll that also looks inside open shadow roots (the live cell isolates its styles
# in one); the first statement of the scripts below
_DEEP = """const deepAll = (sel, root = document) => {
  const out = [...root.querySelectorAll(sel)];
  for (const el of root.querySelectorAll('*'))
    if (el.shadowRoot) out.push(...deepAll(sel, el.shadowRoot));
  return out; };
"""

_SETTLED = """() => {""" + _DEEP + """
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (!window.__lstmA11y) return false;                 // assets/a11y.js ran
  if (document.querySelector('[data-stale="true"]')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (chart.offsetParent && !chart.querySelector('.main-svg')) return false;
  // every visible live cell (its key ends in _cell, unlike e.g. "train_cells") has drawn
  const CELLS = '[data-testid="stElementContainer"][class*="_cell"]';
  const isCell = (box) => [...box.classList].some(
    c => c.startsWith('st-key-') && c.endsWith('_cell'));
  for (const box of document.querySelectorAll(CELLS)) {
    if (!box.offsetParent || !isCell(box)) continue;
    const drawn = (live) => live.querySelector('svg text, .lcell');
    if (!deepAll('.live', box).some(drawn)) return false; }
  return true; }"""


def settle(page, timeout: float = 60_000) -> None:
    """The script is idle, the keyboard script ran, every visible chart and live cell is drawn;
    then two animation frames, so the layout is final."""
    page.wait_for_function(_SETTLED, timeout=timeout, polling=100)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def overflow(page) -> tuple[int, int]:
    return tuple(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))


def wide_elements(page, limit: int = 5) -> list[str]:
    """What sticks out past the right edge (for the failure message)."""
    return page.evaluate("""(limit) => { const W = innerWidth, out = [];
      for (const el of document.querySelectorAll('[data-testid="stApp"] *')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > W + 1)
          out.push(`${el.tagName}.${el.getAttribute('data-testid') || el.className}: ${r.right|0}`);
        if (out.length >= limit) break; }
      return out; }""", limit)


def serious_axe(page) -> list[str]:
    """axe-core (bundled by axe-playwright-python, nothing downloaded) over the page as drawn:
    each serious or critical violation as 'rule (impact): target'."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for v in Axe().run(page).response["violations"]:
        if v["impact"] in ("serious", "critical"):
            found += [f"{v['id']} ({v['impact']}): {n['target']} {n['html'][:120]}"
                      for n in v["nodes"]]
    return found


_FOCUS = """() => {
  let e = document.activeElement;            // into the live cell's shadow root, if focus is there
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  if (!e || e === document.body) return {control: false, label: 'body', visible: false};
  const main = document.querySelector('[data-testid="stMain"]');
  let outer = e;                             // the element in the document that holds it
  while (outer.getRootNode() instanceof ShadowRoot) outer = outer.getRootNode().host;
  const control = e.matches('button, input, select, textarea, a[href], [role="slider"], ' +
      '[role="tab"], [role="button"], [role="switch"], [role="radio"], [role="checkbox"], ' +
      '[role="spinbutton"], [role="region"], [tabindex]') && main.contains(outer) &&
      e !== main && !outer.closest('[data-testid="stHeader"]');
  const r = e.getBoundingClientRect();
  const label = e.getAttribute('aria-label') || e.innerText || e.getAttribute('data-testid')
      || e.tagName;
  return {control, label: label.slice(0, 40).replace(/\\s+/g, ' '),
          visible: r.width > 0 && r.right > 0 && r.left < innerWidth}; }"""


def tabs_to_page_control(page, most: int = 6) -> tuple[int, list[str]]:
    """Tab from the top of the page until a visible control of the page itself (not the skip
    link, the header or the sidebar) has focus: (presses, what had focus after each press)."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    page.mouse.click(1, page.viewport_size["height"] - 2)  # focus starts from the document
    seen = []
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUS)
        seen.append(focus["label"])
        if focus["control"] and focus["visible"]:
            return presses, seen
    return most + 1, seen


_NUMBERS = """(root) => {""" + _DEEP + r"""
  const NUMBER = /^[\u2212-]?\d*\.\d+$/;
  const out = [];
  for (const box of deepAll(root)) {
    if (!box.offsetParent && box.getClientRects().length === 0) continue;   // hidden tab
    for (const el of box.querySelectorAll('text, .lcell, .gcell, [data-num]')) {
      const text = (el.textContent || '').trim();
      if (!NUMBER.test(text) || el.querySelector('text')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const css = parseFloat(getComputedStyle(el).fontSize);
      const scale = el instanceof SVGElement && el.getScreenCTM() ? el.getScreenCTM().a : 1;
      // the ink of the digits: an SVG text's box is its glyph box; an HTML cell's is its text
      let x0 = r.left, x1 = r.right, y0 = r.top, y1 = r.bottom;
      if (!(el instanceof SVGElement)) {
        const range = document.createRange(); range.selectNodeContents(el);
        const t = range.getBoundingClientRect();
        x0 = t.left; x1 = t.right; y0 = t.top; y1 = t.bottom;
      }
      out.push({text, px: css * scale, x0, x1, y0, y1}); } }
  return out; }"""


def diagram_numbers(page, root: str = DIAGRAM) -> list[dict]:
    """Every number drawn in the diagram (SVG text or the narrow layout's cells): its text,
    its rendered font size in CSS px and its box in viewport coordinates."""
    return page.evaluate(_NUMBERS, root)


def overlapping(numbers: list[dict], slack: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of numbers whose boxes intersect (by more than `slack` px each way)."""
    pairs = []
    for k, a in enumerate(numbers):
        for b in numbers[k + 1:]:
            if (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > slack
                    and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > slack):
                pairs.append((a["text"], b["text"]))
    return pairs


def diagram_box(page, root: str = DIAGRAM) -> dict | None:
    """The bounding box (viewport coordinates) of the first visible diagram."""
    return page.evaluate("""(root) => {""" + _DEEP + """
      for (const el of deepAll(root)) {
        const r = el.getBoundingClientRect();
        if (r.width > 0) return {x0: r.left, x1: r.right, y0: r.top, y1: r.bottom}; }
      return null; }""", root)
