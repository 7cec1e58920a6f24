"""Benchmark: prints a markdown table of the figures the design's "Targets" ask for.

    make bench                     # or: .venv/bin/python benchmarks/run.py [--quick] [--only abc]

(a) server time per rerun after a widget change, every page (AppTest), default and largest size
(b) slider key press -> diagram updated, headless Chromium, home page vs bare app, alternating
(c) cold load (new browser context) -> first chart drawn, home page vs bare app, alternating
(d) server RSS with 1, 10 and 50 open sessions
(e) 50 concurrent sessions x 20 slider changes: errors and latency

(d) and (e) open sessions with a protocol-level client (Streamlit's websocket and protobuf
messages, no browser): the server does exactly the work a browser session causes (it runs the
page, keeps the session, reruns the slider's fragment), while 50 real Chromium tabs would
measure the client machine instead. Not a test: it never fails, it reports "n/a" and goes on.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]
os.chdir(ROOT)

from conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

BARE_APP = "benchmarks/bare_app.py"
SLIDER = '[data-testid="stSlider"] input[type="range"]'
CHART_TEXT = '[data-testid="stPlotlyChart"] .main-svg text'
RESULTS = ROOT / "benchmarks" / "results"

# Injected into a page: timestamps of the key press and of the last change of the charts' text.
PROBE_JS = """() => {
  const sig = () => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg'))
      .map(s => s.textContent).join('|');
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
  b.obs.observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
SETTLED_JS = """(quiet) => { const b = window.__bench;
  return b && b.tLast !== null && performance.now() - b.tLast > quiet; }"""


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

    what = "slider" if at.slider else ("number input" if at.number_input else "plain rerun")
    times = []
    for k in range(reruns + 2):
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
def press_latency(page, key: str, quiet_ms: int = 300) -> tuple[float, float] | None:
    """Seconds from the key's keydown to the first and to the last change of the charts' text
    (the last one: nothing changed for quiet_ms after it), or None when nothing changed
    within 20 s."""
    page.evaluate(PROBE_JS)
    page.locator(SLIDER).first.press(key)
    try:
        page.wait_for_function(SETTLED_JS, arg=quiet_ms, timeout=20_000)
    except Exception:  # noqa: BLE001
        return None
    b = page.evaluate("[window.__bench.tFirst - window.__bench.t0,"
                      " window.__bench.tLast - window.__bench.t0]")
    return b[0] / 1000, b[1] / 1000


def cold_load(browser, url: str) -> float | None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = ctx.new_page()
        page.goto(url, wait_until="commit", timeout=60_000)
        handle = page.wait_for_function(
            f"() => document.querySelector('{CHART_TEXT}') ? performance.now() : null",
            timeout=60_000)
        return handle.json_value() / 1000
    except Exception:  # noqa: BLE001
        return None
    finally:
        ctx.close()


def open_ready(browser, url: str):
    """(context, page, reason): a page with a slider and a drawn chart, or reason why not."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    page.goto(url, wait_until="commit", timeout=60_000)
    try:
        page.locator("h1").first.wait_for(timeout=60_000)
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
        page.wait_for_selector(CHART_TEXT, state="attached", timeout=30_000)
    except Exception:  # noqa: BLE001
        return ctx, page, "n/a (no Plotly chart rendered)"
    if page.locator(SLIDER).count() == 0:
        return ctx, page, "n/a (no slider)"
    if page.locator('[data-testid="stException"]').count():
        return ctx, page, "n/a (page shows an exception)"
    page.locator(SLIDER).first.focus()
    return ctx, page, ""


def section_bc(presses: int, loads: int) -> list[tuple[str, str, str, str]]:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        return [("key press → diagram", "n/a", "n/a", f"n/a (no Chromium at {CHROMIUM})")]
    app_proc, app_url, _ = start_server("app.py", log_name="bench-app")
    bare_proc, bare_url, _ = start_server(BARE_APP, log_name="bench-bare")
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # (b) warm pages, alternating presses
            (ca, pa, why_a), (cb, pb, why_b) = (open_ready(browser, app_url + "/"),
                                                open_ready(browser, bare_url + "/"))
            lat = {"app": [], "bare": []}
            first = {"app": [], "bare": []}
            fails = {"app": 0, "bare": 0}
            if not why_a and not why_b:
                for k in range(presses + 2):
                    key = "ArrowRight" if k % 2 == 0 else "ArrowLeft"
                    for name, page in (("app", pa), ("bare", pb)):
                        t = press_latency(page, key)
                        if t is None:
                            fails[name] += 1
                        elif k >= 2:  # two warm-up presses each
                            first[name].append(t[0])
                            lat[name].append(t[1])
                log(f"(b) presses: app {med_p95(lat['app'])}, bare {med_p95(lat['bare'])}, "
                    f"no change seen: {fails}")
            note = why_a or why_b or (f"presses with no chart change: app {fails['app']}, "
                                      f"bare {fails['bare']}")
            rows.append(("slider key press → diagram updated (median / p95)",
                         med_p95(lat["app"]), med_p95(lat["bare"]),
                         ratio(lat["app"], lat["bare"], note)))
            rows.append(("… first visible change of the chart (median / p95)",
                         med_p95(first["app"]), med_p95(first["bare"]),
                         ratio(first["app"], first["bare"], "")))
            ca.close()
            cb.close()
            # (c) cold loads, alternating
            cold = {"app": [], "bare": []}
            for _ in range(loads):
                for name, url in (("app", app_url + "/"), ("bare", bare_url + "/")):
                    t = cold_load(browser, url)
                    if t is not None:
                        cold[name].append(t)
            log(f"(c) cold load: app {med_p95(cold['app'])}, bare {med_p95(cold['bare'])}")
            rows.append(("cold load → first chart drawn (median / p95)", med_p95(cold["app"]),
                         med_p95(cold["bare"]),
                         ratio(cold["app"], cold["bare"], "" if cold["app"] else
                               "n/a (the home page drew no chart)")))
            browser.close()
    finally:
        stop_server(app_proc)
        stop_server(bare_proc)
    return rows


def ratio(a: list[float], b: list[float], note: str) -> str:
    if not a or not b:
        return note or "n/a"
    r = statistics.median(a) / statistics.median(b)
    return f"**{r:.2f}×** (target ≤ 1.3×)" + (f"; {note}" if note else "")


# ------------------------------------------------------------ (d), (e) sessions on one server
class Session:
    """A Streamlit session driven over its websocket, as a browser tab would."""

    def __init__(self, ws_url: str):
        self.ws_url = ws_url
        self.ws = None
        self.slider = None  # (widget id, value, step, min, max, fragment id)
        self.page_hash = ""

    async def open(self, query: str = "") -> None:
        import websockets

        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"],
                                           max_size=None, open_timeout=60)
        await self.run(query=query)

    async def run(self, query: str = "", value: float | None = None) -> str:
        """One script (or fragment) run; returns "" or an error description."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_script_hash = self.page_hash
        if value is not None:
            wid, _, _, _, _, fragment = self.slider
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = wid
            w.double_array_value.data.append(value)
            if fragment:
                msg.rerun_script.fragment_id = fragment
        await self.ws.send(msg.SerializeToString())
        error = ""
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(self.ws.recv(), 60))
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = self.page_hash or fm.new_session.page_script_hash
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                if el.WhichOneof("type") == "exception":
                    error = error or f"exception: {el.exception.message[:80]}"
                elif el.WhichOneof("type") == "slider" and value is None and self.slider is None:
                    s = el.slider
                    cur = (list(s.value) or list(s.default) or [s.min])[0]
                    self.slider = (s.id, cur, s.step or 0.05, s.min, s.max, fm.delta.fragment_id)
            elif kind == "script_finished":
                if fm.script_finished not in (0, 3):  # success, fragment success
                    error = error or f"script finished with status {fm.script_finished}"
                return error

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def sessions_bench(ws_url: str, pid: int, n_max: int, changes: int,
                         budget_s: float) -> dict:
    out: dict = {"rss": {}, "errors": [], "lat": [], "done": 0, "skipped": 0, "single": []}
    out["rss"][0] = rss_mb(pid)
    sessions: list[Session] = []
    sem = asyncio.Semaphore(8)

    async def opened() -> Session | None:
        async with sem:
            s = Session(ws_url)
            try:
                await s.open()
                return s
            except Exception as e:  # noqa: BLE001
                out["errors"].append(f"open: {type(e).__name__}: {e}"[:120])
                return None

    for target in sorted({1, 10, n_max}):
        new = await asyncio.gather(*(opened() for _ in range(target - len(sessions))))
        sessions += [s for s in new if s is not None]
        await asyncio.sleep(1.0)
        out["rss"][target] = rss_mb(pid)
        log(f"(d) {len(sessions)} sessions: RSS {out['rss'][target]:.1f} MB")
        if target == 1 and sessions and sessions[0].slider:  # one user alone on the server
            s0 = sessions[0]
            for k in range(changes + 2):
                t = time.perf_counter()
                err = await s0.run(value=s0.slider[1] + (s0.slider[2] if k % 2 == 0 else 0))
                if k >= 2 and not err:
                    out["single"].append(time.perf_counter() - t)
            log(f"(d) one session alone: {med_p95(out['single'])}")
    deadline = time.monotonic() + budget_s

    async def user(s: Session) -> None:
        if s.slider is None:
            out["errors"].append("no slider on the page")
            return
        _, v0, step, lo, hi, _ = s.slider
        v1 = v0 + step if v0 + step <= hi else v0 - step
        for k in range(changes):
            if time.monotonic() > deadline:
                out["skipped"] += changes - k  # not an error: the benchmark's time ran out
                return
            t = time.perf_counter()
            try:
                err = await s.run(value=v1 if k % 2 == 0 else v0)
            except Exception as e:  # noqa: BLE001
                err = f"{type(e).__name__}: {e}"[:120]
            out["lat"].append(time.perf_counter() - t)
            if err:
                out["errors"].append(err)
            else:
                out["done"] += 1
            await asyncio.sleep(0.1)  # a user's pause between two key presses

    t0 = time.perf_counter()
    await asyncio.gather(*(user(s) for s in sessions))
    out["wall"] = time.perf_counter() - t0
    out["rss"]["after"] = rss_mb(pid)
    out["sessions"] = len(sessions)
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    return out


