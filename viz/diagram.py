"""The book's Figure 14-13 drawn with Plotly: one LSTM time step, every wire with its live vector.

Pure: an `LSTMStep` in, a `go.Figure` out; no Streamlit. Where everything sits comes from the
cell canvas (`viz.canvas`, plain data shared with the browser-side renderer); this module only
paints the step's values onto it. The figure is built in one `go.Figure(data=..., layout=...)`
call from precomputed lists (a loop of `add_shape` is several times slower), and drawn with a
few traces instead of layout shapes and annotations (the browser draws it several times faster:
see `_Painter`). Each vector is a small heatmap: one square per element, coloured by value and
with the value printed in it (a text trace), so colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lstm_core import GATE_ORDER, LSTMStep, LSTMStepGradient

from .canvas import (
    CH,
    CW,
    KEY,
    PARTS,
    Box,
    Canvas,
    Dot,
    Label,
    Node,
    Run,
    Slot,
    Wire,
    gate_formula,
    lstm_canvas,
)
from .palette import DIVERGING, GATE_SCALE

# -- public names -------------------------------------------------------------------------------
ELEMENTS = PARTS
"""Highlightable parts, in the order the cell computes them (the walkthrough's steps)."""

# -- look ---------------------------------------------------------------------------------------
# The app's one value scale (viz.palette): blue negative, white zero, orange positive; a gate
# (0 closed … 1 open) uses its positive half, so the same number has the same colour everywhere.
VALUE_SCALE = DIVERGING
INK = "#222222"
WIRE = "#333333"
PEEPHOLE = "#A24D8C"  # Okabe-Ito reddish purple, darkened for contrast on white
BOX_FILL = "#FFF4D6"
NODE_FILL = "#FFFFFF"
JUNCTION_FILL = "#E4E4E4"
BOX_FILLS = {"layer": BOX_FILL, "junction": JUNCTION_FILL, "node": NODE_FILL}
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
    compact: bool = False  # numbers in the squares as −.50, 1.2, 12: large type in a square


NORMAL = Style(height=560, cell_font=10.5, label_font=14, small_font=11, symbol_font=20,
               wire=1.6, state_wire=3.2, arrow=10)
# presenter: a 1280-pixel-wide screen draws the 1040-unit canvas about 1.2 times larger, so
# numbers of 16 units are 18 px or more there; compact numbers keep them inside their squares
PRESENTER = Style(height=680, cell_font=16, label_font=17, small_font=13, symbol_font=24,
                  wire=2.4, state_wire=4.4, arrow=13, compact=True)


# -- text helpers -------------------------------------------------------------------------------
def _num(v: float, digits: int) -> str:
    s = f"{v:.{digits}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s  # no "-0.00"


def compact(v: float) -> str:
    """A number in at most four characters after its sign, for large type in a small square:
    |v| < 1 as −.50 (two decimals, no leading zero), below 10 as −1.2, else as −12."""
    a = abs(v)
    if round(a, 2) < 1:
        s = f"{a:.2f}"[1:]
    elif round(a, 1) < 10:
        s = f"{a:.1f}"
    else:
        s = f"{a:.0f}"
    return "\u2212" + s if v < 0 and float(s) != 0 else s


def compact_gradient(v: float) -> str:
    """A gradient in large type (presenter): as compact, but one below .01 keeps its size as
    4e-3, as _gnum does (the live cell condenses such a one into its square)."""
    if v == 0 or abs(v) >= 0.01:
        return compact(v)
    mantissa, exponent = f"{v:.0e}".split("e")
    return f"{mantissa.replace('-', chr(0x2212))}e{int(exponent)}"


def _gnum(v: float, digits: int) -> str:
    """A gradient: like _num, but a small non-zero value keeps its size ("3e-4", not "0.00")."""
    if v == 0 or abs(v) >= 10.0**-digits:
        return _num(v, digits)
    mantissa, exponent = f"{v:.{max(digits - 3, 0)}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _vec(values, digits: int = 4, per_line: int = 8, num=_num) -> str:
    parts = [num(v, digits) for v in values]
    lines = [", ".join(parts[k:k + per_line]) for k in range(0, len(parts), per_line)]
    return "[" + ",<br>  ".join(lines) + "]"


# -- the builder --------------------------------------------------------------------------------
def _rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[k:k + 2], 16) for k in (1, 3, 5))


