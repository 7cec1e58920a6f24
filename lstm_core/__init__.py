"""The maths of one LSTM cell, in NumPy alone. Knows nothing of any user interface."""

from .backward import (
    GateGradient,
    LSTMSequenceGradient,
    LSTMStepGradient,
    RNNSequenceGradient,
    RNNStepGradient,
    lstm_step_backward,
    rnn_step_backward,
    unroll_backward,
    unroll_rnn_backward,
)
from .bounds import MAX_SIZE, VALUE_LIMIT, WEIGHT_LIMIT
from .cell import GateStep, LSTMStep, lstm_step
from .gates import (
    GATE_ORDER,
    GATE_SPECS,
    GATES,
    PEEPHOLE_GATES,
    Activation,
    GateSpec,
    PeepholeSource,
    sigmoid,
)
from .gru import GRU_GATE_ORDER, GRU_GATES, GRUParams, GRUStep, gru_step
from .gru_backward import GRUGrads, gru_step_backward
from .params import Gate, LSTMParams
from .sequence import LSTMTrace, RNNParams, RNNStep, RNNTrace, rnn_step, unroll, unroll_rnn

GATE_NAMES = GATE_ORDER  # the name used before the split; new code uses GATE_ORDER

__all__ = [
    "GATES", "GATE_NAMES", "GATE_ORDER", "GATE_SPECS", "MAX_SIZE", "PEEPHOLE_GATES", "VALUE_LIMIT",
    "WEIGHT_LIMIT", "Activation", "Gate", "GateGradient", "GateSpec", "GateStep",
    "LSTMParams", "LSTMSequenceGradient", "LSTMStep", "LSTMStepGradient", "LSTMTrace",
    "PeepholeSource", "RNNParams", "RNNSequenceGradient", "RNNStep", "RNNStepGradient",
    "RNNTrace", "lstm_step", "lstm_step_backward", "rnn_step", "rnn_step_backward", "sigmoid",
    "unroll", "unroll_backward", "unroll_rnn", "unroll_rnn_backward",
]
__all__ += [  # the GRU (issue 16)
    "GRU_GATE_ORDER", "GRU_GATES", "GRUGrads", "GRUParams", "GRUStep", "gru_step",
    "gru_step_backward",
]
