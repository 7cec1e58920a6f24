"""The backward pass of the scenario's step, with the loss the user chose (view.loss).

    run = backward_pass(scenario)    # run.step, run.loss, run.dh, run.grad (lstm_core's record)
    reach = gradient_reach_of(scenario)   # the "through time" page: ∂L/∂(h(0), c(0)) by distance
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from lstm_core import LSTMStep, LSTMStepGradient, lstm_step_backward
from lstm_core.highway import GradientReach, gradient_reach

from .scenario import Scenario


@dataclass(frozen=True)
class BackwardRun:
    step: LSTMStep  # the forward step
    loss: float | None  # L = ½‖h(t) − target‖²; None when ∂L/∂h(t) is given directly
    target: np.ndarray | None  # (H,) for a target loss
    dh: np.ndarray  # ∂L/∂h(t) fed to the backward pass
    dc: np.ndarray  # ∂L/∂c(t) from step t+1
    grad: LSTMStepGradient

    def grad_rows(self) -> tuple[tuple[str, str, np.ndarray], ...]:
        """(symbol, meaning, values) of every gradient, in the order the gradient flows."""
        g = self.grad
        rows = [("dh", "∂L/∂h(t)", g.dh), ("dc", "∂L/∂c(t) from step t+1", g.dc),
                ("do", "∂L/∂o, output gate", g.do), ("dz_o", "∂L/∂z_o", g.dz_o),
                ("dc_total", "∂L/∂c(t), every path", g.dc_total)]
        for n, word in (("f", "forget gate"), ("i", "input gate"), ("g", "candidate")):
            rows.append((f"d{n}", f"∂L/∂{n}, {word}", g.gate(n).da))
        rows += [(f"dz_{n}", f"∂L/∂z_{n}", g.gate(n).dz) for n in ("f", "i", "g")]
        rows += [("dx", "∂L/∂x(t)", g.dx), ("dh_prev", "∂L/∂h(t-1)", g.dh_prev),
                 ("dc_prev", "∂L/∂c(t-1)", g.dc_prev)]
        return tuple(rows)


def backward_pass(scenario: Scenario) -> BackwardRun:
    loss, H = scenario.view.loss, scenario.H
    step = scenario.step()
    dc = loss.vector("dc", H)
    if loss.kind == "direct":
        target, value, dh = None, None, loss.vector("dh", H)
    else:
        target = loss.vector("target", H)
        dh = step.h - target
        value = 0.5 * float(dh @ dh)
    return BackwardRun(step, value, target, dh, dc, lstm_step_backward(scenario.params, step,
                                                                        dh, dc))


def gradient_reach_of(scenario: Scenario) -> GradientReach:
    """The loss of the backward page placed at each step d of the "through time" sequence."""
    loss, H = scenario.view.loss, scenario.H
    given = {"dh": loss.vector("dh", H)} if loss.kind == "direct" else {
        "target": loss.vector("target", H)}
    return gradient_reach(scenario.params, scenario.view.sequence.xs(scenario.D),
                          scenario.h_prev, scenario.c_prev, **given)


def with_loss_kind(scenario: Scenario, kind: str) -> Scenario:
    """Switch the loss; going to "direct" keeps the gradient: dh := h(t) − target."""
    loss = scenario.view.loss
    if kind == loss.kind:
        return scenario
    dh = loss.dh
    if kind == "direct":
        dh = tuple(backward_pass(scenario).dh)
    return scenario.with_view(loss=replace(loss, kind=kind, dh=dh))


def with_loss_value(scenario: Scenario, name: str, index: int, value: float) -> Scenario:
    """One element of the loss's target, dh or dc changed."""
    loss = scenario.view.loss
    values = loss.vector(name, scenario.H)
    values[index] = value
    return scenario.with_view(loss=replace(loss, **{name: tuple(values)}))
