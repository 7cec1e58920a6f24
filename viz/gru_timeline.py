"""The GRU over time (issue 16), drawn like the LSTM's charts (viz.timeline): same unit colours
and dashes, same hover per step. Pure: runs in, `go.Figure` out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lstm_core.gru_sequence import GRUOverTime
from lstm_core.memory import LSTMOverTime

from .timeline import (
    BLACK,
    GRADIENT_FLOOR,
    _figure,
    _fonts,
    _frame,
    _gradient_line,
    _input_bars,
    _legend_entry,
    _line,
    _marker,
    _padded,
    _row_domains,
    _time_axis,
    _value_axis,
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
    domains = _row_domains(GRU_ROWS)
    axis_of = {name: f"y{n + 1}" if n else "y" for n, (name, _t, _s) in enumerate(GRU_ROWS)}
    traces = [_line(getattr(run, name)[:, k], f"{name}{sub(k)}", axis_of[name], "x", k,
                    presenter)
              for name, _title, _share in GRU_ROWS[:-1] for k in range(run.h.shape[1])]
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
    for n, (name, title, _share) in enumerate(GRU_ROWS):
        axis = _value_axis(title, domains[name], "x", font)
        if name in "zr":
            axis.update(range=[-0.05, 1.05], tickvals=[0, 0.5, 1])
        elif name == "h":
            axis["range"] = _padded(float(run.h.min()), float(run.h.max()))
        else:
            axis["range"] = _padded(min(float(run.x[:, 0].min()), 0.0),
                                    max(float(run.x[:, 0].max()), 0.0))
        layout["yaxis" if n == 0 else f"yaxis{n + 1}"] = axis
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
        "xaxis": {"title": {"text": "time step t"}, "range": [0.5, gru.T + 0.5],
                  "gridcolor": "#e5e5e5", "unifiedhovertitle": {"text": "step t = %{x}"}},
        "yaxis": {"type": "log", "title": {"text": "product along the path (log scale)"},
                  "range": [np.log10(GRADIENT_FLOOR) - 1, np.log10(top) + 0.5],
                  "exponentformat": "power", "dtick": 5, "gridcolor": "#e5e5e5",
                  "automargin": True},
    }
    return _figure(traces, layout)
