"""The GRU over a sequence: the batched unroll against step-by-step gru_step, the keep-path
gradient against finite differences, the pulse memory."""

from __future__ import annotations

import numpy as np

from lstm_core import GRUParams, gru_step
from lstm_core.gru_sequence import gru_batch, gru_through_time
from lstm_core.memory import pulse


def test_batch_unroll_equals_one_step_at_a_time():
    params = GRUParams.random(3, 4, seed=2, scale=1.0, reset_after=False)
    rng = np.random.default_rng(0)
    xs, h0 = rng.normal(size=(2, 7, 3)), rng.uniform(-1, 1, 4)
    runs = gru_batch(params, xs, h0)
    for k, run in enumerate(runs):
        h = h0
        for t in range(7):
            s = gru_step(params, xs[k, t], h)
            np.testing.assert_allclose(run.h[t], s.h, rtol=0, atol=1e-15)  # BLAS rounding
            np.testing.assert_allclose(run.r[t], s.r, rtol=0, atol=1e-15)
            h = s.h


def test_keep_path_gradient_is_the_derivative_when_only_that_path_exists():
    # W_h = 0 everywhere: h(t) depends on h(t-1) only through z ⊗ h(t-1), so ∂h(T)/∂h(0) is
    # diagonal and equal to the product of z
    params = GRUParams.random(2, 3, seed=5, scale=1.5)
    for n in "zrg":
        params = params.with_gate(n, W_h=np.zeros((3, 3)))
    xs = np.random.default_rng(1).normal(size=(6, 2))
    h0 = np.array([0.3, -0.2, 0.5])
    run = gru_batch(params, xs[None], h0)[0]
    eps = 1e-6
    for k in range(3):
        dh = np.zeros(3)
        dh[k] = eps
        up = gru_batch(params, xs[None], h0 + dh)[0].h[-1]
        down = gru_batch(params, xs[None], h0 - dh)[0].h[-1]
        numeric = (up - down) / (2 * eps)
        np.testing.assert_allclose(numeric[k], run.keep_path_gradient[-1, k], rtol=1e-6,
                                   atol=1e-9)  # h(T) is linear in h(0) here: rounding only
        assert np.abs(np.delete(numeric, k)).max() < 1e-9


def test_a_gru_that_keeps_remembers_a_pulse_longer():
    keep = GRUParams.random(1, 2, seed=0, scale=0.3).with_gate("z", b_x=np.full(2, 4.0))
    write = GRUParams.random(1, 2, seed=0, scale=0.3).with_gate("z", b_x=np.full(2, -4.0))
    xs = pulse(60, 1, 1.0)
    long = gru_through_time(keep, xs, np.zeros(2), 1.0)
    short = gru_through_time(write, xs, np.zeros(2), 1.0)
    assert long.memory.steps > 10 * max(short.memory.steps, 1)
    np.testing.assert_array_equal(long.run.h, gru_batch(keep, xs[None], np.zeros(2))[0].h)
