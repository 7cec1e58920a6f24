"""One LSTM time step (Equation 14-3), recording every intermediate a learner may ask about."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gates import GATES, GateSpec
from .params import LSTMParams, as_array, as_batch


@dataclass(frozen=True)
class GateStep:
    """One layer's computation: z = W_x^T x + W_h^T h + b + w_c ⊗ c + offset; a = act(z)."""

    spec: GateSpec
    Wx_x: np.ndarray  # W_x^T x(t), shape (H,)
    Wh_h: np.ndarray  # W_h^T h(t-1), shape (H,)
    b: np.ndarray  # bias, shape (H,)
    peephole: np.ndarray  # w_c ⊗ c (zeros when peepholes are off), shape (H,)
    offset: float  # TF1's forget_bias (forget gate only; 0 elsewhere)
    z: np.ndarray  # pre-activation, shape (H,)
    a: np.ndarray  # activation: sigmoid(z) for a gate, tanh(z) for the candidate


@dataclass(frozen=True)
class LSTMStep:
    """Every intermediate of one time step, named after Equation 14-3 and Figure 14-13, and the
    configuration that produced them (so no view has to guess it)."""

    x: np.ndarray  # x(t), (D,); with a batch every array gains a leading B: x (B, D), c (B, H)
    h_prev: np.ndarray  # h(t-1), (H,)
    c_prev: np.ndarray  # c(t-1), (H,)
    xh: np.ndarray  # the concatenation [h(t-1); x(t)], (H + D,)
    input: GateStep
    forget: GateStep
    candidate: GateStep
    output: GateStep
    f_c_prev: np.ndarray  # f(t) ⊗ c(t-1): what is kept of the long-term state
    i_g: np.ndarray  # i(t) ⊗ g(t): what is written into it
    c: np.ndarray  # c(t) = f ⊗ c(t-1) + i ⊗ g
    tanh_c: np.ndarray  # tanh(c(t))
    h: np.ndarray  # h(t) = y(t) = o ⊗ tanh(c(t))
    use_peepholes: bool  # the parameters' setting: peephole terms are in z (even if all zero)
    forget_bias: float  # TF1's offset added inside the forget sigmoid

    def gate(self, name: str) -> GateStep:
        return {"i": self.input, "f": self.forget, "g": self.candidate, "o": self.output}[name]

    @property
    def gates(self) -> tuple[GateStep, ...]:
        """In the canonical order, GATE_ORDER."""
        return self.input, self.forget, self.candidate, self.output

    def has_peephole(self, name: str) -> bool:
        """Whether gate `name` has a peephole term in this step (its weights may be zero)."""
        return self.use_peepholes and self.gate(name).spec.peephole_from is not None

    z_i = property(lambda s: s.input.z)
    z_f = property(lambda s: s.forget.z)
    z_g = property(lambda s: s.candidate.z)
    z_o = property(lambda s: s.output.z)
    i = property(lambda s: s.input.a)
    f = property(lambda s: s.forget.a)
    g = property(lambda s: s.candidate.a)
    o = property(lambda s: s.output.a)
    y = property(lambda s: s.h)


def gate_step(spec: GateSpec, params: LSTMParams, x, h_prev, c_peep) -> GateStep:
    gate = params.gate(spec.name)
    Wx_x = x @ gate.W_x  # = W_x^T x(t) for one step; row by row for a batch (B, D)
    Wh_h = h_prev @ gate.W_h
    use_peephole = params.use_peepholes and spec.peephole_from is not None
    peephole = gate.w_c * c_peep if use_peephole else np.zeros_like(Wx_x)
    offset = params.forget_bias if spec.name == "f" else 0.0
    z = Wx_x + Wh_h + gate.b + peephole + offset
    return GateStep(spec, Wx_x, Wh_h, gate.b, peephole, offset, z, spec.activation(z))


def lstm_step(params: LSTMParams, x, h_prev, c_prev) -> LSTMStep:
    """One step of the cell: x (D,), h_prev (H,), c_prev (H,); or a batch of B independent
    steps through the same code, x (B, D), h_prev (B, H), c_prev (B, H) (x sets the batch)."""
    x = as_batch("x", x, params.D)
    batch = x.shape[:-1]
    h_prev = as_array("h_prev", h_prev, (*batch, params.H))
    c_prev = as_array("c_prev", c_prev, (*batch, params.H))
    before, last = GATES[:-1], GATES[-1]  # i, f, g; then o, whose peephole reads the new c(t)
    i, f, g = (gate_step(spec, params, x, h_prev, c_prev) for spec in before)
    f_c_prev = f.a * c_prev
    i_g = i.a * g.a
    c = f_c_prev + i_g
    o = gate_step(last, params, x, h_prev, c)
    tanh_c = np.tanh(c)
    return LSTMStep(x, h_prev, c_prev, np.concatenate([h_prev, x], axis=-1), i, f, g, o,
                    f_c_prev, i_g, c, tanh_c, o.a * tanh_c, params.use_peepholes,
                    params.forget_bias)

