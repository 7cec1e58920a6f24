"""A leading batch dimension through the same code: every result of a batch equals the results
of its examples computed one at a time."""

from dataclasses import fields, replace

import numpy as np
import pytest

from lstm_core import (
    GATE_ORDER,
    LSTMParams,
    RNNParams,
    lstm_step,
    lstm_step_backward,
    rnn_step,
    rnn_step_backward,
    unroll,
    unroll_backward,
    unroll_rnn,
    unroll_rnn_backward,
)
from lstm_core.bounds import MAX_BATCH

TOL = 1e-12
B = 5


def params_for(D, H, peepholes, forget_bias, seed=0):
    params = LSTMParams.random(D, H, seed=seed, scale=1.5, forget_bias=forget_bias)
    if peepholes:
        rng = np.random.default_rng(seed + 100)
        for name in ("i", "f", "o"):
            params = params.with_gate(name, w_c=rng.uniform(-1, 1, H))
        params = replace(params, use_peepholes=True)
    return params


CONFIGS = {  # name: (D, H, peepholes, forget_bias)
    "D<H": (2, 4, False, 0.0),
    "D>H-peepholes-fb": (5, 3, True, 1.0),
    "D=H=1": (1, 1, False, 3.0),
}


def arrays_of(record):
    """Every array field of a step record (gates expanded), by name."""
    out = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, np.ndarray):
            out[f.name] = value
        elif hasattr(value, "spec"):  # a GateStep or GateGradient
            for g in fields(value):
                inner = getattr(value, g.name)
                if isinstance(inner, np.ndarray):
                    out[f"{f.name}.{g.name}"] = inner
    return out


def assert_row_matches(batched, single, k, skip=()):
    """Row k of every batched array equals the single-example array."""
    got, want = arrays_of(batched), arrays_of(single)
    assert got.keys() == want.keys()
    for name, value in want.items():
        if name in skip or name.split(".")[-1] in skip:
            continue
        row = got[name] if got[name].shape == value.shape else got[name][k]
        np.testing.assert_allclose(row, value, rtol=0, atol=TOL, err_msg=name)


def batch_inputs(D, H, seed=1, scale=2.0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-scale, scale, (B, D)), rng.uniform(-1, 1, (B, H)),
            rng.uniform(-scale, scale, (B, H)))


@pytest.mark.parametrize("config", CONFIGS)
def test_lstm_step_batch_equals_each_example(config):
    D, H, peep, fb = CONFIGS[config]
    params = params_for(D, H, peep, fb)
    x, h, c = batch_inputs(D, H)
    batched = lstm_step(params, x, h, c)
    assert batched.h.shape == (B, H) and batched.xh.shape == (B, H + D)
    for k in range(B):
        # the biases are the parameters themselves, (H,), shared by every row
        assert_row_matches(batched, lstm_step(params, x[k], h[k], c[k]), k)


@pytest.mark.parametrize("config", CONFIGS)
def test_lstm_step_backward_batch_equals_each_example(config):
    D, H, peep, fb = CONFIGS[config]
    params = params_for(D, H, peep, fb)
    x, h, c = batch_inputs(D, H)
    rng = np.random.default_rng(2)
    dh, dc = rng.normal(size=(B, H)), rng.normal(size=(B, H))
    batched = lstm_step_backward(params, lstm_step(params, x, h, c), dh, dc)
    singles = [lstm_step_backward(params, lstm_step(params, x[k], h[k], c[k]), dh[k], dc[k])
               for k in range(B)]
    for k, single in enumerate(singles):
        # parameter gradients are summed over the batch: compared below
        assert_row_matches(batched, single, k, skip=("dW_x", "dW_h", "db", "dw_c"))
    for name in GATE_ORDER:
        for f in ("W_x", "W_h", "b", "w_c"):
            total = getattr(batched.params.gate(name), f)
            if total is None:
                continue
            parts = sum(getattr(s.params.gate(name), f) for s in singles)
            np.testing.assert_allclose(total, parts, rtol=0, atol=TOL, err_msg=f"{f}{name}")


