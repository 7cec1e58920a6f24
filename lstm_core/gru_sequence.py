"""The GRU over a sequence (issue 16): its states and gates per step, and the memory of a pulse,
measured like the LSTM's (`lstm_core.memory`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gru import GRUParams, gru_step
from .memory import Memory, effect, memory_length, pulse


@dataclass(frozen=True)
class GRUOverTime:
    """One GRU run: inputs x (T, D), and per step h, z, r, g, each (T, H); row t is step t + 1."""

    x: np.ndarray
    h: np.ndarray
    z: np.ndarray
    r: np.ndarray
    g: np.ndarray

    @property
    def T(self) -> int:
        return self.x.shape[0]

    @property
    def keep_path_gradient(self) -> np.ndarray:
        """∂h(t)/∂h(0) along the keep path h(t-1) → ⊗ z → ⊕ → h(t) only: the running product
        of z (the GRU's counterpart of the LSTM's Π f), (T, H)."""
        return np.cumprod(self.z, axis=0)


@dataclass(frozen=True)
class GRUThroughTime:
    run: GRUOverTime  # on the chosen sequence
    memory: Memory  # of a pulse, in h(t)
    effect: np.ndarray  # d(t) of that pulse in h(t), (T,)


def gru_batch(params: GRUParams, xs, h0) -> tuple[GRUOverTime, ...]:
    """Unroll the GRU over B sequences xs (B, T, D) at once from the same h(0): one batched
    `gru_step` per time step."""
    xs = np.asarray(xs, dtype=np.float64)
    B, T, _ = xs.shape
    H = params.H
    h = np.tile(np.asarray(h0, dtype=np.float64), (B, 1))
    out = {name: np.empty((B, T, H)) for name in ("h", "z", "r", "g")}
    for t in range(T):
        step = gru_step(params, xs[:, t], h)
        h = step.h
        for name, values in out.items():
            values[:, t] = getattr(step, name)
    return tuple(GRUOverTime(x=xs[k], **{n: v[k] for n, v in out.items()}) for k in range(B))


def gru_through_time(params: GRUParams, xs, h0, amplitude: float) -> GRUThroughTime:
    """The GRU on xs (T, D), and the memory of a pulse of `amplitude` in h(t) (against a run on
    silence from the same h(0))."""
    xs = np.asarray(xs, dtype=np.float64)
    T, D = xs.shape
    run, pulsed, silent = gru_batch(params, np.stack([xs, pulse(T, D, amplitude),
                                                      np.zeros((T, D))]), h0)
    return GRUThroughTime(run, memory_length(pulsed.h, silent.h), effect(pulsed.h, silent.h))
