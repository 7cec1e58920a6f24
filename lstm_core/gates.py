"""The four layers of the cell, once: their canonical order, activations and peephole sources.

`GATE_ORDER` ("i", "f", "g", "o") is the one order of gates in this project: parameters,
step records, tables, controls and links all loop over it. It is also PyTorch's block order,
and the output gate comes last, as the cell needs (its peephole reads the new c(t)).
Framework layouts that store the blocks in another order keep that order beside their
converters (`lstm_core.params`), nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, stable for any finite z (no overflow warning for |z| = 1000)."""
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(under="ignore"):  # exp(-1000) rounds to 0: the correct float64 answer
        e = np.exp(-np.abs(z))  # in [0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class Activation(StrEnum):
    """The squashing function of a layer. A StrEnum: `Activation.SIGMOID == "sigmoid"`."""

    SIGMOID = "sigmoid"
    TANH = "tanh"

    def __call__(self, z) -> np.ndarray:
        return sigmoid(z) if self is Activation.SIGMOID else np.tanh(z)

    @property
    def low(self) -> float:
        """Lower end of the open range of values: (0, 1) for σ, (-1, 1) for tanh."""
        return 0.0 if self is Activation.SIGMOID else -1.0

    def slope(self, z) -> np.ndarray:
        """dσ/dz = σ(1-σ) or dtanh/dz = 1 - tanh²."""
        a = self(z)
        return a * (1.0 - a) if self is Activation.SIGMOID else 1.0 - a**2

    def saturation_bound(self, max_slope: float = 0.05) -> float:
        """|z| beyond which the slope is below max_slope (the flat, 'saturated' tails)."""
        if self is Activation.SIGMOID:  # s(1-s) = m  ->  s = (1 + sqrt(1 - 4m)) / 2
            s = (1.0 + np.sqrt(1.0 - 4.0 * max_slope)) / 2.0
            return float(np.log(s / (1.0 - s)))
        return float(np.arctanh(np.sqrt(1.0 - max_slope)))


class PeepholeSource(StrEnum):
    """Which cell state a peephole connection reads (Gers & Schmidhuber 2000)."""

    C_PREV = "c_prev"  # c(t-1): into the input and forget gates
    C = "c"  # the new c(t): into the output gate


@dataclass(frozen=True)
class GateSpec:
    """What a picture or a sentence needs to know about one layer of the cell."""

    name: str  # "f": the letter of Equation 14-3
    title: str  # "forget gate"
    activation: Activation
    peephole_from: PeepholeSource | None  # None: the candidate has no peephole


GATES = (  # the canonical order, GATE_ORDER
    GateSpec("i", "input gate", Activation.SIGMOID, PeepholeSource.C_PREV),
    GateSpec("f", "forget gate", Activation.SIGMOID, PeepholeSource.C_PREV),
    GateSpec("g", "candidate", Activation.TANH, None),
    GateSpec("o", "output gate", Activation.SIGMOID, PeepholeSource.C),
)
GATE_ORDER: tuple[str, ...] = tuple(spec.name for spec in GATES)
PEEPHOLE_GATES: tuple[str, ...] = tuple(spec.name for spec in GATES if spec.peephole_from)
GATE_SPECS: dict[str, GateSpec] = {spec.name: spec for spec in GATES}
