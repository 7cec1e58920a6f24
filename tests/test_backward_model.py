"""The backward pass in the app's model: the loss in the scenario, the URL and scenario files;
the backward walkthrough; the gradients by distance; the backward equations and the gradient
diagram. Numbers are checked against finite differences through the forward pass and against
lstm_core's unroll_backward (itself checked against PyTorch autograd)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer import scenario_file
from explainer.backward import backward_pass, gradient_reach_of, with_loss_kind, with_loss_value
from explainer.codec import PARAMETERS, decode, encode
from explainer.presets import PRESETS, build
from explainer.scenario import LOSS_KINDS, UI_MAX_SIZE, LossSettings
from explainer.walkthrough import BACKWARD_STEPS, MAX_BACK_STEP, back_at
from lstm_core import (
    VALUE_LIMIT,
    LSTMParams,
    RNNParams,
    lstm_step,
    unroll,
    unroll_backward,
    unroll_rnn,
    unroll_rnn_backward,
)
from lstm_core.highway import gradient_reach
from viz.backward import backward_lines, number
from viz.canvas import lstm_canvas
from viz.diagram import GATE_SCALE, cell_diagram, gradient_limit

NEW_KEYS = ("loss", "target", "dh", "dc", "bstep")


def loss_of(params, x, h_prev, c_prev, target, dc):
    """L = ½‖h(t) − target‖² + dc·c(t): the loss whose gradient the page shows (dc stands for
    what later steps make of c(t))."""
    step = lstm_step(params, x, h_prev, c_prev)
    return 0.5 * float(np.sum((step.h - target) ** 2)) + float(dc @ step.c)


def numeric_gradient(f, v, eps=1e-6):
    out = np.zeros_like(v)
    for k in range(len(v)):
        up, down = v.copy(), v.copy()
        up[k] += eps
        down[k] -= eps
        out[k] = (f(up) - f(down)) / (2 * eps)
    return out


# -- the scenario and the link ------------------------------------------------------------------
def test_defaults_leave_old_links_unchanged():
    for name in PRESETS:
        if name == "highway":
            continue
        query = encode(build(name))
        assert query == {"v": "1", "preset": name}
        assert build(name).view.loss == LossSettings() and build(name).view.back_step == 0


def test_loss_values_are_normalised_so_equal_losses_compare_equal():
    assert LossSettings(target=(0.0, 0.0)) == LossSettings()
    assert LossSettings(target=(1, 0.0)).target == (1.0,)
    assert LossSettings(target=(-0.0,)).target == (-0.0,)  # -0 is kept: links write it
    assert list(LossSettings(dc=(2.0,)).vector("dc", 3)) == [2.0, 0.0, 0.0]
    assert list(LossSettings(dc=(2.0, 3.0, 4.0)).vector("dc", 2)) == [2.0, 3.0]


floats = st.floats(-VALUE_LIMIT, VALUE_LIMIT, allow_nan=False, allow_infinity=False)


@given(preset=st.sampled_from(list(PRESETS)), H=st.integers(1, UI_MAX_SIZE),
       kind=st.sampled_from(LOSS_KINDS), vectors=st.lists(floats, min_size=24, max_size=24),
       back=st.integers(0, MAX_BACK_STEP))
@settings(max_examples=150, deadline=None)
def test_loss_and_backward_step_round_trip_through_a_real_query_string(preset, H, kind,
                                                                       vectors, back):
    s = build(preset)
    s = s.resized(s.D, H)
    loss = LossSettings(kind, tuple(vectors[:H]), tuple(vectors[8:8 + H]),
                        tuple(vectors[16:16 + H]))
    s = s.with_view(loss=loss, back_step=back)
    text = urlencode(encode(s))
    decoded = decode({k: v for k, v in parse_qs(text, keep_blank_values=True).items()})
    assert decoded.warnings == ()
    got = decoded.scenario.view
    assert got.back_step == back and got.loss.kind == kind
    for name in ("target", "dh", "dc"):
        a, b = got.loss.vector(name, H), loss.vector(name, H)
        assert a.tobytes() == b.tobytes(), name  # bit for bit, -0.0 included


def test_new_keys_are_in_the_table_once():
    keys = [p.key for p in PARAMETERS]
    assert len(keys) == len(set(keys))
    assert set(NEW_KEYS) <= set(keys)


@pytest.mark.parametrize(("key", "value", "says"), [
    ("loss", "<script>alert(1)</script>", "loss: expected one of target, direct"),
    ("target", "1,2,3", "target: expected 2 numbers between -10 and 10"),
    ("target", "nan,1", "'nan' is not a number"),
    ("dh", "1e400,0", "out of range"),
    ("dc", "11,0", "out of range"),
    ("dh", "1" * 5000, "characters long"),
    ("bstep", str(MAX_BACK_STEP + 1), f"bstep: expected a whole number from 0 to {MAX_BACK_STEP}"),
    ("bstep", "-1", "not a whole number"),
])
def test_hostile_values_warn_naming_the_parameter_and_keep_the_rest(key, value, says):
    decoded = decode({"preset": "remember", "x": "0.25,-1", key: value, "bstep": "2"}
                     if key != "bstep" else {"preset": "remember", "x": "0.25,-1", key: value})
    assert len(decoded.warnings) == 1 and decoded.warnings[0].startswith(f"{key}:")
    assert says in decoded.warnings[0]
    assert "<" not in decoded.warnings[0]
    s = decoded.scenario
    assert list(s.x) == [0.25, -1.0] and s.preset == "remember"
    assert s.view.loss == build("remember").view.loss
    assert s.view.back_step == (0 if key == "bstep" else 2)


def test_scenario_file_keeps_the_loss():
    s = build("default").with_view(loss=LossSettings("direct", (0.5,), (1.0, -2.0), (0.0, 3.0)),
                                   back_step=4)
    loaded = scenario_file.loads(scenario_file.dumps(s).encode())
    assert loaded.messages == () and loaded.scenario.view == s.view


def test_highway_preset_link_is_short_and_opens_its_target():
    s = decode({"preset": "highway"}).scenario
    assert encode(s) == {"v": "1", "preset": "highway"}
    assert list(s.view.loss.vector("target", s.H)) == [1.0, -1.0]


# -- the backward walkthrough ------------------------------------------------------------------
def test_backward_steps_go_right_to_left_and_light_real_canvas_parts():
    assert [w.id for w in BACKWARD_STEPS] == ["dh", "do", "dc_total", "gates", "dz", "inputs"]
    assert [w.index for w in BACKWARD_STEPS] == list(range(MAX_BACK_STEP + 1))
    for peepholes in (False, True):
        canvas = lstm_canvas(2, 3, peepholes)
        known = set(canvas.parts) | set(canvas.ids)
        for w in BACKWARD_STEPS:
            assert w.highlights <= known, (w.id, w.highlights - known)
            assert len(w.explanation) > 100 and "<" not in w.explanation
    assert back_at(-5) is BACKWARD_STEPS[0] and back_at(99) is BACKWARD_STEPS[-1]


# -- the numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize("peepholes", [False, True])
def test_backward_pass_matches_finite_differences_of_the_loss(peepholes):
    s = build("default")
    rng = np.random.default_rng(5)
    params = LSTMParams.random(3, 2, seed=11, use_peepholes=peepholes)
    for n in ("i", "f", "o"):
        params = params.with_gate(n, w_c=rng.uniform(-1, 1, 2))
    s = s.resized(3, 2).with_params(params)
    target, dc = np.array([0.7, -0.4]), np.array([0.3, -1.2])
    s = s.with_view(loss=LossSettings("target", tuple(target), (), tuple(dc)))
    run = backward_pass(s)
    args = dict(params=params, x=s.x, h_prev=s.h_prev, c_prev=s.c_prev, target=target, dc=dc)
    for name, got in (("x", run.grad.dx), ("h_prev", run.grad.dh_prev),
                      ("c_prev", run.grad.dc_prev)):
        ref = numeric_gradient(lambda v, name=name: loss_of(**{**args, name: v}), args[name])
        np.testing.assert_allclose(got, ref, atol=1e-8, err_msg=name)
    step = lstm_step(params, s.x, s.h_prev, s.c_prev)
    assert run.loss == pytest.approx(0.5 * np.sum((step.h - target) ** 2), abs=1e-15)
    np.testing.assert_array_equal(run.dh, step.h - target)


def test_switching_to_a_given_gradient_keeps_every_gradient():
    s = build("default").with_view(loss=LossSettings(target=(0.5, 0.25)))
    before = backward_pass(s)
    after = backward_pass(with_loss_kind(s, "direct"))
    assert after.loss is None
    np.testing.assert_array_equal(after.grad.dx, before.grad.dx)
    moved = with_loss_value(with_loss_kind(s, "direct"), "dh", 1, 2.0)
    assert backward_pass(moved).dh[1] == 2.0


# -- gradients by distance (the "through time" page) ----------------------------------------
@pytest.mark.parametrize("peepholes", [False, True])
def test_gradient_reach_equals_bptt_at_every_distance(peepholes):
    rng = np.random.default_rng(2)
    params = LSTMParams.random(2, 3, seed=4, scale=0.8, use_peepholes=peepholes,
                               forget_bias=1.0)
    xs, h0, c0 = rng.standard_normal((9, 2)), rng.uniform(-1, 1, 3), rng.uniform(-1, 1, 3)
    target = np.array([0.5, -0.5, 0.1])
    reach = gradient_reach(params, xs, h0, c0, target=target)
    rnn_params = RNNParams.from_lstm(params)
    for d in range(1, 10):
        trace = unroll(params, xs[:d], h0, c0)
        dhs = np.zeros((d, 3))
        dhs[-1] = trace.steps[-1].h - target
        G = unroll_backward(trace, dhs)
        np.testing.assert_allclose(reach.lstm_dh0[d - 1], G.dh0, atol=1e-13)
        np.testing.assert_allclose(reach.lstm_dc0[d - 1], G.dc0, atol=1e-13)
        assert reach.lstm_dc0_log10[d - 1] == pytest.approx(np.log10(np.linalg.norm(G.dc0)))
        rnn = unroll_rnn(rnn_params, xs[:d], h0)
        dhs[-1] = rnn.steps[-1].h - target
        np.testing.assert_allclose(reach.rnn_dh0[d - 1],
                                   unroll_rnn_backward(rnn, dhs).dh0, atol=1e-13)
    np.testing.assert_allclose(reach.forget_product,
                               np.cumprod(unroll(params, xs, h0, c0).over_time("f"), axis=0))


def test_gradient_reach_with_a_given_gradient_and_huge_weights_stays_finite_in_log():
    params = LSTMParams.random(2, 2, seed=2, scale=20.0)
    reach = gradient_reach(params, np.zeros((400, 2)), np.zeros(2), np.zeros(2),
                           dh=np.ones(2))
    for logs in (reach.lstm_dh0_log10, reach.lstm_dc0_log10, reach.rnn_dh0_log10):
        assert not np.any(np.isnan(logs))
    assert reach.rnn_dh0_log10[-1] < -300  # far below float64's smallest: kept as a logarithm
    with pytest.raises(ValueError, match="exactly one"):
        gradient_reach(params, np.zeros((3, 2)), np.zeros(2), np.zeros(2))


def test_highway_preset_keeps_the_lstm_gradient_while_the_rnn_loses_it():
    s = build("highway")
    assert s.view.sequence.T == 50
    reach = gradient_reach_of(s)
    assert reach.T == 50
    assert np.all(reach.forget_product[-1] > 0.85)  # f ≈ 1 at every step
    assert 10 ** reach.lstm_dc0_log10[-1] > 0.05  # alive 50 steps back
    assert 10 ** reach.rnn_dh0_log10[-1] < 1e-20  # vanished
    # the default preset's RNN does not vanish that way: the preset is what makes the point
    assert gradient_reach_of(build("default")).rnn_dh0_log10[-1] > reach.rnn_dh0_log10[-1]


# -- what the page draws ------------------------------------------------------------------
def test_backward_lines_show_the_numbers_and_peephole_terms_only_when_on():
    for peep in (False, True):
        s = build("default").with_params(
            LSTMParams.random(2, 2, seed=7, use_peepholes=peep))
        run = backward_pass(s)
        lines = backward_lines(run.step, run.grad, run.target, run.loss)
        assert list(lines) == [w.id for w in BACKWARD_STEPS]
        text = " ".join(line.numeric for group in lines.values() for line in group)
        for values in (run.grad.do, run.grad.dc_total, run.grad.df, run.grad.dz_g,
                       run.grad.dx, run.grad.dh_prev, run.grad.dc_prev):
            for v in values:
                assert number(float(v)) in text
        symbolic = " ".join(line.symbolic for group in lines.values() for line in group)
        assert ("w}_{co}" in symbolic) == peep and ("w}_{cf}" in symbolic) == peep


def test_number_keeps_small_gradients_readable():
    assert number(0.5) == "0.5000" and number(-0.0) == "0.0000"
    assert number(3.2e-5) == r"3.20{\times}10^{-5}"


def test_gradient_diagram_paints_each_gradient_on_one_scale_with_arrows_reversed():
    s = build("default").with_view(loss=LossSettings(target=(1.0, -1.0), dc=(0.5,)))
    run = backward_pass(s)
    fig = cell_diagram(run.step, grad=run.grad).to_plotly_json()
    heatmaps = [t for t in fig["data"] if t["type"] == "heatmap"]
    limit = gradient_limit(run.grad)
    top = max(np.max(np.abs(v)) for v in (run.grad.dc_total, run.grad.dx, run.grad.dh_prev))
    assert top <= limit < 5 * top + 1e-12
    assert all(t["zmin"] == -limit and t["zmax"] == limit and t["colorscale"] != GATE_SCALE
               for t in heatmaps)

    def strip(title):
        found = [t for t in heatmaps if t["hovertext"][0][0].startswith(f"<b>∂L/∂ {title}")]
        assert len(found) == 1, title
        return np.array(found[0]["z"][0], dtype=float)

    np.testing.assert_array_equal(strip("x(t)"), run.grad.dx)
    np.testing.assert_array_equal(strip("c(t-1)"), run.grad.dc_prev)
    np.testing.assert_array_equal(strip("f(t):"), run.grad.df)
    np.testing.assert_array_equal(strip("c(t): new"), run.grad.dc_total)
    forward = cell_diagram(run.step).to_plotly_json()
    angles = [t for t in fig["data"] if t.get("mode") == "markers" and "angle" in t["marker"]]
    forward_angles = [t for t in forward["data"]
                      if t.get("mode") == "markers" and "angle" in t["marker"]]
    a, b = np.array(angles[0]["marker"]["angle"]), np.array(forward_angles[0]["marker"]["angle"])
    assert len(a) == len(b) and not np.allclose(a, b)  # every arrowhead turned round
