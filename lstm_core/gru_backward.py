"""The backward pass of one GRU step: given ∂L/∂h(t), every gradient the forward step used.

With dh = ∂L/∂h(t) and h(t) = z ⊗ h(t-1) + (1 - z) ⊗ g:
    dz = dh ⊗ (h(t-1) - g),   dg = dh ⊗ (1 - z),   dh(t-1) starts at dh ⊗ z
    dpre = da ⊗ σ'(pre) = da ⊗ a(1 - a) for the gates,  da ⊗ (1 - a²) for the candidate
then each layer, candidate first (it gives dr), sends dpre back through both products:
    reset after:  rec = r ⊗ (W_hg^T h + b_hg)  ->  dr += dpre_g ⊗ (W_hg^T h + b_hg)
    reset before: rec = W_hg^T (r ⊗ h) + b_hg  ->  dr += (W_hg dpre_g) ⊗ h(t-1)
With a batch, parameter gradients are summed over it (the gradient of a summed loss).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gru import GRU_GATES, GRUGate, GRUParams, GRUStep
from .params import as_array


@dataclass(frozen=True)
class GRUGrads:
    """Gradients of one GRU step. Shapes follow the step's (with or without a batch)."""

    dh: np.ndarray  # ∂L/∂h(t), the upstream gradient
    dz: np.ndarray  # ∂L/∂z(t), update gate output
    dr: np.ndarray  # ∂L/∂r(t), reset gate output
    dg: np.ndarray  # ∂L/∂g(t), candidate output
    dpre_z: np.ndarray  # ∂L/∂pre_z
    dpre_r: np.ndarray  # ∂L/∂pre_r
    dpre_g: np.ndarray  # ∂L/∂pre_g
    dx: np.ndarray  # ∂L/∂x(t)
    dh_prev: np.ndarray  # ∂L/∂h(t-1)
    params: GRUParams  # ∂L/∂(every weight and bias), in the same layout as the parameters

    def dpre(self, name: str) -> np.ndarray:
        return {"z": self.dpre_z, "r": self.dpre_r, "g": self.dpre_g}[name]


def _outer_sum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a^T b summed over the batch: the gradient of W in a @ W, (len a, len b)."""
    return a.reshape(-1, a.shape[-1]).T @ b.reshape(-1, b.shape[-1])


def _batch_sum(a: np.ndarray) -> np.ndarray:
    return a.reshape(-1, a.shape[-1]).sum(axis=0)


def gru_step_backward(params: GRUParams, step: GRUStep, dh) -> GRUGrads:
    """Backpropagate dh = ∂L/∂h(t) through the step `gru_step(params, x, h_prev)` returned."""
    if step.reset_after != params.reset_after or step.x.shape[-1] != params.D \
            or step.h.shape[-1] != params.H:
        raise ValueError("step was not computed with these params (sizes or reset_after differ)")
    dh = as_array("dh", dh, step.h.shape)
    z, r, g, h_prev = step.z, step.r, step.g, step.h_prev
    da = {"z": dh * (h_prev - g), "r": np.zeros_like(r), "g": dh * (1.0 - z)}
    dpre: dict[str, np.ndarray] = {}
    grads: dict[str, GRUGate] = {}
    dx = np.zeros_like(step.x)
    dh_prev = dh * z
    for spec in reversed(GRU_GATES):  # g first: it adds to dr before the reset gate runs
        layer, gate = step.gate(spec.name), params.gate(spec.name)
        d = da[spec.name] * spec.activation.slope(layer.pre)
        dpre[spec.name] = d
        dx = dx + d @ gate.W_x.T
        d_Wh_h_b = d  # rec = Wh_h_b ...
        if spec.reset and params.reset_after:  # ... or rec = r ⊗ Wh_h_b
            da["r"] = da["r"] + d * layer.Wh_h_b
            d_Wh_h_b = d * r
        d_h_in = d_Wh_h_b @ gate.W_h.T
        if spec.reset and not params.reset_after:  # h_in = r ⊗ h(t-1)
            da["r"] = da["r"] + d_h_in * h_prev
            d_h_in = d_h_in * r
        dh_prev = dh_prev + d_h_in
        grads[spec.name] = GRUGate(W_x=_outer_sum(step.x, d), W_h=_outer_sum(layer.h_in, d_Wh_h_b),
                                   b_x=_batch_sum(d), b_h=_batch_sum(d_Wh_h_b))
    return GRUGrads(dh, da["z"], da["r"], da["g"], dpre["z"], dpre["r"], dpre["g"], dx, dh_prev,
                    GRUParams(**grads, reset_after=params.reset_after))
