"""Named scenarios as plain data. `build(name)` turns one into a `Scenario`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core import GATE_ORDER, GRU_GATE_ORDER, WEIGHT_LIMIT, GRUParams, LSTMParams

from .scenario import LossSettings, Scenario, View, gru_like


@dataclass(frozen=True)
class Preset:
    shows: str  # one line: what a student sees with this preset
    D: int
    H: int
    x: tuple[float, ...]
    h_prev: tuple[float, ...]
    c_prev: tuple[float, ...]
    weights: str = "random"  # "random" (seeded, ±scale), "identity" or "zeros"
    scale: float = 0.5  # half-width of the uniform random weights
    seed: int = 7
    bias: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # b_i, b_f, b_g, b_o (each unit)
    forget_bias: float = 0.0  # TF1's offset inside the forget sigmoid
    use_peepholes: bool = False
    target: tuple[float, ...] = ()  # the backward pass's loss target (default: zeros)
    # the GRU (issue 16): starts as gru_like(LSTM weights), these added to b_xz, b_xr, b_xg
    cell: str = "lstm"
    gru_bias: tuple[float, float, float] = (0.0, 0.0, 0.0)
    reset_after: bool = True


PRESETS: dict[str, Preset] = {
    "default": Preset(
        "A small cell with moderate weights: every gate partly open, nothing saturated.",
        D=2, H=2, x=(0.8, -0.4), h_prev=(0.3, -0.6), c_prev=(0.9, -0.5), seed=7),
    "stackoverflow": Preset(
        "The Q&A's numbers: identity weights and zero biases, so the forget gate equals σ(h + x).",
        D=5, H=5, x=(-0.1, 0.3, 0.1, -0.25, 0.1), h_prev=(0.0, 0.5, 0.1, 0.2, 0.6),
        c_prev=(0.0,) * 5, weights="identity"),
    "remember": Preset(
        "Forget gate ≈ 1, input gate ≈ 0: the long-term state passes through almost unchanged.",
        D=2, H=2, x=(0.5, -0.5), h_prev=(0.2, 0.1), c_prev=(0.9, -0.7),
        scale=0.3, bias=(-6.0, 6.0, 0.0, 0.0)),
    "forget": Preset(
        "Forget gate ≈ 0, input gate ≈ 0: the long-term state is wiped.",
        D=2, H=2, x=(0.5, -0.5), h_prev=(0.2, 0.1), c_prev=(0.9, -0.7),
        scale=0.3, bias=(-6.0, -6.0, 0.0, 0.0)),
    "overwrite": Preset(
        "Forget gate ≈ 0, input gate ≈ 1: the old memory is replaced by the candidate g.",
        D=2, H=2, x=(0.9, -0.8), h_prev=(0.2, 0.1), c_prev=(0.9, -0.7),
        scale=1.5, bias=(6.0, -6.0, 0.0, 0.0)),
    "saturated": Preset(
        "Large weights: every pre-activation is far from 0, so each gate sits near 0 or 1.",
        D=2, H=2, x=(1.0, -1.0), h_prev=(0.5, -0.5), c_prev=(0.5, -0.5),
        scale=12.0, seed=31),
    "highway": Preset(
        "Forget gate ≈ 1: the gradient rides the memory line back 50 steps; the RNN's vanishes.",
        D=2, H=2, x=(0.5, -0.5), h_prev=(0.2, 0.1), c_prev=(0.9, -0.7),
        scale=0.3, bias=(-2.0, 6.0, 0.0, 2.0), target=(1.0, -1.0)),
    # -- the GRU: the same small cell, its update and reset gates pushed to one side -------------
    "gru-keep": Preset(
        "GRU, update gate z ≈ 1: h(t) ≈ h(t-1), the old state passes through almost unchanged.",
        D=2, H=2, x=(0.5, -0.5), h_prev=(0.6, -0.4), c_prev=(0.0, 0.0), scale=0.3,
        cell="gru", gru_bias=(6.0, 0.0, 0.0)),
    "gru-overwrite": Preset(
        "GRU, update gate z ≈ 0: h(t) ≈ g(t), the candidate replaces the old state.",
        D=2, H=2, x=(0.9, -0.8), h_prev=(0.6, -0.4), c_prev=(0.0, 0.0), scale=1.5,
        cell="gru", gru_bias=(-6.0, 0.0, 0.0)),
    "gru-reset": Preset(
        "GRU, reset gate r ≈ 0: the candidate ignores h(t-1) and reads x(t) alone.",
        D=2, H=2, x=(0.9, -0.8), h_prev=(0.9, -0.9), c_prev=(0.0, 0.0), scale=1.5, seed=3,
        cell="gru", gru_bias=(-6.0, -6.0, 0.0)),
    "gru-reset-before": Preset(
        "GRU with the reset gate before the product (the original cell): compare with after.",
        D=2, H=2, x=(0.8, -0.4), h_prev=(0.6, -0.7), c_prev=(0.0, 0.0), scale=1.0, seed=11,
        cell="gru", gru_bias=(0.0, 0.0, 1.5), reset_after=False),
}


def preset_gru(name: str, params: LSTMParams, reset_after: bool | None = None) -> GRUParams:
    """The GRU of preset `name` built on the LSTM weights `params`: gru_like(params), the
    preset's GRU biases added to b_x; reset_after None: the preset's placement. A link's GRU
    values are written as differences from this (see explainer.codec)."""
    p = PRESETS[name] if name in PRESETS else PRESETS["default"]
    gru = gru_like(params, p.reset_after if reset_after is None else reset_after)
    for gate, b in zip(GRU_GATE_ORDER, p.gru_bias):
        if b:
            gru = gru.with_gate(gate, b_x=np.clip(gru.gate(gate).b_x + b, -WEIGHT_LIMIT,
                                                  WEIGHT_LIMIT))
    return gru


def build(name: str) -> Scenario:
    """The scenario of a named preset; ValueError for an unknown name."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    p = PRESETS[name]
    options = dict(forget_bias=p.forget_bias, use_peepholes=p.use_peepholes)
    if p.weights == "identity":
        params = LSTMParams.identity(p.D, p.H, **options)
    elif p.weights == "zeros":
        params = LSTMParams.zeros(p.D, p.H, **options)
    else:
        params = LSTMParams.random(p.D, p.H, seed=p.seed, scale=p.scale, **options)
    for gate, b in zip(GATE_ORDER, p.bias):
        if b:
            params = params.with_gate(gate, b=np.full(p.H, b))
    return Scenario(params, np.array(p.x), np.array(p.h_prev), np.array(p.c_prev), preset=name,
                    view=View(loss=LossSettings(target=p.target)),
                    gru=preset_gru(name, params), cell=p.cell)
