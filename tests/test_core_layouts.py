"""Keras and TF1 layouts against the frameworks' documented equations, re-implemented here in
plain NumPy (independent of lstm_core's internals).

Keras LSTMCell (keras/src/layers/rnn/lstm.py, implementation 2):
    z = x @ kernel + h @ recurrent_kernel + bias;  z0, z1, z2, z3 = split(z, 4)   # i, f, c, o
    i = σ(z0); f = σ(z1); c = f*c_prev + i*tanh(z2); o = σ(z3); h = o*tanh(c)
TF1 tf.nn.rnn_cell.LSTMCell (rnn_cell_impl.py):
    lstm_matrix = concat([x, h]) @ kernel + bias;  i, j, f, o = split(lstm_matrix, 4)
    c = σ(f + forget_bias + w_f_diag*c_prev)*c_prev + σ(i + w_i_diag*c_prev)*tanh(j)
    h = σ(o + w_o_diag*c)*tanh(c)          (the w_*_diag terms only with use_peepholes)
"""

from types import SimpleNamespace

import numpy as np
import pytest

from lstm_core import LSTMParams, lstm_step

TOL = 1e-12
SIZES = [(1, 1), (2, 3), (3, 2), (4, 4), (5, 1), (1, 6)]


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def keras_reference(kernel, recurrent_kernel, bias, x, h_prev, c_prev):
    z = x @ kernel + h_prev @ recurrent_kernel + bias
    z0, z1, z2, z3 = np.split(z, 4)
    i, f, o = sig(z0), sig(z1), sig(z3)
    c = f * c_prev + i * np.tanh(z2)
    return {"i": i, "f": f, "g": np.tanh(z2), "o": o, "c": c, "h": o * np.tanh(c),
            "z_i": z0, "z_f": z1, "z_g": z2, "z_o": z3}


def tf1_reference(kernel, bias, forget_bias, x, h_prev, c_prev,
                  w_i_diag=None, w_f_diag=None, w_o_diag=None):
    peep = w_i_diag is not None
    lstm_matrix = np.concatenate([x, h_prev]) @ kernel + bias
    i, j, f, o = np.split(lstm_matrix, 4)
    zi = i + (w_i_diag * c_prev if peep else 0.0)
    zf = f + forget_bias + (w_f_diag * c_prev if peep else 0.0)
    c = sig(zf) * c_prev + sig(zi) * np.tanh(j)
    zo = o + (w_o_diag * c if peep else 0.0)
    h = sig(zo) * np.tanh(c)
    return {"i": sig(zi), "f": sig(zf), "g": np.tanh(j), "o": sig(zo), "c": c, "h": h,
            "z_i": zi, "z_f": zf, "z_g": j, "z_o": zo}


def check_step(step, ref, what):
    for key, expected in ref.items():
        err = np.max(np.abs(getattr(step, key) - expected))
        assert err <= TOL, f"{what}: {key} off by {err:.3e}"


def inputs(rng, D, H, scale=1.0):
    return (rng.uniform(-2, 2, D) * scale, rng.uniform(-1, 1, H), rng.uniform(-2, 2, H))


# -- Keras -------------------------------------------------------------------------------------
@pytest.mark.parametrize("D,H", SIZES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_from_keras_matches_keras_equations(D, H, seed):
    rng = np.random.default_rng(seed)
    kernel = rng.normal(0, 1, (D, 4 * H))
    recurrent_kernel = rng.normal(0, 1, (H, 4 * H))
    bias = rng.normal(0, 1, 4 * H)
    x, h_prev, c_prev = inputs(rng, D, H, scale=1 + 3 * seed)
    step = lstm_step(LSTMParams.from_keras(kernel, recurrent_kernel, bias), x, h_prev, c_prev)
    check_step(step, keras_reference(kernel, recurrent_kernel, bias, x, h_prev, c_prev), "keras")


def test_keras_column_blocks_are_i_f_c_o():
    D, H = 2, 3
    kernel = np.zeros((D, 4 * H))
    kernel[:, H:2 * H] = 7.0  # second column block: the forget gate
    recurrent = np.zeros((H, 4 * H))
    recurrent[:, 2 * H:3 * H] = 5.0  # third block: the candidate ("c" in Keras)
    p = LSTMParams.from_keras(kernel, recurrent, np.arange(4 * H, dtype=float))
    np.testing.assert_array_equal(p.W_x("f"), np.full((D, H), 7.0))
    np.testing.assert_array_equal(p.W_h("g"), np.full((H, H), 5.0))
    for name in ("i", "o"):
        assert not p.W_x(name).any() and not p.W_h(name).any()
    np.testing.assert_array_equal(p.b("o"), np.arange(3 * H, 4 * H))


@pytest.mark.parametrize("D,H", SIZES)
def test_keras_round_trip(D, H):
    rng = np.random.default_rng(D * 10 + H)
    kernel, recurrent, bias = (rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)),
                               rng.normal(size=4 * H))
    k2, r2, b2 = LSTMParams.from_keras(kernel, recurrent, bias).to_keras()
    np.testing.assert_array_equal(k2, kernel)
    np.testing.assert_array_equal(r2, recurrent)
    np.testing.assert_array_equal(b2, bias)


