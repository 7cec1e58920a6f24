"""Code export of the GRU (issue 16): the scenario's GRU as a NumPy, PyTorch or Keras script.

Every script prints one line, `h(t) = [...]`, and keeps its numbers between `DATA_BEGIN` and
`DATA_END` like the LSTM's scripts (`explainer.export`). PyTorch's `nn.GRUCell` applies the
reset gate after the recurrent product only; for a reset-before GRU `gru_torch_script` returns
the NumPy script headed by a note saying why (so a code panel always has something to run).
"""

from __future__ import annotations

from lstm_core import GRU_GATE_ORDER
from lstm_core.gru import (
    GRU_GATE_SPECS,
    KERAS_GRU_LETTERS,
    KERAS_GRU_ORDER,
    TORCH_GRU_LETTERS,
    TORCH_GRU_ORDER,
)

from .export import (
    KERAS_LOAD,
    KERAS_PRECISION,
    NUMPY_ARRAY,
    SIGMOID,
    TORCH_LOAD,
    TORCH_TENSOR,
    _assign,
    block_rows,
    describe,
    expected,
    framework_data,
    inputs_data,
    keras_blocks,
    keras_script,
    numpy_script,
    script,
    torch_script,
)
from .scenario import Scenario

PLACEMENT = {True: "reset_after (the reset gate multiplies W_hg^T h(t-1) + b_hg)",
             False: "reset before (the reset gate multiplies h(t-1) before W_hg)"}


def _describe(scenario: Scenario) -> str:
    return describe(scenario, scenario.gru, PLACEMENT[scenario.gru.reset_after])


def _expected(scenario: Scenario) -> list[str]:
    return expected(h=scenario.gru_step().h)


# -- NumPy ----------------------------------------------------------------------------------
def gru_numpy_script(scenario: Scenario, note: str = "") -> str:
    """A self-contained script (NumPy only) computing one GRU step, in either placement."""
    p = scenario.gru
    data = inputs_data(scenario, ("x", "h_prev"), shape="shape ")
    for n in GRU_GATE_ORDER:
        title, gate = GRU_GATE_SPECS[n].title, p.gate(n)
        data += [
            _assign(f"W_x{n}", "np.array", gate.W_x, f"{title}: weights from x(t), (D, H)"),
            _assign(f"W_h{n}", "np.array", gate.W_h, f"{title}: weights from h(t-1), (H, H)"),
            _assign(f"b_x{n}", "np.array", gate.b_x, f"{title}: input-side bias, (H,)"),
            _assign(f"b_h{n}", "np.array", gate.b_h, f"{title}: recurrent-side bias, (H,)"),
        ]
    if p.reset_after:
        candidate = [
            "# reset after: r multiplies the whole recurrent term, its bias included",
            "g = np.tanh(W_xg.T @ x + b_xg + r * (W_hg.T @ h_prev + b_hg))  # candidate g(t)"]
    else:
        candidate = [
            "# reset before: r multiplies h(t-1) before it meets W_hg",
            "g = np.tanh(W_xg.T @ x + b_xg + W_hg.T @ (r * h_prev) + b_hg)  # candidate g(t)"]
    return script(
        ["One GRU time step, exported from LSTM Explainer.", "", _describe(scenario),
         "The book's shapes: W_x* is (D, H) and W_h* is (H, H). Each layer keeps two biases:",
         "b_x* beside the input product and b_h* beside the recurrent one. z keeps the old "
         "state."],
        ["import numpy as np"], data,
        ["", *SIGMOID, "", "",
         "z = sigmoid(W_xz.T @ x + b_xz + W_hz.T @ h_prev + b_hz)  # update gate z(t)",
         "r = sigmoid(W_xr.T @ x + b_xr + W_hr.T @ h_prev + b_hr)  # reset gate r(t)",
         *candidate,
         "h = z * h_prev + (1 - z) * g  # h(t) = y(t): keep z of the old state, 1 - z of g",
         "",
         'print("h(t) =", h.tolist())'], note)


