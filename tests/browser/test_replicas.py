"""Two real replicas behind a real nginx (deploy/replicas.py), driven by Chromium: any replica
reopens any link, and a student whose replica dies carries on on a survivor.

The fixtures `replicas` and `fresh_replicas` live in tests/conftest.py.
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from stbrowser import (
    app_url,
    assert_no_exception,
    normalize,
    open_page,
    screenshot,
    wait_idle,
)

from explainer.codec import decode

pytestmark = pytest.mark.browser

X0 = '.live input[type="range"][aria-label="x(t)[0]"]'  # the live cell's range input
RECONNECT_LIMIT_S = 10.0  # issue 17: the student is back on a survivor within 10 s
# Records the app's connection and script states from now on (attribute changes of stApp).
WATCH_STATES_JS = """() => { const app = document.querySelector('[data-testid="stApp"]');
  window.__states = [];
  new MutationObserver(() => window.__states.push(app.dataset.testConnectionState + '/' +
      app.dataset.testScriptState)).observe(app, {attributes: true}); }"""
# Back: the WebSocket was lost, a new session ran the page from start to end, and it is idle.
RERAN_AFTER_LOSS_JS = """() => { const s = window.__states || [];
  const lost = s.findIndex(x => !x.startsWith('CONNECTED/'));
  const ran = s.findIndex((x, k) => k > lost && x === 'CONNECTED/running');
  const app = document.querySelector('[data-testid="stApp"]');
  return lost >= 0 && ran > lost && app.dataset.testConnectionState === 'CONNECTED' &&
         app.dataset.testScriptState === 'notRunning'; }"""
LOG_LINE = re.compile(r'"(?P<request>[^"]*)" \d+ route=(?P<route>\S+) '
                      r"upstream=(?P<upstream>.*?) upstream_status=")


def x_query(page) -> list[str]:
    return parse_qs(urlsplit(page.url).query).get("x", [])


def move_x0(page, presses: int) -> str:
    """Press ArrowRight on the live cell's x(t)[0] slider; return the link once the URL holds
    its new value (the URL follows the server's last rerun, the slider the last key press)."""
    slider = page.locator(X0)
    slider.wait_for(state="attached")
    start = float(slider.input_value())
    slider.focus()
    for _ in range(presses):
        slider.press("ArrowRight")
    deadline = time.monotonic() + 30
    while True:  # the live cell syncs 250 ms after the last press; the URL follows the server
        v = float(page.locator(X0).input_value())
        x = x_query(page)
        if v != start and x and float(x[0].split(",")[0]) == v:
            break
        assert time.monotonic() < deadline, f"x(t)[0] = {v} not synced into {page.url}"
        page.wait_for_timeout(100)
    return page.url


def wait_for_diagram_of(page, link: str, timeout_s: float = 30.0) -> str:
    """Wait until the diagram shows h(t)[0] of the scenario in `link` (2 decimals, as drawn);
    return the diagram's text."""
    expected = f"{decode(parse_qs(urlsplit(link).query)).scenario.step().h[0]:.2f}"
    deadline = time.monotonic() + timeout_s
    while True:
        text = normalize(" ".join(page.locator(".live svg text").all_text_contents()))
        if expected in text:
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"h(t)[0] = {expected} not drawn on {page.url}")
        page.wait_for_timeout(100)


def route_of(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "lstm_route")


def served_by(dep, route: str) -> list[str]:
    """The replica address that answered each of this browser's requests, in order (static
    files answered from nginx's cache have none)."""
    out = []
    for line in dep.access_log.read_text().splitlines():
        m = LOG_LINE.search(line)
        if m and m["route"] == route and m["upstream"] != "-":
            out.append(m["upstream"].split(", ")[-1])  # after a failover: the last one tried
    return out


def test_link_made_on_one_replica_opens_on_the_other(replicas, new_page):
    a, b = replicas.replicas
    first = new_page()
    open_page(first, app_url(a.url, preset="remember"))
    link = move_x0(first, 3)
    assert link.startswith(a.url) and x_query(first) != []
    shown_on_a = wait_for_diagram_of(first, link)

    second = new_page()
    open_page(second, b.url + link[len(a.url):])
    shown_on_b = wait_for_diagram_of(second, link)
    assert second.locator(X0).input_value() == first.locator(X0).input_value()
    assert shown_on_b == shown_on_a
    assert x_query(second) == x_query(first)
    assert_no_exception(second)


