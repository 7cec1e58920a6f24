"""Properties of one LSTM step that hold for any weights and inputs (hypothesis)."""

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lstm_core import GATE_ORDER, LSTMParams, lstm_step, sigmoid

SIGMOID_GATES = ("i", "f", "o")
# no per-example deadline: the suite shares a 2-core machine with browser tests
relaxed = settings(deadline=None, max_examples=100)


def finite(limit):
    return st.floats(-limit, limit, allow_nan=False, allow_infinity=False)


@st.composite
def cells(draw, weight=5.0, bias=5.0, value=3.0, max_size=6, peepholes=None, forget_bias=None):
    """(params, x, h_prev, c_prev) with D, H in 1..max_size."""
    D = draw(st.integers(1, max_size))
    H = draw(st.integers(1, max_size))
    use_peepholes = draw(st.booleans()) if peepholes is None else peepholes
    fb = draw(finite(3.0)) if forget_bias is None else forget_bias

    def mat(shape, limit):
        return draw(hnp.arrays(np.float64, shape, elements=finite(limit)))

    params = LSTMParams.from_blocks(
        W_x={n: mat((D, H), weight) for n in GATE_ORDER},
        W_h={n: mat((H, H), weight) for n in GATE_ORDER},
        b={n: mat((H,), bias) for n in GATE_ORDER},
        w_c={n: mat((H,), weight) for n in SIGMOID_GATES},
        forget_bias=fb, use_peepholes=use_peepholes,
    )
    return params, mat((D,), value), mat((H,), value), mat((H,), value)


@relaxed
@given(cells())
def test_gates_in_unit_interval_and_candidate_in_minus_one_one(cell):
    step = lstm_step(*cell)
    for name in SIGMOID_GATES:
        a = getattr(step, name)
        assert np.all((a >= 0.0) & (a <= 1.0)), name
    assert np.all(np.abs(step.g) <= 1.0)
    assert np.all(np.abs(step.tanh_c) <= 1.0)
    assert np.all(np.abs(step.h) <= 1.0)


def tolerance(*terms):
    """Summation order differs between the two forms: allow a few ulps of the largest term."""
    return 1e-12 * (1.0 + max(float(np.max(np.abs(t), initial=0.0)) for t in terms))


@relaxed
@given(cells())
def test_concatenated_form_equals_split_form(cell):
    params, x, h_prev, c_prev = cell
    step = lstm_step(params, x, h_prev, c_prev)
    hx = np.concatenate([h_prev, x])
    np.testing.assert_array_equal(step.xh, hx)
    # one block matrix per gate, [W_h; W_x] of shape (H + D, H), as the concatenation junction
    blocks = {n: np.vstack([params.W_h(n), params.W_x(n)]) for n in GATE_ORDER}
    # and all four side by side: W of shape (H + D, 4H), z = W^T [h; x] + b for every gate
    W = np.hstack([blocks[n] for n in GATE_ORDER])
    b = np.concatenate([params.b(n) for n in GATE_ORDER])
    z_all = np.split(W.T @ hx + b, 4)
    for k, name in enumerate(GATE_ORDER):
        gate = step.gate(name)
        extra = gate.peephole + gate.offset
        z_concat = blocks[name].T @ hx + params.b(name) + extra
        tol = tolerance(gate.Wx_x, gate.Wh_h, gate.b, extra)
        np.testing.assert_allclose(z_concat, gate.z, rtol=0, atol=tol)
        np.testing.assert_allclose(z_all[k] + extra, gate.z, rtol=0, atol=tol)
        np.testing.assert_allclose(gate.Wx_x + gate.Wh_h + gate.b + extra, gate.z,
                                   rtol=0, atol=tol)


@relaxed
@given(cells(peepholes=False, forget_bias=0.0))
def test_torch_round_trip_reproduces_params(cell):
    params = cell[0]
    again = LSTMParams.from_torch(*params.to_torch())
    assert (again.D, again.H) == (params.D, params.H)
    assert again.forget_bias == 0.0 and not again.use_peepholes
    for name in GATE_ORDER:
        for field in ("W_x", "W_h", "b"):
            np.testing.assert_array_equal(getattr(again.gate(name), field),
                                          getattr(params.gate(name), field))


