"""Write tests/fixtures/torch_lstm_grad.json: LSTM gradients computed by PyTorch autograd.

Run with a throwaway interpreter that has torch (the app and its tests never need torch):

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchvenv/bin/python scripts/make_torch_grad_fixtures.py

Each case runs a float64 torch.nn.LSTMCell over T steps (T = 1 is one step) from h(0), c(0) and
backpropagates the loss

    L = Σ_t dhs[t] · h(t) + dc_last · c(T)

so that ∂L/∂h(t) (direct part) = dhs[t] and ∂L/∂c(T) = dc_last, exactly the arguments of
`unroll_backward` (and, for T = 1, of `lstm_step_backward(params, step, dhs[0], dc_last)`).
Recorded: the inputs, and autograd's gradients of xs, h(0), c(0), weight_ih, weight_hh and the
bias (bias_ih and bias_hh receive the same gradient). A forget-bias offset (TF1's forget_bias)
is added to the forget block of bias_ih inside the cell; the recorded bias_ih excludes it.
PyTorch has no peephole connections: those gradients are checked by finite differences instead.

The same is done for the basic RNN (torch.nn.RNNCell, tanh) under "rnn_cases", against
`unroll_rnn_backward` (no cell state: the loss is Σ_t dhs[t] · h(t)).
"""

from __future__ import annotations

from pathlib import Path

import torch
from make_torch_fixtures import seeded_cell, tensor_list, write_fixture

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "torch_lstm_grad.json"

# (D, H, T, input scale, weight scale or None for torch's default init, forget_bias, seed)
CASES = [
    (1, 1, 1, 1.0, None, 0.0, 1),
    (3, 5, 1, 1.0, None, 0.0, 2),
    (5, 2, 1, 1.0, None, 1.0, 3),
    (4, 4, 1, 2.0, 1.0, 0.0, 4),
    (3, 5, 1, 10.0, 3.0, 0.0, 5),  # saturated gates
    (6, 3, 1, 20.0, 2.0, 3.0, 6),  # saturated, with a forget-bias offset
    (2, 3, 3, 1.0, None, 0.0, 7),
    (4, 2, 10, 1.0, 1.0, 1.0, 8),
    (3, 5, 20, 3.0, 2.0, 0.0, 9),  # saturated over time
    (2, 8, 50, 1.0, None, 1.0, 10),
    (5, 3, 50, 1.0, 0.5, 3.0, 11),  # forget gate near 1: the gradient survives 50 steps
    (1, 4, 50, 5.0, 2.5, 0.0, 12),
]

# (D, H, T, input scale, weight scale or None, seed)
RNN_CASES = [
    (3, 2, 1, 1.0, None, 21),
    (2, 5, 10, 2.0, 1.0, 22),
    (4, 3, 50, 1.0, None, 23),
    (1, 4, 30, 5.0, 2.0, 24),  # saturated
]


def backprop(cell, T: int, D: int, H: int, input_scale: float, lstm: bool) -> dict:
    """Run `cell` over T random inputs and backpropagate L = Σ dhs[t]·h(t) (+ dc_last·c(T))."""
    xs = ((torch.rand(T, D) * 2 - 1) * input_scale).requires_grad_()
    h0 = (torch.rand(H) * 2 - 1).requires_grad_()
    c0 = (torch.rand(H) * 2 - 1).requires_grad_() if lstm else None
    dhs = torch.randn(T, H)
    dc_last = torch.randn(H) if lstm else None
    state = (h0.unsqueeze(0), c0.unsqueeze(0)) if lstm else h0.unsqueeze(0)
    loss = torch.zeros((), dtype=torch.float64)
    hs, cs = [], []
    for t in range(T):
        state = cell(xs[t].unsqueeze(0), state)
        h = state[0][0] if lstm else state[0]
        loss = loss + (dhs[t] * h).sum()
        hs.append(h)
        if lstm:
            cs.append(state[1][0])
    if lstm:
        loss = loss + (dc_last * state[1][0]).sum()
    loss.backward()
    # both torch biases enter the sum z the same way: autograd gives them the same gradient
    assert torch.equal(cell.bias_ih.grad, cell.bias_hh.grad)
    record = {
        "D": D, "H": H, "T": T, "input_scale": input_scale,
        "weight_ih": tensor_list(cell.weight_ih), "weight_hh": tensor_list(cell.weight_hh),
        "bias_hh": tensor_list(cell.bias_hh),
        "xs": tensor_list(xs), "h0": tensor_list(h0), "dhs": tensor_list(dhs),
        "hs": tensor_list(torch.stack(hs)), "loss": float(loss.detach()),
        "grad_xs": tensor_list(xs.grad), "grad_h0": tensor_list(h0.grad),
        "grad_weight_ih": tensor_list(cell.weight_ih.grad),
        "grad_weight_hh": tensor_list(cell.weight_hh.grad),
        "grad_bias": tensor_list(cell.bias_ih.grad),
    }
    if lstm:
        record.update({"c0": tensor_list(c0), "dc_last": tensor_list(dc_last),
                       "cs": tensor_list(torch.stack(cs)), "grad_c0": tensor_list(c0.grad)})
    return record


def make_case(D: int, H: int, T: int, input_scale: float, weight_scale: float | None,
              forget_bias: float, seed: int) -> dict:
    cell = seeded_cell(torch.nn.LSTMCell, D, H, weight_scale, seed)
    bias_ih_recorded = tensor_list(cell.bias_ih)
    with torch.no_grad():
        cell.bias_ih[H:2 * H] += forget_bias  # torch's block order: f is the second block
    record = backprop(cell, T, D, H, input_scale, lstm=True)
    return {**record, "seed": seed, "weight_scale": weight_scale, "forget_bias": forget_bias,
            "bias_ih": bias_ih_recorded}


def make_rnn_case(D: int, H: int, T: int, input_scale: float, weight_scale: float | None,
                  seed: int) -> dict:
    cell = seeded_cell(torch.nn.RNNCell, D, H, weight_scale, seed, nonlinearity="tanh")
    record = backprop(cell, T, D, H, input_scale, lstm=False)
    return {**record, "seed": seed, "weight_scale": weight_scale,
            "bias_ih": tensor_list(cell.bias_ih)}


def main() -> None:
    torch.set_default_dtype(torch.float64)
    write_fixture(OUT, "scripts/make_torch_grad_fixtures.py", {
        "loss": "sum_t dhs[t] . h(t) + dc_last . c(T)  (RNN: no c term)",
        "cases": [make_case(*spec) for spec in CASES],
        "rnn_cases": [make_rnn_case(*spec) for spec in RNN_CASES],
    })


if __name__ == "__main__":
    main()
