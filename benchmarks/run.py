"""Benchmark: prints a markdown table of the figures the design's "Targets" ask for.

    make bench                     # or: .venv/bin/python benchmarks/run.py [--quick] [--only abc]

(a) server time per rerun after a widget change, every page (AppTest), default and largest size
    (the home page: the live cell's sync of a moved value)
(b) key press -> diagram updated, headless Chromium, home page (the live cell's x(t)[0] range)
    vs the bare app (its slider), alternating; median and p95
(b2) one-second mouse drags: frames per second whose numbers changed while the mouse was down
    (home page: dragging the x(t)[0] cell of the diagram; bare app: its slider's thumb), and
    whether the numbers at release equal lstm_core's for the same inputs
(c) cold load (new browser context) -> the complete diagram drawn, home page vs bare app
(d) server RSS with 1, 10 and 100 open sessions
(e) 100 students, each making a live-cell change every 2-4 s for 60 s: errors, and the time
    from the change to the rerun that wrote it into the URL and the equations
(f) the live cell's renderer: plain SVG updated in place against Plotly.js (Plotly.react with
    a new figure), the same values, in one static page: time per update

(d) and (e) open sessions with a protocol-level client (`Session`: Streamlit's websocket and
protobuf messages, no browser): the server does exactly the work a browser session causes (it
runs the page, keeps the session, answers the live cell's sync), while 100 real Chromium tabs
would measure the client machine instead. Not a test: it never fails, it reports "n/a" and
goes on.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser"), str(ROOT / "tests")]
os.chdir(ROOT)

from apptest import send_trigger  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

BARE_APP = "benchmarks/bare_app.py"
SLIDER = '[data-testid="stSlider"] input[type="range"]'
CHART_TEXT = '[data-testid="stPlotlyChart"] .main-svg text'
RESULTS = ROOT / "benchmarks" / "results"

def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def med_p95(xs: list[float], unit: str = "ms", scale: float = 1000.0) -> str:
    if not xs:
        return "n/a"
    return (f"{statistics.median(xs) * scale:.0f} / {pct(xs, 0.95) * scale:.0f} {unit} "
            f"(n={len(xs)})")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- machine
def machine() -> dict[str, str]:
    import plotly
    import streamlit

    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "nproc": str(os.cpu_count()),
            "cpu": cpu, "python": platform.python_version(), "streamlit": streamlit.__version__,
            "plotly": plotly.__version__, "load average at start (1/5/15 min)": load}


def rss_mb(pid: int) -> float:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# ------------------------------------------------------------------------ (a) AppTest reruns
def page_scripts() -> list[str]:
    return ["app.py"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


def time_reruns(page: str, query: dict[str, str], reruns: int) -> tuple[list[float], str]:
    """Seconds per at.run() after changing the page's first slider (or number input)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page != "app.py":
        at.switch_page(page)
        at.run()
    if at.exception:
        return [], f"exception: {at.exception[0].message[:60]}"
    scenario = at.session_state["scenario"] if "scenario" in at.session_state else None
    if "D" in query and scenario is not None and (scenario.D, scenario.H) != (
            int(query["D"]), int(query["H"])):
        return [], "n/a (link sizes not applied)"
    def widget():
        return at.slider[0] if at.slider else (at.number_input[0] if at.number_input else None)

    live = page == "app.py"
    what = ("live cell edit (x)" if live else "slider" if at.slider else
            "number input" if at.number_input else "plain rerun")
    times = []
    for k in range(reruns + 2):
        if live:  # the sync the live cell sends once the hand rests
            x = [float(v) for v in at.session_state["scenario"].x]
            x[0] = round(x[0] + (0.05 if k % 2 == 0 else -0.05), 4)
            t = time.perf_counter()
            send_trigger(at, "edit", {"seq": k + 1, "values": {"x": x}})
            if k >= 2:
                times.append(time.perf_counter() - t)
            continue
        w = widget()
        if w is not None and isinstance(w.value, (int, float)):
            v, step, hi = w.value, getattr(w, "step", None) or 0.05, getattr(w, "max", None)
            up = k % 2 == 0 and (hi is None or v + step <= hi)
            w.set_value(v + step if up else v - step)
        t = time.perf_counter()
        at.run()
        if k >= 2:  # two warm-up runs
            times.append(time.perf_counter() - t)
    if at.exception:
        return times, f"exception: {at.exception[0].message[:60]}"
    return times, what


