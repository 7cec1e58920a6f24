"""Links in a real browser: every page's state survives a reopen in a fresh session, and
malformed or hostile links give warnings, never an exception, never a script."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from stbrowser import (
    SLIDER,
    app_url,
    assert_no_exception,
    open_page,
    plotly_text,
    screenshot,
)

from explainer.codec import decode

pytestmark = pytest.mark.browser

ALERT = '[data-testid="stAlert"]'
X0 = '[data-testid="stSlider"]:has-text("x(t)[0]") input[type="range"]'


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def wait_for_url(page, pattern: str, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(
        "p => new RegExp(p).test(window.location.search)", arg=pattern, timeout=timeout_ms)


def shown_soon(page, text: str, timeout_ms: int = 15_000) -> bool:
    """`text` appears in the page's text, a chart's text or a slider's value."""
    for _ in range(timeout_ms // 250):
        sliders = page.locator(SLIDER).evaluate_all("els => els.map(e => e.value).join(' ')")
        if text in page.locator('[data-testid="stApp"]').inner_text() + plotly_text(page) + sliders:
            return True
        page.wait_for_timeout(250)
    return False


def test_moved_slider_reopens_identically_in_a_new_session(new_page, base_url):
    first = new_page()
    open_page(first, app_url(base_url, preset="remember"))
    slider = first.locator(X0)
    slider.wait_for(state="attached")
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")
    wait_for_url(first, r"(^|&|\?)x=0\.65")
    link = first.url
    scenario = decode(query_of(link)).scenario
    assert scenario.x[0] == pytest.approx(0.65)
    first.wait_for_timeout(300)
    shown_first = plotly_text(first)

    second = new_page()
    open_page(second, link)
    second.wait_for_selector(".js-plotly-plot text", timeout=30_000)
    assert float(second.locator(X0).input_value()) == pytest.approx(0.65)
    assert plotly_text(second) == shown_first
    assert f"{scenario.step().h[0]:.2f}" in plotly_text(second)


@pytest.mark.parametrize("path, query, shown", [
    ("Step_by_step", {"preset": "stackoverflow", "step": "4"}, "candidate"),
    ("Concatenation_vs_addition", {"preset": "stackoverflow"}, "0.4750"),
    ("Through_time", {"preset": "remember", "T": "123", "seq": "step"}, "123"),
    ("Peepholes", {"preset": "default", "peep": "1", "pf": "0.5,-0.5"}, "dashed"),
])
def test_each_page_keeps_its_link(new_page, base_url, path, query, shown):
    first = new_page()
    open_page(first, app_url(base_url, path, **query))
    first.wait_for_timeout(500)
    for key, value in query.items():  # the page writes the same scenario back
        assert query_of(first.url).get(key) == [value], (key, first.url)
    assert shown_soon(first, shown)

    second = new_page()
    open_page(second, first.url)
    assert query_of(second.url) == query_of(first.url)
    assert_no_exception(second)


HOSTILE = [
    ({"x": "nan,1"}, "x"),
    ({"x": "inf,-inf"}, "x"),
    ({"c": "1e309,0"}, "c"),
    ({"D": "1000000000"}, "D"),
    ({"H": "-3"}, "H"),
    ({"x": "1," * 5000}, "x"),
    ({"preset": "<script>window.__xss=1</script>"}, "preset"),
    ({"Wxf": '<img src=x onerror="window.__xss=1">'}, "Wxf"),
    ({"step": "99"}, "step"),
    ({"T": "1e9"}, "T"),
    ({"seq": "javascript:alert(1)"}, "seq"),
]


@pytest.mark.parametrize("query, name", HOSTILE, ids=[h[1] + str(i) for i, h in enumerate(HOSTILE)])
def test_hostile_link_warns_and_keeps_the_rest(page, base_url, query, name):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, app_url(base_url, **query, h="0.25,-0.5"))
    alerts = page.locator(ALERT)
    alerts.first.wait_for(state="visible", timeout=30_000)
    text = " ".join(alerts.all_inner_texts())
    assert re.search(rf"\b{re.escape(name)}\b", text), text
    assert page.evaluate("window.__xss === undefined")
    assert not dialogs
    assert_no_exception(page)
    assert query_of(page.url).get("h") == ["0.25,-0.5"]  # the good parameter is kept


def test_repeated_keys_use_the_last_value(page, base_url):
    open_page(page, f"{base_url}/?preset=remember&x=0.1,0.2&x=0.3,0.4")
    assert query_of(page.url).get("x") == ["0.3,0.4"]
    assert_no_exception(page)


def test_presenter_flag_from_the_link(new_page, base_url):
    page = new_page(1280, 720)
    open_page(page, app_url(base_url, preset="stackoverflow", presenter="1"))
    page.wait_for_selector(".js-plotly-plot text", timeout=30_000)
    page.wait_for_timeout(500)
    assert page.locator('[data-testid="stSidebar"][data-collapsed="true"]').count() == 1
    screenshot(page, "presenter-stackoverflow-1280x720")
    assert_no_exception(page)
