import numpy as np

from lstm_core import LSTMParams, lstm_step


def test_stackoverflow_forget_gate():
    params = LSTMParams.identity(5, 5)
    step = lstm_step(params, [-0.1, 0.3, 0.1, -0.25, 0.1], [0, 0.5, 0.1, 0.2, 0.6], np.zeros(5))
    np.testing.assert_allclose(
        step.f, [0.47502081, 0.68997448, 0.549834, 0.4875026, 0.66818777], atol=1e-8)
