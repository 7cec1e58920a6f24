"""The maths of one LSTM cell, in NumPy alone. Knows nothing of any user interface."""

from .cell import GATES, GateSpec, GateStep, LSTMStep, lstm_step, sigmoid
from .params import GATE_NAMES, Gate, LSTMParams
from .sequence import LSTMTrace, RNNParams, RNNStep, RNNTrace, rnn_step, unroll, unroll_rnn

__all__ = [
    "GATES", "GATE_NAMES", "Gate", "GateSpec", "GateStep", "LSTMParams", "LSTMStep",
    "LSTMTrace", "RNNParams", "RNNStep", "RNNTrace", "lstm_step", "rnn_step", "sigmoid",
    "unroll", "unroll_rnn",
]
