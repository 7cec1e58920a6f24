"""The backward pass against PyTorch autograd (float64 fixtures made by
scripts/make_torch_grad_fixtures.py) and against central finite differences through the
project's own forward pass."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lstm_core import (
    GATE_NAMES,
    LSTMParams,
    LSTMTrace,
    RNNParams,
    lstm_step,
    lstm_step_backward,
    rnn_step_backward,
    unroll,
    unroll_backward,
    unroll_rnn,
    unroll_rnn_backward,
)

FIXTURES = Path(__file__).parent / "fixtures" / "torch_lstm_grad.json"
DATA = json.loads(FIXTURES.read_text())
CASES = DATA["cases"]
TOL = 1e-12  # relative to the largest reference value of each array (and absolute below 1)
FIELDS = ("W_x", "W_h", "b", "w_c")


def case_id(case):
    return f"D{case['D']}-H{case['H']}-T{case['T']}-fb{case['forget_bias']}-s{case['seed']}"


def arr(case, key):
    return np.array(case[key], dtype=np.float64)


def case_params(case):
    params = LSTMParams.from_torch(*(arr(case, k)
                                     for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))
    return replace(params, forget_bias=case["forget_bias"])


def assert_close(actual, expected, what, tol=TOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    err = float(np.max(np.abs(actual - expected), initial=0.0))
    assert err <= tol * scale, f"{what}: max abs error {err:.3e} > {tol} × {scale:.3g}"


def torch_layout(grad: LSTMParams):
    """Our per-gate gradients in torch's layout: (weight_ih, weight_hh, bias)."""
    weight_ih, weight_hh, bias, _ = grad.to_torch()
    return weight_ih, weight_hh, bias


# -- PyTorch autograd ---------------------------------------------------------------------------
def test_fixture_covers_the_brief():
    assert DATA["dtype"] == "float64" and DATA["gate_order"] == ["i", "f", "g", "o"]
    assert any(c["D"] != c["H"] for c in CASES)
    assert max(c["T"] for c in CASES) == 50
    assert any(c["T"] == 1 for c in CASES)
    assert any(c["forget_bias"] != 0 for c in CASES)
    saturated = 0
    for case in CASES:
        trace = unroll(case_params(case), arr(case, "xs"), arr(case, "h0"), arr(case, "c0"))
        z = np.concatenate([trace.over_time(f"z_{n}") for n in GATE_NAMES], axis=1)
        saturated += np.max(np.abs(z)) > 15  # σ'(z) < 1e-6: a saturated gate
    assert saturated >= 2


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_unroll_backward_matches_torch_autograd(case):
    params = case_params(case)
    trace = unroll(params, arr(case, "xs"), arr(case, "h0"), arr(case, "c0"))
    assert_close(trace.over_time("h"), arr(case, "hs"), "forward h")
    assert_close(trace.over_time("c"), arr(case, "cs"), "forward c")
    grads = unroll_backward(trace, arr(case, "dhs"), arr(case, "dc_last"))
    assert_close(grads.dxs, arr(case, "grad_xs"), "dxs")
    assert_close(grads.dh0, arr(case, "grad_h0"), "dh0")
    assert_close(grads.dc0, arr(case, "grad_c0"), "dc0")
    weight_ih, weight_hh, bias = torch_layout(grads.params)
    assert_close(weight_ih, arr(case, "grad_weight_ih"), "d weight_ih")
    assert_close(weight_hh, arr(case, "grad_weight_hh"), "d weight_hh")
    assert_close(bias, arr(case, "grad_bias"), "d bias")