def section_a(reruns: int) -> list[tuple[str, str, str]]:
    rows = []
    for page in page_scripts():
        for label, query in (("default", {}), ("D=H=8", {"D": "8", "H": "8"})):
            try:
                times, what = time_reruns(page, query, reruns)
            except Exception as e:  # noqa: BLE001 - a benchmark reports and goes on
                times, what = [], f"n/a ({type(e).__name__}: {str(e)[:50]})"
            log(f"(a) {page} {label}: {med_p95(times)} [{what}]")
            rows.append((f"{page} · {label}", med_p95(times), what))
    return rows


# ------------------------------------------------------------- (b), (c) browser comparisons
# The home page's diagram is the live cell (a Components v2 element in a shadow root): a probe
# of document.body does not see inside it, so each page gets its own signature of "what the
# diagram shows": the live cell's SVG text on the home page, the chart's text in the bare app.
LIVE = ".live[data-ready='1']"
BARE_THUMB = '[data-testid="stSlider"] [data-rac][style*="left"]'  # the thumb one drags
LIVE_RANGE = '.live input[type="range"][aria-label="x(t)[0]"]'
LIVE_CELL = '.live rect[role="slider"][aria-label="x(t)[0] in the diagram"]'
SIGNATURE_JS = """() => {
  const hosts = [...document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')];
  const live = hosts.map(h => h.shadowRoot && h.shadowRoot.querySelector('.live svg'))
      .find(Boolean);
  if (live) return {root: live, sig: () => Array.from(live.querySelectorAll('text'))
      .map(t => t.textContent).join('|')};
  const charts = () => Array.from(document.querySelectorAll(
      '[data-testid="stPlotlyChart"] .main-svg')).map(s => s.textContent).join('|');
  return {root: document.body, sig: charts};
}"""
PROBE_JS = """(signature) => {
  const {root, sig} = (eval(signature))();
  const b = window.__bench = window.__bench || {};
  if (b.obs) b.obs.disconnect();
  b.before = sig(); b.t0 = null; b.tFirst = null; b.tLast = null;
  document.addEventListener('keydown', () => { if (b.t0 === null) b.t0 = performance.now(); },
                            {capture: true, once: true});
  b.obs = new MutationObserver(() => {
    if (b.t0 === null) return;
    const s = sig();
    if (s !== b.before) {
      b.before = s; b.tLast = performance.now(); if (b.tFirst === null) b.tFirst = b.tLast; }
  });
  b.obs.observe(root, {subtree: true, childList: true, characterData: true});
}"""
SETTLED_JS = """(quiet) => { const b = window.__bench;
  return b && b.tLast !== null && performance.now() - b.tLast > quiet; }"""
# Sampled once per animation frame during a drag: how many frames showed new numbers.
FRAMES_JS = """(signature) => {
  const {sig} = (eval(signature))();
  const f = window.__frames = {last: sig(), changed: 0, frames: 0, t0: performance.now(),
                               on: true, moves: 0};
  document.addEventListener('pointermove', () => { if (f.on) f.moves += 1; }, true);
  const tick = () => { if (!f.on) return; f.frames += 1; const s = sig();
    if (s !== f.last) { f.changed += 1; f.last = s; } requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}"""
FRAMES_STOP_JS = """() => { const f = window.__frames; f.on = false;
  return [f.changed, f.frames, (performance.now() - f.t0) / 1000, f.moves]; }"""


def press_latency(page, control: str, key: str, quiet_ms: int = 300):
    """Seconds from the key's keydown to the first and to the last change of what the diagram
    shows (the last one: nothing changed for quiet_ms after it), or None when nothing changed
    within 20 s."""
    page.evaluate(PROBE_JS, SIGNATURE_JS)
    page.locator(control).first.press(key)
    try:
        page.wait_for_function(SETTLED_JS, arg=quiet_ms, timeout=20_000)
    except Exception:  # noqa: BLE001
        return None
    b = page.evaluate("[window.__bench.tFirst - window.__bench.t0,"
                      " window.__bench.tLast - window.__bench.t0]")
    return b[0] / 1000, b[1] / 1000