@relaxed
@given(cells(peepholes=False))
def test_torch_round_trip_with_forget_bias_gives_same_step(cell):
    params, x, h_prev, c_prev = cell
    again = LSTMParams.from_torch(*params.to_torch())
    a, b = lstm_step(params, x, h_prev, c_prev), lstm_step(again, x, h_prev, c_prev)
    np.testing.assert_allclose(b.z_f, a.z_f, rtol=0, atol=tolerance(a.z_f, a.forget.b))
    np.testing.assert_allclose(b.h, a.h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(b.c, a.c, rtol=0, atol=1e-12)


@relaxed
@given(cells(value=50.0))
def test_cell_state_grows_by_at_most_one(cell):
    step = lstm_step(*cell)
    assert np.all(np.abs(step.c) <= np.abs(step.c_prev) + 1.0)


# -- numerical stability: |z| up to 1000 ------------------------------------------------------
def test_sigmoid_extremes_are_exact_and_silent():
    z = np.array([-1000.0, -800.0, -746.0, -745.0, -720.0, -709.0, -700.0, -40.0, 0.0,
                  40.0, 700.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        s = sigmoid(z)
        s_scalar = sigmoid(-1000.0)
    assert sigmoid(1000.0) == 1.0 and sigmoid(40.0) == 1.0
    assert 0.0 <= s_scalar < 1e-300
    assert s[z == 0.0] == 0.5
    assert np.all(np.isfinite(s)) and np.all((s >= 0.0) & (s <= 1.0))
    assert np.all(np.diff(s) >= 0)  # monotone, even where it underflows


def test_step_with_every_z_at_plus_minus_1000_raises_nothing():
    H, D = 3, 2
    signs = {"i": -1.0, "f": 1.0, "g": -1.0, "o": 1.0}
    params = LSTMParams.from_blocks(
        W_x={n: np.zeros((D, H)) for n in GATE_ORDER},
        W_h={n: np.zeros((H, H)) for n in GATE_ORDER},
        b={n: np.full(H, 1000.0 * s) for n, s in signs.items()},
    )
    c_prev = np.array([0.7, -0.3, 2.0])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        step = lstm_step(params, np.ones(D), np.ones(H), c_prev)
        flipped = lstm_step(params.with_gate("i", b=np.full(H, 1000.0))
                            .with_gate("f", b=np.full(H, -1000.0)), np.ones(D), np.ones(H), c_prev)
    np.testing.assert_array_equal(step.f, np.ones(H))
    np.testing.assert_array_equal(step.o, np.ones(H))
    np.testing.assert_array_equal(step.g, -np.ones(H))
    assert np.all((step.i >= 0) & (step.i < 1e-300))
    np.testing.assert_array_equal(step.c, c_prev)  # remember exactly
    np.testing.assert_array_equal(flipped.c, -np.ones(H))  # overwrite exactly with g
    np.testing.assert_array_equal(flipped.h, np.tanh(-np.ones(H)))


@settings(max_examples=200, deadline=None)
@given(cells(weight=50.0, bias=600.0, value=1.0, max_size=4))
def test_large_pre_activations_are_finite_bounded_and_silent(cell):
    """Here |W_x^T x + W_h^T h| <= 400 and |b| <= 600 (|z| <= 1000 plus peephole and offset).
    Overflow, division and invalid operations raise; underflow towards 0 (e.g. a gate of
    exp(-720)) is IEEE rounding, not an error, so it is left at NumPy's default."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        step = lstm_step(*cell)
    for name in ("z_i", "z_f", "z_g", "z_o", "i", "f", "g", "o", "c", "tanh_c", "h"):
        assert np.all(np.isfinite(getattr(step, name))), name
    for name in SIGMOID_GATES:
        gate = step.gate(name)
        assert np.all((gate.a >= 0.0) & (gate.a <= 1.0))
        assert np.all(gate.a[gate.z >= 40.0] == 1.0)  # saturated exactly, not above 1
        assert np.all(gate.a[gate.z <= -40.0] < 1e-17)
    assert np.all(np.abs(step.g) <= 1.0) and np.all(np.abs(step.h) <= 1.0)
