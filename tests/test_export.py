"""Code export: the NumPy script reproduces the core's step; the PyTorch and Keras scripts carry
exactly the framework layouts (torch and keras are not needed: their data blocks are read)."""

import ast
import contextlib
import io
import subprocess
import sys
import types
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.export import (
    DATA_BEGIN,
    DATA_END,
    data_block,
    keras_script,
    numpy_script,
    torch_script,
)
from explainer.presets import PRESETS, build
from explainer.scenario import Scenario
from lstm_core import PEEPHOLE_GATES, LSTMParams


# -- helpers --------------------------------------------------------------------------------
def variant(name: str, forget_bias: float = 0.0, peepholes: bool = False) -> Scenario:
    s = build(name)
    params = replace(s.params, forget_bias=forget_bias, use_peepholes=peepholes)
    for k, g in enumerate(PEEPHOLE_GATES):
        params = params.with_gate(g, w_c=np.linspace(-1.5, 1.5, s.H) * (k + 1))
    return s.with_params(params)


def random_scenario(seed: int, D: int, H: int, scale: float, forget_bias: float,
                    peepholes: bool) -> Scenario:
    rng = np.random.default_rng(seed)
    params = LSTMParams.random(D, H, seed=seed, scale=scale, forget_bias=forget_bias,
                               use_peepholes=peepholes)
    for g in PEEPHOLE_GATES:
        params = params.with_gate(g, w_c=rng.uniform(-2, 2, H))
    return Scenario(params, rng.uniform(-3, 3, D), rng.uniform(-1, 1, H), rng.uniform(-4, 4, H))


def printed(output: str) -> dict[str, np.ndarray]:
    """{"h(t)": array, "c(t)": array} from the script's printed lines."""
    values = {}
    for line in output.splitlines():
        name, sep, literal = line.partition(" = ")
        if sep and name in ("h(t)", "c(t)"):
            values[name] = np.array(ast.literal_eval(literal))
    return values


def run_in_process(script: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(script, "<export>", "exec"), {"__name__": "__main__"})
    return out.getvalue()


