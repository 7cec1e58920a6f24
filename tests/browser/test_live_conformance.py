"""The browser's mirror of lstm_step (ui/live/lstm.js) against the NumPy core, in real Chromium.

The live diagram computes each frame of a drag in JavaScript; the server (NumPy) stays the
authority. This test runs the core's own kinds of cases through the JavaScript and compares
every intermediate with lstm_core: random sizes (every D and H the app allows, D != H, and the
core's largest), peepholes on and off, a forget-bias offset, the URL's value and weight bounds,
and pre-activations up to |z| = 1000 (where a naive sigmoid overflows).

Tolerance: 1e-12, scaled by the size of the terms that are summed (NumPy's BLAS and the
JavaScript loop add in different orders, so a sum of terms of size S can differ by a few ulps of
S). The largest error seen is also checked to be tiny in absolute terms at ordinary scales.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from js_conformance import assert_matches, flatten, largest_error
from stbrowser import module_page

from explainer.presets import PRESETS, build
from explainer.scenario import UI_MAX_SIZE
from lstm_core import (
    GATE_ORDER,
    VALUE_LIMIT,
    WEIGHT_LIMIT,
    LSTMParams,
    lstm_step,
    lstm_step_backward,
)
from viz.live import params_data, step_data
from viz.live_gradient import grad_data

ROOT = Path(__file__).resolve().parents[2]
LSTM_JS = ROOT / "ui" / "live" / "lstm.js"
BACKWARD_JS = ROOT / "ui" / "live" / "lstm_backward.js"  # served after lstm.js, as the cell is
SIGMOID = ("i", "f", "o")


def random_case(rng: np.random.Generator, D: int, H: int, *, weight: float, value: float,
                bias: float | None = None):
    bias = weight if bias is None else bias
    params = LSTMParams.from_blocks(
        W_x={n: rng.uniform(-weight, weight, (D, H)) for n in GATE_ORDER},
        W_h={n: rng.uniform(-weight, weight, (H, H)) for n in GATE_ORDER},
        b={n: rng.uniform(-bias, bias, H) for n in GATE_ORDER},
        w_c={n: rng.uniform(-weight, weight, H) for n in SIGMOID},
        forget_bias=float(rng.choice([0.0, 1.0, rng.uniform(-3, 3)])),
        use_peepholes=bool(rng.integers(2)))
    return (params, rng.uniform(-value, value, D), rng.uniform(-value, value, H),
            rng.uniform(-value, value, H))


def extreme_case(sign: dict[str, float], D: int = 2, H: int = 3):
    """The core's own |z| = 1000 case: every gate driven to ±1000 by its bias."""
    params = LSTMParams.from_blocks(
        W_x={n: np.zeros((D, H)) for n in GATE_ORDER},
        W_h={n: np.zeros((H, H)) for n in GATE_ORDER},
        b={n: np.full(H, 1000.0 * sign[n]) for n in GATE_ORDER})
    return params, np.ones(D), np.ones(H), np.array([0.7, -0.3, 2.0])


def cases() -> list[tuple]:
    rng = np.random.default_rng(20261203)
    out = []
    for D in range(1, UI_MAX_SIZE + 1):  # every size the app allows, D != H among them
        for H in range(1, UI_MAX_SIZE + 1):
            out.append(random_case(rng, D, H, weight=WEIGHT_LIMIT, value=VALUE_LIMIT))
            out.append(random_case(rng, D, H, weight=1.0, value=1.0))  # ordinary scale
    for _ in range(40):  # random sizes up to the core's own bound
        D, H = (int(v) for v in rng.integers(1, 65, 2))
        out.append(random_case(rng, D, H, weight=2.0, value=3.0))
    for _ in range(20):  # saturated: biases up to ±1000
        D, H = (int(v) for v in rng.integers(1, UI_MAX_SIZE + 1, 2))
        out.append(random_case(rng, D, H, weight=5.0, value=3.0, bias=1000.0))
    out.append(extreme_case({"i": -1.0, "f": 1.0, "g": -1.0, "o": 1.0}))
    out.append(extreme_case({"i": 1.0, "f": -1.0, "g": 1.0, "o": -1.0}))
    for name in PRESETS:
        s = build(name)
        out.append((s.params, s.x, s.h_prev, s.c_prev))
    return out


def js_steps(page, batch: list[tuple]) -> list[dict]:
    payload = [{"params": params_data(p), "x": list(map(float, x)),
                "h": list(map(float, h)), "c": list(map(float, c))} for p, x, h, c in batch]
    return page.evaluate(
        """async (cases) => {
             const m = await import('/lstm.js');
             return cases.map(k => m.lstmStep(k.params, k.x, k.h, k.c));
           }""", payload)


@pytest.fixture
def live_page(context):
    return module_page(context, "lstm.js", LSTM_JS.read_text() + "\n" + BACKWARD_JS.read_text())


def scale_of(params: LSTMParams, x, h, c) -> float:
    """The largest sum of absolute terms any pre-activation adds up (the size of a few ulps)."""
    step = lstm_step(params, x, h, c)
    biggest = 0.0
    for gate in step.gates:
        W = params.gate(gate.spec.name)
        terms = np.abs(W.W_x).T @ np.abs(x) + np.abs(W.W_h).T @ np.abs(h) + np.abs(gate.b) \
            + np.abs(gate.peephole) + abs(gate.offset)
        biggest = max(biggest, float(terms.max()))
    return biggest * (1.0 + float(np.abs(c).max()))  # c(t) = f ⊗ c(t-1) + i ⊗ g carries it


