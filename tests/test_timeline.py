"""lstm_core.memory (fast unrolls, memory length, forget-bias sweep) and viz.timeline figures."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import pytest

from explainer.presets import build
from lstm_core import LSTMParams, RNNParams, unroll, unroll_rnn
from lstm_core.memory import (
    FORGET_BIAS_OFFSETS,
    lstm_batch,
    memory_length,
    pulse,
    rnn_batch,
    through_time,
)
from viz.timeline import GRADIENT_FLOOR, forget_bias_figure, gradient_figure, timeline_figure


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def one_unit(b_i: float, b_f: float, w_g: float = 1.0) -> LSTMParams:
    """D = H = 1, no recurrent weights: x reaches c only through g = tanh(w_g x)."""
    params = LSTMParams.zeros(1, 1)
    params = params.with_gate("i", b=[b_i]).with_gate("f", b=[b_f])
    return params.with_gate("g", W_x=[[w_g]]).with_gate("o", b=[5.0])


def test_forget_open_input_closed_keeps_c_so_memory_is_T():
    T = 60
    params = one_unit(b_i=-60.0, b_f=60.0)  # f = σ(60) = 1 in float64, i = σ(-60) ≈ 1e-26
    (run,) = lstm_batch(params, pulse(T, 1, 1.0)[None], [0.0], [0.8])
    np.testing.assert_array_equal(run.c, np.full((T, 1), 0.8))
    memory = memory_length(run.c, 0.0)
    assert (memory.steps, memory.lasting, memory.peak_step) == (T, True, 1)
    # measured the way the page does, against silence: a closed input lets no pulse in
    assert through_time(params, pulse(T, 1, 1.0), [0.0], [0.8], 1.0).lstm_memory.steps == 0


def test_memory_is_the_last_step_at_half_the_peak():
    assert memory_length([[0.0], [0.0]], 0.0).steps == 0
    d = np.array([1.0, 0.8, 0.6, 0.5, 0.49, 0.7, 0.2, 0.0])  # back above half at t = 6
    memory = memory_length(d[:, None], np.zeros(1))
    assert (memory.steps, memory.lasting, memory.peak, memory.peak_step) == (6, False, 1.0, 1)
    growing = memory_length(np.linspace(0.1, 1.0, 10)[:, None], 0.0)  # peak at the end
    assert (growing.steps, growing.lasting) == (10, True)


def test_constant_forget_gate_halves_the_pulse_every_log2_steps():
    f = 0.9
    params = one_unit(b_i=60.0, b_f=logit(f))  # input gate open: the pulse enters c(1)
    run = through_time(params, pulse(40, 1, 1.0), [0.0], [0.0], 1.0)
    # Δc(t) = f^(t-1) Δc(1): the last t with 0.9^(t-1) ≥ 1/2 is t = 7
    assert run.lstm_memory.steps == 1 + int(np.floor(np.log(0.5) / np.log(f)))
    assert run.lstm_memory.steps == 7


def test_bigger_forget_bias_keeps_memory_longer():
    params = one_unit(b_i=60.0, b_f=0.0)
    sweep = through_time(params, pulse(200, 1, 1.0), [0.0], [0.0], 1.0).sweep
    steps = [p.memory.steps for p in sweep]
    assert [p.offset for p in sweep] == list(FORGET_BIAS_OFFSETS)
    assert steps == sorted(steps) and len(set(steps)) == len(steps), steps
    assert [p.mean_f for p in sweep] == sorted(p.mean_f for p in sweep)


@pytest.mark.parametrize("params", [
    build("default").params,
    build("saturated").params,
    LSTMParams.random(3, 4, seed=2, scale=3.0, use_peepholes=True, forget_bias=1.0),
])
def test_fast_unroll_matches_lstm_core_unroll(params):
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(3, 30, params.D))
    h0, c0 = rng.uniform(-1, 1, params.H), rng.uniform(-2, 2, params.H)
    runs = lstm_batch(params, xs, h0, c0)
    for x, run in zip(xs, runs):
        trace = unroll(params, x, h0, c0)
        for name in ("c", "h", "f", "i", "g", "o"):
            np.testing.assert_allclose(getattr(run, name), trace.over_time(name),
                                       rtol=1e-12, atol=1e-14, err_msg=name)
        np.testing.assert_allclose(run.cell_path_gradient, trace.cell_path_gradient,
                                   rtol=1e-12, atol=1e-300)
    rnn_params = RNNParams.from_lstm(params)
    for x, run in zip(xs, rnn_batch(rnn_params, xs, h0)):
        trace = unroll_rnn(rnn_params, x, h0)
        np.testing.assert_allclose(run.h, trace.over_time("h"), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(run.jacobian_norms, trace.jacobian_norms, rtol=1e-10)


def test_forget_bias_offsets_are_added_to_b_f():
    params = build("default").params
    xs = pulse(20, params.D, 1.0)
    (shifted,) = lstm_batch(params, xs[None], np.zeros(params.H), np.zeros(params.H), [2.0])
    moved = params.with_gate("f", b=params.f.b + 2.0)
    np.testing.assert_allclose(shifted.c, unroll(moved, xs, np.zeros(2), np.zeros(2))
                               .over_time("c"), rtol=1e-12, atol=1e-14)


# -- figures ---------------------------------------------------------------------------------
def scenario_run(preset: str = "default", T: int = 50):
    s = build(preset)
    seq = replace(s.view.sequence, T=T)
    return through_time(s.params, seq.xs(s.D), s.h_prev, s.c_prev, seq.amplitude), s


def assert_valid(fig: go.Figure) -> None:
    """The builders skip Plotly's validation for speed; do it here instead."""
    go.Figure(fig.to_dict())


