"""The book's Figure 14-13 drawn with Plotly: one LSTM time step, every wire with its live vector.

Pure: an `LSTMStep` in, a `go.Figure` out; no Streamlit. The figure is built in one
`go.Figure(data=..., layout=...)` call from precomputed lists (a loop of `add_shape` is several
times slower), and drawn with a few traces instead of layout shapes and annotations (the
browser draws it several times faster: see `_Canvas`). Each vector is a small heatmap: one
square per element, coloured by value and with the value printed in it (a text trace), so
colour is never the only cue.

Geometry is in "nominal pixels" of a W x HT canvas with a locked aspect ratio, so squares stay
square and the drawing scales with the chart's width.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lstm_core import GATES, LSTMStep

# -- public names -------------------------------------------------------------------------------
ELEMENTS = ("inputs", "concat", "forget", "input", "candidate", "cell_update", "output", "h_out")
"""Highlightable parts, in the order the cell computes them (the walkthrough's steps)."""

GATE_ELEMENT = {"f": "forget", "i": "input", "g": "candidate", "o": "output"}

# -- look ---------------------------------------------------------------------------------------
# Okabe-Ito blue and vermillion around white: readable with every common colour blindness.
VALUE_SCALE = [[0.0, "#0B4F86"], [0.25, "#6CA6D4"], [0.5, "#F7F7F7"],
               [0.75, "#EFA46A"], [1.0, "#B34700"]]
# Gates read "how open": white (closed, 0) to Okabe-Ito bluish green (open, 1).
GATE_SCALE = [[0.0, "#F7F7F7"], [0.5, "#7ACBAE"], [1.0, "#00664A"]]
INK = "#222222"
WIRE = "#333333"
PEEPHOLE = "#A24D8C"  # Okabe-Ito reddish purple, darkened for contrast on white
BOX_FILL = "#FFF4D6"
NODE_FILL = "#FFFFFF"
JUNCTION_FILL = "#E4E4E4"
GRID = "#8C8C8C"  # shows between the squares of a strip
DIM = 0.18


@dataclass(frozen=True)
class Style:
    height: int
    cell_font: float
    label_font: int
    small_font: int
    symbol_font: int
    wire: float
    state_wire: float  # the long-term state c: the "conveyor belt"
    arrow: float  # arrowhead size (px)


NORMAL = Style(height=560, cell_font=10.5, label_font=14, small_font=11, symbol_font=20,
               wire=1.6, state_wire=3.2, arrow=10)
PRESENTER = Style(height=680, cell_font=13, label_font=17, small_font=13, symbol_font=24,
                  wire=2.4, state_wire=4.4, arrow=13)

# -- geometry (nominal pixels, y up) ------------------------------------------------------------
W, HT = 1040, 540
CW, CH = 34, 24  # one vector element
R = 17  # radius of ⊗ / ⊕ nodes
BOX_W, BOX_H = 92, 46
MAX_ROW = 5  # longer vectors wrap onto two rows

Y_C = 480  # long-term state line: c(t-1) → ⊗ → ⊕ → c(t)
Y_TANH = 440
Y_IG = 372  # input ⊗ (i ⊗ g)
Y_OUT = 330  # output ⊗
Y_BOX = 200
Y_BUS = 150  # [h(t-1); x(t)] fans out to the four layers
Y_HX = 100  # h(t-1) and the concatenated vector
Y_X = 35  # x(t)
BOX_TOP = Y_BOX + BOX_H / 2

X_IN = 92  # centre of the c(t-1) and h(t-1) strips
X_F, X_ADD, X_OUT = 225, 500, 800  # forget ⊗; ⊕ and input ⊗; tanh, output ⊗ and the o layer
X_J = 215  # concatenation junction
X_SPLIT = 1005  # h(t) goes right, y(t) goes up
X_PEEP_IN, X_PEEP_OUT, Y_PEEP = 189, 763, 234

# where each layer sits, the side of its wire its vector is drawn on, the height of that vector
# and the path of its output wire (from the top of the box to the node it controls)
GATE_PLACES = {
    "f": dict(x=X_F, side="right", y=330, path=[(X_F, Y_C - R)]),
    "g": dict(x=425, side="left", y=268, path=[(425, Y_IG), (X_ADD - R, Y_IG)]),
    "i": dict(x=575, side="right", y=330, path=[(575, Y_IG), (X_ADD + R, Y_IG)]),
    "o": dict(x=X_OUT, side="right", y=(BOX_TOP + Y_OUT - R) / 2, path=[(X_OUT, Y_OUT - R)]),
}
ACTIVATION_SYMBOL = {"sigmoid": "σ", "tanh": "tanh"}


# -- text helpers -------------------------------------------------------------------------------
def _sym(name: str, t: str = "t") -> str:
    """A vector's name as the book typesets it: bold letter, time step as a subscript."""
    return f"<b>{name}</b><sub>({t.replace('-', '−')})</sub>"


def _num(v: float, digits: int) -> str:
    s = f"{v:.{digits}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s  # no "-0.00"


def _vec(values, digits: int = 4, per_line: int = 8) -> str:
    parts = [_num(v, digits) for v in values]
    lines = [", ".join(parts[k:k + per_line]) for k in range(0, len(parts), per_line)]
    return "[" + ",<br>  ".join(lines) + "]"


def _rows(values: np.ndarray) -> list[np.ndarray]:
    """One row, or two when the vector is longer than MAX_ROW."""
    n = len(values)
    if n <= MAX_ROW:
        return [values]
    half = -(-n // 2)
    return [values[:half], values[half:]]


# -- the builder --------------------------------------------------------------------------------
def _rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[k:k + 2], 16) for k in (1, 3, 5))


