"""The backward pass of the LSTM cell: one step, and through time (backpropagation through time).

Given dh = ∂L/∂h(t) and dc = ∂L/∂c(t) arriving from later steps (not through h(t)), one step
sends the gradient back through the cell in the reverse order of the forward pass:

    do        = dh ⊗ tanh(c)                        output gate
    dz_o      = do ⊗ o ⊗ (1 − o)
    dtanh_c   = dh ⊗ o                              ∂L/∂tanh(c(t))
    dc_total  = dc + dtanh_c ⊗ (1 − tanh²c) [+ w_co ⊗ dz_o with peepholes: o reads the new c]
    df = dc_total ⊗ c(t−1)     dz_f = df ⊗ f ⊗ (1 − f)
    di = dc_total ⊗ g          dz_i = di ⊗ i ⊗ (1 − i)
    dg = dc_total ⊗ i          dz_g = dg ⊗ (1 − g²)
    dc_prev   = dc_total ⊗ f [+ w_ci ⊗ dz_i + w_cf ⊗ dz_f with peepholes]
    dx        = Σ_gates W_x dz          dh_prev = Σ_gates W_h dz
    dW_x = x dzᵀ,  dW_h = h(t−1) dzᵀ,  db = dz,  dw_c = dz ⊗ (c(t−1) for i, f; c(t) for o)

The forget-bias offset is a constant (it shifts z_f), not a parameter: it has no gradient.
Every array may carry a leading batch dimension B (x (B, D), dh (B, H), ...) through the same
code; the parameter gradients are then summed over the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .cell import LSTMStep
from .gates import GATE_ORDER, GATES, GateSpec
from .params import Gate, LSTMParams, as_array
from .sequence import RNNParams, RNNStep

WRITES_CELL = {"f": "c_prev", "i": "g", "g": "i"}  # c = f ⊗ c(t−1) + i ⊗ g: each gate's partner


def activation_slope(spec: GateSpec, a: np.ndarray) -> np.ndarray:
    """∂a/∂z from the activation itself: a ⊗ (1 − a) for a gate σ, 1 − a² for the candidate."""
    return a * (1.0 - a) if spec.activation == "sigmoid" else 1.0 - a * a


@dataclass(frozen=True)
class GateGradient:
    """One layer's share of the backward pass, named after its forward computation."""

    spec: GateSpec
    da: np.ndarray  # ∂L/∂a: do, df, di or dg
    dz: np.ndarray  # ∂L/∂z = da ⊗ ∂a/∂z
    dx: np.ndarray  # W_x dz: this layer's share of ∂L/∂x(t), (D,)
    dh_prev: np.ndarray  # W_h dz: its share of ∂L/∂h(t−1), (H,)
    dpeephole: np.ndarray  # w_c ⊗ dz: into dc_prev (i, f) or dc_total (o); zeros without peepholes
    dW_x: np.ndarray  # x dzᵀ, (D, H), summed over a batch
    dW_h: np.ndarray  # h(t−1) dzᵀ, (H, H)
    db: np.ndarray  # dz, (H,)
    dw_c: np.ndarray | None  # dz ⊗ c(t−1) or c(t), (H,); zeros without peepholes; None for g


@dataclass(frozen=True)
class LSTMStepGradient:
    """Every gradient of one step's backward pass (shapes (H,) or (B, H); dx (D,) or (B, D))."""

    dh: np.ndarray  # ∂L/∂h(t), as given
    dc: np.ndarray  # ∂L/∂c(t) from later steps, as given
    dtanh_c: np.ndarray  # dh ⊗ o: ∂L/∂tanh(c(t))
    dc_from_h: np.ndarray  # dtanh_c ⊗ (1 − tanh²c): what reaches c(t) through h(t)
    dc_total: np.ndarray  # ∂L/∂c(t), every path: dc + dc_from_h (+ w_co ⊗ dz_o)
    output: GateGradient
    forget: GateGradient
    input: GateGradient
    candidate: GateGradient
    dc_prev: np.ndarray  # ∂L/∂c(t−1) = dc_total ⊗ f (+ peepholes)
    dh_prev: np.ndarray  # ∂L/∂h(t−1) = Σ W_h dz
    dx: np.ndarray  # ∂L/∂x(t) = Σ W_x dz
    forget_bias: float  # the setting the step ran with (a constant: it gets no gradient)
    use_peepholes: bool  # the setting the step ran with: whether `.params` has peephole gradients

    def gate(self, name: str) -> GateGradient:
        return {"i": self.input, "f": self.forget, "g": self.candidate, "o": self.output}[name]

    @property
    def gates(self) -> tuple[GateGradient, ...]:
        """In the canonical order, GATE_ORDER."""
        return tuple(self.gate(n) for n in GATE_ORDER)

    @cached_property
    def params(self) -> LSTMParams:
        """∂L/∂ every weight, bias and peephole weight, as an LSTMParams of the same shapes
        (its forget_bias is 0: the offset is a constant, not a parameter)."""
        return _gradient_params(self.gates, self.use_peepholes)

    # per gate n in GATE_ORDER (set below, from the one table of gates):
    #   dz_n = gate(n).dz, ∂L/∂z_n;   dn = gate(n).da, ∂L/∂n (di, df, dg, do)


