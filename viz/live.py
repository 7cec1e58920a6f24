"""Plain data for the live cell (ui/live/): the parameters and inputs as JSON-ready lists, in
the shape ui/live/lstm.js expects, and a step's intermediates under the same names (what the
conformance test compares). No Plotly, no Streamlit: pure data."""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_core import GATE_ORDER, LSTMParams, LSTMStep
from lstm_core import lstm_step as _lstm_step


def _list(a: np.ndarray) -> list:
    return np.asarray(a, dtype=np.float64).tolist()


def params_data(params: LSTMParams) -> dict[str, Any]:
    """{D, H, forget_bias, use_peepholes, gates: {name: {W_x, W_h, b, w_c}}} as lists."""
    gates = {}
    for name in GATE_ORDER:
        gate = params.gate(name)
        gates[name] = {"W_x": _list(gate.W_x), "W_h": _list(gate.W_h), "b": _list(gate.b),
                       "w_c": None if gate.w_c is None else _list(gate.w_c)}
    return {"D": params.D, "H": params.H, "forget_bias": float(params.forget_bias),
            "use_peepholes": bool(params.use_peepholes), "gates": gates}


def step_data(step: LSTMStep) -> dict[str, Any]:
    """Every intermediate of a step, named as ui/live/lstm.js names them."""
    gates = {g.spec.name: {"Wx_x": _list(g.Wx_x), "Wh_h": _list(g.Wh_h), "b": _list(g.b),
                           "peephole": _list(g.peephole), "offset": float(g.offset),
                           "z": _list(g.z), "a": _list(g.a)} for g in step.gates}
    return {"x": _list(step.x), "h_prev": _list(step.h_prev), "c_prev": _list(step.c_prev),
            "xh": _list(step.xh), "gates": gates, "f_c_prev": _list(step.f_c_prev),
            "i_g": _list(step.i_g), "c": _list(step.c), "tanh_c": _list(step.tanh_c),
            "h": _list(step.h)}


# -- geometry of the diagram, for ui/live/cell.js -------------------------------------------
# Interim: the live cell's geometry is recorded from viz.diagram's drawing code (a canvas that
# writes down what it is asked to draw instead of building Plotly traces). To be replaced by
# viz.canvas (issue 11) once it lands.
import html as _html  # noqa: E402
import re as _re  # noqa: E402
from functools import lru_cache  # noqa: E402

from viz import diagram as _d  # noqa: E402

_TAG = _re.compile(r"<(/?)(b|sub|span)[^>]*>")
_VECTOR_OF_TITLE = {  # a strip's title (before ":") -> (path in a step, editable key)
    "x(t)": ("x", "x"), "h(t-1)": ("h_prev", "h"), "c(t-1)": ("c_prev", "c"),
    "[h(t-1); x(t)]": ("xh", None), "f(t) ⊗ c(t-1)": ("f_c_prev", None),
    "i(t) ⊗ g(t)": ("i_g", None), "c(t)": ("c", None), "tanh(c(t))": ("tanh_c", None),
    "h(t) = y(t)": ("h", None),
    **{f"{g}(t)": (f"gates.{g}.a", None) for g in GATE_ORDER},
}
_LABEL_OF_PATH = {"x": "x(t)", "h_prev": "h(t-1)", "c_prev": "c(t-1)", "xh": "[h(t-1); x(t)]",
                  "f_c_prev": "f(t)⊗c(t-1)", "i_g": "i(t)⊗g(t)", "c": "c(t)",
                  "tanh_c": "tanh(c(t))", "h": "h(t)",
                  **{f"gates.{g}.a": f"{g}(t)" for g in GATE_ORDER},
                  **{f"gates.{g}.z": f"z_{g}" for g in GATE_ORDER},
                  **{f"gates.{g}.peephole": f"w_c{g}⊗c" for g in GATE_ORDER}}


def _segments(text: str) -> list[list[str]]:
    """Plotly's little HTML (<b>, <sub>, <span>) as [text, style] runs; entities decoded."""
    runs, style, pos = [], [], 0
    for m in _TAG.finditer(text):
        if m.start() > pos:
            runs.append([_html.unescape(text[pos:m.start()]), " ".join(style)])
        closing, tag = m.group(1) == "/", m.group(2)
        if tag != "span":
            if closing and tag in style:
                style.remove(tag)
            elif not closing:
                style.append(tag)
        pos = m.end()
    if pos < len(text):
        runs.append([_html.unescape(text[pos:]), " ".join(style)])
    return [r for r in runs if r[0]]


