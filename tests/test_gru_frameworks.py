"""The GRU core against a real torch.nn.GRUCell and a real Keras 3 GRUCell, in float64 (fixtures
made by scripts/make_gru_fixtures.py; neither torch nor Keras is needed to run these tests)."""

import json
from pathlib import Path

import numpy as np
import pytest

from lstm_core import GRUParams, gru_step, gru_step_backward

FIXTURES = Path(__file__).parent / "fixtures"
TORCH = json.loads((FIXTURES / "torch_gru.json").read_text())
KERAS = json.loads((FIXTURES / "keras_gru.json").read_text())
TOL = 1e-12
TORCH_NAMES = {"r": "r", "z": "z", "g": "n"}  # our layer -> torch's block letter
TORCH_WEIGHTS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def case_id(case):
    return f"D{case['D']}-H{case['H']}-s{case['seed']}-after{int(case['reset_after'])}"


def arr(case, key):
    return np.array(case[key], dtype=np.float64)


def assert_close(actual, expected, what, tol=TOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    err = np.max(np.abs(actual - expected), initial=0.0)
    assert err <= tol, f"{what}: max abs error {err:.3e} > {tol}"


def torch_params(case):
    return GRUParams.from_torch(*(arr(case, k) for k in TORCH_WEIGHTS))


def keras_params(case):
    return GRUParams.from_keras(arr(case, "kernel"), arr(case, "recurrent_kernel"),
                                arr(case, "bias"), reset_after=case["reset_after"])


def test_fixtures_cover_the_brief():
    assert TORCH["dtype"] == KERAS["dtype"] == "float64"
    assert TORCH["gate_order"] == ["r", "z", "n"] and KERAS["gate_order"] == ["z", "r", "h"]
    assert "tensorflow" in KERAS["source"]  # the one Keras backend whose matmul stays float64
    sizes = {(c["D"], c["H"]) for c in TORCH["cases"]}
    assert {(d, h) for d in range(1, 7) for h in range(1, 7)} <= sizes
    assert {c["reset_after"] for c in KERAS["cases"]} == {True, False}
    for data in (TORCH, KERAS):
        assert any(np.max(np.abs(arr(c, "x"))) > 4 for c in data["cases"])  # large inputs
    saturated = [c for c in TORCH["cases"] if np.max(np.abs(np.concatenate(
        [arr(c, f"pre_{n}") for n in ("r", "z", "n")]))) > 10]
    assert saturated, "no torch case drives a gate near saturation"


@pytest.mark.parametrize("case", TORCH["cases"], ids=case_id)
def test_every_intermediate_matches_torch(case):
    params = torch_params(case)
    assert (params.D, params.H, params.reset_after) == (case["D"], case["H"], True)
    step = gru_step(params, arr(case, "x"), arr(case, "h_prev"))
    for name, letter in TORCH_NAMES.items():
        layer = step.gate(name)
        assert_close(layer.Wx_x, arr(case, f"Wx_x_{letter}"), f"W_x{name}^T x")
        assert_close(layer.Wh_h, arr(case, f"Wh_h_{letter}"), f"W_h{name}^T h")
        assert_close(layer.b_x, arr(case, f"b_x_{letter}"), f"b_x{name} (bias_ih)")
        assert_close(layer.b_h, arr(case, f"b_h_{letter}"), f"b_h{name} (bias_hh)")
        assert_close(layer.pre, arr(case, f"pre_{letter}"), f"pre_{name}")
        assert_close(layer.a, arr(case, letter), name)
    assert_close(step.candidate.rec, arr(case, "r_Wh_h_b_n"), "r * (W_hg^T h + b_hg)")
    assert_close(step.z_h_prev, arr(case, "z_h_prev"), "z * h_prev")
    assert_close(step.one_minus_z_g, arr(case, "one_minus_z_n"), "(1 - z) * g")
    assert_close(step.h, arr(case, "h"), "h")


@pytest.mark.parametrize("case", TORCH["cases"], ids=case_id)
def test_backward_matches_torch_autograd(case):
    params = torch_params(case)
    step = gru_step(params, arr(case, "x"), arr(case, "h_prev"))
    grads = gru_step_backward(params, step, arr(case, "dh"))
    assert_close(grads.dx, arr(case, "dx"), "dx")
    assert_close(grads.dh_prev, arr(case, "dh_prev"), "dh_prev")
    for name, value in zip(TORCH_WEIGHTS, grads.params.to_torch()):
        assert_close(value, arr(case, f"d_{name}"), f"d {name}")


@pytest.mark.parametrize("case", TORCH["cases"][::7], ids=case_id)
def test_torch_layout_round_trips_exactly(case):
    params = torch_params(case)
    for name, value in zip(TORCH_WEIGHTS, params.to_torch()):
        assert np.array_equal(value, arr(case, name)), name
    H = case["H"]
    for k, letter in enumerate(("r", "z", "n")):  # torch rows are our blocks transposed
        name = {"n": "g"}.get(letter, letter)
        rows = slice(k * H, (k + 1) * H)
        assert np.array_equal(params.gate(name).W_x, arr(case, "weight_ih")[rows].T)
        assert np.array_equal(params.gate(name).W_h, arr(case, "weight_hh")[rows].T)


@pytest.mark.parametrize("case", KERAS["cases"], ids=case_id)
def test_h_matches_keras(case):
    params = keras_params(case)
    assert params.reset_after is case["reset_after"]
    step = gru_step(params, arr(case, "x"), arr(case, "h_prev"))
    assert_close(step.h, arr(case, "h"), "h")


def keras_layout_grads(grads, reset_after):
    """Our gradients in Keras' layout. Without reset_after Keras has one bias per layer where we
    keep b_x and b_h; both enter the same sum there, so its gradient is either of ours (to_keras
    would add them, which is right for weights but not for their gradients)."""
    kernel, recurrent, bias = grads.params.to_keras()
    if not reset_after:
        bias = np.concatenate([grads.params.gate(n).b_x for n in ("z", "r", "g")])
    return kernel, recurrent, bias


@pytest.mark.parametrize("case", KERAS["cases"], ids=case_id)
def test_backward_matches_keras_autodiff(case):
    params = keras_params(case)
    step = gru_step(params, arr(case, "x"), arr(case, "h_prev"))
    grads = gru_step_backward(params, step, arr(case, "dh"))
    assert_close(grads.dx, arr(case, "dx"), "dx")
    assert_close(grads.dh_prev, arr(case, "dh_prev"), "dh_prev")
    kernel, recurrent, bias = keras_layout_grads(grads, case["reset_after"])
    assert_close(kernel, arr(case, "d_kernel"), "d kernel")
    assert_close(recurrent, arr(case, "d_recurrent_kernel"), "d recurrent_kernel")
    assert_close(bias, arr(case, "d_bias"), "d bias")


@pytest.mark.parametrize("case", KERAS["cases"][::3], ids=case_id)
def test_keras_layout_round_trips_exactly(case):
    params = keras_params(case)
    for name, value in zip(("kernel", "recurrent_kernel", "bias"), params.to_keras()):
        assert np.array_equal(value, arr(case, name)), name
    H = case["H"]
    for k, name in enumerate(("z", "r", "g")):  # Keras columns are our blocks as they are
        cols = slice(k * H, (k + 1) * H)
        assert np.array_equal(params.gate(name).W_x, arr(case, "kernel")[:, cols])
        assert np.array_equal(params.gate(name).W_h, arr(case, "recurrent_kernel")[:, cols])