def test_keras_and_torch_layouts_agree():
    p = LSTMParams.random(3, 4, seed=5)
    kernel, recurrent, bias = p.to_keras()
    w_ih, w_hh, b_ih, b_hh = p.to_torch()
    np.testing.assert_array_equal(kernel, w_ih.T)  # same block order i,f,g,o
    np.testing.assert_array_equal(recurrent, w_hh.T)
    np.testing.assert_array_equal(bias, b_ih + b_hh)


# -- TF1 ---------------------------------------------------------------------------------------
def tf1_weights(rng, D, H, peepholes):
    kernel = rng.normal(0, 0.8, (D + H, 4 * H))
    bias = rng.normal(0, 0.5, 4 * H)
    diags = tuple(rng.normal(0, 1, H) for _ in range(3)) if peepholes else (None, None, None)
    return kernel, bias, diags


@pytest.mark.parametrize("D,H", SIZES)
@pytest.mark.parametrize("peepholes", [False, True])
@pytest.mark.parametrize("forget_bias", [0.0, 1.0, -2.5])
def test_from_tf1_matches_tf1_equations(D, H, peepholes, forget_bias):
    rng = np.random.default_rng(100 * D + H)
    kernel, bias, diags = tf1_weights(rng, D, H, peepholes)
    x, h_prev, c_prev = inputs(rng, D, H)
    p = LSTMParams.from_tf1(kernel, bias, forget_bias, *diags)
    assert p.use_peepholes is peepholes
    assert p.forget_bias == forget_bias
    step = lstm_step(p, x, h_prev, c_prev)
    check_step(step, tf1_reference(kernel, bias, forget_bias, x, h_prev, c_prev, *diags), "tf1")


def test_tf1_default_forget_bias_is_one():
    rng = np.random.default_rng(3)
    kernel, bias, _ = tf1_weights(rng, 2, 3, False)
    x, h_prev, c_prev = inputs(rng, 2, 3)
    step = lstm_step(LSTMParams.from_tf1(kernel, bias), x, h_prev, c_prev)
    check_step(step, tf1_reference(kernel, bias, 1.0, x, h_prev, c_prev), "tf1 default")


def test_tf1_peepholes_read_old_c_for_i_f_and_new_c_for_o():
    """Only one peephole at a time, so a mix-up of c(t-1) and c(t) cannot cancel out."""
    D, H = 2, 3
    rng = np.random.default_rng(9)
    kernel, bias, _ = tf1_weights(rng, D, H, False)
    x, h_prev, c_prev = inputs(rng, D, H)
    zero = np.zeros(H)
    for k in range(3):
        diags = [zero, zero, zero]
        diags[k] = np.array([1.5, -2.0, 3.0])
        step = lstm_step(LSTMParams.from_tf1(kernel, bias, 1.0, *diags), x, h_prev, c_prev)
        ref = tf1_reference(kernel, bias, 1.0, x, h_prev, c_prev, *diags)
        check_step(step, ref, f"peephole {'ifo'[k]}")
        plain = tf1_reference(kernel, bias, 1.0, x, h_prev, c_prev)
        gate = "ifo"[k]
        assert not np.allclose(ref[gate], plain[gate]), "the peephole must change its gate"