def section_de(n_max: int, changes: int, budget_s: float) -> list[tuple[str, str, str]]:
    proc, url, log_path = start_server("app.py", log_name="bench-sessions")
    try:
        out = asyncio.run(sessions_bench(url.replace("http", "ws") + "/_stcore/stream",
                                         proc.pid, n_max, changes, budget_s))
    except Exception as e:  # noqa: BLE001
        traceback.print_exc()
        return [("sessions", "n/a", f"{type(e).__name__}: {e}")]
    finally:
        stop_server(proc)
    rss = out["rss"]
    per = (rss[n_max] - rss[10]) / max(n_max - 10, 1)
    rows = [("one session alone: slider change → rerun finished (median / p95)",
             med_p95(out["single"]), "the slider's fragment rerun, as a browser sends it; "
             "target ≤ 30 ms")]
    rows += [(f"server RSS, {k} session{'s' if k != 1 else ''}", f"{rss[k]:.0f} MB", "")
            for k in sorted({0, 1, 10, n_max})]
    rows[-1] = (rows[-1][0], rows[-1][1], f"≈ {per:.2f} MB per extra session (10 → {n_max})")
    if 0 in rss and 1 in rss:
        rows[1] = (rows[1][0], rows[1][1], "fresh server, before any page ran")
    rows.append((f"server RSS after {n_max} × {changes} changes", f"{rss['after']:.0f} MB", ""))
    errors = sorted(set(out["errors"]))
    total = out["sessions"] * changes
    rows.append((f"{out['sessions']} concurrent sessions × {changes} slider changes",
                 f"{out['done']}/{total} ok, {len(out['errors'])} errors",
                 ("; ".join(errors)[:200] if errors else "no errors")
                 + (f"; {out['skipped']} not sent (time budget)" if out["skipped"] else "")
                 + f"; each session sends its next change 0.1 s after the last one finished; "
                 f"{out['wall']:.0f} s wall, {out['done'] / out['wall']:.1f} reruns/s"))
    rows.append(("latency of one change under that load (median / p95)", med_p95(out["lat"]),
                 "send → script_finished received"))
    log(f"(e) {rows[-2][1]}; latency {rows[-1][1]}")
    return rows


