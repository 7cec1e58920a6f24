"""The browser's mirror of gru_step (ui/live/gru.js) against the NumPy core, in real Chromium.

Like the LSTM's conformance test: every intermediate of the JavaScript step is compared with
lstm_core.gru_step for both reset placements, every size the app allows (D != H among them),
random sizes up to the core's bound, the link's value and weight bounds, the presets, and
pre-activations up to |pre| = 1000. Tolerance 1e-12, scaled by the size of the summed terms
(BLAS and the JavaScript loop add in different orders); unscaled 1e-12 at ordinary scales.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from js_conformance import assert_matches, flatten, largest_error
from stbrowser import module_page

from explainer.presets import PRESETS, build
from explainer.scenario import UI_MAX_SIZE
from lstm_core import GRU_GATE_ORDER, VALUE_LIMIT, WEIGHT_LIMIT, GRUParams, gru_step
from viz.live_gru import gru_params_data, gru_step_data

ROOT = Path(__file__).resolve().parents[2]
LIVE = ROOT / "ui" / "live"


def random_case(rng, D: int, H: int, *, weight: float, value: float, bias: float | None = None,
                reset_after: bool):
    bias = weight if bias is None else bias
    params = GRUParams.from_blocks(
        W_x={n: rng.uniform(-weight, weight, (D, H)) for n in GRU_GATE_ORDER},
        W_h={n: rng.uniform(-weight, weight, (H, H)) for n in GRU_GATE_ORDER},
        b_x={n: rng.uniform(-bias, bias, H) for n in GRU_GATE_ORDER},
        b_h={n: rng.uniform(-bias, bias, H) for n in GRU_GATE_ORDER},
        reset_after=reset_after)
    return params, rng.uniform(-value, value, D), rng.uniform(-value, value, H)


def extreme_case(sign: dict[str, float], reset_after: bool, D: int = 2, H: int = 3):
    """Every layer driven to ±1000 by its input-side bias."""
    params = GRUParams.from_blocks(
        W_x={n: np.zeros((D, H)) for n in GRU_GATE_ORDER},
        W_h={n: np.zeros((H, H)) for n in GRU_GATE_ORDER},
        b_x={n: np.full(H, 1000.0 * sign[n]) for n in GRU_GATE_ORDER},
        b_h={n: np.zeros(H) for n in GRU_GATE_ORDER}, reset_after=reset_after)
    return params, np.ones(D), np.array([0.7, -0.3, 0.9])


def cases() -> list[tuple]:
    rng = np.random.default_rng(20261204)
    out = []
    for reset_after in (True, False):
        for D in range(1, UI_MAX_SIZE + 1):
            for H in range(1, UI_MAX_SIZE + 1):
                out.append(random_case(rng, D, H, weight=WEIGHT_LIMIT, value=VALUE_LIMIT,
                                       reset_after=reset_after))
                out.append(random_case(rng, D, H, weight=1.0, value=1.0,
                                       reset_after=reset_after))
        for _ in range(20):  # random sizes up to the core's own bound
            D, H = (int(v) for v in rng.integers(1, 65, 2))
            out.append(random_case(rng, D, H, weight=2.0, value=3.0, reset_after=reset_after))
        for _ in range(10):  # saturated: biases up to ±1000
            D, H = (int(v) for v in rng.integers(1, UI_MAX_SIZE + 1, 2))
            out.append(random_case(rng, D, H, weight=5.0, value=3.0, bias=1000.0,
                                   reset_after=reset_after))
        out.append(extreme_case({"z": 1.0, "r": -1.0, "g": -1.0}, reset_after))
        out.append(extreme_case({"z": -1.0, "r": 1.0, "g": 1.0}, reset_after))
    for name in PRESETS:
        s = build(name)
        out.append((s.gru, s.x, s.h_prev))
    return out


def js_steps(page, batch: list[tuple]) -> list[dict]:
    payload = [{"params": gru_params_data(p), "x": list(map(float, x)),
                "h": list(map(float, h))} for p, x, h in batch]
    return page.evaluate(
        """async (cases) => {
             const m = await import('/gru.js');
             return cases.map(k => m.gruStep(k.params, k.x, k.h));
           }""", payload)


@pytest.fixture
def live_page(context):
    """A blank page serving /gru.js: lstm.js then gru.js, one module, as the live cell loads
    them (gru.js uses lstm.js's sigmoid and product)."""
    return module_page(context, "gru.js", (LIVE / "lstm.js").read_text() + "\n"
                       + (LIVE / "gru.js").read_text())


def scale_of(params: GRUParams, x, h) -> float:
    """The largest sum of absolute terms any pre-activation adds up (the size of a few ulps)."""
    biggest = 0.0
    for n in GRU_GATE_ORDER:
        gate = params.gate(n)
        terms = (np.abs(gate.W_x).T @ np.abs(x) + np.abs(gate.b_x)
                 + np.abs(gate.W_h).T @ np.abs(h) + np.abs(gate.b_h))
        biggest = max(biggest, float(terms.max()))
    return biggest * (1.0 + float(np.abs(h).max()))


def test_js_gru_step_equals_numpy_on_every_intermediate(live_page):
    batch = cases()
    got = js_steps(live_page, batch)
    assert len(got) == len(batch)
    worst_plain = 0.0
    placements = set()
    for k, ((params, x, h), js) in enumerate(zip(batch, got)):
        want = flatten(gru_step_data(gru_step(params, x, h)), skip=("reset_after",))
        have = flatten(js, skip=("reset_after",))
        assert js["reset_after"] == params.reset_after
        placements.add(params.reset_after)
        tol = 1e-12 * (1.0 + scale_of(params, x, h))
        assert_matches(have, want, tol, f"case {k} (D={params.D}, H={params.H}, "
                       f"reset_after={params.reset_after})")
        if params.D <= UI_MAX_SIZE and scale_of(params, x, h) <= 50:
            worst_plain = max(worst_plain, largest_error(have, want))
    assert placements == {True, False}
    assert worst_plain <= 1e-12  # at the app's ordinary scales: 1e-12 absolute, unscaled


def test_js_gru_saturates_exactly_where_numpy_does(live_page):
    """|pre| = 1000: z exactly 1 keeps h(t-1) exactly; z exactly 0 writes g exactly."""
    keep = extreme_case({"z": 1.0, "r": -1.0, "g": -1.0}, True)
    write = extreme_case({"z": -1.0, "r": 1.0, "g": 1.0}, False)
    kept, written = js_steps(live_page, [keep, write])
    assert kept["gates"]["z"]["a"] == [1.0, 1.0, 1.0]
    assert kept["h"] == [0.7, -0.3, 0.9]
    assert written["h"] == [1.0, 1.0, 1.0]
    assert kept["h"] == gru_step(*keep).h.tolist() and written["h"] == gru_step(*write).h.tolist()


def test_the_placements_differ_in_js_as_in_numpy(live_page):
    s = build("gru-reset-before")
    after = (GRUParams.from_blocks(
        **{f: {n: getattr(s.gru.gate(n), f) for n in GRU_GATE_ORDER}
           for f in ("W_x", "W_h", "b_x", "b_h")}, reset_after=True), s.x, s.h_prev)
    js_before, js_after = js_steps(live_page, [(s.gru, s.x, s.h_prev), after])
    np.testing.assert_allclose(js_before["h"], s.gru_step().h, rtol=0, atol=1e-15)
    np.testing.assert_allclose(js_after["h"], gru_step(*after).h, rtol=0, atol=1e-15)
    assert np.abs(np.subtract(js_before["h"], js_after["h"])).max() > 0.01
