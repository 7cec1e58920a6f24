"""The GRU cell (Cho et al. 2014), the book's Equation 14-4, in NumPy alone.

    z(t) = σ(W_xz^T x(t) + b_xz + W_hz^T h(t-1) + b_hz)            update gate
    r(t) = σ(W_xr^T x(t) + b_xr + W_hr^T h(t-1) + b_hr)            reset gate
    g(t) = tanh(W_xg^T x(t) + b_xg + r(t) ⊗ (W_hg^T h(t-1) + b_hg))   reset_after (PyTorch, Keras)
    g(t) = tanh(W_xg^T x(t) + b_xg + W_hg^T (r(t) ⊗ h(t-1)) + b_hg)   reset before (original, book)
    h(t) = z(t) ⊗ h(t-1) + (1 - z(t)) ⊗ g(t)

z keeps the old state, as in PyTorch and Keras (some texts swap z and 1 - z). Each layer keeps
its two biases apart: for the reset-after candidate they are not interchangeable, since r
multiplies W_hg^T h + b_hg only. Inputs may carry one leading batch dimension: x (D,) or (B, D).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .gates import Activation
from .params import GatedParams, _blocks, _or_zeros, as_array, as_vector


@dataclass(frozen=True)
class GRUGateSpec:
    """What a picture or a sentence needs to know about one layer of the GRU."""

    name: str  # "z": the letter of Equation 14-4
    title: str  # "update gate"
    activation: Activation
    reset: bool  # the reset gate acts on this layer's recurrent path (the candidate only)


GRU_GATES = (  # the canonical order of the GRU's layers, which is also the order of computation
    GRUGateSpec("z", "update gate", Activation.SIGMOID, reset=False),
    GRUGateSpec("r", "reset gate", Activation.SIGMOID, reset=False),
    GRUGateSpec("g", "candidate", Activation.TANH, reset=True),  # reads r: comes after it
)
GRU_GATE_ORDER: tuple[str, ...] = tuple(spec.name for spec in GRU_GATES)
GRU_GATE_SPECS: dict[str, GRUGateSpec] = {spec.name: spec for spec in GRU_GATES}

# Framework layouts: the order of the blocks in each framework's stacked weights, and the letter
# each framework uses for a layer where it differs from the book's.
TORCH_GRU_ORDER = ("r", "z", "g")  # nn.GRUCell: rows of weight_ih / weight_hh / biases
TORCH_GRU_LETTERS = {"g": "n"}
KERAS_GRU_ORDER = ("z", "r", "g")  # GRUCell: columns of kernel / recurrent_kernel / bias
KERAS_GRU_LETTERS = {"g": "h"}


@dataclass(frozen=True)
class GRUGate:
    """One fully connected layer of the GRU: W_x^T x + b_x and W_h^T h + b_h, biases apart."""

    W_x: np.ndarray  # (D, H): input x(t) -> this layer
    W_h: np.ndarray  # (H, H): previous state h(t-1) (or r ⊗ h(t-1)) -> this layer
    b_x: np.ndarray  # (H,): bias of the input product (PyTorch bias_ih, Keras bias[0])
    b_h: np.ndarray  # (H,): bias of the recurrent product (PyTorch bias_hh, Keras bias[1])


@dataclass(frozen=True)
class GRUParams(GatedParams):
    """Weights of one GRU cell, one `GRUGate` per layer, and where the reset gate acts."""

    gate_order: ClassVar[tuple[str, ...]] = GRU_GATE_ORDER
    z: GRUGate  # update gate
    r: GRUGate  # reset gate
    g: GRUGate  # candidate
    reset_after: bool = True  # True: r ⊗ (W_hg^T h + b_hg), PyTorch and Keras' default

    def __post_init__(self):
        D, H = self._check_sizes()
        for name in GRU_GATE_ORDER:
            gate = self.gate(name)
            checked = GRUGate(
                W_x=as_array(f"W_x{name}", gate.W_x, (D, H)),
                W_h=as_array(f"W_h{name}", gate.W_h, (H, H)),
                b_x=as_vector(f"b_x{name}", gate.b_x, H),
                b_h=as_vector(f"b_h{name}", gate.b_h, H),
            )
            object.__setattr__(self, name, checked)
        if not isinstance(self.reset_after, bool | np.bool_):
            raise ValueError(f"reset_after must be True or False, got {self.reset_after!r}")
        object.__setattr__(self, "reset_after", bool(self.reset_after))

    # (D, H, gate, with_gate, with_element: GatedParams)

    # -- constructors ---------------------------------------------------------------------
    @classmethod
    def from_blocks(cls, W_x, W_h, b_x, b_h, reset_after: bool = True) -> GRUParams:
        """From per-layer mappings keyed by "z", "r", "g" (one array per layer)."""
        layers = {n: GRUGate(W_x[n], W_h[n], b_x[n], b_h[n]) for n in GRU_GATE_ORDER}
        return cls(**layers, reset_after=reset_after)

    @classmethod
    def filled(cls, D: int, H: int, W_x, W_h, b_x=0.0, b_h=0.0,
               reset_after: bool = True) -> GRUParams:
        """Every layer with the same blocks: arrays of the right shape or scalars."""
        layer = GRUGate(np.broadcast_to(W_x, (D, H)), np.broadcast_to(W_h, (H, H)),
                        np.broadcast_to(b_x, (H,)), np.broadcast_to(b_h, (H,)))
        return cls(**dict.fromkeys(GRU_GATE_ORDER, layer), reset_after=reset_after)

    @classmethod
    def zeros(cls, D: int, H: int, reset_after: bool = True) -> GRUParams:
        return cls.filled(D, H, 0.0, 0.0, reset_after=reset_after)

    @classmethod
    def identity(cls, D: int, H: int, reset_after: bool = True) -> GRUParams:
        """Identity blocks (np.eye, rectangular when D != H) and zero biases in every layer."""
        return cls.filled(D, H, np.eye(D, H), np.eye(H), reset_after=reset_after)

    @classmethod
    def random(cls, D: int, H: int, seed: int = 0, scale: float | None = None,
               reset_after: bool = True) -> GRUParams:
        """Uniform in ±1/√H (PyTorch's GRUCell initialisation, both biases too), seeded."""
        rng = np.random.default_rng(seed)
        k = 1.0 / np.sqrt(H) if scale is None else scale
        layers = {n: GRUGate(rng.uniform(-k, k, (D, H)), rng.uniform(-k, k, (H, H)),
                             rng.uniform(-k, k, H), rng.uniform(-k, k, H))
                  for n in GRU_GATE_ORDER}
        return cls(**layers, reset_after=reset_after)

    # -- PyTorch nn.GRUCell: weight_ih (3H, D), weight_hh (3H, H), rows r, z, n; reset after --
    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih=None, bias_hh=None) -> GRUParams:
        weight_ih = np.asarray(weight_ih, dtype=np.float64)
        if weight_ih.ndim != 2 or weight_ih.shape[0] % 3 or weight_ih.shape[0] == 0:
            raise ValueError(f"weight_ih must have shape (3H, D), got {weight_ih.shape}")
        H3, D = weight_ih.shape
        H = H3 // 3
        weight_ih = as_array("weight_ih", weight_ih, (3 * H, D))
        weight_hh = as_array("weight_hh", weight_hh, (3 * H, H))
        bias_ih = as_vector("bias_ih", _or_zeros(bias_ih, 3 * H), 3 * H)
        bias_hh = as_vector("bias_hh", _or_zeros(bias_hh, 3 * H), 3 * H)
        rows = _blocks(H, TORCH_GRU_ORDER)
        return cls.from_blocks(
            W_x={n: weight_ih[s].T for n, s in rows.items()},
            W_h={n: weight_hh[s].T for n, s in rows.items()},
            b_x={n: bias_ih[s] for n, s in rows.items()},
            b_h={n: bias_hh[s] for n, s in rows.items()},
            reset_after=True,
        )

    def to_torch(self):
        """(weight_ih, weight_hh, bias_ih, bias_hh) for torch.nn.GRUCell, biases kept apart."""
        if not self.reset_after:
            raise ValueError(
                "PyTorch nn.GRUCell applies the reset gate after the recurrent product "
                "(reset_after=True); these parameters apply it before (reset_after=False, the "
                "original and the book's GRU), which PyTorch cannot express")
        order = TORCH_GRU_ORDER
        return (np.concatenate([self.gate(n).W_x.T for n in order]),
                np.concatenate([self.gate(n).W_h.T for n in order]),
                np.concatenate([self.gate(n).b_x for n in order]),
                np.concatenate([self.gate(n).b_h for n in order]))

    # -- Keras 3 GRUCell: kernel (D, 3H), recurrent_kernel (H, 3H), columns z, r, h ------------
    @classmethod
    def from_keras(cls, kernel, recurrent_kernel, bias=None, reset_after: bool = True
                   ) -> GRUParams:
        """bias is (2, 3H) (input row, recurrent row) when reset_after, else (3H,); None = zeros.
        A bias of the other placement's shape is an error, never reshaped."""
        kernel = np.asarray(kernel, dtype=np.float64)
        if kernel.ndim != 2 or kernel.shape[1] % 3 or kernel.shape[1] == 0:
            raise ValueError(f"kernel must have shape (D, 3H), got {kernel.shape}")
        H = kernel.shape[1] // 3
        kernel = as_array("kernel", kernel, kernel.shape)
        recurrent_kernel = as_array("recurrent_kernel", recurrent_kernel, (H, 3 * H))
        bias_shape = (2, 3 * H) if reset_after else (3 * H,)
        if bias is None:
            bias = np.zeros(bias_shape)
        if np.shape(bias) != bias_shape:
            raise ValueError(
                f"bias must have shape {bias_shape} for reset_after={bool(reset_after)} "
                f"(Keras GRUCell: (2, 3H) with reset_after, (3H,) without), "
                f"got {np.shape(bias)}")
        bias = as_array("bias", bias, bias_shape)
        b_x, b_h = (bias[0], bias[1]) if reset_after else (bias, np.zeros(3 * H))
        cols = _blocks(H, KERAS_GRU_ORDER)
        return cls.from_blocks(
            W_x={n: kernel[:, s] for n, s in cols.items()},
            W_h={n: recurrent_kernel[:, s] for n, s in cols.items()},
            b_x={n: b_x[s] for n, s in cols.items()},
            b_h={n: b_h[s] for n, s in cols.items()},
            reset_after=reset_after,
        )

    def to_keras(self):
        """(kernel, recurrent_kernel, bias) for keras.layers.GRUCell(reset_after=self.reset_after).
        Without reset_after Keras has one bias: b_x + b_h is folded into it (both sit outside
        the reset gate there, so the cell computes the same h)."""
        order = KERAS_GRU_ORDER
        kernel = np.concatenate([self.gate(n).W_x for n in order], axis=1)
        recurrent = np.concatenate([self.gate(n).W_h for n in order], axis=1)
        b_x = np.concatenate([self.gate(n).b_x for n in order])
        b_h = np.concatenate([self.gate(n).b_h for n in order])
        bias = np.stack([b_x, b_h]) if self.reset_after else b_x + b_h
        return kernel, recurrent, bias


