"""Browser: the "through time" page draws its charts, and moving T redraws the timeline."""

from __future__ import annotations

from stbrowser import PLOTLY, app_url, assert_no_exception, open_page, screenshot


def test_through_time_page_draws_and_follows_T(page, base_url):
    open_page(page, app_url(base_url, "Through_time", preset="remember"), expect=PLOTLY)
    page.locator(PLOTLY).nth(5).wait_for(timeout=30_000)  # 4 charts + the GRU's 2
    assert page.locator(PLOTLY).count() == 6
    before = page.locator(PLOTLY).first.inner_text()
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Length T")
    slider.locator('input[type="range"]').press("End")  # T = 400
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .xtick')]"
        ".some(t => t.textContent.trim() === '400')", timeout=30_000)
    assert page.locator(PLOTLY).first.inner_text() != before
    assert_no_exception(page)
    screenshot(page, "through_time")
