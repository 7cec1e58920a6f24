"""The GRU as a third cell through time: the figures (validated, numbers from the run) and the
Through-time page's GRU section (AppTest)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from apptest import open_app

from explainer.presets import build
from lstm_core.gru_sequence import gru_through_time
from lstm_core.memory import through_time
from viz.gru_timeline import gru_timeline_figure, keep_path_figure
from viz.timeline import memory_label


def run_of(name: str):
    s = build(name)
    seq = s.view.sequence
    xs = seq.xs(s.D)
    return s, gru_through_time(s.gru, xs, s.h_prev, seq.amplitude), through_time(
        s.params, xs, s.h_prev, s.c_prev, seq.amplitude)


def test_figures_are_valid_and_carry_the_runs_numbers():
    s, gru, lstm = run_of("gru-keep")
    fig = gru_timeline_figure(gru.run, selected_t=3)
    go.Figure(fig.to_dict())  # validates
    h1 = next(t for t in fig.data if t.name == "h₁")
    np.testing.assert_array_equal(h1.y, gru.run.h[:, 0])
    z2 = next(t for t in fig.data if t.name == "z₂")
    np.testing.assert_array_equal(z2.y, gru.run.z[:, 1])
    keep = keep_path_figure(gru.run, lstm.lstm)
    go.Figure(keep.to_dict())
    pz = next(t for t in keep.data if t.name == "GRU Π z₁")
    np.testing.assert_allclose(pz.customdata, np.cumprod(gru.run.z[:, 0]))


def test_through_time_page_shows_the_gru_section():
    at = open_app("pages/6_Through_time.py", preset="gru-keep")
    assert not at.exception
    s, gru, _ = run_of("gru-keep")
    metric = next(m for m in at.metric if m.label == "GRU: pulse visible in h(t)")
    assert metric.value == memory_label(gru.memory)
    assert gru.memory.steps > 20  # z ≈ 1 keeps the pulse
    over = open_app("pages/6_Through_time.py", preset="gru-overwrite")
    metric = next(m for m in over.metric if m.label == "GRU: pulse visible in h(t)")
    assert metric.value == memory_label(run_of("gru-overwrite")[1].memory) != metric.value + "x"
    assert run_of("gru-overwrite")[1].memory.steps < gru.memory.steps