def _luminance(rgb) -> float:
    lin = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
           for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


_WHITE, _DARK = _luminance((255, 255, 255)), _luminance((0x44, 0x44, 0x44))


def _text_color(scale, t: float, alpha: float = 1.0) -> str:
    """Plotly's contrast rule for text on a heatmap cell (white on dark cells, #444 on light
    ones), for the colour `scale` gives at t in [0, 1], seen with `alpha` on white."""
    for (t0, c0), (t1, c1) in zip(scale, scale[1:]):
        if t <= t1:
            u = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            rgb = [a + (b - a) * u for a, b in zip(_rgb(c0), _rgb(c1))]
            break
    lum = _luminance([255 + (c - 255) * alpha for c in rgb])
    return "#FFFFFF" if _contrast(lum, _WHITE) > _contrast(lum, _DARK) else "#444444"


def _ellipse(x: float, y: float, rx: float, ry: float, n: int = 40) -> list[tuple[float, float]]:
    a = np.linspace(0, 2 * np.pi, n + 1)
    return list(zip((x + rx * np.cos(a)).round(2), (y + ry * np.sin(a)).round(2)))


def _rect(x0: float, x1: float, y0: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


# Text anchors as Plotly's `textposition` of a scatter point: the text sits on the other side.
_TEXTPOS_Y = {"bottom": "top", "middle": "middle", "top": "bottom"}
_TEXTPOS_X = {"left": "right", "center": "center", "right": "left"}


class _Canvas:
    """Collects the drawing in a few traces; `figure()` builds the figure once.

    Plotly draws a trace of many points far faster than many layout shapes or annotations, so
    wires are line traces (segments separated by None), boxes and nodes are filled polygons
    (fill="toself"), labels and the numbers in the squares are text traces. Points that look
    the same share a trace (grouped by colour, width, dash and opacity); each vector is still a
    heatmap (one hover per square)."""

    def __init__(self, style: Style, highlight: frozenset[str] | None):
        self.style = style
        self.highlight = highlight
        self.heatmaps: list[dict] = []
        self.lines: dict[tuple, list] = {}  # (layer, color, width, dash, alpha) -> xs, ys
        self.fills: dict[tuple, list] = {}  # (layer, fill, line color, width, alpha) -> xs, ys
        self.texts: dict[tuple, list] = {}  # (font size, alpha) -> points
        self.annotations: list[dict] = []  # only what a text trace cannot do (box, rotation)
        self.hover: list[tuple[float, float, float, str]] = []
        self.marks: list[tuple] = []  # arrowheads and junction dots: one scatter trace

    def alpha(self, element: str | None) -> float:
        lit = self.highlight is None or element is None or element in self.highlight
        return 1.0 if lit else DIM

    # primitives
    def text(self, x, y, text, element, *, size=None, xanchor="center", yanchor="middle",
             color=INK):
        self.texts.setdefault((size or self.style.label_font, self.alpha(element)), []).append(
            (x, y, text, f"{_TEXTPOS_Y[yanchor]} {_TEXTPOS_X[xanchor]}", color))

    def annotation(self, x, y, text, element, **extra):
        self.annotations.append(dict(x=x, y=y, text=text, showarrow=False,
                                     opacity=self.alpha(element), **extra))

    def _path(self, store, key, points):
        xs, ys = store.setdefault(key, ([], []))
        if xs:
            xs.append(None)
            ys.append(None)
        xs.extend(round(float(x), 2) for x, _ in points)
        ys.extend(round(float(y), 2) for _, y in points)

    def line(self, points, element, *, width, color=WIRE, dash=None, layer="below"):
        self._path(self.lines, (layer, color, width, dash, self.alpha(element)), points)

    def polygon(self, points, element, *, fill, line_color=WIRE, width=0.0, layer="above"):
        self._path(self.fills, (layer, fill, line_color, width, self.alpha(element)), points)

    def wire(self, points, element, *, width=None, color=WIRE, dash=None, arrow=True):
        width = width or self.style.wire
        self.line(points, element, width=width, color=color, dash=dash)
        if arrow:  # a triangle marker whose tip touches the end of the last segment
            (x0, y0), (x1, y1) = points[-2], points[-1]
            length = max(np.hypot(x1 - x0, y1 - y0), 1e-9)
            size = self.style.arrow * (1.3 if width >= self.style.state_wire else 1.0)
            back = size * 0.45
            self.mark(x1 - (x1 - x0) / length * back, y1 - (y1 - y0) / length * back,
                      "triangle-up", size, element, color=color,
                      angle=float(np.degrees(np.arctan2(x1 - x0, y1 - y0))))

    def dot(self, x, y, element):
        self.mark(x, y, "circle", 7, element)

    def mark(self, x, y, symbol, size, element, *, color=WIRE, angle=0.0):
        self.marks.append((x, y, symbol, size, color, angle, self.alpha(element)))

    def hover_at(self, x, y, size, text):
        self.hover.append((x, y, size, text))

    def node(self, x, y, symbol, element, hover):
        """⊗ / ⊕: a circle with the operation's symbol."""
        self.polygon(_ellipse(x, y, R, R), element, fill=NODE_FILL, width=self.style.wire)
        self.text(x, y, symbol, element, size=self.style.symbol_font)
        self.hover_at(x, y, 2 * R, hover)

    def box(self, x, y, w, h, text, element, hover, *, fill=BOX_FILL, circle=False):
        outline = (_ellipse(x, y, w / 2, h / 2) if circle
                   else _rect(x - w / 2, x + w / 2, y - h / 2, y + h / 2))
        self.polygon(outline, element, fill=fill, width=self.style.wire)
        self.text(x, y, text, element)
        step = min(w, h)
        for k in range(max(1, round(w / step))):
            self.hover_at(x - w / 2 + step * (k + 0.5), y, step, hover)

    def strip(self, rows, kind, element, hover_head, *, cy, cx=None, left=None,
              separator_after=None):
        """A vector as squares, top row first. Returns its bounding box (x0, x1, y0, y1)."""
        ncols = max(len(r) for r in rows)
        width, height = ncols * CW, len(rows) * CH
        x0 = cx - width / 2 if left is None else left
        y0 = cy - height / 2
        a = self.alpha(element)
        scale, lo, hi = (VALUE_SCALE, -1.0, 1.0) if kind == "value" else (GATE_SCALE, 0.0, 1.0)
        z, hover = [], []
        index = 0
        for r, row in enumerate(rows):
            n = len(row)
            pad = [np.nan] * (ncols - n)
            clipped = np.clip(row, lo, hi)
            z.append(list(clipped) + pad)
            hover.append([f"{hover_head}<br><b>[{index + k}] = {_num(v, 4)}</b>"
                          for k, v in enumerate(row)] + [""] * len(pad))
            index += n
            ry = y0 + height - (r + 0.5) * CH
            # the grid colour that shows between the squares
            self.polygon(_rect(x0 - 1.5, x0 + n * CW + 1.5, ry - CH / 2 - 1.5, ry + CH / 2 + 1.5),
                         element, fill=GRID, line_color=GRID, layer="below")
            # the numbers stay fully opaque on a dimmed strip, in a colour readable on it
            texts = self.texts.setdefault((self.style.cell_font, 1.0), [])
            for k, (v, c) in enumerate(zip(row, clipped)):
                texts.append((x0 + (k + 0.5) * CW, ry, _num(v, 2), "middle center",
                              _text_color(scale, (c - lo) / (hi - lo), a)))
        self.heatmaps.append(dict(
            type="heatmap", z=z[::-1], hovertext=hover[::-1],
            x0=x0 + CW / 2, dx=CW, y0=y0 + CH / 2, dy=CH, zmin=lo, zmax=hi,
            colorscale=scale, showscale=False, xgap=2, ygap=2, hoverongaps=False,
            hovertemplate="%{hovertext}<extra></extra>", opacity=a))
        if separator_after is not None:  # the seam of a concatenation, on a one-row strip
            xs = x0 + separator_after * CW
            self.line([(xs, y0 - 5), (xs, y0 + height + 5)], element, width=3, color=INK,
                      layer="above")
        return x0, x0 + width, y0, y0 + height

    def _line_traces(self, layer: str, zorder: int) -> list[dict]:
        return [dict(type="scatter", mode="lines", x=xs, y=ys, opacity=a, hoverinfo="skip",
                     showlegend=False, line=dict(color=color, width=width, dash=dash),
                     zorder=zorder)
                for (lay, color, width, dash, a), (xs, ys) in self.lines.items() if lay == layer]

    def _fill_traces(self, layer: str, zorder: int) -> list[dict]:
        return [dict(type="scatter", mode="lines", x=xs, y=ys, opacity=a, hoverinfo="skip",
                     showlegend=False, fill="toself", fillcolor=fill,
                     line=dict(color=line_color, width=width), zorder=zorder)
                for (lay, fill, line_color, width, a), (xs, ys) in self.fills.items()
                if lay == layer]

    def _text_traces(self, zorder: int) -> list[dict]:
        traces = []
        for (size, a), points in self.texts.items():
            xs, ys, texts, positions, colors = zip(*points)
            traces.append(dict(type="scatter", mode="text", x=xs, y=ys, text=texts,
                               textposition=positions, opacity=a, hoverinfo="skip",
                               showlegend=False, textfont=dict(size=size, color=colors),
                               zorder=zorder))
        return traces

    def figure(self) -> go.Figure:
        xs, ys, sizes, texts = zip(*self.hover) if self.hover else ((), (), (), ())
        hover_trace = dict(
            type="scatter", mode="markers", x=xs, y=ys, hovertext=texts,
            hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
            marker=dict(size=sizes, symbol="square", color="rgba(0,0,0,0)"))
        mx, my, symbol, size, color, angle, opacity = zip(*self.marks)
        marks_trace = dict(
            type="scatter", mode="markers", x=mx, y=my, hoverinfo="skip", showlegend=False,
            marker=dict(symbol=symbol, size=size, color=color, angle=angle, opacity=opacity,
                        line=dict(width=0)))
        axis = dict(visible=False, fixedrange=True, showgrid=False, zeroline=False,
                    constrain="domain")
        layout = dict(
            annotations=self.annotations, height=self.style.height,
            margin=dict(l=4, r=4, t=4, b=4), showlegend=False, hovermode="closest",
            dragmode=False, plot_bgcolor="white", paper_bgcolor="white",
            font=dict(family="Arial, Helvetica, sans-serif", color=INK,
                      size=self.style.small_font),
            hoverlabel=dict(bgcolor="white", bordercolor=INK, align="left",
                            font=dict(size=self.style.small_font + 1, color=INK)),
            template={},  # every colour is set here; skipping the default template is faster
            xaxis=dict(range=[0, W], **axis),
            yaxis=dict(range=[0, HT], scaleanchor="x", scaleratio=1, constraintoward="top",
                       **axis),
        )
        # back to front (zorder: Plotly draws heatmaps under every scatter trace of the same
        # zorder, and a trace's fill under the lines of the traces after it): wires, the grey
        # between the squares, the squares with arrowheads and dots, boxes and nodes over the
        # wire ends, then seams and text; the invisible hover targets last
        data = [*self._line_traces("below", -2), *self._fill_traces("below", -1),
                *self.heatmaps, marks_trace, *self._fill_traces("above", 1),
                *self._line_traces("above", 2), *self._text_traces(2), hover_trace]
        # _validate=False: the dicts above are fixed and covered by the tests (which rebuild
        # the figure with validation); skipping it makes building several times faster.
        return go.Figure(data=data, layout=layout, _validate=False)


# -- the drawing --------------------------------------------------------------------------------
def _gate_formula(name: str, activation: str, peephole_from: str | None, offset: float) -> str:
    terms = [f"W_x{name}ᵀ·x(t)", f"W_h{name}ᵀ·h(t-1)", f"b_{name}"]
    if peephole_from:
        terms.append(f"w_c{name} ⊗ {'c(t-1)' if peephole_from == 'c_prev' else 'c(t)'}")
    if offset:
        terms.append(f"{offset:g} (forget bias)")
    return f"{name}(t) = {ACTIVATION_SYMBOL[activation]}({' + '.join(terms)})"


def _head(title: str, formula: str, shape: str, values) -> str:
    return f"<b>{title}</b><br>{formula}<br>shape {shape}<br>{_vec(values)}"


def _inputs(cv: _Canvas, step: LSTMStep, D: int, H: int) -> None:
    el = "inputs"
    # c(t-1): enters top-left on the long-term state line
    cv.wire([(0, Y_C), (X_F - R, Y_C)], el, width=cv.style.state_wire)
    x0, _, _, top = cv.strip(_rows(step.c_prev), "value", el, _head(
        "c(t-1): previous long-term state", "from the previous time step", f"(H,) = ({H},)",
        step.c_prev), cx=X_IN, cy=Y_C)
    cv.text(x0, top + 2, _sym("c", "t-1") + "  long-term state", el, xanchor="left",
            yanchor="bottom")
    # h(t-1): enters from the left
    cv.wire([(0, Y_HX), (X_J - 11, Y_HX)], el)
    x0, _, _, top = cv.strip(_rows(step.h_prev), "value", el, _head(
        "h(t-1): previous short-term state", "from the previous time step", f"(H,) = ({H},)",
        step.h_prev), cx=X_IN, cy=Y_HX)
    cv.text(x0, top + 2, _sym("h", "t-1") + "  short-term state", el, xanchor="left",
            yanchor="bottom")
    # x(t): enters from the bottom
    cv.wire([(X_J, 0), (X_J, Y_HX - 36)], el)
    x0, _, y0, y1 = cv.strip(_rows(step.x), "value", el, _head(
        "x(t): input at this time step", "given", f"(D,) = ({D},)", step.x),
        left=X_J + 12, cy=Y_X)
    cv.text(X_J - 8, Y_X, _sym("x"), el, xanchor="right")


def _concat(cv: _Canvas, step: LSTMStep, D: int, H: int) -> None:
    el = "concat"
    hover = ("<b>‖ concatenation [h(t-1); x(t)]</b><br>stack h(t-1) (H,) on top of x(t) (D,)"
             f"<br>→ one vector of shape (H+D,) = ({H + D},)<br>not an addition: nothing is "
             "summed<br>" + _vec(step.xh))
    cv.box(X_J, Y_HX, 22, 72, "<b>‖</b>", el, hover, fill=JUNCTION_FILL)
    if H + D <= 6:
        rows, seam = [step.xh], H
    else:
        rows, seam = [step.h_prev, step.x], None
    left = X_J + 30
    x1 = left + max(len(r) for r in rows) * CW
    riser = max(474.0, x1 + 25)
    cv.wire([(X_J + 11, Y_HX), (riser, Y_HX), (riser, Y_BUS)], el, arrow=False)
    x0, x1, _, top = cv.strip(rows, "value", el, _head(
        "[h(t-1); x(t)]: h(t-1) and x(t) stacked", "concatenation (‖), not addition",
        f"(H+D,) = ({H + D},)", step.xh), left=left, cy=Y_HX, separator_after=seam)
    cv.text(x0, top + 3, f"[h<sub>(t−1)</sub>; x<sub>(t)</sub>]  (H+D,) = ({H + D},)",
            el, size=cv.style.small_font, xanchor="left", yanchor="bottom")
    cv.wire([(X_F, Y_BUS), (X_OUT, Y_BUS)], el, arrow=False)
    cv.dot(riser, Y_BUS, el)
    for spec in GATES:
        x = GATE_PLACES[spec.name]["x"]
        cv.wire([(x, Y_BUS), (x, Y_BOX - BOX_H / 2)], el)


def _gates(cv: _Canvas, step: LSTMStep, D: int, H: int, peepholes: bool) -> None:
    for spec in GATES:
        gate, place, n = step.gate(spec.name), GATE_PLACES[spec.name], spec.name
        el = GATE_ELEMENT[n]
        x = place["x"]
        formula = _gate_formula(n, spec.activation, peepholes and spec.peephole_from,
                                gate.offset)
        shape = f"(H,) = ({H},)"
        box_hover = (f"<b>{spec.title}: fully connected layer ({spec.activation})</b><br>"
                     f"{formula}<br>= {ACTIVATION_SYMBOL[spec.activation]}(W_{n}ᵀ·[h(t-1); x(t)]"
                     f" + b_{n}) with W_{n} = [W_h{n}; W_x{n}]<br>"
                     f"W_x{n} (D, H) = ({D}, {H}), W_h{n} (H, H) = ({H}, {H}), b_{n} (H,)"
                     f"<br>z_{n} = {_vec(gate.z)}<br>{n}(t) = {_vec(gate.a)}")
        label = (f"<b>{ACTIVATION_SYMBOL[spec.activation]}</b>"
                 f"<br><span style='font-size:{cv.style.small_font}px'>{n}: {spec.title}</span>")
        cv.box(x, Y_BOX, BOX_W, BOX_H, label, el, box_hover)
        cv.wire([(x, BOX_TOP), *place["path"]], el)
        kind = "gate" if spec.activation == "sigmoid" else "value"
        rows = _rows(gate.a)
        width = max(len(r) for r in rows) * CW
        left = x + 12 if place["side"] == "right" else x - 12 - width
        cv.strip(rows, kind, el, _head(f"{n}(t): {spec.title}", formula, shape, gate.a),
                 left=left, cy=place["y"])
        # the name goes on the other side of the wire, clear of the neighbouring wires
        right = place["side"] == "left"
        cv.text(x + (6 if right else -6), place["y"], _sym(n), el,
                xanchor="left" if right else "right")
    if peepholes:
        _peepholes(cv, step)


def _peepholes(cv: _Canvas, step: LSTMStep) -> None:
    dash, width = "dash", cv.style.wire
    f_box_left = X_F - BOX_W / 2
    i_x = GATE_PLACES["i"]["x"] - BOX_W / 2 + 14
    routes = {
        "f": [(X_PEEP_IN, Y_C), (X_PEEP_IN, BOX_TOP)],
        "i": [(X_PEEP_IN, Y_PEEP), (i_x, Y_PEEP), (i_x, BOX_TOP)],
        "o": [(X_PEEP_OUT, Y_C), (X_PEEP_OUT, BOX_TOP)],
    }
    assert f_box_left < X_PEEP_IN
    for name, points in routes.items():
        gate = step.gate(name)
        source = "c(t-1)" if gate.spec.peephole_from == "c_prev" else "c(t)"
        el = GATE_ELEMENT[name]
        cv.wire(points, el, color=PEEPHOLE, dash=dash, width=width)
        hover = (f"<b>peephole: {source} → {gate.spec.title}</b><br>adds w_c{name} ⊗ {source}"
                 f" inside the {name} layer<br>shape (H,)<br>{_vec(gate.peephole)}")
        (xa, ya), (xb, yb) = points[-2], points[-1]
        cv.hover_at((xa + xb) / 2, (ya + yb) / 2, 14, hover)
    cv.dot(X_PEEP_IN, Y_C, "forget")
    cv.dot(X_PEEP_IN, Y_PEEP, "input")
    cv.dot(X_PEEP_OUT, Y_C, "output")
    cv.annotation(X_PEEP_IN - 4, (Y_C + Y_PEEP) / 2 + 60, "peephole", "forget", xanchor="right",
                  font=dict(size=cv.style.small_font, color=PEEPHOLE), textangle=-90)


def _cell_update(cv: _Canvas, step: LSTMStep, H: int) -> None:
    el = "cell_update"
    shape = f"(H,) = ({H},)"
    cv.node(X_F, Y_C, "×", el, _head("⊗ forget: f(t) ⊗ c(t-1)", "multiply element-wise: "
                                     "keep what the forget gate lets through", shape,
                                     step.f_c_prev))
    cv.wire([(X_F + R, Y_C), (X_ADD - R, Y_C)], el, width=cv.style.state_wire)
    x0, _, _, top = cv.strip(_rows(step.f_c_prev), "value", el, _head(
        "f(t) ⊗ c(t-1): what is kept", "multiply element-wise", shape, step.f_c_prev),
        cx=(X_F + X_ADD) / 2, cy=Y_C)
    cv.text(x0, top + 2, _sym("f") + " ⊗ " + _sym("c", "t-1"), el, xanchor="left",
            yanchor="bottom", size=cv.style.small_font)
    cv.node(X_ADD, Y_IG, "×", el, _head("⊗ input: i(t) ⊗ g(t)", "multiply element-wise: "
                                        "the part of g the input gate lets in", shape, step.i_g))
    cv.wire([(X_ADD, Y_IG + R), (X_ADD, Y_C - R)], el)
    x0, x1, y0, y1 = cv.strip(_rows(step.i_g), "value", el, _head(
        "i(t) ⊗ g(t): what is written", "multiply element-wise", shape, step.i_g),
        left=X_ADD + 12, cy=(Y_IG + Y_C) / 2)
    cv.text(x1 + 4, (y0 + y1) / 2, _sym("i") + " ⊗ " + _sym("g"), el, xanchor="left",
            size=cv.style.small_font)
    cv.node(X_ADD, Y_C, "+", el, _head("⊕ add element-wise: c(t)",
                                       "c(t) = f(t) ⊗ c(t-1) + i(t) ⊗ g(t)", shape, step.c))
    cv.wire([(X_ADD + R, Y_C), (W, Y_C)], el, width=cv.style.state_wire)
    x0, x1, _, top = cv.strip(_rows(step.c), "value", el, _head(
        "c(t): new long-term state", "c(t) = f(t) ⊗ c(t-1) + i(t) ⊗ g(t)", shape, step.c),
        cx=(X_ADD + R + X_PEEP_OUT) / 2, cy=Y_C)
    cv.text(x0, top + 2, _sym("c") + "  new long-term state", el, xanchor="left",
            yanchor="bottom")
    cv.text(W - 2, Y_C - 5, _sym("c"), el, xanchor="right", yanchor="top")


def _h_out(cv: _Canvas, step: LSTMStep, H: int) -> None:
    el = "h_out"
    shape = f"(H,) = ({H},)"
    cv.dot(X_OUT, Y_C, el)
    cv.wire([(X_OUT, Y_C), (X_OUT, Y_TANH + 13)], el)
    cv.box(X_OUT, Y_TANH, 46, 26, "tanh", el, _head(
        "tanh(c(t))", "squash a copy of c(t) into (-1, 1)", shape, step.tanh_c),
        fill=NODE_FILL, circle=True)
    cv.wire([(X_OUT, Y_TANH - 13), (X_OUT, Y_OUT + R)], el)
    cv.strip(_rows(step.tanh_c), "value", el, _head(
        "tanh(c(t))", "squash a copy of c(t) into (-1, 1)", shape, step.tanh_c),
        left=X_OUT + 12, cy=(Y_TANH - 13 + Y_OUT + R) / 2)
    cv.text(X_OUT + 30, Y_TANH, "tanh(" + _sym("c") + ")", el, xanchor="left",
            size=cv.style.small_font)
    formula = "h(t) = y(t) = o(t) ⊗ tanh(c(t))"
    cv.node(X_OUT, Y_OUT, "×", el, _head("⊗ output: o(t) ⊗ tanh(c(t))", formula, shape, step.h))
    cv.wire([(X_OUT + R, Y_OUT), (W, Y_OUT)], el)
    cv.wire([(X_SPLIT, Y_OUT), (X_SPLIT, HT)], el)
    cv.dot(X_SPLIT, Y_OUT, el)
    rows = _rows(step.h)
    x0, x1, y0, _ = cv.strip(rows, "value", el, _head(
        "h(t) = y(t): new short-term state and output", formula, shape, step.h),
        cx=(X_OUT + R + X_SPLIT) / 2, cy=Y_OUT)
    if len(rows) == 1:  # two rows leave no room above the o(t) strip; the exits are labelled
        cv.text((x0 + x1) / 2, y0 - 2, _sym("h") + " = " + _sym("y"), el, yanchor="top",
                size=cv.style.small_font)
    cv.text(W - 2, Y_OUT - 4, _sym("h"), el, xanchor="right", yanchor="top")
    cv.text(X_SPLIT - 6, HT - 2, _sym("y"), el, xanchor="right", yanchor="top")


def _key(cv: _Canvas) -> None:
    """Colour keys and the symbol legend (bottom right)."""
    ramp = np.linspace(-1, 1, 5)
    for kind, values, cy, caption in (
            ("value", ramp, 96, "values: −1 … 0 … +1 (clipped)"),
            ("gate", (ramp + 1) / 2, 30, "gates: 0 closed … 1 open")):
        x0, x1, _, top = cv.strip([values], kind, None, f"colour key for {kind}s",
                                  left=600, cy=cy)
        cv.text(x0, top + 2, caption, None, xanchor="left", yanchor="bottom",
                size=cv.style.small_font)
    legend = ("<b>‖</b>  concatenate (stack)<br><b>⊕</b>  add element-wise<br>"
              "<b>⊗</b>  multiply element-wise<br><b>σ</b> / <b>tanh</b>  fully connected layer"
              f"<br><span style='color:{PEEPHOLE}'>- - -</span>  peephole (when on)")
    cv.annotation(W - 4, 6, legend, None, font=dict(size=cv.style.small_font, color=INK),
                  xanchor="right", yanchor="bottom", align="left", bordercolor="#999999",
                  borderwidth=1, borderpad=6, bgcolor="rgba(255,255,255,0.9)")


def cell_diagram(step: LSTMStep, *, highlight: frozenset[str] | None = None,
                 presenter: bool = False, peepholes: bool = False) -> go.Figure:
    """Figure 14-13 with this step's numbers on every wire.

    highlight: element ids from ELEMENTS to keep lit; the rest is dimmed (None: all lit).
    presenter: larger fonts and thicker lines for projection.
    peepholes: draw the peephole wires (pass `params.use_peepholes`).
    """
    unknown = set(highlight or ()) - set(ELEMENTS)
    if unknown:
        raise ValueError(f"unknown diagram elements {sorted(unknown)}; choose from {ELEMENTS}")
    D, H = len(step.x), len(step.h)
    cv = _Canvas(PRESENTER if presenter else NORMAL,
                 None if highlight is None else frozenset(highlight))
    _inputs(cv, step, D, H)
    _concat(cv, step, D, H)
    _gates(cv, step, D, H, peepholes)
    _cell_update(cv, step, H)
    _h_out(cv, step, H)
    _key(cv)
    return cv.figure()


def alt_text(step: LSTMStep) -> str:
    """A one-paragraph text alternative of the diagram, with the key values (2 decimals)."""
    D, H = len(step.x), len(step.h)

    def v(values) -> str:
        return "[" + ", ".join(_num(x, 2) for x in values) + "]"

    return (
        f"Diagram of one LSTM cell time step (the book's Figure 14-13) with D = {D} inputs and "
        f"H = {H} units. The previous long-term state c(t-1) = {v(step.c_prev)} enters at the "
        f"top left. The previous short-term state h(t-1) = {v(step.h_prev)} (from the left) and "
        f"the input x(t) = {v(step.x)} (from the bottom) are concatenated, not added, into "
        f"[h(t-1); x(t)] of length {H + D}, which feeds four fully connected layers: the forget "
        f"gate f(t) = {v(step.f)}, the input gate i(t) = {v(step.i)}, the candidate g(t) = "
        f"{v(step.g)} and the output gate o(t) = {v(step.o)}. Along the top, c(t-1) is "
        f"multiplied element-wise by f(t), giving {v(step.f_c_prev)}, and i(t) ⊗ g(t) = "
        f"{v(step.i_g)} is added, giving the new long-term state c(t) = {v(step.c)}, which "
        f"leaves at the top right. A copy of c(t) goes through tanh, giving {v(step.tanh_c)}, "
        f"and is multiplied by o(t), giving the new short-term state h(t) = y(t) = {v(step.h)}, "
        "which leaves to the right as h(t) and upwards as the output y(t)."
    )
