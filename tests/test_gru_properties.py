"""Properties of one GRU step that hold for any weights and inputs (hypothesis)."""

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lstm_core import GRU_GATES, GRUParams, gru_step, gru_step_backward

NAMES = tuple(spec.name for spec in GRU_GATES)
relaxed = settings(deadline=None, max_examples=100)  # no deadline: a shared 2-core machine


def finite(limit):
    return st.floats(-limit, limit, allow_nan=False, allow_infinity=False)


@st.composite
def cells(draw, weight=1.5, value=1.5, max_size=6, batch=()):
    """(params, x, h_prev) with D, H in 1..max_size and a random reset placement. With the
    defaults |pre| <= 6·1.5·1.5 + 6·1.5·1 + 2·1.5 = 25.5, where σ is still inside (0, 1)
    (σ(25.5) = 1 - 8e-12), while tanh already rounds to ±1 from about 19.1."""
    D, H = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))

    def mat(shape, limit):
        return draw(hnp.arrays(np.float64, shape, elements=finite(limit)))

    params = GRUParams.from_blocks(
        W_x={n: mat((D, H), weight) for n in NAMES}, W_h={n: mat((H, H), weight) for n in NAMES},
        b_x={n: mat((H,), weight) for n in NAMES}, b_h={n: mat((H,), weight) for n in NAMES},
        reset_after=draw(st.booleans()))
    return params, mat((*batch, D), value), mat((*batch, H), min(value, 1.0))


@relaxed
@given(cells())
def test_gates_strictly_inside_the_unit_interval(cell):
    step = gru_step(*cell)
    for a in (step.z, step.r):
        assert np.all((a > 0.0) & (a < 1.0))
    assert np.all(np.abs(step.g) <= 1.0)


@relaxed
@given(cells(weight=1e3, value=1e3))
def test_saturated_cells_stay_in_range_without_warnings(cell):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step = gru_step(*cell)
        grads = gru_step_backward(cell[0], step, np.ones_like(step.h))
    for a in (step.z, step.r):
        assert np.all((a >= 0.0) & (a <= 1.0))
    assert np.all(np.abs(step.g) <= 1.0) and np.all(np.isfinite(grads.dx))


@relaxed
@given(cells())
def test_h_lies_between_h_prev_and_the_candidate(cell):
    step = gru_step(*cell)
    lo, hi = np.minimum(step.h_prev, step.g), np.maximum(step.h_prev, step.g)
    ulp = 4 * np.finfo(np.float64).eps  # |h_prev|, |g| <= 1: a few roundings of size eps
    assert np.all((step.h >= lo - ulp) & (step.h <= hi + ulp))


@relaxed
@given(cells())
def test_the_recorded_intermediates_add_up(cell):
    params, x, h_prev = cell
    s = gru_step(params, x, h_prev)
    assert np.array_equal(s.xh, np.concatenate([h_prev, x]))
    for name, layer in zip(NAMES, s.gates):
        gate = params.gate(name)
        assert layer is s.gate(name) and layer.spec.name == name
        assert np.array_equal(layer.pre, layer.Wx_x + gate.b_x + layer.rec)
        assert np.array_equal(layer.Wh_h_b, layer.Wh_h + gate.b_h)
        assert np.allclose(layer.Wx_x, gate.W_x.T @ x, rtol=0, atol=1e-13)
        assert np.allclose(layer.Wh_h, gate.W_h.T @ layer.h_in, rtol=0, atol=1e-13)
    assert np.array_equal(s.one_minus_z, 1.0 - s.z)
    assert np.array_equal(s.z_h_prev, s.z * h_prev)
    assert np.array_equal(s.one_minus_z_g, (1.0 - s.z) * s.g)
    assert np.array_equal(s.h, s.z_h_prev + s.one_minus_z_g) and s.y is s.h
    assert (s.pre_z, s.pre_r, s.pre_g) == (s.update.pre, s.reset.pre, s.candidate.pre)


@relaxed
@given(cells(max_size=4), st.data())
def test_backward_agrees_with_a_directional_difference(cell, data):
    """dL/dε of L(x + εu, h_prev + εv, W + εU) equals dx·u + dh_prev·v + Σ dW·U."""
    params, x, h_prev = cell
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    dh, u, v = rng.uniform(-1, 1, h_prev.shape), rng.uniform(-1, 1, x.shape), \
        rng.uniform(-1, 1, h_prev.shape)
    nudges = {(n, f): rng.uniform(-1, 1, np.shape(getattr(params.gate(n), f)))
              for n in NAMES for f in ("W_x", "W_h", "b_x", "b_h")}

    def loss(eps):
        p = params
        for (n, f), U in nudges.items():
            p = p.with_gate(n, **{f: getattr(params.gate(n), f) + eps * U})
        return np.sum(gru_step(p, x + eps * u, h_prev + eps * v).h * dh)

    grads = gru_step_backward(params, gru_step(params, x, h_prev), dh)
    predicted = grads.dx @ u + grads.dh_prev @ v + sum(
        np.sum(getattr(grads.params.gate(n), f) * U) for (n, f), U in nudges.items())
    eps = 1e-5
    numeric = (loss(eps) - loss(-eps)) / (2 * eps)
    assert abs(numeric - predicted) <= 1e-6 * (1 + abs(predicted))


@relaxed
@given(cells(batch=(3,)))
def test_a_batch_is_its_examples(cell):
    params, xs, hs = cell
    batch = gru_step(params, xs, hs)
    for k in range(3):
        one = gru_step(params, xs[k], hs[k])
        assert np.allclose(batch.h[k], one.h, rtol=0, atol=1e-15)
        assert np.allclose(batch.g[k], one.g, rtol=0, atol=1e-15)
