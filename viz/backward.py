"""The backward pass of one step as LaTeX: each equation typeset, and again with the numbers.

Pure strings: the forward step and lstm_core's gradient record in, LaTeX out. `dX` stands for
∂L/∂X. Lines are grouped by the backward walkthrough step that shows them
(`explainer.walkthrough.BACKWARD_STEPS` ids), in the order the gradient flows: right to left.
"""

from __future__ import annotations

import numpy as np

from explainer.walkthrough import BACKWARD_STEPS
from lstm_core import GATE_ORDER, LSTMStep, LSTMStepGradient

from .equations import EquationLine

H_T, C_T, C_PREV = r"\mathbf{h}_{(t)}", r"\mathbf{c}_{(t)}", r"\mathbf{c}_{(t-1)}"
X_T, H_PREV = r"\mathbf{x}_{(t)}", r"\mathbf{h}_{(t-1)}"
DC_TOTAL = r"d\mathbf{c}_{\text{total}}"
WRITE_PARTNER = {"f": C_PREV, "i": r"\mathbf{g}_{(t)}", "g": r"\mathbf{i}_{(t)}"}
SLOPE = {"sigmoid": lambda n: rf"\mathbf{{{n}}} \otimes (1 - \mathbf{{{n}}})",
         "tanh": lambda n: rf"(1 - \mathbf{{{n}}}^2)"}


def number(v: float) -> str:
    """4 decimals, or 3 significant digits as a power of ten when smaller than 0.001."""
    if v == 0 or abs(v) >= 1e-3:
        text = f"{v:.4f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text
    mantissa, exponent = f"{v:.2e}".split("e")
    return rf"{mantissa}{{\times}}10^{{{int(exponent)}}}"


def gvec(values) -> str:
    """A column vector of gradients (a transposed row when long)."""
    cells = [number(float(v)) for v in np.asarray(values).reshape(-1)]
    if len(cells) <= 4:
        return r"\begin{bmatrix}" + r"\\".join(cells) + r"\end{bmatrix}"
    return r"\begin{bmatrix}" + "&".join(cells) + r"\end{bmatrix}^{T}"


def _d(name: str) -> str:
    return rf"d\mathbf{{{name}}}"


def _numeric(lhs: str, *rows: str) -> str:
    """lhs = rows[0] = rows[1] ..., aligned one row per line."""
    return (rf"\begin{{aligned}}{lhs} &= " + r" \\ &= ".join(rows) + r"\end{aligned}")


def _loss_lines(step: LSTMStep, grad: LSTMStepGradient, target, loss) -> list[EquationLine]:
    if target is None:
        return [EquationLine("dh", rf"{_d('h')} = \partial L / \partial {H_T} \ \text{{(given)}}",
                             _numeric(_d("h"), gvec(grad.dh)))]
    return [EquationLine(
        "dh", rf"L = \tfrac{{1}}{{2}}\lVert {H_T} - \mathbf{{target}} \rVert^2, \quad "
              rf"{_d('h')} = {H_T} - \mathbf{{target}}",
        _numeric(_d("h"), rf"{gvec(step.h)} - {gvec(target)}", gvec(grad.dh))
        + rf" \qquad L = {number(loss)}")]


def _output_lines(step: LSTMStep, grad: LSTMStepGradient) -> list[EquationLine]:
    o = grad.output
    return [
        EquationLine("do", rf"{_d('o')} = {_d('h')} \otimes \tanh({C_T})",
                     _numeric(_d("o"), rf"{gvec(grad.dh)} \otimes {gvec(step.tanh_c)}",
                              gvec(o.da))),
        EquationLine("dz_o", rf"{_d('z')}_o = {_d('o')} \otimes {SLOPE['sigmoid']('o')}",
                     _numeric(rf"{_d('z')}_o", rf"{gvec(o.da)} \otimes {gvec(step.o)} \otimes "
                              rf"{gvec(1 - step.o)}", gvec(o.dz))),
    ]


def _cell_lines(step: LSTMStep, grad: LSTMStepGradient) -> list[EquationLine]:
    peep = grad.use_peepholes
    extra = rf" + \mathbf{{w}}_{{co}} \otimes {_d('z')}_o" if peep else ""
    numbers = (rf"{gvec(grad.dc)} + {gvec(grad.dh)} \otimes {gvec(step.o)} \otimes "
               rf"{gvec(1 - step.tanh_c**2)}"
               + (rf" + {gvec(grad.output.dpeephole)}" if peep else ""))
    return [EquationLine(
        "dc_total", rf"{DC_TOTAL} = d\mathbf{{c}} + {_d('h')} \otimes \mathbf{{o}}_{{(t)}}"
                    rf" \otimes (1 - \tanh^2 {C_T}){extra}",
        _numeric(DC_TOTAL, numbers, gvec(grad.dc_total)))]


