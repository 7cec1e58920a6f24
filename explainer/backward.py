"""The backward pass of the scenario's step, with the loss the user chose (view.loss).

    run = backward_pass(scenario)    # run.step, run.loss, run.dh, run.grad (lstm_core's record)
    reach = gradient_reach_of(scenario)   # the "through time" page: ∂L/∂(h(0), c(0)) by distance
"""

from __future__ import annotations

from dataclasses import dataclass

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
