"""The home page (cell explorer) in a real browser."""

import pytest
from stbrowser import (
    app_url,
    assert_no_exception,
    open_page,
    plotly_text,
    screenshot,
    wait_for_content,
    wait_for_value,
)

pytestmark = pytest.mark.browser

TITLE = "Inside one LSTM time step"


def test_home_opens_without_error(page, base_url):
    open_page(page, app_url(base_url))
    assert page.locator("h1").first.inner_text().strip() == TITLE
    assert "LSTM Explainer" in page.title()
    assert_no_exception(page)


def test_stackoverflow_preset_shows_h(page, base_url):
    open_page(page, app_url(base_url, preset="stackoverflow"))
    # h(t) of the Q&A's numbers: [-0.0225, 0.2957, 0.0594, -0.0119, 0.2561]
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="attached")
    diagram = plotly_text(page)
    assert all(v in diagram for v in ("-0.02", "0.30", "0.06", "-0.01", "0.26"))  # 2 decimals
    # the table is drawn when its expander is opened (a key press does not redraw it closed)
    page.get_by_text("Every intermediate (table)").click()
    wait_for_value(page, "-0.0225")
    assert "preset=stackoverflow" in page.url  # the scenario stays in the address bar
    assert_no_exception(page)


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_home_screenshots(new_page, base_url, width, height):
    page = new_page(width, height)
    open_page(page, app_url(base_url, preset="stackoverflow"))
    wait_for_content(page)
    page.wait_for_timeout(500)  # let charts finish their transition before the picture
    path = screenshot(page, f"home-stackoverflow-{width}x{height}")
    assert path.stat().st_size > 10_000
    assert_no_exception(page)
