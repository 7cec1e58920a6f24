"""The GRU cell drawn with Plotly (issue 16): the canvas of `viz.canvas.gru_canvas`, painted with
one step's values by the LSTM diagram's painter (`viz.diagram`), so both cells look alike.

Pure: a `GRUStep` in, a `go.Figure` out.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lstm_core import GRUStep

from .canvas import GRU_PARTS, Box, Canvas, gru_canvas, gru_formula
from .diagram import Style, _num, _Painter, _Scene, _vec, paint

GRU_ELEMENTS = GRU_PARTS
"""Highlightable parts of the GRU picture, in the order the cell computes them."""


def gru_values(step: GRUStep) -> dict[str, np.ndarray]:
    """The vector each slot, node, box or wire of the GRU canvas carries, by its `vector` name."""
    cand = step.candidate
    return {"h_prev": step.h_prev, "x": step.x, "xh": step.xh, "z": step.z, "r": step.r,
            "g": step.g, "z_h_prev": step.z_h_prev, "one_minus_z": step.one_minus_z,
            "one_minus_z_g": step.one_minus_z_g, "h": step.h, "Wh_h_b": cand.Wh_h_b,
            "h_in": cand.h_in, "rec": cand.rec}


class _GRUScene(_Scene):
    def __init__(self, step: GRUStep, canvas: Canvas, style: Style,
                 highlight: frozenset[str] | None):
        self.step, self.style, self.highlight = step, style, highlight
        self.grad, self.limit, self.num = None, None, _num  # values only: no backward pass
        self.values = gru_values(step)
        self.pen = _Painter(style, canvas.width, canvas.height)
        self.peepholes = False

    def formula(self, gate_name: str) -> str:
        return gru_formula(gate_name, self.step.reset_after)

    def box_hover(self, box: Box) -> str:
        if not box.gate:
            return super().box_hover(box)
        layer = self.step.gate(box.gate)
        n, rest = box.gate, box.note.split("\n")[1:]
        return "<br>".join([f"<b>{box.title}</b>", self.formula(n), *rest,
                            f"pre-activation = {_vec(layer.pre)}", f"{n}(t) = {_vec(layer.a)}"])


def gru_diagram(step: GRUStep, *, highlight: frozenset[str] | None = None,
                presenter: bool = False) -> go.Figure:
    """The GRU step with its numbers on every wire; highlight: parts (GRU_ELEMENTS) or item ids
    to keep lit (None: all lit)."""
    if step.h.ndim != 1:
        raise ValueError("gru_diagram draws one step, not a batch")
    return paint(_GRUScene, step, gru_canvas(len(step.x), len(step.h), step.reset_after),
                 highlight, presenter)


def gru_alt_text(step: GRUStep) -> str:
    """A one-paragraph text alternative of the GRU diagram, with the key values (2 decimals)."""
    D, H = len(step.x), len(step.h)

    def v(values) -> str:
        return "[" + ", ".join(_num(x, 2) for x in values) + "]"

    where = ("scales the candidate's recurrent product W_hg h(t-1) + b_hg (reset after)"
             if step.reset_after else "scales h(t-1) before the candidate's product (reset "
             "before)")
    return (
        f"Diagram of one GRU cell time step with D = {D} inputs and H = {H} units. The previous "
        f"state h(t-1) = {v(step.h_prev)} enters at the top left; a copy is concatenated, not "
        f"added, with the input x(t) = {v(step.x)} into [h(t-1); x(t)] of length {H + D}, "
        f"which feeds the update gate z(t) = {v(step.z)} and the reset gate r(t) = "
        f"{v(step.r)}. The reset gate {where}; the candidate is g(t) = {v(step.g)}. Along the "
        f"top, h(t-1) is multiplied by z(t), giving {v(step.z_h_prev)}, and (1 − z(t)) ⊗ g(t) = "
        f"{v(step.one_minus_z_g)} is added, giving the new state h(t) = y(t) = {v(step.h)}, "
        "which leaves to the right and upwards."
    )
