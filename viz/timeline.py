"""Figures of a cell unrolled over time: states and gates, the forget-bias sweep, the gradient.

Pure functions: runs from `lstm_core.memory` in, `go.Figure` out. Unit k has the same colour
(viz.palette: Okabe-Ito, colour-blind safe) and the same dash in every panel, so units stay
apart in grey print too. Figures are built in one `go.Figure(data=..., layout=...)` call
(cheaper than make_subplots plus add_trace) and left unvalidated (see `_figure`); one x axis
per column with `hoversubplots="axis"`, so hovering a time step lists every row's numbers.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lstm_core.memory import ForgetBiasPoint, LSTMOverTime, Memory, RNNOverTime
from viz.palette import BLACK, GREY, SERIES

UNIT_COLOURS = (*SERIES, BLACK, GREY)  # up to UI_MAX_SIZE = 8 units
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "5px,3px,1px,3px",
          "1px,4px")
INPUT_COLOUR = "#555555"
GRADIENT_FLOOR = 1e-30  # the log axis shows values down to here; smaller ones sit on it
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

LSTM_ROWS = (  # (attribute, axis title, share of the height); top to bottom
    ("c", "LSTM c(t)<br>long-term", 0.22),
    ("h", "h(t)<br>short-term", 0.2),
    ("f", "forget f", 0.12),
    ("i", "input i", 0.12),
    ("o", "output o", 0.12),
    ("x", "input x(t)", 0.1),
)
ROW_GAP = 0.025
LSTM_COLUMN = (0.0, 0.63)
RNN_COLUMN = (0.72, 1.0)


def unit_style(k: int, presenter: bool = False) -> dict:
    """Line style of unit k (0-based), the same in every panel."""
    return {"color": UNIT_COLOURS[k % len(UNIT_COLOURS)], "dash": DASHES[k % len(DASHES)],
            "width": 3.5 if presenter else 2}


def sub(k: int) -> str:
    """1-based subscript of unit k: sub(0) == '₁'."""
    return str(k + 1).translate(SUBSCRIPTS)


def memory_label(memory: Memory) -> str:
    """"12 steps", or "≥ 50 steps" when the sequence ended before the memory faded."""
    plural = "" if memory.steps == 1 else "s"
    return f"{'≥ ' if memory.lasting else ''}{memory.steps} step{plural}"


def _fonts(presenter: bool) -> dict:
    return {"family": "sans-serif", "size": 20 if presenter else 13}


def _row_domains(rows=LSTM_ROWS) -> dict[str, tuple[float, float]]:
    """y-domain of each row of `rows` (name, title, share), top to bottom, with ROW_GAP
    between rows."""
    usable = 1.0 - ROW_GAP * (len(rows) - 1)
    top, domains = 1.0, {}
    for name, _title, share in rows:
        height = usable * share / sum(s for _n, _t, s in rows)
        domains[name] = (max(top - height, 0.0), top)
        top -= height + ROW_GAP
    return domains


def _padded(lo: float, hi: float, pad: float = 0.08) -> list[float]:
    span = max(hi - lo, 1e-6)
    return [lo - pad * span, hi + pad * span]


def _axis_ids(rows) -> dict[str, str]:
    """The y axis of each row of `rows`, top to bottom: "y", "y2", ..."""
    return {name: f"y{n + 1}" if n else "y" for n, (name, _t, _s) in enumerate(rows)}


def _row_lines(run, rows, axis_of: dict[str, str], presenter: bool) -> list[dict]:
    """One line per unit in each row of `rows` (but the last, the input's bars), read from the
    run's attribute of the row's name, on the first column's time axis."""
    return [_line(getattr(run, name)[:, k], f"{name}{sub(k)}", axis_of[name], "x", k, presenter)
            for name, _title, _share in rows[:-1] for k in range(getattr(run, name).shape[1])]


def _row_axes(rows, font: dict, gates: tuple[str, ...], ranges: dict) -> dict:
    """Layout entries yaxis, yaxis2, ...: one value axis per row of `rows`; a gate's on
    [0, 1], the others' on `ranges[name]` where given (else Plotly's autorange)."""
    domains = _row_domains(rows)
    axes = {}
    for n, (name, title, _share) in enumerate(rows):
        axis = _value_axis(title, domains[name], "x", font)
        if name in gates:
            axis.update(range=[-0.05, 1.05], tickvals=[0, 0.5, 1])
        elif name in ranges:
            axis["range"] = ranges[name]
        axes["yaxis" if n == 0 else f"yaxis{n + 1}"] = axis
    return axes


def timeline_figure(lstm: LSTMOverTime, rnn: RNNOverTime, selected_t: int | None = None,
                    presenter: bool = False) -> go.Figure:
    """Left: the LSTM's c(t), h(t), gates f, i, o per unit and the input x(t), stacked on one
    time axis. Right: the basic RNN's h(t) on the same y range as the LSTM's, and the input."""
    domains = _row_domains()
    axis_of = _axis_ids(LSTM_ROWS)
    axis_of.update(rnn_h=f"y{len(LSTM_ROWS) + 1}", rnn_x=f"y{len(LSTM_ROWS) + 2}")
    traces = _row_lines(lstm, LSTM_ROWS, axis_of, presenter)
    for k in range(rnn.h.shape[1]):
        traces.append(_line(rnn.h[:, k], f"RNN h{sub(k)}", axis_of["rnn_h"], "x2", k,
                            presenter))
    traces += [_legend_entry(k, presenter) for k in range(lstm.h.shape[1])]
    traces.append(_input_bars(lstm.x[:, 0], axis_of["x"], "x"))
    traces.append(_input_bars(rnn.x[:, 0], axis_of["rnn_x"], "x2"))

    h_range = _padded(min(lstm.h.min(), rnn.h.min()), max(lstm.h.max(), rnn.h.max()))
    x_range = _padded(min(lstm.x[:, 0].min(), 0.0), max(lstm.x[:, 0].max(), 0.0))
    font = _fonts(presenter)
    small = {**font, "size": font["size"] - 2}
    layout = {
        **_frame(font, height=860 if presenter else 700, top=50, bottom=10,
                 legend_y=-0.05, legend_anchor="top"),
        "hoversubplots": "axis",
        "xaxis": _time_axis(lstm.T, LSTM_COLUMN, axis_of["x"], font),
        "xaxis2": _time_axis(lstm.T, RNN_COLUMN, axis_of["rnn_x"], font),
        "shapes": [],
        "annotations": [
            _note("<b>LSTM</b>: two states, three gates", LSTM_COLUMN, 1.0, font),
            _note("<b>Basic RNN</b>: layer g alone", RNN_COLUMN, 1.0, font),
            _note("h(t) = tanh(W<sub>x</sub>ᵀx + W<sub>h</sub>ᵀh(t−1) + b)<br>"
                  "no long-term state c(t):<br>its only memory is h(t)",
                  RNN_COLUMN, sum(domains["c"]) / 2, small, "#555555", "middle"),
            _note("no gates", RNN_COLUMN, sum(domains["i"]) / 2, small, "#555555", "middle"),
        ],
    }
    layout.update(_row_axes(LSTM_ROWS, font, ("f", "i", "o"), {"h": h_range, "x": x_range}))
    layout[f"yaxis{len(LSTM_ROWS) + 1}"] = {**_value_axis("RNN h(t)", domains["h"], "x2", font),
                                           "range": h_range}
    layout[f"yaxis{len(LSTM_ROWS) + 2}"] = {**_value_axis("input x(t)", domains["x"], "x2", font),
                                           "range": x_range}
    if selected_t is not None:
        layout["shapes"] = [_marker(selected_t, xref) for xref in ("x", "x2")]
    return _figure(traces, layout)


def _line(y, name: str, yaxis: str, xaxis: str, k: int, presenter: bool) -> dict:
    return {"type": "scatter", "mode": "lines", "x0": 1, "dx": 1, "y": y, "name": name,
            "xaxis": xaxis, "yaxis": yaxis, "line": unit_style(k, presenter),
            "legendgroup": f"unit {k + 1}", "showlegend": False, "hovertemplate": "%{y:.4f}"}


def _legend_entry(k: int, presenter: bool) -> dict:
    """A legend-only trace "unit k": clicking it hides that unit in every row."""
    return {"type": "scatter", "mode": "lines", "x": [None], "y": [None],
            "name": f"unit {k + 1}", "line": unit_style(k, presenter),
            "legendgroup": f"unit {k + 1}", "showlegend": True, "hoverinfo": "skip"}


def _input_bars(x, yaxis: str, xaxis: str) -> dict:
    return {"type": "bar", "x0": 1, "dx": 1, "y": x, "name": "x(t)", "xaxis": xaxis, "yaxis": yaxis,
            "marker": {"color": INPUT_COLOUR}, "showlegend": False, "hovertemplate": "%{y:.4f}"}


def _time_axis(T: int, domain, anchor: str, font: dict) -> dict:
    return {"domain": list(domain), "anchor": anchor, "range": [0.5, T + 0.5],
            "title": {"text": "time step t", "font": font, "standoff": 2}, "tickfont": font,
            "showgrid": True,
            "gridcolor": "#e5e5e5", "zeroline": False, "showspikes": True,
            "spikemode": "across", "spikethickness": 1, "spikecolor": "#999999",
            "unifiedhovertitle": {"text": "step t = %{x}"}}


def _value_axis(title: str, domain, anchor: str, font: dict) -> dict:
    return {"domain": list(domain), "anchor": anchor, "title": {"text": title, "font": font},
            "tickfont": font,
            "gridcolor": "#e5e5e5", "zeroline": True, "zerolinecolor": "#bbbbbb",
            "automargin": True}


def _note(text: str, column, y: float, font: dict, colour: str = "#222222",
          yanchor: str = "bottom") -> dict:
    """Text centred over a column, at height y of the plotting area (paper coordinates)."""
    return {"text": text, "xref": "paper", "yref": "paper", "showarrow": False,
            "x": (column[0] + column[1]) / 2, "xanchor": "center", "y": y, "yanchor": yanchor,
            "font": {**font, "color": colour}, "align": "center"}


def _marker(t: int, xref: str) -> dict:
    """A vertical band on step t across every row of one column."""
    return {"type": "rect", "xref": xref, "yref": "paper", "x0": t - 0.5, "x1": t + 0.5,
            "y0": 0, "y1": 1, "fillcolor": "rgba(230,159,0,0.25)", "line": {"width": 0},
            "layer": "below"}


def gradient_figure(lstm: LSTMOverTime, rnn: RNNOverTime, presenter: bool = False) -> go.Figure:
    """log₁₀ of ∂c(t)/∂c(0) along the cell path (Π f per unit) and of the RNN's ‖∂h(t)/∂h(0)‖.
    Values below GRADIENT_FLOOR are drawn on the floor and the hover says so."""
    path = lstm.cell_path_gradient
    traces = [_gradient_line(path[:, k], f"LSTM Π f{sub(k)}", unit_style(k, presenter))
              for k in range(path.shape[1])]
    traces.append(_gradient_line(rnn.jacobian_norms, "RNN ‖∂h(t)/∂h(0)‖",
                                 {"color": BLACK, "width": 5 if presenter else 3.5}))
    font = _fonts(presenter)
    top = max(1.0, float(np.max(path)), float(np.max(rnn.jacobian_norms)))
    layout = {
        **_frame(font, height=560 if presenter else 420, top=30, bottom=40, legend_y=1.0),
        **_log_axes("time step t", lstm.T, "gradient back to step 0 (log scale)",
                    np.log10(top)),
        "shapes": [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                    "y0": GRADIENT_FLOOR, "y1": GRADIENT_FLOOR,
                    "line": {"color": "#999999", "dash": "dot", "width": 1}}],
        "annotations": [{"text": f"floor {GRADIENT_FLOOR:.0e}: smaller values are drawn here",
                         "xref": "paper", "x": 1, "xanchor": "right", "yref": "y",
                         "y": np.log10(GRADIENT_FLOOR), "yanchor": "bottom",
                         "showarrow": False, "font": {"size": font["size"] - 2,
                                                      "color": "#777777"}}],
    }
    return _figure(traces, layout)