def test_a_browser_stays_on_one_replica(replicas, new_page):
    page = new_page()
    open_page(page, app_url(replicas.url, preset="forget"))
    move_x0(page, 2)
    wait_idle(page)
    served = served_by(replicas, route_of(page))
    requests = [m["request"] for line in replicas.access_log.read_text().splitlines()
                if (m := LOG_LINE.search(line)) and m["route"] == route_of(page)]
    assert any("/_stcore/host-config" in r for r in requests)  # the tab's own calls, logged
    assert len(served) >= 3 and len(set(served)) == 1, served


def test_killed_replica_hands_the_student_to_a_survivor(fresh_replicas, new_page):
    dep = fresh_replicas(2)
    page = new_page()
    open_page(page, app_url(dep.url, preset="remember"))
    link = move_x0(page, 3)  # a state that exists only in this session and its URL
    before = wait_for_diagram_of(page, link)
    value_before = page.locator(X0).input_value()
    route = route_of(page)
    served = served_by(dep, route)
    assert len(set(served)) == 1, served
    victim = dep.replica_at(served[0])
    survivor = dep.replicas[1 - victim]

    page.evaluate(WATCH_STATES_JS)
    killed_at = time.monotonic()
    dep.kill(victim)
    # The tab notices, asks nginx for /_stcore/health and host-config, which skips the dead
    # replica, and opens a new WebSocket on the survivor, which rebuilds the scenario from the URL.
    while f"127.0.0.1:{survivor.port}" not in served_by(dep, route):
        assert time.monotonic() - killed_at < RECONNECT_LIMIT_S, "no request reached the survivor"
        page.wait_for_timeout(100)
    left_ms = max(1.0, RECONNECT_LIMIT_S - (time.monotonic() - killed_at)) * 1000
    page.wait_for_function(RERAN_AFTER_LOSS_JS, timeout=left_ms)
    after = wait_for_diagram_of(page, link, RECONNECT_LIMIT_S - (time.monotonic() - killed_at))
    back_after_s = time.monotonic() - killed_at
    assert back_after_s < RECONNECT_LIMIT_S
    assert after == before
    assert page.locator(X0).input_value() == value_before
    assert page.url == link
    screenshot(page, "replicas-after-failover")

    moved = move_x0(page, 1)  # the controls work on the survivor
    assert moved != link
    assert float(page.locator(X0).input_value()) > float(value_before)
    assert wait_for_diagram_of(page, moved) != before
    assert_no_exception(page)
    assert dep.replicas[victim].alive is False and survivor.alive
    assert page.locator('.live input[type="range"]').count() > 1  # every control is back


def test_a_change_not_yet_synced_when_the_replica_dies_reaches_the_survivor(fresh_replicas,
                                                                             new_page):
    """The student moves x(t)[0] on the live cell while its replica is dying: the edit exists
    only in the browser. Once the tab is on the survivor, the live cell sends it again, the
    survivor applies it, and the link and the diagram show it: nothing the student set is lost."""
    dep = fresh_replicas(2)
    page = new_page()
    open_page(page, app_url(dep.url, preset="remember"))
    link = move_x0(page, 2)
    victim = dep.replica_at(served_by(dep, route_of(page))[0])
    page.evaluate(WATCH_STATES_JS)
    killed_at = time.monotonic()
    dep.kill(victim)
    slider = page.locator(X0)
    slider.focus()
    for _ in range(3):  # at once: the debounced send goes to a dead connection, or none
        slider.press("ArrowRight")
    moved = float(slider.input_value())
    assert x_query(page) == parse_qs(urlsplit(link).query)["x"]  # not synced: the URL is old
    page.wait_for_function(RERAN_AFTER_LOSS_JS, timeout=RECONNECT_LIMIT_S * 1000)
    while not (x_query(page) and float(x_query(page)[0].split(",")[0]) == moved):
        assert time.monotonic() - killed_at < RECONNECT_LIMIT_S, (
            f"x(t)[0] = {moved} never reached the survivor: {page.url}")
        page.wait_for_timeout(100)
    synced_after_s = time.monotonic() - killed_at
    wait_for_diagram_of(page, page.url)
    assert float(slider.input_value()) == moved
    assert_no_exception(page)
    screenshot(page, "replicas-unsynced-change-after-failover")
    print(f"unsynced change on the survivor {synced_after_s:.1f} s after the kill")
