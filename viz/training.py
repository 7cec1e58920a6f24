"""Figures of the "Train" page: loss and held-out accuracy as training goes, and the trained
LSTM's gates over one test sequence.

Pure functions: arrays and `explainer.training` records in, `go.Figure` out, built from plain
dicts in one `go.Figure(...)` call without validation (tests/test_page_train.py validates them).
Cells are told apart by colour and dash (viz.palette: colour-blind safe); units in the gate
lines keep viz.timeline's style; heatmaps use the shared diverging scale, with a colour bar
and the numbers on hover.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from explainer.training import GateStory

from .palette import DIVERGING, GREY, SERIES
from .timeline import sub, unit_style

CELL_DASHES = ("solid", "dash", "dot", "dashdot")


@dataclass(frozen=True)
class Curve:
    """One cell's progress: the training loss of each update and the held-out accuracy at
    the snapshots."""

    title: str
    loss: np.ndarray  # (updates,)
    acc_updates: np.ndarray
    accuracy: np.ndarray


def _fonts(presenter: bool) -> dict:
    return {"family": "sans-serif", "size": 20 if presenter else 13}


def progress_figure(curves: Sequence[Curve], steps: int, *, chance: float | None = None,
                    presenter: bool = False) -> go.Figure:
    """Left: training loss per update (log scale). Right: held-out accuracy at the snapshots,
    with the chance level as a grey line. The x axes run to `steps`, so the curves grow."""
    traces = []
    for n, c in enumerate(curves):
        line = {"color": SERIES[n % len(SERIES)], "dash": CELL_DASHES[n % len(CELL_DASHES)],
                "width": 3.5 if presenter else 2}
        traces.append({"type": "scatter", "mode": "lines", "name": c.title,
                       "legendgroup": c.title, "x": np.arange(1, len(c.loss) + 1),
                       "y": np.maximum(c.loss, 1e-6), "line": {**line, "width": 1.2},
                       "hovertemplate": "update %{x}<br>loss %{y:.4f}<extra>" + c.title
                       + "</extra>"})
        traces.append({"type": "scatter", "mode": "lines+markers", "name": c.title,
                       "legendgroup": c.title, "showlegend": False, "x": c.acc_updates,
                       "y": c.accuracy, "xaxis": "x2", "yaxis": "y2", "line": line,
                       "hovertemplate": "update %{x}<br>held-out accuracy %{y:.3f}<extra>"
                       + c.title + "</extra>"})
    shapes = []
    if chance is not None:
        shapes.append({"type": "line", "xref": "x2 domain", "x0": 0, "x1": 1, "yref": "y2",
                       "y0": chance, "y1": chance, "line": {"color": GREY, "dash": "dot"}})
    layout = {
        "font": _fonts(presenter), "height": 420 if presenter else 320,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "legend": {"orientation": "h", "y": 1.15, "x": 0},
        "xaxis": {"domain": [0, 0.45], "range": [0, steps], "title": {"text": "update"}},
        "yaxis": {"type": "log", "title": {"text": "training loss"}},
        "xaxis2": {"domain": [0.55, 1], "range": [0, steps], "title": {"text": "update"},
                   "anchor": "y2"},
        "yaxis2": {"range": [0, 1.03], "title": {"text": "held-out accuracy"},
                   "anchor": "x2"},
        "shapes": shapes,
        "annotations": ([{"xref": "x2 domain", "x": 1, "yref": "y2", "y": chance,
                          "text": f"chance {chance:g}", "showarrow": False,
                          "yanchor": "bottom", "xanchor": "right",
                          "font": {"color": "#555555"}}] if chance is not None else []),
    }
    return go.Figure(data=traces, layout=layout, _validate=False)


GATE_ROWS = (  # (name, axis title, y range); top to bottom
    ("x", "input x(t)", None),
    ("i", "input gate i", [0, 1]),
    ("f", "forget gate f", [0, 1]),
    ("c", "cell state c(t)", None),
    ("holds", "r with target", [-1.05, 1.05]),
)


def gate_lines_figure(story: GateStory, selected_t: int | None = None, *,
                      presenter: bool = False) -> go.Figure:
    """The input; i(t), f(t), c(t) of the story's units; and how clearly c(t) and the write
    i(t)·g(t) tell the target (correlation over the test sequences). One time axis; a dotted
    line at the selected step."""
    T = story.xs.shape[0]
    t = np.arange(1, T + 1)
    gap, n = 0.04, len(GATE_ROWS)
    height = (1 - gap * (n - 1)) / n
    traces, layout = [], {}
    for row, (name, title, yrange) in enumerate(GATE_ROWS):
        axis = "" if row == 0 else str(row + 1)
        top = 1 - row * (height + gap)
        layout[f"yaxis{axis}"] = {"domain": [max(0.0, top - height), top], "title": {"text": title},
                                  "anchor": f"x{axis}", **({"range": yrange} if yrange else {})}
        layout[f"xaxis{axis}"] = {"anchor": f"y{axis}", "showticklabels": row == n - 1,
                                  "range": [0.5, T + 0.5], **({"matches": "x"} if row else {}),
                                  **({"title": {"text": "time step t"}} if row == n - 1
                                     else {})}
        if name == "x":
            for d in range(story.xs.shape[1]):
                traces.append({"type": "scatter", "mode": "lines+markers", "x": t,
                               "y": story.xs[:, d], "name": f"x{sub(d)}(t)",
                               "xaxis": f"x{axis}", "yaxis": f"y{axis}", "showlegend": False,
                               "line": {"color": "#555555", "width": 1},
                               "marker": {"size": 3},
                               "hovertemplate": f"t=%{{x}} x{sub(d)}=%{{y:.3f}}<extra></extra>"})
            continue
        if name == "holds":
            traces += _holds_traces(story, axis, presenter)
            continue
        for u in story.units:
            traces.append({"type": "scatter", "mode": "lines", "x": t,
                           "y": story.gates[name][:, u.unit], "name": f"unit {u.unit + 1}",
                           "legendgroup": f"unit {u.unit + 1}", "showlegend": row == 1,
                           "xaxis": f"x{axis}", "yaxis": f"y{axis}",
                           "line": unit_style(u.unit, presenter),
                           "hovertemplate": f"t=%{{x}} {name}{sub(u.unit)}=%{{y:.3f}}"
                           "<extra></extra>"})
    shapes = []
    if selected_t is not None:
        shapes.append({"type": "line", "xref": "x", "x0": selected_t, "x1": selected_t,
                       "yref": "paper", "y0": 0, "y1": 1,
                       "line": {"color": GREY, "dash": "dot", "width": 2}})
    layout.update({"font": _fonts(presenter), "height": 720 if presenter else 560,
                   "margin": {"l": 70, "r": 20, "t": 30, "b": 50}, "shapes": shapes,
                   "hovermode": "x unified",
                   "legend": {"orientation": "h", "y": 1.06, "x": 0}})
    return go.Figure(data=traces, layout=layout, _validate=False)


def _holds_traces(story: GateStory, axis: str, presenter: bool) -> list[dict]:
    """Per unit: the correlation over the test sequences of c(t) with the target (the unit's
    line style) and of the write i(t)·g(t) (thin, with markers)."""
    t = np.arange(1, story.xs.shape[0] + 1)
    traces = []
    for u in story.units:
        style = unit_style(u.unit, presenter)
        for label, values, line, mode in (
                ("c", u.holds, style, "lines"),
                ("i·g", u.write_holds, {**style, "width": 1}, "lines+markers")):
            traces.append({"type": "scatter", "mode": mode, "x": t, "y": values,
                           "name": f"unit {u.unit + 1}", "legendgroup": f"unit {u.unit + 1}",
                           "showlegend": False, "xaxis": f"x{axis}", "yaxis": f"y{axis}",
                           "line": line, "marker": {"size": 4, "symbol": "circle-open"},
                           "hovertemplate": f"t=%{{x}} r({label}{sub(u.unit)}, target)="
                           "%{y:.2f}<extra></extra>"})
    return traces


def gate_heatmap_figure(story: GateStory, *, presenter: bool = False) -> go.Figure:
    """Every unit's input gate and forget gate over time, on the diverging scale centred at
    0.5 (blue: open, red: closed); hover shows each number."""
    H = story.gates["f"].shape[1]
    units = [f"unit {u + 1}" for u in range(H)]
    traces = []
    for row, name in enumerate(("i", "f")):
        traces.append({"type": "heatmap", "z": story.gates[name].T,
                       "x": np.arange(1, story.xs.shape[0] + 1), "y": units,
                       "zmin": 0, "zmax": 1, "zmid": 0.5, "colorscale": DIVERGING,
                       "showscale": row == 0, "xaxis": "x" if row == 0 else "x2",
                       "yaxis": "y" if row == 0 else "y2",
                       "colorbar": {"title": {"text": "gate"}, "tickvals": [0, 0.5, 1],
                                    "ticktext": ["0 closed", "0.5", "1 open"]},
                       "hovertemplate": f"%{{y}}, t=%{{x}}: {name}=%{{z:.3f}}<extra></extra>"})
    layout = {"font": _fonts(presenter), "height": 480 if presenter else 360,
              "margin": {"l": 80, "r": 20, "t": 30, "b": 50},
              "xaxis": {"anchor": "y", "showticklabels": False},
              "yaxis": {"domain": [0.54, 1], "title": {"text": "input gate i"},
                        "autorange": "reversed"},
              "xaxis2": {"anchor": "y2", "matches": "x", "title": {"text": "time step t"}},
              "yaxis2": {"domain": [0, 0.46], "title": {"text": "forget gate f"},
                         "autorange": "reversed"}}
    return go.Figure(data=traces, layout=layout, _validate=False)