def assert_matches_core(output: str, scenario: Scenario) -> None:
    values, step = printed(output), scenario.step()
    np.testing.assert_allclose(values["h(t)"], step.h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(values["c(t)"], step.c, rtol=0, atol=1e-12)


def imported_modules(script: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(script)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    return names


def assert_exact(actual, expected) -> None:
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape
    assert np.array_equal(actual, expected) and actual.tobytes() == expected.tobytes()


FAKE_TORCH = types.SimpleNamespace(float64="float64",
                                   tensor=lambda data, dtype=None: np.array(data, dtype=float))

VARIANTS = [(name, fb, peep) for name in PRESETS for fb, peep in
            [(0.0, False), (1.0, False), (0.0, True), (1.0, True)]]
RANDOM = [(seed, D, H, scale, fb, peep) for seed, (D, H), scale, fb, peep in [
    (1, (1, 1), 0.5, 0.0, False), (2, (3, 5), 2.0, 1.0, True), (3, (8, 8), 1.0, -2.5, True),
    (4, (8, 1), 12.0, 0.0, False), (5, (2, 7), 0.1, 1.0, False)]]


# -- NumPy ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "forget_bias", "peepholes"), VARIANTS)
def test_numpy_script_reproduces_the_step(name, forget_bias, peepholes):
    scenario = variant(name, forget_bias, peepholes)
    assert_matches_core(run_in_process(numpy_script(scenario)), scenario)


@pytest.mark.parametrize("case", RANDOM)
def test_numpy_script_runs_alone_in_a_subprocess(case, tmp_path):
    scenario = random_scenario(*case)
    path = tmp_path / "lstm_step.py"
    path.write_text(numpy_script(scenario))
    result = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True,
                            timeout=60, cwd=tmp_path, check=True)
    assert_matches_core(result.stdout, scenario)


@given(seed=st.integers(0, 2**32 - 1), D=st.integers(1, 8), H=st.integers(1, 8),
       scale=st.floats(0.01, 20), forget_bias=st.floats(-20, 20), peepholes=st.booleans())
@settings(max_examples=60, deadline=None)
def test_numpy_script_random_scenarios(seed, D, H, scale, forget_bias, peepholes):
    scenario = random_scenario(seed, D, H, scale, forget_bias, peepholes)
    assert_matches_core(run_in_process(numpy_script(scenario)), scenario)


def test_numpy_script_imports_numpy_only_and_writes_full_precision():
    scenario = variant("saturated", forget_bias=1.0, peepholes=True)
    script = numpy_script(scenario)
    assert imported_modules(script) == {"numpy"}
    assert repr(float(scenario.params.W_x("f")[0, 0])) in script
    namespace = {"np": np}
    exec(data_block(script), namespace)
    assert_exact(namespace["W_xf"], scenario.params.W_x("f"))
    assert_exact(namespace["w_co"], scenario.params.gate("o").w_c)
    assert namespace["forget_bias"] == 1.0


def test_only_the_terms_in_use_are_written():
    script = numpy_script(build("remember"))
    assert "w_c" not in script and "forget_bias" not in data_block(script)
    assert "f = sigmoid(W_xf.T @ x + W_hf.T @ h_prev + b_f)  #" in script
    script = numpy_script(variant("remember", forget_bias=1.0, peepholes=True))
    assert "+ w_cf * c_prev + forget_bias" in script and "w_co * c)" in script


# -- PyTorch --------------------------------------------------------------------------------
@pytest.mark.parametrize("scenario", [variant(n, fb) for n in PRESETS for fb in (0.0, 1.0)]
                         + [random_scenario(*case) for case in RANDOM if not case[-1]])
def test_torch_script_layout(scenario):
    script = torch_script(scenario)
    assert imported_modules(script) == {"torch"}
    assert "torch.nn.LSTMCell(D, H, dtype=torch.float64)" in script
    namespace = {"torch": FAKE_TORCH}
    exec(data_block(script), namespace)
    for name, expected in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
                              scenario.params.to_torch()):
        assert_exact(namespace[name], expected)
    for name, expected in [("x", scenario.x), ("h_prev", scenario.h_prev),
                           ("c_prev", scenario.c_prev)]:
        assert_exact(namespace[name], expected)
    assert (namespace["D"], namespace["H"]) == (scenario.D, scenario.H)
    expected_h = printed(script.replace("#   ", ""))["h(t)"]  # the comment with the numbers
    assert_exact(expected_h, scenario.step().h)


# -- Keras ----------------------------------------------------------------------------------
@pytest.mark.parametrize("scenario", [variant(n, fb) for n in PRESETS for fb in (0.0, 1.0)]
                         + [random_scenario(*case) for case in RANDOM if not case[-1]])
def test_keras_script_layout(scenario):
    script = keras_script(scenario)
    assert imported_modules(script) == {"keras", "numpy"}
    assert "cell.set_weights([kernel, recurrent_kernel, bias])" in script
    namespace = {"np": np}
    exec(data_block(script), namespace)
    for name, expected in zip(("kernel", "recurrent_kernel", "bias"), scenario.params.to_keras()):
        assert_exact(namespace[name], expected)
    for name, expected in [("x", scenario.x), ("h_prev", scenario.h_prev),
                           ("c_prev", scenario.c_prev)]:
        assert_exact(namespace[name], expected)
    assert (namespace["D"], namespace["H"]) == (scenario.D, scenario.H)


# -- peepholes: the frameworks have none ----------------------------------------------------
@pytest.mark.parametrize(("export", "framework"), [(torch_script, "PyTorch"),
                                                   (keras_script, "Keras")])
def test_peepholes_give_a_runnable_numpy_script_with_a_note(export, framework):
    scenario = variant("overwrite", forget_bias=1.0, peepholes=True)
    script = export(scenario)
    assert imported_modules(script) == {"numpy"}
    output = run_in_process(script)
    assert framework in output.splitlines()[0] and "no peephole" in output.splitlines()[0]
    assert_matches_core(output, scenario)


# -- robustness -----------------------------------------------------------------------------
@pytest.mark.parametrize("export", [numpy_script, torch_script, keras_script])
def test_scripts_are_valid_python_with_one_data_block(export):
    hostile = replace(build("default"), preset='x"""\nimport os  # <script>')
    script = export(hostile)
    ast.parse(script)
    assert "import os" not in script and "<script>" not in script
    assert script.count(DATA_BEGIN) == 1 and script.count(DATA_END) == 1