def _luminance(rgb) -> float:
    lin = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
           for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


_WHITE, _DARK = _luminance((255, 255, 255)), _luminance((0, 0, 0))


def scale_rgb(scale, t: float) -> list[float]:
    """The colour a Plotly colorscale gives at t in [0, 1], as (r, g, b) in 0 … 255."""
    for (t0, c0), (t1, c1) in zip(scale, scale[1:]):
        if t <= t1:
            u = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            return [a + (b - a) * u for a, b in zip(_rgb(c0), _rgb(c1))]
    return list(_rgb(scale[-1][1]))


def _text_color(scale, t: float, alpha: float = 1.0) -> str:
    """White or black text, whichever contrasts more with the colour `scale` gives at t in
    [0, 1], seen with `alpha` on white: at least 4.58 on any colour (WCAG asks 4.5)."""
    lum = _luminance([255 + (c - 255) * alpha for c in scale_rgb(scale, t)])
    return "#FFFFFF" if _contrast(lum, _WHITE) > _contrast(lum, _DARK) else "#000000"


def _ellipse(x: float, y: float, rx: float, ry: float, n: int = 40) -> list[tuple[float, float]]:
    a = np.linspace(0, 2 * np.pi, n + 1)
    return list(zip((x + rx * np.cos(a)).round(2), (y + ry * np.sin(a)).round(2)))


