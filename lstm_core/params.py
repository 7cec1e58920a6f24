"""LSTM parameters in the book's convention, and conversions to and from framework layouts.

Book (Equation 14-3): z_f = W_xf^T x + W_hf^T h + b_f,
so W_x* is (D, H), W_h* is (H, H) and b_* is (H,).
Peephole weights (Gers & Schmidhuber 2000) are one (H,) vector per gate i, f, o.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar, Self

import numpy as np

from .bounds import MAX_BATCH, MAX_SIZE
from .gates import GATE_ORDER, PEEPHOLE_GATES

# Framework layouts: the order of the gate blocks in each framework's stacked weights, and the
# letter each framework uses for a gate where it differs from the book's.
TORCH_ORDER = ("i", "f", "g", "o")  # nn.LSTMCell: rows of weight_ih / weight_hh
KERAS_ORDER = ("i", "f", "g", "o")  # LSTMCell: columns of kernel; Keras calls g "c"
KERAS_LETTERS = {"g": "c"}
TF1_ORDER = ("i", "g", "f", "o")  # LSTMCell: columns of kernel; TF1 calls g "j": i, j, f, o
TF1_LETTERS = {"g": "j"}


def as_vector(name: str, value, size: int) -> np.ndarray:
    """A finite float64 vector of shape (size,), or ValueError naming the argument."""
    return as_array(name, value, (size,))


def as_batch(name: str, value, size: int) -> np.ndarray:
    """A finite float64 vector (size,) or a batch of them (B, size), 1 <= B <= MAX_BATCH, or
    ValueError naming the argument (for anything but a 2-D array, as_vector's message)."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return as_vector(name, value, size)  # raises, with the 1-D message
    if arr.ndim != 2:
        return as_vector(name, arr, size)
    if arr.shape[1] != size:
        raise ValueError(f"{name} must have shape ({size},) or (B, {size}), got {arr.shape}")
    if not 1 <= arr.shape[0] <= MAX_BATCH:
        raise ValueError(f"{name}: a batch must hold 1..{MAX_BATCH} rows, got {arr.shape[0]}")
    return as_array(name, value, (arr.shape[0], size))


def as_array(name: str, value, shape: tuple[int, ...]) -> np.ndarray:
    """A finite, read-only float64 array of the given shape, or ValueError naming the argument."""
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric with shape {shape}: {exc}") from None
    if arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or infinity), shape {tuple(shape)}")
    arr.setflags(write=False)
    return arr


class GatedParams:
    """What LSTMParams and GRUParams share: a frozen dataclass with one field per gate (named
    in `gate_order`), each gate holding W_x (D, H) and W_h (H, H)."""

    gate_order: ClassVar[tuple[str, ...]]

    def _check_sizes(self) -> tuple[int, int]:
        """(D, H) read from the first gate's W_x, or ValueError; for __post_init__."""
        first = self.gate_order[0]
        shape = np.shape(getattr(self, first).W_x)
        if len(shape) != 2:
            raise ValueError(f"W_x{first} must have shape (D, H), got {shape}")
        D, H = shape
        if not (1 <= D <= MAX_SIZE and 1 <= H <= MAX_SIZE):
            raise ValueError(f"sizes must be 1..{MAX_SIZE}, got D={D}, H={H}")
        return D, H

    # -- shape and access -------------------------------------------------------------------
    @property
    def D(self) -> int:
        return getattr(self, self.gate_order[0]).W_x.shape[0]

    @property
    def H(self) -> int:
        return getattr(self, self.gate_order[0]).W_x.shape[1]

    def gate(self, name: str):
        if name not in self.gate_order:
            raise ValueError(f"gate must be one of {self.gate_order}, got {name!r}")
        return getattr(self, name)

    # -- non-mutating edits ---------------------------------------------------------------
    def with_gate(self, name: str, **changes) -> Self:
        """A copy with some fields of one gate replaced, e.g. with_gate("f", b=np.ones(H))
        (LSTM) or with_gate("z", b_x=np.ones(H)) (GRU)."""
        return replace(self, **{name: replace(self.gate(name), **changes)})

    def with_element(self, name: str, field: str, index, value: float) -> Self:
        """A copy with one element changed: with_element("f", "W_x", (0, 1), 0.5)."""
        arr = np.array(getattr(self.gate(name), field), dtype=np.float64)
        arr[index] = value
        return self.with_gate(name, **{field: arr})


@dataclass(frozen=True)
class Gate:
    """One fully connected layer of the cell: z = W_x^T x + W_h^T h + b (+ peephole ⊗ c)."""

    W_x: np.ndarray  # (D, H): input x(t) -> this layer
    W_h: np.ndarray  # (H, H): previous short-term state h(t-1) -> this layer
    b: np.ndarray  # (H,)
    w_c: np.ndarray | None = None  # (H,) peephole weights; None for the candidate g


