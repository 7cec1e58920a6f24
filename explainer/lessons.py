"""Computations behind the learning pages: the right formula beside a common wrong one.

Every function takes core records (parameters, inputs) and returns a frozen dataclass with the
numbers and the short sentences the pages show; the pages only display the fields.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from lstm_core import (
    GATES,
    PEEPHOLE_GATES,
    Activation,
    LSTMParams,
    LSTMStep,
    RNNParams,
    RNNStep,
    lstm_step,
    rnn_step,
    sigmoid,
    unroll,
)
from lstm_core.params import KERAS_LETTERS, KERAS_ORDER, TF1_LETTERS, TF1_ORDER, TORCH_ORDER

EXACT = 1e-12  # "equal" means equal to this absolute tolerance in float64


def max_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) if np.size(a) else 0.0


# -- F7: concatenation vs addition -----------------------------------------------------------
@dataclass(frozen=True)
class BlockProduct:
    """z = Wᵀ [h(t-1); x(t)] + b with W = [W_h; W_x] stacked, against W_hᵀh + W_xᵀx + b."""

    gate: str
    W: np.ndarray  # (H + D, H): W_h on top of W_x, so Wᵀ = [W_hᵀ  W_xᵀ] is (H, H + D)
    xh: np.ndarray  # (H + D,)
    b: np.ndarray  # (H,)
    extra: np.ndarray  # peephole term + forget-bias offset, the same on both sides
    z_block: np.ndarray  # one product with the block matrix
    z_split: np.ndarray  # the core's two products, added
    max_abs_diff: float

    @property
    def equal(self) -> bool:
        return self.max_abs_diff <= EXACT


def block_product(params: LSTMParams, step: LSTMStep, gate: str) -> BlockProduct:
    g = params.gate(gate)
    core = step.gate(gate)
    W = np.concatenate([g.W_h, g.W_x])
    extra = core.peephole + core.offset
    z_block = W.T @ step.xh + g.b + extra
    z_split = core.Wh_h + core.Wx_x + core.b + extra
    return BlockProduct(gate, W, step.xh, g.b, extra, z_block, z_split,
                        max_abs_diff(z_block, core.z))


@dataclass(frozen=True)
class Condition:
    label: str
    holds: bool


@dataclass(frozen=True)
class NaiveForget:
    """The learner's σ(h(t-1) + x(t)) beside the real forget gate."""

    defined: bool  # False when D != H: h and x cannot be added
    shapes: str  # "h(t-1) (5,) + x(t) (5,)"
    naive: np.ndarray | None  # σ(h + x), or None when undefined
    real: np.ndarray  # the core's f(t)
    conditions: tuple[Condition, ...]  # all hold  =>  naive == real
    max_abs_diff: float | None

    @property
    def equal(self) -> bool:
        return self.max_abs_diff is not None and self.max_abs_diff <= EXACT


def naive_forget(params: LSTMParams, x, h_prev, c_prev) -> NaiveForget:
    step = lstm_step(params, x, h_prev, c_prev)
    f = params.f
    D, H = params.D, params.H
    conditions = (
        Condition("D = H (x and h have the same length)", D == H),
        Condition("W_xf is the identity", D == H and np.array_equal(f.W_x, np.eye(D, H))),
        Condition("W_hf is the identity", np.array_equal(f.W_h, np.eye(H))),
        Condition("b_f is zero", not f.b.any()),
        Condition("nothing else inside σ (no forget-bias offset, no peephole term)",
                  params.forget_bias == 0.0 and not step.forget.peephole.any()),
    )
    shapes = f"h(t-1) ({H},) + x(t) ({D},)"
    if D != H:
        return NaiveForget(False, shapes, None, step.f, conditions, None)
    naive = sigmoid(step.h_prev + step.x)
    return NaiveForget(True, shapes, naive, step.f, conditions, max_abs_diff(naive, step.f))


