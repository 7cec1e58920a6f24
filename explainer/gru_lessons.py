"""The numbers of the "LSTM vs GRU" view (issue 16): parameter counts, the two reset placements
on the same weights, and the z / 1 − z convention of texts and frameworks. No UI here."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from lstm_core import GRUParams, GRUStep, LSTMParams, gru_step
from lstm_core.gru import GRU_GATE_ORDER


@dataclass(frozen=True)
class ParameterCount:
    cell: str  # "LSTM (PyTorch nn.LSTMCell)"
    blocks: int  # fully connected layers: 4 or 3
    per_block: str  # "D·H + H·H + 2H"
    total: int  # counted from the arrays the framework layout holds


def parameter_counts(lstm: LSTMParams, gru: GRUParams) -> tuple[ParameterCount, ...]:
    """Counted from the arrays of each layout (not from a formula), for these sizes."""
    D, H = lstm.D, lstm.H
    lstm_book = sum(lstm.W_x(g).size + lstm.W_h(g).size + lstm.b(g).size for g in "ifgo")
    lstm_torch = sum(a.size for a in replace(lstm, use_peepholes=False).to_torch())
    gru_after = replace(gru, reset_after=True)
    gru_torch = sum(a.size for a in gru_after.to_torch())
    gru_keras_before = sum(a.size for a in replace(gru, reset_after=False).to_keras())
    return (
        ParameterCount("LSTM, one bias per layer (the book, Keras)", 4,
                       f"D·H + H·H + H = {D * H + H * H + H}", lstm_book),
        ParameterCount("LSTM, PyTorch nn.LSTMCell (two biases)", 4,
                       f"D·H + H·H + 2H = {D * H + H * H + 2 * H}", lstm_torch),
        ParameterCount("GRU, reset_after (PyTorch nn.GRUCell, Keras' default)", 3,
                       f"D·H + H·H + 2H = {D * H + H * H + 2 * H}", gru_torch),
        ParameterCount("GRU, reset before (Keras reset_after=False, the book)", 3,
                       f"D·H + H·H + H = {D * H + H * H + H}", gru_keras_before),
    )


@dataclass(frozen=True)
class Placements:
    """The same weights and inputs through both reset placements."""

    after: GRUStep
    before: GRUStep
    g_diff: float  # max |g_after − g_before|
    h_diff: float  # max |h_after − h_before|


def placements(gru: GRUParams, x, h_prev) -> Placements:
    after = gru_step(replace(gru, reset_after=True), x, h_prev)
    before = gru_step(replace(gru, reset_after=False), x, h_prev)
    return Placements(after, before, float(np.max(np.abs(after.g - before.g))),
                      float(np.max(np.abs(after.h - before.h))))


@dataclass(frozen=True)
class GateRole:
    gru: str  # "z · update gate"
    lstm: str  # the LSTM part it plays
    what: str  # one sentence


GATE_ROLES = (
    GateRole("z · update gate", "forget gate f, with the input gate tied to 1 − f",
             "keeps z of the old state and writes 1 − z of the candidate: one gate decides both, "
             "so the GRU cannot forget without writing or write without forgetting"),
    GateRole("r · reset gate", "close to the output gate o, one step earlier",
             "decides how much of h(t-1) the candidate sees; the LSTM's o decides how much of "
             "the memory reaches h(t), which is what the next candidate reads"),
    GateRole("g · candidate", "candidate g",
             "a tanh layer proposing new content, like the LSTM's g, but fed by the reset state"),
    GateRole("h · the state", "c and h merged",
             "the GRU has no separate long-term state and no tanh on the way out: h(t) is both "
             "its memory and its output"),
)
assert tuple(role.gru[0] for role in GATE_ROLES[:3]) == GRU_GATE_ORDER


@dataclass(frozen=True)
class Convention:
    source: str
    new_state: str  # the update line as that source writes it
    z_keeps: bool  # z multiplies h(t-1)
    reset: str  # "before" | "after" | "after (default), before (option)"


CONVENTIONS = (
    Convention("Cho et al. 2014 (the original GRU)", "h = z ⊙ h(t-1) + (1 − z) ⊙ h̃", True,
               "before"),
    Convention("Chung et al. 2014", "h = (1 − z) ⊙ h(t-1) + z ⊙ h̃", False, "before"),
    Convention("colah's blog, Understanding LSTM Networks", "h = (1 − z) ∗ h(t-1) + z ∗ h̃",
               False, "before"),
    Convention("Wikipedia, Gated recurrent unit", "h = (1 − z) ⊙ h(t-1) + z ⊙ ĥ", False,
               "before"),
    Convention("d2l.ai", "H = Z ⊙ H(t-1) + (1 − Z) ⊙ H̃", True, "before"),
    Convention("The book (Equation 14-4) and this app", "h = z ⊗ h(t-1) + (1 − z) ⊗ g", True,
               "before in the book; this app shows both"),
    Convention("PyTorch nn.GRU / nn.GRUCell", "h' = (1 − z) ⊙ n + z ⊙ h", True, "after"),
    Convention("Keras GRU / GRUCell", "h = z * h_tm1 + (1 − z) * hh", True,
               "after (reset_after=True, the default), before (reset_after=False)"),
)


def swapped(z: np.ndarray) -> np.ndarray:
    """The update gate a text writing h = (1 − z) h(t-1) + z h̃ would show for the same cell."""
    return 1.0 - np.asarray(z, dtype=np.float64)
