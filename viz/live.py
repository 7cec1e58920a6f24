"""Plain data for the live cell (ui/live/): the parameters and inputs as JSON-ready lists, in
the shape ui/live/lstm.js expects, and a step's intermediates under the same names (what the
conformance test compares). No Plotly, no Streamlit: pure data."""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_core import GATE_ORDER, LSTMParams, LSTMStep


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
