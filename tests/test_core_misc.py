"""The Q&A seed, input validation, presets, unrolling, gradients and immutability."""

import numpy as np
import pytest

from explainer.presets import PRESETS, build
from lstm_core import (
    GATE_ORDER,
    LSTMParams,
    RNNParams,
    lstm_step,
    rnn_step,
    sigmoid,
    unroll,
    unroll_rnn,
)

QA_X = np.array([-0.1, 0.3, 0.1, -0.25, 0.1])
QA_H = np.array([0.0, 0.5, 0.1, 0.2, 0.6])


def naive_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# -- the Q&A seed -------------------------------------------------------------------------------
def test_stackoverflow_preset_reproduces_the_question():
    scenario = build("stackoverflow")
    np.testing.assert_array_equal(scenario.x, QA_X)
    np.testing.assert_array_equal(scenario.h_prev, QA_H)
    np.testing.assert_array_equal(scenario.c_prev, np.zeros(5))
    step = scenario.step()
    np.testing.assert_allclose(step.f, [0.47502081, 0.68997448, 0.549834, 0.4875026, 0.66818777],
                               rtol=0, atol=1e-8)
    # identity weights, zero biases, D = H: the forget gate coincides with σ(h + x)
    np.testing.assert_allclose(step.f, naive_sigmoid(QA_H + QA_X), rtol=0, atol=1e-15)
    np.testing.assert_allclose(step.h, [-0.0225, 0.2957, 0.0594, -0.0119, 0.2561],
                               rtol=0, atol=1e-4)


def test_stackoverflow_preset_has_identity_weights_and_zero_biases():
    params = build("stackoverflow").params
    assert (params.D, params.H) == (5, 5)
    for name in GATE_ORDER:
        np.testing.assert_array_equal(params.W_x(name), np.eye(5))
        np.testing.assert_array_equal(params.W_h(name), np.eye(5))
        np.testing.assert_array_equal(params.b(name), np.zeros(5))
    assert params.forget_bias == 0.0 and not params.use_peepholes


def test_qa_coincidence_breaks_with_a_bias():
    params = build("stackoverflow").params.with_gate("f", b=np.full(5, 1.0))
    step = lstm_step(params, QA_X, QA_H, np.zeros(5))
    assert not np.allclose(step.f, naive_sigmoid(QA_H + QA_X))
    np.testing.assert_allclose(step.f, naive_sigmoid(QA_H + QA_X + 1.0), rtol=0, atol=1e-15)


# -- validation ---------------------------------------------------------------------------------
P23 = LSTMParams.random(2, 3, seed=1)  # D = 2, H = 3
GOOD = {"x": np.zeros(2), "h_prev": np.zeros(3), "c_prev": np.zeros(3)}
EXPECTED = {"x": "(2,)", "h_prev": "(3,)", "c_prev": "(3,)"}


@pytest.mark.parametrize("arg", ["x", "h_prev", "c_prev"])
@pytest.mark.parametrize("bad", [np.zeros(4), np.zeros((1, 3)), np.zeros(1), 0.5, []])
def test_wrong_input_shape_names_the_argument(arg, bad):
    with pytest.raises(ValueError) as info:
        lstm_step(P23, **{**GOOD, arg: bad})
    assert arg in str(info.value) and EXPECTED[arg] in str(info.value)


