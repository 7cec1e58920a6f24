"""The NumPy core against a real torch.nn.LSTMCell in float64 (fixtures made by
scripts/make_torch_fixtures.py; torch itself is not needed to run these tests)."""

import json
from pathlib import Path

import numpy as np
import pytest

from lstm_core import LSTMParams, lstm_step

FIXTURES = Path(__file__).parent / "fixtures" / "torch_lstm.json"
DATA = json.loads(FIXTURES.read_text())
CASES = DATA["cases"]
TOL = 1e-12
GATES = ("i", "f", "g", "o")


def case_id(case):
    return f"D{case['D']}-H{case['H']}-s{case['seed']}"


def arr(case, key):
    return np.array(case[key], dtype=np.float64)


def torch_params(case):
    return LSTMParams.from_torch(*(arr(case, k)
                                   for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))


def assert_close(actual, expected, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    err = np.max(np.abs(actual - expected), initial=0.0)
    assert err <= TOL, f"{what}: max abs error {err:.3e} > {TOL}"


def test_fixture_covers_the_brief():
    assert DATA["dtype"] == "float64"
    assert DATA["gate_order"] == list(GATES)
    sizes = {(c["D"], c["H"]) for c in CASES}
    assert {(d, h) for d in range(1, 7) for h in range(1, 7)} <= sizes
    assert any(c["D"] != c["H"] for c in CASES)
    assert any(np.max(np.abs(arr(c, "x"))) > 4 for c in CASES)  # larger-magnitude inputs
    saturated = [c for c in CASES if np.min(np.abs(arr(c, "z_f"))) > 0
                 and np.max(np.abs(np.concatenate([arr(c, f"z_{n}") for n in GATES]))) > 10]
    assert saturated, "no case drives a gate near saturation"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_intermediate_matches_torch(case):
    params = torch_params(case)
    assert (params.D, params.H) == (case["D"], case["H"])
    step = lstm_step(params, arr(case, "x"), arr(case, "h_prev"), arr(case, "c_prev"))
    for name in GATES:
        gate = step.gate(name)
        assert_close(gate.Wx_x, arr(case, f"Wx_x_{name}"), f"W_x{name}^T x")
        assert_close(gate.Wh_h, arr(case, f"Wh_h_{name}"), f"W_h{name}^T h")
        assert_close(gate.b, arr(case, f"b_{name}"), f"b_{name} (bias_ih + bias_hh)")
        # the split sum W_x^T x + W_h^T h + b is the pre-activation
        assert_close(gate.Wx_x + gate.Wh_h + gate.b, arr(case, f"z_{name}"), f"split sum {name}")
        assert_close(getattr(step, f"z_{name}"), arr(case, f"z_{name}"), f"z_{name}")
        assert_close(getattr(step, name), arr(case, name), name)
    assert_close(step.f_c_prev, arr(case, "f_c_prev"), "f*c_prev")
    assert_close(step.i_g, arr(case, "i_g"), "i*g")
    assert_close(step.c, arr(case, "c"), "c")
    assert_close(step.tanh_c, arr(case, "tanh_c"), "tanh(c)")
    assert_close(step.h, arr(case, "h"), "h")
    assert_close(step.y, arr(case, "h"), "y")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_book_blocks_are_torch_rows_transposed(case):
    params = torch_params(case)
    W_ih, W_hh = arr(case, "weight_ih"), arr(case, "weight_hh")
    b = arr(case, "bias_ih") + arr(case, "bias_hh")
    H = case["H"]
    for k, name in enumerate(GATES):
        rows = slice(k * H, (k + 1) * H)
        np.testing.assert_array_equal(params.W_x(name), W_ih[rows].T)
        np.testing.assert_array_equal(params.W_h(name), W_hh[rows].T)
        np.testing.assert_array_equal(params.b(name), b[rows])


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_to_torch_round_trip(case):
    params = torch_params(case)
    weight_ih, weight_hh, bias_ih, bias_hh = params.to_torch()
    np.testing.assert_array_equal(weight_ih, arr(case, "weight_ih"))
    np.testing.assert_array_equal(weight_hh, arr(case, "weight_hh"))
    np.testing.assert_array_equal(bias_hh, np.zeros(4 * case["H"]))
    # the two torch biases add into one; bias_hh comes back as zeros
    assert_close(bias_ih + bias_hh, arr(case, "bias_ih") + arr(case, "bias_hh"), "bias sum")
    again = LSTMParams.from_torch(weight_ih, weight_hh, bias_ih, bias_hh)
    for name in GATES:
        for field in ("W_x", "W_h", "b"):
            np.testing.assert_array_equal(getattr(again.gate(name), field),
                                          getattr(params.gate(name), field))
    step = lstm_step(again, arr(case, "x"), arr(case, "h_prev"), arr(case, "c_prev"))
    assert_close(step.h, arr(case, "h"), "h after round trip")
    assert_close(step.c, arr(case, "c"), "c after round trip")


def test_max_abs_error_vs_torch():
    """One number for the report: the largest deviation over every case and intermediate."""
    worst = 0.0
    for case in CASES:
        step = lstm_step(torch_params(case), arr(case, "x"), arr(case, "h_prev"),
                         arr(case, "c_prev"))
        for key in ("z_i", "z_f", "z_g", "z_o", "i", "f", "g", "o", "c", "h"):
            worst = max(worst, float(np.max(np.abs(getattr(step, key) - arr(case, key)))))
    print(f"max abs error vs torch over {len(CASES)} cases: {worst:.3e}")
    assert worst <= TOL