def cold_load(browser, url: str, ready: str) -> float | None:
    """Seconds from navigation to the complete diagram (`ready` attached)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = ctx.new_page()
        page.goto(url, wait_until="commit", timeout=60_000)
        page.locator(ready).first.wait_for(state="attached", timeout=60_000)
        return page.evaluate("performance.now()") / 1000
    except Exception:  # noqa: BLE001
        return None
    finally:
        ctx.close()


APP_READY = f"{LIVE} svg text"
BARE_READY = CHART_TEXT


def open_ready(browser, url: str, ready: str, control: str):
    """(context, page, reason): a page with its control and a drawn diagram, or why not."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    page.goto(url, wait_until="commit", timeout=60_000)
    try:
        page.locator("h1").first.wait_for(timeout=60_000)
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
        page.locator(ready).first.wait_for(state="attached", timeout=30_000)
    except Exception:  # noqa: BLE001
        return ctx, page, "n/a (no diagram rendered)"
    if page.locator(control).count() == 0:
        return ctx, page, f"n/a (no {control})"
    if page.locator('[data-testid="stException"]').count():
        return ctx, page, "n/a (page shows an exception)"
    page.locator(control).first.focus()
    return ctx, page, ""


def drag(page, handle: str, seconds: float = 1.0, pixels: float = 60.0):
    """A mouse drag of `handle` over `seconds` (a move every ~16 ms, `pixels` far: up, or
    right; negative pixels: down, or left); returns (frames whose numbers changed, frames
    drawn, duration, pointer moves the page received) while the mouse was down."""
    target = page.locator(handle).first
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    vertical = box["height"] >= box["width"] or handle == LIVE_CELL  # cells drag up/down
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(FRAMES_JS, SIGNATURE_JS)
    start = time.perf_counter()
    k = 0
    while (elapsed := time.perf_counter() - start) < seconds:
        k += 1
        d = pixels * elapsed / seconds
        page.mouse.move(x, y - d) if vertical else page.mouse.move(x + d, y)
        time.sleep(max(0.0, start + k / 60 - time.perf_counter()))
    changed, frames, duration, moves = page.evaluate(FRAMES_STOP_JS)
    page.mouse.up()
    return changed, frames, duration, moves


