"""The home page (cell explorer) in a real browser."""

import pytest
from PIL import Image
from stbrowser import (
    app_url,
    assert_no_exception,
    normalize,
    open_page,
    screenshot,
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
    page.locator(".live[data-ready='1']").wait_for(state="attached")
    h = page.locator('.live g.slot[data-vector="h"] text').all_text_contents()
    assert [normalize(v) for v in h] == ["-0.02", "0.30", "0.06", "-0.01", "0.26"]  # 2 decimals
    # the table is drawn when its expander is opened (a key press does not redraw it closed)
    page.get_by_text("Every intermediate (table)").click()
    wait_for_value(page, "-0.0225")
    assert "preset=stackoverflow" in page.url  # the scenario stays in the address bar
    assert_no_exception(page)


KEY_COLOURS = ((0x0B, 0x4F, 0x86), (0xB3, 0x47, 0x00))  # the value scale's two ends


def colour_pixels(path, rgb, tol: int = 12) -> int:
    """How many pixels of the PNG are within `tol` of `rgb` in every channel."""
    image = Image.open(path).convert("RGB")
    return sum(n for n, px in image.getcolors(maxcolors=1 << 24)
               if all(abs(a - b) <= tol for a, b in zip(px, rgb)))


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_home_screenshots(new_page, base_url, width, height):
    """On a projector's screen the diagram fits the width, carries its numbers, and is in the
    picture in colour (both ends of the value scale are drawn)."""
    page = new_page(width, height)
    open_page(page, app_url(base_url, preset="stackoverflow"))
    page.locator(".live[data-ready='1']").wait_for(state="attached")
    h = [normalize(t) for t in page.locator('.live g.slot[data-vector="h"] text')
         .all_text_contents()]
    assert h == ["-0.02", "0.30", "0.06", "-0.01", "0.26"]  # h(t), 2 decimals
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    diagram = page.locator(".live svg.diagram")
    box = diagram.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["width"] >= 0.5 * width and box["y"] < height  # large, and starts on screen
    diagram.scroll_into_view_if_needed()
    path = screenshot(page, f"home-stackoverflow-{width}x{height}")
    assert Image.open(path).size == (width, height)
    for rgb in KEY_COLOURS:
        assert colour_pixels(path, rgb) > 200, rgb
    assert_no_exception(page)