@pytest.mark.parametrize("arg", ["x", "h_prev", "c_prev"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_names_the_argument(arg, bad):
    value = np.array(GOOD[arg])
    value[-1] = bad
    with pytest.raises(ValueError) as info:
        lstm_step(P23, **{**GOOD, arg: value})
    assert arg in str(info.value) and EXPECTED[arg] in str(info.value)


SHAPES = [("W_x", "(2, 3)", (3, 2)), ("W_h", "(3, 3)", (3, 2)), ("b", "(3,)", (2,))]


@pytest.mark.parametrize("gate,field,shape,bad_shape", [
    (g, *spec) for g in GATE_ORDER for spec in SHAPES if (g, spec[0]) != ("i", "W_x")])
def test_wrong_weight_shape_names_the_block(gate, field, shape, bad_shape):
    """W_xi sets D and H; every other block is checked against them."""
    name = f"{field}{gate}" if field != "b" else f"b_{gate}"
    with pytest.raises(ValueError) as info:
        P23.with_gate(gate, **{field: np.zeros(bad_shape)})
    assert name in str(info.value) and shape in str(info.value)


@pytest.mark.parametrize("gate", GATE_ORDER)
@pytest.mark.parametrize("field,index", [("W_x", (1, 2)), ("W_h", (0, 0)), ("b", (2,))])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_weight_names_the_block(gate, field, index, bad):
    name = f"{field}{gate}" if field != "b" else f"b_{gate}"
    with pytest.raises(ValueError) as info:
        P23.with_element(gate, field, index, bad)
    assert name in str(info.value)


def test_non_finite_peephole_and_forget_bias_rejected():
    with pytest.raises(ValueError, match=r"w_cf.*\(3,\)"):
        P23.with_element("f", "w_c", 1, np.nan)
    with pytest.raises(ValueError, match="forget_bias"):
        LSTMParams.random(2, 3, forget_bias=np.inf)


@pytest.mark.parametrize("bad", [np.zeros(6), [1.0, 2.0], 3.0, np.zeros((2, 3, 4))])
def test_w_xi_of_wrong_rank_names_it(bad):
    with pytest.raises(ValueError, match=r"W_xi.*\(D, H\)"):
        P23.with_gate("i", W_x=bad)


def test_blocks_may_be_nested_lists():
    params = LSTMParams.from_blocks(W_x={n: [[1.0, 0.0]] for n in GATE_ORDER},
                                    W_h={n: [[1.0, 0.0], [0.0, 1.0]] for n in GATE_ORDER},
                                    b={n: [0.0, 0.0] for n in GATE_ORDER})
    assert (params.D, params.H) == (1, 2)


def test_framework_layouts_name_their_arguments():
    w_ih, w_hh, b_ih, b_hh = P23.to_torch()
    with pytest.raises(ValueError, match="weight_hh"):
        LSTMParams.from_torch(w_ih, w_hh[:, :2], b_ih, b_hh)
    with pytest.raises(ValueError, match="weight_ih"):
        LSTMParams.from_torch(w_ih[:5], w_hh, b_ih, b_hh)
    bad = np.array(w_ih)
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="weight_ih"):
        LSTMParams.from_torch(bad, w_hh, b_ih, b_hh)
    with pytest.raises(ValueError, match="bias_hh"):
        LSTMParams.from_torch(w_ih, w_hh, b_ih, np.zeros(5))
    kernel, recurrent, bias = P23.to_keras()
    with pytest.raises(ValueError, match="recurrent_kernel"):
        LSTMParams.from_keras(kernel, recurrent.T, bias)
    with pytest.raises(ValueError, match=r"bias.*\(12,\)"):
        LSTMParams.from_keras(kernel, recurrent, bias[:4])
    with pytest.raises(ValueError, match="kernel"):
        LSTMParams.from_tf1(np.zeros((3, 12)))  # D + H = 3 rows cannot hold H = 3 and D >= 1


# -- presets ------------------------------------------------------------------------------------
def near_0_or_1(a, tol=0.05):
    return np.all(np.minimum(a, 1.0 - a) <= tol)


BEHAVIOUR = {
    "default": lambda s: all(np.all((a > 0.05) & (a < 0.95)) for a in (s.i, s.f, s.o))
    and np.all(np.abs(s.g) < 0.95),
    "stackoverflow": lambda s: np.allclose(s.f, naive_sigmoid(s.h_prev + s.x), rtol=0, atol=1e-15),
    "remember": lambda s: np.all(s.f > 0.95) and np.all(s.i < 0.05)
    and np.allclose(s.c, s.c_prev, rtol=0, atol=0.05),
    "forget": lambda s: np.all(s.f < 0.05) and np.all(s.i < 0.05)
    and np.all(np.abs(s.c) < 0.05 * np.abs(s.c_prev)),
    "overwrite": lambda s: np.all(s.f < 0.05) and np.all(s.i > 0.95)
    and np.allclose(s.c, s.g, rtol=0, atol=0.05),
    "saturated": lambda s: all(near_0_or_1(a) for a in (s.i, s.f, s.o))
    and all(np.all(np.abs(z) > 2.9) for z in (s.z_i, s.z_f, s.z_g, s.z_o)),
    "highway": lambda s: np.all(s.f > 0.99),  # over 50 steps: tests/test_backward_model.py
    # the GRU's presets (cell "gru"): checked on the scenario's GRU step
    "gru-keep": lambda s: np.all(s.z > 0.99) and np.allclose(s.h, s.h_prev, rtol=0, atol=0.02),
    "gru-overwrite": lambda s: np.all(s.z < 0.01) and np.allclose(s.h, s.g, rtol=0, atol=0.02),
    "gru-reset": lambda s: np.all(s.r < 0.01)
    and np.allclose(s.g, np.tanh(s.candidate.Wx_x + s.candidate.b_x), rtol=0, atol=0.02),
    "gru-reset-before": lambda s: not s.reset_after and np.all(np.abs(s.candidate.h_in)
                                                               < np.abs(s.h_prev)),
}
def test_every_preset_has_a_behaviour_check():
    assert set(BEHAVIOUR) == set(PRESETS)
    assert {"stackoverflow", "remember", "forget", "overwrite", "saturated"} <= set(PRESETS)


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_builds_and_does_what_its_line_says(name):
    preset = PRESETS[name]
    assert preset.shows and "\n" not in preset.shows
    scenario = build(name)
    assert scenario.preset == name
    assert (scenario.D, scenario.H) == (preset.D, preset.H)
    step = scenario.gru_step() if preset.cell == "gru" else scenario.step()
    assert BEHAVIOUR[name](step), f"{name}: {preset.shows}"


def test_unknown_preset_is_a_value_error():
    with pytest.raises(ValueError, match="unknown preset"):
        build("no-such-preset")


# -- through time -------------------------------------------------------------------------------
def pulse(T, D, amplitude=1.0):
    xs = np.zeros((T, D))
    xs[0] = amplitude
    return xs


@pytest.mark.parametrize("D,H", [(1, 1), (2, 3), (4, 2)])
def test_unroll_equals_repeated_steps(D, H):
    params = LSTMParams.random(D, H, seed=D + H, use_peepholes=True, forget_bias=0.5)
    params = params.with_gate("f", w_c=np.linspace(-1, 1, H))
    xs = np.random.default_rng(0).normal(size=(12, D))
    h, c = np.full(H, 0.1), np.full(H, -0.2)
    trace = unroll(params, xs, h, c)
    assert len(trace.steps) == 12
    for t, x in enumerate(xs):
        step = lstm_step(params, x, h, c)
        np.testing.assert_array_equal(trace.steps[t].h, step.h)
        np.testing.assert_array_equal(trace.steps[t].c, step.c)
        np.testing.assert_array_equal(trace.steps[t].x, x)
        h, c = step.h, step.c
    np.testing.assert_array_equal(trace.over_time("c")[-1], c)
    assert trace.over_time("f").shape == (12, H)


@pytest.mark.parametrize("bias,tol", [(20.0, 1e-6), (40.0, 1e-12)])
def test_open_forget_gate_and_closed_input_gate_keep_c_for_100_steps(bias, tol):
    D, H = 2, 3
    params = (LSTMParams.random(D, H, seed=4, scale=0.3)
              .with_gate("f", b=np.full(H, bias)).with_gate("i", b=np.full(H, -bias)))
    c0 = np.array([0.9, -0.7, 2.5])
    xs = np.random.default_rng(1).uniform(-1, 1, (100, D))
    trace = unroll(params, xs, np.zeros(H), c0)
    drift = np.max(np.abs(trace.over_time("c") - c0))
    assert drift <= tol, drift


def test_without_the_open_forget_gate_c_fades():
    params = LSTMParams.random(1, 2, seed=4, scale=0.3).with_gate("i", b=np.full(2, -20.0))
    trace = unroll(params, pulse(100, 1), np.zeros(2), np.array([1.0, -1.0]))
    assert np.all(np.abs(trace.steps[-1].c) < 1e-6)


@pytest.mark.parametrize("D,H", [(1, 1), (3, 2), (2, 4)])
def test_unroll_rnn_equals_repeated_rnn_steps(D, H):
    rng = np.random.default_rng(D * H)
    params = RNNParams(rng.normal(size=(D, H)), rng.normal(size=(H, H)), rng.normal(size=H))
    xs = rng.normal(size=(15, D))
    h = rng.normal(size=H)
    trace = unroll_rnn(params, xs, h)
    for t, x in enumerate(xs):
        step = rnn_step(params, x, h)
        np.testing.assert_array_equal(trace.steps[t].h, step.h)
        np.testing.assert_allclose(step.h, np.tanh(params.W_x.T @ x + params.W_h.T @ h + params.b),
                                   rtol=0, atol=1e-15)
        h = step.h


def test_rnn_from_lstm_is_the_candidate_layer():
    params = LSTMParams.random(2, 3, seed=8)
    rnn = RNNParams.from_lstm(params)
    x, h = np.array([0.3, -0.2]), np.array([0.1, 0.5, -0.4])
    np.testing.assert_array_equal(rnn_step(rnn, x, h).z, lstm_step(params, x, h, np.zeros(3)).z_g)


def rnn_final_h(params, xs, h0):
    return unroll_rnn(params, xs, h0).steps[-1].h


@pytest.mark.parametrize("H", [1, 2, 3])
def test_rnn_jacobian_norms_match_finite_differences(H):
    rng = np.random.default_rng(H)
    D, T = 2, 6
    params = RNNParams(rng.normal(0, 0.8, (D, H)), rng.normal(0, 0.9, (H, H)),
                       rng.normal(0, 0.3, H))
    xs = rng.normal(size=(T, D))
    h0 = rng.normal(0, 0.5, H)
    norms = unroll_rnn(params, xs, h0).jacobian_norms
    assert norms.shape == (T,)
    eps = 1e-6
    for t in range(1, T + 1):
        J = np.empty((H, H))
        for k in range(H):
            dh = np.zeros(H)
            dh[k] = eps
            J[:, k] = (rnn_final_h(params, xs[:t], h0 + dh)
                       - rnn_final_h(params, xs[:t], h0 - dh)) / (2 * eps)
        np.testing.assert_allclose(norms[t - 1], np.linalg.norm(J, 2), rtol=1e-6, atol=1e-9)


def test_cell_path_gradient_is_the_running_product_of_f():
    params = LSTMParams.random(2, 3, seed=2)
    xs = np.random.default_rng(5).normal(size=(20, 2))
    trace = unroll(params, xs, np.zeros(3), np.ones(3))
    f = np.array([s.f for s in trace.steps])
    expected = np.empty_like(f)
    running = np.ones(3)
    for t in range(len(f)):
        running = running * f[t]
        expected[t] = running
    np.testing.assert_allclose(trace.cell_path_gradient, expected, rtol=1e-14, atol=0)


def test_cell_path_gradient_is_dc_dc0_when_nothing_else_depends_on_c():
    """With W_h = 0 and no peepholes the gates ignore the state, so ∂c(T)/∂c(0) = Π f exactly."""
    H, T = 3, 8
    params = LSTMParams.random(2, H, seed=6)
    for name in GATE_ORDER:
        params = params.with_gate(name, W_h=np.zeros((H, H)))
    xs = np.random.default_rng(2).normal(size=(T, 2))
    c0 = np.array([0.4, -0.3, 1.2])
    grad = unroll(params, xs, np.zeros(H), c0).cell_path_gradient
    eps = 1e-6
    for k in range(H):
        dc = np.zeros(H)
        dc[k] = eps
        hi = unroll(params, xs, np.zeros(H), c0 + dc).over_time("c")
        lo = unroll(params, xs, np.zeros(H), c0 - dc).over_time("c")
        fd = (hi - lo) / (2 * eps)  # (T, H): column k of each step's Jacobian
        np.testing.assert_allclose(fd[:, k], grad[:, k], rtol=1e-7, atol=1e-12)
        off = np.delete(fd, k, axis=1)
        assert np.all(np.abs(off) < 1e-9)  # diagonal: units do not mix along the cell path


def test_sequence_shape_is_checked():
    params = LSTMParams.random(2, 3)
    with pytest.raises(ValueError, match=r"xs.*\(T, 2\)"):
        unroll(params, np.zeros((5, 3)), np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="xs"):
        unroll(params, np.zeros(0), np.zeros(3), np.zeros(3))


# -- immutability -------------------------------------------------------------------------------
def test_with_element_does_not_mutate_the_original():
    params = LSTMParams.random(2, 3, seed=3)
    before = {(n, f): np.array(getattr(params.gate(n), f)) for n in GATE_ORDER
              for f in ("W_x", "W_h", "b")}
    changed = params.with_element("f", "W_x", (0, 1), 42.0)
    assert changed.W_x("f")[0, 1] == 42.0
    assert params.W_x("f")[0, 1] != 42.0
    for (n, f), arr in before.items():
        np.testing.assert_array_equal(getattr(params.gate(n), f), arr)
    other = params.with_element("o", "b", 2, -1.0).with_element("i", "W_h", (2, 0), 3.0)
    assert other.b("o")[2] == -1.0 and other.W_h("i")[2, 0] == 3.0
    np.testing.assert_array_equal(params.b("o"), before[("o", "b")])


def test_param_arrays_are_read_only_and_do_not_alias_the_input():
    source = np.eye(2)
    params = LSTMParams.from_blocks(W_x={n: source for n in GATE_ORDER},
                                    W_h={n: source for n in GATE_ORDER},
                                    b={n: np.zeros(2) for n in GATE_ORDER})
    source[0, 0] = 99.0
    assert params.W_x("f")[0, 0] == 1.0
    for name in GATE_ORDER:
        gate = params.gate(name)
        arrays = [gate.W_x, gate.W_h, gate.b] + ([gate.w_c] if gate.w_c is not None else [])
        for arr in arrays:
            assert not arr.flags.writeable
            with pytest.raises(ValueError):
                arr[0] = 5.0
    rnn = RNNParams(np.eye(2), np.eye(2), np.zeros(2))
    for arr in (rnn.W_x, rnn.W_h, rnn.b):
        assert not arr.flags.writeable


def test_params_are_frozen():
    params = LSTMParams.random(2, 2)
    with pytest.raises(AttributeError):
        params.forget_bias = 1.0
    with pytest.raises(AttributeError):
        params.f.b = np.zeros(2)


def test_sigmoid_matches_the_textbook_formula_in_range():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid(z), naive_sigmoid(z), rtol=1e-14, atol=0)