# The same drag driven inside the page, one pointermove per animation frame (real
# PointerEvents through the same handlers): what the renderer keeps up with when the input
# arrives at display rate, independent of the driver's round trip per move.
PAGE_DRAG_JS = """([signature, seconds, pixels]) => new Promise((resolve) => {
  const {sig} = (eval(signature))();
  const host = [...document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')]
      .map(h => h.shadowRoot).find(r => r && r.querySelector('.live'));
  const cell = host.querySelector('rect[aria-label="x(t)[0] in the diagram"]');
  const box = cell.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const ev = (type, cy) => new PointerEvent(type, {pointerId: 7, pointerType: 'mouse',
      isPrimary: true, buttons: 1, clientX: x, clientY: cy, bubbles: true, composed: true});
  cell.dispatchEvent(ev('pointerdown', y));
  let last = sig(), changed = 0, frames = 0;
  const t0 = performance.now();
  const tick = (now) => {
    const s = sig();
    if (s !== last) { changed += 1; last = s; }
    frames += 1;
    const t = (now - t0) / 1000;
    if (t >= seconds) { cell.dispatchEvent(ev('pointerup', y)); resolve([changed, frames, t]);
                        return; }
    cell.dispatchEvent(ev('pointermove', y - pixels * t / seconds));
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def release_matches_core(page) -> str:
    """After a drag: the numbers the browser shows at release, against lstm_core for the same
    inputs (x from the dragged cell's value), and the synced URL against the browser."""
    from urllib.parse import parse_qs, urlparse

    from explainer.codec import decode

    x0 = float(page.locator(LIVE_CELL).get_attribute("aria-valuenow"))
    shown = {v: [t.replace("\u2212", "-") for t in page.locator(
        f'.live g.slot[data-vector="{v}"] text').all_text_contents()] for v in ("h", "c", "f")}
    page.wait_for_function(
        "x => new URL(location.href).searchParams.get('x')?.startsWith(String(x))",
        arg=x0, timeout=30_000)
    s = decode(parse_qs(urlparse(page.url).query)).scenario
    step = s.step()

    def two(v: float) -> str:
        t = f"{v:.2f}"
        return t[1:] if t.startswith("-") and float(t) == 0 else t

    want = {"h": [two(v) for v in step.h], "c": [two(v) for v in step.c],
            "f": [two(v) for v in step.f]}
    same = shown == want and s.x[0] == x0
    return (f"equal (x(t)[0] = {x0:g}; h, c, f as lstm_core, 2 decimals; URL synced)" if same
            else f"DIFFER: browser {shown} vs core {want} (x {x0} vs {s.x[0]})")


def section_bc(presses: int, loads: int, drags: int) -> list[tuple[str, str, str, str]]:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        return [("key press → diagram", "n/a", "n/a", f"n/a (no Chromium at {CHROMIUM})")]
    app_proc, app_url, _ = start_server("app.py", log_name="bench-app")
    bare_proc, bare_url, _ = start_server(BARE_APP, log_name="bench-bare")
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            (ca, pa, why_a), (cb, pb, why_b) = (
                open_ready(browser, app_url + "/", APP_READY, LIVE_RANGE),
                open_ready(browser, bare_url + "/", BARE_READY, SLIDER))
            # (b) warm pages, alternating key presses
            lat = {"app": [], "bare": []}
            first = {"app": [], "bare": []}
            fails = {"app": 0, "bare": 0}
            if not why_a and not why_b:
                for k in range(presses + 2):
                    key = "ArrowRight" if k % 2 == 0 else "ArrowLeft"
                    for name, page, control in (("app", pa, LIVE_RANGE), ("bare", pb, SLIDER)):
                        t = press_latency(page, control, key)
                        if t is None:
                            fails[name] += 1
                        elif k >= 2:  # two warm-up presses each
                            first[name].append(t[0])
                            lat[name].append(t[1])
                log(f"(b) presses: app {med_p95(lat['app'])}, bare {med_p95(lat['bare'])}, "
                    f"no change seen: {fails}")
            note = why_a or why_b or (f"presses with no diagram change: app {fails['app']}, "
                                      f"bare {fails['bare']}")
            rows.append(("key press → diagram updated, settled (median / p95)",
                         med_p95(lat["app"]), med_p95(lat["bare"]),
                         ratio(lat["app"], lat["bare"], note, target=0.5, p95=True)))
            rows.append(("… first visible change (median / p95)",
                         med_p95(first["app"]), med_p95(first["bare"]),
                         ratio(first["app"], first["bare"], "", target=0.5, p95=True)))
            # (b2) one-second mouse drags, alternating
            fps = {"app": [], "bare": []}
            moves = {"app": [], "bare": []}
            verdict = "n/a"
            rows_extra = []
            if not why_a and not why_b:
                for k in range(drags):
                    for name, page, handle in (("app", pa, LIVE_CELL), ("bare", pb, SLIDER)):
                        if name == "bare":  # the slider's visible thumb, not its hidden input
                            handle = BARE_THUMB
                        way = 60.0 if k % 2 == 0 else -60.0  # there and back: never at a bound
                        changed, frames, duration, moved = drag(page, handle, pixels=way)
                        fps[name].append(changed / duration)
                        moves[name].append(moved / duration)
                        if name == "app" and k == drags - 1:
                            verdict = release_matches_core(page)
                        page.wait_for_timeout(600)  # the sync (app) or the rerun (bare)
                in_page = []
                for k in range(drags):
                    changed, frames, duration = pa.evaluate(
                        PAGE_DRAG_JS, [SIGNATURE_JS, 1.0, 60.0 if k % 2 == 0 else -60.0])
                    in_page.append((changed / duration, frames / duration))
                    pa.wait_for_timeout(600)
                log(f"(b2) in-page drag (changed frames/s, frames/s): {in_page}")
                rows_extra = [("… the same drag driven inside the page at display rate: frames "
                               "with new numbers per second (median / min)",
                               fps_text([c for c, _ in in_page]), "n/a (a slider reruns on "
                               "release only)", "frames the browser drew per second: "
                               + fps_text([f for _, f in in_page]))]
                log(f"(b2) drag frames/s with new numbers: app {fps['app']}, "
                    f"bare {fps['bare']}; pointer moves/s {moves}; release: {verdict}")
            rows.append(("1-s mouse drag: diagram frames with new numbers per second "
                         "(median / min)", fps_text(fps["app"]), fps_text(fps["bare"]),
                         f"target ≥ 30 /s; pointer moves the page received per second: app "
                         f"{fps_text(moves['app'])}, bare {fps_text(moves['bare'])}; "
                         f"at release: {verdict}"))
            rows += rows_extra
            ca.close()
            cb.close()
            # (c) cold loads, alternating
            cold = {"app": [], "bare": []}
            for _ in range(loads):
                for name, url, ready in (("app", app_url + "/", APP_READY),
                                         ("bare", bare_url + "/", BARE_READY)):
                    t = cold_load(browser, url, ready)
                    if t is not None:
                        cold[name].append(t)
            log(f"(c) cold load: app {med_p95(cold['app'])}, bare {med_p95(cold['bare'])}")
            rows.append(("cold load → complete diagram (median / p95)", med_p95(cold["app"]),
                         med_p95(cold["bare"]),
                         ratio(cold["app"], cold["bare"], "" if cold["app"] else
                               "n/a (the home page drew no diagram)", target=1.0)))
            browser.close()
    finally:
        stop_server(app_proc)
        stop_server(bare_proc)
    return rows


def fps_text(xs: list[float]) -> str:
    return f"{statistics.median(xs):.0f} / {min(xs):.0f} (n={len(xs)})" if xs else "n/a"


def ratio(a: list[float], b: list[float], note: str, *, target: float = 1.0,
          p95: bool = False) -> str:
    if not a or not b:
        return note or "n/a"
    r = statistics.median(a) / statistics.median(b)
    text = f"**{r:.2f}×**"
    if p95:
        text += f", p95 **{pct(a, 0.95) / pct(b, 0.95):.2f}×**"
    return text + f" (target ≤ {target:g}×)" + (f"; {note}" if note else "")


# ------------------------------------------------------------ (d), (e) sessions on one server
class Session:
    """A Streamlit session driven over its websocket, as a browser tab would.

    Reusable (benchmarks/replicas.py): `await s.open(query)`, then `await s.change(k)` makes
    the k-th change a student makes and returns "" or an error. On the home page a change is
    what the live cell sends once the hand rests (x(t)[0] up by 0.05, then back); on a page
    with a Streamlit slider it moves the first slider. After each run: `query` is the query
    string the server wrote into the address bar, `latex` the equations it drew, `live` the
    live cell's element id and data (None without one)."""

    def __init__(self, ws_url: str):
        self.ws_url = ws_url
        self.ws = None
        self.slider = None  # (widget id, value, step, min, max, fragment id)
        self.live: tuple[str, dict] | None = None  # (element id, its data)
        self.live_fragment = ""  # the fragment the live cell is in ("" if none)
        self.expanders: dict[str, str] = {}  # label -> widget id (expanders with a key)
        self.page_hash = ""
        self.query = ""
        self.latex: list[str] = []
        self.seq = 0
        self.x0: list[float] | None = None

    async def open(self, query: str = "") -> None:
        import websockets

        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"],
                                           max_size=None, open_timeout=60)
        await self.run(query=query)

    def on_message(self, fm) -> None:
        """Called with every ForwardMsg a run receives (a subclass reads more of them)."""

    async def run(self, query: str = "", value: float | None = None,
                  widgets: tuple = (), fragment: str = "", *, page_name: str = "",
                  triggers: tuple[str, ...] = (), auto: bool = False) -> str:
        """One script (or fragment) run; returns "" or an error description. `widgets`:
        extra WidgetState protos to send (a trigger, an expander's state); `triggers`: ids of
        buttons pressed; `page_name`: run that page; `auto`: a fragment's run_every rerun."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query or self.query
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.page_name = page_name
        for trigger in triggers:
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = trigger
            w.trigger_value = True
        msg.rerun_script.is_auto_rerun = auto
        if value is not None:
            wid, _, _, _, _, fragment = self.slider
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = wid
            w.double_array_value.data.append(value)
            if fragment:
                msg.rerun_script.fragment_id = fragment
        msg.rerun_script.widget_states.widgets.extend(widgets)
        if fragment:
            msg.rerun_script.fragment_id = fragment
        await self.ws.send(msg.SerializeToString())
        error = ""
        self.latex = []
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(self.ws.recv(), 60))
            self.on_message(fm)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = self.page_hash or fm.new_session.page_script_hash
            elif kind == "navigation" and fm.navigation.page_script_hash:
                # the page that ran (with a pages/ folder it is not the main script's hash);
                # a browser sends it back, and another hash would count as a page change
                self.page_hash = fm.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "delta" and fm.delta.WhichOneof("type") == "add_block":
                block = fm.delta.add_block
                if block.WhichOneof("type") == "expandable" and block.expandable.id:
                    self.expanders[block.expandable.label] = block.expandable.id
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                what = el.WhichOneof("type")
                if what == "exception":
                    error = error or f"exception: {el.exception.message[:80]}"
                elif what == "markdown" and el.markdown.body.startswith("$$"):  # st.latex
                    self.latex.append(el.markdown.body)
                elif what == "bidi_component" and el.bidi_component.component_name.endswith(
                        "live_cell"):
                    self.live = (el.bidi_component.id,
                                 json.loads(el.bidi_component.json)["cell"])
                    self.live_fragment = fm.delta.fragment_id  # a browser reruns only it
                elif what == "slider" and value is None and self.slider is None:
                    s = el.slider
                    cur = (list(s.value) or list(s.default) or [s.min])[0]
                    self.slider = (s.id, cur, s.step or 0.05, s.min, s.max, fm.delta.fragment_id)
            elif kind == "script_finished":
                if fm.script_finished == 2:  # st.rerun(): the next run follows at once
                    continue
                if fm.script_finished not in (0, 3):  # success, fragment success
                    error = error or f"script finished with status {fm.script_finished}"
                return error

    def trigger(self, element_id: str, event: str, value) -> object:
        """The WidgetState a Components v2 element's setTriggerValue(event, value) sends."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        w = WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{element_id}__events")
        w.json_trigger_value = json.dumps([{"event": event, "value": value}])
        return w

    async def open_expander(self, label: str) -> str:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        w = WidgetState(id=self.expanders[label])
        w.bool_value = True
        return await self.run(widgets=(w,))

    async def change(self, k: int) -> str:
        """The k-th change: a live-cell edit of x(t)[0] (+0.05, then back), else the slider."""
        if self.live is None:
            _, v0, step, _, hi, _ = self.slider
            v1 = v0 + step if v0 + step <= hi else v0 - step
            return await self.run(value=v1 if k % 2 == 0 else v0)
        element, data = self.live
        self.x0 = self.x0 or list(data["x"])
        x = list(self.x0)
        x[0] = round(x[0] + (0.05 if k % 2 == 0 else 0.0), 4)
        self.seq += 1
        err = await self.run(widgets=(self.trigger(element, "edit",
                                                   {"seq": self.seq, "values": {"x": x}}),),
                             fragment=self.live_fragment)
        return err or self.synced(x)

    def synced(self, x: list[float]) -> str:
        """"" when the run wrote x into the URL and drew equations with the core's numbers
        for it; else what was missing."""
        from urllib.parse import parse_qs

        from explainer.codec import decode

        sent = decode(parse_qs(self.query)).scenario
        if [float(v) for v in sent.x] != x:
            return f"URL not synced (x={sent.x.tolist()}, sent {x})"
        if self.latex:  # the equations are drawn while their expander is open
            f0 = f"{sent.step().f[0]:.4f}"
            if not any(f0 in body for body in self.latex):
                return f"equations not synced (f(t)[0] = {f0} missing)"
        return ""

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