# -- one step ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class GRUGateStep:
    """One layer's computation, every partial sum a diagram may label.

    pre = Wx_x + b_x + rec, a = act(pre), where the recurrent term is
        rec = Wh_h_b = W_h^T h_in + b_h                 update and reset gates, and the
                                                        reset-before candidate (h_in = r ⊗ h(t-1))
        rec = r ⊗ Wh_h_b                                reset-after candidate (h_in = h(t-1))
    Shapes are (H,), or (B, H) with a batch.
    """

    spec: GRUGateSpec
    Wx_x: np.ndarray  # W_x^T x(t)
    b_x: np.ndarray  # input-side bias
    h_in: np.ndarray  # what W_h reads: h(t-1), or r ⊗ h(t-1) for the reset-before candidate
    Wh_h: np.ndarray  # W_h^T h_in
    b_h: np.ndarray  # recurrent-side bias
    Wh_h_b: np.ndarray  # W_h^T h_in + b_h
    rec: np.ndarray  # the recurrent term added to the pre-activation
    pre: np.ndarray  # pre-activation
    a: np.ndarray  # activation: σ(pre) for a gate, tanh(pre) for the candidate


@dataclass(frozen=True)
class GRUStep:
    """Every intermediate of one GRU time step. Shapes (H,) or, with a batch, (B, H)."""

    reset_after: bool
    x: np.ndarray  # x(t), (D,) or (B, D)
    h_prev: np.ndarray  # h(t-1)
    xh: np.ndarray  # the concatenation [h(t-1); x(t)] read by every layer, (H + D,)
    update: GRUGateStep
    reset: GRUGateStep
    candidate: GRUGateStep
    one_minus_z: np.ndarray  # 1 - z(t)
    z_h_prev: np.ndarray  # z ⊗ h(t-1): what is kept of the old state
    one_minus_z_g: np.ndarray  # (1 - z) ⊗ g: what is written from the candidate
    h: np.ndarray  # h(t) = y(t) = z ⊗ h(t-1) + (1 - z) ⊗ g

    def gate(self, name: str) -> GRUGateStep:
        return {"z": self.update, "r": self.reset, "g": self.candidate}[name]

    @property
    def gates(self) -> tuple[GRUGateStep, ...]:
        return self.update, self.reset, self.candidate

    pre_z = property(lambda s: s.update.pre)
    pre_r = property(lambda s: s.reset.pre)
    pre_g = property(lambda s: s.candidate.pre)
    z = property(lambda s: s.update.a)
    r = property(lambda s: s.reset.a)
    g = property(lambda s: s.candidate.a)
    y = property(lambda s: s.h)