def test_tf1_kernel_rows_are_x_then_h_and_columns_i_j_f_o():
    D, H = 2, 3
    kernel = np.zeros((D + H, 4 * H))
    kernel[:D, 0:H] = 1.0  # x rows, "i" block
    kernel[D:, H:2 * H] = 2.0  # h rows, "j" block = the candidate
    kernel[:D, 2 * H:3 * H] = 3.0  # x rows, "f" block
    bias = np.concatenate([np.full(H, v) for v in (10.0, 20.0, 30.0, 40.0)])
    p = LSTMParams.from_tf1(kernel, bias, forget_bias=0.5)
    np.testing.assert_array_equal(p.W_x("i"), np.ones((D, H)))
    np.testing.assert_array_equal(p.W_h("g"), np.full((H, H), 2.0))
    np.testing.assert_array_equal(p.W_x("f"), np.full((D, H), 3.0))
    assert not p.W_h("i").any() and not p.W_x("g").any() and not p.W_h("f").any()
    for name, value in zip("igfo", (10.0, 20.0, 30.0, 40.0)):
        np.testing.assert_array_equal(p.b(name), np.full(H, value))  # forget_bias kept apart


@pytest.mark.parametrize("peepholes", [False, True])
@pytest.mark.parametrize("D,H", SIZES)
def test_tf1_round_trip(D, H, peepholes):
    rng = np.random.default_rng(7 * D + H)
    kernel, bias, diags = tf1_weights(rng, D, H, peepholes)
    out = LSTMParams.from_tf1(kernel, bias, 0.75, *diags).to_tf1()
    k2, b2, fb2, *diags2 = out
    np.testing.assert_array_equal(k2, kernel)
    np.testing.assert_array_equal(b2, bias)
    assert fb2 == 0.75
    for got, want in zip(diags2, diags):
        if want is None:
            assert got is None
        else:
            np.testing.assert_array_equal(got, want)


# -- forget_bias folding and peephole refusal --------------------------------------------------
def test_to_torch_and_to_keras_fold_forget_bias():
    D, H, fb = 3, 2, 1.0
    rng = np.random.default_rng(21)
    kernel, bias, _ = tf1_weights(rng, D, H, False)
    x, h_prev, c_prev = inputs(rng, D, H)
    p = LSTMParams.from_tf1(kernel, bias, forget_bias=fb)
    ref = tf1_reference(kernel, bias, fb, x, h_prev, c_prev)

    w_ih, w_hh, b_ih, b_hh = p.to_torch()
    np.testing.assert_array_equal(b_hh, np.zeros(4 * H))
    tf1_blocks = dict(zip("igfo", np.split(bias, 4)))
    torch_blocks = dict(zip("ifgo", np.split(b_ih, 4)))
    np.testing.assert_allclose(torch_blocks["f"], tf1_blocks["f"] + fb, rtol=0, atol=TOL)
    for name in "igo":
        np.testing.assert_array_equal(torch_blocks[name], tf1_blocks[name])
    p_torch = LSTMParams.from_torch(w_ih, w_hh, b_ih, b_hh)
    assert p_torch.forget_bias == 0.0
    check_step(lstm_step(p_torch, x, h_prev, c_prev), ref, "tf1 -> torch")

    kernel_k, recurrent_k, bias_k = p.to_keras()
    keras_blocks = dict(zip("ifgo", np.split(bias_k, 4)))
    np.testing.assert_allclose(keras_blocks["f"], tf1_blocks["f"] + fb, rtol=0, atol=TOL)
    check_step(lstm_step(LSTMParams.from_keras(kernel_k, recurrent_k, bias_k), x, h_prev, c_prev),
               ref, "tf1 -> keras (lstm_core)")
    keras_ref = keras_reference(kernel_k, recurrent_k, bias_k, x, h_prev, c_prev)
    check_step(SimpleNamespace(**keras_ref), ref, "tf1 -> keras (reference)")


@pytest.mark.parametrize("target", ["to_torch", "to_keras"])
def test_peepholes_are_refused_by_torch_and_keras(target):
    H = 2
    kernel = np.zeros((3 + H, 4 * H))
    p = LSTMParams.from_tf1(kernel, None, 1.0, np.ones(H), np.ones(H), np.ones(H))
    with pytest.raises(ValueError, match="peephole"):
        getattr(p, target)()
    p2 = LSTMParams.identity(2, 2, use_peepholes=True)
    with pytest.raises(ValueError, match="peephole"):
        getattr(p2, target)()
