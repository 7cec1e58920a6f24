"""Browser: each learning page opens from a link without an error and shows a key number from
the core; the stepper follows the keyboard and writes the step into the URL."""

from __future__ import annotations

import pytest
from stbrowser import PLOTLY, app_url, assert_no_exception, open_page, page_text, screenshot

from explainer.lessons import order_mixup, rnn_vs_lstm
from explainer.presets import build

QA, DEFAULT = build("stackoverflow"), build("default")


def first(values, decimals: int = 4) -> str:
    return f"{values[0]:.{decimals}f}"


CASES = [  # (page path, query, a number the page must show)
    ("Step_by_step", {"step": "2"}, first(DEFAULT.step().f)),
    ("Concatenation_vs_addition", {"preset": "stackoverflow"}, "0.47502081"),
    ("Peepholes", {"pf": "1,1"}, first(DEFAULT.step().c)),
    ("Common_mistakes", {}, "36.7368"),
    ("RNN_vs_LSTM", {}, first(rnn_vs_lstm(DEFAULT.params, DEFAULT.x, DEFAULT.h_prev,
                                          DEFAULT.c_prev).rnn.h)),
]


@pytest.mark.parametrize("path,query,number", CASES, ids=[c[0] for c in CASES])
def test_learning_page_opens_and_shows_core_number(page, base_url, path, query, number):
    open_page(page, app_url(base_url, path, **query), expect=PLOTLY)
    page.wait_for_function("n => document.body.innerText.includes(n)", arg=number,
                           timeout=30_000)
    assert number in page_text(page)
    assert_no_exception(page)
    screenshot(page, f"learning_{path}", full_page=True)


def test_stepper_keyboard_and_url(page, base_url):
    open_page(page, app_url(base_url, "Step_by_step", step="2"), expect=PLOTLY)
    page.get_by_role("heading", name="3. Forget gate").wait_for()
    page.locator("h1").first.click()  # focus the page, not a widget
    page.keyboard.press("ArrowRight")
    page.get_by_role("heading", name="4. Input gate").wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('step=3')", timeout=30_000)
    page.get_by_role("button", name="Previous").click()
    page.get_by_role("heading", name="3. Forget gate").wait_for(timeout=30_000)
    assert_no_exception(page)


def test_gate_order_mixup_numbers(page, base_url):
    open_page(page, app_url(base_url, "Common_mistakes"), expect=PLOTLY)
    page.get_by_role("tab", name="5 · Gate order").click()
    wrong = order_mixup(DEFAULT.params, DEFAULT.x, DEFAULT.h_prev, DEFAULT.c_prev)
    page.get_by_text(f"h(t) off by up to {wrong.h_diff:.4f}").wait_for(timeout=30_000)
    assert_no_exception(page)
    screenshot(page, "learning_gate_order")
