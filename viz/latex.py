"""LaTeX for the walkthrough and the lesson pages (pure strings; builds on viz.equations)."""

from __future__ import annotations

import numpy as np

from explainer.walkthrough import WalkStep
from lstm_core import LSTMStep

from .equations import gate_numeric, gate_symbolic, vec

C_PREV, C_NEW = r"\mathbf{c}_{(t-1)}", r"\mathbf{c}_{(t)}"
H_PREV, H_NEW, X = r"\mathbf{h}_{(t-1)}", r"\mathbf{h}_{(t)}", r"\mathbf{x}_{(t)}"


def shaped(symbol: str, values: np.ndarray, decimals: int = 4) -> str:
    """`symbol = [...]` with its shape, e.g. x_(t) = [..]  (5,)."""
    return rf"{symbol} = {vec(values, decimals)} \quad ({len(values)},)"


def walkthrough_latex(step: LSTMStep, walk: WalkStep) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lines that set the scene, lines that give this step's result) for one walkthrough step.
    Predict-then-reveal shows the first group before the guess and the second after."""
    if walk.id == "inputs":
        return (shaped(X, step.x), shaped(H_PREV, step.h_prev), shaped(C_PREV, step.c_prev)), ()
    if walk.id == "concat":
        return ((rf"[{H_PREV};\ {X}]"
                 rf" \quad ({len(step.h_prev)},) \text{{ on top of }} ({len(step.x)},)",),
                (shaped(rf"[{H_PREV};\ {X}]", step.xh),))
    if walk.gate:
        gate, peepholes, offset = step.gate(walk.gate), step.use_peepholes, step.forget_bias != 0
        return ((gate_symbolic(gate, peepholes, offset),),
                (gate_numeric(gate, peepholes, offset),))
    if walk.id == "cell_update":
        return ((rf"{C_NEW} = \mathbf{{f}}_{{(t)}} \otimes {C_PREV}"
                 rf" + \mathbf{{i}}_{{(t)}} \otimes \mathbf{{g}}_{{(t)}}",),
                (rf"{C_NEW} = {vec(step.f, 4)} \otimes {vec(step.c_prev, 4)}"
                 rf" + {vec(step.i, 4)} \otimes {vec(step.g, 4)}",
                 rf"= {vec(step.f_c_prev, 4)} + {vec(step.i_g, 4)} = {vec(step.c, 4)}"))
    return ((rf"\mathbf{{y}}_{{(t)}} = {H_NEW} = \mathbf{{o}}_{{(t)}} \otimes \tanh({C_NEW})",),
            (rf"{H_NEW} = {vec(step.o, 4)} \otimes \tanh\left({vec(step.c, 4)}\right)",
             rf"= {vec(step.o, 4)} \otimes {vec(step.tanh_c, 4)} = {vec(step.h, 4)}"))


def numbers(values: np.ndarray, decimals: int = 4) -> str:
    """Plain text: `[0.4750, 0.6900]`."""
    return "[" + ", ".join(f"{v:.{decimals}f}" for v in values) + "]"


def vector_row(name: str, values: np.ndarray, decimals: int = 8) -> str:
    """A plain-text row of numbers for st.code / captions: `f = [0.47502081, ...]`."""
    return f"{name} = {numbers(values, decimals)}"