def _write_lines(step: LSTMStep, grad: LSTMStepGradient) -> list[EquationLine]:
    return [EquationLine(
        f"d{n}", rf"{_d(n)} = {DC_TOTAL} \otimes {WRITE_PARTNER[n]}",
        _numeric(_d(n), rf"{gvec(grad.dc_total)} \otimes {gvec(_partner(step, n))}",
                 gvec(grad.gate(n).da)))
        for n in ("f", "i", "g")]


def _partner(step: LSTMStep, n: str) -> np.ndarray:
    return {"f": step.c_prev, "i": step.g, "g": step.i}[n]


def _dz_lines(step: LSTMStep, grad: LSTMStepGradient) -> list[EquationLine]:
    lines = []
    for n in ("f", "i", "g"):
        g, a = grad.gate(n), step.gate(n).a
        act = g.spec.activation
        slope = a * (1 - a) if act == "sigmoid" else 1 - a**2
        lines.append(EquationLine(
            f"dz_{n}", rf"{_d('z')}_{n} = {DC_TOTAL} \otimes {WRITE_PARTNER[n]} \otimes "
                       rf"{SLOPE[act](n)}",
            _numeric(rf"{_d('z')}_{n}", rf"{gvec(g.da)} \otimes {gvec(slope)}", gvec(g.dz))))
    return lines


def _input_lines(step: LSTMStep, grad: LSTMStepGradient) -> list[EquationLine]:
    lines = []
    for name, target, attr in (("x", X_T, "dx"), ("h", H_PREV, "dh_prev")):
        w = "x" if name == "x" else "h"
        terms = " + ".join(rf"\mathbf{{W}}_{{{w}{n}}} {_d('z')}_{n}" for n in GATE_ORDER)
        shares = " + ".join(gvec(getattr(grad.gate(n), attr)) for n in GATE_ORDER)
        lines.append(EquationLine(
            attr, rf"d{target} = {terms}",
            _numeric(rf"d{target}", shares, gvec(getattr(grad, attr)))))
    peep = grad.use_peepholes
    extra = (rf" + \mathbf{{w}}_{{ci}} \otimes {_d('z')}_i + \mathbf{{w}}_{{cf}} \otimes "
             rf"{_d('z')}_f") if peep else ""
    numbers = rf"{gvec(grad.dc_total)} \otimes {gvec(step.f)}" + (
        rf" + {gvec(grad.input.dpeephole)} + {gvec(grad.forget.dpeephole)}" if peep else "")
    lines.append(EquationLine(
        "dc_prev", rf"d{C_PREV} = {DC_TOTAL} \otimes \mathbf{{f}}_{{(t)}}{extra}",
        _numeric(rf"d{C_PREV}", numbers, gvec(grad.dc_prev))))
    return lines


def backward_lines(step: LSTMStep, grad: LSTMStepGradient, target=None,
                   loss: float | None = None) -> dict[str, tuple[EquationLine, ...]]:
    """The backward equations of one step grouped by backward walkthrough step id, in order.
    target: the loss target (H,), or None when ∂L/∂h(t) was given directly."""
    output = _output_lines(step, grad)
    groups = {
        "dh": _loss_lines(step, grad, target, loss),
        "do": output,
        "dc_total": _cell_lines(step, grad),
        "gates": _write_lines(step, grad),
        "dz": [*_dz_lines(step, grad), output[1]],  # dz_o was found at the output gate
        "inputs": _input_lines(step, grad),
    }
    return {w.id: tuple(groups[w.id]) for w in BACKWARD_STEPS}


def parameter_lines(step: LSTMStep, grad: LSTMStepGradient) -> tuple[str, ...]:
    """∂L/∂b = dz per gate, with the weight gradients' shapes (outer products)."""
    D, H = len(step.x), len(step.h)
    out = [rf"d\mathbf{{W}}_{{x\,\cdot}} = {X_T}\, d\mathbf{{z}}^T \ ({D}\times{H}), \quad "
           rf"d\mathbf{{W}}_{{h\,\cdot}} = {H_PREV}\, d\mathbf{{z}}^T \ ({H}\times{H}), \quad "
           rf"d\mathbf{{b}} = d\mathbf{{z}}"]
    out += [rf"d\mathbf{{b}}_{n} = {gvec(grad.gate(n).db)}" for n in GATE_ORDER]
    return tuple(out)