def _rect(x0: float, x1: float, y0: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


# Text anchors as Plotly's `textposition` of a scatter point: the text sits on the other side.
_TEXTPOS_Y = {"bottom": "top", "middle": "middle", "top": "bottom"}
_TEXTPOS_X = {"left": "right", "center": "center", "right": "left"}




class _Painter:
    """Collects the drawing in a few traces; `figure()` builds the figure once.

    Plotly draws a trace of many points far faster than many layout shapes or annotations, so
    wires are line traces (segments separated by None), boxes and nodes are filled polygons
    (fill="toself"), labels and the numbers in the squares are text traces. Points that look
    the same share a trace (grouped by colour, width, dash and opacity); each vector is still a
    heatmap (one hover per square)."""

    def __init__(self, style: Style, width: float, height: float):
        self.style = style
        self.width, self.height = width, height
        self.heatmaps: list[dict] = []
        self.lines: dict[tuple, list] = {}  # (layer, color, width, dash, alpha) -> xs, ys
        self.fills: dict[tuple, list] = {}  # (layer, fill, line color, width, alpha) -> xs, ys
        self.texts: dict[tuple, list] = {}  # (font size, alpha) -> points
        self.annotations: list[dict] = []  # only what a text trace cannot do (box, rotation)
        self.hover: list[tuple[float, float, float, str]] = []
        self.marks: list[tuple] = []  # arrowheads and junction dots: one scatter trace

    # primitives
    def text(self, x, y, text, a, *, size=None, xanchor="center", yanchor="middle",
             color=INK):
        self.texts.setdefault((size or self.style.label_font, a), []).append(
            (x, y, text, f"{_TEXTPOS_Y[yanchor]} {_TEXTPOS_X[xanchor]}", color))

    def _path(self, store, key, points):
        xs, ys = store.setdefault(key, ([], []))
        if xs:
            xs.append(None)
            ys.append(None)
        xs.extend(round(float(x), 2) for x, _ in points)
        ys.extend(round(float(y), 2) for _, y in points)

    def line(self, points, a, *, width, color=WIRE, dash=None, layer="below"):
        self._path(self.lines, (layer, color, width, dash, a), points)

    def polygon(self, points, a, *, fill, line_color=WIRE, width=0.0, layer="above"):
        self._path(self.fills, (layer, fill, line_color, width, a), points)

    def wire(self, points, a, *, width, color=WIRE, dash=None, arrow=True):
        self.line(points, a, width=width, color=color, dash=dash)
        if arrow:  # a triangle marker whose tip touches the end of the last segment
            (x0, y0), (x1, y1) = points[-2], points[-1]
            length = max(np.hypot(x1 - x0, y1 - y0), 1e-9)
            size = self.style.arrow * (1.3 if width >= self.style.state_wire else 1.0)
            back = size * 0.45
            self.mark(x1 - (x1 - x0) / length * back, y1 - (y1 - y0) / length * back,
                      "triangle-up", size, a, color=color,
                      angle=float(np.degrees(np.arctan2(x1 - x0, y1 - y0))))

    def mark(self, x, y, symbol, size, a, *, color=WIRE, angle=0.0):
        self.marks.append((x, y, symbol, size, color, angle, a))

    def hover_at(self, x, y, size, text):
        self.hover.append((x, y, size, text))

    def strip(self, slot: Slot, values: np.ndarray, a: float, hover_head: str,
              limit: float | None = None) -> None:
        """A vector as squares, top row first, filling slot.rows in order. limit: a gradient
        strip on the diverging scale ±limit (numbers printed with _gnum)."""
        ncols, x0, y0 = max(slot.rows), slot.x0, slot.y0
        height = len(slot.rows) * CH
        scale, lo, hi = (VALUE_SCALE, -1.0, 1.0) if slot.kind == "value" else (GATE_SCALE, 0.0, 1.0)
        num = _num
        if limit is not None:
            scale, lo, hi, num = VALUE_SCALE, -limit, limit, _gnum
        z, hover = [], []
        index = 0
        for r, n in enumerate(slot.rows):
            row = values[index:index + n]
            pad = [np.nan] * (ncols - n)
            clipped = np.clip(row, lo, hi)
            z.append(list(clipped) + pad)
            hover.append([f"{hover_head}<br><b>[{index + k}] = {num(v, 4)}</b>"
                          for k, v in enumerate(row)] + [""] * len(pad))
            index += n
            ry = y0 + height - (r + 0.5) * CH
            # the grid colour that shows between the squares
            self.polygon(_rect(x0 - 1.5, x0 + n * CW + 1.5, ry - CH / 2 - 1.5, ry + CH / 2 + 1.5),
                         a, fill=GRID, line_color=GRID, layer="below")
            # the numbers stay fully opaque on a dimmed strip, in a colour readable on it
            texts = self.texts.setdefault((self.style.cell_font, 1.0), [])
            for k, (v, c) in enumerate(zip(row, clipped)):
                shown = (num(v, 2) if not self.style.compact else compact(v) if num is _num
                         else compact_gradient(v))
                texts.append((x0 + (k + 0.5) * CW, ry, shown, "middle center",
                              _text_color(scale, (c - lo) / (hi - lo), a)))
        self.heatmaps.append(dict(
            type="heatmap", z=z[::-1], hovertext=hover[::-1],
            x0=x0 + CW / 2, dx=CW, y0=y0 + CH / 2, dy=CH, zmin=lo, zmax=hi,
            colorscale=scale, showscale=False, xgap=2, ygap=2, hoverongaps=False,
            hovertemplate="%{hovertext}<extra></extra>", opacity=a))
        if slot.seam is not None:  # the seam of a concatenation, on a one-row strip
            xs = x0 + slot.seam * CW
            self.line([(xs, y0 - 5), (xs, y0 + height + 5)], a, width=3, color=INK,
                      layer="above")

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
            marker=dict(size=sizes, symbol="square", color="rgba(0,0,0,0)",
                        line=dict(width=0)))
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
            xaxis=dict(range=[0, self.width], **axis),
            yaxis=dict(range=[0, self.height], scaleanchor="x", scaleratio=1,
                       constraintoward="top", **axis),
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



