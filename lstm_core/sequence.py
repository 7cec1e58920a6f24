"""The basic RNN cell for comparison, and both cells unrolled over a sequence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cell import LSTMStep, lstm_step
from .params import LSTMParams, as_array, as_batch, as_vector


@dataclass(frozen=True)
class RNNParams:
    """Basic cell: h(t) = tanh(W_x^T x(t) + W_h^T h(t-1) + b)."""

    W_x: np.ndarray  # (D, H)
    W_h: np.ndarray  # (H, H)
    b: np.ndarray  # (H,)

    def __post_init__(self):
        shape = np.shape(self.W_x)
        if len(shape) != 2:
            raise ValueError(f"W_x must have shape (D, H), got {shape}")
        D, H = shape
        object.__setattr__(self, "W_x", as_array("W_x", self.W_x, (D, H)))
        object.__setattr__(self, "W_h", as_array("W_h", self.W_h, (H, H)))
        object.__setattr__(self, "b", as_vector("b", self.b, H))

    @property
    def D(self) -> int:
        return self.W_x.shape[0]

    @property
    def H(self) -> int:
        return self.W_x.shape[1]

    @classmethod
    def from_lstm(cls, params: LSTMParams) -> RNNParams:
        """The LSTM's main layer g alone: what the cell is without its gates and long-term state."""
        return cls(params.g.W_x, params.g.W_h, params.g.b)


@dataclass(frozen=True)
class RNNStep:
    x: np.ndarray  # x(t), (D,); with a batch every array gains a leading B: x (B, D), h (B, H)
    h_prev: np.ndarray  # h(t-1), (H,)
    Wx_x: np.ndarray  # W_x^T x(t)
    Wh_h: np.ndarray  # W_h^T h(t-1)
    z: np.ndarray  # pre-activation
    h: np.ndarray  # h(t) = y(t) = tanh(z)


def rnn_step(params: RNNParams, x, h_prev) -> RNNStep:
    """One step: x (D,), h_prev (H,); or a batch through the same code, x (B, D), h_prev (B, H)."""
    x = as_batch("x", x, params.D)
    h_prev = as_array("h_prev", h_prev, (*x.shape[:-1], params.H))
    Wx_x, Wh_h = x @ params.W_x, h_prev @ params.W_h
    z = Wx_x + Wh_h + params.b
    return RNNStep(x, h_prev, Wx_x, Wh_h, z, np.tanh(z))


@dataclass(frozen=True)
class LSTMTrace:
    """An LSTM unrolled over T steps; arrays over time are (T, H) with row t = step t+1
    ((T, B, H) for a batch of sequences)."""

    steps: tuple[LSTMStep, ...]
    params: LSTMParams | None = None  # the parameters that made it (None: built by hand)

    def over_time(self, name: str) -> np.ndarray:
        """Stack one attribute of every step, e.g. over_time("c") -> (T, H)."""
        return np.array([getattr(s, name) for s in self.steps])

    @property
    def cell_path_gradient(self) -> np.ndarray:
        """∂c(t)/∂c(0) along the cell-state path only: the running product of f, (T, H)."""
        return np.cumprod(self.over_time("f"), axis=0)


@dataclass(frozen=True)
class RNNTrace:
    params: RNNParams
    steps: tuple[RNNStep, ...]

    def over_time(self, name: str) -> np.ndarray:
        return np.array([getattr(s, name) for s in self.steps])

    @property
    def jacobian_norms(self) -> np.ndarray:
        """Spectral norm of ∂h(t)/∂h(0) = Π diag(1 - h(t)²) W_h^T, for t = 1..T, shape (T,).
        For one sequence (not a batch)."""
        J = np.eye(self.params.H)
        norms = []
        for s in self.steps:
            J = (1.0 - s.h**2)[:, None] * self.params.W_h.T @ J
            norms.append(np.linalg.norm(J, 2))
        return np.array(norms)


def _sequence(xs, D: int) -> np.ndarray:
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim not in (2, 3) or xs.shape[-1] != D or xs.shape[0] < 1:
        raise ValueError(f"xs must have shape (T, {D}) with T >= 1, got {xs.shape}")
    return as_array("xs", xs, xs.shape)


def unroll(params: LSTMParams, xs, h0, c0) -> LSTMTrace:
    """Apply the same cell to x(1..T), feeding each step's h and c into the next. xs (T, D) with
    h0, c0 (H,); or a batch of sequences, time first: xs (T, B, D) with h0, c0 (B, H)."""
    h, c = h0, c0
    steps = []
    for x in _sequence(xs, params.D):
        step = lstm_step(params, x, h, c)
        steps.append(step)
        h, c = step.h, step.c
    return LSTMTrace(tuple(steps), params)


def unroll_rnn(params: RNNParams, xs, h0) -> RNNTrace:
    """The basic RNN over xs (T, D) from h0 (H,), or over a batch: xs (T, B, D), h0 (B, H)."""
    h = h0
    steps = []
    for x in _sequence(xs, params.D):
        step = rnn_step(params, x, h)
        steps.append(step)
        h = step.h
    return RNNTrace(params, tuple(steps))