# -- PyTorch --------------------------------------------------------------------------------
def gru_torch_script(scenario: Scenario) -> str:
    """`torch.nn.GRUCell(D, H)` in float64 loaded from `gru.to_torch()` (rows r, z, n; the two
    biases apart); one step; prints h. Reset before: the NumPy script with a note."""
    p = scenario.gru
    if not p.reset_after:
        return gru_numpy_script(scenario, note=(
            "PyTorch's nn.GRUCell always applies the reset gate after the recurrent product "
            "(reset_after); this GRU applies it before (the original cell), which nn.GRUCell "
            "cannot compute. Switch the GRU to reset_after to export PyTorch code. "
            "These are the NumPy numbers."))
    weight_ih, weight_hh, bias_ih, bias_hh = p.to_torch()
    rows = block_rows(p.H, TORCH_GRU_ORDER, TORCH_GRU_LETTERS, GRU_GATE_SPECS)
    data = framework_data(scenario, p, TORCH_TENSOR, [
        ("weight_ih", weight_ih, "(3H, D): the book's W_x*^T stacked r, z, n", rows),
        ("weight_hh", weight_hh, "(3H, H): the book's W_h*^T stacked r, z, n", rows),
        ("bias_ih", bias_ih, "(3H,): b_xr, b_xz, b_xn (input side)", None),
        ("bias_hh", bias_hh, "(3H,): b_hr, b_hz, b_hn (inside r for n)", None),
    ], ("x", "h_prev"))
    return script(
        ["One GRU time step with PyTorch's nn.GRUCell, exported from LSTM Explainer.", "",
         _describe(scenario),
         "PyTorch stacks the three layers as rows in the order r, z, n (n is the candidate, the",
         "book's g). Its biases do not simply add: bias_hh's n block sits inside the reset gate."],
        ["import torch"], data,
        ["cell = torch.nn.GRUCell(D, H, dtype=torch.float64)",
         *TORCH_LOAD,
         "    h = cell(x[None], h_prev[None])  # a batch of one: x (1, D), h (1, H)",
         "",
         'print("h(t) =", h[0].tolist())',
         *_expected(scenario)])


# -- Keras ----------------------------------------------------------------------------------
def gru_keras_script(scenario: Scenario) -> str:
    """`keras.layers.GRUCell(H, reset_after=...)` in float64, `set_weights` from
    `gru.to_keras()` (columns z, r, h; bias (2, 3H) with reset_after, else (3H,)); prints h."""
    p = scenario.gru
    kernel, recurrent_kernel, bias = p.to_keras()
    blocks = keras_blocks(p.H, KERAS_GRU_ORDER, KERAS_GRU_LETTERS)
    bias_note = ("(2, 3H): row 0 the input-side biases, row 1 the recurrent-side ones"
                 if p.reset_after else "(3H,): b_x + b_h (both sit outside the reset gate here)")
    data = framework_data(scenario, p, NUMPY_ARRAY, [
        ("kernel", kernel, "(D, 3H): the book's W_x* side by side", None),
        ("recurrent_kernel", recurrent_kernel, "(H, 3H): the book's W_h* side by side", None),
        ("bias", bias, bias_note, None),
    ], ("x", "h_prev"))
    return script(
        ["One GRU time step with Keras's GRUCell, exported from LSTM Explainer.", "",
         _describe(scenario),
         "Keras puts the three layers side by side as columns in the order z, r, h",
         f"(h is the candidate, the book's g): {blocks}."],
        ["import keras", "import numpy as np"], data,
        ['cell = keras.layers.GRUCell(H, activation="tanh", recurrent_activation="sigmoid",',
         f'                            reset_after={p.reset_after}, dtype="float64")',
         *KERAS_LOAD,
         "h, _ = cell(x[None], [h_prev[None]])  # a batch of one: x (1, D), state [h (1, H)]",
         "",
         'print("h(t) =", keras.ops.convert_to_numpy(h)[0].tolist())',
         *_expected(scenario), *KERAS_PRECISION])

def exports(scenario: Scenario) -> tuple[tuple[str, str, str], ...]:
    """(tab label, file name, script) for each framework, for the scenario's cell."""
    if scenario.cell == "gru":
        makers = (("NumPy", "gru_step_numpy.py", gru_numpy_script),
                  ("PyTorch nn.GRUCell", "gru_step_torch.py", gru_torch_script),
                  ("Keras GRUCell", "gru_step_keras.py", gru_keras_script))
    else:
        makers = (("NumPy", "lstm_step_numpy.py", numpy_script),
                  ("PyTorch nn.LSTMCell", "lstm_step_torch.py", torch_script),
                  ("Keras LSTMCell", "lstm_step_keras.py", keras_script))
    return tuple((label, name, make(scenario)) for label, name, make in makers)