# -- painting the canvas ---------------------------------------------------------------------
def _markup(runs: tuple[Run, ...], style: Style) -> str:
    """A label's runs as Plotly's small HTML subset (the runs are the app's own text)."""
    out = []
    for run in runs:
        if run.style == "br":
            out.append("<br>")
        elif run.style in ("b", "sub"):
            out.append(f"<{run.style}>{run.text}</{run.style}>")
        elif run.style == "small":
            out.append(f"<span style='font-size:{style.small_font}px'>{run.text}</span>")
        elif run.style == "peephole":
            out.append(f"<span style='color:{PEEPHOLE}'>{run.text}</span>")
        else:
            out.append(run.text)
    return "".join(out)


def _head(title: str, note: str, shape: str, values, num=_num) -> str:
    lines = [f"<b>{title}</b>", *note.split("\n"), *([f"shape {shape}"] if shape else []),
             _vec(values, num=num)]
    return "<br>".join(line for line in lines if line)


def _values(step: LSTMStep) -> dict[str, np.ndarray]:
    """The vector each slot, node, box or wire of the canvas carries, by its `vector` name."""
    out = {name: getattr(step, name) for name in (
        "c_prev", "h_prev", "x", "xh", "i", "f", "g", "o", "f_c_prev", "i_g", "c", "tanh_c",
        "h")}
    out |= {f"peephole_{g.spec.name}": g.peephole for g in step.gates}
    return out


# The gradient each canvas vector carries in the backward pass: ∂L/∂(that vector), and how
# it is found. A product's output (f ⊗ c(t-1), i ⊗ g) and c(t) get dc_total unchanged (the ⊕
# copies it), a peephole wire gets its gate's dz.
GRADIENT_OF = {
    "c_prev": ("dc_prev", "dc_prev = dc_total ⊗ f (+ peephole terms)"),
    "h_prev": ("dh_prev", "dh_prev = Σ W_h dz over the four layers"),
    "x": ("dx", "dx = Σ W_x dz over the four layers"),
    "xh": ("", "[dh_prev; dx]: the stacked vector's gradient"),
    "f": ("df", "df = dc_total ⊗ c(t-1)"),
    "i": ("di", "di = dc_total ⊗ g"),
    "g": ("dg", "dg = dc_total ⊗ i"),
    "o": ("do", "do = dh ⊗ tanh(c)"),
    "f_c_prev": ("dc_total", "the ⊕ passes dc_total on unchanged"),
    "i_g": ("dc_total", "the ⊕ passes dc_total on unchanged"),
    "c": ("dc_total", "dc_total = dc + dh ⊗ o ⊗ (1 − tanh²c) (+ peephole term)"),
    "tanh_c": ("dtanh_c", "dh ⊗ o"),
    "h": ("dh", "∂L/∂h(t), from the loss"),
    **{f"peephole_{n}": (f"dz_{n}", f"dz_{n}: the peephole adds inside the {n} layer")
       for n in ("i", "f", "o")},
}


def _gradient_values(grad: LSTMStepGradient) -> dict[str, np.ndarray]:
    out = {name: getattr(grad, attr) for name, (attr, _note) in GRADIENT_OF.items() if attr}
    return out | {"xh": np.concatenate([grad.dh_prev, grad.dx])}


def gradient_limit(grad: LSTMStepGradient) -> float:
    """Half-width of the gradient colour scale: the largest |gradient| on the diagram, rounded
    up to 1, 2 or 5 times a power of ten (1 when every gradient is 0)."""
    top = max(float(np.max(np.abs(v))) for v in _gradient_values(grad).values())
    if not top > 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(top))
    return float(next(m * power for m in (1, 2, 5, 10) if top <= m * power * (1 + 1e-12)))


