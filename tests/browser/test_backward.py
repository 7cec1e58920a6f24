"""Browser: the "Backward pass" page draws the live cell in gradient mode with
lstm_step_backward's numbers; a forward value moved in it changes the gradients before the
server hears of it, and a target slider recomputes them on the server."""

from __future__ import annotations

from stbrowser import app_url, assert_no_exception, normalize, open_page, screenshot

from explainer.backward import backward_pass
from explainer.presets import build
from explainer.scenario import LossSettings
from viz.diagram import compact_gradient

COMPONENT = ".live[data-ready='1']"


def cells(page, vector: str) -> list[str]:
    group = page.locator(".live").first.locator(f'g.slot[data-vector="{vector}"] text')
    return [normalize(t) for t in group.all_text_contents()]


def gnum(v: float) -> str:
    """As the live cell prints a gradient (gfmt): 2 decimals, or 1e-3-style when small."""
    if v == 0 or abs(v) >= 0.01:
        s = f"{v:.2f}"
        return s[1:] if s.startswith("-") and float(s) == 0 else s
    m, e = f"{v:.0e}".split("e")
    return f"{m}e{int(e)}"


def loss_text(page) -> str:
    return normalize(page.locator('[data-testid="stMetricValue"]').first.inner_text())


def test_backward_page_shows_the_core_gradients_and_follows_moves(page, base_url):
    open_page(page, app_url(base_url, "Backward_pass", preset="highway"))
    page.locator(COMPONENT).wait_for(state="attached", timeout=60_000)
    run = backward_pass(build("highway"))
    assert loss_text(page) == f"{run.loss:.6f}"
    assert cells(page, "x") == [gnum(v) for v in run.grad.dx]  # ∂L/∂x(t) on the x strip
    assert cells(page, "c_prev") == [gnum(v) for v in run.grad.dc_prev]
    assert cells(page, "c") == [gnum(v) for v in run.grad.dc_total]
    screenshot(page, "backward_pass")

    # a forward value moved in the component: the gradients follow in the browser at once
    before = cells(page, "x")
    page.locator('.live input[type="range"][aria-label="x(t)[0]"]').press("ArrowRight")
    page.wait_for_function(
        "b => [...document.querySelectorAll('.live g.slot[data-vector=\"x\"] text')]"
        ".map(t => t.textContent).join('|') !== b", arg="|".join(before).replace("-", "\u2212"),
        timeout=10_000)
    # ... and after the hand rests the server agrees (URL, loss)
    page.wait_for_function("() => new URL(location.href).searchParams.has('x')",
                           timeout=30_000)
    moved = build("highway").with_vector("x", 0, 0.55)
    page.wait_for_function(
        "v => document.querySelector('[data-testid=\"stMetricValue\"]').innerText.trim() === v",
        arg=f"{backward_pass(moved).loss:.6f}", timeout=30_000)
    assert cells(page, "x") == [gnum(v) for v in backward_pass(moved).grad.dx]

    # a target slider (a Streamlit widget) recomputes on the server
    thumb = page.locator('[data-testid="stSlider"]:has-text("target[0]") input[type="range"]')
    thumb.press("ArrowLeft")  # target[0]: 1.00 -> 0.95
    moved = moved.with_view(loss=LossSettings(target=(0.95, -1.0)))
    page.wait_for_function(
        "v => document.querySelector('[data-testid=\"stMetricValue\"]').innerText.trim() === v",
        arg=f"{backward_pass(moved).loss:.6f}", timeout=30_000)
    page.wait_for_function("() => location.search.includes('target=0.95')", timeout=30_000)
    assert_no_exception(page)
    screenshot(page, "backward_pass_moved")


def test_presenter_prints_gradients_compactly_inside_their_squares_and_keys_step(new_page,
                                                                                   base_url):
    """Presenter mode: the gradients in the compact form viz.diagram.compact_gradient gives
    (the browser computes them: same text), each inside its square; PageDown steps."""
    page = new_page(1280, 720)
    open_page(page, app_url(base_url, "Backward_pass", preset="highway", presenter="1",
                            bstep="5", loss="direct", dh="0.01,-0.01"))
    page.locator(COMPONENT).wait_for(state="attached", timeout=60_000)
    run = backward_pass(build("highway").with_view(
        loss=LossSettings(kind="direct", dh=(0.01, -0.01))))
    assert cells(page, "x") == [normalize(compact_gradient(v)) for v in run.grad.dx]
    assert cells(page, "x")[0].startswith("-") and "e" in cells(page, "x")[0]  # −3e-5
    assert cells(page, "c_prev") == [normalize(compact_gradient(v)) for v in run.grad.dc_prev]
    spill = page.locator(".live").first.evaluate("""live => [...live.querySelectorAll(
        'g.slot rect.cell')].filter(r => { const t = r.nextElementSibling.getBBox(),
        b = r.getBBox(); return t.x < b.x - 0.5 || t.x + t.width > b.x + b.width + 0.5; })
        .map(r => r.nextElementSibling.textContent)""")
    assert not spill, spill
    page.keyboard.press("PageUp")
    page.wait_for_function("() => new URL(location.href).searchParams.get('bstep') === '4'",
                           timeout=30_000)
    screenshot(page, "backward_pass_presenter")
