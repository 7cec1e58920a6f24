"""The live cell in real Chromium: the diagram follows a drag before the server hears of it,
its controls are labelled and keyboard-operable, and after the hand rests the server's numbers,
the URL and every share link on the page (sidebar included) follow."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

import numpy as np
from stbrowser import app_url, assert_no_exception, normalize, open_page

from explainer.codec import decode

COMPONENT = ".live[data-ready='1']"
LIVE_RANGE = '.live input[type="range"][aria-label="x(t)[0]"]'


def open_live(page, url: str) -> None:
    open_page(page, url)
    page.locator(COMPONENT).first.wait_for(state="attached", timeout=60_000)


def cells(page, vector: str, nth: int = 0) -> list[str]:
    """The numbers printed in one vector's cells of the nth live diagram."""
    group = page.locator(".live").nth(nth).locator(f'g.slot[data-vector="{vector}"] text')
    return [normalize(t) for t in group.all_text_contents()]


def wait_until(condition, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def scenario_of(page):
    return decode({k: v for k, v in query(page).items()}).scenario


def fmt2(v: float) -> str:
    s = f"{v:.2f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def test_drag_updates_diagram_during_the_drag_then_server_and_links_follow(page, base_url):
    open_live(page, app_url(base_url, "", preset="default"))
    before_h = cells(page, "h")
    target = page.locator('rect[role="slider"][aria-label="x(t)[0] in the diagram"]')
    page.mouse.wheel(0, 250)  # x(t) sits at the bottom of the diagram
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box["y"] > 4 * 16 and box["y"] + box["height"] < 720
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    seen = []
    for k in range(1, 16):
        page.mouse.move(x, y - 4 * k)
        seen.append(tuple(cells(page, "h")))
    url_during = page.url
    assert page.locator(COMPONENT).get_attribute("data-ack") == "0"  # nothing synced yet
    page.mouse.up()
    assert len(set(seen)) >= 5, seen  # h(t) changed frame by frame while the mouse was down
    assert "x=" not in urlparse(url_during).query  # ... computed in the browser alone
    # after the hand rests: the server applied it (URL), and its numbers equal the browser's
    page.wait_for_function("() => new URL(location.href).searchParams.has('x')", timeout=30_000)
    page.locator(".live:not([data-ack='0'])").wait_for(state="attached", timeout=30_000)
    s = scenario_of(page)
    assert s.x[0] > 0.8  # dragged upwards from the preset's 0.8
    step = s.step()
    assert cells(page, "h") == [fmt2(v) for v in step.h] != before_h
    assert cells(page, "x") == [fmt2(v) for v in s.x]
    # "what changed" and the sidebar's share link follow the move, without another action
    text = normalize(page.locator('[data-testid="stMain"]').inner_text())
    assert "What changed" in text and "x(t)[0]" in text
    page.locator('[data-testid="stSidebarCollapsedControl"] button, '
                 '[data-testid="stExpandSidebarButton"]').first.click()
    page.get_by_text("Share this scenario").click()
    link = page.locator('[data-testid="stSidebar"] .address code')
    link.wait_for()
    shared = parse_qs(urlparse(normalize(link.inner_text()).strip()).query)
    assert shared["x"] == query(page)["x"]
    # a second move, with the sidebar open: its link follows without a page rerun
    page.locator(LIVE_RANGE).focus()
    page.locator(LIVE_RANGE).press("ArrowLeft")
    page.wait_for_function(
        """x => new URL(location.href).searchParams.get('x') !== x""", arg=shared["x"][0])
    wait_until(lambda: parse_qs(urlparse(normalize(link.inner_text()).strip()).query)["x"]
               == query(page)["x"])
    assert_no_exception(page)


def test_controls_are_labelled_focusable_and_move_with_arrow_keys(page, base_url):
    open_live(page, app_url(base_url, "", preset="default"))
    ranges = page.locator('.live input[type="range"]')
    labels = ranges.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert {"x(t)[0]", "x(t)[1]", "h(t-1)[0]", "c(t-1)[1]", "b_f[0]"} <= set(labels)
    assert all(labels)
    sliders = page.locator('.live [role="slider"]')
    assert sliders.count() >= 6  # the diagram's x, h and c cells
    assert all(sliders.evaluate_all("els => els.map(e => e.tabIndex >= 0 && "
                                    "!!e.getAttribute('aria-label'))"))
    before_c = cells(page, "c")
    x0 = page.locator('.live input[type="range"][aria-label="x(t)[0]"]')
    x0.focus()
    start = float(x0.input_value())
    for _ in range(4):
        x0.press("ArrowRight")
    assert abs(float(x0.input_value()) - (start + 0.2)) < 1e-9
    assert cells(page, "x")[0] == fmt2(start + 0.2)  # the diagram already shows it
    assert cells(page, "c") != before_c
    # a diagram cell is a slider too: focus it, arrow up
    cell = page.locator('rect[role="slider"][aria-label="h(t-1)[1] in the diagram"]')
    cell.focus()
    h1 = float(cell.get_attribute("aria-valuenow"))
    cell.press("ArrowUp")
    assert abs(float(cell.get_attribute("aria-valuenow")) - round(h1 + 0.05, 2)) < 1e-9
    page.wait_for_function(
        "() => (new URL(location.href).searchParams.get('h') || '').length > 0", timeout=30_000)
    s = scenario_of(page)
    np.testing.assert_allclose(s.x[0], start + 0.2, atol=1e-12)
    np.testing.assert_allclose(s.h_prev[1], round(h1 + 0.05, 2), atol=1e-12)


def test_gate_picker_switches_the_weights_shown(page, base_url):
    open_live(page, app_url(base_url, "", preset="default"))
    picker = page.locator('.live [role="radio"]')
    assert picker.count() == 4
    page.locator('.live [role="radio"]', has_text=re.compile("^o$")).click()
    page.locator('.live input[aria-label="b_o[0]"]').wait_for()
    assert page.locator('.live input[aria-label="b_f[0]"]').count() == 0


def test_hover_shows_name_formula_values_and_shape(page, base_url):
    open_live(page, app_url(base_url, "", preset="stackoverflow"))
    step = scenario_of(page).step()
    page.locator('.live g.slot[data-vector="f"] rect').first.hover()
    tip = page.locator(".live .tip")
    tip.wait_for(state="visible")
    text = normalize(tip.inner_text())
    assert "f(t): forget gate" in text and "σ(W_xfᵀ·x(t) + W_hfᵀ·h(t-1) + b_f)" in text
    assert "shape (H,) = (5,)" in text
    assert all(f"{v:.4f}" in text for v in step.f), text  # 4 decimals
    page.locator('.live rect.hover-target[aria-label^="forget gate"]').focus()  # keyboard too
    text = normalize(tip.inner_text())
    assert "z_f = [" in text and f"{step.z_f[0]:.4f}" in text


def test_png_export_downloads_the_diagram(page, base_url):
    open_live(page, app_url(base_url, "", preset="default"))
    with page.expect_download() as info:
        page.locator(".live button.export").click()
    path = info.value.path()
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (2080, 1080)  # the 1040 x 540 canvas at twice the size
    assert len(data) > 30_000  # drawn, not blank


def test_two_quick_next_clicks_are_two_steps_and_arrows_step_in_presenter_mode(page, base_url):
    open_page(page, app_url(base_url, "Step_by_step", step="1"))
    page.get_by_role("heading", name="2. Concatenation").wait_for()
    nxt = page.get_by_role("button", name="Next")
    nxt.click()
    nxt.click(delay=0)  # before the first click's rerun has redrawn the page
    page.wait_for_function("() => location.search.includes('step=3')", timeout=30_000)
    page.get_by_role("heading", name="4. Input gate").wait_for(timeout=30_000)
    page.goto(app_url(base_url, "Step_by_step", step="2", presenter="1"))
    page.get_by_text("Step 3 of 8").wait_for(timeout=60_000)
    page.locator(COMPONENT).wait_for(state="attached")  # the page's components are mounted
    page.evaluate("document.activeElement && document.activeElement.blur()")  # no widget
    page.keyboard.press("ArrowRight")
    page.get_by_text("Step 4 of 8").wait_for(timeout=30_000)
    page.keyboard.press("PageUp")
    page.get_by_text("Step 3 of 8").wait_for(timeout=30_000)
    def opacity(vector: str) -> float:
        slot = page.locator(f'.live g.slot[data-vector="{vector}"]')
        return float(slot.evaluate("g => g.dataset.alpha || '1'"))

    # the forget step lights the forget gate and dims the others (once the cell has the data)
    wait_until(lambda: opacity("f") == 1.0 and opacity("i") < 0.5)
    assert_no_exception(page)


def test_phone_width_lists_the_stages_and_a_finger_drags_a_value(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    try:
        page = context.new_page()
        open_live(page, app_url(base_url, "", preset="default"))
        page.locator(".live[data-layout='narrow']").wait_for(state="attached")
        assert not page.locator(".live svg.diagram").is_visible()
        cells_ = page.locator(".live .lcell")
        boxes = [cells_.nth(k).bounding_box() for k in range(cells_.count())]
        sizes = cells_.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert min(sizes) >= 12
        for k, a in enumerate(boxes):  # no number drawn over another
            for b in boxes[k + 1:]:
                overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
                overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
                assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        x0 = page.locator('.live .lcell[aria-label="x(t)[0] in the list"]')
        x0.scroll_into_view_if_needed()
        box = x0.bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        cdp = context.new_cdp_session(page)
        before = cells(page, "h") or page.locator(".live .stage[data-part='h_out'] .lcell")\
            .all_text_contents()
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                              "touchPoints": [{"x": cx, "y": cy}]})
        for k in range(1, 8):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                                  "touchPoints": [{"x": cx, "y": cy - 6 * k}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        assert float(x0.get_attribute("aria-valuenow")) > 0.8  # the preset's x(t)[0] is 0.8
        after = page.locator(".live .stage[data-part='h_out'] .lcell").all_text_contents()
        assert after != before
        page.wait_for_function("() => new URL(location.href).searchParams.has('x')",
                               timeout=30_000)
    finally:
        context.close()