class _Scene:
    """Paints one canvas item at a time with the step's values, or (with `grad`) with the
    gradients of the backward pass: wires point right to left, one diverging scale ±limit."""

    def __init__(self, step: LSTMStep, canvas: Canvas, style: Style,
                 highlight: frozenset[str] | None, grad: LSTMStepGradient | None = None):
        self.step, self.style, self.highlight, self.grad = step, style, highlight, grad
        self.values = _values(step) if grad is None else _gradient_values(grad)
        self.limit = None if grad is None else gradient_limit(grad)
        self.num = _num if grad is None else _gnum
        self.pen = _Painter(style, canvas.width, canvas.height)
        self.peepholes = canvas.use_peepholes

    def head(self, item, note: str | None = None) -> str:
        """Hover text of an item carrying a vector: its values, or its gradient's."""
        if self.grad is None:
            return _head(item.title, item.note if note is None else note, item.shape,
                         self.values[item.vector])
        return _head(f"∂L/∂ {item.title}", GRADIENT_OF[item.vector][1], item.shape,
                     self.values[item.vector], self.num)

    def alpha(self, item) -> float:
        lit = (self.highlight is None or item.part == KEY or item.part in self.highlight
               or item.id in self.highlight)
        return 1.0 if lit else DIM

    def formula(self, gate_name: str) -> str:
        """A gate's formula, with the forget-bias offset when there is one."""
        gate = self.step.gate(gate_name)
        spec = gate.spec
        return gate_formula(gate_name, spec.activation, self.peepholes and spec.peephole_from,
                            gate.offset)

    def paint(self, item) -> None:
        a, pen, style = self.alpha(item), self.pen, self.style
        if isinstance(item, Wire):
            peep = item.role == "peephole"
            backward = self.grad is not None and item.arrow  # the arrow at the other end
            pen.wire(item.points[::-1] if backward else item.points, a,
                     width=style.state_wire if item.role == "state" else style.wire,
                     color=PEEPHOLE if peep else WIRE, dash="dash" if peep else None,
                     arrow=item.arrow)
            if item.vector:
                (xa, ya), (xb, yb) = item.points[-2], item.points[-1]
                pen.hover_at((xa + xb) / 2, (ya + yb) / 2, 14, self.head(item))
        elif isinstance(item, Slot):
            if item.key_values:
                if self.limit is not None and item.kind == "gate":
                    return  # no gate colours in the backward pass: one scale for all
                values, head = np.array(item.key_values) * (self.limit or 1.0), item.title
            else:
                values = self.values[item.vector]
                note = self.formula(item.vector) if item.vector in GATE_ORDER else item.note
                head = self.head(item, note)
            pen.strip(item, values, a, head, self.limit)
        elif isinstance(item, Box):
            self.box(item, a)
        elif isinstance(item, Node):
            pen.polygon(_ellipse(item.x, item.y, item.r, item.r), a, fill=NODE_FILL,
                        width=style.wire)
            pen.text(item.x, item.y, item.symbol, a, size=style.symbol_font)
            pen.hover_at(item.x, item.y, 2 * item.r, self.head(item))
        elif isinstance(item, Dot):
            pen.mark(item.x, item.y, "circle", 7, a)
        else:
            self.label(item, a)

    def box_hover(self, box: Box) -> str:
        if box.gate and self.grad is not None:
            g = self.grad.gate(box.gate)
            return "<br>".join([f"<b>{box.title}</b>", "backward: dz = da ⊗ (slope of the "
                                "activation at z)", f"d{box.gate} = {_vec(g.da, num=_gnum)}",
                                f"dz_{box.gate} = {_vec(g.dz, num=_gnum)}"])
        if box.gate:
            gate = self.step.gate(box.gate)
            n, rest = box.gate, box.note.split("\n")[1:]  # the first line is the formula
            return "<br>".join([f"<b>{box.title}</b>", self.formula(n), *rest,
                                f"z_{n} = {_vec(gate.z)}", f"{n}(t) = {_vec(gate.a)}"])
        return self.head(box)

    def box(self, box: Box, a: float) -> None:
        hover = self.box_hover(box)
        w, h = box.w, box.h
        outline = (_ellipse(box.x, box.y, w / 2, h / 2) if box.outline == "ellipse"
                   else _rect(box.x - w / 2, box.x + w / 2, box.y - h / 2, box.y + h / 2))
        self.pen.polygon(outline, a, fill=BOX_FILLS[box.fill], width=self.style.wire)
        self.pen.text(box.x, box.y, _markup(box.label, self.style), a)
        step = min(w, h)
        for k in range(max(1, round(w / step))):
            self.pen.hover_at(box.x - w / 2 + step * (k + 0.5), box.y, step, hover)

    def label(self, label: Label, a: float) -> None:
        style = self.style
        size = {"label": style.label_font, "small": style.small_font,
                "symbol": style.symbol_font}[label.size]
        text = _markup(label.runs, style)
        if self.limit is not None and label.id in GRADIENT_KEY_LABELS:
            text = GRADIENT_KEY_LABELS[label.id].format(limit=f"{self.limit:g}")
            if not text:
                return
        color = PEEPHOLE if label.color == "peephole" else INK
        if label.boxed:
            self.pen.annotations.append(dict(
                x=label.x, y=label.y, text=text, showarrow=False, opacity=a,
                font=dict(size=size, color=color), xanchor=label.xanchor,
                yanchor=label.yanchor, align="left", bordercolor="#999999", borderwidth=1,
                borderpad=6, bgcolor="rgba(255,255,255,0.9)"))
        elif label.angle:
            self.pen.annotations.append(dict(
                x=label.x, y=label.y, text=text, showarrow=False, opacity=a,
                xanchor=label.xanchor, font=dict(size=size, color=color),
                textangle=label.angle))
        else:
            self.pen.text(label.x, label.y, text, a, size=size, xanchor=label.xanchor,
                          yanchor=label.yanchor)


