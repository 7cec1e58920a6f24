"""AppTest: the "through time" page plots what lstm_core computes and survives bad input."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from apptest import open_app
from streamlit.testing.v1 import AppTest

from explainer.presets import build
from lstm_core import unroll

ROOT = Path(__file__).resolve().parents[1]
PAGE_PATH = "pages/6_Through_time.py"


def run_page(**query) -> AppTest:
    return open_app(PAGE_PATH, **query)


def decode(value) -> np.ndarray:
    """A Plotly JSON array: a plain list, or {"dtype": "f8", "bdata": base64}."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    return np.asarray(value, dtype=np.float64)


def timeline(at: AppTest) -> dict[str, np.ndarray]:
    """The timeline chart's traces by name -> y values."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return {tr["name"]: decode(tr["y"]) for tr in spec["data"] if "y" in tr}


def scenario(at: AppTest):
    return at.session_state["scenario"]


def test_page_runs_and_shows_four_charts_and_two_memories():
    at = run_page()
    assert not at.exception
    assert at.title[0].value == "Through time"
    assert len(at.get("plotly_chart")) == 4 + 2  # + the GRU's two (tests/test_gru_through_time)
    labels = [m.label for m in at.metric]
    assert labels == ["LSTM: pulse visible in c(t)", "Basic RNN: pulse visible in h(t)",
                      "GRU: pulse visible in h(t)"]


def test_changing_T_replots_exactly_what_unroll_computes():
    at = run_page()
    at.slider(key="seq_T").set_value(137).run()
    assert not at.exception
    s = scenario(at)
    assert s.view.sequence.T == 137
    trace = unroll(s.params, s.view.sequence.xs(s.D), s.h_prev, s.c_prev)
    plotted = timeline(at)
    for name in ("c", "h", "f", "i", "o"):
        expected = trace.over_time(name)
        for k, sub in enumerate("₁₂"):
            np.testing.assert_allclose(plotted[f"{name}{sub}"], expected[:, k],
                                       rtol=1e-12, atol=1e-14)
    assert len(plotted["x(t)"]) == 137


def test_sequence_kinds_and_amplitude_reach_the_plot():
    at = run_page()
    at.selectbox(key="seq_kind").set_value("step").run()
    at.slider(key="seq_amp").set_value(2.5).run()
    x = timeline(at)["x(t)"]
    T = scenario(at).view.sequence.T
    np.testing.assert_array_equal(x, np.where(np.arange(T) >= T // 4, 2.5, 0.0))


def test_bad_custom_values_warn_and_keep_the_previous_ones():
    at = run_page()
    at.selectbox(key="seq_kind").set_value("custom").run()
    at.text_input(key="seq_values").input("1, 0.5, 0").run()
    assert scenario(at).view.sequence.values == (1.0, 0.5, 0.0)
    at.text_input(key="seq_values").input("1, oops, 0").run()
    assert not at.exception
    assert scenario(at).view.sequence.values == (1.0, 0.5, 0.0)
    (warning,) = at.warning
    assert "value 2 ('oops') is not a number" in warning.value
    assert at.text_input(key="seq_values").value == "1, 0.5, 0"
    T = scenario(at).view.sequence.T
    np.testing.assert_array_equal(timeline(at)["x(t)"], np.resize([1.0, 0.5, 0.0], T))
    at.slider(key="seq_T").set_value(10).run()  # the warning was shown once
    assert not at.warning


def test_opening_a_step_in_the_explorer_sets_x_h_c_of_that_step():
    at = run_page()
    at.number_input(key="tt_step").set_value(4).run()
    (button,) = [b for b in at.button if b.label == "Open step 4 in the explorer"]
    button.click().run()
    assert not at.exception
    assert at.title[0].value != "Through time"  # now on the explorer
    s, start = scenario(at), build("default")
    trace = unroll(start.params, start.view.sequence.xs(start.D), start.h_prev, start.c_prev)
    np.testing.assert_allclose(s.x, trace.steps[3].x)
    np.testing.assert_allclose(s.h_prev, trace.steps[2].h, rtol=1e-12)
    np.testing.assert_allclose(s.c_prev, trace.steps[2].c, rtol=1e-12)
    np.testing.assert_allclose(s.step().c, trace.steps[3].c, rtol=1e-12)


def test_link_parameters_set_the_sequence():
    at = run_page(seq="noise", T="80", seed="3", amp="0.5")
    assert not at.exception
    seq = scenario(at).view.sequence
    assert (seq.kind, seq.T, seq.seed, seq.amplitude) == ("noise", 80, 3, 0.5)
    np.testing.assert_array_equal(timeline(at)["x(t)"], seq.xs(2)[:, 0])
