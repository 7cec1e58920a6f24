"""Browser: press Train, watch the accuracy change live to what train() computes, then follow
the trained cell's link into the explorer."""

from __future__ import annotations

from stbrowser import (
    PLOTLY,
    app_url,
    assert_no_exception,
    normalize,
    open_page,
    page_text,
    screenshot,
    wait_idle,
)

from lstm_core.training import CELLS, Trainer, train

METRIC = '[data-testid="stMetric"]'


def metric_values(page) -> list[str]:
    return [normalize(v) for v in
            page.locator(f'{METRIC} [data-testid="stMetricValue"]').all_inner_texts()]


def test_train_watches_accuracy_change_and_opens_the_trained_cell(page, base_url):
    open_page(page, app_url(base_url, "Train"))
    steps = page.get_by_label("Updates (mini-batches of 32)")
    steps.fill("60")
    steps.press("Tab")
    page.get_by_role("button", name="Train", exact=True).click()
    expected = [f"{train(c, 'remember', seq_len=50, hidden_size=8, seed=0, steps=60).accuracy:.3f}"
                for c in CELLS]  # every cell the core trains is offered and trained
    start = Trainer('lstm', 'remember', seq_len=50, hidden_size=8).snapshots[0]
    untrained = f"{start.accuracy:.3f}"
    assert untrained != expected[0]  # so the wait below sees a real change
    page.locator(METRIC).first.wait_for(timeout=60_000)
    page.wait_for_function(  # live: the LSTM's accuracy changes while training runs
        "(before) => { const v = document.querySelector('[data-testid=\"stMetricValue\"]');"
        " return v && v.innerText.trim() !== before; }", arg=untrained, timeout=180_000)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stProgress\"]')?.innerText"
        ".includes('Finished.')", timeout=180_000)
    page.get_by_role("heading", name="Inside the trained LSTM").wait_for(timeout=60_000)
    wait_idle(page)
    assert_no_exception(page)
    assert metric_values(page) == expected
    assert f"Finished. {60 * len(CELLS)} of {60 * len(CELLS)} updates" in page_text(page)
    assert page.locator(PLOTLY).count() >= 2
    screenshot(page, "train_finished")
    for n in range(2):  # the progress curves, then the trained LSTM's gates
        page.locator(PLOTLY).nth(n).scroll_into_view_if_needed()
        screenshot(page, f"train_chart_{n}")

    link = page.get_by_role("link", name="Open step 1 in a new tab")
    href = link.get_attribute("href")
    assert href.startswith("./?v=1&preset=default&D=1&H=8")
    with page.context.expect_page() as opened:
        link.click()
    explorer = opened.value
    explorer.locator("h1").first.wait_for(timeout=60_000)
    open_page(explorer, explorer.url)
    assert "D = 1 inputs, H = 8 units" in page_text(explorer)
    assert "Link parameter ignored" not in page_text(explorer)
    screenshot(explorer, "train_opened_in_explorer")