EQUATIONS = "Equation 14-3, with your numbers"


async def student_loop(s, end: float, pause: tuple[float, float],
                       record: Callable[[str, float], None]) -> None:
    """One simulated student until time.monotonic() reaches `end`: a random start, then a
    change every U(pause) seconds; `record(error, seconds)` after each change ("" when the
    change synced). `s` has `async change(k) -> str` (a Session or a replicas Student)."""
    await asyncio.sleep(random.uniform(0, pause[1]))  # a class does not move in step
    k = 0
    while time.monotonic() < end:
        t = time.perf_counter()
        try:
            err = await s.change(k)
        except Exception as e:  # noqa: BLE001 - counted, reported
            err = f"{type(e).__name__}: {e}"[:120]
        record(err, time.perf_counter() - t)
        k += 1
        await asyncio.sleep(random.uniform(*pause))


async def sessions_bench(ws_url: str, pid: int, n: int, seconds: float,
                         pause: tuple[float, float] = (2.0, 4.0)) -> dict:
    """n students on the home page, each with the equations open, each making a live-cell
    change every U(pause) seconds for `seconds`."""
    out: dict = {"rss": {}, "errors": [], "lat": [], "done": 0, "single": []}
    out["rss"][0] = rss_mb(pid)
    sessions: list[Session] = []
    sem = asyncio.Semaphore(8)

    async def opened() -> Session | None:
        async with sem:
            s = Session(ws_url)
            try:
                await s.open()
                err = await s.open_expander(EQUATIONS)
                if err or not s.latex or s.live is None:
                    raise RuntimeError(err or "no equations or no live cell on the page")
                return s
            except Exception as e:  # noqa: BLE001
                out["errors"].append(f"open: {type(e).__name__}: {e}"[:120])
                return None

    for target in sorted({1, 10, n}):
        new = await asyncio.gather(*(opened() for _ in range(target - len(sessions))))
        sessions += [s for s in new if s is not None]
        await asyncio.sleep(1.0)
        out["rss"][target] = rss_mb(pid)
        log(f"(d) {len(sessions)} sessions: RSS {out['rss'][target]:.1f} MB")
        if target == 1 and sessions:  # one student alone on the server
            s0 = sessions[0]
            for k in range(22):
                t = time.perf_counter()
                err = await s0.change(k)
                if k >= 2 and not err:
                    out["single"].append(time.perf_counter() - t)
            log(f"(d) one session alone: {med_p95(out['single'])}")
    end = time.monotonic() + seconds

    def record(err: str, latency: float) -> None:
        out["lat"].append(latency)
        if err:
            out["errors"].append(err)
        else:
            out["done"] += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(student_loop(s, end, pause, record) for s in sessions))
    out["wall"] = time.perf_counter() - t0
    out["rss"]["after"] = rss_mb(pid)
    out["sessions"] = len(sessions)
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    return out


