"""One LSTM time step (Equation 14-3), recording every intermediate a learner may ask about."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import LSTMParams, as_vector


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, stable for any finite z (no overflow warning for |z| = 1000)."""
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(under="ignore"):  # exp(-1000) rounds to 0: the correct float64 answer
        e = np.exp(-np.abs(z))  # in [0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@dataclass(frozen=True)
class GateSpec:
    """What a picture or a sentence needs to know about one layer of the cell."""

    name: str  # "f": the letter of Equation 14-3
    title: str  # "forget gate"
    activation: str  # "sigmoid" or "tanh"
    peephole_from: str | None  # "c_prev", "c" (the new state) or None


GATES = (  # in the order the cell computes them (o last: its peephole reads the new c)
    GateSpec("f", "forget gate", "sigmoid", "c_prev"),
    GateSpec("i", "input gate", "sigmoid", "c_prev"),
    GateSpec("g", "candidate", "tanh", None),
    GateSpec("o", "output gate", "sigmoid", "c"),
)
ACTIVATIONS = {"sigmoid": sigmoid, "tanh": np.tanh}


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
    """Every intermediate of one time step, named after Equation 14-3 and Figure 14-13."""

    x: np.ndarray  # x(t), (D,)
    h_prev: np.ndarray  # h(t-1), (H,)
    c_prev: np.ndarray  # c(t-1), (H,)
    xh: np.ndarray  # the concatenation [h(t-1); x(t)], (H + D,)
    forget: GateStep
    input: GateStep
    candidate: GateStep
    output: GateStep
    f_c_prev: np.ndarray  # f(t) ⊗ c(t-1): what is kept of the long-term state
    i_g: np.ndarray  # i(t) ⊗ g(t): what is written into it
    c: np.ndarray  # c(t) = f ⊗ c(t-1) + i ⊗ g
    tanh_c: np.ndarray  # tanh(c(t))
    h: np.ndarray  # h(t) = y(t) = o ⊗ tanh(c(t))

    def gate(self, name: str) -> GateStep:
        return {"f": self.forget, "i": self.input, "g": self.candidate, "o": self.output}[name]

    @property
    def gates(self) -> tuple[GateStep, ...]:
        return self.forget, self.input, self.candidate, self.output

    z_f = property(lambda s: s.forget.z)
    z_i = property(lambda s: s.input.z)
    z_g = property(lambda s: s.candidate.z)
    z_o = property(lambda s: s.output.z)
    f = property(lambda s: s.forget.a)
    i = property(lambda s: s.input.a)
    g = property(lambda s: s.candidate.a)
    o = property(lambda s: s.output.a)
    y = property(lambda s: s.h)


def gate_step(spec: GateSpec, params: LSTMParams, x, h_prev, c_peep) -> GateStep:
    gate = params.gate(spec.name)
    Wx_x = gate.W_x.T @ x
    Wh_h = gate.W_h.T @ h_prev
    use_peephole = params.use_peepholes and spec.peephole_from is not None
    peephole = gate.w_c * c_peep if use_peephole else np.zeros_like(gate.b)
    offset = params.forget_bias if spec.name == "f" else 0.0
    z = Wx_x + Wh_h + gate.b + peephole + offset
    return GateStep(spec, Wx_x, Wh_h, gate.b, peephole, offset, z, ACTIVATIONS[spec.activation](z))


def lstm_step(params: LSTMParams, x, h_prev, c_prev) -> LSTMStep:
    """One step of the cell. Inputs are 1-D: x (D,), h_prev (H,), c_prev (H,)."""
    x = as_vector("x", x, params.D)
    h_prev = as_vector("h_prev", h_prev, params.H)
    c_prev = as_vector("c_prev", c_prev, params.H)
    f, i, g = (gate_step(spec, params, x, h_prev, c_prev) for spec in GATES[:3])
    f_c_prev = f.a * c_prev
    i_g = i.a * g.a
    c = f_c_prev + i_g
    o = gate_step(GATES[3], params, x, h_prev, c)
    tanh_c = np.tanh(c)
    return LSTMStep(x, h_prev, c_prev, np.concatenate([h_prev, x]), f, i, g, o,
                    f_c_prev, i_g, c, tanh_c, o.a * tanh_c)