def _log_axes(x_title: str, T: int, y_title: str, log_top: float,
              hover: str = "step t = %{x}") -> dict:
    """Layout entries xaxis (1..T) and yaxis (log, from below GRADIENT_FLOOR to 10^log_top)
    of a chart of gradient sizes."""
    return {
        "xaxis": {"title": {"text": x_title}, "range": [0.5, T + 0.5], "gridcolor": "#e5e5e5",
                  "unifiedhovertitle": {"text": hover}},
        "yaxis": {"type": "log", "title": {"text": y_title},
                  "range": [np.log10(GRADIENT_FLOOR) - 1, log_top + 0.5],
                  "exponentformat": "power", "dtick": 5, "gridcolor": "#e5e5e5",
                  "automargin": True},
    }


def _gradient_line(values, name: str, line: dict) -> dict:
    values = np.asarray(values, dtype=np.float64)
    clipped = values < GRADIENT_FLOOR
    note = np.where(clipped, f" (below {GRADIENT_FLOOR:.0e}: drawn at the floor)", "")
    return {"type": "scatter", "mode": "lines", "x0": 1, "dx": 1,
            "y": np.maximum(values, GRADIENT_FLOOR), "name": name, "line": line,
            "customdata": values, "text": note, "hovertemplate": "%{customdata:.3g}%{text}"}


