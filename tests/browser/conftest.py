"""Browser-test fixtures: one Streamlit server and one Chromium per test session (per xdist
worker), a fresh browser context (= a fresh Streamlit session) per test.

Fixtures
    base_url     "http://127.0.0.1:<port>" of a server running app.py from the repo root
                 (log: test-artifacts/server-<port>.log; a failed test's report shows its tail)
    server_proc  the server's subprocess.Popen (e.g. for its pid)
    browser      Playwright Browser: Debian's Chromium ($LSTM_CHROMIUM or /usr/bin/chromium)
    context      a new BrowserContext, 1280×720, closed after the test
    page         a new Page in `context`
    new_page     factory: new_page(width=1280, height=720) -> Page in its own new context
                 (an independent Streamlit session); all closed after the test

Helpers (import them: `from stbrowser import open_page, ...`): see stbrowser.py.
Every test in tests/browser/ gets the `browser` marker; `pytest -m "not browser"` skips them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("LSTM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SERVER_START_TIMEOUT_S = 60
HERE = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # tests may import lstm_core to compute expected values
    sys.path.insert(0, str(ROOT))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script: str = "app.py", cwd: Path = ROOT, log_name: str = "server",
                 extra_args: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str, Path]:
    """Start `streamlit run script` on a free loopback port and wait for /_stcore/health.
    Returns (process, base_url, log path). The caller must call stop_server(process)."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{log_name}-{port}.log"
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", *extra_args]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base_url, log_path
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(proc)
            raise RuntimeError(f"streamlit not healthy after {SERVER_START_TIMEOUT_S}s:\n"
                               f"{log_path.read_text()}")
        time.sleep(0.1)


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server's whole process group (it was started in its own session)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def _server():
    proc, base_url, log_path = start_server()
    try:
        yield proc, base_url, log_path
    finally:
        stop_server(proc)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test's report ends with the server log's tail: the page itself only
    shows a redacted error."""
    outcome = yield
    report = outcome.get_result()
    server = getattr(item, "funcargs", {}).get("_server")
    if report.failed and server is not None and server[2].exists():
        tail = server[2].read_text(errors="replace")[-4000:]
        report.sections.append(("streamlit server log (last 4000 chars)", tail))


@pytest.fixture(scope="session")
def base_url(_server) -> str:
    return _server[1]


@pytest.fixture(scope="session")
def server_proc(_server) -> subprocess.Popen:
    return _server[0]


def chromium_or_skip() -> str:
    """Path of Chromium; fail hard under CI=true when it is missing, otherwise skip."""
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = (f"Chromium not found at {CHROMIUM} (set LSTM_CHROMIUM or run "
              "scripts/ensure_chromium.sh; never `playwright install`)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _playwright():
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    b = _playwright.chromium.launch(executable_path=chromium_or_skip(), args=CHROMIUM_ARGS,
                                    headless=True)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def new_page(browser):
    """Factory: each call opens a page in its own new context (its own Streamlit session)."""
    contexts = []

    def make(width: int = 1280, height: int = 720):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        ctx.set_default_timeout(60_000)
        contexts.append(ctx)
        return ctx.new_page()

    try:
        yield make
    finally:
        for ctx in contexts:
            ctx.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.set_default_timeout(60_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()
