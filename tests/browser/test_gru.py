"""Browser: the GRU page opens from a link with gru_step's numbers on screen, follows a key press
on a slider and the reset-placement toggle, and writes both into the URL."""

from __future__ import annotations

from dataclasses import replace

from stbrowser import (
    PLOTLY,
    app_url,
    assert_no_exception,
    open_page,
    screenshot,
    wait_for_value,
)

from explainer.presets import build
from lstm_core import gru_step
from viz.latex import numbers

PRESET = build("gru-reset-before")


def h_line(step) -> str:
    return f"h(t) = {numbers(step.h, 8)}"


def test_gru_page_shows_the_core_h_and_follows_a_key_press(page, base_url):
    open_page(page, app_url(base_url, "GRU", preset="gru-reset-before"), expect=PLOTLY)
    wait_for_value(page, h_line(PRESET.gru_step()))
    wait_for_value(page, f"{PRESET.gru_step().h[0]:.2f}")  # on the diagram
    assert_no_exception(page)
    screenshot(page, "gru_page", full_page=True)
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="x(t)[0]")
    slider.locator('input[type="range"]').first.press("ArrowRight")  # x[0] + 0.05
    moved = gru_step(PRESET.gru, [PRESET.x[0] + 0.05, PRESET.x[1]], PRESET.h_prev)
    wait_for_value(page, h_line(moved))
    page.wait_for_function("() => location.search.includes('x=0.85')", timeout=30_000)
    assert_no_exception(page)


def test_reset_placement_toggle_in_the_browser(page, base_url):
    open_page(page, app_url(base_url, "GRU", preset="gru-reset-before"), expect=PLOTLY)
    page.get_by_text("Reset gate after the product").click()
    after = gru_step(replace(PRESET.gru, reset_after=True), PRESET.x, PRESET.h_prev)
    wait_for_value(page, h_line(after))
    page.wait_for_function("() => location.search.includes('gra=1')", timeout=30_000)
    assert_no_exception(page)
    screenshot(page, "gru_reset_after")
