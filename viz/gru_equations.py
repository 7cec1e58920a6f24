"""The GRU's equations as LaTeX: typeset, and again with the current numbers substituted.

Pure string building: a `GRUStep` in, `EquationLine`s out (the LSTM's type, viz.equations).
"""

from __future__ import annotations

from lstm_core import GRUStep
from lstm_core.gru import GRUGateStep

from .equations import ACT, EquationLine, vec

X, H_PREV = r"\mathbf{x}_{(t)}", r"\mathbf{h}_{(t-1)}"


def _w(kind: str, n: str) -> str:
    return rf"\mathbf{{W}}_{{{kind}{n}}}^T"


def _b(kind: str, n: str) -> str:
    return rf"\mathbf{{b}}_{{{kind}{n}}}"


def layer_symbolic(layer: GRUGateStep, reset_after: bool) -> str:
    n, act = layer.spec.name, ACT[layer.spec.activation]
    x_side = rf"{_w('x', n)} {X} + {_b('x', n)}"
    if not layer.spec.reset:
        rec = rf"{_w('h', n)} {H_PREV} + {_b('h', n)}"
    elif reset_after:
        rec = rf"\mathbf{{r}}_{{(t)}} \otimes \left({_w('h', n)} {H_PREV} + {_b('h', n)}\right)"
    else:
        rec = rf"{_w('h', n)} \left(\mathbf{{r}}_{{(t)}} \otimes {H_PREV}\right) + {_b('h', n)}"
    return rf"\mathbf{{{n}}}_{{(t)}} = {act}\left({x_side} + {rec}\right)"


def layer_numeric(layer: GRUGateStep, reset_after: bool) -> str:
    """Three aligned rows: the terms with numbers, the pre-activation, the result."""
    n, act = layer.spec.name, ACT[layer.spec.activation]
    if not layer.spec.reset:
        rec = rf"{vec(layer.Wh_h)} + {vec(layer.b_h)}"
    elif reset_after:
        rec = rf"{vec(layer.rec)}"
    else:
        rec = rf"{vec(layer.Wh_h)} + {vec(layer.b_h)}"
    terms = rf"{vec(layer.Wx_x)} + {vec(layer.b_x)} + {rec}"
    return (rf"\begin{{aligned}}\mathbf{{{n}}}_{{(t)}} &= {act}\left({terms}\right)"
            rf" \\ &= {act}\left({vec(layer.pre)}\right) \\ &= {vec(layer.a, 4)}\end{{aligned}}")


def gru_equation_lines(step: GRUStep) -> tuple[EquationLine, ...]:
    """z, r, g, then h, symbolic and with numbers (the candidate in the step's placement);
    the reset line of the candidate is spelled out (r ⊗ h(t-1), or r ⊗ the product)."""
    ra = step.reset_after
    lines = [EquationLine(layer.spec.name, layer_symbolic(layer, ra), layer_numeric(layer, ra))
             for layer in step.gates]
    cand = step.candidate
    inner = (rf"\mathbf{{r}}_{{(t)}} \otimes \left({_w('h', 'g')} {H_PREV} + {_b('h', 'g')}"
             rf"\right) = {vec(step.r, 4)} \otimes {vec(cand.Wh_h_b, 4)} = {vec(cand.rec, 4)}"
             if ra else
             rf"\mathbf{{r}}_{{(t)}} \otimes {H_PREV} = {vec(step.r, 4)} \otimes "
             rf"{vec(step.h_prev, 4)} = {vec(cand.h_in, 4)}")
    lines.insert(2, EquationLine("reset", "", inner))
    lines.append(EquationLine(
        "h",
        r"\mathbf{y}_{(t)} = \mathbf{h}_{(t)} = \mathbf{z}_{(t)} \otimes \mathbf{h}_{(t-1)}"
        r" + (1 - \mathbf{z}_{(t)}) \otimes \mathbf{g}_{(t)}",
        rf"\begin{{aligned}}\mathbf{{h}}_{{(t)}} &= {vec(step.z, 4)} \otimes "
        rf"{vec(step.h_prev, 4)} + {vec(step.one_minus_z, 4)} \otimes {vec(step.g, 4)} \\ "
        rf"&= {vec(step.z_h_prev, 4)} + {vec(step.one_minus_z_g, 4)} \\ "
        rf"&= {vec(step.h, 4)}\end{{aligned}}"))
    return tuple(lines)


def gru_system(lines: tuple[EquationLine, ...]) -> str:
    """The symbolic lines as one aligned block."""
    rows = [line.symbolic.replace(" = ", " &= ", 1) for line in lines if line.symbolic]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"
