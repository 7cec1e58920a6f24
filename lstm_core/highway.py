"""How far back a gradient reaches: ∂L/∂h(0) and ∂L/∂c(0) for a loss placed d steps later.

For every distance d = 1..T the loss looks at h(d) alone, L_d = ℓ(h(d)), and we want
∂L_d/∂h(0) and ∂L_d/∂c(0). Running backpropagation through time once per d would cost T
backward passes of up to T steps. Instead the Jacobian of the state is carried forward:

    s(t) = [h(t); c(t)]      J(t) = ∂s(t)/∂s(0) = A(t) J(t−1),   A(t) = ∂s(t)/∂s(t−1)
    ∂L_d/∂s(0) = J(d)ᵀ [∂L_d/∂h(d); 0]

Row r of A(t) is the backward pass of step t seeded with the unit vector e_r on h(t) (r < H) or
on c(t) (r ≥ H): the 2H seeds run as one batch through the core's `lstm_step_backward`. The basic
RNN is the same with s = h and `rnn_step_backward`.

J can grow past float64's range (large recurrent weights) or shrink below it, so it is kept as
scale · Ĵ with ‖Ĵ‖ = 1 and log₁₀(scale) summed step by step; the norms are reported as log₁₀.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backward import lstm_step_backward, rnn_step_backward
from .params import LSTMParams, as_array
from .sequence import RNNParams, unroll, unroll_rnn


@dataclass(frozen=True)
class GradientReach:
    """∂L_d/∂(initial state) for d = 1..T (row d−1), for the LSTM and the basic RNN."""

    lstm_dh0: np.ndarray  # ∂L_d/∂h(0), (T, H); may under- or overflow: use the log norms
    lstm_dc0: np.ndarray  # ∂L_d/∂c(0), (T, H)
    rnn_dh0: np.ndarray  # the basic RNN's ∂L_d/∂h(0), (T, H)
    lstm_dh0_log10: np.ndarray  # log₁₀ ‖∂L_d/∂h(0)‖, (T,); −inf when exactly 0
    lstm_dc0_log10: np.ndarray  # log₁₀ ‖∂L_d/∂c(0)‖, (T,)
    rnn_dh0_log10: np.ndarray  # log₁₀ ‖∂L_d/∂h(0)‖ of the RNN, (T,)
    forget_product: np.ndarray  # Π_{t ≤ d} f(t) per unit, (T, H): the cell path alone

    @property
    def T(self) -> int:
        return len(self.lstm_dh0)


def _loss_gradient(hs: np.ndarray, target, dh) -> np.ndarray:
    """∂L_d/∂h(d) for each d: the given dh, or h(d) − target for L = ½‖h(d) − target‖²."""
    if dh is not None:
        return np.broadcast_to(as_array("dh", dh, hs.shape[1:]), hs.shape)
    return hs - as_array("target", target, hs.shape[1:])


class _Carried:
    """J(t) = 10^log_scale · unit, renormalised after every step."""

    def __init__(self, n: int):
        self.unit, self.log_scale = np.eye(n), 0.0

    def step(self, A: np.ndarray) -> None:
        unit = A @ self.unit
        norm = float(np.max(np.abs(unit)))
        if norm > 0.0:
            self.unit, self.log_scale = unit / norm, self.log_scale + np.log10(norm)
        else:
            self.unit, self.log_scale = unit, -np.inf

    def pull_back(self, v: np.ndarray) -> tuple[np.ndarray, float]:
        """Jᵀ v as (Ĵᵀ v, log₁₀ of the scale): Jᵀ v = 10^scale · Ĵᵀ v."""
        return self.unit.T @ v, self.log_scale


def _scaled(pulled: list[tuple[np.ndarray, float]], cols: slice) -> tuple[np.ndarray, np.ndarray]:
    """Rows of Jᵀ v restricted to `cols`: the values (they may under- or overflow) and log₁₀ of
    each row's norm (exact: taken before the scale is applied)."""
    units = np.array([u[cols] for u, _ in pulled])
    logs = np.array([log for _, log in pulled])
    norms = np.linalg.norm(units, axis=1) if len(units) else np.zeros(0)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        values = units * (10.0 ** logs)[:, None]
        log_norms = np.where(norms > 0, logs + np.log10(norms), -np.inf)
    return np.nan_to_num(values, nan=0.0), log_norms


def gradient_reach(params: LSTMParams, xs, h0, c0, *, target=None, dh=None) -> GradientReach:
    """For a loss on h(d) at each distance d = 1..T: either L = ½‖h(d) − target‖² (target (H,))
    or ∂L/∂h(d) = dh (H,) given directly. xs (T, D). The basic RNN is the LSTM's candidate layer
    alone (RNNParams.from_lstm), on the same inputs from the same h(0)."""
    if (target is None) == (dh is None):
        raise ValueError("give exactly one of target and dh")
    H = params.H
    xs = np.asarray(xs, dtype=np.float64)
    h0, c0 = as_array("h0", h0, (H,)), as_array("c0", c0, (H,))
    seeds = np.eye(2 * H)  # row r seeds h(t) (r < H) or c(t) (r ≥ H)
    trace = unroll(params, np.repeat(xs[:, None, :], 2 * H, axis=1), np.tile(h0, (2 * H, 1)),
                   np.tile(c0, (2 * H, 1)))
    lstm_v = _loss_gradient(trace.over_time("h")[:, 0], target, dh)
    carried = _Carried(2 * H)
    lstm = []
    for step, v in zip(trace.steps, lstm_v):
        g = lstm_step_backward(params, step, seeds[:, :H], seeds[:, H:])
        carried.step(np.concatenate([g.dh_prev, g.dc_prev], axis=1))
        lstm.append(carried.pull_back(np.concatenate([v, np.zeros(H)])))

    rnn_params = RNNParams.from_lstm(params)
    rnn_trace = unroll_rnn(rnn_params, np.repeat(xs[:, None, :], H, axis=1), np.tile(h0, (H, 1)))
    rnn_v = _loss_gradient(rnn_trace.over_time("h")[:, 0], target, dh)
    carried = _Carried(H)
    rnn = []
    for step, v in zip(rnn_trace.steps, rnn_v):
        carried.step(rnn_step_backward(rnn_params, step, np.eye(H)).dh_prev)
        rnn.append(carried.pull_back(v))

    (dh0, dh0_log), (dc0, dc0_log) = (_scaled(lstm, slice(0, H)), _scaled(lstm, slice(H, None)))
    rnn_dh0, rnn_log = _scaled(rnn, slice(None))
    return GradientReach(lstm_dh0=dh0, lstm_dc0=dc0, rnn_dh0=rnn_dh0, lstm_dh0_log10=dh0_log,
                         lstm_dc0_log10=dc0_log, rnn_dh0_log10=rnn_log,
                         forget_product=np.cumprod(trace.over_time("f")[:, 0], axis=0))
