"""Plain data for the live cell (ui/live/): the parameters and inputs as JSON-ready lists, in
the shape ui/live/lstm.js expects, and a step's intermediates under the same names (what the
conformance test compares). No Plotly, no Streamlit: pure data."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from typing import Any

import numpy as np

from explainer.scenario import Scenario
from explainer.walkthrough import STEPS
from lstm_core import GATE_ORDER, GATES, VALUE_LIMIT, WEIGHT_LIMIT, LSTMParams, LSTMStep

from .canvas import Slot, gate_formula, lstm_canvas
from .diagram import (
    BOX_FILLS,
    DIM,
    GATE_SCALE,
    GRID,
    INK,
    NORMAL,
    PEEPHOLE,
    PRESENTER,
    VALUE_SCALE,
    WIRE,
)


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


# -- the diagram: the cell canvas as data, and the look the Plotly diagram uses ---------------
@lru_cache(maxsize=32)
def _canvas_json(D: int, H: int, peepholes: bool) -> str:
    return json.dumps(lstm_canvas(D, H, peepholes).to_dict())


def canvas_data(D: int, H: int, *, peepholes: bool) -> dict[str, Any]:
    """`viz.canvas.lstm_canvas(...).to_dict()` plus a `key` naming the layout (a fresh dict on
    each call; the JSON is built once per layout)."""
    data = json.loads(_canvas_json(D, H, bool(peepholes)))
    data["key"] = f"{D}x{H}{'p' if peepholes else ''}"  # as layout_key names it
    return data


def style_data(presenter: bool) -> dict[str, Any]:
    """Fonts, line widths and colours: the same as viz.diagram's Plotly drawing."""
    style = PRESENTER if presenter else NORMAL
    return {**asdict(style), "ink": INK, "wire_color": WIRE, "peephole": PEEPHOLE,
            "fills": BOX_FILLS, "grid": GRID, "dim": DIM, "value_scale": VALUE_SCALE,
            "gate_scale": GATE_SCALE}


def formulas(params: LSTMParams) -> dict[str, str]:
    """Each gate's formula as its hover shows it (with peepholes and the forget-bias offset)."""
    return {spec.name: gate_formula(spec.name, spec.activation,
                                    params.use_peepholes and spec.peephole_from,
                                    params.forget_bias if spec.name == "f" else 0.0)
            for spec in GATES}


def stages(D: int, H: int, *, peepholes: bool) -> list[dict[str, Any]]:
    """The narrow layout: one stage per walkthrough step, with the vector slots of its part."""
    return json.loads(_stages_json(D, H, bool(peepholes)))


@lru_cache(maxsize=32)
def _stages_json(D: int, H: int, peepholes: bool) -> str:
    slots = lstm_canvas(D, H, peepholes).of(Slot)
    return json.dumps([{"part": step.id, "title": step.title,
                        "slots": [slot.id for slot in slots if slot.part == step.id]}
                       for step in STEPS])


def layout_key(s: Scenario) -> str:
    """Names the canvas a scenario is drawn on (sizes and peepholes)."""
    return f"{s.D}x{s.H}{'p' if s.params.use_peepholes else ''}"


def cell_data(s: Scenario, *, ranges: dict[str, tuple[float, float]],
              highlight: frozenset[str] | None = None, controls: bool = True,
              gate: str | None = None, ack: int = 0, with_canvas: bool = True) -> dict[str, Any]:
    """Everything ui/live/cell.js draws for scenario `s` (see ui.live_cell.live_cell):
    the canvas and look, the formulas, the values, the bounds of a value and a weight (the
    link's), the ranges of its sliders, the highlight, and `ack`, the last edit the server
    applied. with_canvas=False leaves out the canvas and the stages (the browser keeps those
    of a layout it has drawn: `layout` names it)."""
    peepholes = s.params.use_peepholes
    return {
        "layout": layout_key(s),
        "canvas": canvas_data(s.D, s.H, peepholes=peepholes) if with_canvas else None,
        "stages": stages(s.D, s.H, peepholes=peepholes) if with_canvas else None,
        "style": style_data(s.view.presenter),
        "formulas": formulas(s.params),
        "params": params_data(s.params),
        "x": s.x.tolist(), "h": s.h_prev.tolist(), "c": s.c_prev.tolist(),
        "limits": {"value": VALUE_LIMIT, "weight": WEIGHT_LIMIT},
        "ranges": {name: list(rng) for name, rng in ranges.items()},
        "gates": [{"name": spec.name, "title": spec.title} for spec in GATES],
        "gate": gate or "f", "gate_follows": gate is not None,
        "highlight": sorted(highlight) if highlight is not None else None,
        "presenter": s.view.presenter, "controls": controls, "ack": ack,
    }