GRADIENT_KEY_LABELS = {"label.key_value": "gradients: −{limit} … 0 … +{limit} (each ∂L/∂ …)",
                       "label.key_gate": ""}


def cell_diagram(step: LSTMStep, *, highlight: frozenset[str] | None = None,
                 presenter: bool = False, peepholes: bool | None = None,
                 grad: LSTMStepGradient | None = None) -> go.Figure:
    """Figure 14-13 with this step's numbers on every wire.

    highlight: canvas part ids (ELEMENTS) or item ids to keep lit; the rest is dimmed
    (None: all lit). presenter: larger fonts and thicker lines for projection.
    peepholes: draw the peephole wires; by default when the step had peepholes on.
    grad: lstm_step_backward's record for this step: paint every wire with its gradient
    ∂L/∂(its vector) instead, arrows pointing back (right to left), on one scale ±limit.
    """
    peepholes = step.use_peepholes if peepholes is None else peepholes
    canvas = lstm_canvas(len(step.x), len(step.h), peepholes)
    return paint(_Scene, step, canvas, highlight, presenter, grad)


def paint(scene_type: type, step, canvas: Canvas, highlight: frozenset[str] | None,
          presenter: bool, *extra) -> go.Figure:
    """Every item of `canvas` painted with `step`'s values by a scene of `scene_type` (given
    `extra` arguments, e.g. the LSTM's gradients); a highlight must name the canvas's parts
    or item ids."""
    if highlight is not None:
        unknown = set(highlight) - set(canvas.parts) - set(canvas.ids)
        if unknown:
            raise ValueError(f"unknown diagram elements {sorted(unknown)}; choose from "
                             f"{canvas.parts} or a canvas item id")
        highlight = frozenset(highlight)
    scene = scene_type(step, canvas, PRESENTER if presenter else NORMAL, highlight, *extra)
    for item in canvas.items:
        scene.paint(item)
    return scene.pen.figure()


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