for _name in GATE_ORDER:
    setattr(LSTMStepGradient, f"dz_{_name}", property(lambda s, n=_name: s.gate(n).dz))
    setattr(LSTMStepGradient, f"d{_name}", property(lambda s, n=_name: s.gate(n).da))


def _gradient_params(gates, use_peepholes: bool) -> LSTMParams:
    """Parameter gradients summed over `gates` (an iterable of GateGradient, any steps)."""
    sums: dict[str, list[np.ndarray | None]] = {}
    for gate in gates:
        fields = [gate.dW_x, gate.dW_h, gate.db, gate.dw_c]
        prev = sums.get(gate.spec.name)
        sums[gate.spec.name] = fields if prev is None else [
            None if p is None else p + f for p, f in zip(prev, fields)]
    return LSTMParams(**{n: Gate(*fields) for n, fields in sums.items()},
                      forget_bias=0.0, use_peepholes=use_peepholes)


def layer_gradients(layer, x, h_prev, dz) -> dict[str, np.ndarray]:
    """For z = W_xᵀ x + W_hᵀ h(t−1) + b (any layer with W_x, W_h, b): dx, dh_prev, and dW_x,
    dW_h, db summed over a leading batch dimension when there is one."""
    D, H = layer.W_x.shape
    dz2 = dz.reshape(-1, H)  # one code path for a single step and a batch
    return {"dx": dz @ layer.W_x.T, "dh_prev": dz @ layer.W_h.T,
            "dW_x": x.reshape(-1, D).T @ dz2, "dW_h": h_prev.reshape(-1, H).T @ dz2,
            "db": dz2.sum(axis=0)}


def _gate_gradient(spec: GateSpec, params: LSTMParams, step: LSTMStep, da) -> GateGradient:
    fwd = step.gate(spec.name)
    weights = params.gate(spec.name)
    dz = da * activation_slope(spec, fwd.a)
    dw_c = None if spec.peephole_from is None else np.zeros(params.H)
    dpeephole = np.zeros_like(dz)
    if params.use_peepholes and spec.peephole_from is not None:
        c_peep = getattr(step, spec.peephole_from)  # c(t−1) for i and f, the new c(t) for o
        dw_c = (dz * c_peep).reshape(-1, params.H).sum(axis=0)
        dpeephole = weights.w_c * dz
    return GateGradient(spec, da, dz, **layer_gradients(weights, step.x, step.h_prev, dz),
                        dpeephole=dpeephole, dw_c=dw_c)


def _backward(params: LSTMParams, step: LSTMStep, dh: np.ndarray, dc: np.ndarray
              ) -> LSTMStepGradient:
    """The backward pass without input checks (the callers check)."""
    specs = {spec.name: spec for spec in GATES}
    output = _gate_gradient(specs["o"], params, step, dh * step.tanh_c)
    dtanh_c = dh * step.o
    dc_from_h = dtanh_c * (1.0 - step.tanh_c**2)
    dc_total = dc + dc_from_h + output.dpeephole
    writers = {n: _gate_gradient(specs[n], params, step, dc_total * getattr(step, partner))
               for n, partner in WRITES_CELL.items()}
    dc_prev = dc_total * step.f + writers["f"].dpeephole + writers["i"].dpeephole
    every = (output, *writers.values())
    return LSTMStepGradient(
        dh=dh, dc=dc, dtanh_c=dtanh_c, dc_from_h=dc_from_h, dc_total=dc_total, output=output,
        forget=writers["f"], input=writers["i"], candidate=writers["g"], dc_prev=dc_prev,
        dh_prev=sum(g.dh_prev for g in every), dx=sum(g.dx for g in every),
        forget_bias=params.forget_bias, use_peepholes=params.use_peepholes)


def _check_step(params: LSTMParams, step: LSTMStep) -> None:
    D, H = params.D, params.H
    if step.x.shape[-1:] != (D,) or step.c.shape[-1:] != (H,):
        raise ValueError(f"step must come from a cell with D={D}, H={H}: got x {step.x.shape}, "
                         f"c {step.c.shape}")
    if (step.use_peepholes, step.forget_bias) != (params.use_peepholes, params.forget_bias):
        raise ValueError("step must come from these params: its use_peepholes / forget_bias "
                         "differ")


def lstm_step_backward(params: LSTMParams, step: LSTMStep, dh, dc=None) -> LSTMStepGradient:
    """Gradients of one step: dh = ∂L/∂h(t) and dc = ∂L/∂c(t) from step t+1 (default 0), each
    shaped like step.h. `step` = lstm_step(params, x, h_prev, c_prev), with the same params."""
    _check_step(params, step)
    shape = step.h.shape
    dh = as_array("dh", dh, shape)
    dc = np.zeros(shape) if dc is None else as_array("dc", dc, shape)
    return _backward(params, step, dh, dc)