@dataclass(frozen=True)
class LSTMParams(GatedParams):
    """Weights of one LSTM cell, one `Gate` per layer, named after Equation 14-3."""

    gate_order: ClassVar[tuple[str, ...]] = GATE_ORDER
    i: Gate  # input gate
    f: Gate  # forget gate
    g: Gate  # candidate (the "main layer")
    o: Gate  # output gate
    forget_bias: float = 0.0  # TF1 adds this inside the forget sigmoid at call time
    use_peepholes: bool = False  # off: the basic LSTM cell of Figure 14-13

    def __post_init__(self):
        D, H = self._check_sizes()
        for name in GATE_ORDER:
            gate = self.gate(name)
            checked = Gate(
                W_x=as_array(f"W_x{name}", gate.W_x, (D, H)),
                W_h=as_array(f"W_h{name}", gate.W_h, (H, H)),
                b=as_vector(f"b_{name}", gate.b, H),
                w_c=(as_vector(f"w_c{name}", _or_zeros(gate.w_c, H), H)
                     if name in PEEPHOLE_GATES else None),
            )
            object.__setattr__(self, name, checked)
        if not np.isfinite(self.forget_bias):
            raise ValueError("forget_bias must be a finite number")
        object.__setattr__(self, "forget_bias", float(self.forget_bias))
        object.__setattr__(self, "use_peepholes", bool(self.use_peepholes))

    # (D, H, gate, with_gate, with_element: GatedParams)

    def W_x(self, name: str) -> np.ndarray:
        return self.gate(name).W_x

    def W_h(self, name: str) -> np.ndarray:
        return self.gate(name).W_h

    def b(self, name: str) -> np.ndarray:
        return self.gate(name).b

    # -- constructors ---------------------------------------------------------------------
    @classmethod
    def from_blocks(cls, W_x, W_h, b, w_c=None, **options) -> LSTMParams:
        """From per-gate mappings keyed by gate name (one array per gate)."""
        w_c = w_c or {}
        gates = {n: Gate(W_x[n], W_h[n], b[n], w_c.get(n)) for n in GATE_ORDER}
        return cls(**gates, **options)

    @classmethod
    def filled(cls, D: int, H: int, W_x, W_h, b=0.0, **options) -> LSTMParams:
        """Every gate with the same blocks: W_x, W_h are arrays of the right shape or scalars."""
        blocks = {n: Gate(np.broadcast_to(W_x, (D, H)), np.broadcast_to(W_h, (H, H)),
                          np.broadcast_to(b, (H,))) for n in GATE_ORDER}
        return cls(**blocks, **options)

    @classmethod
    def zeros(cls, D: int, H: int, **options) -> LSTMParams:
        return cls.filled(D, H, 0.0, 0.0, 0.0, **options)

    @classmethod
    def identity(cls, D: int, H: int, **options) -> LSTMParams:
        """Identity blocks (np.eye, rectangular when D != H) and zero biases in every gate."""
        return cls.filled(D, H, np.eye(D, H), np.eye(H), 0.0, **options)

    @classmethod
    def random(cls, D: int, H: int, seed: int = 0, scale: float | None = None,
               **options) -> LSTMParams:
        """Uniform in ±1/√H, PyTorch's and TF1's default initialisation, seeded."""
        rng = np.random.default_rng(seed)
        k = 1.0 / np.sqrt(H) if scale is None else scale
        gates = {n: Gate(rng.uniform(-k, k, (D, H)), rng.uniform(-k, k, (H, H)),
                         rng.uniform(-k, k, H)) for n in GATE_ORDER}
        return cls(**gates, **options)

    # -- PyTorch: weight_ih (4H, D), weight_hh (4H, H), bias_ih + bias_hh (4H,), rows i,f,g,o --
    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih=None, bias_hh=None) -> LSTMParams:
        weight_ih = np.asarray(weight_ih, dtype=np.float64)
        weight_hh = np.asarray(weight_hh, dtype=np.float64)
        if weight_ih.ndim != 2 or weight_ih.shape[0] % 4:
            raise ValueError(f"weight_ih must have shape (4H, D), got {weight_ih.shape}")
        H4, D = weight_ih.shape
        H = H4 // 4
        weight_ih = as_array("weight_ih", weight_ih, (4 * H, D))
        weight_hh = as_array("weight_hh", weight_hh, (4 * H, H))
        bias = as_vector("bias_ih", _or_zeros(bias_ih, 4 * H), 4 * H) + as_vector(
            "bias_hh", _or_zeros(bias_hh, 4 * H), 4 * H)
        rows = _blocks(H, TORCH_ORDER)
        return cls.from_blocks(
            W_x={n: weight_ih[s].T for n, s in rows.items()},
            W_h={n: weight_hh[s].T for n, s in rows.items()},
            b={n: bias[s] for n, s in rows.items()},
        )

    def to_torch(self):
        """(weight_ih, weight_hh, bias_ih, bias_hh); the forget-bias offset is folded into
        bias_ih and bias_hh is all zeros. Peepholes have no PyTorch equivalent."""
        self._require_no_peepholes("PyTorch nn.LSTMCell")
        weight_ih = np.concatenate([self.W_x(n).T for n in TORCH_ORDER])
        weight_hh = np.concatenate([self.W_h(n).T for n in TORCH_ORDER])
        return weight_ih, weight_hh, self._folded_bias(TORCH_ORDER), np.zeros(4 * self.H)

    # -- Keras: kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,), columns i,f,c,o --------
    @classmethod
    def from_keras(cls, kernel, recurrent_kernel, bias=None) -> LSTMParams:
        kernel = np.asarray(kernel, dtype=np.float64)
        if kernel.ndim != 2 or kernel.shape[1] % 4:
            raise ValueError(f"kernel must have shape (D, 4H), got {kernel.shape}")
        H = kernel.shape[1] // 4
        kernel = as_array("kernel", kernel, kernel.shape)
        recurrent_kernel = as_array("recurrent_kernel", recurrent_kernel, (H, 4 * H))
        bias = as_vector("bias", _or_zeros(bias, 4 * H), 4 * H)
        cols = _blocks(H, KERAS_ORDER)
        return cls.from_blocks(
            W_x={n: kernel[:, s] for n, s in cols.items()},
            W_h={n: recurrent_kernel[:, s] for n, s in cols.items()},
            b={n: bias[s] for n, s in cols.items()},
        )

    def to_keras(self):
        """(kernel, recurrent_kernel, bias); the forget-bias offset is folded into bias."""
        self._require_no_peepholes("Keras LSTMCell")
        kernel = np.concatenate([self.W_x(n) for n in KERAS_ORDER], axis=1)
        recurrent = np.concatenate([self.W_h(n) for n in KERAS_ORDER], axis=1)
        return kernel, recurrent, self._folded_bias(KERAS_ORDER)

    # -- TF1 LSTMCell: kernel (D+H, 4H) rows [x; h], columns i,j,f,o; forget_bias at call ------
    @classmethod
    def from_tf1(cls, kernel, bias=None, forget_bias: float = 1.0,
                 w_i_diag=None, w_f_diag=None, w_o_diag=None) -> LSTMParams:
        kernel = np.asarray(kernel, dtype=np.float64)
        if kernel.ndim != 2 or kernel.shape[1] % 4:
            raise ValueError(f"kernel must have shape (D+H, 4H), got {kernel.shape}")
        H = kernel.shape[1] // 4
        D = kernel.shape[0] - H
        if D < 1:
            raise ValueError(f"kernel must have shape (D+H, 4H) with D >= 1, got {kernel.shape}")
        kernel = as_array("kernel", kernel, kernel.shape)
        bias = as_vector("bias", _or_zeros(bias, 4 * H), 4 * H)
        diags = {"i": w_i_diag, "f": w_f_diag, "o": w_o_diag}
        use_peepholes = any(d is not None for d in diags.values())
        cols = _blocks(H, TF1_ORDER)
        return cls.from_blocks(
            W_x={n: kernel[:D, s] for n, s in cols.items()},
            W_h={n: kernel[D:, s] for n, s in cols.items()},
            b={n: bias[s] for n, s in cols.items()},
            w_c={n: _or_zeros(d, H) for n, d in diags.items()},
            forget_bias=forget_bias,
            use_peepholes=use_peepholes,
        )

    def to_tf1(self):
        """(kernel, bias, forget_bias, w_i_diag, w_f_diag, w_o_diag); diags are None
        without peepholes."""
        kernel = np.concatenate(
            [np.concatenate([self.W_x(n), self.W_h(n)]) for n in TF1_ORDER], axis=1)
        bias = np.concatenate([self.b(n) for n in TF1_ORDER])
        diags = [self.gate(n).w_c if self.use_peepholes else None for n in PEEPHOLE_GATES]
        return (kernel, bias, self.forget_bias, *diags)

    # -- helpers ----------------------------------------------------------------------------
    def _folded_bias(self, order) -> np.ndarray:
        return np.concatenate(
            [self.b(n) + (self.forget_bias if n == "f" else 0.0) for n in order])

    def _require_no_peepholes(self, target: str) -> None:
        if self.use_peepholes:
            raise ValueError(f"{target} has no peephole connections; turn peepholes off first")


def _blocks(H: int, order) -> dict[str, slice]:
    return {n: slice(k * H, (k + 1) * H) for k, n in enumerate(order)}


def _or_zeros(value, size: int):
    return np.zeros(size) if value is None else value
