"""Browser: the GRU page's live cell draws the GRU canvas with gru_step's numbers, follows a key
press in the browser (ui/live/gru.js) before the server hears of it, then the server's numbers,
the equations and the URL follow; the reset-placement toggle redraws the candidate column."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlparse

from stbrowser import app_url, assert_no_exception, open_page, screenshot, wait_for_value
from test_live_cell import cells, fmt2, wait_until

from explainer.codec import decode
from explainer.presets import build
from lstm_core import gru_step
from viz.latex import numbers

PRESET = build("gru-reset-before")
LIVE = ".live[data-ready='1']"


def open_gru(page, url: str) -> None:
    open_page(page, url)
    page.locator(LIVE).first.wait_for(state="attached", timeout=60_000)


def test_live_gru_shows_the_core_numbers_and_follows_a_key_press(page, base_url):
    open_gru(page, app_url(base_url, "GRU", preset="gru-reset-before"))
    step = PRESET.gru_step()
    for vector, values in (("h", step.h), ("z", step.z), ("r", step.r), ("g", step.g),
                           ("one_minus_z_g", step.one_minus_z_g)):
        wait_until(lambda v=vector, vals=values: cells(page, v) == [fmt2(x) for x in vals])
    assert page.locator(".live svg[aria-label^='GRU cell diagram']").count() == 1
    wait_for_value(page, f"h(t) = {numbers(step.h, 8)}")  # NumPy's, under the equations
    assert_no_exception(page)
    screenshot(page, "gru_page_live")
    target = page.locator('rect[role="slider"][aria-label="x(t)[0] in the diagram"]')
    target.scroll_into_view_if_needed()
    target.focus()
    target.press("ArrowUp")  # + 0.05, computed in the browser at once
    moved = gru_step(PRESET.gru, [PRESET.x[0] + 0.05, PRESET.x[1]], PRESET.h_prev)
    wait_until(lambda: cells(page, "h") == [fmt2(v) for v in moved.h])
    # the server follows: the URL carries the move, and NumPy's h(t) is printed
    page.wait_for_function("() => new URL(location.href).searchParams.get('x') === '0.85,-0.4'",
                           timeout=30_000)
    wait_for_value(page, f"h(t) = {numbers(moved.h, 8)}")
    s = decode({k: v for k, v in parse_qs(urlparse(page.url).query).items()}).scenario
    assert s.cell == "gru" and s.x[0] == 0.85
    assert_no_exception(page)


def test_reset_placement_toggle_redraws_the_live_cell(page, base_url):
    open_gru(page, app_url(base_url, "GRU", preset="gru-reset-before"))
    page.get_by_text("Reset gate after the product").click()
    after = gru_step(replace(PRESET.gru, reset_after=True), PRESET.x, PRESET.h_prev)
    wait_until(lambda: cells(page, "h") == [fmt2(v) for v in after.h])
    wait_for_value(page, f"h(t) = {numbers(after.h, 8)}")
    page.wait_for_function("() => location.search.includes('gra=1')", timeout=30_000)
    assert_no_exception(page)
    screenshot(page, "gru_reset_after_live")
