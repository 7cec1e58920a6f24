"""Fill helpers for one gate's weight blocks: identity, zeros, seeded random, scale."""

from __future__ import annotations

import numpy as np

from .params import LSTMParams

FILLS = ("identity", "zeros", "random", "scale")


def fill_gate(params: LSTMParams, name: str, how: str, *, seed: int = 0,
              factor: float = 1.0) -> LSTMParams:
    """A copy of params with gate `name`'s W_x and W_h refilled (biases are kept)."""
    D, H = params.D, params.H
    gate = params.gate(name)
    if how == "identity":
        W_x, W_h = np.eye(D, H), np.eye(H)
    elif how == "zeros":
        W_x, W_h = np.zeros((D, H)), np.zeros((H, H))
    elif how == "random":
        fresh = LSTMParams.random(D, H, seed=seed).gate(name)
        W_x, W_h = fresh.W_x, fresh.W_h
    elif how == "scale":
        W_x, W_h = gate.W_x * factor, gate.W_h * factor
    else:
        raise ValueError(f"how must be one of {FILLS}, got {how!r}")
    return params.with_gate(name, W_x=W_x, W_h=W_h)
