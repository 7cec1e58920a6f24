"""GRU code export: the NumPy script runs and prints the core's h to 1e-12; the PyTorch and Keras
scripts carry exactly to_torch / to_keras, and run against stand-ins for nn.GRUCell and
keras.layers.GRUCell written from those frameworks' documented equations (not from the core)."""

from __future__ import annotations

import ast
import contextlib
import io
import subprocess
import sys
import types
from dataclasses import replace

import numpy as np
import pytest

from explainer.export import DATA_BEGIN, DATA_END, data_block
from explainer.gru_export import gru_keras_script, gru_numpy_script, gru_torch_script
from explainer.presets import PRESETS, build
from explainer.scenario import Scenario
from lstm_core import GRUParams


def printed_h(output: str) -> np.ndarray:
    for line in output.splitlines():
        name, sep, literal = line.partition(" = ")
        if sep and name.strip("# ") == "h(t)":
            return np.array(ast.literal_eval(literal))
    raise AssertionError(f"no h(t) line in {output!r}")


def run(script: str, **modules) -> str:
    out = io.StringIO()
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(script, "<export>", "exec"), {"__name__": "__main__"})
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return out.getvalue()


def imported_modules(script: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(script)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
    return names


def scenario(seed: int, D: int, H: int, reset_after: bool, scale: float = 1.0) -> Scenario:
    rng = np.random.default_rng(seed)
    base = build("default").resized(D, H)
    gru = GRUParams.random(D, H, seed=seed, scale=scale, reset_after=reset_after)
    return replace(base, gru=gru, cell="gru", x=rng.uniform(-3, 3, D),
                   h_prev=rng.uniform(-1, 1, H))


CASES = ([scenario(s, D, H, ra, sc) for s, (D, H), sc in
          [(1, (1, 1), 0.5), (2, (3, 5), 2.0), (3, (8, 8), 1.0), (4, (8, 1), 8.0)]
          for ra in (True, False)]
         + [build(n) for n, p in PRESETS.items() if p.cell == "gru"])
IDS = [f"{s.preset}-{s.D}x{s.H}-{'after' if s.gru.reset_after else 'before'}-{k}"
       for k, s in enumerate(CASES)]


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


# -- stand-ins for the frameworks, from their documentation ------------------------------------
class FakeTorchGRUCell:
    """torch.nn.GRUCell as documented: rows r, z, n of weight_ih / weight_hh;
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); h' = (1 - z) * n + z * h."""

    def __init__(self, D, H, dtype=None):
        self.H = H
        self.weight_ih, self.weight_hh = np.zeros((3 * H, D)), np.zeros((3 * H, H))
        self.bias_ih, self.bias_hh = np.zeros(3 * H), np.zeros(3 * H)
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            arr = getattr(self, name)
            setattr(self, name, types.SimpleNamespace(copy_=lambda v, arr=arr: arr.__setitem__(
                Ellipsis, v), arr=arr))

    def __call__(self, x, h):
        H = self.H
        gi = x @ self.weight_ih.arr.T + self.bias_ih.arr
        gh = h @ self.weight_hh.arr.T + self.bias_hh.arr
        r = sigmoid(gi[:, :H] + gh[:, :H])
        z = sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
        n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
        return (1 - z) * n + z * h


def fake_torch() -> types.ModuleType:
    torch = types.ModuleType("torch")
    torch.float64 = "float64"
    torch.tensor = lambda data, dtype=None: np.array(data, dtype=float)
    torch.nn = types.SimpleNamespace(GRUCell=FakeTorchGRUCell)
    torch.no_grad = contextlib.nullcontext
    return torch


class FakeKerasGRUCell:
    """keras.layers.GRUCell as documented: columns z, r, h of kernel / recurrent_kernel;
    reset_after: hh = tanh(x W_h + b_in_h + r * (h U_h + b_rec_h)), bias (2, 3H);
    otherwise hh = tanh(x W_h + (r * h) U_h + b_h), bias (3H,); h' = z * h + (1 - z) * hh."""

    def __init__(self, H, activation, recurrent_activation, reset_after, dtype):
        assert (activation, recurrent_activation, dtype) == ("tanh", "sigmoid", "float64")
        self.H, self.reset_after = H, reset_after

    def build(self, shape):
        self.D = shape[-1]

    def set_weights(self, weights):
        kernel, recurrent, bias = weights
        H = self.H
        assert kernel.shape == (self.D, 3 * H) and recurrent.shape == (H, 3 * H)
        assert bias.shape == ((2, 3 * H) if self.reset_after else (3 * H,))
        self.kernel, self.recurrent, self.bias = kernel, recurrent, bias

    def __call__(self, x, states):
        (h,), H = states, self.H
        b_in, b_rec = (self.bias[0], self.bias[1]) if self.reset_after else (
            self.bias, np.zeros(3 * H))
        xk = x @ self.kernel + b_in
        z = sigmoid(xk[:, :H] + h @ self.recurrent[:, :H] + b_rec[:H])
        r = sigmoid(xk[:, H:2 * H] + h @ self.recurrent[:, H:2 * H] + b_rec[H:2 * H])
        if self.reset_after:
            hh = np.tanh(xk[:, 2 * H:] + r * (h @ self.recurrent[:, 2 * H:] + b_rec[2 * H:]))
        else:
            hh = np.tanh(xk[:, 2 * H:] + (r * h) @ self.recurrent[:, 2 * H:])
        out = z * h + (1 - z) * hh
        return out, [out]


def fake_keras() -> types.ModuleType:
    keras = types.ModuleType("keras")
    keras.layers = types.SimpleNamespace(GRUCell=FakeKerasGRUCell)
    keras.ops = types.SimpleNamespace(convert_to_numpy=np.asarray)
    return keras


# -- NumPy ------------------------------------------------------------------------------------
@pytest.mark.parametrize("s", CASES, ids=IDS)
def test_numpy_script_prints_the_core_h(s):
    script = gru_numpy_script(s)
    assert imported_modules(script) == {"numpy"}
    h = printed_h(run(script))
    np.testing.assert_allclose(h, s.gru_step().h, rtol=0, atol=1e-12)


def test_numpy_script_runs_alone_in_a_subprocess(tmp_path):
    s = CASES[3]  # (3, 5), reset before
    path = tmp_path / "gru_step.py"
    path.write_text(gru_numpy_script(s))
    result = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True,
                            timeout=60, check=True)
    np.testing.assert_allclose(printed_h(result.stdout), s.gru_step().h, rtol=0, atol=1e-12)