# -- gates: one canonical order, closed sets as enums ----------------------------------------
def test_one_canonical_gate_order_with_the_output_gate_last():
    from lstm_core import GATE_ORDER, GATES, PEEPHOLE_GATES, Activation, PeepholeSource
    from lstm_core.params import KERAS_ORDER, TF1_ORDER, TORCH_ORDER

    assert GATE_ORDER == ("i", "f", "g", "o") == tuple(s.name for s in GATES)
    assert PEEPHOLE_GATES == ("i", "f", "o")
    assert GATES[-1].peephole_from is PeepholeSource.C  # reads the new c(t): computed last
    assert [s.activation for s in GATES] == [Activation.SIGMOID] * 2 + [Activation.TANH,
                                                                        Activation.SIGMOID]
    for order in (TORCH_ORDER, KERAS_ORDER, TF1_ORDER):
        assert sorted(order) == sorted(GATE_ORDER)
    step = build("default").step()
    assert [g.spec.name for g in step.gates] == list(GATE_ORDER)


def test_activation_enum_values_slopes_and_saturation_bounds():
    from lstm_core import Activation

    z = np.array([-3.0, 0.0, 2.0])
    np.testing.assert_allclose(Activation.SIGMOID(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(Activation.TANH(z), np.tanh(z), rtol=1e-15)
    for act in Activation:
        h = 1e-6  # slope against a central difference
        np.testing.assert_allclose(act.slope(z), (act(z + h) - act(z - h)) / (2 * h), rtol=1e-8)
        bound = act.saturation_bound(0.05)
        np.testing.assert_allclose(act.slope(np.array([bound])), 0.05, rtol=1e-12)
    assert Activation("tanh") is Activation.TANH and Activation.SIGMOID == "sigmoid"
    assert (Activation.SIGMOID.low, Activation.TANH.low) == (0.0, -1.0)


def test_step_records_its_configuration_and_the_table_shows_zero_peepholes():
    from dataclasses import replace

    from lstm_core.intermediates import intermediates

    s = build("default")
    on = replace(s.params, use_peepholes=True, forget_bias=1.0)  # peephole weights all zero
    step = lstm_step(on, s.x, s.h_prev, s.c_prev)
    assert step.use_peepholes and step.forget_bias == 1.0
    assert [step.has_peephole(n) for n in "ifgo"] == [True, True, False, True]
    rows = [item.symbol for item in intermediates(step)]
    assert [r for r in rows if r.startswith("w_c")] == ["w_ci⊗c", "w_cf⊗c", "w_co⊗c"]
    off = s.step()
    assert not off.use_peepholes and off.forget_bias == 0.0
    assert not [r for r in (i.symbol for i in intermediates(off)) if r.startswith("w_c")]
