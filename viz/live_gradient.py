"""Plain data for the live cell's gradient mode (the "Backward pass" page): the loss the browser
differentiates, the canvas relabelled for gradients, and a gradient record under the names
ui/live/lstm.js gives it (what the conformance test compares). No Plotly, no Streamlit.

In gradient mode the browser computes, on every frame of a drag, the forward step and then
lstmStepBackward with dh = h(t) − target (or the given dh) and the given dc; every slot shows
∂L/∂(its vector) on one diverging scale ±limit, and the wires point right to left. The limit
comes from the server's numbers (viz.diagram.gradient_limit) and is renewed after each sync;
during a drag a larger gradient is clipped in colour, never in its printed number.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explainer.backward import BackwardRun
from explainer.scenario import Scenario
from lstm_core import GATE_ORDER, GATES, LSTMStepGradient

from .diagram import GRADIENT_OF, gradient_limit
from .live import layout_key

KEY_SLOT, KEY_LABEL = "slot.key_value", "label.key_value"
DROPPED = frozenset({"slot.key_gate", "label.key_gate"})  # one scale: no gate colours


def _list(a) -> list:
    return np.asarray(a, dtype=np.float64).tolist()


def gradient_settings(run: BackwardRun) -> dict[str, Any]:
    """What the browser needs to redo `run`'s backward pass for other forward values."""
    return {"kind": "direct" if run.target is None else "target",
            "target": None if run.target is None else _list(run.target),
            "dh": _list(run.dh), "dc": _list(run.dc), "limit": gradient_limit(run.grad)}


def gradient_canvas(canvas: dict[str, Any], limit: float) -> dict[str, Any]:
    """The canvas data (viz.live.canvas_data) for the backward pass: every strip on the value
    scale, the value key scaled to ±limit and the gate key dropped, gradient titles and notes;
    its `key` names the scale too (a new limit redraws the layout)."""
    items = []
    for item in canvas["items"]:
        if item["id"] in DROPPED:
            continue
        item = dict(item)
        if item["type"] == "slot":
            item["kind"] = "value"
        if item["id"] == KEY_SLOT:
            item["key_values"] = [v * limit for v in item["key_values"]]
        elif item["id"] == KEY_LABEL:
            item["runs"] = [{"text": f"gradients: −{limit:g} … 0 … +{limit:g} (each ∂L/∂ …)",
                             "style": ""}]
        elif item.get("vector") in GRADIENT_OF and not item["id"].startswith("box."):
            item["title"] = f"∂L/∂ {item['title']}"
            item["note"] = GRADIENT_OF[item["vector"]][1]
        items.append(item)
    return {**canvas, "items": items, "key": f"{canvas['key']}-grad{limit:g}"}


def gradient_layout(s: Scenario, run: BackwardRun) -> str:
    """Names the gradient canvas of `s` (its layout, and the scale it is keyed with)."""
    return f"{layout_key(s)}-grad{gradient_limit(run.grad):g}"


def gradient_cell(data: dict[str, Any], run: BackwardRun) -> dict[str, Any]:
    """viz.live.cell_data's dict for the gradient mode: the gradient canvas (when sent), the
    backward formulas, and the loss the browser differentiates; `layout` names the canvas."""
    settings = gradient_settings(run)
    canvas = data["canvas"] and gradient_canvas(data["canvas"], settings["limit"])
    return {**data, "layout": f"{data['layout']}-grad{settings['limit']:g}", "canvas": canvas,
            "formulas": gradient_formulas(), "gradient": settings}


def gradient_formulas() -> dict[str, str]:
    """Each layer's backward rule, shown where the forward page shows its formula."""
    slope = {"sigmoid": "{n} ⊗ (1 − {n})", "tanh": "(1 − {n}²)"}
    return {spec.name: (f"{GRADIENT_OF[spec.name][1]};  dz_{spec.name} = d{spec.name} ⊗ "
                        + slope[spec.activation].format(n=spec.name))
            for spec in GATES}


def grad_data(grad: LSTMStepGradient) -> dict[str, Any]:
    """Every gradient of a step, named as ui/live/lstm.js's lstmStepBackward names them."""
    gates = {}
    for n in GATE_ORDER:
        g = grad.gate(n)
        gates[n] = {"da": _list(g.da), "dz": _list(g.dz), "dx": _list(g.dx),
                    "dh_prev": _list(g.dh_prev), "dpeephole": _list(g.dpeephole),
                    "dW_x": _list(g.dW_x), "dW_h": _list(g.dW_h), "db": _list(g.db),
                    "dw_c": None if g.dw_c is None else _list(g.dw_c)}
    return {"dh": _list(grad.dh), "dc": _list(grad.dc), "dtanh_c": _list(grad.dtanh_c),
            "dc_from_h": _list(grad.dc_from_h), "dc_total": _list(grad.dc_total),
            "gates": gates, "dc_prev": _list(grad.dc_prev), "dh_prev": _list(grad.dh_prev),
            "dx": _list(grad.dx)}