@dataclass(frozen=True)
class LSTMSequenceGradient:
    """The backward pass through an unrolled sequence; row t of an over-time array is step t+1."""

    steps: tuple[LSTMStepGradient, ...]  # one record per step, in forward order
    dxs: np.ndarray  # ∂L/∂x(t), (T, D)
    dh0: np.ndarray  # ∂L/∂h(0), (H,)
    dc0: np.ndarray  # ∂L/∂c(0), (H,)

    def over_time(self, name: str) -> np.ndarray:
        """Stack one attribute of every step, e.g. over_time("dc_total") -> (T, H)."""
        return np.array([getattr(s, name) for s in self.steps])

    @cached_property
    def params(self) -> LSTMParams:
        """∂L/∂ every parameter, summed over time (the same weights act at every step)."""
        return _gradient_params((g for s in self.steps for g in s.gates),
                                self.steps[0].use_peepholes)


def unroll_backward(trace, dhs, dc_last=None) -> LSTMSequenceGradient:
    """Backpropagation through time. trace = unroll(params, xs, h0, c0); dhs[t] = the direct
    ∂L/∂h(t+1) from the loss at each step (T, H); dc_last = ∂L/∂c(T) (default 0)."""
    params = getattr(trace, "params", None)
    if not isinstance(params, LSTMParams):
        raise ValueError("trace must come from unroll(params, xs, h0, c0) and record its params")
    steps = trace.steps
    for step in steps[:1]:
        _check_step(params, step)
    shape = steps[-1].h.shape
    dhs = as_array("dhs", dhs, (len(steps), *shape))
    dc = np.zeros(shape) if dc_last is None else as_array("dc_last", dc_last, shape)
    dh_next = np.zeros(shape)
    grads = []
    for step, dh in zip(reversed(steps), dhs[::-1]):
        grad = _backward(params, step, dh + dh_next, dc)
        grads.append(grad)
        dh_next, dc = grad.dh_prev, grad.dc_prev
    grads.reverse()
    return LSTMSequenceGradient(steps=tuple(grads), dxs=np.array([g.dx for g in grads]),
                                dh0=dh_next, dc0=dc)


# -- the basic RNN cell: h(t) = tanh(W_xᵀ x(t) + W_hᵀ h(t−1) + b) --------------------------------
@dataclass(frozen=True)
class RNNStepGradient:
    """One step of the basic RNN backward: dz = dh ⊗ (1 − h²), then the layer's gradients."""

    dh: np.ndarray  # ∂L/∂h(t), every path
    dz: np.ndarray  # ∂L/∂z
    dx: np.ndarray  # W_x dz
    dh_prev: np.ndarray  # W_h dz: the only way back in time (no cell path)
    params: RNNParams  # dW_x, dW_h, db (summed over a batch)


def _rnn_backward(params: RNNParams, step: RNNStep, dh: np.ndarray) -> RNNStepGradient:
    dz = dh * (1.0 - step.h**2)
    grads = layer_gradients(params, step.x, step.h_prev, dz)
    return RNNStepGradient(dh, dz, grads["dx"], grads["dh_prev"],
                           RNNParams(grads["dW_x"], grads["dW_h"], grads["db"]))


def rnn_step_backward(params: RNNParams, step: RNNStep, dh) -> RNNStepGradient:
    """Gradients of one basic-RNN step, given dh = ∂L/∂h(t) shaped like step.h."""
    if step.x.shape[-1:] != (params.D,) or step.h.shape[-1:] != (params.H,):
        raise ValueError(f"step must come from a cell with D={params.D}, H={params.H}: "
                         f"got x {step.x.shape}, h {step.h.shape}")
    return _rnn_backward(params, step, as_array("dh", dh, step.h.shape))


@dataclass(frozen=True)
class RNNSequenceGradient:
    steps: tuple[RNNStepGradient, ...]  # in forward order
    dxs: np.ndarray  # (T, D)
    dh0: np.ndarray  # (H,)

    def over_time(self, name: str) -> np.ndarray:
        return np.array([getattr(s, name) for s in self.steps])

    @cached_property
    def params(self) -> RNNParams:
        """∂L/∂W_x, ∂L/∂W_h, ∂L/∂b summed over time."""
        return RNNParams(*(sum(getattr(s.params, f) for s in self.steps)
                           for f in ("W_x", "W_h", "b")))


def unroll_rnn_backward(trace, dhs) -> RNNSequenceGradient:
    """Backpropagation through time for trace = unroll_rnn(params, xs, h0); dhs[t] = the direct
    ∂L/∂h(t+1) from the loss at each step, (T, H)."""
    params = trace.params
    steps = trace.steps
    shape = steps[-1].h.shape
    dhs = as_array("dhs", dhs, (len(steps), *shape))
    dh_next = np.zeros(shape)
    grads = []
    for step, dh in zip(reversed(steps), dhs[::-1]):
        grad = _rnn_backward(params, step, dh + dh_next)
        grads.append(grad)
        dh_next = grad.dh_prev
    grads.reverse()
    return RNNSequenceGradient(tuple(grads), np.array([g.dx for g in grads]), dh_next)