@pytest.mark.parametrize("preset", ["default", "stackoverflow"])
@pytest.mark.parametrize("presenter", [False, True])
def test_timeline_figure_has_a_trace_per_unit_and_row(preset, presenter):
    run, s = scenario_run(preset)
    fig = timeline_figure(run.lstm, run.rnn, selected_t=3, presenter=presenter)
    assert_valid(fig)
    H = s.H
    lines = [tr for tr in fig.data if tr.type == "scatter" and tr.showlegend is False]
    legend = [tr for tr in fig.data if tr.showlegend]
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert len(lines) == 5 * H + H  # c, h, f, i, o of the LSTM; h of the RNN
    assert [tr.name for tr in legend] == [f"unit {k + 1}" for k in range(H)]
    assert len(bars) == 2  # the input under each column
    c1 = next(tr for tr in fig.data if tr.name == "c₁")
    np.testing.assert_array_equal(c1.y, run.lstm.c[:, 0])
    # unit k looks the same in every row: colour and dash
    styles = {(tr.line.color, tr.line.dash) for tr in lines if tr.name.endswith("₁")}
    assert len(styles) == 1
    assert fig.layout.hovermode == "x unified"
    assert fig.layout.yaxis7.range == fig.layout.yaxis2.range  # RNN h and LSTM h: same range
    assert fig.layout.shapes[0].x0 == 2.5
    assert fig.layout.font.size == (20 if presenter else 13)


def test_gradient_figure_is_log_and_clips_at_the_floor():
    run, s = scenario_run("saturated", T=200)
    fig = gradient_figure(run.lstm, run.rnn)
    assert_valid(fig)
    assert fig.layout.yaxis.type == "log"
    assert len(fig.data) == s.H + 1
    rnn = fig.data[-1]
    assert rnn.name.startswith("RNN")
    assert min(rnn.y) >= GRADIENT_FLOOR
    np.testing.assert_array_equal(rnn.customdata, run.rnn.jacobian_norms)
    clipped = run.rnn.jacobian_norms < GRADIENT_FLOOR
    assert clipped.any()  # the saturated cell's RNN gradient vanishes below 1e-30
    assert all(("drawn at the floor" in text) == c for text, c in zip(rnn.text, clipped))


def test_forget_bias_figure_shows_each_offset_and_the_rnn():
    run, _ = scenario_run("remember", T=100)
    fig = forget_bias_figure(run.sweep, run.rnn_memory, run.rnn_effect, presenter=True)
    assert_valid(fig)
    curves = [tr for tr in fig.data if tr.type == "scatter"]
    assert [tr.name for tr in curves] == [f"b_f {v:+g}" for v in FORGET_BIAS_OFFSETS] + [
        "RNN h(t)"]
    assert all(max(tr.y) == pytest.approx(1.0) for tr in curves)  # each relative to its peak
    (bars,) = [tr for tr in fig.data if tr.type == "bar"]
    assert list(bars.y) == [p.memory.steps for p in run.sweep] + [run.rnn_memory.steps]
    assert list(bars.x)[-1] == "RNN"
    assert fig.layout.font.size == 20
