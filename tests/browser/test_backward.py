"""Browser: the "Backward pass" page draws the gradient diagram with lstm_step_backward's numbers,
and a target slider moved by keyboard recomputes them."""

from __future__ import annotations

from stbrowser import PLOTLY, app_url, assert_no_exception, normalize, open_page, screenshot

from explainer.backward import backward_pass
from explainer.presets import build
from explainer.scenario import LossSettings


def loss_text(page) -> str:
    return normalize(page.locator('[data-testid="stMetricValue"]').first.inner_text())


def test_backward_page_shows_the_core_numbers_and_follows_a_target_slider(page, base_url):
    open_page(page, app_url(base_url, "Backward_pass", preset="highway"), expect=PLOTLY)
    run = backward_pass(build("highway"))
    assert loss_text(page) == f"{run.loss:.6f}"
    diagram = normalize(page.locator(PLOTLY).first.inner_text())
    dx = f"{run.grad.dx[0]:.2f}"
    assert dx.lstrip("-") in diagram  # printed in the squares of ∂L/∂x(t)
    screenshot(page, "backward_pass", full_page=True)

    thumb = page.locator('[data-testid="stSlider"]:has-text("target[0]") input[type="range"]')
    thumb.press("ArrowLeft")  # target[0]: 1.00 -> 0.95
    moved = build("highway").with_view(loss=LossSettings(target=(0.95, -1.0)))
    expected = f"{backward_pass(moved).loss:.6f}"
    page.wait_for_function(
        "v => document.querySelector('[data-testid=\"stMetricValue\"]').innerText.trim() === v",
        arg=expected, timeout=30_000)
    page.wait_for_function("() => location.search.includes('target=0.95')", timeout=30_000)
    assert_no_exception(page)
    screenshot(page, "backward_pass_moved")