def forget_bias_figure(sweep: tuple[ForgetBiasPoint, ...], rnn_memory: Memory,
                       rnn_effect: np.ndarray, presenter: bool = False) -> go.Figure:
    """Left: the pulse's effect on c(t), as a fraction of its peak, for each offset added to
    b_f, and on the basic RNN's h(t); the half-peak line. Right: the memory in steps of each."""
    font = _fonts(presenter)
    T = len(rnn_effect)
    curves = [(f"b_f {p.offset:+g}", p.effect, p.memory.peak, unit_style(k, presenter))
              for k, p in enumerate(sweep)]
    curves.append(("RNN h(t)", rnn_effect, rnn_memory.peak,
                   {"color": BLACK, "width": 5 if presenter else 3.5}))
    traces = [{"type": "scatter", "mode": "lines", "x0": 1, "dx": 1, "name": name,
               "y": effect / (peak or 1.0), "line": line, "hovertemplate": "%{y:.3f}"}
              for name, effect, peak, line in curves]
    memories = [p.memory for p in sweep] + [rnn_memory]
    traces.append({"type": "bar", "x": [f"b_f {p.offset:+g}" for p in sweep] + ["RNN"],
                   "y": [m.steps for m in memories], "xaxis": "x2", "yaxis": "y2",
                   "showlegend": False, "name": "memory",
                   "marker": {"color": [line["color"] for _n, _e, _p, line in curves]},
                   "text": [memory_label(m) for m in memories], "textposition": "outside",
                   "textfont": {"size": font["size"]}, "cliponaxis": False,
                   "hovertemplate": "%{x}: %{text}<extra></extra>"})
    layout = {
        **_frame(font, height=460 if presenter else 360, top=40, bottom=40, legend_y=1.02),
        "xaxis": {"domain": [0.0, 0.55], "title": {"text": "time step t"},
                  "range": [0.5, T + 0.5], "gridcolor": "#e5e5e5",
                  "unifiedhovertitle": {"text": "step t = %{x}"}},
        "yaxis": {"title": {"text": "pulse's effect / its peak"}, "range": [-0.05, 1.1],
                  "gridcolor": "#e5e5e5", "automargin": True},
        "xaxis2": {"domain": [0.65, 1.0], "anchor": "y2", "type": "category"},
        "yaxis2": {"anchor": "x2", "title": {"text": "memory (steps)"},
                   "range": [0, max(max(m.steps for m in memories), 1) * 1.25],
                   "gridcolor": "#e5e5e5", "automargin": True},
        "shapes": [
            {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": 0.5,
             "y1": 0.5, "line": {"color": "#777777", "dash": "dot", "width": 1.5}}],
        "annotations": [
            {"text": "half the peak", "xref": "x domain", "x": 1, "xanchor": "right",
             "yref": "y", "y": 0.5, "yanchor": "bottom", "showarrow": False,
             "font": {"size": font["size"] - 2, "color": "#555555"}}],
    }
    return _figure(traces, layout)