def test_numpy_script_writes_each_placement():
    after, before = CASES[0], CASES[1]
    assert "r * (W_hg.T @ h_prev + b_hg)" in gru_numpy_script(after)
    assert "W_hg.T @ (r * h_prev) + b_hg" in gru_numpy_script(before)


# -- PyTorch ----------------------------------------------------------------------------------
@pytest.mark.parametrize("s", [s for s in CASES if s.gru.reset_after],
                         ids=[i for i, s in zip(IDS, CASES) if s.gru.reset_after])
def test_torch_script_layout_and_run(s):
    script = gru_torch_script(s)
    assert imported_modules(script) == {"torch"}
    assert "torch.nn.GRUCell(D, H, dtype=torch.float64)" in script
    torch = fake_torch()
    namespace = {"torch": torch}
    exec(data_block(script), namespace)
    for name, expected in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
                              s.gru.to_torch()):
        assert namespace[name].tobytes() == np.asarray(expected).tobytes(), name
    assert namespace["x"].tobytes() == s.x.tobytes()
    output = run(script, torch=torch)
    np.testing.assert_allclose(printed_h(output), s.gru_step().h, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(printed_h(script.split(DATA_END)[1].replace("#   ", "")),
                                  s.gru_step().h)  # the comment with the expected numbers


def test_torch_script_of_a_reset_before_gru_explains_and_runs_numpy():
    s = build("gru-reset-before")
    script = gru_torch_script(s)
    assert imported_modules(script) == {"numpy"}
    output = run(script)
    first = output.splitlines()[0]
    assert "nn.GRUCell" in first and "reset gate after" in first and "before" in first
    np.testing.assert_allclose(printed_h(output), s.gru_step().h, rtol=0, atol=1e-12)


# -- Keras ------------------------------------------------------------------------------------
@pytest.mark.parametrize("s", CASES, ids=IDS)
def test_keras_script_layout_and_run(s):
    script = gru_keras_script(s)
    assert imported_modules(script) == {"keras", "numpy"}
    assert f"reset_after={s.gru.reset_after}" in script
    namespace = {"np": np}
    exec(data_block(script), namespace)
    for name, expected in zip(("kernel", "recurrent_kernel", "bias"), s.gru.to_keras()):
        assert namespace[name].shape == np.shape(expected), name
        assert namespace[name].tobytes() == np.asarray(expected).tobytes(), name
    output = run(script, keras=fake_keras())
    np.testing.assert_allclose(printed_h(output), s.gru_step().h, rtol=0, atol=1e-12)


@pytest.mark.parametrize("export", [gru_numpy_script, gru_torch_script, gru_keras_script])
def test_scripts_are_valid_python_with_one_data_block(export):
    hostile = replace(build("gru-keep"), preset='x"""\nimport os  # <script>')
    script = export(hostile)
    ast.parse(script)
    assert "import os" not in script and "<script>" not in script
    assert script.count(DATA_BEGIN) == 1 and script.count(DATA_END) == 1
