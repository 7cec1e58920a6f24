"""Every intermediate of a step as a flat, named list, and what changed between two steps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cell import LSTMStep


@dataclass(frozen=True)
class Intermediate:
    symbol: str  # "f(t)", as written in Equation 14-3
    meaning: str  # "forget gate: sigmoid(z_f)"
    values: np.ndarray


@dataclass(frozen=True)
class Change:
    symbol: str
    index: int
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


def intermediates(step: LSTMStep) -> tuple[Intermediate, ...]:
    """Inputs, then each gate's products, bias, pre-activation and value, then the update."""
    out = [
        Intermediate("x(t)", "input", step.x),
        Intermediate("h(t-1)", "previous short-term state", step.h_prev),
        Intermediate("c(t-1)", "previous long-term state", step.c_prev),
        Intermediate("[h(t-1); x(t)]", "concatenation (stacked, not added)", step.xh),
    ]
    for gate in step.gates:
        n, title = gate.spec.name, gate.spec.title
        out += [
            Intermediate(f"W_x{n}ᵀ·x(t)", f"{title}: input product", gate.Wx_x),
            Intermediate(f"W_h{n}ᵀ·h(t-1)", f"{title}: recurrent product", gate.Wh_h),
            Intermediate(f"b_{n}", f"{title}: bias", gate.b),
        ]
        if step.has_peephole(n):  # shown whenever peepholes are on, even with zero weights
            out.append(Intermediate(f"w_c{n}⊗c", f"{title}: peephole", gate.peephole))
        out += [
            Intermediate(f"z_{n}", f"{title}: pre-activation", gate.z),
            Intermediate(f"{n}(t)", f"{title}: {gate.spec.activation}(z_{n})", gate.a),
        ]
    out += [
        Intermediate("f(t)⊗c(t-1)", "kept memory", step.f_c_prev),
        Intermediate("i(t)⊗g(t)", "written memory", step.i_g),
        Intermediate("c(t)", "new long-term state", step.c),
        Intermediate("tanh(c(t))", "squashed long-term state", step.tanh_c),
        Intermediate("h(t) = y(t)", "new short-term state and output", step.h),
    ]
    return tuple(out)


def changes(before: LSTMStep, after: LSTMStep, tol: float = 5e-5) -> tuple[Change, ...]:
    """Elements that moved by more than `tol`, in the order the cell computes them.
    Empty when the sizes differ (then everything is new)."""
    if before.x.shape != after.x.shape or before.h.shape != after.h.shape:
        return ()
    old = {item.symbol: item.values for item in intermediates(before)}
    out = []
    for item in intermediates(after):
        prev = old.get(item.symbol, np.zeros_like(item.values))
        for k in np.flatnonzero(np.abs(item.values - prev) > tol):
            out.append(Change(item.symbol, int(k), float(prev[k]), float(item.values[k])))
    return tuple(out)