def _plain(text: str) -> str:
    return "".join(t for t, _ in _segments(text))


def _hover_vectors(title: str) -> list[list[str]]:
    if "fully connected layer" in title:
        g = next(s.name for s in _d.GATES if title.startswith(s.title))
        return [[f"z_{g}", f"gates.{g}.z"], [f"{g}(t)", f"gates.{g}.a"]]
    if title.startswith("peephole"):
        g = next(s.name for s in _d.GATES if title.endswith(s.title))
        return [[f"w_c{g}⊗c", f"gates.{g}.peephole"]]
    for key, path in (("concatenation", "xh"), ("f(t) ⊗ c(t-1)", "f_c_prev"),
                      ("i(t) ⊗ g(t)", "i_g"), ("add element-wise", "c"),
                      ("o(t) ⊗ tanh", "h"), ("tanh(c(t))", "tanh_c")):
        if key in title:
            return [[_LABEL_OF_PATH[path], path]]
    return []


class _Recorder(_d._Canvas):
    """Writes down the shapes, text, vector slots and hover areas, y pointing down."""

    def __init__(self, style):
        super().__init__(style, None)
        self.layers: dict[str, list[dict]] = {"wires": [], "boxes": [], "dots": [], "text": []}
        self.slots: list[dict] = []
        self.hovers: list[dict] = []
        self.part: str | None = None

    def _y(self, y: float) -> float:
        return round(_d.HT - float(y), 2)

    def _pts(self, points) -> list[list[float]]:
        return [[round(float(x), 2), self._y(y)] for x, y in points]

    def text(self, x, y, text, element, *, size=None, xanchor="center", yanchor="middle",
             color=_d.INK):
        if element is None and text.startswith(("values:", "gates:")):
            return  # captions of the Plotly diagram's colour strips
        size = size or self.style.label_font
        lines = text.split("<br>")
        anchor = {"left": "start", "center": "middle", "right": "end"}[xanchor]
        base = {"bottom": "text-after-edge", "middle": "central", "top": "hanging"}[yanchor]
        for k, line in enumerate(lines):
            shift = (k - (len(lines) - 1) / 2) * size * 1.15
            self.layers["text"].append({"type": "text", "x": round(float(x), 2),
                                        "y": round(self._y(y) + shift, 2),
                                        "text": _segments(line), "size": size, "anchor": anchor,
                                        "baseline": base, "color": color, "part": element})

    def annotation(self, x, y, text, element, **extra):
        if "concatenate" in text:  # the symbol legend: its lines, bottom right
            lines = text.split("<br>")
            size = self.style.small_font
            for k, line in enumerate(reversed(lines)):
                self.layers["text"].append({
                    "type": "text", "x": _d.W - 10, "y": round(_d.HT - 10 - k * size * 1.3, 2),
                    "text": _segments(line), "size": size, "anchor": "end",
                    "baseline": "text-after-edge", "color": _d.INK, "part": None})
            return
        self.layers["text"].append({"type": "text", "x": x, "y": self._y(y), "rotate": -90,
                                    "text": _segments(text), "size": self.style.small_font,
                                    "anchor": "middle", "baseline": "text-after-edge",
                                    "color": _d.PEEPHOLE, "part": element})

    def line(self, points, element, *, width, color=_d.WIRE, dash=None, layer="below"):
        self.layers["wires"].append({"type": "path", "points": self._pts(points),
                                     "stroke": color, "width": width,
                                     "dash": "6 4" if dash else None, "part": element})

    def polygon(self, points, element, *, fill, line_color=_d.WIRE, width=0.0, layer="above"):
        if fill == _d.GRID:  # the grey between a strip's squares: the slots draw their own
            return
        self.layers["boxes"].append({"type": "path", "points": self._pts(points), "closed": True,
                                     "fill": fill, "stroke": line_color, "width": width,
                                     "part": element})

    def wire(self, points, element, *, width=None, color=_d.WIRE, dash=None, arrow=True):
        self.line(points, element, width=width or self.style.wire, color=color, dash=dash)
        self.layers["wires"][-1]["arrow"] = bool(arrow)

    def mark(self, x, y, symbol, size, element, *, color=_d.WIRE, angle=0.0):
        self.layers["dots"].append({"type": "ellipse", "cx": round(float(x), 2),
                                    "cy": self._y(y), "rx": 3.5, "ry": 3.5, "fill": color,
                                    "part": element})

    def hover_at(self, x, y, size, text):
        lines = text.split("<br>")
        title = _plain(lines[0])
        box = [float(x) - size / 2, self._y(y) - size / 2, float(size), float(size)]
        last = self.hovers[-1] if self.hovers else None
        if last and last["title"] == title and abs(last["x"] + last["w"] - box[0]) < 1e-6:
            last["w"] += box[2]  # a box's row of hover squares becomes one area
            return
        words = [_plain(s) for s in lines[1:] if not _plain(s).lstrip().startswith("[")
                 and "= [" not in _plain(s)]
        self.hovers.append({"x": round(box[0], 2), "y": round(box[1], 2), "w": box[2],
                            "h": box[3], "title": title, "formula": " · ".join(words[:3]),
                            "shape": "", "vectors": _hover_vectors(title)})

    def strip(self, rows, kind, element, hover_head, *, cy, cx=None, left=None,
              separator_after=None):
        head = hover_head.split("<br>")
        title = _plain(head[0])
        symbol = title.split(":")[0].strip()
        ncols = max(len(r) for r in rows)
        width, height = ncols * _d.CW, len(rows) * _d.CH
        x0 = cx - width / 2 if left is None else left
        y0 = cy - height / 2
        if symbol in _VECTOR_OF_TITLE:
            path, editable = _VECTOR_OF_TITLE[symbol]
            cells = []
            for r, row in enumerate(rows):
                ry = y0 + height - (r + 0.5) * _d.CH
                cells += [[round(x0 + (k + 0.5) * _d.CW, 2), self._y(ry)] for k in range(len(row))]
            self.slots.append({
                "id": path, "vector": path, "label": _LABEL_OF_PATH[path], "editable": editable,
                "part": element, "cells": cells, "cw": _d.CW - 2, "ch": _d.CH - 2,
                "font": self.style.cell_font, "seam": separator_after, "title": title,
                "formula": _plain(head[1]) if len(head) > 1 else "",
                "shape": _plain(head[2]).removeprefix("shape ") if len(head) > 2 else ""})
        return x0, x0 + width, y0, y0 + height


