"""Tables of a step's intermediates: the diagram's full text equivalent."""

from __future__ import annotations

import pandas as pd

from lstm_core import LSTMStep


def rows(step: LSTMStep) -> list[tuple[str, str, object]]:
    """(symbol, what it is, vector) for every intermediate, in the order the cell computes them."""
    out = [
        ("x(t)", "input", step.x),
        ("h(t-1)", "previous short-term state", step.h_prev),
        ("c(t-1)", "previous long-term state", step.c_prev),
        ("[h(t-1); x(t)]", "concatenation (stacked, not added)", step.xh),
    ]
    for gate in step.gates:
        n = gate.spec.name
        out += [
            (f"W_x{n}ᵀ·x", f"{gate.spec.title}: input product", gate.Wx_x),
            (f"W_h{n}ᵀ·h", f"{gate.spec.title}: recurrent product", gate.Wh_h),
            (f"b_{n}", f"{gate.spec.title}: bias", gate.b),
        ]
        if gate.peephole.any():
            out.append((f"w_c{n}⊗c", f"{gate.spec.title}: peephole", gate.peephole))
        out += [
            (f"z_{n}", f"{gate.spec.title}: pre-activation", gate.z),
            (f"{n}(t)", f"{gate.spec.title}: {gate.spec.activation}(z_{n})", gate.a),
        ]
    out += [
        ("f⊗c(t-1)", "kept memory", step.f_c_prev),
        ("i⊗g", "written memory", step.i_g),
        ("c(t)", "new long-term state", step.c),
        ("tanh(c(t))", "squashed long-term state", step.tanh_c),
        ("h(t) = y(t)", "new short-term state and output", step.h),
    ]
    return out


def intermediates_table(step: LSTMStep, decimals: int = 4) -> pd.DataFrame:
    """One row per intermediate, one column per vector element (4 decimals)."""
    records = []
    for symbol, meaning, vec in rows(step):
        rec = {"symbol": symbol, "meaning": meaning, "shape": f"({len(vec)},)"}
        rec.update({f"[{k}]": round(float(v), decimals) for k, v in enumerate(vec)})
        records.append(rec)
    return pd.DataFrame.from_records(records)
