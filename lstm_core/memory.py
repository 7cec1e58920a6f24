"""How long a cell remembers: fast unrolls, a memory length, a forget-bias sweep (NumPy only).

`lstm_core.sequence.unroll` keeps a full `LSTMStep` record per step (every intermediate,
validated): ≈ 20 ms at T = 200, too slow to redo for a page that unrolls the cell a dozen times
per rerun. The functions here compute only what a plot over time needs, for a whole batch of
sequences and forget biases in one loop over t, with the same arithmetic as `lstm_step`
(values agree with `unroll` to rounding, ≈ 1e-15).

Memory length (`memory_length`). The effect of an input on a state s(t) is measured against a
baseline, the same cell run on silence (x = 0) from the same h(0), c(0):

    d(t)   = max over units k of |s_k(t) − baseline_k(t)|       t = 1..T
    peak   = max_t d(t)
    memory = the last step t with d(t) ≥ peak / 2    (0 when peak = 0)

With the input at step 1 (a pulse), `memory` is the number of steps during which the pulse is
still visible at half its largest size or more: after step `memory` it has faded below half for
good. A difference that never shrinks has memory T (the whole sequence: `lasting`); an input
that changes nothing has memory 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gates import GATE_ORDER
from .params import LSTMParams
from .sequence import RNNParams

FORGET_BIAS_OFFSETS = (-2.0, 0.0, 1.0, 2.0, 4.0)  # added to b_f in the sweep


@dataclass(frozen=True)
class LSTMOverTime:
    """One LSTM run: inputs x (T, D), and per step c, h, and the gates f, i, g, o, each (T, H);
    row t is step t + 1."""

    x: np.ndarray
    c: np.ndarray
    h: np.ndarray
    f: np.ndarray
    i: np.ndarray
    g: np.ndarray
    o: np.ndarray

    @property
    def T(self) -> int:
        return self.x.shape[0]

    @property
    def cell_path_gradient(self) -> np.ndarray:
        """∂c(t)/∂c(0) along the cell-state path only: the running product of f, (T, H)."""
        return np.cumprod(self.f, axis=0)


@dataclass(frozen=True)
class RNNOverTime:
    """One basic-RNN run: inputs x (T, D), h (T, H), and the spectral norm of ∂h(t)/∂h(0) (T,)."""

    x: np.ndarray
    h: np.ndarray
    jacobian_norms: np.ndarray


@dataclass(frozen=True)
class Memory:
    """How long an effect stays at least half its peak (see the module docstring)."""

    steps: int  # the last step t with d(t) ≥ peak / 2; a lower bound when `lasting`
    peak: float  # largest |s(t) − baseline(t)| over units and time
    peak_step: int  # where that peak is reached first (1-based); 0 when nothing changed
    lasting: bool  # still at least half the peak at the last step: the sequence ended first


@dataclass(frozen=True)
class ForgetBiasPoint:
    """The pulse memory of the cell with `offset` added to every element of b_f."""

    offset: float
    mean_f: float  # mean forget gate over units and steps, during the pulse run
    memory: Memory
    effect: np.ndarray  # d(t) = max_k |c_k(t) − baseline_k(t)|, (T,)


@dataclass(frozen=True)
class ThroughTime:
    """Everything the "through time" page shows, from one batched unroll."""

    lstm: LSTMOverTime  # the LSTM on the chosen sequence
    rnn: RNNOverTime  # the basic RNN with the LSTM's candidate layer, on the same sequence
    lstm_memory: Memory  # of a pulse, in c(t)
    rnn_memory: Memory  # of the same pulse, in the RNN's h(t)
    rnn_effect: np.ndarray  # d(t) of that pulse in the RNN's h(t), (T,)
    sweep: tuple[ForgetBiasPoint, ...]  # pulse memory in c(t) per forget-bias offset


def pulse(T: int, D: int, amplitude: float) -> np.ndarray:
    """x(1) = amplitude on every input, then silence: shape (T, D)."""
    xs = np.zeros((T, D))
    xs[0] = amplitude
    return xs


def effect(states: np.ndarray, baseline) -> np.ndarray:
    """d(t) = max over units of |states(t) − baseline(t)|; states (T, H), baseline broadcasts."""
    return np.max(np.abs(np.asarray(states) - np.asarray(baseline)), axis=1)


def memory_length(states, baseline) -> Memory:
    """The last step at which an effect is still at least half its peak (module docstring).

    states: (T, H) values over time; baseline: (T, H), (H,) or a scalar to compare against."""
    d = effect(np.atleast_2d(np.asarray(states, dtype=np.float64).T).T, baseline)
    peak = float(np.max(d))
    if not peak > 0.0:
        return Memory(steps=0, peak=0.0, peak_step=0, lasting=False)
    last = int(np.flatnonzero(d >= peak / 2)[-1]) + 1
    return Memory(steps=last, peak=peak, peak_step=int(np.argmax(d)) + 1, lasting=last == len(d))


def lstm_batch(params: LSTMParams, xs, h0, c0, b_f_offsets=None) -> tuple[LSTMOverTime, ...]:
    """Unroll the cell over B sequences xs (B, T, D) at once, from the same h(0), c(0); run b
    has b_f_offsets[b] added to the forget bias b_f (default: none). Same maths as `unroll`."""
    xs = np.asarray(xs, dtype=np.float64)
    B, T, _ = xs.shape
    H = params.H
    rows = {name: slice(k * H, (k + 1) * H) for k, name in enumerate(GATE_ORDER)}
    W_x = np.concatenate([params.W_x(n) for n in GATE_ORDER], axis=1)  # (D, 4H)
    W_h = np.concatenate([params.W_h(n) for n in GATE_ORDER], axis=1)  # (H, 4H)
    b = np.tile(np.concatenate([params.b(n) for n in GATE_ORDER]), (B, 1))  # (B, 4H)
    if b_f_offsets is not None:
        b[:, rows["f"]] += np.asarray(b_f_offsets, dtype=np.float64)[:, None]
    Wx_x = xs @ W_x  # (B, T, 4H): every step's input term at once
    h = np.tile(np.asarray(h0, dtype=np.float64), (B, 1))
    c = np.tile(np.asarray(c0, dtype=np.float64), (B, 1))
    acts = np.empty((B, T, 4 * H))  # i, f, g, o side by side, like z
    cs, hs = np.empty((B, T, H)), np.empty((B, T, H))
    i, f, g, o = (rows[n] for n in GATE_ORDER)
    peep = params.use_peepholes
    with np.errstate(over="ignore"):  # σ(z) = 1 / (1 + e^−z): e^−z = inf for z < −709 gives 0
        for t in range(T):
            z = Wx_x[:, t] + h @ W_h + b
            if peep:
                z[:, i] += params.i.w_c * c
                z[:, f] += params.f.w_c * c
            if params.forget_bias:
                z[:, f] += params.forget_bias
            a = 1.0 / (1.0 + np.exp(-z))  # the gates; the candidate's slice gets tanh below
            a[:, g] = np.tanh(z[:, g])
            c = a[:, f] * c + a[:, i] * a[:, g]  # c(t) = f ⊗ c(t−1) + i ⊗ g
            if peep:
                a[:, o] = 1.0 / (1.0 + np.exp(-(z[:, o] + params.o.w_c * c)))
            h = a[:, o] * np.tanh(c)  # h(t) = o ⊗ tanh(c(t))
            acts[:, t], cs[:, t], hs[:, t] = a, c, h
    return tuple(LSTMOverTime(x=xs[k], c=cs[k], h=hs[k], f=acts[k, :, f], i=acts[k, :, i],
                              g=acts[k, :, g], o=acts[k, :, o]) for k in range(B))


def rnn_batch(params: RNNParams, xs, h0) -> tuple[RNNOverTime, ...]:
    """The basic RNN over B sequences xs (B, T, D) at once, with ‖∂h(t)/∂h(0)‖₂ per step."""
    xs = np.asarray(xs, dtype=np.float64)
    B, T, _ = xs.shape
    Wx_x = xs @ params.W_x  # (B, T, H)
    h = np.tile(np.asarray(h0, dtype=np.float64), (B, 1))
    J = np.tile(np.eye(params.H), (B, 1, 1))  # ∂h(t)/∂h(0), (B, H, H)
    hs = np.empty((B, T, params.H))
    Js = np.empty((B, T, params.H, params.H))
    for t in range(T):
        h = np.tanh(Wx_x[:, t] + h @ params.W_h + params.b)
        J = (1.0 - h**2)[:, :, None] * params.W_h.T @ J  # diag(1 − h(t)²) W_hᵀ ∂h(t−1)/∂h(0)
        hs[:, t], Js[:, t] = h, J
    norms = np.linalg.norm(Js, ord=2, axis=(2, 3))  # (B, T): largest singular value
    return tuple(RNNOverTime(x=xs[k], h=hs[k], jacobian_norms=norms[k]) for k in range(B))


def through_time(params: LSTMParams, xs, h0, c0, amplitude: float,
                 offsets=FORGET_BIAS_OFFSETS) -> ThroughTime:
    """The LSTM and the basic RNN (its candidate layer alone) on xs (T, D); the memory of a
    pulse of `amplitude` in each; and that memory for each forget-bias offset."""
    xs = np.asarray(xs, dtype=np.float64)
    T, D = xs.shape
    offsets = tuple(float(v) for v in offsets)
    x_pulse, x_silence = pulse(T, D, amplitude), np.zeros((T, D))
    runs = [xs, x_pulse, x_silence] + [x_pulse, x_silence] * len(offsets)
    b_f = [0.0, 0.0, 0.0] + [v for v in offsets for _ in range(2)]
    lstm = lstm_batch(params, np.stack(runs), h0, c0, b_f)
    rnn = rnn_batch(RNNParams.from_lstm(params), np.stack(runs[:3]), h0)
    sweep = tuple(
        ForgetBiasPoint(offset, float(np.mean(pulsed.f)), memory_length(pulsed.c, silent.c),
                        effect(pulsed.c, silent.c))
        for offset, pulsed, silent in zip(offsets, lstm[3::2], lstm[4::2]))
    return ThroughTime(lstm=lstm[0], rnn=rnn[0], lstm_memory=memory_length(lstm[1].c, lstm[2].c),
                       rnn_memory=memory_length(rnn[1].h, rnn[2].h),
                       rnn_effect=effect(rnn[1].h, rnn[2].h), sweep=sweep)


def step_inputs(run: LSTMOverTime, t: int, h0, c0) -> tuple[np.ndarray, ...]:
    """x(t), h(t−1), c(t−1) of step t (1-based) of a run that started from h0, c0."""
    if t == 1:
        return run.x[0], np.asarray(h0, dtype=np.float64), np.asarray(c0, dtype=np.float64)
    return run.x[t - 1], run.h[t - 2], run.c[t - 2]