# -- F8: common mistakes ---------------------------------------------------------------------
def _threshold(pred, lo: float, hi: float) -> float:
    """Smallest float z in [lo, hi] with pred(z) true (pred monotone: false below, true above)."""
    for _ in range(200):
        mid = lo + (hi - lo) / 2.0
        if mid in (lo, hi):
            break
        lo, hi = (lo, mid) if pred(mid) else (mid, hi)
    return hi


@dataclass(frozen=True)
class Level:
    value: float  # a gate value p
    z: float  # the pre-activation it needs: log(p / (1 - p))


@dataclass(frozen=True)
class GateExtent:
    name: str
    title: str
    lowest: float
    highest: float
    hits_bound: bool  # some element is exactly 0.0 or exactly 1.0 in float64


@dataclass(frozen=True)
class SoftGates:
    sigmoid_one: float  # smallest z where float64 σ(z) rounds to exactly 1.0 (≈ 36.74)
    sigmoid_zero: float  # σ(z) underflows to exactly 0.0 for z at or below this (≈ -745.1)
    tanh_one: float  # smallest z where float64 tanh(z) rounds to exactly 1.0 (≈ 19.06)
    levels: tuple[Level, ...]
    gates: tuple[GateExtent, ...]  # the current step's sigmoid gates


@cache
def _float_limits() -> tuple[float, float, float]:
    """(σ reaches 1.0, σ underflows to 0.0, tanh reaches 1.0): constants of float64, found once."""
    return (_threshold(lambda z: float(sigmoid(z)) == 1.0, 0.0, 100.0),
            -_threshold(lambda z: float(sigmoid(-z)) == 0.0, 0.0, 1000.0),
            _threshold(lambda z: float(np.tanh(z)) == 1.0, 0.0, 100.0))


def soft_gates(step: LSTMStep) -> SoftGates:
    one, zero, tanh_one = _float_limits()
    levels = tuple(Level(p, float(np.log(p / (1.0 - p)))) for p in (0.5, 0.9, 0.99, 0.999999))
    gates = tuple(
        GateExtent(s.name, s.title, float(step.gate(s.name).a.min()),
                   float(step.gate(s.name).a.max()),
                   bool(np.any((step.gate(s.name).a == 0.0) | (step.gate(s.name).a == 1.0))))
        for s in GATES if s.activation is Activation.SIGMOID)
    return SoftGates(one, zero, tanh_one, levels, gates)


@dataclass(frozen=True)
class BiasPlacement:
    """act(Wᵀ·[h; x] + b) (right) against act(Wᵀ·[h; x]) + b (the Q&A answer's version)."""

    name: str
    title: str
    low: float  # the activation's range: (0, 1) for σ, (-1, 1) for tanh
    high: float
    b: np.ndarray
    inside: np.ndarray
    outside: np.ndarray
    max_abs_diff: float

    @property
    def out_of_range(self) -> bool:
        """Some value of the wrong version lies outside the activation's range right now."""
        return bool(np.any((self.outside <= self.low) | (self.outside >= self.high)))

    @property
    def wrong_range(self) -> tuple[float, float]:
        """Where the wrong version's values can lie: the range shifted by the bias."""
        return self.low + float(self.b.min()), self.high + float(self.b.max())


def bias_placement(step: LSTMStep) -> tuple[BiasPlacement, ...]:
    out = []
    for spec in GATES:
        gate = step.gate(spec.name)
        outside = spec.activation(gate.z - gate.b) + gate.b
        out.append(BiasPlacement(spec.name, spec.title, spec.activation.low, 1.0, gate.b, gate.a,
                                 outside,
                                 max_abs_diff(outside, gate.a)))
    return tuple(out)


@dataclass(frozen=True)
class ForgetBiasCase:
    framework: str
    how: str  # where the +1 comes from, or that there is none
    f: np.ndarray  # forget gate of an untrained cell on zero inputs
    kept: np.ndarray  # c(T) / c(0) after `steps` zero-input steps from c(0) = 1