def gru_inputs(params: GRUParams, x, h_prev) -> tuple[np.ndarray, np.ndarray]:
    """x (D,) with h_prev (H,), or x (B, D) with h_prev (B, H): checked float64 arrays."""
    try:
        shape = np.shape(x)
    except ValueError:  # ragged nested lists
        shape = None
    if shape is None or len(shape) not in (1, 2) or (len(shape) == 2 and shape[0] < 1):
        raise ValueError(f"x must have shape ({params.D},) or (batch, {params.D}), got "
                         f"{'a ragged sequence' if shape is None else shape}")
    batch = shape[:-1]
    return (as_array("x", x, (*batch, params.D)),
            as_array("h_prev", h_prev, (*batch, params.H)))


def gru_layer(spec: GRUGateSpec, gate: GRUGate, x, h_prev, r, reset_after: bool) -> GRUGateStep:
    """One layer; r (the reset gate's output) is read only by the candidate."""
    reset_before = spec.reset and not reset_after
    reset_output = spec.reset and reset_after
    h_in = r * h_prev if reset_before else h_prev
    Wx_x = x @ gate.W_x
    Wh_h = h_in @ gate.W_h
    Wh_h_b = Wh_h + gate.b_h
    rec = r * Wh_h_b if reset_output else Wh_h_b
    pre = Wx_x + gate.b_x + rec
    return GRUGateStep(spec, Wx_x, gate.b_x, h_in, Wh_h, gate.b_h, Wh_h_b, rec, pre,
                       spec.activation(pre))


def gru_step(params: GRUParams, x, h_prev) -> GRUStep:
    """One step of the GRU: x (D,) and h_prev (H,), or a batch x (B, D) and h_prev (B, H)."""
    x, h_prev = gru_inputs(params, x, h_prev)
    layers: dict[str, GRUGateStep] = {}
    for spec in GRU_GATES:  # z, r, then g, which reads r
        r = layers["r"].a if spec.reset else None
        layers[spec.name] = gru_layer(spec, params.gate(spec.name), x, h_prev, r,
                                      params.reset_after)
    z, g = layers["z"].a, layers["g"].a
    one_minus_z = 1.0 - z
    z_h_prev = z * h_prev
    one_minus_z_g = one_minus_z * g
    return GRUStep(params.reset_after, x, h_prev, np.concatenate([h_prev, x], axis=-1),
                   layers["z"], layers["r"], layers["g"], one_minus_z, z_h_prev,
                   one_minus_z_g, z_h_prev + one_minus_z_g)
