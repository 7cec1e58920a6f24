"""Links in a real browser: every page's state survives a reopen in a fresh session, and
a malformed or hostile link gives warnings, never an exception, never a script (one smoke
test: the codec's unit tests cover every kind of bad value)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from stbrowser import (
    app_url,
    assert_no_exception,
    normalize,
    open_page,
    screenshot,
    wait_for_value,
)

from explainer import lessons
from explainer.codec import decode
from explainer.lessons import compare_peepholes
from explainer.presets import build
from explainer.walkthrough import STEPS
from viz.diagram import compact

pytestmark = pytest.mark.browser

ALERT = '[data-testid="stAlert"]'
X0 = '.live input[type="range"][aria-label="x(t)[0]"]'  # the live cell's range input


def live_text(page) -> str:
    """Every number and label the live cell's diagram draws."""
    page.locator(".live[data-ready='1']").first.wait_for(state="attached", timeout=30_000)
    return normalize(" ".join(page.locator(".live svg text").all_text_contents()))


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def wait_for_url(page, pattern: str, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(
        "p => new RegExp(p).test(window.location.search)", arg=pattern, timeout=timeout_ms)


def wait_for_param(page, key: str, value: str, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(window.location.search).get(k) === v",
        arg=[key, value], timeout=timeout_ms)


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
    first.locator(".live:not([data-ack='0'])").wait_for(state="attached")  # server synced
    shown_first = live_text(first)

    second = new_page()
    open_page(second, link)
    assert live_text(second) == shown_first
    assert float(second.locator(X0).input_value()) == pytest.approx(0.65)
    assert f"{scenario.step().h[0]:.2f}" in live_text(second)


def expected_on(path: str, query: dict[str, str]) -> str:
    """A number the page shows only if it opened the link's scenario (4 decimals)."""
    s = decode(query).scenario
    if path == "Step_by_step":  # the step's result: g(t) = tanh(z_g), in the equation
        return f"{s.step().gate(s.view.walk.gate).a[0]:.4f}"
    if path == "Peepholes":  # f(t) with the link's peephole weights, in the table
        cmp = compare_peepholes(s.params, s.x, s.h_prev, s.c_prev)
        assert f"{cmp.peephole.f[0]:.4f}" != f"{cmp.basic.f[0]:.4f}"  # pf changes it
        return f"{cmp.peephole.f[0]:.4f}"
    if path == "Concatenation_vs_addition":  # σ(h + x)[0] with the Q&A's numbers
        return f"{lessons.naive_forget(s.params, s.x, s.h_prev, s.c_prev).naive[0]:.4f}"
    return str(s.view.sequence.T)  # Through_time: the sequence length on its slider


@pytest.mark.parametrize("path, query", [
    ("Step_by_step", {"preset": "stackoverflow", "step": "4"}),
    ("Concatenation_vs_addition", {"preset": "stackoverflow"}),
    ("Through_time", {"preset": "remember", "T": "123", "seq": "step"}),
    ("Peepholes", {"preset": "default", "peep": "1", "pf": "0.5,-0.5"}),
])
def test_each_page_keeps_its_link(new_page, base_url, path, query):
    first = new_page()
    open_page(first, app_url(base_url, path, **query))
    for key, value in query.items():  # the page writes the same scenario back
        wait_for_param(first, key, value)
    wait_for_value(first, expected_on(path, query))
    if path == "Step_by_step":
        assert first.locator("h3").filter(has_text=STEPS[4].title).count() == 1

    second = new_page()
    open_page(second, first.url)
    assert query_of(second.url) == query_of(first.url)
    wait_for_value(second, expected_on(path, query))
    assert_no_exception(second)


def test_a_hostile_link_warns_about_each_bad_parameter_and_keeps_the_rest(page, base_url):
    """One smoke test in the browser: the codec's unit tests cover each kind of bad value;
    here the page shows every warning as text, runs no script and keeps the good parameter."""
    hostile = {"x": "nan,1", "c": "1e309,0", "D": "1000000000", "step": "99",
               "preset": "<script>window.__xss=1</script>",
               "Wxf": '<img src=x onerror="window.__xss=1">', "seq": "javascript:alert(1)"}
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, app_url(base_url, **hostile, h="0.25,-0.5"))
    alerts = page.locator(ALERT)
    alerts.first.wait_for(state="visible", timeout=30_000)
    text = " ".join(alerts.all_inner_texts())
    for name in hostile:
        assert re.search(rf"\b{re.escape(name)}\b", text), (name, text)
    assert page.locator("img[src=x]").count() == 0 and "<script>" not in text
    assert page.evaluate("window.__xss === undefined")
    assert not dialogs
    assert_no_exception(page)
    assert query_of(page.url).get("h") == ["0.25,-0.5"]  # the good parameter is kept
    assert query_of(page.url).get("preset") == ["default"]


def test_repeated_keys_use_the_last_value(page, base_url):
    open_page(page, f"{base_url}/?preset=remember&x=0.1,0.2&x=0.3,0.4")
    assert query_of(page.url).get("x") == ["0.3,0.4"]
    assert_no_exception(page)


def test_presenter_flag_from_the_link(new_page, base_url):
    page = new_page(1280, 720)
    open_page(page, app_url(base_url, preset="stackoverflow", presenter="1"))
    page.wait_for_selector('[data-testid="stSidebar"][data-collapsed="true"]', state="attached",
                           timeout=30_000)
    # the diagram is drawn, its numbers in the presenter's compact form (0.30 as .30)
    assert normalize(compact(build("stackoverflow").step().h[1])) in live_text(page)
    screenshot(page, "presenter-stackoverflow-1280x720")
    assert_no_exception(page)