@pytest.mark.parametrize("case", [c for c in CASES if c["T"] == 1], ids=case_id)
def test_one_step_backward_matches_torch_autograd(case):
    params = case_params(case)
    step = lstm_step(params, arr(case, "xs")[0], arr(case, "h0"), arr(case, "c0"))
    g = lstm_step_backward(params, step, arr(case, "dhs")[0], arr(case, "dc_last"))
    assert_close(g.dx, arr(case, "grad_xs")[0], "dx")
    assert_close(g.dh_prev, arr(case, "grad_h0"), "dh_prev")
    assert_close(g.dc_prev, arr(case, "grad_c0"), "dc_prev")
    # torch's bias gradient is dL/dz itself, block by block (rows i, f, g, o)
    H = case["H"]
    for k, name in enumerate(GATE_NAMES):
        assert_close(getattr(g, f"dz_{name}"), arr(case, "grad_bias")[k * H:(k + 1) * H],
                     f"dz_{name}")
    for got, key in zip(torch_layout(g.params), ("grad_weight_ih", "grad_weight_hh", "grad_bias")):
        assert_close(got, arr(case, key), key)


# -- central finite differences through our own forward pass -----------------------------------
def with_peepholes(params: LSTMParams, seed: int, scale: float = 1.0) -> LSTMParams:
    rng = np.random.default_rng(seed)
    for name in ("i", "f", "o"):
        params = params.with_gate(name, w_c=rng.uniform(-scale, scale, params.H))
    return replace(params, use_peepholes=True)


def loss_of(params, xs, h0, c0, dhs, dc_last):
    """L = Σ_t dhs[t]·h(t) + dc_last·c(T), through `unroll` (our forward pass)."""
    trace = unroll(params, xs, h0, c0)
    return float(np.sum(dhs * trace.over_time("h")) + dc_last @ trace.steps[-1].c)


def flat_params(params: LSTMParams) -> np.ndarray:
    return np.concatenate([np.ravel(getattr(params.gate(n), f)) for n in GATE_NAMES
                           for f in FIELDS if getattr(params.gate(n), f) is not None])


def unflat_params(template: LSTMParams, flat: np.ndarray) -> LSTMParams:
    out, k = template, 0
    for n in GATE_NAMES:
        for f in FIELDS:
            old = getattr(template.gate(n), f)
            if old is None:
                continue
            out = out.with_gate(n, **{f: flat[k:k + old.size].reshape(old.shape)})
            k += old.size
    return out


def problem(D, H, T, seed, *, weight_scale=1.0, input_scale=1.0, peepholes=False,
            forget_bias=0.0):
    rng = np.random.default_rng(seed)
    params = LSTMParams.random(D, H, seed=seed, scale=weight_scale, forget_bias=forget_bias)
    if peepholes:
        params = with_peepholes(params, seed + 1, weight_scale)
    xs = rng.uniform(-input_scale, input_scale, (T, D))
    h0, c0 = rng.uniform(-1, 1, H), rng.uniform(-1, 1, H)
    return params, xs, h0, c0, rng.normal(size=(T, H)), rng.normal(size=H)


def packed(params, xs, h0, c0):
    return np.concatenate([flat_params(params), xs.ravel(), h0, c0])


def unpacked(template, xs_shape, v):
    n = flat_params(template).size
    T, D = xs_shape
    H = template.H
    xs = v[n:n + T * D].reshape(T, D)
    return unflat_params(template, v[:n]), xs, v[n + T * D:n + T * D + H], v[n + T * D + H:]


def analytic(params, xs, h0, c0, dhs, dc_last):
    grads = unroll_backward(unroll(params, xs, h0, c0), dhs, dc_last)
    return np.concatenate([flat_params(grads.params), grads.dxs.ravel(), grads.dh0, grads.dc0])


FD_PROBLEMS = {  # name: (D, H, T, options)
    "one-step-D<H": (2, 4, 1, {}),
    "one-step-D>H-peepholes": (5, 3, 1, {"peepholes": True}),
    "forget-bias-peepholes": (3, 3, 4, {"peepholes": True, "forget_bias": 1.0}),
    "saturated": (3, 2, 3, {"weight_scale": 3.0, "input_scale": 6.0}),
    "saturated-peepholes": (2, 3, 3, {"weight_scale": 3.0, "input_scale": 6.0,
                                      "peepholes": True}),
}