def section_de(n: int, seconds: float) -> list[tuple[str, str, str]]:
    proc, url, log_path = start_server("app.py", log_name="bench-sessions")
    try:
        out = asyncio.run(sessions_bench(url.replace("http", "ws") + "/_stcore/stream",
                                         proc.pid, n, seconds))
    except Exception as e:  # noqa: BLE001
        traceback.print_exc()
        return [("sessions", "n/a", f"{type(e).__name__}: {e}")]
    finally:
        stop_server(proc)
    rss = out["rss"]
    per = (rss[n] - rss[10]) / max(n - 10, 1)
    rows = [("one student alone: live-cell sync → rerun finished, URL and equations checked "
             "(median / p95)", med_p95(out["single"]),
             "the cell's fragment reruns (equations open), as the browser asks; the browser "
             "sends this 250 ms after the last move")]
    rows += [(f"server RSS, {k} session{'s' if k != 1 else ''}", f"{rss[k]:.0f} MB", "")
             for k in sorted({0, 1, 10, n})]
    rows[1] = (rows[1][0], rows[1][1], "fresh server, before any page ran")
    rows[-1] = (rows[-1][0], rows[-1][1], f"≈ {per:.2f} MB per extra session (10 → {n})")
    rows.append((f"server RSS after the {seconds:.0f} s run", f"{rss['after']:.0f} MB", ""))
    errors = sorted(set(out["errors"]))
    rows.append((f"{out['sessions']} students, a change every 2–4 s each for {seconds:.0f} s",
                 f"{out['done']} changes ok, {len(out['errors'])} errors",
                 ("; ".join(errors)[:300] if errors else "no errors")
                 + f"; {out['done'] / out['wall']:.1f} changes/s"))
    rows.append(("change → URL and equations synced under that load (median / p95)",
                 med_p95(out["lat"]), "sent → the run finished with the new x in the URL and "
                 "f(t) for it in the equations; target p95 < 1 s (+ 250 ms debounce in the "
                 "browser)"))
    log(f"(e) {rows[-2][1]}; latency {rows[-1][1]}")
    return rows


