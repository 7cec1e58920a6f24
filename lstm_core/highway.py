"""How far back a gradient reaches: ∂L/∂h(0) and ∂L/∂c(0) for a loss placed d steps later.

For every distance d = 1..T the loss looks at h(d) alone, L_d = ℓ(h(d)), and we want
∂L_d/∂h(0) and ∂L_d/∂c(0). Running backpropagation through time once per d would cost T
backward passes of up to T steps. Instead the Jacobian of the state is carried forward:

    s(t) = [h(t); c(t)]      J(t) = ∂s(t)/∂s(0) = A(t) J(t−1),   A(t) = ∂s(t)/∂s(t−1)
    ∂L_d/∂s(0) = J(d)ᵀ [∂L_d/∂h(d); 0]

Row r of A(t) is the backward pass of step t seeded with the unit vector e_r on h(t) (r < H) or
on c(t) (r ≥ H): the 2H seeds of every step run as batches through the core's
`lstm_step_backward`. The basic RNN is the same with s = h and `rnn_step_backward`.

J can grow past float64's range (large recurrent weights) or shrink below it, so it is kept as
scale · Ĵ with ‖Ĵ‖ = 1 and log₁₀(scale) summed step by step; the norms are reported as log₁₀.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backward import lstm_step_backward, rnn_step_backward
from .bounds import MAX_BATCH
from .cell import lstm_step
from .memory import lstm_batch
from .params import LSTMParams, as_array
from .sequence import RNNParams, rnn_step, unroll_rnn


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


def _jacobians(T: int, n: int, rows_of) -> np.ndarray:
    """A(t) for t = 1..T, (T, n, n): rows_of(ts) gives the rows of A(t) for the steps in the
    slice ts, (len · n, n); at most MAX_BATCH rows go through the core at once."""
    per_call = max(1, MAX_BATCH // n)
    parts = [rows_of(slice(t, min(t + per_call, T))) for t in range(0, T, per_call)]
    return np.concatenate(parts).reshape(T, n, n)


def _pulled_back(A: np.ndarray, v: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """J(d)ᵀ v(d) for every d, with J(d) = A(d) ⋯ A(1) carried forward."""
    carried, out = _Carried(A.shape[1]), []
    for A_t, v_t in zip(A, v):
        carried.step(A_t)
        out.append(carried.pull_back(v_t))
    return out


def gradient_reach(params: LSTMParams, xs, h0, c0, *, target=None, dh=None) -> GradientReach:
    """For a loss on h(d) at each distance d = 1..T: either L = ½‖h(d) − target‖² (target (H,))
    or ∂L/∂h(d) = dh (H,) given directly. xs (T, D). The basic RNN is the LSTM's candidate layer
    alone (RNNParams.from_lstm), on the same inputs from the same h(0).

    Every step's A(t) is independent of the others once the forward states are known, so the
    backward passes of all steps (2H seeds each) run as a few large batches."""
    if (target is None) == (dh is None):
        raise ValueError("give exactly one of target and dh")
    H = params.H
    xs = np.asarray(xs, dtype=np.float64)
    T = len(xs)
    h0, c0 = as_array("h0", h0, (H,)), as_array("c0", c0, (H,))
    run = lstm_batch(params, xs[None], h0, c0)[0]  # the states, to rounding as in `unroll`
    h_prev, c_prev = np.vstack([h0, run.h[:-1]]), np.vstack([c0, run.c[:-1]])
    seeds = np.eye(2 * H)  # row r seeds h(t) (r < H) or c(t) (r ≥ H)

    def lstm_rows(ts: slice) -> np.ndarray:
        k = ts.stop - ts.start
        step = lstm_step(params, *(np.repeat(a[ts], 2 * H, axis=0) for a in (xs, h_prev, c_prev)))
        g = lstm_step_backward(params, step, np.tile(seeds[:, :H], (k, 1)),
                               np.tile(seeds[:, H:], (k, 1)))
        return np.concatenate([g.dh_prev, g.dc_prev], axis=1)

    lstm_v = np.concatenate([_loss_gradient(run.h, target, dh), np.zeros((T, H))], axis=1)
    lstm = _pulled_back(_jacobians(T, 2 * H, lstm_rows), lstm_v)

    rnn_params = RNNParams.from_lstm(params)
    rnn_h = unroll_rnn(rnn_params, xs, h0).over_time("h")
    rnn_h_prev = np.vstack([h0, rnn_h[:-1]])

    def rnn_rows(ts: slice) -> np.ndarray:
        k = ts.stop - ts.start
        step = rnn_step(rnn_params, *(np.repeat(a[ts], H, axis=0) for a in (xs, rnn_h_prev)))
        return rnn_step_backward(rnn_params, step, np.tile(np.eye(H), (k, 1))).dh_prev

    rnn = _pulled_back(_jacobians(T, H, rnn_rows), _loss_gradient(rnn_h, target, dh))
    (dh0, dh0_log), (dc0, dc0_log) = (_scaled(lstm, slice(0, H)), _scaled(lstm, slice(H, None)))
    rnn_dh0, rnn_log = _scaled(rnn, slice(None))
    return GradientReach(lstm_dh0=dh0, lstm_dc0=dc0, rnn_dh0=rnn_dh0, lstm_dh0_log10=dh0_log,
                         lstm_dc0_log10=dc0_log, rnn_dh0_log10=rnn_log,
                         forget_product=np.cumprod(run.f, axis=0))
