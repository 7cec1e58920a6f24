"""The "through time" page's gradient-by-distance chart: what lstm_core.highway computes, on a
log scale with the forget-gate product as the highway; its figure handles values far outside
float64 (drawn at the floor or the top, exact in the hover)."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
from apptest import open_app

from explainer.backward import gradient_reach_of
from explainer.presets import build
from explainer.scenario import LossSettings
from lstm_core import LSTMParams
from lstm_core.highway import gradient_reach
from viz.timeline import GRADIENT_FLOOR, _power_text, reach_figure

PAGE = "pages/6_Through_time.py"


def traces(fig_json: dict) -> dict[str, dict]:
    return {t["name"]: t for t in fig_json["data"]}


def reach_spec(at) -> dict:
    """The chart of gradients by distance (the page draws the GRU's charts after it)."""
    return next(s for s in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
                if "LSTM ‖∂L/∂c(0)‖" in traces(s))


def values(trace: dict) -> np.ndarray:
    y = trace["y"]
    if isinstance(y, dict):
        import base64
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"]))
    return np.asarray(y, dtype=np.float64)


def test_page_plots_the_highway_presets_gradients_by_distance():
    at = open_app(PAGE, preset="highway")
    assert not at.exception
    spec = reach_spec(at)
    shown = traces(spec)
    reach = gradient_reach_of(build("highway"))
    np.testing.assert_allclose(values(shown["LSTM ‖∂L/∂c(0)‖"]), 10 ** reach.lstm_dc0_log10,
                               rtol=1e-12)
    np.testing.assert_allclose(values(shown["LSTM ‖∂L/∂h(0)‖"]), 10 ** reach.lstm_dh0_log10,
                               rtol=1e-12)
    rnn = values(shown["RNN ‖∂L/∂h(0)‖"])
    assert rnn[0] > 1e-3 and rnn[-1] < 1e-20  # vanishes over 50 steps
    assert values(shown["LSTM ‖∂L/∂c(0)‖"])[-1] > 0.05  # alive over 50 steps
    np.testing.assert_allclose(values(shown["highway Π f₁"]), reach.forget_product[:, 0],
                               rtol=1e-12)
    assert spec["layout"]["yaxis"]["type"] == "log"


def test_changing_the_loss_target_changes_the_chart():
    at = open_app(PAGE, preset="highway", target="0.9,-0.9")
    spec = reach_spec(at)
    reach = gradient_reach_of(build("highway").with_view(
        loss=LossSettings(target=(0.9, -0.9))))
    np.testing.assert_allclose(values(traces(spec)["LSTM ‖∂L/∂c(0)‖"]),
                               10 ** reach.lstm_dc0_log10, rtol=1e-12)


def test_figure_draws_out_of_range_values_at_the_floor_and_says_the_true_size():
    params = LSTMParams.random(2, 2, seed=2, scale=20.0)
    reach = gradient_reach(params, np.zeros((60, 2)), np.zeros(2), np.zeros(2), dh=np.ones(2))
    fig = reach_figure(reach)
    go.Figure(fig.to_dict())  # valid Plotly (the module builds figures unvalidated)
    rnn = traces(fig.to_plotly_json())["RNN ‖∂L/∂h(0)‖"]
    assert np.min(values(rnn)) == GRADIENT_FLOOR
    assert "drawn at the floor" in rnn["text"][-1]
    assert rnn["text"][-1].startswith(_power_text(reach.rnn_dh0_log10[-1]))


def test_power_text():
    assert _power_text(-1939.5) == "3.16e-1940"
    assert _power_text(0.0) == "1.00e0" and _power_text(-np.inf) == "0"
    assert _power_text(np.log10(9.999)) == "1.00e1"