# ---------------------------------------------------------- (f) renderer: SVG vs Plotly.js
# The live cell could draw with Plotly.js (Plotly.react with a new figure per frame) or with
# plain SVG updated in place. Both drawn here from the same step values in one static page
# (no Streamlit): time per update, median over `frames` updates (script, style and layout
# included: a layout is forced after each), and updates per second when one is made per
# animation frame for one second.
RENDER_JS = """async ([mode, frames, payload]) => {
  const host = document.createElement('div');
  host.style.width = '1100px';
  document.body.appendChild(host);
  let update;
  if (mode === 'svg') {
    const m = await import('/cell.js');
    const root = host.attachShadow({mode: 'open'});
    const style = document.createElement('style'); style.textContent = payload.css;
    root.appendChild(style);
    m.default({data: {cell: payload.data}, parentElement: root, setTriggerValue() {}});
    const input = root.querySelector('input[aria-label="x(t)[0]"]');
    update = (k) => { input.value = String(-3 + (k % 120) * 0.05);
                      input.dispatchEvent(new Event('input', {bubbles: true}));
                      return root.querySelector('svg').getBoundingClientRect(); };
  } else {
    await new Promise((ok) => { const s = document.createElement('script');
      s.src = '/plotly.min.js'; s.onload = ok; document.head.appendChild(s); });
    const figs = payload.figures;
    await Plotly.newPlot(host, figs[0].data, figs[0].layout, {staticPlot: false});
    update = async (k) => { const f = figs[k % figs.length];
      await Plotly.react(host, f.data, f.layout); return host.getBoundingClientRect(); };
  }
  const times = [];
  for (let k = 0; k < frames; k++) {
    const t0 = performance.now();
    await update(k);
    times.push(performance.now() - t0);
    await new Promise((r) => requestAnimationFrame(r));
  }
  let done = 0; const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    await update(done); done += 1; await new Promise((r) => requestAnimationFrame(r)); }
  times.sort((a, b) => a - b);
  return [times[Math.floor(times.length / 2)], times[Math.floor(times.length * 0.95)], done];
}"""


