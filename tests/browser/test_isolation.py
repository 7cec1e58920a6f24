"""Two browser sessions on one server never see each other's values."""

import pytest
from stbrowser import (
    EXCEPTION,
    app_url,
    assert_no_exception,
    open_page,
    shows_value,
    wait_for_value,
    wait_idle,
)

from explainer.presets import build

pytestmark = pytest.mark.browser


def h0(preset: str) -> str:
    """h(t)[0] of a preset as the page's table shows it (4 decimals)."""
    return f"{build(preset).step().h[0]:.4f}"


def open_table(page) -> None:
    """The explorer draws its table of intermediates (4 decimals) only while it is open."""
    page.get_by_text("Every intermediate (table)").click()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")


def test_two_sessions_different_presets(new_page, base_url):
    a, b = new_page(), new_page()
    # Start both loads before waiting for either, so both scripts run at the same time.
    a.goto(app_url(base_url, preset="stackoverflow"), wait_until="commit")
    b.goto(app_url(base_url, preset="remember"), wait_until="commit")
    for p in (a, b):
        p.locator("h1").first.or_(p.locator(EXCEPTION).first).wait_for()
        assert_no_exception(p)
        wait_idle(p)
        open_table(p)
    so, rem = h0("stackoverflow"), h0("remember")
    assert so != rem
    wait_for_value(a, so)
    wait_for_value(b, rem)
    assert not shows_value(a, rem)
    assert not shows_value(b, so)
    assert "preset=stackoverflow" in a.url and "preset=remember" in b.url
    # A rerun in one session (reload) leaves the other as it was.
    a.reload()
    a.locator("h1").first.wait_for()
    wait_idle(a)
    open_table(a)
    wait_for_value(a, so)
    assert shows_value(b, rem)
    assert not shows_value(b, so)
    assert "preset=remember" in b.url
    assert_no_exception(a)
    assert_no_exception(b)


X0 = '.live input[type="range"][aria-label="x(t)[0]"]'  # the live cell's range input


def x0_value(page) -> float:
    return float(page.locator(X0).input_value())


def test_two_sessions_move_sliders_at_once(new_page, base_url):
    a, b = new_page(), new_page()
    open_page(a, app_url(base_url))
    open_page(b, app_url(base_url))
    start = float(build("default").x[0])
    for p in (a, b):  # the x(t)[0] slider of the default preset, fully drawn in both
        p.locator(X0).wait_for(state="attached")
        assert x0_value(p) == start
    thumb_a, thumb_b = a.locator(X0), b.locator(X0)
    thumb_a.focus()
    thumb_b.focus()
    # Interleave the key presses: each one starts a rerun in its own session at once.
    for _ in range(3):
        thumb_a.press("ArrowRight")
        thumb_b.press("ArrowLeft")
    for p, x in ((a, "0.95"), (b, "0.65")):  # three steps of 0.05 each way from 0.8
        # wait for the URL to carry the new x, then for the reruns to settle
        p.wait_for_function("x => (new URLSearchParams(window.location.search).get('x') || '')"
                            ".startsWith(x + ',')", arg=x)
        wait_idle(p)
        assert_no_exception(p)
    va, vb = x0_value(a), x0_value(b)
    assert va > start, (va, start)
    assert vb < start, (vb, start)
    # One more move in b only, waited for: a's value is untouched by b's reruns.
    thumb_b.press("ArrowLeft")
    b.wait_for_function("() => (new URLSearchParams(window.location.search).get('x') || '')"
                        ".startsWith('0.6,')")
    wait_idle(b)
    assert x0_value(a) == va and x0_value(b) < vb
    assert a.locator(EXCEPTION).count() == 0 and b.locator(EXCEPTION).count() == 0
