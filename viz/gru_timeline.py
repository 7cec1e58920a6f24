"""The GRU over time (issue 16), drawn like the LSTM's charts (viz.timeline): same unit colours
and dashes, same hover per step. Pure: runs in, `go.Figure` out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lstm_core.gru_sequence import GRUOverTime
from lstm_core.memory import LSTMOverTime

from .timeline import (
    BLACK,
    _axis_ids,
    _figure,
    _fonts,
    _frame,
    _gradient_line,
    _input_bars,
    _legend_entry,
    _log_axes,
    _marker,
    _padded,
    _row_axes,
    _row_lines,
    _time_axis,
    sub,
    unit_style,
)

GRU_ROWS = (  # (attribute, axis title, share of the height); top to bottom
    ("h", "GRU h(t)<br>its only state", 0.34),
    ("z", "update z<br>(keeps)", 0.2),
    ("r", "reset r", 0.2),
    ("x", "input x(t)", 0.16),
)


def gru_timeline_figure(run: GRUOverTime, selected_t: int | None = None,
                        presenter: bool = False) -> go.Figure:
    """The GRU's h(t), its gates z and r per unit, and the input x(t), on one time axis."""
    axis_of = _axis_ids(GRU_ROWS)
    traces = _row_lines(run, GRU_ROWS, axis_of, presenter)
    traces += [_legend_entry(k, presenter) for k in range(run.h.shape[1])]
    traces.append(_input_bars(run.x[:, 0], axis_of["x"], "x"))
    font = _fonts(presenter)
    layout = {
        **_frame(font, height=620 if presenter else 480, top=20, bottom=10, legend_y=-0.08,
                 legend_anchor="top"),
        "hoversubplots": "axis",
        "xaxis": _time_axis(run.T, (0.0, 1.0), axis_of["x"], font),
        "shapes": [_marker(selected_t, "x")] if selected_t is not None else [],
    }
    layout.update(_row_axes(GRU_ROWS, font, ("z", "r"), {
        "h": _padded(float(run.h.min()), float(run.h.max())),
        "x": _padded(min(float(run.x[:, 0].min()), 0.0), max(float(run.x[:, 0].max()), 0.0))}))
    return _figure(traces, layout)


def keep_path_figure(gru: GRUOverTime, lstm: LSTMOverTime, presenter: bool = False
                     ) -> go.Figure:
    """log scale: the GRU's Π z per unit (keep path) beside the LSTM's Π f (cell path)."""
    gru_path, lstm_path = gru.keep_path_gradient, lstm.cell_path_gradient
    traces = [_gradient_line(gru_path[:, k], f"GRU Π z{sub(k)}", unit_style(k, presenter))
              for k in range(gru_path.shape[1])]
    traces += [_gradient_line(lstm_path[:, k], f"LSTM Π f{sub(k)}",
                              {**unit_style(k, presenter), "color": BLACK,
                               "width": 1.5 if not presenter else 2.5})
               for k in range(lstm_path.shape[1])]
    font = _fonts(presenter)
    top = max(1.0, float(np.max(gru_path)), float(np.max(lstm_path)))
    layout = {
        **_frame(font, height=480 if presenter else 360, top=30, bottom=40, legend_y=1.0),
        **_log_axes("time step t", gru.T, "product along the path (log scale)",
                    np.log10(top)),
    }
    return _figure(traces, layout)
