"""Plain data for the live GRU cell (issue 16): the GRU's parameters and a step's intermediates
as JSON-ready lists in the shape ui/live/gru.js expects (what its conformance test compares),
and the GRU canvas, hover formulas and narrow-layout stages. No Plotly, no Streamlit."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import numpy as np

from explainer.scenario import Scenario
from lstm_core import GRU_GATES, GRUParams, GRUStep

from .canvas import GRU_PARTS, Slot, gru_canvas, gru_formula
from .live import cell_data

STAGE_TITLES = {"inputs": "Inputs x(t), h(t-1)", "concat": "Stack [h(t-1); x(t)]",
                "update": "Update gate z", "reset": "Reset gate r", "candidate": "Candidate g",
                "h_update": "New state h(t) = z ⊗ h(t-1) + (1 − z) ⊗ g"}


def _list(a: np.ndarray) -> list:
    return np.asarray(a, dtype=np.float64).tolist()


def gru_params_data(params: GRUParams) -> dict[str, Any]:
    """{D, H, reset_after, gates: {name: {W_x, W_h, b_x, b_h}}} as lists."""
    gates = {spec.name: {f: _list(getattr(params.gate(spec.name), f))
                         for f in ("W_x", "W_h", "b_x", "b_h")} for spec in GRU_GATES}
    return {"D": params.D, "H": params.H, "reset_after": bool(params.reset_after),
            "gates": gates}


def gru_step_data(step: GRUStep) -> dict[str, Any]:
    """Every intermediate of a GRU step, named as ui/live/gru.js names them."""
    fields = ("Wx_x", "b_x", "h_in", "Wh_h", "b_h", "Wh_h_b", "rec", "pre", "a")
    gates = {g.spec.name: {f: _list(getattr(g, f)) for f in fields} for g in step.gates}
    return {"x": _list(step.x), "h_prev": _list(step.h_prev), "xh": _list(step.xh),
            "reset_after": bool(step.reset_after), "gates": gates,
            "one_minus_z": _list(step.one_minus_z), "z_h_prev": _list(step.z_h_prev),
            "one_minus_z_g": _list(step.one_minus_z_g), "h": _list(step.h)}


@lru_cache(maxsize=32)
def _canvas_json(D: int, H: int, reset_after: bool) -> str:
    return json.dumps(gru_canvas(D, H, reset_after).to_dict())


def gru_canvas_data(D: int, H: int, *, reset_after: bool) -> dict[str, Any]:
    """`viz.canvas.gru_canvas(...).to_dict()` plus a `key` naming the layout."""
    data = json.loads(_canvas_json(D, H, bool(reset_after)))
    data["key"] = f"gru{D}x{H}{'a' if reset_after else 'b'}"
    return data


def gru_formulas(params: GRUParams) -> dict[str, str]:
    """Each layer's formula as its hover shows it (the candidate's in this placement)."""
    return {spec.name: gru_formula(spec.name, params.reset_after) for spec in GRU_GATES}


def gru_stages(D: int, H: int, *, reset_after: bool) -> list[dict[str, Any]]:
    """The narrow layout: one stage per part of the GRU canvas, with its vector slots."""
    slots = gru_canvas(D, H, reset_after).of(Slot)
    return [{"part": part, "title": STAGE_TITLES[part],
             "slots": [slot.id for slot in slots if slot.part == part]} for part in GRU_PARTS]


def gru_layout_key(s: Scenario) -> str:
    """Names the GRU canvas a scenario is drawn on (sizes and reset placement)."""
    return f"gru{s.D}x{s.H}{'a' if s.gru.reset_after else 'b'}"


def gru_cell_data(s: Scenario, *, gate: str | None = None, with_canvas: bool = True,
                  **options) -> dict[str, Any]:
    """What ui/live/cell.js draws for the scenario's GRU: `viz.live.cell_data`'s look, bounds,
    ranges, highlight and ack, with the GRU's canvas, stages, formulas, parameters and layers
    (`cell: "gru"` makes the browser compute with ui/live/gru.js). No c(t)."""
    data = cell_data(s, with_canvas=False, **options)
    ra = s.gru.reset_after
    data.update(
        cell="gru", layout=gru_layout_key(s),
        canvas=gru_canvas_data(s.D, s.H, reset_after=ra) if with_canvas else None,
        stages=gru_stages(s.D, s.H, reset_after=ra) if with_canvas else None,
        formulas=gru_formulas(s.gru), params=gru_params_data(s.gru), c=[],
        gates=[{"name": spec.name, "title": spec.title} for spec in GRU_GATES],
        gate=gate or "z", gate_follows=gate is not None)
    return data
