"""A scenario: everything a link must reopen (the cell, its inputs, and what each page shows)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from lstm_core import (
    GATE_ORDER,
    GRU_GATE_ORDER,
    WEIGHT_LIMIT,
    GRUParams,
    GRUStep,
    LSTMParams,
    LSTMStep,
    gru_step,
    lstm_step,
)
from lstm_core.params import as_vector

from . import walkthrough
from .walkthrough import WalkStep

UI_MAX_SIZE = 8  # largest D and H the app offers: 8 cells per wire still read on a projector
SEQUENCE_KINDS = ("pulse", "step", "noise", "custom")
MAX_T = 400  # longest sequence the "through time" page unrolls
LOSS_KINDS = ("target", "direct")  # L = ½‖h(t) − target‖², or ∂L/∂h(t) given directly
CELL_KINDS = ("lstm", "gru")  # the cell a scenario's links, files and code export are about
GRU_FROM_LSTM = {"z": "f", "r": "o", "g": "g"}  # the LSTM layer each GRU layer starts from


def gru_like(params: LSTMParams, reset_after: bool = True) -> GRUParams:
    """The GRU that starts from the LSTM's own layers: the update gate z from the forget gate f
    (both decide how much of the old state is kept), the reset gate r from the output gate o
    (both decide how much of the state the next candidate sees), the candidate g from g.
    W_x, W_h and b (with the forget-bias offset, kept within ±WEIGHT_LIMIT like every weight a
    link may carry) go to W_x, W_h and b_x; b_h is zero."""
    zero = np.zeros(params.H)
    source = {n: params.gate(GRU_FROM_LSTM[n]) for n in GRU_GATE_ORDER}
    offset = {n: params.forget_bias if GRU_FROM_LSTM[n] == "f" else 0.0 for n in GRU_GATE_ORDER}
    return GRUParams.from_blocks(
        W_x={n: g.W_x for n, g in source.items()}, W_h={n: g.W_h for n, g in source.items()},
        b_x={n: np.clip(g.b + offset[n], -WEIGHT_LIMIT, WEIGHT_LIMIT)
             for n, g in source.items()},
        b_h=dict.fromkeys(source, zero),
        reset_after=reset_after)


@dataclass(frozen=True)
class SequenceSettings:
    """The input sequence of the "through time" page; x(t) is the same on every input unit."""

    kind: str = "pulse"  # a pulse then silence: the clearest picture of memory
    T: int = 50  # long enough to see the RNN forget and the LSTM remember
    amplitude: float = 1.0  # height of the pulse or step
    seed: int = 0  # for "noise"
    values: tuple[float, ...] = ()  # for "custom": one value per step, repeated if shorter

    def xs(self, D: int) -> np.ndarray:
        """The inputs x(1..T), shape (T, D)."""
        t = np.arange(self.T)
        if self.kind == "pulse":
            u = np.where(t == 0, self.amplitude, 0.0)
        elif self.kind == "step":
            u = np.where(t >= self.T // 4, self.amplitude, 0.0)
        elif self.kind == "noise":
            u = self.amplitude * np.random.default_rng(self.seed).standard_normal(self.T)
        else:
            vals = np.asarray(self.values or (0.0,), dtype=np.float64)
            u = np.resize(vals, self.T)
        return np.repeat(u[:, None], D, axis=1)


@dataclass(frozen=True)
class LossSettings:
    """The loss of the "backward pass" page, on this step's h(t). Vectors hold one number per
    unit; a missing unit is 0 (so a link stays valid when H changes)."""

    kind: str = "target"  # one of LOSS_KINDS
    target: tuple[float, ...] = ()  # for "target": L = ½‖h(t) − target‖²
    dh: tuple[float, ...] = ()  # for "direct": ∂L/∂h(t) as given
    dc: tuple[float, ...] = ()  # ∂L/∂c(t) arriving from step t+1 (both kinds)

    def __post_init__(self):  # one form per value: floats, trailing zeros (+0.0) dropped
        for name in ("target", "dh", "dc"):
            values = [float(v) for v in getattr(self, name)]
            while values and values[-1] == 0.0 and str(values[-1]) == "0.0":
                values.pop()
            object.__setattr__(self, name, tuple(values))

    def vector(self, name: str, H: int) -> np.ndarray:
        """target, dh or dc as H numbers: cut, or padded with zeros."""
        values = np.zeros(H)
        given = np.asarray(getattr(self, name), dtype=np.float64)[:H]
        values[:len(given)] = given
        return values


@dataclass(frozen=True)
class View:
    """Page-level state that a shared link restores too."""

    step: int = 0  # position in the walkthrough, explainer.walkthrough.STEPS (0 = inputs)
    presenter: bool = False  # large, uncluttered layout for projection
    predict: bool = False  # "predict, then reveal" on the walkthrough
    sequence: SequenceSettings = field(default_factory=SequenceSettings)
    loss: LossSettings = field(default_factory=LossSettings)  # the backward pass's loss
    back_step: int = 0  # position in the backward walkthrough, walkthrough.BACKWARD_STEPS

    @property
    def walk(self) -> WalkStep:
        """The walkthrough step this view shows."""
        return walkthrough.at(self.step)

    @property
    def back_walk(self) -> WalkStep:
        """The backward walkthrough step this view shows."""
        return walkthrough.back_at(self.back_step)


@dataclass(frozen=True)
class Scenario:
    """One LSTM time step's inputs and weights, plus the view a link reopens."""

    params: LSTMParams
    x: np.ndarray  # x(t), (D,)
    h_prev: np.ndarray  # h(t-1), (H,)
    c_prev: np.ndarray  # c(t-1), (H,)
    preset: str = "default"  # the preset it started from: "Reset" returns there
    view: View = field(default_factory=View)
    gru: GRUParams | None = None  # the GRU on the same x(t), h(t-1); None: gru_like(params)
    cell: str = "lstm"  # which cell links, scenario files and code export are about

    def __post_init__(self):
        if self.gru is None:
            object.__setattr__(self, "gru", gru_like(self.params))
        if (self.gru.D, self.gru.H) != (self.params.D, self.params.H):
            raise ValueError(f"gru must have the LSTM's sizes D={self.params.D}, "
                             f"H={self.params.H}, got D={self.gru.D}, H={self.gru.H}")
        if self.cell not in CELL_KINDS:
            raise ValueError(f"cell must be one of {CELL_KINDS}, got {self.cell!r}")
        object.__setattr__(self, "x", as_vector("x", self.x, self.params.D))
        object.__setattr__(self, "h_prev", as_vector("h_prev", self.h_prev, self.params.H))
        object.__setattr__(self, "c_prev", as_vector("c_prev", self.c_prev, self.params.H))

    @property
    def D(self) -> int:
        return self.params.D

    @property
    def H(self) -> int:
        return self.params.H

    def step(self) -> LSTMStep:
        return lstm_step(self.params, self.x, self.h_prev, self.c_prev)

    def with_params(self, params: LSTMParams) -> Scenario:
        return replace(self, params=params)

    def gru_step(self) -> GRUStep:
        """The GRU's step on the same x(t) and h(t-1) (it has no c)."""
        return gru_step(self.gru, self.x, self.h_prev)

    def with_gru(self, gru: GRUParams) -> Scenario:
        return replace(self, gru=gru)

    def with_vector(self, name: str, index: int, value: float) -> Scenario:
        """A copy with one element of x, h_prev or c_prev changed."""
        arr = np.array(getattr(self, name))
        arr[index] = value
        return replace(self, **{name: arr})

    def with_view(self, **changes) -> Scenario:
        return replace(self, view=replace(self.view, **changes))

    def resized(self, D: int, H: int, seed: int = 0) -> Scenario:
        """New sizes: kept values where they still fit, seeded random weights for the rest."""
        fresh = LSTMParams.random(D, H, seed=seed, forget_bias=self.params.forget_bias,
                                  use_peepholes=self.params.use_peepholes)
        gates = {}
        for name in GATE_ORDER:
            old, new = self.params.gate(name), fresh.gate(name)
            gates[name] = replace(
                new,
                W_x=_overlay(new.W_x, old.W_x), W_h=_overlay(new.W_h, old.W_h),
                b=_overlay(new.b, old.b),
                w_c=None if new.w_c is None else _overlay(new.w_c, old.w_c))
        params = replace(fresh, **gates)
        fresh_gru = gru_like(params, self.gru.reset_after)
        gru = GRUParams.from_blocks(
            **{field: {n: _overlay(getattr(fresh_gru.gate(n), field),
                                   getattr(self.gru.gate(n), field)) for n in GRU_GATE_ORDER}
               for field in ("W_x", "W_h", "b_x", "b_h")},
            reset_after=self.gru.reset_after)
        return replace(self, params=params, gru=gru, x=_overlay(np.zeros(D), self.x),
                       h_prev=_overlay(np.zeros(H), self.h_prev),
                       c_prev=_overlay(np.zeros(H), self.c_prev))


def _overlay(base: np.ndarray, old: np.ndarray) -> np.ndarray:
    """base with its top-left corner replaced by as much of old as fits."""
    out = np.array(base, dtype=np.float64)
    corner = tuple(slice(0, min(a, b)) for a, b in zip(out.shape, old.shape))
    out[corner] = old[corner]
    return out