@pytest.mark.parametrize("config", CONFIGS)
def test_unroll_and_backward_through_time_batch_equals_each_sequence(config):
    D, H, peep, fb = CONFIGS[config]
    params = params_for(D, H, peep, fb)
    rng = np.random.default_rng(3)
    T = 7
    xs = rng.uniform(-2, 2, (T, B, D))
    h0, c0 = rng.uniform(-1, 1, (B, H)), rng.uniform(-1, 1, (B, H))
    dhs, dc_last = rng.normal(size=(T, B, H)), rng.normal(size=(B, H))
    trace = unroll(params, xs, h0, c0)
    grads = unroll_backward(trace, dhs, dc_last)
    assert trace.over_time("h").shape == (T, B, H) and grads.dxs.shape == (T, B, D)
    total = np.zeros(0)
    for k in range(B):
        one = unroll(params, xs[:, k], h0[k], c0[k])
        np.testing.assert_allclose(trace.over_time("c")[:, k], one.over_time("c"), rtol=0,
                                   atol=TOL)
        g = unroll_backward(one, dhs[:, k], dc_last[k])
        np.testing.assert_allclose(grads.dxs[:, k], g.dxs, rtol=0, atol=TOL)
        np.testing.assert_allclose(grads.dh0[k], g.dh0, rtol=0, atol=TOL)
        np.testing.assert_allclose(grads.dc0[k], g.dc0, rtol=0, atol=TOL)
        flat = np.concatenate([np.ravel(a) for n in GATE_ORDER
                               for a in (g.params.W_x(n), g.params.W_h(n), g.params.b(n))])
        total = flat if k == 0 else total + flat
    got = np.concatenate([np.ravel(a) for n in GATE_ORDER
                          for a in (grads.params.W_x(n), grads.params.W_h(n), grads.params.b(n))])
    np.testing.assert_allclose(got, total, rtol=0, atol=TOL)


def test_rnn_step_and_backward_batch_equals_each_example():
    rng = np.random.default_rng(4)
    D, H, T = 3, 2, 6
    params = RNNParams(rng.uniform(-1, 1, (D, H)), rng.uniform(-1, 1, (H, H)),
                       rng.uniform(-1, 1, H))
    x, h = rng.normal(size=(B, D)), rng.uniform(-1, 1, (B, H))
    step = rnn_step(params, x, h)
    for k in range(B):
        assert_row_matches(step, rnn_step(params, x[k], h[k]), k)
    dh = rng.normal(size=(B, H))
    g = rnn_step_backward(params, step, dh)
    for k in range(B):
        one = rnn_step_backward(params, rnn_step(params, x[k], h[k]), dh[k])
        np.testing.assert_allclose(g.dx[k], one.dx, rtol=0, atol=TOL)
        np.testing.assert_allclose(g.dh_prev[k], one.dh_prev, rtol=0, atol=TOL)
    xs, h0, dhs = rng.normal(size=(T, B, D)), rng.uniform(-1, 1, (B, H)), rng.normal(size=(T, B, H))
    grads = unroll_rnn_backward(unroll_rnn(params, xs, h0), dhs)
    singles = [unroll_rnn_backward(unroll_rnn(params, xs[:, k], h0[k]), dhs[:, k])
               for k in range(B)]
    for k, one in enumerate(singles):
        np.testing.assert_allclose(grads.dxs[:, k], one.dxs, rtol=0, atol=TOL)
        np.testing.assert_allclose(grads.dh0[k], one.dh0, rtol=0, atol=TOL)
    np.testing.assert_allclose(grads.params.W_h, sum(s.params.W_h for s in singles), rtol=0,
                               atol=TOL)


def test_a_batch_of_one_is_a_batch():
    params = params_for(2, 3, False, 0.0)
    step = lstm_step(params, np.ones((1, 2)), np.zeros((1, 3)), np.zeros((1, 3)))
    assert step.h.shape == (1, 3)
    np.testing.assert_allclose(step.h[0], lstm_step(params, np.ones(2), np.zeros(3),
                                                    np.zeros(3)).h, rtol=0, atol=TOL)


def test_batch_errors_name_the_argument():
    params = params_for(2, 3, False, 0.0)
    x, h, c = batch_inputs(2, 3)
    with pytest.raises(ValueError, match=r"h_prev must have shape \(5, 3\), got \(4, 3\)"):
        lstm_step(params, x, h[:4], c)
    with pytest.raises(ValueError, match=r"c_prev must have shape \(5, 3\), got \(3,\)"):
        lstm_step(params, x, h, c[0])
    with pytest.raises(ValueError, match=r"x must have shape \(2,\) or \(B, 2\), got \(5, 3\)"):
        lstm_step(params, np.zeros((5, 3)), h, c)
    with pytest.raises(ValueError, match=rf"x: a batch must hold 1..{MAX_BATCH} rows, got 0"):
        lstm_step(params, np.zeros((0, 2)), h[:0], c[:0])
    with pytest.raises(ValueError, match="x must be finite"):
        lstm_step(params, np.full((5, 2), np.nan), h, c)
    with pytest.raises(ValueError, match=r"h_prev must have shape \(3,\), got \(5, 3\)"):
        lstm_step(params, x[0], h, c[0])  # a 1-D x makes it one step
    step = lstm_step(params, x, h, c)
    with pytest.raises(ValueError, match=r"dh must have shape \(5, 3\)"):
        lstm_step_backward(params, step, np.zeros(3))
    rnn = RNNParams.from_lstm(params)
    with pytest.raises(ValueError, match=r"h_prev must have shape \(5, 3\)"):
        rnn_step(rnn, x, h[0])