@cache  # depends on the two sizes only; the arrays are read-only so the shared copy stays put
def forget_bias_cases(H: int, steps: int = 10) -> tuple[ForgetBiasCase, ...]:
    """An untrained cell (zero weights and biases, as on zero inputs only b counts)."""
    base = LSTMParams.zeros(1, H)
    variants = (
        ("PyTorch", "no offset: b_f starts like every other bias", base),
        ("Keras", "unit_forget_bias=True initialises b_f to 1", base.with_gate("f", b=np.ones(H))),
        ("TF1", "forget_bias=1.0 is added inside σ at every call", replace(base, forget_bias=1.0)),
    )
    out = []
    for name, how, params in variants:
        trace = unroll(params, np.zeros((steps, 1)), np.zeros(H), np.ones(H))
        f, kept = trace.steps[0].f.copy(), trace.steps[-1].c.copy()
        f.flags.writeable = kept.flags.writeable = False
        out.append(ForgetBiasCase(name, how, f, kept))
    return tuple(out)


def without_peepholes(params: LSTMParams) -> LSTMParams:
    return replace(params, use_peepholes=False)


@dataclass(frozen=True)
class SplitBias:
    """PyTorch keeps bias_ih and bias_hh; only their sum enters the cell."""

    bias_ih: np.ndarray  # (4H,)
    bias_hh: np.ndarray  # (4H,)
    h_reference: np.ndarray  # the scenario's h(t) (peepholes off)
    h_split: np.ndarray  # loaded with both biases: equal
    h_dropped: np.ndarray  # bias_hh forgotten: different
    split_diff: float
    dropped_diff: float

    @property
    def split_equal(self) -> bool:
        return self.split_diff <= EXACT


def split_bias(params: LSTMParams, x, h_prev, c_prev, seed: int = 0) -> SplitBias:
    base = without_peepholes(params)
    w_ih, w_hh, total, _ = base.to_torch()
    bias_hh = np.round(np.random.default_rng(seed).uniform(-0.5, 0.5, total.shape), 2)
    bias_ih = total - bias_hh
    ref = lstm_step(base, x, h_prev, c_prev).h
    split = lstm_step(LSTMParams.from_torch(w_ih, w_hh, bias_ih, bias_hh), x, h_prev, c_prev).h
    dropped = lstm_step(LSTMParams.from_torch(w_ih, w_hh, bias_ih, None), x, h_prev, c_prev).h
    return SplitBias(bias_ih, bias_hh, ref, split, dropped, max_abs_diff(split, ref),
                     max_abs_diff(dropped, ref))


FRAMEWORK_ORDERS = (  # column/row blocks of the stacked weights, with each framework's letters
    ("PyTorch", TORCH_ORDER),
    ("Keras", tuple(KERAS_LETTERS.get(g, g) for g in KERAS_ORDER)),
    ("TF1", tuple(TF1_LETTERS.get(g, g) for g in TF1_ORDER)),
)


@dataclass(frozen=True)
class SlotRead:
    slot: str  # the gate PyTorch's order puts at this block position
    loaded: str  # the gate whose weights actually sit there in TF1's kernel


@dataclass(frozen=True)
class OrderMixup:
    """A TF1 kernel (blocks i, j, f, o) loaded as if it were PyTorch's (i, f, g, o)."""

    slots: tuple[SlotRead, ...]
    right: LSTMStep
    wrong: LSTMStep
    blocks_identical: bool  # every gate has the same weights: the mix-up cannot show
    h_diff: float
    c_diff: float


