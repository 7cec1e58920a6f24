"""Write tests/fixtures/torch_gru.json and tests/fixtures/keras_gru.json: one GRU step computed
by a real torch.nn.GRUCell and by a real Keras 3 GRUCell (both reset_after values), in float64.

Run with a throwaway interpreter (the app and its tests never need torch or Keras):

    python3 -m venv /tmp/gruvenv && /tmp/gruvenv/bin/pip install torch==2.13.0 keras numpy
    /tmp/gruvenv/bin/pip install tensorflow-cpu   # Keras' float64 needs this backend (below)
    KERAS_BACKEND=tensorflow /tmp/gruvenv/bin/python scripts/make_gru_fixtures.py

torch: the intermediates are torch matmuls on the cell's own tensors (rows r, z, n), h comes from
the GRUCell itself (checked against the manual formula before writing), and the gradients of
L = sum(dh * h) come from torch autograd through the GRUCell.
Keras: weights are drawn here, loaded with set_weights, h comes from GRUCell.__call__ with
floatx float64, and the gradients from the backend's autodiff through the Keras cell, for both
reset placements (the reset-before one has no torch counterpart).

Why the TensorFlow backend: Keras 3.15's type promotion (keras.src.backend.common.dtypes,
`BIT64_TO_BIT32_DTYPE`) turns float64 into float32 on every backend except TensorFlow, so with
KERAS_BACKEND=torch `ops.matmul` of two float64 tensors runs in float32, and the cell agrees
with float64 maths only to about 1e-7 (measured on two case sets: h up to 3.3e-7, gradients up
to 3.9e-7). With TensorFlow every operation stays float64: agreement about 1e-15. The script
still runs with the torch backend (pass --out elsewhere: the tests reject that fixture).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

keras.config.set_floatx("float64")
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
TORCH_ORDER = ("r", "z", "n")  # row blocks of torch.nn.GRUCell
KERAS_ORDER = ("z", "r", "h")  # column blocks of keras.layers.GRUCell

# (D, H, input scale, weight scale or None for the framework's default init, seed)
TORCH_CASES = [
    *[(d, h, 1.0, None, 100 * d + h) for d in range(1, 7) for h in range(1, 7)],
    (3, 5, 5.0, 2.0, 11),  # larger inputs and weights: gates near saturation
    (5, 2, 10.0, 1.5, 12),
    (6, 6, 3.0, 3.0, 13),
    (4, 1, 20.0, 0.5, 14),
    (1, 4, 8.0, 4.0, 15),
]
KERAS_CASES = [
    *[(d, h, 1.0, 0.8, 200 + 10 * d + h) for d in (1, 3, 6) for h in (1, 2, 5)],
    (4, 4, 1.0, None, 21),  # Keras' own initialisers (glorot, orthogonal, zero bias)
    (3, 5, 5.0, 2.0, 22),
    (5, 2, 10.0, 1.5, 23),
    (6, 6, 3.0, 3.0, 24),
]


def as_list(t) -> list:
    return t.detach().to(torch.float64).tolist() if isinstance(t, torch.Tensor) else t.tolist()


def inputs(D: int, H: int, input_scale: float, gen: torch.Generator):
    x = (torch.rand(D, dtype=torch.float64, generator=gen) * 2 - 1) * input_scale
    h_prev = torch.rand(H, dtype=torch.float64, generator=gen) * 2 - 1
    dh = torch.rand(H, dtype=torch.float64, generator=gen) * 2 - 1
    return x, h_prev, dh


def torch_case(D, H, input_scale, weight_scale, seed) -> dict:
    torch.manual_seed(seed)
    cell = torch.nn.GRUCell(D, H, bias=True, dtype=torch.float64)
    if weight_scale is not None:
        with torch.no_grad():
            for p in cell.parameters():
                p.uniform_(-weight_scale, weight_scale)
    gen = torch.Generator().manual_seed(seed)
    x, h_prev, dh = inputs(D, H, input_scale, gen)
    x.requires_grad_(True)
    h_prev.requires_grad_(True)
    h = cell(x.unsqueeze(0), h_prev.unsqueeze(0)).squeeze(0)
    loss = (h * dh).sum()
    params = (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    grads = torch.autograd.grad(loss, (x, h_prev, *params))

    record = {"D": D, "H": H, "seed": seed, "input_scale": input_scale,
              "weight_scale": weight_scale, "reset_after": True}
    with torch.no_grad():
        Wx_x = cell.weight_ih @ x
        Wh_h = cell.weight_hh @ h_prev
        blocks = {}
        for k, name in enumerate(TORCH_ORDER):
            s = slice(k * H, (k + 1) * H)
            blocks[name] = (Wx_x[s], cell.bias_ih[s], Wh_h[s], cell.bias_hh[s])
        pre = {n: (wx + bx) + (wh + bh) for n, (wx, bx, wh, bh) in blocks.items() if n != "n"}
        r, z = torch.sigmoid(pre["r"]), torch.sigmoid(pre["z"])
        wx, bx, wh, bh = blocks["n"]
        pre["n"] = (wx + bx) + r * (wh + bh)
        n = torch.tanh(pre["n"])
        h_manual = z * h_prev + (1 - z) * n
        assert torch.allclose(h, h_manual, rtol=0, atol=1e-13), (D, H, seed)
        for name, (wx, bx, wh, bh) in blocks.items():
            record |= {f"Wx_x_{name}": wx, f"b_x_{name}": bx, f"Wh_h_{name}": wh,
                       f"b_h_{name}": bh, f"pre_{name}": pre[name]}
        record |= {"r": r, "z": z, "n": n, "h": h, "z_h_prev": z * h_prev,
                   "one_minus_z_n": (1 - z) * n, "r_Wh_h_b_n": r * (wh + bh)}
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    record |= dict(zip(names, params)) | {"x": x, "h_prev": h_prev, "dh": dh}
    record |= {"dx": grads[0], "dh_prev": grads[1]}
    record |= {f"d_{n}": g for n, g in zip(names, grads[2:])}
    return {k: as_list(v) if isinstance(v, torch.Tensor) else v for k, v in record.items()}


def keras_forward_backward(cell, x, h_prev, dh):
    """h = cell(x, h_prev) and the gradients of sum(dh * h), as NumPy float64 arrays."""
    variables = [cell.kernel.value, cell.recurrent_kernel.value, cell.bias.value]
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        xt, ht = tf.constant(x[None]), tf.constant(h_prev[None])
        with tf.GradientTape() as tape:
            tape.watch([xt, ht])
            out, _ = cell(xt, ht)
            loss = tf.reduce_sum(out[0] * dh)
        grads = tape.gradient(loss, [xt, ht, *variables])
        assert out.dtype == tf.float64, out.dtype
        return out.numpy()[0], [g.numpy() for g in grads]
    xt = torch.tensor(x[None], requires_grad=True)
    ht = torch.tensor(h_prev[None], requires_grad=True)
    out, _ = cell(xt, ht)
    assert out.dtype == torch.float64, out.dtype
    grads = torch.autograd.grad((out[0] * torch.tensor(dh)).sum(), (xt, ht, *variables))
    return out.detach().numpy()[0], [g.detach().numpy() for g in grads]


def keras_case(D, H, input_scale, weight_scale, seed, reset_after: bool) -> dict:
    keras.utils.set_random_seed(seed)
    cell = keras.layers.GRUCell(H, reset_after=reset_after, dtype="float64")
    cell.build((1, D))
    rng = np.random.default_rng(seed)
    if weight_scale is not None:
        cell.set_weights([rng.uniform(-weight_scale, weight_scale, w.shape)
                          for w in cell.get_weights()])
    kernel, recurrent_kernel, bias = (np.asarray(w, dtype=np.float64)
                                      for w in cell.get_weights())
    x = rng.uniform(-input_scale, input_scale, D)
    h_prev, dh = rng.uniform(-1, 1, H), rng.uniform(-1, 1, H)
    h, grads = keras_forward_backward(cell, x, h_prev, dh)
    grads = [g[0] if k < 2 else g for k, g in enumerate(grads)]  # drop the batch of one
    names = ("dx", "dh_prev", "d_kernel", "d_recurrent_kernel", "d_bias")
    return {
        "D": D, "H": H, "seed": seed, "input_scale": input_scale,
        "weight_scale": weight_scale, "reset_after": reset_after,
        "kernel": kernel.tolist(), "recurrent_kernel": recurrent_kernel.tolist(),
        "bias": bias.tolist(), "x": x.tolist(), "h_prev": h_prev.tolist(), "dh": dh.tolist(),
        "h": h.tolist(), **{n: g.tolist() for n, g in zip(names, grads)},
    }


def write(out: Path, name: str, data: dict) -> None:
    path = out / name
    path.write_text(json.dumps(data, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(data['cases'])} cases, {path.stat().st_size} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIXTURES, help="output folder")
    out = parser.parse_args().out
    torch.set_default_dtype(torch.float64)
    write(out, "torch_gru.json", {
        "source": f"torch.nn.GRUCell, torch {torch.__version__}", "dtype": "float64",
        "gate_order": list(TORCH_ORDER), "loss": "sum(dh * h)",
        "cases": [torch_case(*c) for c in TORCH_CASES],
    })
    write(out, "keras_gru.json", {
        "source": f"keras.layers.GRUCell, keras {keras.__version__}, "
                  f"backend {keras.backend.backend()}, torch {torch.__version__}",
        "dtype": keras.config.floatx(), "gate_order": list(KERAS_ORDER), "loss": "sum(dh * h)",
        "cases": [keras_case(*c, reset_after=ra) for ra in (True, False) for c in KERAS_CASES],
    })


if __name__ == "__main__":
    main()