def test_js_step_equals_numpy_on_every_intermediate(live_page):
    batch = cases()
    got = js_steps(live_page, batch)
    assert len(got) == len(batch)
    worst_plain = 0.0
    for k, ((params, x, h, c), js) in enumerate(zip(batch, got)):
        want = flatten(step_data(lstm_step(params, x, h, c)))
        have = flatten(js)
        tol = 1e-12 * (1.0 + scale_of(params, x, h, c))
        assert_matches(have, want, tol, f"case {k} (D={params.D}, H={params.H}, "
                       f"peepholes={params.use_peepholes}, fb={params.forget_bias})")
        if params.D <= UI_MAX_SIZE and float(np.abs(want["f.z"]).max()) <= 50:
            worst_plain = max(worst_plain, largest_error(have, want))
    assert worst_plain <= 1e-12  # at the app's ordinary scales: 1e-12 absolute, unscaled


def test_js_saturates_exactly_where_numpy_does(live_page):
    """|z| = 1000: gates exactly 0/1 (no NaN from exp overflow); c kept or overwritten exactly."""
    remember = extreme_case({"i": -1.0, "f": 1.0, "g": -1.0, "o": 1.0})
    overwrite = extreme_case({"i": 1.0, "f": -1.0, "g": 1.0, "o": -1.0})
    kept, written = js_steps(live_page, [remember, overwrite])
    assert kept["gates"]["f"]["a"] == [1.0, 1.0, 1.0]
    assert all(0.0 <= v < 1e-300 for v in kept["gates"]["i"]["a"])
    assert kept["c"] == [0.7, -0.3, 2.0]
    assert written["c"] == [1.0, 1.0, 1.0]
    sig = live_page.evaluate("""async () => { const m = await import('/lstm.js');
        return [-1000, -745, 0, 40, 1000].map(m.sigmoid); }""")
    assert sig[2] == 0.5 and sig[3] == 1.0 and sig[4] == 1.0 and 0.0 <= sig[0] < 1e-300


# -- the backward pass (issue 14): ui/live/lstm_backward.js against lstm_step_backward --------
def js_backward(page, batch: list[tuple]) -> list[dict]:
    payload = [{"params": params_data(p), "x": list(map(float, x)), "h": list(map(float, h)),
                "c": list(map(float, c)), "dh": list(map(float, dh)), "dc": list(map(float, dc))}
               for p, x, h, c, dh, dc in batch]
    return page.evaluate(
        """async (cases) => {
             const m = await import('/lstm.js');
             return cases.map(k => m.lstmStepBackward(k.params, m.lstmStep(k.params, k.x, k.h, k.c),
                                                      k.dh, k.dc));
           }""", payload)


def test_js_backward_equals_numpy_on_every_gradient(live_page):
    """dx, dh_prev, dc_prev, dc_total, every gate's da and dz, and every parameter gradient
    (dW_x, dW_h, db, dw_c), for the forward test's cases with random dh = ∂L/∂h(t) and
    dc = ∂L/∂c(t). Tolerance as there, the term sizes now multiplied by the incoming gradient
    and the weights it passes back through."""
    rng = np.random.default_rng(20261204)
    batch = [(p, x, h, c, rng.uniform(-2, 2, p.H), rng.uniform(-2, 2, p.H))
             for p, x, h, c in cases()]
    got = js_backward(live_page, batch)
    assert len(got) == len(batch)
    worst_plain, plain_cases = 0.0, 0
    for k, ((params, x, h, c, dh, dc), js) in enumerate(zip(batch, got)):
        grad = lstm_step_backward(params, lstm_step(params, x, h, c), dh, dc)
        want, have = flatten(grad_data(grad)), flatten(js)
        weights = max(float(np.abs(params.gate(n).W_x).max(initial=0.0)) for n in GATE_ORDER)
        weights = max(weights, *(float(np.abs(params.gate(n).W_h).max()) for n in GATE_ORDER))
        incoming = 1.0 + float(np.abs(dh).max()) + float(np.abs(dc).max())
        tol = 1e-12 * (1.0 + scale_of(params, x, h, c)) * incoming * (1.0 + weights) ** 2 * (
            params.D + params.H)
        assert_matches(have, want, tol, f"case {k} (D={params.D}, H={params.H}, "
                       f"peepholes={params.use_peepholes})",
                       absent_is_nan=True)  # dw_c of the candidate: none in either
        plain = max(float(np.abs(params.gate(n).W_x).max()) for n in GATE_ORDER) <= 1.0
        if params.D <= UI_MAX_SIZE and plain and float(np.abs(want["f.da"]).max()) <= 50:
            plain_cases += 1
            worst_plain = max(worst_plain, largest_error(have, want))
    assert plain_cases >= 60  # the ordinary-scale cases of every size
    assert worst_plain <= 1e-12  # at the app's ordinary scales: 1e-12 absolute, unscaled