def section_f(frames: int) -> list[tuple[str, str, str]]:
    import plotly
    from playwright.sync_api import sync_playwright

    from explainer.presets import build
    from ui.live_cell import CSS, JS, RANGES
    from viz.diagram import cell_diagram
    from viz.live import cell_data

    s = build("stackoverflow")  # D = H = 5: the largest preset
    data = cell_data(s, ranges=RANGES)
    figures = []
    for k in range(24):  # 24 different figures, as a drag of x(t)[0] would make them
        step = s.with_vector("x", 0, -3 + k * 0.25).step()
        figures.append(json.loads(cell_diagram(step).to_json()))
    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    pages = {"/": ("text/html", "<!doctype html><meta charset=utf-8><body></body>"),
             "/cell.js": ("text/javascript", JS), "/plotly.min.js": ("text/javascript",
                                                                     plotly_js.read_text())}
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for mode, payload in (("svg", {"data": data, "css": CSS}),
                              ("plotly", {"figures": figures})):
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.route("http://render.test/**", lambda route: route.fulfill(
                status=200, content_type=pages[urlparse(route.request.url).path][0],
                body=pages[urlparse(route.request.url).path][1]))
            page.goto("http://render.test/")
            median, p95, per_second = page.evaluate(RENDER_JS, [mode, frames, payload])
            label = ("plain SVG, values and colours updated in place (the live cell)"
                     if mode == "svg" else "Plotly.js 3, Plotly.react with the new figure")
            rows.append((label, f"{median:.1f} / {p95:.1f} ms", f"{per_second} updates in 1 s"))
            log(f"(f) {mode}: {median:.1f} / {p95:.1f} ms per update, {per_second}/s")
            page.close()
        browser.close()
    return rows


# ------------------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    ap.add_argument("--only", default="abcdef", help="sections to run, e.g. 'bc'")
    args = ap.parse_args()
    q = args.quick
    info = machine()
    started = time.monotonic()
    sections: dict[str, list] = {}
    runs = {"a": lambda: section_a(8 if q else 30),
            "bc": lambda: section_bc(6 if q else 20, 2 if q else 6, 2 if q else 5),
            "de": lambda: section_de(20 if q else 100, 20 if q else 60),
            "f": lambda: section_f(30 if q else 120)}
    for key, fn in runs.items():
        if set(key) & set(args.only):
            try:
                sections[key] = fn()
            except Exception as e:  # noqa: BLE001
                traceback.print_exc()
                sections[key] = [(f"section {key}", "n/a", f"{type(e).__name__}: {e}")
                                 + (("",) if key == "bc" else ())]
    lines = [f"## Benchmark · {info['date']}", "",
             " · ".join(f"{k}: {v}" for k, v in info.items() if k != "date"), ""]
    if "a" in sections:
        lines += ["### (a) Server time per rerun after a widget change (AppTest: the whole "
                  "script, also where the browser reruns only a fragment)",
                  "", "| page · size | median / p95 | widget moved |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in sections["a"]]
        lines += ["", "Target: ≤ 30 ms median at the default size.", ""]
    if "bc" in sections:
        lines += ["### (b), (c) Headless Chromium: this app's home page (the live cell) vs a "
                  "bare app (one slider, one Plotly chart), alternating in the same run", "",
                  "| measure | home page | bare app | ratio |", "|---|---|---|---|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in sections["bc"]]
        lines += [""]
    if "de" in sections:
        lines += ["### (d), (e) Sessions on one server (protocol-level clients, home page)", "",
                  "| measure | value | note |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in sections["de"]]
        lines += [""]
    if "f" in sections:
        lines += ["### (f) Renderer of the live cell: plain SVG vs Plotly.js, same values, one "
                  "static page in headless Chromium", "",
                  "| renderer | time per update (median / p95) | updates in a 1-s loop, one per "
                  "animation frame |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in sections["f"]]
        lines += [""]
    publish(lines, started, "bench")


def publish(lines: list[str], started: float, name: str) -> None:
    """Print the report, closed by the wall time since `started` (time.monotonic()), and keep
    it as benchmarks/results/<name>-<date>-<time>.md."""
    lines = [*lines, f"Benchmark wall time: {time.monotonic() - started:.0f} s"]
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