STAGES = (  # the narrow layout's list: (part, title, slot ids), in the order of computation
    ("inputs", "Inputs", ("x", "h_prev", "c_prev")),
    ("concat", "Concatenation [h(t-1); x(t)]", ("xh",)),
    ("forget", "Forget gate", ("gates.f.a",)),
    ("input", "Input gate", ("gates.i.a",)),
    ("candidate", "Candidate", ("gates.g.a",)),
    ("cell_update", "Cell update", ("f_c_prev", "i_g", "c")),
    ("output", "Output gate", ("gates.o.a",)),
    ("h_out", "New states", ("tanh_c", "h")),
)


@lru_cache(maxsize=64)
def _geometry_json(D: int, H: int, peepholes: bool, presenter: bool) -> str:
    import json

    cv = _Recorder(_d.PRESENTER if presenter else _d.NORMAL)
    zero = LSTMParams.zeros(D, H, use_peepholes=peepholes)
    step = _lstm_step(zero, np.zeros(D), np.zeros(H), np.zeros(H))
    _d._inputs(cv, step, D, H)
    _d._concat(cv, step, D, H)
    _d._gates(cv, step, D, H, peepholes)
    _d._cell_update(cv, step, H)
    _d._h_out(cv, step, H)
    _d._key(cv)  # its symbol legend; the colour key is the component's own (HTML)
    shapes = cv.layers["wires"] + cv.layers["boxes"] + cv.layers["dots"] + cv.layers["text"]
    stages = [{"part": p, "title": t, "slots": list(s)} for p, t, s in STAGES]
    geometry = {"key": f"{D}x{H}{'p' if peepholes else ''}{'P' if presenter else ''}",
                "width": _d.W, "height": _d.HT, "shapes": shapes, "slots": cv.slots,
                "hovers": cv.hovers, "stages": stages}
    return json.dumps(geometry)


def cell_geometry(D: int, H: int, *, peepholes: bool, presenter: bool) -> dict[str, Any]:
    """Every shape, label, vector slot and hover area of the diagram at these sizes (a fresh
    dict each call: callers may keep it)."""
    import json

    return json.loads(_geometry_json(D, H, bool(peepholes), bool(presenter)))
