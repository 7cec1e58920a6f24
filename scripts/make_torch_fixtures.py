"""Write tests/fixtures/torch_lstm.json: one LSTM step computed by a real torch.nn.LSTMCell.

Run with a throwaway interpreter that has torch (the app and its tests never need torch):

    python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python scripts/make_torch_fixtures.py

Every intermediate is computed from torch tensors in float64: the four pre-activation blocks
with torch matmuls (torch's row order i, f, g, o), the gates with torch.sigmoid / torch.tanh,
and c and h from the LSTMCell itself (checked against the manual formula before writing).
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "torch_lstm.json"
GATES = ("i", "f", "g", "o")  # torch's block order in weight_ih / weight_hh / biases

# (D, H, input scale, weight scale or None for torch's default init, seed)
CASES = [
    *[(d, h, 1.0, None, 100 * d + h) for d in range(1, 7) for h in range(1, 7)],
    (3, 5, 5.0, 2.0, 11),  # larger inputs and weights: gates near saturation
    (5, 2, 10.0, 1.5, 12),
    (6, 6, 3.0, 3.0, 13),
    (4, 1, 20.0, 0.5, 14),
    (1, 4, 8.0, 4.0, 15),
]


def tensor_list(t: torch.Tensor) -> list:
    return t.detach().to(torch.float64).tolist()


def seeded_cell(cell_class, D: int, H: int, weight_scale: float | None, seed: int, **options):
    """A float64 torch cell seeded with `seed`; weights uniform in ±weight_scale if given
    (else torch's default initialisation)."""
    torch.manual_seed(seed)
    cell = cell_class(D, H, bias=True, dtype=torch.float64, **options)
    if weight_scale is not None:
        with torch.no_grad():
            for p in cell.parameters():
                p.uniform_(-weight_scale, weight_scale)
    return cell


def write_fixture(out: Path, generator: str, payload: dict) -> None:
    """Write the payload (with its provenance) as JSON: the repr of a Python float round-trips
    exactly, so the file holds the exact float64 values."""
    payload = {"generator": generator, "torch_version": torch.__version__, "dtype": "float64",
               "gate_order": list(GATES), **payload}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {len(payload['cases'])} cases to {out} (torch {torch.__version__})")


def make_case(D: int, H: int, input_scale: float, weight_scale: float | None, seed: int) -> dict:
    cell = seeded_cell(torch.nn.LSTMCell, D, H, weight_scale, seed)
    x = (torch.rand(D, dtype=torch.float64) * 2 - 1) * input_scale
    h_prev = torch.rand(H, dtype=torch.float64) * 2 - 1
    c_prev = (torch.rand(H, dtype=torch.float64) * 2 - 1) * max(1.0, input_scale / 4)

    with torch.no_grad():
        h, c = cell(x.unsqueeze(0), (h_prev.unsqueeze(0), c_prev.unsqueeze(0)))
        h, c = h.squeeze(0), c.squeeze(0)
        Wih, Whh, bih, bhh = cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh
        Wx_x = torch.matmul(Wih, x)  # (4H,)
        Wh_h = torch.matmul(Whh, h_prev)
        z = Wx_x + bih + Wh_h + bhh
        parts = {}
        for k, name in enumerate(GATES):
            s = slice(k * H, (k + 1) * H)
            parts[f"Wx_x_{name}"] = Wx_x[s]
            parts[f"Wh_h_{name}"] = Wh_h[s]
            parts[f"b_{name}"] = bih[s] + bhh[s]
            parts[f"z_{name}"] = z[s]
        i = torch.sigmoid(parts["z_i"])
        f = torch.sigmoid(parts["z_f"])
        g = torch.tanh(parts["z_g"])
        o = torch.sigmoid(parts["z_o"])
        c_manual = f * c_prev + i * g
        h_manual = o * torch.tanh(c_manual)
    # the cell and the manual torch formula must agree, or the fixture is not worth writing
    assert torch.allclose(c, c_manual, rtol=0, atol=1e-13), (D, H, seed)
    assert torch.allclose(h, h_manual, rtol=0, atol=1e-13), (D, H, seed)

    record = {
        "D": D, "H": H, "seed": seed, "input_scale": input_scale, "weight_scale": weight_scale,
        "weight_ih": tensor_list(Wih), "weight_hh": tensor_list(Whh),
        "bias_ih": tensor_list(bih), "bias_hh": tensor_list(bhh),
        "x": tensor_list(x), "h_prev": tensor_list(h_prev), "c_prev": tensor_list(c_prev),
        "i": tensor_list(i), "f": tensor_list(f), "g": tensor_list(g), "o": tensor_list(o),
        "f_c_prev": tensor_list(f * c_prev), "i_g": tensor_list(i * g),
        "tanh_c": tensor_list(torch.tanh(c)),
        "c": tensor_list(c), "h": tensor_list(h),
    }
    record.update({k: tensor_list(v) for k, v in parts.items()})
    return record


def main() -> None:
    torch.set_default_dtype(torch.float64)
    write_fixture(OUT, "scripts/make_torch_fixtures.py",
                  {"cases": [make_case(*spec) for spec in CASES]})


if __name__ == "__main__":
    main()