def order_mixup(params: LSTMParams, x, h_prev, c_prev) -> OrderMixup:
    base = without_peepholes(params)
    kernel, bias, forget_bias, *_ = base.to_tf1()
    D = base.D
    misread = LSTMParams.from_torch(kernel[:D].T, kernel[D:].T, bias)
    misread = replace(misread, forget_bias=forget_bias)  # keep the offset: only the order errs
    right = lstm_step(base, x, h_prev, c_prev)
    wrong = lstm_step(misread, x, h_prev, c_prev)
    slots = tuple(SlotRead(s, t) for s, t in zip(TORCH_ORDER, TF1_ORDER))
    first = base.gate(TORCH_ORDER[0])
    same = all(np.array_equal(base.gate(n).W_x, first.W_x) and np.array_equal(
        base.gate(n).W_h, first.W_h) and np.array_equal(base.gate(n).b, first.b)
        for n in TORCH_ORDER)
    return OrderMixup(slots, right, wrong, same, max_abs_diff(wrong.h, right.h),
                      max_abs_diff(wrong.c, right.c))


# -- peepholes -------------------------------------------------------------------------------
@dataclass(frozen=True)
class PeepholeComparison:
    basic: LSTMStep  # Figure 14-13: gates see x(t) and h(t-1) only
    peephole: LSTMStep  # Gers & Schmidhuber (2000): also c(t-1) into f, i and c(t) into o

    def gate_diff(self, name: str) -> float:
        return max_abs_diff(self.peephole.gate(name).a, self.basic.gate(name).a)

    @property
    def c_diff(self) -> float:
        return max_abs_diff(self.peephole.c, self.basic.c)

    @property
    def h_diff(self) -> float:
        return max_abs_diff(self.peephole.h, self.basic.h)


def compare_peepholes(params: LSTMParams, x, h_prev, c_prev) -> PeepholeComparison:
    return PeepholeComparison(lstm_step(replace(params, use_peepholes=False), x, h_prev, c_prev),
                              lstm_step(replace(params, use_peepholes=True), x, h_prev, c_prev))


def with_peephole_weight(params: LSTMParams, gate: str, value: float) -> LSTMParams:
    """Every unit of one gate's peephole weights w_c set to `value`."""
    return params.with_gate(gate, w_c=np.full(params.H, float(value)))


# Example peephole weights (every unit): a full cell holds its forget gate open (w_cf > 0),
# makes room for less new input (w_ci < 0) and shows more of itself (w_co > 0).
EXAMPLE_PEEPHOLES = (("i", -0.5), ("f", 1.0), ("o", 0.5))


def peepholes_all_zero(params: LSTMParams) -> bool:
    """True when every peephole weight is 0: peephole wires then change nothing."""
    return not any(params.gate(name).w_c is not None and params.gate(name).w_c.any()
                   for name in PEEPHOLE_GATES)


def with_example_peepholes(params: LSTMParams) -> LSTMParams:
    """Peepholes on, with EXAMPLE_PEEPHOLES as their weights."""
    for name, value in EXAMPLE_PEEPHOLES:
        params = with_peephole_weight(params, name, value)
    return replace(params, use_peepholes=True)


# -- RNN vs LSTM -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RNNvsLSTM:
    rnn: RNNStep  # the LSTM's main layer g alone: h(t) = tanh(W_xgᵀx + W_hgᵀh + b_g)
    lstm: LSTMStep
    rnn_weights: int  # number of trainable numbers
    lstm_weights: int
    g_diff: float  # |LSTM's g - RNN's h|: zero, the same layer

    @property
    def g_is_rnn(self) -> bool:
        return self.g_diff <= EXACT


def rnn_vs_lstm(params: LSTMParams, x, h_prev, c_prev) -> RNNvsLSTM:
    rnn_params = RNNParams.from_lstm(params)
    rnn = rnn_step(rnn_params, x, h_prev)
    lstm = lstm_step(params, x, h_prev, c_prev)
    D, H = params.D, params.H
    per_layer = D * H + H * H + H
    peep = 3 * H if params.use_peepholes else 0
    return RNNvsLSTM(rnn, lstm, per_layer, 4 * per_layer + peep, max_abs_diff(lstm.g, rnn.h))