@pytest.mark.parametrize("name", FD_PROBLEMS)
def test_every_gradient_matches_central_differences(name):
    D, H, T, options = FD_PROBLEMS[name]
    params, xs, h0, c0, dhs, dc_last = problem(D, H, T, seed=len(name), **options)
    v = packed(params, xs, h0, c0)
    eps = 1e-6
    numeric = np.empty_like(v)
    for k in range(v.size):
        e = np.zeros_like(v)
        e[k] = eps
        plus = loss_of(*unpacked(params, xs.shape, v + e), dhs, dc_last)
        minus = loss_of(*unpacked(params, xs.shape, v - e), dhs, dc_last)
        numeric[k] = (plus - minus) / (2 * eps)
    got = analytic(params, xs, h0, c0, dhs, dc_last)
    np.testing.assert_allclose(got, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("peepholes", [False, True], ids=["plain", "peepholes"])
@pytest.mark.parametrize("T", [20, 50])
def test_long_sequences_match_directional_differences(T, peepholes):
    """For T up to 50, every coordinate is too many unrolls: compare the derivative along random
    directions of (all parameters, xs, h0, c0) with the gradient's dot product."""
    params, xs, h0, c0, dhs, dc_last = problem(4, 3, T, seed=T, peepholes=peepholes,
                                               forget_bias=1.0)
    v = packed(params, xs, h0, c0)
    got = analytic(params, xs, h0, c0, dhs, dc_last)
    rng = np.random.default_rng(T)
    eps = 1e-6
    for _ in range(4):
        d = rng.normal(size=v.size)
        plus = loss_of(*unpacked(params, xs.shape, v + eps * d), dhs, dc_last)
        minus = loss_of(*unpacked(params, xs.shape, v - eps * d), dhs, dc_last)
        numeric = (plus - minus) / (2 * eps)
        assert got @ d == pytest.approx(numeric, rel=1e-6, abs=1e-7)


# -- structure of the backward pass -------------------------------------------------------------
def test_without_peepholes_peephole_gradients_are_zero_and_the_highway_is_f():
    params, xs, h0, c0, dhs, dc_last = problem(3, 4, 1, seed=3)
    step = lstm_step(params, xs[0], h0, c0)
    g = lstm_step_backward(params, step, dhs[0], dc_last)
    for name in ("i", "f", "o"):
        np.testing.assert_array_equal(g.params.gate(name).w_c, np.zeros(4))
        np.testing.assert_array_equal(g.gate(name).dpeephole, np.zeros(4))
    assert g.params.g.w_c is None
    np.testing.assert_array_equal(g.dc_prev, g.dc_total * step.f)
    np.testing.assert_allclose(g.dc_total, dc_last + dhs[0] * step.o * (1 - step.tanh_c**2),
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(g.do, dhs[0] * step.tanh_c, rtol=0, atol=1e-15)
    np.testing.assert_allclose(g.dz_f, g.dc_total * c0 * step.f * (1 - step.f), rtol=0,
                               atol=1e-15)
    assert g.params.forget_bias == 0.0 and not g.params.use_peepholes


def test_output_peephole_reads_the_new_cell_state():
    params, xs, h0, c0, dhs, dc_last = problem(2, 3, 1, seed=5, peepholes=True)
    step = lstm_step(params, xs[0], h0, c0)
    g = lstm_step_backward(params, step, dhs[0], dc_last)
    np.testing.assert_allclose(g.params.o.w_c, g.dz_o * step.c, rtol=0, atol=1e-15)
    np.testing.assert_allclose(g.params.f.w_c, g.dz_f * c0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(g.dc_total, dc_last + g.dc_from_h + params.o.w_c * g.dz_o,
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(
        g.dc_prev, g.dc_total * step.f + params.i.w_c * g.dz_i + params.f.w_c * g.dz_f,
        rtol=0, atol=1e-15)
    assert g.params.use_peepholes


def test_forget_bias_is_a_constant_whose_derivative_is_db_f():
    params, xs, h0, c0, dhs, dc_last = problem(3, 2, 5, seed=9, forget_bias=1.0)
    grads = unroll_backward(unroll(params, xs, h0, c0), dhs, dc_last)
    eps = 1e-6
    numeric = (loss_of(replace(params, forget_bias=1.0 + eps), xs, h0, c0, dhs, dc_last)
               - loss_of(replace(params, forget_bias=1.0 - eps), xs, h0, c0, dhs, dc_last)) / (
        2 * eps)
    assert np.sum(grads.params.f.b) == pytest.approx(numeric, rel=1e-6)
    assert grads.params.forget_bias == 0.0


def test_without_recurrent_weights_dc0_is_the_product_of_forget_gates():
    """With W_h = 0 the only way back to c(0) is the cell path: ∂c(T)/∂c(0) = Π f(t)."""
    params = LSTMParams.random(2, 3, seed=4)
    for name in GATE_NAMES:
        params = params.with_gate(name, W_h=np.zeros((3, 3)))
    rng = np.random.default_rng(4)
    trace = unroll(params, rng.normal(size=(50, 2)), np.zeros(3), rng.normal(size=3))
    grads = unroll_backward(trace, np.zeros((50, 3)), np.ones(3))
    np.testing.assert_allclose(grads.dc0, trace.cell_path_gradient[-1], rtol=1e-13, atol=0)
    np.testing.assert_allclose(grads.over_time("dc_prev"), np.cumprod(
        trace.over_time("f")[::-1], axis=0)[::-1], rtol=1e-13, atol=0)


def test_sequence_gradient_is_the_sum_of_its_steps():
    params, xs, h0, c0, dhs, dc_last = problem(3, 2, 6, seed=2, peepholes=True)
    grads = unroll_backward(unroll(params, xs, h0, c0), dhs, dc_last)
    assert len(grads.steps) == 6
    for name in GATE_NAMES:
        for f in FIELDS:
            total = getattr(grads.params.gate(name), f)
            if total is None:
                continue
            parts = sum(getattr(s.params.gate(name), f) for s in grads.steps)
            np.testing.assert_allclose(total, parts, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(grads.dxs, grads.over_time("dx"))
    np.testing.assert_array_equal(grads.dc0, grads.steps[0].dc_prev)


def test_default_dc_is_zero():
    params, xs, h0, c0, dhs, _ = problem(2, 2, 3, seed=1)
    trace = unroll(params, xs, h0, c0)
    a, b = unroll_backward(trace, dhs), unroll_backward(trace, dhs, np.zeros(2))
    np.testing.assert_array_equal(a.dh0, b.dh0)
    step = trace.steps[0]
    np.testing.assert_array_equal(lstm_step_backward(params, step, dhs[0]).dx,
                                  lstm_step_backward(params, step, dhs[0], np.zeros(2)).dx)


# -- validation ---------------------------------------------------------------------------------
def test_bad_arguments_name_themselves():
    params, xs, h0, c0, dhs, _ = problem(2, 3, 4, seed=1)
    trace = unroll(params, xs, h0, c0)
    step = trace.steps[0]
    with pytest.raises(ValueError, match=r"dh must have shape \(3,\)"):
        lstm_step_backward(params, step, np.zeros(2))
    with pytest.raises(ValueError, match="dc must be finite"):
        lstm_step_backward(params, step, np.zeros(3), [0, np.nan, 0])
    with pytest.raises(ValueError, match="step must come from a cell with D=3, H=3"):
        lstm_step_backward(LSTMParams.zeros(3, 3), step, np.zeros(3))
    with pytest.raises(ValueError, match="use_peepholes / forget_bias differ"):
        lstm_step_backward(replace(params, forget_bias=1.0), step, np.zeros(3))
    with pytest.raises(ValueError, match=r"dhs must have shape \(4, 3\)"):
        unroll_backward(trace, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="dc_last"):
        unroll_backward(trace, dhs, np.zeros(4))
    with pytest.raises(ValueError, match="trace must come from unroll"):
        unroll_backward(LSTMTrace(trace.steps), dhs)


def test_trace_records_its_params_and_old_constructions_still_work():
    params, xs, h0, c0, _, _ = problem(2, 3, 2, seed=1)
    trace = unroll(params, xs, h0, c0)
    assert trace.params is params
    assert LSTMTrace(trace.steps).params is None


# -- the basic RNN ------------------------------------------------------------------------------
RNN_CASES = DATA["rnn_cases"]


def rnn_params(case):
    return RNNParams(arr(case, "weight_ih").T, arr(case, "weight_hh").T,
                     arr(case, "bias_ih") + arr(case, "bias_hh"))


@pytest.mark.parametrize("case", RNN_CASES, ids=lambda c: f"D{c['D']}-H{c['H']}-T{c['T']}")
def test_unroll_rnn_backward_matches_torch_autograd(case):
    params = rnn_params(case)
    trace = unroll_rnn(params, arr(case, "xs"), arr(case, "h0"))
    assert_close(trace.over_time("h"), arr(case, "hs"), "forward h")
    grads = unroll_rnn_backward(trace, arr(case, "dhs"))
    assert_close(grads.dxs, arr(case, "grad_xs"), "dxs")
    assert_close(grads.dh0, arr(case, "grad_h0"), "dh0")
    assert_close(grads.params.W_x.T, arr(case, "grad_weight_ih"), "d weight_ih")
    assert_close(grads.params.W_h.T, arr(case, "grad_weight_hh"), "d weight_hh")
    assert_close(grads.params.b, arr(case, "grad_bias"), "d bias")
    if case["T"] == 1:
        g = rnn_step_backward(params, trace.steps[0], arr(case, "dhs")[0])
        assert_close(g.dz, arr(case, "grad_bias"), "dz")
        assert_close(g.dh_prev, arr(case, "grad_h0"), "dh_prev")


def test_rnn_backward_matches_central_differences_and_its_jacobian():
    rng = np.random.default_rng(7)
    D, H, T = 3, 4, 12
    params = RNNParams(rng.uniform(-1, 1, (D, H)), rng.uniform(-1, 1, (H, H)),
                       rng.uniform(-1, 1, H))
    xs, h0, dhs = rng.normal(size=(T, D)), rng.uniform(-1, 1, H), rng.normal(size=(T, H))

    def loss(p, xs_, h0_):
        return float(np.sum(dhs * unroll_rnn(p, xs_, h0_).over_time("h")))

    grads = unroll_rnn_backward(unroll_rnn(params, xs, h0), dhs)
    eps = 1e-6
    for field in ("W_x", "W_h", "b"):
        value = getattr(params, field)
        numeric = np.empty_like(value)
        for k in np.ndindex(value.shape):
            e = np.zeros_like(value)
            e[k] = eps
            numeric[k] = (loss(replace(params, **{field: value + e}), xs, h0)
                          - loss(replace(params, **{field: value - eps * (e / eps)}), xs, h0)
                          ) / (2 * eps)
        np.testing.assert_allclose(getattr(grads.params, field), numeric, rtol=1e-6, atol=1e-8)
    numeric_h0 = np.array([(loss(params, xs, h0 + e) - loss(params, xs, h0 - e)) / (2 * eps)
                           for e in np.eye(H) * eps])
    np.testing.assert_allclose(grads.dh0, numeric_h0, rtol=1e-6, atol=1e-8)
    # only the last h(T) in the loss: dh0 = (∂h(T)/∂h(0))ᵀ dh(T), whose norm the trace reports
    last = np.zeros((T, H))
    last[-1] = 1.0
    trace = unroll_rnn(params, xs, h0)
    J = np.eye(H)
    for s in trace.steps:
        J = (1.0 - s.h**2)[:, None] * params.W_h.T @ J
    np.testing.assert_allclose(unroll_rnn_backward(trace, last).dh0, J.T @ last[-1],
                               rtol=1e-12, atol=1e-15)
    assert np.linalg.norm(J, 2) == pytest.approx(trace.jacobian_norms[-1], rel=1e-12)
