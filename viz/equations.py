"""Equation 14-3 as LaTeX: typeset, and again with the current numbers substituted.

Pure string building (no Streamlit, no Plotly): step record in, LaTeX strings out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core import GateStep, LSTMStep

ACT = {"sigmoid": r"\sigma", "tanh": r"\tanh"}
PEEP_SOURCE = {"c_prev": r"\mathbf{c}_{(t-1)}", "c": r"\mathbf{c}_{(t)}"}


@dataclass(frozen=True)
class EquationLine:
    name: str  # "f", "c", "h": which line of Equation 14-3
    symbolic: str  # the line as typeset in the book
    numeric: str  # the same line with the current numbers and its result


def vec(values: np.ndarray, decimals: int = 3) -> str:
    """A column vector (a transposed row when long, to keep lines short)."""
    cells = [f"{v:.{decimals}f}" for v in values]
    if len(cells) <= 4:
        return r"\begin{bmatrix}" + r"\\".join(cells) + r"\end{bmatrix}"
    return r"\begin{bmatrix}" + "&".join(cells) + r"\end{bmatrix}^{T}"


def mat(values: np.ndarray, decimals: int = 2) -> str:
    rows = [" & ".join(f"{v:.{decimals}f}" for v in row) for row in np.atleast_2d(values)]
    return r"\begin{bmatrix}" + r"\\".join(rows) + r"\end{bmatrix}"


def gate_symbolic(gate: GateStep, peepholes: bool, forget_offset: bool) -> str:
    n, act = gate.spec.name, ACT[gate.spec.activation]
    terms = [rf"\mathbf{{W}}_{{x{n}}}^T \mathbf{{x}}_{{(t)}}",
             rf"\mathbf{{W}}_{{h{n}}}^T \mathbf{{h}}_{{(t-1)}}", rf"\mathbf{{b}}_{n}"]
    if peepholes and gate.spec.peephole_from:
        terms.append(rf"\mathbf{{w}}_{{c{n}}} \otimes {PEEP_SOURCE[gate.spec.peephole_from]}")
    if forget_offset and n == "f":
        terms.append(r"b_{\text{forget}}")
    return rf"\mathbf{{{n}}}_{{(t)}} = {act}\left({' + '.join(terms)}\right)"


def gate_numeric(gate: GateStep, peepholes: bool, forget_offset: bool) -> str:
    """Three aligned rows: the terms with numbers, the pre-activation, the result."""
    n, act = gate.spec.name, ACT[gate.spec.activation]
    terms = [vec(gate.Wx_x), vec(gate.Wh_h), vec(gate.b)]
    if peepholes and gate.spec.peephole_from:
        terms.append(vec(gate.peephole))
    if forget_offset and n == "f":
        terms.append(f"{gate.offset:.1f}")
    tall = len(gate.z) <= 4  # column vectors: one row, \left( \right) can span them
    joiner = " + " if tall else r" \\ &\qquad + "
    lp, rp = (r"\left(", r"\right)") if tall else (r"\Big(", r"\Big)")
    return (rf"\begin{{aligned}}\mathbf{{{n}}}_{{(t)}} &= {act}{lp}{joiner.join(terms)}{rp}"
            rf" \\ &= {act}{lp}{vec(gate.z)}{rp} \\ &= {vec(gate.a, 4)}\end{{aligned}}")


def equation_lines(step: LSTMStep) -> tuple[EquationLine, ...]:
    """Equation 14-3 in the book's order (i, f, o, g, c, h), symbolic and with numbers; the
    peephole and forget-bias terms appear when the step had them."""
    peepholes, forget_offset = step.use_peepholes, step.forget_bias != 0.0
    lines = [EquationLine(n, gate_symbolic(step.gate(n), peepholes, forget_offset),
                          gate_numeric(step.gate(n), peepholes, forget_offset))
             for n in ("i", "f", "o", "g")]
    lines.append(EquationLine(
        "c",
        r"\mathbf{c}_{(t)} = \mathbf{f}_{(t)} \otimes \mathbf{c}_{(t-1)}"
        r" + \mathbf{i}_{(t)} \otimes \mathbf{g}_{(t)}",
        rf"\begin{{aligned}}\mathbf{{c}}_{{(t)}} &= {vec(step.f, 4)} \otimes {vec(step.c_prev)}"
        rf" + {vec(step.i, 4)} \otimes {vec(step.g, 4)} \\ &= {vec(step.f_c_prev, 4)}"
        rf" + {vec(step.i_g, 4)} \\ &= {vec(step.c, 4)}\end{{aligned}}"))
    lines.append(EquationLine(
        "h",
        r"\mathbf{y}_{(t)} = \mathbf{h}_{(t)} = \mathbf{o}_{(t)} \otimes \tanh(\mathbf{c}_{(t)})",
        rf"\begin{{aligned}}\mathbf{{h}}_{{(t)}} &= {vec(step.o, 4)} \otimes"
        rf" \tanh\left({vec(step.c, 4)}\right) \\ &= {vec(step.o, 4)} \otimes"
        rf" {vec(step.tanh_c, 4)} \\ &= {vec(step.h, 4)}\end{{aligned}}"))
    return tuple(lines)


def system(lines: tuple[EquationLine, ...]) -> str:
    """The symbolic lines as one aligned block, like the book's Equation 14-3."""
    rows = [line.symbolic.replace(" = ", " &= ", 1) for line in lines]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def product_in_full(W: np.ndarray, v: np.ndarray, W_name: str, v_name: str) -> str:
    """W^T v written out: the transposed matrix times the vector, equals the result."""
    return (rf"\mathbf{{W}}_{{{W_name}}}^T \mathbf{{{v_name}}} = {mat(W.T)} {vec(v)}"
            rf" = {vec(W.T @ v)}")