def _frame(font: dict, *, height: int, top: int, bottom: int, legend_y: float,
           legend_anchor: str = "bottom") -> dict:
    """What every chart over time shares: size, margins, font, one hover box per step."""
    return {"height": height, "margin": {"l": 10, "r": 10, "t": top, "b": bottom},
            "font": font, "hovermode": "x unified", "plot_bgcolor": "white",
            "legend": {"orientation": "h", "x": 0.0, "y": legend_y, "yanchor": legend_anchor}}


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """One Figure from plain dicts without Plotly's property validation (≈ 7 ms of a rerun at
    T = 200); tests/test_timeline.py validates every figure this module builds instead."""
    return go.Figure(data=traces, layout=layout, _validate=False)


LOG_CEILING = 300.0  # log₁₀: larger gradients are drawn at 1e300 (the hover gives the value)


def _power_text(log10: float) -> str:
    """A value given by its log₁₀, as text: "3.2e-1939" (no float64 needed), "0" for −inf."""
    if not np.isfinite(log10):
        return "0"
    exponent = int(np.floor(log10))
    mantissa = 10 ** (log10 - exponent)
    if mantissa >= 9.995:  # rounds up to the next power of ten
        mantissa, exponent = 1.0, exponent + 1
    return f"{mantissa:.2f}e{exponent}"