# ------------------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    ap.add_argument("--only", default="abcde", help="sections to run, e.g. 'bc'")
    args = ap.parse_args()
    q = args.quick
    info = machine()
    started = time.monotonic()
    sections: dict[str, list] = {}
    runs = {"a": lambda: section_a(8 if q else 30),
            "bc": lambda: section_bc(6 if q else 20, 2 if q else 6),
            "de": lambda: section_de(10 if q else 50, 5 if q else 20, 60 if q else 240)}
    for key, fn in runs.items():
        if set(key) & set(args.only):
            try:
                sections[key] = fn()
            except Exception as e:  # noqa: BLE001
                traceback.print_exc()
                sections[key] = [(f"section {key}", "n/a", f"{type(e).__name__}: {e}")]
    lines = [f"## Benchmark · {info['date']}", "",
             " · ".join(f"{k}: {v}" for k, v in info.items() if k != "date"), ""]
    if "a" in sections:
        lines += ["### (a) Server time per rerun after a widget change (AppTest: the whole "
                  "script, also where the browser reruns only a fragment)",
                  "", "| page · size | median / p95 | widget moved |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in sections["a"]]
        lines += ["", "Target: ≤ 30 ms median at the default size.", ""]
    if "bc" in sections:
        lines += ["### (b), (c) Headless Chromium: this app's home page vs a bare app "
                  "(one slider, one Plotly chart), alternating in the same run", "",
                  "| measure | home page | bare app | ratio |", "|---|---|---|---|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in sections["bc"]]
        lines += [""]
    if "de" in sections:
        lines += ["### (d), (e) Sessions on one server (protocol-level clients, home page)", "",
                  "| measure | value | note |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in sections["de"]]
        lines += [""]
    lines.append(f"Benchmark wall time: {time.monotonic() - started:.0f} s")
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