def _reach_line(log10, name: str, line: dict) -> dict:
    log10 = np.asarray(log10, dtype=np.float64)
    floor = np.log10(GRADIENT_FLOOR)
    shown = np.clip(np.nan_to_num(log10, neginf=floor - 1), floor, LOG_CEILING)
    texts = [_power_text(v) + (f" (drawn at the {'floor' if v < floor else 'top'})"
                               if not floor <= v <= LOG_CEILING else "") for v in log10]
    y = np.maximum(10.0**shown, GRADIENT_FLOOR)  # 10^log10(floor) may round just below it
    return {"type": "scatter", "mode": "lines", "x0": 1, "dx": 1, "y": y, "name": name,
            "line": line, "text": texts, "hovertemplate": "%{text}"}


def reach_figure(reach, presenter: bool = False) -> go.Figure:
    """For a loss placed d steps after the start (x axis: distance d), the size of its gradient
    back at step 0, on a log scale: the LSTM's ‖∂L/∂c(0)‖ and ‖∂L/∂h(0)‖, the basic RNN's
    ‖∂L/∂h(0)‖; and per unit the product of the forget gates f(1)⋯f(d), the cell path alone:
    the gradient highway. `reach` is lstm_core.highway.GradientReach."""
    wide = 5 if presenter else 3.5
    with np.errstate(divide="ignore"):  # a product that underflowed to 0: log −inf, the floor
        highway = np.log10(reach.forget_product)
    traces = [_reach_line(highway[:, k], f"highway Π f{sub(k)}",
                          {**unit_style(k, presenter), "dash": "dot", "width": wide * 0.6})
              for k in range(reach.forget_product.shape[1])]
    traces += [
        _reach_line(reach.lstm_dc0_log10, "LSTM ‖∂L/∂c(0)‖", {"color": SERIES[0], "width": wide}),
        _reach_line(reach.lstm_dh0_log10, "LSTM ‖∂L/∂h(0)‖",
                    {"color": SERIES[0], "width": wide * 0.7, "dash": "dash"}),
        _reach_line(reach.rnn_dh0_log10, "RNN ‖∂L/∂h(0)‖", {"color": BLACK, "width": wide}),
    ]
    font = _fonts(presenter)
    finite = [v for v in (*reach.lstm_dc0_log10, *reach.lstm_dh0_log10, *reach.rnn_dh0_log10)
              if np.isfinite(v)]
    top = min(max([0.0, *finite]), LOG_CEILING)
    layout = {
        **_frame(font, height=560 if presenter else 420, top=30, bottom=40, legend_y=1.0),
        **_log_axes("distance d: the loss looks at h(d), d steps after step 0", reach.T,
                    "size of the gradient at step 0 (log)", top, hover="d = %{x}"),
    }
    return _figure(traces, layout)
